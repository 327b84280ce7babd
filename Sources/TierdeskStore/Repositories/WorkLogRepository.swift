import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Work logged on Sev1/Sev2 tickets, for time off in lieu.
public struct WorkLogRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Logged work with the reference of its ticket.
    public struct Entry: Sendable, Equatable {
        public var work: LoggedWork
        public var ticketReference: String

        public init(work: LoggedWork, ticketReference: String) {
            self.work = work
            self.ticketReference = ticketReference
        }
    }

    public func add(_ work: LoggedWork) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).insert(into: "work_log").columns(Self.columns)
                .values(
                    SQLBind(work.id),
                    SQLBind(work.personID),
                    SQLBind(work.ticketID),
                    SQLBind(work.start),
                    SQLBind(work.end),
                    SQLBind(work.note),
                    SQLBind(work.recordedBy),
                    SQLBind(work.recordedAt)
                )
                .run()
        }
    }

    public func find(_ id: UUID) async throws -> LoggedWork? {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("work_log")
            .where("id", .equal, id).first().map(Self.work)
    }

    /// Removes logged work; false if there is none with that id.
    public func delete(_ id: UUID) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "work_log").where("id", .equal, id).returning("id").all()
                .count == 1
        }
    }

    /// Work that overlaps a range, of one person or everyone, oldest first.
    public func entries(overlapping range: Range<Date>, person: UUID? = nil) async throws -> [Entry] {
        let select = database.sql.select().columns(Self.columns.map { SQLColumn($0, table: "work_log") })
            .column(SQLColumn("number", table: "tickets"))
            .from("work_log")
            .join("tickets", on: SQLColumn("ticket_id", table: "work_log"), .equal, SQLColumn("id", table: "tickets"))
            // No stretch is longer than a day, so the start bounds the search on its index.
            .where(
                SQLColumn("start_at", table: "work_log"),
                .greaterThan,
                SQLBind(range.lowerBound.addingTimeInterval(-LoggedWork.maxLength))
            )
            .where(SQLColumn("start_at", table: "work_log"), .lessThan, SQLBind(range.upperBound))
            .where(SQLColumn("end_at", table: "work_log"), .greaterThan, SQLBind(range.lowerBound))
        if let person { select.where(SQLColumn("person_id", table: "work_log"), .equal, SQLBind(person)) }
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
        "id", "person_id", "ticket_id", "start_at", "end_at", "note", "recorded_by", "recorded_at",
    ]

    private static func work(_ row: any SQLRow) throws -> LoggedWork {
        LoggedWork(
            id: try row.decode(column: "id", as: UUID.self),
            personID: try row.decode(column: "person_id", as: UUID.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID.self),
            start: try row.decode(column: "start_at", as: Date.self),
            end: try row.decode(column: "end_at", as: Date.self),
            note: try row.decode(column: "note", as: String.self),
            recordedBy: try row.decode(column: "recorded_by", as: UUID.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self)
        )
    }
}
