import Foundation
import GRDB

/// A secret that stands for a user: a browser session, an API token, or a one-time invite.
/// Only the SHA-256 of the secret is stored; the secret itself is shown once, when made.
public struct Credential: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public enum Kind: String, Codable, Sendable {
        /// Made by signing in; works as the session cookie and as a bearer token.
        case session
        /// Made by the user for scripts; `read` or `write`.
        case token
        /// Made by an admin; accepting it sets the invited user's password, once.
        case invite
    }

    public enum Scope: String, Codable, Sendable, CaseIterable {
        case read, write
    }

    public var id: String
    public var userId: String
    public var kind: Kind
    /// The token's name (empty for sessions and invites).
    public var name: String
    public var scope: Scope
    /// Lowercase hex SHA-256 of the secret.
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?

    public init(id: String, userId: String, kind: Kind, name: String = "", scope: Scope = .write, secretHash: String,
                createdAt: Date, expiresAt: Date?, lastUsedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.name = name
        self.scope = scope
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }

    public static let databaseTableName = "credential"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let kind = Column(CodingKeys.kind)
        public static let secretHash = Column(CodingKeys.secretHash)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let lastUsedAt = Column(CodingKeys.lastUsedAt)
    }

    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}

extension Credential.Kind: DatabaseValueConvertible {}
extension Credential.Scope: DatabaseValueConvertible {}

/// A credential with the user it stands for, as the sign-in check needs them.
public struct SignedIn: Sendable, Hashable {
    public var credential: Credential
    public var user: User

    public init(credential: Credential, user: User) {
        self.credential = credential
        self.user = user
    }
}
