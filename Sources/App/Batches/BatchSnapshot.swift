import Foundation
import Store

/// A batch as the API, its event stream and its webhook show it.
struct BatchSnapshot: Codable, Sendable, Equatable {
    struct Counts: Codable, Sendable, Equatable {
        var queued = 0
        var rendering = 0
        var completed = 0
        var failed = 0
        var cancelled = 0
    }

    var id: String
    var templateId: String?
    var total: Int
    /// `active` while any render is queued or rendering, then `finished`.
    var status: String
    var counts: Counts
    /// Share of the renders that have ended (0...1).
    var progress: Double
    var createdAt: Date
    var finishedAt: Date?
    var webhookUrl: String?
    var webhookDeliveries: [WebhookDispatcher.Attempt]?

    init(_ record: BatchRecord, counts: [RenderRecord.Status: Int]) {
        id = record.id
        templateId = record.templateId
        total = record.total
        self.counts = Counts(
            queued: counts[.queued] ?? 0, rendering: counts[.rendering] ?? 0, completed: counts[.completed] ?? 0,
            failed: counts[.failed] ?? 0, cancelled: counts[.cancelled] ?? 0)
        let active = self.counts.queued + self.counts.rendering
        status = active == 0 ? "finished" : "active"
        progress = record.total > 0 ? Double(record.total - active) / Double(record.total) : 1
        createdAt = record.createdAt
        finishedAt = active == 0 ? record.finishedAt : nil
        webhookUrl = record.webhookUrl
        webhookDeliveries = record.webhookDeliveries.flatMap { try? JSONDecoder.api.decode([WebhookDispatcher.Attempt].self, from: Data($0.utf8)) }
    }

    var isFinished: Bool { status == "finished" }
}
