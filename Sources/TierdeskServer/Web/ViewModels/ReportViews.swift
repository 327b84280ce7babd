import Foundation
import TierdeskCore

/// The query string that reproduces a report (period, time zone, filters), for links and exports.
struct ReportQuery {
    var items: [(String, String)]

    init(_ report: ReportDesk.Report, period: ReportPeriod? = nil) {
        self.init(period: period ?? report.period, filter: report.filter)
    }

    init(period: ReportPeriod, filter: ReportFilter) {
        var items = [("period", period.label), ("tz", period.timeZone.identifier)]
        if let id = filter.organisationID { items.append(("organisation", id.uuidString)) }
        if let id = filter.serviceID { items.append(("service", id.uuidString)) }
        if let group = filter.group { items.append(("group", group)) }
        if let tier = filter.tier { items.append(("tier", tier.rawValue)) }
        if let priority = filter.priority { items.append(("priority", priority.rawValue)) }
        if let severity = filter.severity { items.append(("severity", severity.rawValue)) }
        if let channel = filter.channel { items.append(("channel", channel.rawValue)) }
        self.items = items
    }

    static let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+=?#"))

    var text: String {
        items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? "")" }
            .joined(separator: "&")
    }

    /// The drill-down page listing the tickets of `slice` of one priority (a compliance row's numbers).
    func tickets(_ slice: ReportSlice, priority: Priority) -> String? {
        var narrowed = self
        if !items.contains(where: { $0.0 == "priority" }) { narrowed.items.append(("priority", priority.rawValue)) }
        return narrowed.tickets(slice)
    }

    /// The drill-down page listing the tickets of `slice`.
    func tickets(_ slice: ReportSlice?) -> String? {
        slice.map {
            "/console/reports/tickets?\(text)&slice=\($0.name.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? "")"
        }
    }
}

/// How report pages write shares and durations.
enum ReportFormat {
    static func share(_ value: Double?) -> String {
        value.map { "\(Int(($0 * 100).rounded())) %" } ?? "—"
    }

    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "—" }
        if seconds < 90 * 60 { return "\(Int((seconds / 60).rounded())) min" }
        if seconds < 48 * 3600 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f d", seconds / 86_400)
    }

    static func status(_ status: ChecklistControl.Status) -> String {
        switch status {
        case .met: "Met"
        case .atRisk: "At risk"
        case .missed: "Missed"
        case .noData: "No data"
        }
    }
}

/// A number that links to the tickets behind it.
struct CountLink {
    var count: Int
    var link: String?
}

/// The console's reports page: the checklist first, then every figure of the period, with charts.
struct ReportPageView {
    struct ControlRow {
        var id: String
        var title: String
        var rule: String
        var value: String
        /// What meets the rule, out of `total`.
        var measuredCount: Int
        var total: CountLink?
        var offending: CountLink?
        var status: String
        var statusClass: String
        var chart: String
    }

    struct TierRow {
        var tier: String
        var resolved: CountLink
        var afterEscalation: CountLink
        var share: String
    }

    struct ComplianceRow {
        var priority: String
        var clock: String
        var met: CountLink
        var breached: CountLink
        var running: CountLink
        var paused: CountLink
        var rate: String
    }

    struct BacklogRow {
        var tier: String
        var byAge: [Int]
        var total: CountLink
    }

    struct LabelCount {
        var label: String
        var count: CountLink
    }

    struct CorrectorRow {
        var person: String
        var corrections: Int
        var privileged: Bool
    }

    /// Whether a manager gets the weekly digest.
    struct Digest {
        var subscribed: Bool
    }

    var title = "Reports"
    var user: UserView?
    var notice: String?
    var digest: Digest?
    var period: String
    var timeZone: String
    var range: String
    var generatedAt: String
    var previous: String
    var next: String
    var query: String
    var filters: ReportFilterForm
    var controls: [ControlRow]
    var opened: CountLink
    var resolved: CountLink
    var tiers: [TierRow]
    var tierChart: String
    var firstContact: CountLink
    var firstContactRate: String
    var escalatedDespiteKnownError: CountLink
    var compliance: [ComplianceRow]
    var hasCompliance: Bool
    var breaches: [LabelCount]
    var hasBreaches: Bool
    var respond: [String]
    var resolve: [String]
    var ageBuckets: [String]
    var backlog: [BacklogRow]
    var backlogAt: String
    var flowChart: String
    var handoffs: String
    var reopened: CountLink
    var shortNotice: CountLink
    var reopenRate: String
    var channels: [LabelCount]
    var hourChart: String
    var knownErrorsWritten: Int
    var confirmedFixes: CountLink
    var resolvedFromKnownErrorAtL1: CountLink
    var toVendor: CountLink
    var toVendorStandardProduct: Int
    var toVendorOther: CountLink
    var correctors: [CorrectorRow]
    var hasCorrectors: Bool
    var coverage: String

    /// A person's paging and out-of-hours load.
    struct OnCallRow {
        var person: String
        var notifications: Int
        var acknowledged: Int
        var outOfHours: String
    }

    var pagesNotified: Int
    var pagesAcknowledged: Int
    var timeToAcknowledge: String
    var onCallPeople: [OnCallRow]
    var hasOnCallPeople: Bool
    /// The period's major incidents.
    var incidents: IncidentFigures
    var incidentTimeToResolve: String

    init(
        _ report: ReportDesk.Report,
        figures: ReportFigures,
        onCall: OnCallFigures,
        incidents: IncidentFigures,
        names: NameBook,
        form: ReportFilterForm,
        user: UserView?
    ) {
        self.user = user
        self.incidents = incidents
        incidentTimeToResolve = incidents.meanSecondsToResolve.map(MajorIncident.durationText) ?? "—"
        let period = report.period
        let zone = period.timeZone
        let operating = report.operating
        let query = ReportQuery(report)
        self.query = query.text
        self.period = period.label
        timeZone = zone.identifier
        range = "\(DisplayTime.local(period.start, in: zone)) – \(DisplayTime.local(period.end, in: zone))"
        generatedAt = DisplayTime.local(report.now, in: zone)
        previous = ReportQuery(report, period: period.previous).text
        next = ReportQuery(report, period: period.next).text
        filters = form
        func link(_ slice: ReportSlice) -> CountLink {
            CountLink(count: operating.count(slice, in: period), link: query.tickets(slice))
        }
        let trailing = period.trailing(OperatingReport.trendLength)
        controls = operating.checklist(for: period)
            .map { control in
                ControlRow(
                    id: control.id.rawValue,
                    title: control.id.title,
                    rule: control.id.rule,
                    value: ReportFormat.share(control.value),
                    measuredCount: control.count,
                    total: control.measured.map { CountLink(count: control.total, link: query.tickets($0)) },
                    offending: control.offending.map {
                        CountLink(count: control.total - control.count, link: query.tickets($0))
                    },
                    status: ReportFormat.status(control.status),
                    statusClass: control.status.rawValue,
                    chart: SVGChart.shareLine(
                        id: "trend-\(control.id.rawValue)",
                        title: "\(control.id.title) over the last \(trailing.count) periods",
                        labels: trailing.map(\.shortLabel),
                        values: control.trend.map(\.value),
                        threshold: control.id.threshold
                    )
                )
            }
        opened = CountLink(count: figures.opened, link: query.tickets(.opened))
        resolved = CountLink(count: figures.resolved, link: query.tickets(.resolved))
        tiers = figures.tiers.map {
            TierRow(
                tier: $0.tier.rawValue,
                resolved: CountLink(count: $0.resolved, link: query.tickets(.resolvedAt($0.tier))),
                afterEscalation: CountLink(
                    count: $0.afterEscalation,
                    link: query.tickets(.resolvedAfterEscalationAt($0.tier))
                ),
                share: ReportFormat.share($0.share)
            )
        }
        tierChart = SVGChart.stackedShare(
            id: "tier-share",
            title: "Share of tickets resolved at each tier per period",
            labels: trailing.map(\.shortLabel),
            series: Tier.allCases.map { tier in
                SVGChart.Series(
                    name: tier.rawValue,
                    values: trailing.map { Double(operating.count(.resolvedAt(tier), in: $0)) }
                )
            }
        )
        firstContact = CountLink(count: figures.firstContact, link: query.tickets(.firstContact))
        firstContactRate = ReportFormat.share(
            figures.resolved > 0 ? Double(figures.firstContact) / Double(figures.resolved) : nil
        )
        escalatedDespiteKnownError = CountLink(
            count: figures.escalatedDespiteKnownError,
            link: query.tickets(.escalatedDespiteKnownError)
        )
        compliance = figures.compliance.map { row in
            ComplianceRow(
                priority: row.priority.rawValue,
                clock: ClockView.name(row.clock),
                met: CountLink(count: row.met, link: query.tickets(.clock(row.clock, .met), priority: row.priority)),
                breached: CountLink(
                    count: row.breached,
                    link: query.tickets(.clock(row.clock, .breached), priority: row.priority)
                ),
                running: CountLink(
                    count: row.running,
                    link: query.tickets(.clock(row.clock, .running), priority: row.priority)
                ),
                paused: CountLink(
                    count: row.paused,
                    link: query.tickets(.clock(row.clock, .paused), priority: row.priority)
                ),
                rate: ReportFormat.share(row.metShare)
            )
        }
        hasCompliance = !compliance.isEmpty
        breaches = figures.breaches.map {
            LabelCount(
                label: "\(ClockView.name($0.clock)) at \($0.tier.rawValue)",
                count: CountLink(count: $0.count, link: nil)
            )
        }
        hasBreaches = !breaches.isEmpty
        respond = [
            String(figures.timeToRespond.tickets), ReportFormat.duration(figures.timeToRespond.wallSeconds),
            ReportFormat.duration(figures.timeToRespond.businessSeconds),
        ]
        resolve = [
            String(figures.timeToResolve.tickets), ReportFormat.duration(figures.timeToResolve.wallSeconds),
            ReportFormat.duration(figures.timeToResolve.businessSeconds),
        ]
        ageBuckets = ReportFigures.ageBuckets
        backlog = figures.backlog.map {
            BacklogRow(
                tier: $0.tier.rawValue,
                byAge: $0.byAge,
                total: CountLink(count: $0.total, link: query.tickets(.backlogAt($0.tier)))
            )
        }
        backlogAt = DisplayTime.local(figures.backlogAt, in: zone)
        flowChart = SVGChart.bars(
            id: "flow",
            title: "Tickets opened and resolved per period",
            labels: trailing.map(\.shortLabel),
            series: [
                SVGChart.Series(name: "opened", values: figures.flow.map { Double($0.opened) }),
                SVGChart.Series(name: "resolved", values: figures.flow.map { Double($0.resolved) }),
            ]
        )
        handoffs = figures.handoffsPerTicket.map { String(format: "%.2f", $0) } ?? "—"
        reopened = CountLink(count: figures.reopened, link: query.tickets(.reopened))
        shortNotice = CountLink(count: figures.shortNotice, link: query.tickets(.shortNotice))
        reopenRate = ReportFormat.share(
            figures.resolved > 0 ? Double(figures.reopened) / Double(figures.resolved) : nil
        )
        channels = figures.byChannel.map {
            LabelCount(
                label: $0.channel.rawValue,
                count: CountLink(count: $0.count, link: query.tickets(.channel($0.channel)))
            )
        }
        hourChart = SVGChart.bars(
            id: "hours",
            title: "Tickets opened per hour of day (\(zone.identifier))",
            labels: (0..<24).map { String(format: "%02d", $0) },
            series: [SVGChart.Series(name: "opened", values: figures.byHour.map(Double.init))]
        )
        knownErrorsWritten = figures.knownErrorsWritten
        confirmedFixes = link(.confirmedFixes)
        resolvedFromKnownErrorAtL1 = link(.resolvedFromKnownErrorAtL1)
        toVendor = link(.escalatedToVendor)
        toVendorStandardProduct = figures.toVendorStandardProduct
        toVendorOther = link(.escalatedToVendorOutsideStandardProduct)
        correctors = figures.correctors.map {
            CorrectorRow(person: names.person($0.personID), corrections: $0.corrections, privileged: $0.privileged)
        }
        hasCorrectors = !correctors.isEmpty
        coverage = ReportFormat.share(operating.measure(.onCallCoverage, in: period).value)
        pagesNotified = onCall.pagesNotified
        pagesAcknowledged = onCall.acknowledged
        timeToAcknowledge = ReportFormat.duration(onCall.meanSecondsToAcknowledge)
        onCallPeople = onCall.people.map {
            OnCallRow(
                person: names.person($0.personID),
                notifications: $0.notifications,
                acknowledged: $0.acknowledged,
                outOfHours: ReportFormat.duration($0.outOfHoursSeconds)
            )
        }
        hasOnCallPeople = !onCallPeople.isEmpty
    }
}

/// The period and filter form of the report pages, with what is chosen.
struct ReportFilterForm {
    var period: String
    var timeZone: String
    var group: String
    var kinds: [OptionView]
    var organisations: [OptionView]
    var services: [OptionView]
    var tiers: [OptionView]
    var priorities: [OptionView]
    var severities: [OptionView]
    var channels: [OptionView]

    init(_ report: ReportDesk.Report, names: NameBook) {
        let filter = report.filter
        period = report.period.label
        timeZone = report.period.timeZone.identifier
        group = filter.group ?? ""
        func options<E: RawRepresentable<String> & CaseIterable>(_ chosen: E?, all: String) -> [OptionView] {
            [OptionView(value: "", label: all, selected: chosen == nil)]
                + E.allCases.map {
                    OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == chosen?.rawValue)
                }
        }
        kinds = [ReportPeriod.Kind.day, .week, .month]
            .map {
                OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0 == report.period.kind)
            }
        organisations =
            [OptionView(value: "", label: "all", selected: filter.organisationID == nil)]
            + names.organisations.sorted { $0.value < $1.value }
            .map {
                OptionView(value: $0.key.uuidString, label: $0.value, selected: $0.key == filter.organisationID)
            }
        services =
            [OptionView(value: "", label: "all", selected: filter.serviceID == nil)]
            + names.services.sorted { $0.value < $1.value }
            .map {
                OptionView(value: $0.key.uuidString, label: $0.value, selected: $0.key == filter.serviceID)
            }
        tiers = options(filter.tier, all: "all")
        priorities = options(filter.priority, all: "all")
        severities = options(filter.severity, all: "all")
        channels = options(filter.channel, all: "all")
    }
}

/// The tickets behind one figure.
struct ReportTicketsPageView {
    struct Row {
        var reference: String
        var title: String
        var organisation: String
        var tier: String
        var priority: String
        var status: String
        var created: String
        var resolved: String
    }

    var title = "Report tickets"
    var user: UserView?
    var heading: String
    var period: String
    var timeZone: String
    var query: String
    var slice: String
    var back: String
    var rows: [Row]
    var count: Int
    var hasRows: Bool
    /// The page after this one, when more follow.
    var next: String?
    /// The list's first page, when this is a later one.
    var first: String?

    init(_ list: ReportDesk.TicketList, names: NameBook, user: UserView?, page: ReportDesk.Page) {
        self.user = user
        let zone = list.period.timeZone
        let query = ReportQuery(period: list.period, filter: list.filter)
        self.query = query.text
        period = list.period.label
        timeZone = zone.identifier
        slice = list.slice.name
        heading = "\(ReportSliceTitle.text(list.slice)) · \(list.period.label)"
        back = "/console/reports?\(query.text)"
        var link = query.tickets(list.slice) ?? back
        if page.limit != ReportDesk.Page.defaultLimit { link += "&limit=\(page.limit)" }
        next = list.next.map { "\(link)&cursor=\($0)" }
        first = page.before == nil ? nil : link
        rows = list.tickets.map {
            Row(
                reference: TicketReference.format($0.number),
                title: $0.title,
                organisation: names.organisation($0.organisationID),
                tier: $0.tier.rawValue,
                priority: $0.priority.rawValue,
                status: $0.status.rawValue,
                created: DisplayTime.local($0.createdAt, in: zone),
                resolved: $0.resolvedAt.map { DisplayTime.local($0, in: zone) } ?? "—"
            )
        }
        count = list.total
        hasRows = !rows.isEmpty
    }
}

/// What each drill-down list holds, in words.
enum ReportSliceTitle {
    static func text(_ slice: ReportSlice) -> String {
        switch slice {
        case .opened: "Opened"
        case .resolved: "Resolved"
        case .resolvedAt(let tier): "Resolved at \(tier.rawValue)"
        case .resolvedAfterEscalationAt(let tier): "Resolved at \(tier.rawValue) after an escalation"
        case .firstContact: "Resolved at first contact"
        case .escalatedDespiteKnownError: "Escalated from L1 although a KEDB article was applied there"
        case .resolvedFromKnownErrorAtL1: "Resolved from the KEDB at L1"
        case .escalatedToL3: "Escalated from L2 to L3"
        case .escalatedToL3WithoutEvidence: "Escalated to L3 without reproduction steps and logs"
        case .escalatedToVendor: "Escalated to a vendor"
        case .escalatedToVendorOutsideStandardProduct: "Escalated to a vendor without a standard-product defect"
        case .sev1: "Sev1 tickets"
        case .sev1Late: "Sev1 tickets answered after 15 minutes"
        case .confirmedFixes: "Confirmed defects fixed"
        case .confirmedFixesWithoutNewArticle: "Confirmed fixes without a new KEDB article"
        case .corrected: "Tickets with data corrections"
        case .correctedWithoutPrivilege: "Data corrections by people outside L2/L3"
        case .reopened: "Resolved after a reopening"
        case .shortNotice: "Requests with too little notice for their needed-by date"
        case .clock(let kind, let state): "\(ClockView.name(kind)) \(state.rawValue)"
        case .backlog: "Open at the end of the period"
        case .backlogAt(let tier): "Open at \(tier.rawValue) at the end of the period"
        case .channel(let channel): "Opened through \(channel.rawValue)"
        }
    }
}
