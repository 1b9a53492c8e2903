import Foundation
import Hummingbird
import Store

/// Per-request state: the request id echoed in every envelope's `meta`, and the user the request
/// acts for (set by the identity middleware; see `LocalUserMiddleware`).
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let requestId: String
    /// Who the request acts for; nil until a middleware has said.
    var identity: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = Identifier.make()
        // One id per request: the same in the X-Request-Id header, the error body and every log line.
        logger[metadataKey: "hb.request.id"] = .string(requestId)
    }

    /// The user the request acts for. Routes behind the identity middleware always have one.
    var userId: String {
        get throws(APIError) {
            guard let identity else {
                throw APIError(status: .unauthorized, code: "UNAUTHENTICATED", message: "the request has no user")
            }
            return identity
        }
    }

    /// JSON bodies (timelines are the largest) are read into memory up to this size; uploads stream instead.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}

/// Every request acts for the installation's single local user. Accounts will replace this
/// middleware with one that reads a session or token; handlers only ever read `context.userId`.
struct LocalUserMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let userId: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = userId
        return try await next(request, context)
    }
}
