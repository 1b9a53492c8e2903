import Foundation
import Hummingbird
import Store

/// `/users` (admins only): invite, list, disable, change role, delete.
struct UserController {
    let accounts: Accounts
    let blobs: any BlobStore
    let queue: RenderQueue
    let segments: SegmentRenderer

    var database: AppDatabase { accounts.database }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: invite)
        group.post("users/:userId/invite", use: reissueInvite)
        group.patch("users/:userId", use: change)
        group.delete("users/:userId", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.signedIn.requireAdmin()
        return try APIResponse.json(try await database.users().map(UserDTO.init), context: context)
    }

    /// A new account waiting for its owner to open the one-time link and choose a password.
    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.signedIn.requireAdmin()
        let body = try await JSONBody.read(InviteRequest.self, from: request, context: context).value
        let email = try Accounts.validEmail(body.email)
        let user = User(id: Identifier.make(), email: email, name: try Accounts.name(body.name, email: email), createdAt: Date(), role: body.role ?? .member)
        let invite = accounts.newInvite(userId: user.id)
        switch try await database.inviteUser(user, invite: invite.credential) {
        case .done(let user):
            return try inviteAnswer(user, invite, request: request, context: context)
        case .emailTaken:
            throw APIError.conflict("EMAIL_TAKEN", "another account uses this email")
        default:
            throw APIError.notFound("user")
        }
    }

    /// A fresh link for someone who has not accepted yet; older links stop working.
    @Sendable func reissueInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.signedIn.requireAdmin()
        let id = try context.parameters.require("userId")
        let invite = accounts.newInvite(userId: id)
        switch try await database.reissueInvite(userId: id, invite: invite.credential) {
        case .done(let user):
            return try inviteAnswer(user, invite, request: request, context: context)
        case .setupDone:
            throw APIError.conflict("ALREADY_ACTIVE", "this user has accepted their invite already")
        default:
            throw APIError.notFound("user")
        }
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.signedIn
        try admin.requireAdmin()
        let id = try context.parameters.require("userId")
        let body = try await JSONBody.read(UserChangeRequest.self, from: request, context: context).value
        if id == admin.user.id, body.disabled == true || body.role == .member {
            throw APIError.conflict("SELF", "you cannot disable or demote yourself; ask another admin")
        }
        let now = Date()
        let result = try await database.updateUser(id: id) { user in
            if let disabled = body.disabled { user.disabledAt = disabled ? (user.disabledAt ?? now) : nil }
            if let role = body.role { user.role = role }
        }
        return try APIResponse.json(UserDTO(try Self.changed(result)), context: context)
    }

    /// Deletes the account with everything it owns: its renders stop first, then the rows go (one
    /// transaction), then its files.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.signedIn
        try admin.requireAdmin()
        let id = try context.parameters.require("userId")
        guard id != admin.user.id else { throw APIError.conflict("SELF", "you cannot delete your own account") }
        guard try await database.user(id: id) != nil else { throw APIError.notFound("user") }
        await queue.stop(try await database.activeRenders(userId: id).map(\.id))
        _ = try Self.changed(try await database.deleteUser(id: id))
        try await blobs.deleteAll(prefix: BlobKey.userPrefix(userId: id))
        await segments.forget(userId: id)
        return Response(status: .noContent)
    }

    private func inviteAnswer(_ user: User, _ invite: (credential: Credential, secret: String), request: Request, context: AppRequestContext) throws -> Response {
        try APIResponse.json(InviteDTO(user: UserDTO(user), inviteUrl: accounts.inviteURL(invite.secret, request: request),
                                       expiresAt: invite.credential.expiresAt ?? Date()), status: .created, context: context)
    }

    private static func changed(_ result: AccountChange) throws(APIError) -> User {
        switch result {
        case .done(let user): return user
        case .lastAdmin: throw APIError.conflict("LAST_ADMIN", "at least one active admin must remain")
        default: throw APIError.notFound("user")
        }
    }
}
