import Foundation

/// A list of tickets behind a figure of a report. Every number a report shows is the size of one of these
/// lists, so drilling into a number lists exactly the tickets it counted.
public enum ReportSlice: Hashable, Sendable {
    /// Opened in the period.
    case opened
    /// Last resolved (or closed) in the period and not reopened since.
    case resolved
    /// Resolved in the period while at a tier.
    case resolvedAt(Tier)
    /// Resolved in the period at a tier after having been escalated at some point.
    case resolvedAfterEscalationAt(Tier)
    /// Resolved in the period at first contact: no hand-off, no reopening, no follow-up by the requester.
    case firstContact
    /// Escalated from L1 in the period although a Known Error Database article had been applied at L1.
    case escalatedDespiteKnownError
    /// Resolved in the period by L1 from a Known Error Database article.
    case resolvedFromKnownErrorAtL1
    /// Escalated from L2 to L3 in the period.
    case escalatedToL3
    /// Escalated from L2 to L3 in the period without reproduction steps and a log extract.
    case escalatedToL3WithoutEvidence
    /// Escalated to a vendor (L4) in the period.
    case escalatedToVendor
    /// Escalated to a vendor in the period without the root cause isolated as a standard-product defect.
    case escalatedToVendorOutsideStandardProduct
    /// Became Sev1 in the period.
    case sev1
    /// Became Sev1 in the period and was not answered within ``OperatingReport/sev1ResponseLimit``.
    case sev1Late
    /// Resolved in the period as a confirmed defect, fixed.
    case confirmedFixes
    /// Resolved in the period as a confirmed fix without a Known Error Database article written for it.
    case confirmedFixesWithoutNewArticle
    /// Had a data correction in the period.
    case corrected
    /// Had a data correction in the period by someone outside L2, L3 and the admins.
    case correctedWithoutPrivilege
    /// Resolved in the period after having been reopened.
    case reopened
    /// Opened in the period, with an SLA clock in a state.
    case clock(SLAClockKind, TicketClock.State)
    /// Open at the end of the period (or now, for the current period).
    case backlog
    /// Open at the end of the period at a tier.
    case backlogAt(Tier)
    /// Opened in the period through a channel.
    case channel(Channel)
    /// Requests opened in the period with too little notice for their needed-by date.
    case shortNotice

    /// The slice's name in URLs and exports, e.g. `resolved:L1` or `clock:firstResponse:breached`.
    public var name: String {
        switch self {
        case .opened: "opened"
        case .resolved: "resolved"
        case .resolvedAt(let tier): "resolved:\(tier.rawValue)"
        case .resolvedAfterEscalationAt(let tier): "resolved-after-escalation:\(tier.rawValue)"
        case .firstContact: "first-contact"
        case .escalatedDespiteKnownError: "escalated-despite-kedb"
        case .resolvedFromKnownErrorAtL1: "resolved-from-kedb-at-L1"
        case .escalatedToL3: "escalated-to-L3"
        case .escalatedToL3WithoutEvidence: "escalated-to-L3:without-evidence"
        case .escalatedToVendor: "escalated-to-vendor"
        case .escalatedToVendorOutsideStandardProduct: "escalated-to-vendor:not-standard-product"
        case .sev1: "sev1"
        case .sev1Late: "sev1:late"
        case .confirmedFixes: "confirmed-fixes"
        case .confirmedFixesWithoutNewArticle: "confirmed-fixes:without-new-article"
        case .corrected: "corrected"
        case .correctedWithoutPrivilege: "corrected:without-privilege"
        case .reopened: "reopened"
        case .clock(let kind, let state): "clock:\(kind.rawValue):\(state.rawValue)"
        case .backlog: "backlog"
        case .backlogAt(let tier): "backlog:\(tier.rawValue)"
        case .channel(let channel): "channel:\(channel.rawValue)"
        case .shortNotice: "short-notice"
        }
    }

    static let plain: [ReportSlice] = [
        .opened, .resolved, .firstContact, .escalatedDespiteKnownError, .resolvedFromKnownErrorAtL1, .escalatedToL3,
        .escalatedToL3WithoutEvidence, .escalatedToVendor, .escalatedToVendorOutsideStandardProduct, .sev1,
        .sev1Late, .confirmedFixes, .confirmedFixesWithoutNewArticle, .corrected, .correctedWithoutPrivilege,
        .reopened, .backlog, .shortNotice,
    ]

    /// Every slice there is.
    public static let all: [ReportSlice] =
        plain
        + Tier.allCases.flatMap { [.resolvedAt($0), .resolvedAfterEscalationAt($0), .backlogAt($0)] }
        + Channel.allCases.map { .channel($0) }
        + SLAClockKind.allCases.flatMap { kind in TicketClock.State.allCases.map { .clock(kind, $0) } }

    /// Reads a slice's ``name``.
    public init?(name: String) {
        if let plain = Self.plain.first(where: { $0.name == name }) {
            self = plain
            return
        }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("resolved", 2):
            guard let tier = Tier(rawValue: parts[1]) else { return nil }
            self = .resolvedAt(tier)
        case ("resolved-after-escalation", 2):
            guard let tier = Tier(rawValue: parts[1]) else { return nil }
            self = .resolvedAfterEscalationAt(tier)
        case ("backlog", 2):
            guard let tier = Tier(rawValue: parts[1]) else { return nil }
            self = .backlogAt(tier)
        case ("channel", 2):
            guard let channel = Channel(rawValue: parts[1]) else { return nil }
            self = .channel(channel)
        case ("clock", 3):
            guard let kind = SLAClockKind(rawValue: parts[1]), let state = TicketClock.State(rawValue: parts[2])
            else { return nil }
            self = .clock(kind, state)
        default:
            return nil
        }
    }
}
