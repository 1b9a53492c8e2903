import Foundation
import Hummingbird
import NIOCore
import Store

/// Per-request state: the request id echoed in every envelope's `meta`, the client's address, and
/// who the request acts for (set by `AuthMiddleware` from a session cookie or bearer token).
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let requestId: String
    /// The peer's IP address (the proxy's, behind a reverse proxy).
    let clientAddress: String?
    /// The request's connection (to learn when its client leaves).
    let channel: any Channel
    /// Who the request acts for; nil on the public routes.
    var identity: Identity?
    /// What inner middleware learn for the outermost (the access log): contexts are values, and
    /// the copy `AuthMiddleware` fills in is not the one the access log holds.
    let notes = RequestNotes()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = Identifier.make()
        clientAddress = source.channel.remoteAddress?.ipAddress
        channel = source.channel
        // One id per request: the same in the X-Request-Id header, the error body and every log line.
        logger[metadataKey: "hb.request.id"] = .string(requestId)
    }

    /// The user the request acts for. Routes behind `AuthMiddleware` always have one.
    var userId: String {
        get throws(APIError) { try signedIn.user.id }
    }

    var signedIn: Identity {
        get throws(APIError) {
            guard let identity else { throw APIError.unauthenticated("sign in, or send Authorization: Bearer <token>") }
            return identity
        }
    }

    /// Runs `work`, cancelling it when the client closes the connection before it ends (a browser
    /// aborting a fetch): a request's task is not cancelled by that on its own, and some work (a
    /// playback segment render) is only worth doing while someone waits for it. A client that only
    /// half-closes after its request counts as gone too (browsers never do).
    func cancellingOnDisconnect<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        if let left = await ConnectionGuard.clientLeft(channel) {
            left.whenComplete { _ in task.cancel() }
        }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// JSON bodies (timelines are the largest) are read into memory up to this size; uploads stream instead.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}

/// Shared by every copy of one request's context.
final class RequestNotes: @unchecked Sendable {
    // Written once by AuthMiddleware, read after the answer; the lock makes that safe across tasks.
    private let lock = NSLock()
    private var _userId: String?

    var userId: String? {
        get { lock.withLock { _userId } }
        set { lock.withLock { _userId = newValue } }
    }
}

/// A signed-in caller: the user, and the session or token that proved it.
struct Identity: Sendable {
    var user: User
    var credential: Credential

    /// Managing tokens, users and the password needs a sign-in (cookie or login token), not an
    /// API token: a leaked script token must not mint more tokens or lock the owner out.
    func requireSession() throws(APIError) {
        guard credential.kind == .session else {
            throw APIError(status: .forbidden, code: "SESSION_REQUIRED", message: "this needs a signed-in session, not an API token")
        }
    }

    func requireAdmin() throws(APIError) {
        try requireSession()
        guard user.role == .admin else {
            throw APIError(status: .forbidden, code: "FORBIDDEN", message: "only an admin can do this")
        }
    }
}
