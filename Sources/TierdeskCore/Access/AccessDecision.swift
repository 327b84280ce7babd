/// The answer of the ``AccessPolicy``.
public enum AccessDecision: Sendable, Equatable {
    case allowed
    /// The actor may see the ticket (or the action needs none) but may not do this.
    case forbidden(String)
    /// The actor may not even know the ticket exists: channels answer "not found".
    case hidden
}
