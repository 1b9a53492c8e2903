import Foundation
import GRDB

/// A saved template: a timeline document with `{{NAME}}` placeholders and the typed field schema
/// its values are checked against. Both are JSON text the store does not read.
public struct TemplateRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    public var userId: String
    /// The project its renders belong to (the source timeline's); nil for an inline document.
    public var projectId: String?
    /// The saved timeline it was made from; nil for inline documents or once that timeline is deleted.
    public var timelineId: String?
    public var name: String
    /// The document with its placeholders, as JSON text.
    public var document: String
    /// The field schema, as JSON text.
    public var fields: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, userId: String, projectId: String?, timelineId: String?, name: String,
        document: String, fields: String, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.userId = userId
        self.projectId = projectId
        self.timelineId = timelineId
        self.name = name
        self.document = document
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static let databaseTableName = "template"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

extension DerivableRequest<TemplateRecord> {
    /// Templates of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }
}
