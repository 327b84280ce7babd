/// The two places on a schedule: the primary is paged first, the secondary backs them up.
public enum OnCallRole: String, StringEnum, Sendable {
    case primary, secondary
}
