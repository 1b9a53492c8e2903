import Foundation
import Hummingbird

/// The browser session cookie: httpOnly (no script reads it), SameSite=Lax (other sites' forms
/// and fetches do not carry it), Secure when the public URL is https or a TLS proxy says so.
enum SessionCookie {
    static let name = "cutroom_session"
    static let lifetime: TimeInterval = 30 * 24 * 3600

    /// The secret a request presents, from `Authorization: Bearer` first, else the cookie.
    /// A present but malformed `Authorization` header is refused rather than ignored.
    static func presentedSecret(_ request: Request) throws(APIError) -> (secret: String, fromCookie: Bool)? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthenticated("the Authorization header must be 'Bearer <token>'")
            }
            return (String(parts[1].trimmingCharacters(in: .whitespaces)), false)
        }
        guard let cookie = request.cookies[name], !cookie.value.isEmpty else { return nil }
        return (cookie.value, true)
    }

    static func setting(_ secret: String, for request: Request, secure: Bool) -> String {
        Cookie(name: name, value: secret, maxAge: Int(lifetime), path: "/", secure: isSecure(request, secure), httpOnly: true, sameSite: .lax).description
    }

    static func clearing(for request: Request, secure: Bool) -> String {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: isSecure(request, secure), httpOnly: true, sameSite: .lax).description
    }

    private static func isSecure(_ request: Request, _ configured: Bool) -> Bool {
        configured || request.cameOverTLS
    }
}
