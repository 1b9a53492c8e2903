import Crypto
import Foundation
import Hummingbird

/// `GET /metrics`: the Prometheus text exposition. Who may scrape depends on the configuration
/// (`CUTROOM_METRICS_TOKEN`, `CUTROOM_METRICS_ADDRESS`), decided once by `access(for:onOwnListener:)`.
struct MetricsController {
    enum Access: Sendable, Equatable {
        /// Not served here: 404, as for any unknown path.
        case off
        /// Only with `Authorization: Bearer <token>`; else 401.
        case token(String)
        /// Anyone who reaches the listener (the separate metrics address without a token).
        case open
    }

    let metrics: AppMetrics
    let queue: RenderQueue
    let events: RenderEvents
    let access: Access

    /// On the main port metrics need the token, and are off there when they have their own
    /// listener; on that listener the token is asked for only when one is set.
    static func access(for config: AppConfig, onOwnListener: Bool) -> Access {
        if onOwnListener { return config.metricsToken.map(Access.token) ?? .open }
        guard config.metricsAddress == nil, let token = config.metricsToken else { return .off }
        return .token(token)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("metrics").add(middleware: ErrorMiddleware()).get(use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        switch access {
        case .off:
            throw APIError.notFound("route")
        case .token(let token):
            guard let presented = Self.bearer(request), Self.sameSecret(presented, token) else {
                throw APIError.unauthenticated("metrics need Authorization: Bearer <CUTROOM_METRICS_TOKEN>")
            }
        case .open:
            break
        }
        let text = metrics.exposition(.init(
            queueDepth: await queue.depth, rendersRunning: await queue.runningCount, sseSubscribers: await events.subscriberCount))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// Compares digests byte by byte without stopping early: the time taken says nothing about
    /// how much of the token was right (nor, digests being fixed-size, its length).
    static func sameSecret(_ presented: String, _ expected: String) -> Bool {
        let a = Array(SHA256.hash(data: Data(presented.utf8)))
        let b = Array(SHA256.hash(data: Data(expected.utf8)))
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
