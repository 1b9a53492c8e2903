import Foundation
import Hummingbird
import Store

/// Finds who a request acts for: `Authorization: Bearer <secret>` or the session cookie. Every
/// route behind it has `context.identity`; anything else is 401. A `read` token may only read.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    /// How stale a credential's `lastUsedAt` may get before a request writes it again: one write a
    /// minute per credential instead of one per request.
    var touchInterval: TimeInterval = 60

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = try SessionCookie.presentedSecret(request)
        guard let presented else { throw APIError.unauthenticated("sign in, or send Authorization: Bearer <token>") }
        let now = Date()
        guard Secret.isWellFormed(presented.secret[...]),
              let signedIn = try await database.signedIn(secretHash: Secret.hash(presented.secret), now: now)
        else {
            // A stale cookie is cleared so the browser stops sending it.
            let headers: HTTPFields = presented.fromCookie ? [.setCookie: SessionCookie.clearing(for: request, secure: false)] : [:]
            throw APIError.unauthenticated("the session or token is unknown, expired or revoked; sign in again", headers: headers)
        }
        if signedIn.credential.scope == .read, request.method != .get, request.method != .head {
            throw APIError(status: .forbidden, code: "READ_ONLY_TOKEN", message: "this token may only read; make a write token to change things")
        }
        if signedIn.credential.lastUsedAt.map({ now.timeIntervalSince($0) >= touchInterval }) ?? true {
            try await database.touchCredential(id: signedIn.credential.id, at: now)
        }
        var context = context
        context.identity = Identity(user: signedIn.user, credential: signedIn.credential)
        context.logger[metadataKey: "user.id"] = .string(signedIn.user.id)
        context.notes.userId = signedIn.user.id
        return try await next(request, context)
    }
}
