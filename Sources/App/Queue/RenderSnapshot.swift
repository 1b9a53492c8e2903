import Foundation
import Store

/// A render as the API and the event stream show it (DESIGN.md's render shape plus live detail).
struct RenderSnapshot: Codable, Sendable, Equatable {
    var id: String
    var projectId: String?
    var timelineId: String?
    var status: String
    var stage: String
    var progress: Double
    var frame: Int?
    var totalFrames: Int?
    var fps: Double?
    var etaSeconds: Double?
    var queuePosition: Int?
    var error: String?
    var outputUrl: String?
    var outputSize: Int64?
    /// Integrated loudness of the output (LUFS), measured when the document set a loudness target.
    var measuredLoudness: Double?
    var format: String
    var attempts: Int
    var createdAt: Date
    var startedAt: Date?
    var completedAt: Date?
    /// When this state was recorded (also the moment its event was published).
    var updatedAt: Date
    var webhookUrl: String?
    var webhookDeliveries: [WebhookDispatcher.Attempt]?
    var templateId: String?
    var batchId: String?
    /// The row of its batch (0-based).
    var batchIndex: Int?

    init(_ record: RenderRecord, queuePosition: Int?) {
        id = record.id
        projectId = record.projectId
        timelineId = record.timelineId
        status = record.status.rawValue
        stage = record.stage.rawValue
        progress = record.progress
        frame = record.frame
        totalFrames = record.totalFrames
        fps = record.fps
        if let fps = record.fps, fps > 0, let frame = record.frame, let total = record.totalFrames, record.status == .rendering {
            etaSeconds = Double(max(0, total - frame)) / fps
        }
        self.queuePosition = record.status == .queued ? queuePosition : nil
        error = record.error
        outputUrl = record.status == .completed && record.outputKey != nil ? "/api/v1/renders/\(record.id)/output" : nil
        outputSize = record.outputSize
        measuredLoudness = record.measuredLoudness
        format = record.format
        attempts = record.attempts
        createdAt = record.createdAt
        startedAt = record.startedAt
        completedAt = record.completedAt
        updatedAt = record.updatedAt
        webhookUrl = record.webhookUrl
        templateId = record.templateId
        batchId = record.batchId
        batchIndex = record.batchIndex
        webhookDeliveries = record.webhookDeliveries.flatMap { try? JSONDecoder.api.decode([WebhookDispatcher.Attempt].self, from: Data($0.utf8)) }
    }

    var isTerminal: Bool { ["completed", "failed", "cancelled"].contains(status) }
}
