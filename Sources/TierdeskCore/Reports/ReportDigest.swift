import Foundation

/// The weekly digest managers get by mail: last week's checklist, a few figures, and the tickets behind
/// each missed control (the top offenders).
public enum ReportDigest {
    /// Offending tickets named per missed control.
    public static let offendersPerControl = 5

    /// The subject and plain text of the digest of `period` (a week); `link` opens the report.
    public static func mail(of report: OperatingReport, period: ReportPeriod, link: String)
        -> (subject: String, text: String)
    {
        let controls = report.checklist(for: period)
        let figures = report.figures(for: period)
        let missed = controls.filter { $0.status == .missed }
        var lines = ["The operating model's checklist for \(period.label) (\(period.timeZone.identifier)):", ""]
        for control in controls {
            let value = control.value.map { "\(Int(($0 * 100).rounded())) %" } ?? "no data"
            let counts = control.measured == nil ? "" : " (\(control.count) of \(control.total))"
            lines.append("- \(control.id.title): \(value)\(counts) · \(status(control.status))")
        }
        lines += [
            "",
            "Opened \(figures.opened), resolved \(figures.resolved), first-contact resolution \(figures.firstContact), "
                + "reopened \(figures.reopened); open at the end of the week: \(figures.backlog.reduce(0) { $0 + $1.total }).",
        ]
        for control in missed {
            guard let slice = control.offending else { continue }
            let offenders = report.tickets(slice, in: period)
            guard !offenders.isEmpty else { continue }
            lines += ["", "\(control.id.title) — \(control.id.rule):"]
            for facts in offenders.prefix(offendersPerControl) {
                lines.append("  \(TicketReference.format(facts.number)) \(facts.priority.rawValue) \(facts.title)")
            }
            if offenders.count > offendersPerControl {
                lines.append("  … and \(offenders.count - offendersPerControl) more")
            }
        }
        lines += ["", "The full report: \(link)", "", "You get this digest every Monday; stop it on the reports page."]
        let subject =
            missed.isEmpty
            ? "Weekly checklist \(period.label): every control met or at risk"
            : "Weekly checklist \(period.label): \(missed.count) missed (\(missed.map(\.id.title).joined(separator: ", ")))"
        return (subject, lines.joined(separator: "\n"))
    }

    static func status(_ status: ChecklistControl.Status) -> String {
        switch status {
        case .met: "met"
        case .atRisk: "at risk"
        case .missed: "MISSED"
        case .noData: "no data"
        }
    }
}
