import Hummingbird

/// Counts and times every request by method, route pattern and status (outermost, so it sees the status
/// the client gets). Paths no route matches share the route "NotFound" (the router's name for them), so a
/// scan of random URLs cannot grow the number of series.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: TierdeskMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let inFlight = metrics.inFlight
        inFlight.increment()
        metrics.answering.add(1, ordering: .relaxed)
        defer {
            inFlight.decrement()
            metrics.answering.subtract(1, ordering: .relaxed)
        }
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, context, status: status, since: started)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, status: status, since: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        metrics.recordRequest(
            method: request.method.rawValue,
            route: context.endpointPath ?? "NotFound",
            status: status,
            duration: .now - started
        )
    }
}
