import Foundation
import GRDB

/// A saved mix: groups of clips and the rules that cut them into variants. The spec is JSON text
/// the store does not read (the App checks and interprets it).
public struct MixRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    public var userId: String
    public var name: String
    /// Groups, order, text layer, output and count, as JSON text.
    public var spec: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, userId: String, name: String, spec: String, createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.id = id
        self.userId = userId
        self.name = name
        self.spec = spec
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let databaseTableName = "mix"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

extension DerivableRequest<MixRecord> {
    /// Mixes of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }
}
