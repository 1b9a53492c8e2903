import Foundation
import GRDB

/// One batch: many renders of a template, one per row of values, queued under one id. The renders
/// are ordinary `render` rows carrying `batchId` and `batchIndex`; the batch row holds what is
/// about the whole (its webhook, when it finished).
public struct BatchRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public var id: String
    public var userId: String
    /// Nil once the template is deleted (the renders keep their own documents).
    public var templateId: String?
    /// The mix whose variants these are; nil for a template's batch and once the mix is deleted.
    public var mixId: String?
    /// Number of renders (rows).
    public var total: Int
    /// The row values' column names in the order they were sent (CSV header order), as JSON text.
    public var columns: String
    /// Where the batch's one `finished` event is POSTed.
    public var webhookUrl: String?
    /// Delivery attempts as JSON text (opaque to the store).
    public var webhookDeliveries: String?
    public var createdAt: Date
    /// When the last of its renders ended; nil while any is queued or rendering.
    public var finishedAt: Date?
    public var updatedAt: Date
    /// Client-chosen `Idempotency-Key` of the submission, unique per user.
    public var idempotencyKey: String?
    /// Hash of the request that carried `idempotencyKey` (a retry must match it).
    public var requestHash: String?

    public init(
        id: String, userId: String, templateId: String?, mixId: String? = nil, total: Int, columns: String, webhookUrl: String? = nil,
        webhookDeliveries: String? = nil, createdAt: Date = Date(), finishedAt: Date? = nil, updatedAt: Date = Date(),
        idempotencyKey: String? = nil, requestHash: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.templateId = templateId
        self.mixId = mixId
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.total = total
        self.columns = columns
        self.webhookUrl = webhookUrl
        self.webhookDeliveries = webhookDeliveries
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
    }

    public static let databaseTableName = "batch"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let templateId = Column(CodingKeys.templateId)
        public static let mixId = Column(CodingKeys.mixId)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let idempotencyKey = Column(CodingKeys.idempotencyKey)
    }
}

extension DerivableRequest<BatchRecord> {
    /// Batches of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }
}
