import Foundation
import GRDB

/// One render job: what to render (the exact expanded timeline), where it is in the queue and
/// pipeline, and where its output went.
public struct RenderRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    /// Where a job is in its life.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case queued, rendering, completed, failed, cancelled

        /// Completed, failed or cancelled: the job will not change again unless retried.
        public var isTerminal: Bool {
            switch self {
            case .queued, .rendering: return false
            case .completed, .failed, .cancelled: return true
            }
        }
    }

    /// Which step of the pipeline a job is in.
    public enum Stage: String, Codable, Sendable, CaseIterable {
        case queued, preparing, rendering, finalizing, done
    }

    public var id: String
    public var userId: String
    /// Nil for an inline render submitted without a project.
    public var projectId: String?
    /// The saved timeline it came from; nil for inline documents or once that timeline is deleted.
    public var timelineId: String?
    public var status: Status
    public var stage: Stage
    /// 0...1.
    public var progress: Double
    public var frame: Int?
    public var totalFrames: Int?
    /// Frames encoded per second of wall time.
    public var fps: Double?
    public var error: String?
    /// Blob key of the finished output.
    public var outputKey: String?
    public var outputSize: Int64?
    /// Output container, e.g. `mp4`.
    public var format: String
    /// The exact expanded timeline JSON that is rendered.
    public var document: String
    /// Merge values as JSON text, if any.
    public var merge: String?
    public var attempts: Int
    /// Submission order; assigned by `AppDatabase.insertRender`.
    public var queueSeq: Int64
    public var createdAt: Date
    public var startedAt: Date?
    public var completedAt: Date?
    public var updatedAt: Date
    /// Client-chosen `Idempotency-Key`, unique per user.
    public var idempotencyKey: String?
    /// Hash of the request that carried `idempotencyKey`.
    public var requestHash: String?
    /// Where the terminal event is POSTed.
    public var webhookUrl: String?
    /// Delivery attempts as JSON text (opaque to the store).
    public var webhookDeliveries: String?
    /// Id of the newest event published for this render (0 before any).
    public var eventId: Int64
    /// Integrated loudness in LUFS measured during the render, when a target was set.
    public var measuredLoudness: Double?
    /// How much picture the render makes, in hours of 1080p30 (`Timeline.workloadHours`); 0 when unknown.
    public var workloadHours: Double
    /// The template it was rendered from, if any (nil once that template is deleted).
    public var templateId: String?
    /// The batch it belongs to, and its row's 0-based place in that batch.
    public var batchId: String?
    public var batchIndex: Int?
    /// The template values it was rendered with, as JSON text (names of archive entries come from them).
    public var templateValues: String?

    public init(
        id: String, userId: String, projectId: String? = nil, timelineId: String? = nil,
        status: Status = .queued, stage: Stage = .queued, progress: Double = 0,
        frame: Int? = nil, totalFrames: Int? = nil, fps: Double? = nil, error: String? = nil,
        outputKey: String? = nil, outputSize: Int64? = nil, format: String, document: String,
        merge: String? = nil, attempts: Int = 0, queueSeq: Int64 = 0, createdAt: Date = Date(),
        startedAt: Date? = nil, completedAt: Date? = nil, updatedAt: Date = Date(),
        idempotencyKey: String? = nil, requestHash: String? = nil, webhookUrl: String? = nil,
        webhookDeliveries: String? = nil, eventId: Int64 = 0, measuredLoudness: Double? = nil,
        workloadHours: Double = 0, templateId: String? = nil, batchId: String? = nil, batchIndex: Int? = nil,
        templateValues: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.projectId = projectId
        self.timelineId = timelineId
        self.status = status
        self.stage = stage
        self.progress = progress
        self.frame = frame
        self.totalFrames = totalFrames
        self.fps = fps
        self.error = error
        self.outputKey = outputKey
        self.outputSize = outputSize
        self.format = format
        self.document = document
        self.merge = merge
        self.attempts = attempts
        self.queueSeq = queueSeq
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.updatedAt = updatedAt
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.webhookUrl = webhookUrl
        self.webhookDeliveries = webhookDeliveries
        self.eventId = eventId
        self.measuredLoudness = measuredLoudness
        self.workloadHours = workloadHours
        self.templateId = templateId
        self.batchId = batchId
        self.batchIndex = batchIndex
        self.templateValues = templateValues
    }

    public static let databaseTableName = "render"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let projectId = Column(CodingKeys.projectId)
        public static let timelineId = Column(CodingKeys.timelineId)
        public static let status = Column(CodingKeys.status)
        public static let stage = Column(CodingKeys.stage)
        public static let progress = Column(CodingKeys.progress)
        public static let frame = Column(CodingKeys.frame)
        public static let totalFrames = Column(CodingKeys.totalFrames)
        public static let fps = Column(CodingKeys.fps)
        public static let error = Column(CodingKeys.error)
        public static let outputKey = Column(CodingKeys.outputKey)
        public static let outputSize = Column(CodingKeys.outputSize)
        public static let format = Column(CodingKeys.format)
        public static let document = Column(CodingKeys.document)
        public static let merge = Column(CodingKeys.merge)
        public static let attempts = Column(CodingKeys.attempts)
        public static let queueSeq = Column(CodingKeys.queueSeq)
        public static let idempotencyKey = Column(CodingKeys.idempotencyKey)
        public static let eventId = Column(CodingKeys.eventId)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let completedAt = Column(CodingKeys.completedAt)
        public static let updatedAt = Column(CodingKeys.updatedAt)
        public static let batchId = Column(CodingKeys.batchId)
        public static let batchIndex = Column(CodingKeys.batchIndex)
    }
}

extension RenderRecord.Status: DatabaseValueConvertible {}
extension RenderRecord.Stage: DatabaseValueConvertible {}

extension DerivableRequest<RenderRecord> {
    /// Renders of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }

    /// Renders of one project.
    public func inProject(_ projectId: String) -> Self {
        filter { $0.projectId == projectId }
    }

    /// Renders in one status.
    public func filter(status: RenderRecord.Status) -> Self {
        filter { $0.status == status }
    }

    /// In submission order.
    public func inQueueOrder() -> Self {
        order { $0.queueSeq }
    }

    /// Most recently submitted first.
    public func newestFirst() -> Self {
        order { [$0.createdAt.desc, $0.queueSeq.desc] }
    }
}

// MARK: - State rules

extension RenderRecord {
    /// Back in the queue: no progress, and why it waits (`reason` nil when it simply starts again).
    /// The one place a render is reset to `queued`: retries, recovery at start, shutdown and storage waits.
    public mutating func requeue(reason: String? = nil) {
        status = .queued
        stage = .queued
        progress = 0
        frame = nil
        fps = nil
        error = reason
    }

    /// Ended: `completed`, `failed` (with `error`) or `cancelled`, at `date`.
    public mutating func end(_ status: Status, error: String? = nil, at date: Date = Date()) {
        self.status = status
        stage = .done
        self.error = error
        completedAt = date
    }
}
