import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// The one time record: work logged on tickets, for billing and, on Sev1/Sev2 tickets or ones that paged,
/// for time off in lieu.
public struct TimeEntryRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Logged work with the reference of its ticket.
    public struct Entry: Sendable, Equatable {
        public var work: TimeEntry
        public var ticketReference: String

        public init(work: TimeEntry, ticketReference: String) {
            self.work = work
            self.ticketReference = ticketReference
        }
    }

    /// Stores an entry within a write (see ``BillingRepository/logTime(_:in:warn:)``).
    static func insert(_ work: TimeEntry, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "work_log").columns(Self.columns)
            .values(
                SQLBind(work.id),
                SQLBind(work.personID),
                SQLBind(work.ticketID),
                SQLBind(work.start),
                SQLBind(work.end),
                SQLBind(work.note),
                SQLBind(work.recordedBy),
                SQLBind(work.recordedAt),
                SQLBind(work.billable),
                SQLBind(work.category.rawValue)
            )
            .run()
    }

    /// A ticket's logged time, oldest first.
    public func entries(ticket: UUID) async throws -> [TimeEntry] {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("work_log")
            .where("ticket_id", .equal, ticket).orderBy("start_at").orderBy("id").all().map(Self.work)
    }

    /// Time started in a range on an organisation's tickets, with each ticket's reference and title.
    static func entries(organisation: UUID, startingIn range: Range<Date>, on sql: any SQLDatabase) async throws
        -> [(work: TimeEntry, number: Int, title: String)]
    {
        try await sql.select().columns(Self.columns.map { SQLColumn($0, table: "work_log") })
            .column(SQLColumn("number", table: "tickets")).column(SQLColumn("title", table: "tickets"))
            .from("work_log")
            .join("tickets", on: SQLColumn("ticket_id", table: "work_log"), .equal, SQLColumn("id", table: "tickets"))
            .where(SQLColumn("start_at", table: "work_log"), .greaterThanOrEqual, SQLBind(range.lowerBound))
            .where(SQLColumn("start_at", table: "work_log"), .lessThan, SQLBind(range.upperBound))
            .where(SQLColumn("organisation_id", table: "tickets"), .equal, SQLBind(organisation))
            .orderBy(SQLColumn("start_at", table: "work_log")).orderBy(SQLColumn("id", table: "work_log")).all()
            .map {
                (
                    try Self.work($0), try $0.decode(column: "number", as: Int.self),
                    try $0.decode(column: "title", as: String.self)
                )
            }
    }

    public func find(_ id: UUID) async throws -> TimeEntry? {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("work_log")
            .where("id", .equal, id).first().map(Self.work)
    }

    /// Removes logged work within a write; false if there is none with that id.
    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.delete(from: "work_log").where("id", .equal, id).returning("id").all().count == 1
    }

    /// Work that overlaps a range, of one person or everyone, oldest first. `timeOffOnly` keeps the work
    /// that earns time off in lieu: on Sev1 or Sev2 tickets, or tickets that paged.
    public func entries(overlapping range: Range<Date>, person: UUID? = nil, timeOffOnly: Bool = false)
        async throws -> [Entry]
    {
        let select = database.sql.select().columns(Self.columns.map { SQLColumn($0, table: "work_log") })
            .column(SQLColumn("number", table: "tickets"))
            .from("work_log")
            .join("tickets", on: SQLColumn("ticket_id", table: "work_log"), .equal, SQLColumn("id", table: "tickets"))
            // No stretch is longer than a day, so the start bounds the search on its index.
            .where(
                SQLColumn("start_at", table: "work_log"),
                .greaterThan,
                SQLBind(range.lowerBound.addingTimeInterval(-TimeEntry.maxLength))
            )
            .where(SQLColumn("start_at", table: "work_log"), .lessThan, SQLBind(range.upperBound))
            .where(SQLColumn("end_at", table: "work_log"), .greaterThan, SQLBind(range.lowerBound))
        if let person { select.where(SQLColumn("person_id", table: "work_log"), .equal, SQLBind(person)) }
        if timeOffOnly {
            select.where(
                SQLRaw(
                    "(tickets.severity IN ('Sev1', 'Sev2') OR EXISTS (SELECT 1 FROM pages WHERE pages.ticket_id = tickets.id))"
                )
            )
        }
        return try await select.orderBy(SQLColumn("start_at", table: "work_log"))
            .orderBy(SQLColumn("id", table: "work_log")).all()
            .map { row in
                Entry(
                    work: try Self.work(row),
                    ticketReference: TicketReference.format(try row.decode(column: "number", as: Int.self))
                )
            }
    }

    private static let columns = [
        "id", "person_id", "ticket_id", "start_at", "end_at", "note", "recorded_by", "recorded_at", "billable",
        "category",
    ]

    private static func work(_ row: any SQLRow) throws -> TimeEntry {
        TimeEntry(
            id: try row.decode(column: "id", as: UUID.self),
            personID: try row.decode(column: "person_id", as: UUID.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID.self),
            start: try row.decode(column: "start_at", as: Date.self),
            end: try row.decode(column: "end_at", as: Date.self),
            note: try row.decode(column: "note", as: String.self),
            billable: try row.decode(column: "billable", as: Bool.self),
            category: TimeCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .breakFix,
            recordedBy: try row.decode(column: "recorded_by", as: UUID.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self)
        )
    }
}
