import Foundation
import TierdeskCore

/// A customer's SLA report of a month, in the portal for its requesters and printable from the console
/// (one printed page per section).
struct CustomerReportPageView {
    struct PriorityRow {
        var priority: String
        var opened: Int
        var resolved: Int
    }

    struct ComplianceRow {
        var priority: String
        var clock: String
        var met: Int
        var breached: Int
        var open: Int
        var rate: String
    }

    struct ServiceRow {
        var service: String
        var sev1Tickets: Int
        var downtime: String
        var availability: String
    }

    var title: String
    var user: UserView?
    var organisation: String
    var month: String
    var timeZone: String
    var generatedAt: String
    /// Where the month links point: the portal or the console page of the organisation.
    var base: String
    var previous: String
    var next: String
    var priorities: [PriorityRow]
    var hasTickets: Bool
    var compliance: [ComplianceRow]
    var hasCompliance: Bool
    var respond: String
    var resolve: String
    var services: [ServiceRow]
    var hasOutages: Bool
    var measured: String
    /// Hours used against the plan, when the organisation had a contract.
    var hours: HoursView?

    struct HoursView {
        var plan: String
        var included: String
        var used: String
        var remaining: String
        var overage: String
        var share: String
    }

    init(_ view: ReportDesk.CustomerView, base: String, user: UserView?) {
        let report = view.customer
        let period = view.report.period
        let zone = period.timeZone
        self.user = user
        organisation = view.organisation.name
        month = period.label
        title = "SLA report \(period.label) · \(view.organisation.name)"
        timeZone = zone.identifier
        generatedAt = DisplayTime.local(view.report.now, in: zone)
        self.base = base
        let joiner = base.contains("?") ? "&" : "?"
        previous = base + joiner + "month=" + period.previous.label
        next = base + joiner + "month=" + period.next.label
        priorities = report.byPriority.map {
            PriorityRow(priority: $0.priority.rawValue, opened: $0.opened, resolved: $0.resolved)
        }
        hasTickets = !priorities.isEmpty
        compliance = report.compliance.map { row in
            ComplianceRow(
                priority: row.priority.rawValue,
                clock: ClockView.name(row.clock),
                met: row.met,
                breached: row.breached,
                open: row.running + row.paused,
                rate: ReportFormat.share(row.metShare)
            )
        }
        hasCompliance = !compliance.isEmpty
        respond = ReportFormat.duration(report.timeToRespond.wallSeconds)
        resolve = ReportFormat.duration(report.timeToResolve.wallSeconds)
        services = report.availability.map {
            ServiceRow(
                service: $0.serviceID.map { view.names.service($0) } ?? "no service named",
                sev1Tickets: $0.sev1Tickets,
                downtime: ReportFormat.duration($0.downtimeSeconds),
                availability: String(format: "%.2f %%", $0.ratio * 100)
            )
        }
        hasOutages = !services.isEmpty
        measured = ReportFormat.duration(report.measuredSeconds)
        hours = view.hours.map { month in
            let statement = month.statement
            return HoursView(
                plan: month.plan.name,
                included: statement.includedMinutes.map(DurationText.minutes) ?? "unlimited",
                used: DurationText.minutes(statement.usedMinutes),
                remaining: statement.remainingMinutes.map(DurationText.minutes) ?? "—",
                overage: DurationText.minutes(statement.overageMinutes),
                share: statement.usedPercent.map { "\($0) %" } ?? "—"
            )
        }
    }
}

/// The organisations a manager picks a customer report for.
struct CustomerChooserView {
    var title = "Customer SLA reports"
    var user: UserView?
    var organisations: [OptionView]
}
