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
        /// Renders deleted with their project (a template's project): `total` minus the others,
        /// so the counts always add up to `total`.
        var deleted = 0
    }

    var id: String
    /// What the batch renders: a template's rows or a mix's variants (nil for the other, and once
    /// the template or mix is deleted: the batch stays).
    var templateId: String?
    var mixId: String?
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
        mixId = record.mixId
        total = record.total
        var kept = Counts(
            queued: counts[.queued] ?? 0, rendering: counts[.rendering] ?? 0, completed: counts[.completed] ?? 0,
            failed: counts[.failed] ?? 0, cancelled: counts[.cancelled] ?? 0)
        kept.deleted = max(0, record.total - kept.queued - kept.rendering - kept.completed - kept.failed - kept.cancelled)
        self.counts = kept
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
