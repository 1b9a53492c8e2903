import Foundation
import Hummingbird
import Logging
import Store

/// Signing in and the rules accounts share: what a valid email and password are, how a session
/// is made and handed to the browser, and the first admin.
struct Accounts: Sendable {
    let database: AppDatabase
    let passwords: Passwords
    let limiter: LoginLimiter
    /// `CUTROOM_PUBLIC_URL` is https: cookies are Secure.
    let secureCookies: Bool
    /// `scheme://host[:port]` of `CUTROOM_PUBLIC_URL`, for links in invites; nil uses the request's Host.
    let publicOrigin: String?

    static let inviteLifetime: TimeInterval = 7 * 24 * 3600

    /// A new session for `userId` and its secret.
    func newSession(userId: String) -> (credential: Credential, secret: String) {
        newCredential(.session, userId: userId, lifetime: SessionCookie.lifetime)
    }

    /// A new invite for `userId` and its secret.
    func newInvite(userId: String) -> (credential: Credential, secret: String) {
        newCredential(.invite, userId: userId, lifetime: Self.inviteLifetime)
    }

    private func newCredential(_ kind: Credential.Kind, userId: String, lifetime: TimeInterval) -> (credential: Credential, secret: String) {
        let secret = Secret.make()
        let now = Date()
        return (Credential(id: Identifier.make(), userId: userId, kind: kind, secretHash: Secret.hash(secret),
                           createdAt: now, expiresAt: now.addingTimeInterval(lifetime)), secret)
    }

    /// The answer to a successful sign-in: `{token, user}` and the session cookie.
    func signedIn(_ user: User, secret: String, request: Request, context: AppRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try APIResponse.json(SignInDTO(token: secret, user: UserDTO(user)), status: status,
                             headers: [.setCookie: SessionCookie.setting(secret, for: request, secure: secureCookies)], context: context)
    }

    /// The link an invitee opens: the web UI's invite page on the public origin.
    func inviteURL(_ secret: String, request: Request) -> String {
        let origin = publicOrigin ?? {
            let scheme = request.cameOverTLS ? "https" : "http"
            return "\(scheme)://\(request.head.authority ?? "localhost")"
        }()
        return "\(origin)/#/invite/\(secret)"
    }

    /// Creates the admin from `CUTROOM_ADMIN_EMAIL`/`CUTROOM_ADMIN_PASSWORD` when no account exists;
    /// otherwise says where the first visit sets one up.
    func bootstrap(email: String?, password: String?, url: String, logger: Logger) async throws {
        if let email, let password {
            let email = try Self.validEmail(email)
            if let problem = Passwords.problem(password) { throw StartupError(message: "CUTROOM_ADMIN_PASSWORD: \(problem)") }
            guard try await !database.hasAccounts() else { return }
            let hash = try await passwords.hash(password)
            switch try await database.createFirstAdmin(email: email, name: Self.defaultName(email), passwordHash: hash) {
            case .done(let user): logger.info("created the first admin", metadata: ["email": "\(user.email)"])
            default: break
            }
        } else if try await !database.hasAccounts() {
            logger.notice("no account yet: open \(url)/ to create the first admin")
        }
    }

    /// A trimmed email that looks like one: a local part, one `@`, a domain; no spaces or controls.
    static func validEmail(_ raw: String, key: String = "email") throws(APIError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // By Unicode scalar: as characters, an `@` followed by a combining mark or an emoji modifier is
        // one character and not an `@` at all.
        let parts = email.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard (3...254).contains(email.unicodeScalars.count), parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        else {
            throw APIError.invalid("'\(key)' is not an email address", details: [.init(path: "/\(key)", message: "must look like name@example.com")])
        }
        return email
    }

    /// A password that may be used; a 422 naming `key` otherwise.
    static func validPassword(_ password: String, key: String = "password") throws(APIError) -> String {
        if let problem = Passwords.problem(password) {
            throw APIError.invalid("'\(key)' cannot be used: \(problem)", details: [.init(path: "/\(key)", message: problem)])
        }
        return password
    }

    /// The name given, or the email's local part.
    static func name(_ raw: String?, email: String) throws -> String {
        guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return defaultName(email) }
        return try ProjectController.validName(JSONBody.bounded(raw, "name", maxLength: 200))
    }

    static func defaultName(_ email: String) -> String {
        email.unicodeScalars.split(separator: "@").first.map { String(String.UnicodeScalarView($0)) } ?? email
    }
}
