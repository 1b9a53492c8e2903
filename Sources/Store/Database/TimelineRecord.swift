import Foundation
import GRDB

/// A saved timeline document. `version` grows by one on every update, so a writer holding a stale
/// copy is told (`StoreError.versionConflict`) instead of silently overwriting someone else's edit.
public struct TimelineRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    public var userId: String
    public var projectId: String
    public var name: String
    /// Starts at 1.
    public var version: Int
    /// The timeline JSON text, not read by the store.
    public var document: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, userId: String, projectId: String, name: String, version: Int,
        document: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.projectId = projectId
        self.name = name
        self.version = version
        self.document = document
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let databaseTableName = "timeline"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let projectId = Column(CodingKeys.projectId)
        public static let name = Column(CodingKeys.name)
        public static let version = Column(CodingKeys.version)
        public static let document = Column(CodingKeys.document)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

extension DerivableRequest<TimelineRecord> {
    /// Timelines of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }

    /// Timelines of one project.
    public func inProject(_ projectId: String) -> Self {
        filter { $0.projectId == projectId }
    }

    /// Most recently edited first.
    public func recentlyUpdatedFirst() -> Self {
        order { [$0.updatedAt.desc, $0.id.desc] }
    }
}
