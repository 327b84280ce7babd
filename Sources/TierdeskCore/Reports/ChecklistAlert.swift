import Foundation

/// A breach of the checklist that managers hear of once: a Sev1 not answered within 15 minutes, an L2→L3
/// escalation without evidence, a vendor ticket outside the standard product, a data correction without
/// the privilege, a confirmed fix without a new article, a week whose L1 resolution rate fell under 60 %,
/// or a stretch in the coming days with nobody on call.
public struct ChecklistAlert: Sendable, Equatable {
    /// Names the occurrence; the same breach always has the same key, so it is raised once.
    public var key: String
    public var control: ChecklistControl.ID
    public var subject: String
    public var text: String
    /// The ticket it is about, if any.
    public var ticketNumber: Int?

    /// The slices whose tickets each break a control, with the control.
    static let offences: [(ReportSlice, ChecklistControl.ID, String)] = [
        (.sev1Late, .sev1Response, "was not answered within 15 minutes of becoming Sev1"),
        (.escalatedToL3WithoutEvidence, .escalationQuality, "went to L3 without reproduction steps and a log extract"),
        (
            .escalatedToVendorOutsideStandardProduct, .vendorTickets,
            "went to the vendor without a standard-product defect"
        ),
        (
            .correctedWithoutPrivilege, .privilegedAccess,
            "had its data corrected by someone outside L2, L3 and the admins"
        ),
        (.confirmedFixesWithoutNewArticle, .knownErrors, "was resolved as a confirmed fix without a new KEDB article"),
    ]

    /// The alerts of the tickets that broke a control in `recent`, and of `lastWeek` if its L1 resolution
    /// rate was missed.
    public static func alerts(in report: OperatingReport, recent: ReportPeriod, lastWeek: ReportPeriod)
        -> [ChecklistAlert]
    {
        var alerts: [ChecklistAlert] = []
        for (slice, control, what) in offences {
            for facts in report.tickets(slice, in: recent).reversed() {
                let reference = TicketReference.format(facts.number)
                alerts.append(
                    ChecklistAlert(
                        key: "\(control.rawValue):\(reference)",
                        control: control,
                        subject: "Checklist missed: \(control.title) · \(reference)",
                        text:
                            "\(reference) (\(facts.priority.rawValue), \(facts.title)) \(what).\n\nThe rule: \(control.rule).",
                        ticketNumber: facts.number
                    )
                )
            }
        }
        let l1 = report.measure(.l1Resolution, in: lastWeek)
        if l1.status == .missed, let value = l1.value {
            alerts.append(
                ChecklistAlert(
                    key: "\(ChecklistControl.ID.l1Resolution.rawValue):\(lastWeek.label)",
                    control: .l1Resolution,
                    subject:
                        "Checklist missed: L1 resolution rate \(Int((value * 100).rounded())) % in \(lastWeek.label)",
                    text: "L1 resolved \(l1.count) of the \(l1.total) tickets resolved in \(lastWeek.label) "
                        + "(\(Int((value * 100).rounded())) %).\n\nThe rule: \(ChecklistControl.ID.l1Resolution.rule).",
                    ticketNumber: nil
                )
            )
        }
        return alerts
    }

    /// The alert of a stretch in which a schedule's role has nobody on call.
    public static func coverageGap(_ gap: CoverageGap, schedule: String, scheduleID: UUID, in zone: TimeZone)
        -> ChecklistAlert
    {
        let from = LocalDateTime.text(gap.start, in: zone).replacingOccurrences(of: "T", with: " ")
        let until = LocalDateTime.text(gap.end, in: zone).replacingOccurrences(of: "T", with: " ")
        return ChecklistAlert(
            key:
                "\(ChecklistControl.ID.onCallCoverage.rawValue):\(scheduleID.uuidString):\(gap.role.rawValue):\(Timestamp.format(gap.start))",
            control: .onCallCoverage,
            subject: "Checklist at risk: nobody is \(gap.role.rawValue) on call for \(schedule) from \(from)",
            text:
                "The schedule \(schedule) has no \(gap.role.rawValue) from \(from) until \(until) (\(zone.identifier)).\n\n"
                + "The rule: \(ChecklistControl.ID.onCallCoverage.rule).",
            ticketNumber: nil
        )
    }
}
