import Hummingbird

/// Marks every API answer `Cache-Control: private, no-store` unless the handler chose otherwise: API
/// answers carry tickets and people, and neither a shared proxy nor the browser's disk may keep them.
/// Web pages get the same from ``Templates``.
struct NoStoreMiddleware: RouterMiddleware {
    typealias Context = TierdeskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        if response.headers[.cacheControl] == nil, request.uri.path.hasPrefix("/api/") {
            response.headers[.cacheControl] = "private, no-store"
        }
        return response
    }
}
