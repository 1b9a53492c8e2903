import Foundation
import GRDB

/// A folder of assets, timelines and renders that belongs to one user.
public struct Project: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    public var userId: String
    public var name: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, userId: String, name: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.userId = userId
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let databaseTableName = "project"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let name = Column(CodingKeys.name)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

extension DerivableRequest<Project> {
    /// Projects of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }

    /// Projects whose name contains `search`, ignoring case (Unicode-aware, unlike SQLite's LIKE).
    public func matching(search: String) -> Self {
        filter(literal: "instr(\(Project.Columns.name.lowercased), \(search.lowercased())) > 0")
    }

    /// Most recently created first.
    public func newestFirst() -> Self {
        order { [$0.createdAt.desc, $0.id.desc] }
    }
}
