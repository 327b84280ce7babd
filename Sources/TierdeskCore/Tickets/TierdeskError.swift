/// The errors Core commands raise; each channel maps them to its own form (problem+json, a form message, a bounce).
public enum TierdeskError: Error, Sendable, Equatable {
    /// Input that cannot be accepted, with the offending fields.
    case invalid(ValidationFailure)
    /// The actor may not do this; the message says why.
    case forbidden(String)
    /// The thing does not exist or the actor may not know it exists.
    case notFound(String)
    /// A stale version or a duplicate; the message says what to do.
    case conflict(String)
    /// The desk cannot do this until it is set up or a service is back; the sender may try again later.
    case unavailable(String)

    /// Raises the error that matches an access decision.
    public static func check(_ decision: AccessDecision, notFound: @autoclosure () -> String) throws(TierdeskError) {
        switch decision {
        case .allowed: return
        case .forbidden(let reason): throw .forbidden(reason)
        case .hidden: throw .notFound(notFound())
        }
    }

    /// What went wrong, in words, whatever the kind.
    public var reason: String {
        switch self {
        case .invalid(let failure): failure.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        case .forbidden(let text), .notFound(let text), .conflict(let text), .unavailable(let text): text
        }
    }

    public static func invalid(field: String, _ message: String) -> TierdeskError {
        .invalid(ValidationFailure(field: field, message: message))
    }
}
