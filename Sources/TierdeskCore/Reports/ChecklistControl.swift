import Foundation

/// One control of the operating model's checklist (seed 000), measured over a period.
public struct ChecklistControl: Sendable, Equatable {
    public enum ID: String, StringEnum, Sendable {
        case l1Resolution = "l1_resolution"
        case escalationQuality = "escalation_quality"
        case sev1Response = "sev1_response"
        case vendorTickets = "vendor_tickets"
        case privilegedAccess = "privileged_access"
        case knownErrors = "kedb"
        case onCallCoverage = "oncall_coverage"

        /// The rule as the checklist states it.
        public var rule: String {
            switch self {
            case .l1Resolution: "L1 resolves at least 60 % of all volume"
            case .escalationQuality: "100 % of L2→L3 escalations carry logs and reproduction steps"
            case .sev1Response: "every Sev1 is answered within 15 minutes, 24/7"
            case .vendorTickets: "vendor tickets only for standard product defects"
            case .privilegedAccess: "only L2/L3 write data (corrections)"
            case .knownErrors: "one new KEDB article per confirmed bug fix"
            case .onCallCoverage: "100 % of shifts with a primary and a secondary"
            }
        }

        /// The control's short name.
        public var title: String {
            switch self {
            case .l1Resolution: "L1 resolution rate"
            case .escalationQuality: "Escalation quality"
            case .sev1Response: "Sev1 response"
            case .vendorTickets: "Vendor tickets"
            case .privilegedAccess: "Privileged access"
            case .knownErrors: "KEDB"
            case .onCallCoverage: "On-call coverage"
            }
        }

        /// The share the value must reach, 0 to 1.
        public var threshold: Double { self == .l1Resolution ? 0.6 : 1 }
    }

    public enum Status: String, StringEnum, Sendable {
        /// The rule holds with room to spare.
        case met
        /// The rule holds, but only just (within ``ChecklistControl/riskMargin`` of its threshold), or a Sev1
        /// is still waiting inside its 15 minutes.
        case atRisk = "at_risk"
        /// The rule was broken.
        case missed
        /// Nothing in the period to measure.
        case noData = "no_data"
    }

    /// The value of the control in one of the trailing periods.
    public struct Point: Sendable, Equatable {
        public var period: String
        public var value: Double?
        public var status: Status
    }

    public var id: ID
    /// The share that meets the rule, 0 to 1; nil without data.
    public var value: Double?
    /// What meets the rule (e.g. tickets resolved at L1) …
    public var count: Int
    /// … out of everything measured (e.g. tickets resolved).
    public var total: Int
    public var status: Status
    /// The tickets measured, for drill-down; nil when the control is not about tickets.
    public var measured: ReportSlice?
    /// The tickets that break the rule, for drill-down.
    public var offending: ReportSlice?
    /// The value in the trailing periods, oldest first, ending with this period.
    public var trend: [Point]

    /// How close above its threshold a share counts as at risk.
    public static let riskMargin = 0.05

    /// Judges a share against the control's threshold.
    static func status(of id: ID, count: Int, total: Int, pending: Bool = false) -> (Double?, Status) {
        guard total > 0 else { return (nil, .noData) }
        let value = Double(count) / Double(total)
        if value + 1e-9 < id.threshold { return (value, .missed) }
        if pending || (id.threshold < 1 && value < id.threshold + riskMargin) { return (value, .atRisk) }
        return (value, .met)
    }
}
