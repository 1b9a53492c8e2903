import Foundation
import Hummingbird
import Store

/// `/auth/*` and `/me`: first-run setup, sign-in and out, invites, the caller's profile and password.
struct AuthController {
    let accounts: Accounts

    var database: AppDatabase { accounts.database }

    /// Routes anyone may call.
    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("auth/setup", use: setupStatus)
        group.post("auth/setup", use: setup)
        group.post("auth/login", use: login)
        group.get("auth/invites/:secret", use: invite)
        group.post("auth/invites/:secret", use: acceptInvite)
    }

    /// Routes for a signed-in caller.
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/logout", use: logout)
        group.get("me", use: me)
        group.patch("me", use: rename)
        group.post("me/password", use: changePassword)
    }

    @Sendable func setupStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Status: Encodable { var required: Bool }
        return try APIResponse.json(Status(required: try await !database.hasAccounts()), context: context)
    }

    /// The first visit makes the first admin, only while no account exists.
    @Sendable func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(CredentialsRequest.self, from: request, context: context).value
        let email = try Accounts.validEmail(body.email)
        let password = try Accounts.validPassword(body.password)
        let name = try Accounts.name(body.name, email: email)
        guard try await !database.hasAccounts() else { throw Self.setupDone }
        let hash = try await accounts.passwords.hash(password)
        switch try await database.createFirstAdmin(email: email, name: name, passwordHash: hash) {
        case .done(let user):
            let session = accounts.newSession(userId: user.id)
            try await database.signIn(userId: user.id, session: session.credential)
            return try accounts.signedIn(user, secret: session.secret, request: request, context: context, status: .created)
        case .emailTaken:
            throw APIError.conflict("EMAIL_TAKEN", "another account uses this email")
        default:
            throw Self.setupDone
        }
    }

    private static let setupDone = APIError.conflict("SETUP_DONE", "the first account exists already; sign in instead")

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(CredentialsRequest.self, from: request, context: context).value
        if body.name != nil {
            throw APIError.invalid("unknown key 'name'", details: [.init(path: "/name", message: "is not a sign-in field")])
        }
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines)
        if let wait = await accounts.limiter.wait(address: context.clientAddress, email: email) {
            let seconds = max(1, Int(wait.components.seconds) + 1)
            throw APIError(status: .tooManyRequests, code: "RATE_LIMITED",
                           message: "too many failed sign-ins; try again in \(seconds) s", headers: [.retryAfter: String(seconds)])
        }
        let user = email.count <= 254 ? try await database.user(email: email) : nil
        guard try await accounts.passwords.verify(body.password, hash: body.password.utf8.count <= 72 ? user?.passwordHash : nil),
              let user
        else {
            await accounts.limiter.recordFailure(address: context.clientAddress, email: email)
            throw APIError(status: .unauthorized, code: "INVALID_CREDENTIALS", message: "the email or password is wrong")
        }
        await accounts.limiter.recordSuccess(email: email)
        guard user.disabledAt == nil else {
            throw APIError(status: .forbidden, code: "ACCOUNT_DISABLED", message: "this account is disabled; ask an admin")
        }
        let session = accounts.newSession(userId: user.id)
        try await database.signIn(userId: user.id, session: session.credential)
        var signedIn = user
        signedIn.lastSignInAt = Date()
        return try accounts.signedIn(signedIn, secret: session.secret, request: request, context: context)
    }

    /// Ends the session the request came with; an API token stays (delete it under /tokens).
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        if identity.credential.kind == .session {
            try await database.deleteCredential(id: identity.credential.id, userId: identity.user.id, kind: .session)
        }
        return Response(status: .noContent, headers: [.setCookie: SessionCookie.clearing(for: request, secure: accounts.secureCookies)])
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = try context.parameters.require("secret")
        guard Secret.isWellFormed(secret[...]), let found = try await database.invite(secretHash: Secret.hash(secret), now: Date()) else {
            throw APIError.notFound("invite (it may have been used or have expired)")
        }
        return try APIResponse.json(InviteInfoDTO(email: found.user.email, role: found.user.role, expiresAt: found.credential.expiresAt), context: context)
    }

    @Sendable func acceptInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = try context.parameters.require("secret")
        let body = try await JSONBody.read(AcceptInviteRequest.self, from: request, context: context).value
        let password = try Accounts.validPassword(body.password)
        let name = try body.name.map { try ProjectController.validName(JSONBody.bounded($0, "name", maxLength: 200)) }
        guard Secret.isWellFormed(secret[...]), let found = try await database.invite(secretHash: Secret.hash(secret), now: Date()) else {
            throw APIError.notFound("invite (it may have been used or have expired)")
        }
        let hash = try await accounts.passwords.hash(password)
        let session = accounts.newSession(userId: found.user.id)
        guard let user = try await database.acceptInvite(secretHash: Secret.hash(secret), passwordHash: hash, name: name, session: session.credential) else {
            throw APIError.notFound("invite (it may have been used or have expired)")
        }
        return try accounts.signedIn(user, secret: session.secret, request: request, context: context, status: .created)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIResponse.json(UserDTO(try context.signedIn.user), context: context)
    }

    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        let name = try await JSONBody.read(ProfileRequest.self, from: request, context: context).value.name
        let valid = try ProjectController.validName(JSONBody.bounded(name, "name", maxLength: 200))
        guard case .done(let user) = try await database.updateUser(id: identity.user.id, { $0.name = valid }) else {
            throw APIError.notFound("user")
        }
        return try APIResponse.json(UserDTO(user), context: context)
    }

    /// A new password signs out every other session of the user.
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        try identity.requireSession()
        let body = try await JSONBody.read(PasswordChangeRequest.self, from: request, context: context).value
        let password = try Accounts.validPassword(body.newPassword, key: "newPassword")
        guard body.currentPassword.utf8.count <= 72,
              try await accounts.passwords.verify(body.currentPassword, hash: identity.user.passwordHash)
        else {
            throw APIError.invalid("the current password is wrong", details: [.init(path: "/currentPassword", message: "is wrong")])
        }
        let hash = try await accounts.passwords.hash(password)
        try await database.setPassword(userId: identity.user.id, passwordHash: hash, keepingSession: identity.credential.id)
        return Response(status: .noContent)
    }
}
