import Foundation
import GRDB

/// Someone who owns projects, assets, timelines and renders.
public struct User: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    /// Unique, compared without regard to ASCII case.
    public var email: String
    public var name: String
    public var createdAt: Date

    public init(id: String, email: String, name: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.createdAt = createdAt
    }

    public static let databaseTableName = "user"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let email = Column(CodingKeys.email)
        public static let name = Column(CodingKeys.name)
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    /// The built-in user of a single-person installation.
    public static let localUserId = "local"
}
