import Foundation
import Hummingbird
import Store

/// `/tokens`: the caller's API tokens for scripts (`Authorization: Bearer`), `read` or `write`.
struct TokenController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("tokens", use: list)
        group.post("tokens", use: create)
        group.delete("tokens/:tokenId", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        let tokens = try await database.credentials(userId: identity.user.id, kind: .token)
        return try APIResponse.json(tokens.map { TokenDTO($0) }, context: context)
    }

    /// The secret is in this answer only; the server keeps its hash.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        try identity.requireSession()
        let body = try await JSONBody.read(TokenRequest.self, from: request, context: context).value
        let name = try ProjectController.validName(JSONBody.bounded(body.name, "name", maxLength: 100))
        if let days = body.expiresInDays, !(1...3650).contains(days) {
            throw APIError.invalid("'expiresInDays' must be 1…3650", details: [.init(path: "/expiresInDays", message: "must be a whole number of days in 1...3650, or null for no expiry")])
        }
        let secret = Secret.make()
        let now = Date()
        let token = Credential(id: Identifier.make(), userId: identity.user.id, kind: .token, name: name, scope: body.scope,
                               secretHash: Secret.hash(secret), createdAt: now,
                               expiresAt: body.expiresInDays.map { now.addingTimeInterval(Double($0) * 86_400) })
        try await database.insertCredential(token)
        return try APIResponse.json(TokenDTO(token, secret: secret), status: .created, context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn
        try identity.requireSession()
        let id = try context.parameters.require("tokenId")
        guard try await database.deleteCredential(id: id, userId: identity.user.id, kind: .token) else { throw APIError.notFound("token") }
        return Response(status: .noContent)
    }
}
