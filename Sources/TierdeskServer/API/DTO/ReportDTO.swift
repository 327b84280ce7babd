import Foundation
import TierdeskCore

/// The period a report covers.
struct ReportPeriodDTO: Codable, Sendable, Equatable {
    /// As the `period` parameter takes it: `2026-11`, `2026-W47`, `2026-11-04` or `2026-11-01..2026-11-15`.
    var label: String
    var kind: ReportPeriod.Kind
    var start: String
    var end: String
    var timeZone: String

    init(_ period: ReportPeriod) {
        label = period.label
        kind = period.kind
        start = Timestamp.format(period.start)
        end = Timestamp.format(period.end)
        timeZone = period.timeZone.identifier
    }
}

/// The filters a report was computed with.
struct ReportFilterDTO: Codable, Sendable, Equatable {
    var organisation: UUID?
    var service: UUID?
    var group: String?
    var tier: Tier?
    var priority: Priority?
    var severity: Severity?
    var channel: Channel?

    init(_ filter: ReportFilter) {
        organisation = filter.organisationID
        service = filter.serviceID
        group = filter.group
        tier = filter.tier
        priority = filter.priority
        severity = filter.severity
        channel = filter.channel
    }
}

/// The seven controls of the operating model's checklist over a period.
struct ChecklistDTO: Codable, Sendable {
    var period: ReportPeriodDTO
    var filter: ReportFilterDTO
    var generatedAt: String
    var controls: [ChecklistControlDTO]

    init(_ report: ReportDesk.Report) {
        period = ReportPeriodDTO(report.period)
        filter = ReportFilterDTO(report.filter)
        generatedAt = Timestamp.format(report.now)
        controls = report.operating.checklist(for: report.period).map(ChecklistControlDTO.init)
    }

    /// The checklist as CSV, one row per control.
    static func csv(_ checklist: ChecklistDTO) -> String {
        CSVText.render(
            header: ["period", "control", "rule", "threshold", "value", "count", "total", "status"],
            rows: checklist.controls.map {
                [
                    checklist.period.label, $0.id.rawValue, $0.rule, String($0.threshold),
                    $0.value.map { String(format: "%.4f", $0) } ?? "", String($0.count), String($0.total),
                    $0.status.rawValue,
                ]
            }
        )
    }
}

/// One control: its rule, value, status, the slices to drill into and its trend.
struct ChecklistControlDTO: Codable, Sendable {
    var id: ChecklistControl.ID
    var title: String
    var rule: String
    /// The share the value must reach, 0 to 1.
    var threshold: Double
    /// The share that meets the rule, 0 to 1; null without data.
    var value: Double?
    var count: Int
    var total: Int
    var status: ChecklistControl.Status
    /// The slice of `/api/v1/reports/tickets` listing the tickets measured.
    var measured: String?
    /// The slice listing the tickets that break the rule.
    var offending: String?
    var trend: [ChecklistPointDTO]

    init(_ control: ChecklistControl) {
        id = control.id
        title = control.id.title
        rule = control.id.rule
        threshold = control.id.threshold
        value = control.value
        count = control.count
        total = control.total
        status = control.status
        measured = control.measured?.name
        offending = control.offending?.name
        trend = control.trend.map { ChecklistPointDTO(period: $0.period, value: $0.value, status: $0.status) }
    }
}

/// A control's value in one period of its trend.
struct ChecklistPointDTO: Codable, Sendable {
    var period: String
    var value: Double?
    var status: ChecklistControl.Status
}

/// Every figure of a period beyond the checklist.
struct ReportFiguresDTO: Codable, Sendable {
    struct TierShare: Codable, Sendable {
        var tier: Tier
        var resolved: Int
        var afterEscalation: Int
        var share: Double?
    }

    struct Compliance: Codable, Sendable {
        var priority: Priority
        var clock: SLAClockKind
        var met: Int
        var breached: Int
        var running: Int
        var paused: Int

        init(_ row: ReportFigures.Compliance) {
            priority = row.priority
            clock = row.clock
            met = row.met
            breached = row.breached
            running = row.running
            paused = row.paused
        }
    }

    struct Breaches: Codable, Sendable {
        var clock: SLAClockKind
        var tier: Tier
        var count: Int
    }

    struct MeanTime: Codable, Sendable {
        var tickets: Int
        var wallSeconds: Double?
        var businessSeconds: Double?

        init(_ mean: ReportFigures.MeanTime) {
            tickets = mean.tickets
            wallSeconds = mean.wallSeconds
            businessSeconds = mean.businessSeconds
        }
    }

    struct Backlog: Codable, Sendable {
        var tier: Tier
        /// Counts per age bucket, in the order of `ageBuckets`.
        var byAge: [Int]
        var total: Int
    }

    struct Flow: Codable, Sendable {
        var period: String
        var opened: Int
        var resolved: Int
    }

    struct ChannelCount: Codable, Sendable {
        var channel: Channel
        var count: Int
    }

    struct KnownErrors: Codable, Sendable {
        var written: Int
        var confirmedFixes: Int
        var resolvedAtL1: Int
    }

    struct Vendor: Codable, Sendable {
        var escalated: Int
        var standardProduct: Int
        var notStandardProduct: Int
    }

    struct Corrector: Codable, Sendable {
        var person: PersonRefDTO?
        var corrections: Int
        var privileged: Bool
    }

    var period: ReportPeriodDTO
    var filter: ReportFilterDTO
    var generatedAt: String
    var opened: Int
    var resolved: Int
    var tiers: [TierShare]
    var firstContact: Int
    var escalatedDespiteKnownError: Int
    var compliance: [Compliance]
    var breaches: [Breaches]
    var timeToRespond: MeanTime
    var timeToResolve: MeanTime
    var backlogAt: String
    var ageBuckets: [String]
    var backlog: [Backlog]
    var flow: [Flow]
    var handoffsPerTicket: Double?
    var reopened: Int
    var shortNotice: Int
    var byChannel: [ChannelCount]
    var byHour: [Int]
    var knownErrors: KnownErrors
    var vendor: Vendor
    var correctors: [Corrector]
    var onCall: OnCall
    var incidents: Incidents

    /// The major incidents declared in the period and how their cadence was kept.
    struct Incidents: Codable, Sendable {
        var declared: Int
        var sev1: Int
        var sev2: Int
        var updatesSent: Int
        var updatesMissed: Int
        var meanSecondsToResolve: Double?
        var reviewsMissing: Int

        init(_ f: IncidentFigures) {
            declared = f.declared
            sev1 = f.sev1
            sev2 = f.sev2
            updatesSent = f.updatesSent
            updatesMissed = f.updatesMissed
            meanSecondsToResolve = f.meanSecondsToResolve
            reviewsMissing = f.reviewsMissing
        }
    }

    /// Paging and out-of-hours work in the period.
    struct OnCall: Codable, Sendable {
        struct Person: Codable, Sendable {
            var person: PersonRefDTO
            var notifications: Int
            var acknowledged: Int
            var outOfHoursSeconds: Double
        }

        /// Share of role-time with someone on call, 0 to 1; absent without schedules.
        var coverage: Double?
        var pagesNotified: Int
        var acknowledged: Int
        var meanSecondsToAcknowledge: Double?
        var people: [Person]
    }

    init(
        _ report: ReportDesk.Report,
        _ figures: ReportFigures,
        onCall: OnCallFigures,
        incidents: IncidentFigures,
        names: NameBook
    ) {
        self.incidents = Incidents(incidents)
        period = ReportPeriodDTO(report.period)
        filter = ReportFilterDTO(report.filter)
        generatedAt = Timestamp.format(report.now)
        opened = figures.opened
        resolved = figures.resolved
        tiers = figures.tiers.map {
            TierShare(tier: $0.tier, resolved: $0.resolved, afterEscalation: $0.afterEscalation, share: $0.share)
        }
        firstContact = figures.firstContact
        escalatedDespiteKnownError = figures.escalatedDespiteKnownError
        compliance = figures.compliance.map(Compliance.init)
        breaches = figures.breaches.map { Breaches(clock: $0.clock, tier: $0.tier, count: $0.count) }
        timeToRespond = MeanTime(figures.timeToRespond)
        timeToResolve = MeanTime(figures.timeToResolve)
        backlogAt = Timestamp.format(figures.backlogAt)
        ageBuckets = ReportFigures.ageBuckets
        backlog = figures.backlog.map { Backlog(tier: $0.tier, byAge: $0.byAge, total: $0.total) }
        flow = figures.flow.map { Flow(period: $0.period, opened: $0.opened, resolved: $0.resolved) }
        handoffsPerTicket = figures.handoffsPerTicket
        reopened = figures.reopened
        shortNotice = figures.shortNotice
        byChannel = figures.byChannel.map { ChannelCount(channel: $0.channel, count: $0.count) }
        byHour = figures.byHour
        knownErrors = KnownErrors(
            written: figures.knownErrorsWritten,
            confirmedFixes: figures.confirmedFixes,
            resolvedAtL1: figures.resolvedFromKnownErrorAtL1
        )
        vendor = Vendor(
            escalated: figures.toVendor,
            standardProduct: figures.toVendorStandardProduct,
            notStandardProduct: figures.toVendor - figures.toVendorStandardProduct
        )
        correctors = figures.correctors.map {
            Corrector(
                person: $0.personID.map { PersonRefDTO(id: $0, name: names.people[$0]) },
                corrections: $0.corrections,
                privileged: $0.privileged
            )
        }
        self.onCall = OnCall(
            coverage: report.operating.measure(.onCallCoverage, in: report.period).value,
            pagesNotified: onCall.pagesNotified,
            acknowledged: onCall.acknowledged,
            meanSecondsToAcknowledge: onCall.meanSecondsToAcknowledge,
            people: onCall.people.map {
                OnCall.Person(
                    person: PersonRefDTO(id: $0.personID, name: names.people[$0.personID]),
                    notifications: $0.notifications,
                    acknowledged: $0.acknowledged,
                    outOfHoursSeconds: $0.outOfHoursSeconds
                )
            }
        )
    }
}

/// The tickets behind one figure.
struct ReportTicketsDTO: Codable, Sendable {
    var period: ReportPeriodDTO
    var filter: ReportFilterDTO
    var slice: String
    /// How many tickets the whole list holds.
    var count: Int
    var tickets: [ReportTicketDTO]
    @Nullable var nextCursor: String?

    init(_ list: ReportDesk.TicketList, names: NameBook) {
        period = ReportPeriodDTO(list.period)
        filter = ReportFilterDTO(list.filter)
        slice = list.slice.name
        count = list.total
        tickets = list.tickets.map { ReportTicketDTO($0, names: names) }
        nextCursor = list.next.map(String.init)
    }

    static func csv(_ list: ReportTicketsDTO) -> String {
        CSVText.render(
            header: [
                "reference", "title", "type", "channel", "organisation", "service", "tier", "priority", "severity",
                "status", "created_at", "responded_at", "resolved_at", "resolved_tier", "handoffs", "reopens",
            ],
            rows: list.tickets.map {
                [
                    $0.reference, $0.title, $0.type.rawValue, $0.channel.rawValue, $0.organisation.name ?? "",
                    $0.service?.name ?? "", $0.tier.rawValue, $0.priority.rawValue, $0.severity.rawValue,
                    $0.status.rawValue, $0.createdAt, $0.respondedAt ?? "", $0.resolvedAt ?? "",
                    $0.resolvedTier?.rawValue ?? "", String($0.handoffs), String($0.reopens),
                ]
            }
        )
    }
}

/// A reference to an organisation or service with its name.
struct NamedRefDTO: Codable, Sendable, Equatable {
    var id: UUID
    var name: String?
}

/// One ticket in a drill-down list.
struct ReportTicketDTO: Codable, Sendable {
    var reference: String
    var title: String
    var type: TicketType
    var channel: Channel
    var organisation: NamedRefDTO
    var service: NamedRefDTO?
    var tier: Tier
    var priority: Priority
    var severity: Severity
    var status: TicketStatus
    var createdAt: String
    var respondedAt: String?
    var resolvedAt: String?
    var resolvedTier: Tier?
    var handoffs: Int
    var reopens: Int

    init(_ facts: TicketFacts, names: NameBook) {
        reference = TicketReference.format(facts.number)
        title = facts.title
        type = facts.type
        channel = facts.channel
        organisation = NamedRefDTO(id: facts.organisationID, name: names.organisations[facts.organisationID])
        service = facts.serviceID.map { NamedRefDTO(id: $0, name: names.services[$0]) }
        tier = facts.tier
        priority = facts.priority
        severity = facts.severity
        status = facts.status
        createdAt = Timestamp.format(facts.createdAt)
        respondedAt = facts.respondedAt.map(Timestamp.format)
        resolvedAt = facts.resolvedAt.map(Timestamp.format)
        resolvedTier = facts.resolvedTier
        handoffs = facts.handoffs
        reopens = facts.reopens
    }
}

/// The audit list of data corrections in a period.
struct CorrectionsDTO: Codable, Sendable {
    struct Entry: Codable, Sendable {
        var ticket: String
        var at: String
        var person: PersonRefDTO?
        /// Whether the person may write data today (L2, L3 or admin).
        var privileged: Bool
        var reason: String
    }

    var period: ReportPeriodDTO
    var filter: ReportFilterDTO
    /// How many corrections the whole list holds.
    var count: Int
    var corrections: [Entry]
    @Nullable var nextCursor: String?

    init(_ list: ReportDesk.CorrectionList, names: NameBook) {
        period = ReportPeriodDTO(list.period)
        filter = ReportFilterDTO(list.filter)
        count = list.page.total
        corrections = list.page.corrections.map {
            Entry(
                ticket: TicketReference.format($0.ticketNumber),
                at: Timestamp.format($0.at),
                person: $0.actorID.map { PersonRefDTO(id: $0, name: names.people[$0]) },
                privileged: $0.actorID.map(list.correctors.contains) ?? false,
                reason: $0.reason
            )
        }
        nextCursor = list.page.next?.text
    }

    static func csv(_ list: CorrectionsDTO) -> String {
        CSVText.render(
            header: ["ticket", "at", "person_id", "person", "privileged", "reason"],
            rows: list.corrections.map {
                [
                    $0.ticket, $0.at, $0.person?.id.uuidString ?? "", $0.person?.name ?? "", String($0.privileged),
                    $0.reason,
                ]
            }
        )
    }
}

/// A customer organisation's SLA report of a month.
struct CustomerReportDTO: Codable, Sendable {
    struct PriorityCount: Codable, Sendable {
        var priority: Priority
        var opened: Int
        var resolved: Int
    }

    struct Availability: Codable, Sendable {
        /// The service; absent for Sev1 tickets without one.
        var service: NamedRefDTO?
        var sev1Tickets: Int
        var downtimeSeconds: Double
        /// 1 − downtime ÷ the measured seconds.
        var ratio: Double
    }

    var organisation: NamedRefDTO
    var period: ReportPeriodDTO
    var generatedAt: String
    var byPriority: [PriorityCount]
    var compliance: [ReportFiguresDTO.Compliance]
    var timeToRespond: ReportFiguresDTO.MeanTime
    var timeToResolve: ReportFiguresDTO.MeanTime
    /// The seconds availability is measured over: the month, or its part up to now.
    var measuredSeconds: Double
    var availability: [Availability]
    /// Hours used against the plan, when the organisation had a contract that month and the caller may see it.
    var supportHours: SupportHours?

    struct SupportHours: Codable, Sendable {
        var plan: String
        var includedMinutes: Int?
        var usedMinutes: Int
        var remainingMinutes: Int?
        var overageMinutes: Int
    }

    init(_ view: ReportDesk.CustomerView) {
        let report = view.customer
        organisation = NamedRefDTO(id: view.organisation.id, name: view.organisation.name)
        period = ReportPeriodDTO(view.report.period)
        generatedAt = Timestamp.format(view.report.now)
        byPriority = report.byPriority.map {
            PriorityCount(priority: $0.priority, opened: $0.opened, resolved: $0.resolved)
        }
        compliance = report.compliance.map(ReportFiguresDTO.Compliance.init)
        timeToRespond = ReportFiguresDTO.MeanTime(report.timeToRespond)
        timeToResolve = ReportFiguresDTO.MeanTime(report.timeToResolve)
        measuredSeconds = report.measuredSeconds
        availability = report.availability.map {
            Availability(
                service: $0.serviceID.map { NamedRefDTO(id: $0, name: view.names.services[$0]) },
                sev1Tickets: $0.sev1Tickets,
                downtimeSeconds: $0.downtimeSeconds,
                ratio: $0.ratio
            )
        }
        supportHours = view.hours.map {
            SupportHours(
                plan: $0.plan.name,
                includedMinutes: $0.statement.includedMinutes,
                usedMinutes: $0.statement.usedMinutes,
                remainingMinutes: $0.statement.remainingMinutes,
                overageMinutes: $0.statement.overageMinutes
            )
        }
    }
}

/// Whether the caller gets the weekly report digest by mail.
struct DigestSubscriptionDTO: Codable, Sendable {
    var subscribed: Bool
}
