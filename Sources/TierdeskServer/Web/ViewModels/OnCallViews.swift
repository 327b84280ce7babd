import Foundation
import TierdeskCore
import TierdeskStore

/// The console's on-call page: the coverage figure, open pages and each schedule with its gaps.
struct OnCallPageView {
    struct PageRow {
        var id: String
        var started: String
        var startedISO: String
        var severity: String
        var title: String
        var ticket: String?
        var ticketLink: String?
        var status: String
        var acknowledgedBy: String?
        var canAcknowledge: Bool
    }

    struct GapRow {
        var role: String
        var start: String
        var startISO: String
        var end: String
        var endISO: String
    }

    struct ScheduleRow {
        var id: String
        var name: String
        var timeZone: String
        var primary: String
        var secondary: String
        var percent: String
        var checkedAt: String?
        var checkedAtISO: String?
        var gaps: [GapRow]
        var hasGaps: Bool
        var moreGaps: Int?
    }

    var title = "On call"
    var user: UserView?
    var notice: String?
    var weeks = ScheduleCoverage.defaultWeeks
    var coveragePercent: String
    var pages: [PageRow]
    var hasPages: Bool
    var schedules: [ScheduleRow]
    var hasSchedules: Bool
    /// Managers and admins get the editors.
    var canManage: Bool
    var policies: [PolicyRow]
    var hasPolicies: Bool

    struct PolicyRow {
        var id: String
        var name: String
        var steps: Int
        var repeats: Int
    }

    /// Gaps listed per schedule; the rest are counted.
    static let shownGaps = 20

    init(
        user: UserView?,
        notice: String?,
        ratio: Double,
        schedules: OnCallDesk.SchedulesAt,
        pages: OnCallDesk.PagesWithNames,
        policies: [EscalationPolicy],
        canManage: Bool
    ) {
        self.user = user
        self.canManage = canManage
        self.policies = policies.map {
            PolicyRow(id: $0.id.uuidString.lowercased(), name: $0.name, steps: $0.steps.count, repeats: $0.repeats)
        }
        hasPolicies = !policies.isEmpty
        self.notice = notice
        coveragePercent = Self.percent(ratio)
        func name(_ id: UUID?, _ names: (UUID) -> String?) -> String? { id.map { names($0) ?? $0.uuidString } }
        self.pages = pages.pages.map { page in
            let ticket = page.ticketID.flatMap { pages.references[$0] }
            return PageRow(
                id: page.id.uuidString.lowercased(),
                started: DisplayTime.text(page.startedAt),
                startedISO: Timestamp.format(page.startedAt),
                severity: page.severity.rawValue,
                title: page.title,
                ticket: ticket,
                ticketLink: ticket.map { "/console/tickets/\($0)" },
                status: page.status.rawValue,
                acknowledgedBy: name(page.acknowledgedBy) { pages.people[$0]?.name },
                canAcknowledge: page.status == .triggered
            )
        }
        hasPages = !self.pages.isEmpty
        self.schedules = schedules.schedules.map { stored, onCall in
            let gaps = stored.coverage?.gaps ?? []
            return ScheduleRow(
                id: stored.id.uuidString.lowercased(),
                name: stored.spec.name,
                timeZone: stored.spec.timeZone,
                primary: name(onCall.primary) { schedules.names[$0] } ?? "nobody",
                secondary: name(onCall.secondary) { schedules.names[$0] } ?? "nobody",
                percent: stored.coverage.map { Self.percent($0.ratio) } ?? "–",
                checkedAt: stored.coverageCheckedAt.map(DisplayTime.text),
                checkedAtISO: stored.coverageCheckedAt.map(Timestamp.format),
                gaps: gaps.prefix(Self.shownGaps)
                    .map { gap in
                        GapRow(
                            role: gap.role.rawValue,
                            start: DisplayTime.text(gap.start),
                            startISO: Timestamp.format(gap.start),
                            end: DisplayTime.text(gap.end),
                            endISO: Timestamp.format(gap.end)
                        )
                    },
                hasGaps: !gaps.isEmpty,
                moreGaps: gaps.count > Self.shownGaps ? gaps.count - Self.shownGaps : nil
            )
        }
        hasSchedules = !self.schedules.isEmpty
    }

    /// A share as a percentage with two decimals, as the API rounds it.
    static func percent(_ ratio: Double) -> String { String(format: "%.2f", ScheduleCoverageDTO.percent(ratio)) }
}

/// The page a signed acknowledgement link opens: what the page is, and a button (a GET must not
/// acknowledge: mail scanners open links).
struct PageAcknowledgeView {
    var title = "Page"
    var user: UserView?
    var heading: String
    var severity: String
    var pageTitle: String
    var ticket: String?
    var status: String
    var acknowledgedBy: String?
    var canAcknowledge: Bool
    var action: String
    var person: String
    var personName: String
    var signature: String
}
