import Hummingbird
import Logging

/// One line per request once it is answered: method, path, status and time taken, carrying the
/// request id of the `X-Request-Id` header (the logger's `hb.request.id`). Outermost, so it sees
/// what every other middleware answered; the query is left out (it can carry names and emails).
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

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
        context.logger.info("request", metadata: [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "http.status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ])
    }
}
