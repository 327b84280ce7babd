import Hummingbird
import TierdeskCore

/// The context of routes that need a signed-in caller. It is made from ``TierdeskRequestContext`` before
/// the handler runs and refuses the request with 401 when nobody is signed in, so a handler always has an
/// identity.
struct SignedInContext: ChildRequestContext {
    typealias ParentContext = TierdeskRequestContext

    var coreContext: CoreRequestContextStorage
    /// Who is calling, and how they proved it.
    let identity: Identity
    /// The client's address (see ``TierdeskRequestContext/clientAddress``).
    let clientAddress: String

    init(context: TierdeskRequestContext) throws {
        guard let identity = context.identity else { throw Problem.unauthorized() }
        coreContext = context.coreContext
        self.identity = identity
        clientAddress = context.clientAddress
    }

    /// The caller as the access policy sees them.
    var actor: Actor { identity.actor }

    var maxUploadSize: Int { TierdeskRequestContext.uploadLimit }
}
