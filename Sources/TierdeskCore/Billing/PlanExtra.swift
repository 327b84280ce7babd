/// What a plan adds beyond break & fix, as the seed's tiers sell it.
public enum PlanExtra: String, StringEnum, Sendable {
    /// Advice on improving the client's use of the system.
    case recommendations
    /// Monitoring and answering around the clock.
    case monitoring24x7 = "monitoring_24x7"
    /// Upgrades applied without being asked.
    case automaticUpgrades = "automatic_upgrades"

    public var label: String {
        switch self {
        case .recommendations: "Recommendations"
        case .monitoring24x7: "24/7 monitoring"
        case .automaticUpgrades: "Automatic upgrades"
        }
    }
}
