import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import HTTPTypes
import Store

@testable import App

/// A user seeded straight into a server's database, with a session secret for `Authorization: Bearer`.
struct TestUser: Codable, Sendable {
    let id: String
    let email: String
    let password: String
    let token: String

    /// Writes the user (bcrypt at the lowest cost: tests check rules, not hashing time) and a
    /// session into the database at `path`; the server may be running (SQLite in WAL mode).
    static func seed(databaseAt path: String, email: String = "owner-\(Identifier.make().lowercased())@example.test",
                     role: User.Role = .admin, scope: Credential.Scope = .write, kind: Credential.Kind = .session) async throws -> TestUser {
        let database = try AppDatabase(path: path)
        let password = "password-\(UUID().uuidString)"
        let user = User(id: Identifier.make(), email: email, name: "Test \(role.rawValue)", createdAt: Date(),
                        passwordHash: Bcrypt.hash(password, cost: 4), role: role)
        let secret = Secret.make()
        let credential = Credential(id: Identifier.make(), userId: user.id, kind: kind, name: kind == .token ? "test" : "", scope: scope,
                                    secretHash: Secret.hash(secret), createdAt: Date(), expiresAt: nil)
        _ = try await database.inviteUser(user, invite: credential)
        return TestUser(id: user.id, email: email, password: password, token: secret)
    }

    /// Another credential for the same user (e.g. a read-only API token).
    func token(databaseAt path: String, scope: Credential.Scope, kind: Credential.Kind = .token) async throws -> String {
        let database = try AppDatabase(path: path)
        let secret = Secret.make()
        try await database.insertCredential(Credential(id: Identifier.make(), userId: id, kind: kind, name: "test \(scope.rawValue)",
                                                       scope: scope, secretHash: Secret.hash(secret), createdAt: Date(), expiresAt: nil))
        return secret
    }
}

/// A test client that signs every request in as one user (a bearer secret), unless the request
/// brings its own `Authorization` or `Cookie`. `anonymous` and `as(_:)` change who asks.
struct SignedInClient: TestClientProtocol {
    let base: any TestClientProtocol
    let token: String?
    /// The user requests act for by default.
    let owner: TestUser
    /// The server's database file, for seeding more users.
    let databasePath: String
    /// `METHOD /path` of every route the server has.
    let routes: Set<String>

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let token, headers[.authorization] == nil, headers[.cookie] == nil {
            headers[.authorization] = "Bearer \(token)"
        }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }

    /// The same server, asked with no credentials.
    var anonymous: SignedInClient { SignedInClient(base: base, token: nil, owner: owner, databasePath: databasePath, routes: routes) }

    /// The same server, asked with `token`.
    func `as`(_ token: String) -> SignedInClient { SignedInClient(base: base, token: token, owner: owner, databasePath: databasePath, routes: routes) }

    /// A new user on this server and a client acting for it.
    func newUser(role: User.Role = .member) async throws -> (TestUser, SignedInClient) {
        let user = try await TestUser.seed(databaseAt: databasePath, role: role)
        return (user, self.as(user.token))
    }
}
