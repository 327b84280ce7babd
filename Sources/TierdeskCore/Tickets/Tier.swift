/// A support tier. L1 is the service desk, L2 application support, L3 engineering and L4 the vendor.
public enum Tier: String, StringEnum, Sendable, Comparable {
    case l1 = "L1"
    case l2 = "L2"
    case l3 = "L3"
    case l4 = "L4"

    var rank: Int {
        switch self {
        case .l1: 1
        case .l2: 2
        case .l3: 3
        case .l4: 4
        }
    }

    public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rank < rhs.rank }
}
