import Foundation
import GRDB

/// Someone who owns projects, assets, timelines and renders.
public struct User: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public enum Role: String, Codable, Sendable, CaseIterable {
        case admin, member
    }

    public var id: String
    /// Unique, compared without regard to ASCII case.
    public var email: String
    public var name: String
    public var createdAt: Date
    /// A bcrypt hash; nil until an invited user has chosen a password.
    public var passwordHash: String?
    public var role: Role
    /// Set while an admin has disabled the account: it cannot sign in, and its credentials stop working.
    public var disabledAt: Date?
    public var lastSignInAt: Date?

    public init(id: String, email: String, name: String, createdAt: Date, passwordHash: String? = nil,
                role: Role = .member, disabledAt: Date? = nil, lastSignInAt: Date? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
        self.passwordHash = passwordHash
        self.role = role
        self.disabledAt = disabledAt
        self.lastSignInAt = lastSignInAt
    }

    public static let databaseTableName = "user"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let email = Column(CodingKeys.email)
        public static let name = Column(CodingKeys.name)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let passwordHash = Column(CodingKeys.passwordHash)
        public static let role = Column(CodingKeys.role)
        public static let disabledAt = Column(CodingKeys.disabledAt)
    }

    /// Where the account stands: invited (no password yet), active, or disabled.
    public enum Status: String, Codable, Sendable {
        case invited, active, disabled
    }

    public var status: Status {
        if disabledAt != nil { return .disabled }
        return passwordHash == nil ? .invited : .active
    }

    /// The built-in user of installations made before accounts existed; the first admin adopts
    /// it (and everything it owns).
    public static let localUserId = "local"
}

extension User.Role: DatabaseValueConvertible {}
