/// What logged time was spent on, which decides how a statement bills it.
public enum TimeCategory: String, StringEnum, Sendable {
    /// Fixing what broke: counts against the plan's included hours.
    case breakFix = "break_fix"
    /// Advice on improving the client's use of the system: counts against the included hours too.
    case recommendation
    /// Work moved to a project: billed at the plan's project rate, outside the included hours.
    case project
    /// The client's own fault, done with their consent: billed at the out-of-scope rate.
    case outOfScope = "out_of_scope"
    /// Handling a vendor (L4) escalation: counts against the included hours.
    case vendor

    /// Whether billable time of this category uses up the plan's included hours.
    public var usesIncludedHours: Bool {
        switch self {
        case .breakFix, .recommendation, .vendor: true
        case .project, .outOfScope: false
        }
    }

    /// How people read it.
    public var label: String {
        switch self {
        case .breakFix: "Break & fix"
        case .recommendation: "Recommendation"
        case .project: "Project"
        case .outOfScope: "Out of scope"
        case .vendor: "Vendor"
        }
    }
}
