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
        var name: String
        var timeZone: String
        var primary: String
        var secondary: String
        var percent: String
        var checkedAt: String?
        var gaps: [GapRow]
        var hasGaps: Bool
        var moreGaps: Int?
    }

    var title = "On call"
    var user: UserView?
    var notice: String?
    var error: String?
    var weeks = ScheduleCoverage.defaultWeeks
    var coveragePercent: String
    var pages: [PageRow]
    var hasPages: Bool
    var schedules: [ScheduleRow]
    var hasSchedules: Bool

    /// Gaps listed per schedule; the rest are counted.
    static let shownGaps = 20

    init(user: UserView?, notice: String?, error: String?, coverage: OnCallCoverageDTO, schedules: [ScheduleDTO], pages: [PageDTO]) {
        self.user = user
        self.notice = notice
        self.error = error
        coveragePercent = Self.percent(coverage.percent)
        self.pages = pages.map { page in
            PageRow(id: page.id.uuidString.lowercased(), started: DisplayTime.text(Timestamp.parse(page.startedAt)!), startedISO: page.startedAt, severity: page.severity.rawValue,
                    title: page.title, ticket: page.ticket, ticketLink: page.ticket.map { "/console/tickets/\($0)" }, status: page.status.rawValue,
                    acknowledgedBy: page.acknowledgedBy.map { $0.name ?? $0.id.uuidString }, canAcknowledge: page.status == .triggered)
        }
        hasPages = !pages.isEmpty
        self.schedules = schedules.map { schedule in
            let gaps = schedule.coverage?.gaps ?? []
            return ScheduleRow(name: schedule.name, timeZone: schedule.timeZone, primary: schedule.onCallNow.primary.map { $0.name ?? $0.id.uuidString } ?? "nobody",
                               secondary: schedule.onCallNow.secondary.map { $0.name ?? $0.id.uuidString } ?? "nobody",
                               percent: schedule.coverage.map { Self.percent($0.percent) } ?? "–", checkedAt: schedule.coverage?.checkedAt.flatMap(Timestamp.parse).map(DisplayTime.text),
                               gaps: gaps.prefix(Self.shownGaps).map { gap in
                                   GapRow(role: gap.role.rawValue, start: DisplayTime.text(Timestamp.parse(gap.start)!), startISO: gap.start, end: DisplayTime.text(Timestamp.parse(gap.end)!), endISO: gap.end)
                               },
                               hasGaps: !gaps.isEmpty, moreGaps: gaps.count > Self.shownGaps ? gaps.count - Self.shownGaps : nil)
        }
        hasSchedules = !schedules.isEmpty
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f", value) }
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
