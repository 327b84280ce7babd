import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// How an import runs.
public struct ImportOptions: Sendable {
    /// Reads and converts everything, stores nothing, and reports what would be created.
    public var dryRun = false
    /// The organisation of requesters the source gives none (created when first needed).
    public var defaultOrganisation: String
    /// The tier imported staff work on: other desks do not record one.
    public var staffTier: Tier = .l1

    public init(defaultOrganisation: String) {
        self.defaultOrganisation = defaultOrganisation
    }
}

/// Where an import is: its stage and, for tickets, how many of how many.
public struct ImportProgress: Sendable, Equatable {
    public var stage: String
    public var done: Int
    public var total: Int
}

/// Brings another desk's organisations, people, queues and tickets over (`tierdesk import`).
///
/// - Organisations, people and groups already in Tierdesk (the same name, the same address) are used, not
///   copied. People come without passwords: they sign in after a password reset or an invitation.
/// - Each ticket is stored in one transaction with its mapping, so running the import again skips what it
///   stored and an interrupted import resumes where it stopped.
/// - History keeps its instants and authors; the SLA clocks of open tickets are computed from it, alarms
///   already past count as fired, and nothing is mailed, paged or sent.
public struct ImportDesk: Sendable {
    let clock: any Clock
    let logger: Logger
    let imports: ImportRepository
    let directory: DirectoryRepository
    let groups: SupportGroupRepository
    let planner: any SLAPlanner
    let priorityMatrix: @Sendable () async throws -> PriorityMatrix

    /// A person as the import knows them: who they are and the organisation their tickets belong to.
    struct Known {
        var actor: ImportedActor
        var organisationID: UUID?
    }

    /// Runs an import; `progress` hears of each stage and each ticket.
    public func run(
        _ source: any ImportSource,
        options: ImportOptions,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportReport {
        let now = clock.now()
        var report = ImportReport()
        progress(ImportProgress(stage: "organisations", done: 0, total: 0))
        let organisations = try await importOrganisations(source, options, now, &report)
        progress(ImportProgress(stage: "people", done: 0, total: 0))
        var defaultOrganisation: (id: UUID, created: Bool)?
        let people = try await importPeople(source, options, organisations, now, &report) {
            if let known = defaultOrganisation { return known.id }
            let found: (id: UUID, created: Bool) = try await organisation(
                named: options.defaultOrganisation,
                options,
                now
            )
            defaultOrganisation = found
            return found.id
        }
        if defaultOrganisation?.created == true { report.organisations.created += 1 }
        progress(ImportProgress(stage: "groups", done: 0, total: 0))
        let queues = try await importQueues(source, options, &report)
        try await importTickets(source, options, people, queues, now, &report, progress)
        logger.notice(
            "Import finished",
            metadata: [
                "source": "\(source.name)", "dryRun": "\(options.dryRun)",
                "tickets": "\(report.tickets.created)", "skipped": "\(report.tickets.skipped)",
                "failed": "\(report.tickets.failed)",
            ]
        )
        return report
    }

    private func importOrganisations(
        _ source: any ImportSource,
        _ options: ImportOptions,
        _ now: Date,
        _ report: inout ImportReport
    ) async throws -> [String: UUID] {
        var mapped = try await imports.mappings(source: source.name, kind: .organisation)
        var byName = Dictionary(
            try await directory.organisations().map { ($0.name.lowercased(), $0.id) },
            uniquingKeysWith: { first, _ in first }
        )
        for organisation in try await source.organisations() {
            if mapped[organisation.sourceID] != nil {
                report.organisations.skipped += 1
                continue
            }
            let name = String(ImportConversion.title(organisation.name).prefix(TextLimits.name))
            let id: UUID
            if let existing = byName[name.lowercased()] {
                id = existing
                report.organisations.skipped += 1
            } else {
                id = UUID.timeOrdered()
                if !options.dryRun {
                    try await directory.save(
                        Organisation(
                            id: id,
                            name: name,
                            sharesTickets: organisation.sharesTickets,
                            createdAt: organisation.createdAt ?? now
                        )
                    )
                }
                byName[name.lowercased()] = id
                report.organisations.created += 1
            }
            if !options.dryRun {
                try await imports.remember(
                    source: source.name,
                    kind: .organisation,
                    sourceID: organisation.sourceID,
                    target: id,
                    at: now
                )
            }
            mapped[organisation.sourceID] = id
        }
        return mapped
    }

    /// The organisation named `name`, and whether it had to be created.
    private func organisation(named name: String, _ options: ImportOptions, _ now: Date) async throws -> (
        id: UUID, created: Bool
    ) {
        let existing = try await directory.organisations().first { $0.name.lowercased() == name.lowercased() }
        if let existing { return (existing.id, false) }
        let organisation = Organisation(id: UUID.timeOrdered(), name: name, sharesTickets: false, createdAt: now)
        if !options.dryRun { try await directory.save(organisation) }
        return (organisation.id, true)
    }

    private func importPeople(
        _ source: any ImportSource,
        _ options: ImportOptions,
        _ organisations: [String: UUID],
        _ now: Date,
        _ report: inout ImportReport,
        defaultOrganisation: () async throws -> UUID
    ) async throws -> [String: Known] {
        let mapped = try await imports.mappings(source: source.name, kind: .person)
        var known: [String: Known] = [:]
        let stored = Dictionary(
            try await directory.people(ids: Set(mapped.values)).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        for (sourceID, id) in mapped {
            guard let person = stored[id] else { continue }
            known[sourceID] = Known(
                actor: ImportedActor(id: id, isStaff: person.actor.isStaff),
                organisationID: person.organisationID
            )
        }
        for imported in try await source.people() {
            if known[imported.sourceID] != nil {
                report.people.skipped += 1
                continue
            }
            let email =
                imported.email.map(Person.normalisedEmail).flatMap { Person.isPlausibleEmail($0) ? $0 : nil }
                ?? Self.standInEmail(imported.sourceID, source: source.name)
            if let existing = try await directory.person(email: email) {
                known[imported.sourceID] = Known(
                    actor: ImportedActor(id: existing.id, isStaff: existing.actor.isStaff),
                    organisationID: existing.organisationID
                )
                report.people.skipped += 1
            } else {
                var organisationID: UUID?
                if !imported.isStaff {
                    if let mapped = imported.organisation.flatMap({ organisations[$0] }) {
                        organisationID = mapped
                    } else {
                        organisationID = try await defaultOrganisation()
                    }
                }
                let name = String(ImportConversion.title(imported.name).prefix(TextLimits.name))
                let person = Person(
                    id: UUID.timeOrdered(),
                    email: email,
                    name: name == "(no subject)" ? email : name,
                    roles: imported.isStaff ? [.agent] : [.requester],
                    tier: imported.isStaff ? options.staffTier : nil,
                    organisationID: organisationID,
                    active: imported.active,
                    createdAt: imported.createdAt ?? now
                )
                do {
                    try Person.validate(
                        email: person.email,
                        name: person.name,
                        roles: person.roles,
                        tier: person.tier,
                        organisationID: person.organisationID,
                        vendorID: nil
                    )
                } catch {
                    report.people.failed += 1
                    report.note(
                        "person \(imported.sourceID.prefix(80)): \(error.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))"
                    )
                    continue
                }
                if !options.dryRun { try await directory.save(person) }
                known[imported.sourceID] = Known(
                    actor: ImportedActor(id: person.id, isStaff: imported.isStaff),
                    organisationID: organisationID
                )
                report.people.created += 1
            }
            if !options.dryRun, let id = known[imported.sourceID]?.actor.id {
                try await imports.remember(
                    source: source.name,
                    kind: .person,
                    sourceID: imported.sourceID,
                    target: id,
                    at: now
                )
            }
        }
        return known
    }

    /// An address under `.invalid` (RFC 2606) for a person the source knows without a usable one.
    static func standInEmail(_ sourceID: String, source: String) -> String {
        func slug(_ text: String, limit: Int) -> String {
            let kept = text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
            return String(String(kept).split(separator: "-").joined(separator: "-").prefix(limit))
        }
        let local = slug(sourceID, limit: 64)
        return "\(local.isEmpty ? "person" : local)@\(slug(source, limit: 60)).invalid"
    }

    private func importQueues(_ source: any ImportSource, _ options: ImportOptions, _ report: inout ImportReport)
        async throws -> [String: ImportedGroup]
    {
        var existing = Dictionary(
            try await groups.all().map { ($0.name.lowercased(), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var queues: [String: ImportedGroup] = [:]
        for queue in try await source.queues() {
            let name = String(ImportConversion.title(queue.name).prefix(TextLimits.label))
            if let group = existing[name.lowercased()] {
                queues[queue.sourceID] = ImportedGroup(name: group.name, tier: group.tier)
                report.groups.skipped += 1
                continue
            }
            let group = SupportGroup(name: name, tier: nil, leadID: nil)
            if !options.dryRun { try await groups.save(group) }
            existing[name.lowercased()] = group
            queues[queue.sourceID] = ImportedGroup(name: name, tier: nil)
            report.groups.created += 1
        }
        return queues
    }

    private func importTickets(
        _ source: any ImportSource,
        _ options: ImportOptions,
        _ people: [String: Known],
        _ queues: [String: ImportedGroup],
        _ now: Date,
        _ report: inout ImportReport,
        _ progress: @escaping @Sendable (ImportProgress) -> Void
    ) async throws {
        let ids = try await source.ticketIDs()
        var targets = try await imports.mappings(source: source.name, kind: .ticket)
        let coming = Set(ids)
        let conversion = ImportConversion(
            vocabulary: source.vocabulary,
            matrix: try await priorityMatrix(),
            sourceLabel: source.label,
            maxFileBytes: Limits.attachmentBytes
        )
        let actors = people.mapValues(\.actor)
        let waiting = ids.filter { targets[$0] == nil }
        report.tickets.skipped += ids.count - waiting.count
        var done = ids.count - waiting.count
        progress(ImportProgress(stage: "tickets", done: done, total: ids.count))
        var fetched = TicketFetcher(source: source, ids: waiting)
        defer { fetched.cancel() }
        while let (id, result) = try await fetched.next() {
            done += 1
            defer { progress(ImportProgress(stage: "tickets", done: done, total: ids.count)) }
            let imported: ImportedTicket
            switch result {
            case .success(let ticket): imported = ticket
            case .failure(let error):
                report.tickets.failed += 1
                report.note("ticket \(id.prefix(40)): \(error.description)")
                continue
            }
            guard let requester = people[imported.requester] else {
                report.tickets.failed += 1
                report.note(
                    "ticket \(id.prefix(40)): its requester \(imported.requester.prefix(80)) is not among the people"
                )
                continue
            }
            let organisationID = requester.organisationID ?? Organisation.internalID
            let ticketID = UUID.timeOrdered()
            let build: @Sendable (Int) -> ConvertedTicket = { number in
                conversion.convert(
                    imported,
                    id: ticketID,
                    number: number,
                    requester: (requester.actor.id, organisationID),
                    people: actors,
                    queues: queues
                )
            }
            let converted: ConvertedTicket
            if options.dryRun {
                converted = build(0)
            } else {
                guard
                    let stored = try await imports.storeTicket(
                        source: source.name,
                        sourceID: id,
                        at: now,
                        planner: planner,
                        build: build
                    )
                else {
                    report.tickets.skipped += 1
                    continue
                }
                converted = stored
            }
            targets[id] = ticketID
            report.tickets.created += 1
            report.events += converted.events.count
            report.files += converted.files.count
            for note in converted.notes { report.note("ticket \(id.prefix(40)): \(note)") }
            var links: [TicketLink] = []
            for link in imported.links {
                guard let other = targets[link.other] else {
                    // The other end stores the link when it comes, if it is among the tickets imported.
                    if !coming.contains(link.other) {
                        report.links.failed += 1
                        report.note("ticket \(id.prefix(40)): its link to \(link.other.prefix(40)) leaves the import")
                    }
                    continue
                }
                links.append(
                    TicketLink(
                        ticketID: link.incoming ? other : ticketID,
                        kind: link.kind,
                        targetID: link.incoming ? ticketID : other,
                        createdAt: converted.ticket.createdAt
                    )
                )
            }
            let added = options.dryRun ? links.count : try await imports.storeLinks(links)
            report.links.created += added
            report.links.skipped += links.count - added
        }
    }
}

/// Reads tickets from a source a few at a time ahead of the one being stored (the source's answers are the
/// slow part of an import), and hands them over in their order. A ticket the source cannot give comes as a
/// failure; a source that cannot be read at all stops the import by throwing.
struct TicketFetcher {
    /// Tickets read at once.
    static let window = 4
    let source: any ImportSource
    let ids: [String]
    private var started = 0
    private var handed = 0
    private var running: [Int: Task<Result<ImportedTicket, ImportSourceError>, any Error>] = [:]

    init(source: any ImportSource, ids: [String]) {
        self.source = source
        self.ids = ids
    }

    /// The next ticket in order, or nil after the last.
    mutating func next() async throws -> (String, Result<ImportedTicket, ImportSourceError>)? {
        guard handed < ids.count else { return nil }
        while started < ids.count, started < handed + Self.window {
            let (source, id) = (source, ids[started])
            running[started] = Task {
                do {
                    return .success(try await source.ticket(id))
                } catch let error as ImportSourceError where error.concernsOneRecord {
                    return .failure(error)
                }
            }
            started += 1
        }
        let task = running.removeValue(forKey: handed)!
        let id = ids[handed]
        handed += 1
        do {
            return (
                id,
                try await withTaskCancellationHandler {
                    try await task.value
                } onCancel: {
                    task.cancel()
                }
            )
        } catch {
            cancel()
            throw error
        }
    }

    /// Stops the reads still running.
    mutating func cancel() {
        for task in running.values { task.cancel() }
        running.removeAll()
    }
}
