import Hummingbird
import Logging

/// One line per request once it is answered: method, path, status and time taken, carrying the
/// request id of the `X-Request-Id` header (the logger's `hb.request.id`) and the caller's
/// `user.id` when one signed in. Outermost, so it sees what every other middleware answered; the
/// query is left out (it can carry names and emails). The same measurement feeds the HTTP metrics.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Requests by route and status, and their durations.
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status.code, since: started, context: context)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: error.status.code, since: started, context: context)
            throw error
        } catch {
            log(request, status: 500, since: started, context: context)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since started: ContinuousClock.Instant, context: Context) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // The router's pattern (`/api/v1/renders/{id}`), set when the route was found; static
        // files and unknown paths have their own names, so the label set stays small.
        metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unknown", status: status, duration: elapsed)
        var metadata: Logger.Metadata = [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "http.status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ]
        if let userId = context.notes.userId { metadata["user.id"] = .string(userId) }
        context.logger.info("request", metadata: metadata)
    }
}
