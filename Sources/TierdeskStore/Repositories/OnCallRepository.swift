import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// On-call schedules with their overrides and coverage, escalation policies, paging contacts and
/// calendar feed tokens.
public struct OnCallRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// A schedule as stored: the admin's spec and the last coverage check.
    public struct StoredSchedule: Sendable, Equatable {
        public var id: UUID
        public var spec: OnCallScheduleSpec
        public var coverage: ScheduleCoverage?
        public var coverageCheckedAt: Date?
        public var createdAt: Date
        public var updatedAt: Date
    }

    // MARK: Schedules

    /// Stores a new schedule or replaces one; false if `replacing` and there is no such schedule.
    @discardableResult
    public func saveSchedule(
        id: UUID,
        spec: OnCallScheduleSpec,
        coverage: ScheduleCoverage,
        at now: Date,
        replacing: Bool
    ) async throws -> Bool {
        let specText = try Self.json(spec)
        let coverageText = try Self.json(coverage)
        return try await database.write { db in
            let sql = db as! any SQLDatabase
            if replacing {
                return try await sql.update("oncall_schedules").set("name", to: SQLBind(spec.name))
                    .set("spec", to: SQLBind(specText))
                    .set("coverage", to: SQLBind(coverageText)).set("coverage_checked_at", to: SQLBind(now))
                    .set("updated_at", to: SQLBind(now))
                    .where("id", .equal, id).returning("id").all().count == 1
            }
            try await sql.insert(into: "oncall_schedules")
                .columns("id", "name", "spec", "coverage", "coverage_checked_at", "created_at", "updated_at")
                .values(
                    SQLBind(id),
                    SQLBind(spec.name),
                    SQLBind(specText),
                    SQLBind(coverageText),
                    SQLBind(now),
                    SQLBind(now),
                    SQLBind(now)
                )
                .run()
            return true
        }
    }

    /// Records a coverage check made outside a save (the daily one, or after an override changed).
    public func saveCoverage(_ coverage: ScheduleCoverage, of id: UUID, at now: Date) async throws {
        let text = try Self.json(coverage)
        try await database.write { db in
            try await (db as! any SQLDatabase).update("oncall_schedules").set("coverage", to: SQLBind(text))
                .set("coverage_checked_at", to: SQLBind(now))
                .where("id", .equal, id).run()
        }
    }

    public func storedSchedules() async throws -> [StoredSchedule] {
        try await database.sql.select()
            .columns("id", "spec", "coverage", "coverage_checked_at", "created_at", "updated_at")
            .from("oncall_schedules")
            .orderBy("name").orderBy("id").all().map(Self.storedSchedule)
    }

    public func storedSchedule(_ id: UUID) async throws -> StoredSchedule? {
        try await database.sql.select()
            .columns("id", "spec", "coverage", "coverage_checked_at", "created_at", "updated_at")
            .from("oncall_schedules")
            .where("id", .equal, id).first().map(Self.storedSchedule)
    }

    /// Schedules ready to answer "who is on call" between `from` and `until`, with the overrides that touch
    /// that range; all schedules when `ids` is nil.
    public func schedules(_ ids: Set<UUID>? = nil, from: Date, until: Date) async throws -> [UUID: OnCallSchedule] {
        try await Self.schedules(ids, from: from, until: until, on: database.sql)
    }

    static func schedules(_ ids: Set<UUID>?, from: Date, until: Date, on sql: any SQLDatabase) async throws -> [UUID:
        OnCallSchedule]
    {
        if let ids, ids.isEmpty { return [:] }
        let select = sql.select().columns("id", "spec").from("oncall_schedules")
        if let ids { select.where("id", .in, SQLBind.group(Array(ids))) }
        var result: [UUID: OnCallSchedule] = [:]
        for row in try await select.all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let spec = try JSONDecoder()
                .decode(OnCallScheduleSpec.self, from: Data(try row.decode(column: "spec", as: String.self).utf8))
            result[id] = try spec.schedule(id: id)
        }
        return try await withOverrides(result, from: from, until: until, on: sql)
    }

    /// Schedules already read (`storedSchedules()`) made ready to answer "who is on call" between `from`
    /// and `until`: only their overrides are read.
    public func schedules(of stored: [StoredSchedule], from: Date, until: Date) async throws -> [UUID: OnCallSchedule] {
        var built: [UUID: OnCallSchedule] = [:]
        for schedule in stored { built[schedule.id] = try schedule.spec.schedule(id: schedule.id) }
        return try await Self.withOverrides(built, from: from, until: until, on: database.sql)
    }

    private static func withOverrides(
        _ schedules: [UUID: OnCallSchedule],
        from: Date,
        until: Date,
        on sql: any SQLDatabase
    ) async throws -> [UUID: OnCallSchedule] {
        var result = schedules
        guard !result.isEmpty else { return result }
        let overrides = try await sql.select()
            .columns("id", "schedule_id", "role", "person_id", "start_at", "end_at", "created_at")
            .from("oncall_overrides")
            .where("schedule_id", .in, SQLBind.group(Array(result.keys))).where("end_at", .greaterThan, SQLBind(from))
            .where("start_at", .lessThan, SQLBind(until))
            .orderBy("created_at").orderBy("id").all()
        for row in overrides {
            let scheduleID = try row.decode(column: "schedule_id", as: UUID.self)
            result[scheduleID]?.overrides.append(try override(row))
        }
        return result
    }

    /// Deletes a schedule and its overrides; false if there is none. A schedule that a policy pages, or
    /// that the paging settings take the operations owner from, stays: checked in the deleting transaction,
    /// it throws ``TierdeskError/conflict(_:)``.
    public func deleteSchedule(_ id: UUID) async throws -> Bool {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            if let policy = try await Self.policies(nil, on: sql).first(where: { $0.scheduleIDs.contains(id) }) {
                throw TierdeskError.conflict(
                    "The escalation policy \(policy.name) pages this schedule; change the policy first."
                )
            }
            if try await SettingsRepository.paging(on: sql).operationsScheduleId == id {
                throw TierdeskError.conflict(
                    "The paging settings take the operations owner from this schedule; change them first."
                )
            }
            try await sql.delete(from: "oncall_overrides").where("schedule_id", .equal, id).run()
            try await sql.delete(from: "calendar_feeds").where("subject_kind", .equal, "schedule")
                .where("subject_id", .equal, id).run()
            return try await sql.delete(from: "oncall_schedules").where("id", .equal, id).returning("id").all().count
                == 1
        }
    }

    // MARK: Overrides

    public func addOverride(_ override: OnCallOverride, to scheduleID: UUID, by actor: UUID?) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).insert(into: "oncall_overrides")
                .columns("id", "schedule_id", "role", "person_id", "start_at", "end_at", "created_at", "created_by")
                .values(
                    SQLBind(override.id),
                    SQLBind(scheduleID),
                    SQLBind(override.role.rawValue),
                    SQLBind(override.personID),
                    SQLBind(override.start),
                    SQLBind(override.end),
                    SQLBind(override.createdAt),
                    SQLBind(actor)
                )
                .run()
        }
    }

    /// The overrides of a schedule that end after `from`, oldest first.
    public func overrides(of scheduleID: UUID, endingAfter from: Date) async throws -> [OnCallOverride] {
        try await database.sql.select()
            .columns("id", "schedule_id", "role", "person_id", "start_at", "end_at", "created_at")
            .from("oncall_overrides")
            .where("schedule_id", .equal, scheduleID).where("end_at", .greaterThan, SQLBind(from)).orderBy("created_at")
            .orderBy("id").all().map(Self.override)
    }

    public func deleteOverride(_ id: UUID, of scheduleID: UUID) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "oncall_overrides").where("id", .equal, id)
                .where("schedule_id", .equal, scheduleID).returning("id").all().count == 1
        }
    }

    // MARK: Escalation policies

    /// Stores a new policy or replaces one; false if `replacing` and there is no such policy.
    @discardableResult
    public func savePolicy(_ policy: EscalationPolicy, at now: Date, replacing: Bool) async throws -> Bool {
        let spec = try Self.json(EscalationPolicySpec(policy))
        return try await database.write { db in
            let sql = db as! any SQLDatabase
            if replacing {
                return try await sql.update("escalation_policies").set("name", to: SQLBind(policy.name))
                    .set("spec", to: SQLBind(spec)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, policy.id).returning("id").all().count == 1
            }
            try await sql.insert(into: "escalation_policies").columns("id", "name", "spec", "created_at", "updated_at")
                .values(SQLBind(policy.id), SQLBind(policy.name), SQLBind(spec), SQLBind(now), SQLBind(now)).run()
            return true
        }
    }

    public func policies() async throws -> [EscalationPolicy] {
        try await Self.policies(nil, on: database.sql)
    }

    public func policy(_ id: UUID) async throws -> EscalationPolicy? {
        try await Self.policies([id], on: database.sql).first
    }

    static func policies(_ ids: [UUID]?, on sql: any SQLDatabase) async throws -> [EscalationPolicy] {
        let select = sql.select().columns("id", "spec").from("escalation_policies").orderBy("name").orderBy("id")
        if let ids { select.where("id", .in, SQLBind.group(ids)) }
        return try await select.all()
            .map { row in
                let id = try row.decode(column: "id", as: UUID.self)
                return try JSONDecoder()
                    .decode(EscalationPolicySpec.self, from: Data(try row.decode(column: "spec", as: String.self).utf8))
                    .policy(id: id)
            }
    }

    // MARK: Paging contacts

    /// A person's paging methods; empty means their e-mail address.
    public func contacts(of personID: UUID) async throws -> [ContactMethod] {
        try await Self.contacts([personID], on: database.sql)[personID] ?? []
    }

    static func contacts(_ people: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: [ContactMethod]] {
        guard !people.isEmpty else { return [:] }
        var result: [UUID: [ContactMethod]] = [:]
        for row in try await sql.select().columns("person_id", "methods").from("paging_contacts")
            .where("person_id", .in, SQLBind.group(Array(people))).all()
        {
            result[try row.decode(column: "person_id", as: UUID.self)] = try JSONDecoder()
                .decode([ContactMethod].self, from: Data(try row.decode(column: "methods", as: String.self).utf8))
        }
        return result
    }

    public func setContacts(_ methods: [ContactMethod], of personID: UUID, at now: Date) async throws {
        let text = try Self.json(methods)
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.delete(from: "paging_contacts").where("person_id", .equal, personID).run()
            try await sql.insert(into: "paging_contacts").columns("person_id", "methods", "updated_at")
                .values(SQLBind(personID), SQLBind(text), SQLBind(now)).run()
        }
    }

    // MARK: Calendar feeds

    /// What a calendar feed shows.
    public enum FeedSubject: Sendable, Equatable {
        case person(UUID)
        case schedule(UUID)

        var kind: String {
            switch self {
            case .person: "person"
            case .schedule: "schedule"
            }
        }

        var id: UUID {
            switch self {
            case .person(let id), .schedule(let id): id
            }
        }
    }

    /// Stores the hash of a new feed token for a subject; the previous token stops working.
    public func issueFeed(_ subject: FeedSubject, tokenHash: String, at now: Date) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.delete(from: "calendar_feeds").where("subject_kind", .equal, subject.kind)
                .where("subject_id", .equal, subject.id).run()
            try await sql.insert(into: "calendar_feeds")
                .columns("token_hash", "subject_kind", "subject_id", "created_at")
                .values(SQLBind(tokenHash), SQLBind(subject.kind), SQLBind(subject.id), SQLBind(now)).run()
        }
    }

    /// The subject of a feed token, by its hash.
    public func feedSubject(tokenHash: String) async throws -> FeedSubject? {
        guard
            let row = try await database.sql.select().columns("subject_kind", "subject_id").from("calendar_feeds")
                .where("token_hash", .equal, tokenHash).first()
        else { return nil }
        let id = try row.decode(column: "subject_id", as: UUID.self)
        return try row.decode(column: "subject_kind", as: String.self) == "person" ? .person(id) : .schedule(id)
    }

    // MARK: Rows

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func storedSchedule(_ row: any SQLRow) throws -> StoredSchedule {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return StoredSchedule(
            id: try row.decode(column: "id", as: UUID.self),
            spec: try decoder.decode(
                OnCallScheduleSpec.self,
                from: Data(try row.decode(column: "spec", as: String.self).utf8)
            ),
            coverage: try row.decode(column: "coverage", as: String?.self)
                .map { try decoder.decode(ScheduleCoverage.self, from: Data($0.utf8)) },
            coverageCheckedAt: try row.decode(column: "coverage_checked_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }

    private static func override(_ row: any SQLRow) throws -> OnCallOverride {
        OnCallOverride(
            id: try row.decode(column: "id", as: UUID.self),
            role: OnCallRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .primary,
            personID: try row.decode(column: "person_id", as: UUID.self),
            start: try row.decode(column: "start_at", as: Date.self),
            end: try row.decode(column: "end_at", as: Date.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }
}
