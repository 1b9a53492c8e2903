import Foundation
import GRDB

extension AppDatabase {
    /// Stores a batch and its renders in one transaction (all or nothing), the renders with
    /// consecutive `queueSeq` in row order. Returns the stored batch and true; with an
    /// `idempotencyKey` the user already sent the same request with, the batch stored then and false
    /// (writes are serialised, so two concurrent submissions store one batch). The key sent with
    /// another request (or used by a render) is `StoreError.idempotencyKeyReused`.
    public func insertBatch(_ batch: BatchRecord, renders: [RenderRecord]) async throws -> (batch: BatchRecord, created: Bool) {
        try await write { db in
            if let key = batch.idempotencyKey {
                if let existing = try Self.batch(userId: batch.userId, idempotencyKey: key, db) {
                    guard existing.requestHash == batch.requestHash else { throw StoreError.idempotencyKeyReused }
                    return (existing, false)
                }
                if try Self.renderHoldsKey(userId: batch.userId, key, db) { throw StoreError.idempotencyKeyReused }
            }
            if let templateId = batch.templateId, try TemplateRecord.filter(id: templateId).owned(by: batch.userId).isEmpty(db) {
                throw StoreError.notFound("template")
            }
            if let mixId = batch.mixId, try MixRecord.filter(id: mixId).owned(by: batch.userId).isEmpty(db) {
                throw StoreError.notFound("mix")
            }
            let now = Date.databaseNow()
            var stored = batch
            stored.createdAt = now
            stored.updatedAt = now
            try stored.insert(db)
            var seq = try RenderRecord.select(max(RenderRecord.Columns.queueSeq), as: Int64.self).fetchOne(db) ?? 0
            for render in renders {
                var row = render
                seq += 1
                row.queueSeq = seq
                row.batchId = batch.id
                row.createdAt = now
                row.updatedAt = now
                try row.insert(db)
            }
            return (stored, true)
        }
    }

    /// One of the user's batches; nil when absent or someone else's.
    public func batch(id: String, userId: String) async throws -> BatchRecord? {
        try await read { db in try BatchRecord.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// A batch by id, whoever owns it (for the queue).
    public func batch(id: String) async throws -> BatchRecord? {
        try await read { db in try BatchRecord.fetchOne(db, id: id) }
    }

    /// How many of the batch's renders are in each status (absent statuses are 0).
    public func batchCounts(id: String) async throws -> [RenderRecord.Status: Int] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM render WHERE batchId = ? GROUP BY status", arguments: [id])
            var counts: [RenderRecord.Status: Int] = [:]
            for row in rows {
                if let status = RenderRecord.Status(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// The batch's next queued renders in row order, leaving out `excluding` (those the queue holds).
    public func nextQueuedRenders(batchId: String, excluding: Set<String>, limit: Int) async throws -> [RenderRecord] {
        try await read { db in
            try RenderRecord.all()
                .filter(RenderRecord.Columns.batchId == batchId)
                .filter(status: .queued)
                .filter(!excluding.contains(RenderRecord.Columns.id))
                .order(RenderRecord.Columns.batchIndex)
                .limit(limit)
                .fetchAll(db)
        }
    }

    /// The batch's renders in row order, optionally only those in `status` (one page of them).
    public func batchRenders(id: String, status: RenderRecord.Status? = nil, after index: Int = -1, limit: Int = 500) async throws -> [RenderRecord] {
        try await read { db in
            var request = RenderRecord.all().filter(RenderRecord.Columns.batchId == id).filter(RenderRecord.Columns.batchIndex > index)
            if let status { request = request.filter(status: status) }
            return try request.order(RenderRecord.Columns.batchIndex).limit(limit).fetchAll(db)
        }
    }

    /// The batch's renders whose newest event is after `eventId`, oldest event first (resuming a stream).
    public func batchRenders(id: String, changedAfterEventId eventId: Int64, limit: Int = 2000) async throws -> [RenderRecord] {
        try await read { db in
            try RenderRecord.all().filter(RenderRecord.Columns.batchId == id)
                .filter(RenderRecord.Columns.eventId > eventId)
                .order(RenderRecord.Columns.eventId).limit(limit).fetchAll(db)
        }
    }

    /// Ends every queued render of the batch except `excluding` (those the queue holds and cancels
    /// itself) as cancelled, stamped with event id `eventId`. Returns how many.
    public func cancelQueuedRenders(batchId: String, excluding: Set<String>, eventId: Int64) async throws -> Int {
        try await write { db in
            let now = Date.databaseNow()
            var count = 0
            let rows = try RenderRecord.all().filter(RenderRecord.Columns.batchId == batchId).filter(status: .queued)
                .filter(!excluding.contains(RenderRecord.Columns.id)).fetchAll(db)
            for original in rows {
                var row = original
                row.end(.cancelled, at: now)
                row.updatedAt = now
                row.eventId = eventId
                try row.updateChanges(db, from: original)
                count += 1
            }
            return count
        }
    }

    /// Puts the batch's failed and cancelled renders back in the queue (in row order, at the end of
    /// the submission order) and marks the batch unfinished. Returns how many.
    public func requeueFailedRenders(batchId: String, eventId: Int64) async throws -> Int {
        try await write { db in
            let now = Date.databaseNow()
            var seq = try RenderRecord.select(max(RenderRecord.Columns.queueSeq), as: Int64.self).fetchOne(db) ?? 0
            let rows = try RenderRecord.all().filter(RenderRecord.Columns.batchId == batchId)
                .filter([RenderRecord.Status.failed.rawValue, RenderRecord.Status.cancelled.rawValue].contains(RenderRecord.Columns.status))
                .order(RenderRecord.Columns.batchIndex).fetchAll(db)
            for original in rows {
                var row = original
                seq += 1
                row.queueSeq = seq
                row.requeue()
                row.outputKey = nil
                row.outputSize = nil
                row.startedAt = nil
                row.completedAt = nil
                row.updatedAt = now
                row.eventId = eventId
                try row.updateChanges(db, from: original)
            }
            if !rows.isEmpty {
                try db.execute(sql: "UPDATE batch SET finishedAt = NULL, updatedAt = ? WHERE id = ?", arguments: [now, batchId])
            }
            return rows.count
        }
    }

    /// Marks the batch finished if none of its renders is queued or rendering and it was not marked
    /// yet; returns it when this call did (so its one webhook is sent once).
    public func finishBatchIfDone(id: String) async throws -> BatchRecord? {
        try await write { db in
            guard var batch = try BatchRecord.fetchOne(db, id: id), batch.finishedAt == nil else { return nil }
            let active = try RenderRecord.all().filter(RenderRecord.Columns.batchId == id)
                .filter([RenderRecord.Status.queued.rawValue, RenderRecord.Status.rendering.rawValue].contains(RenderRecord.Columns.status))
                .fetchCount(db)
            guard active == 0 else { return nil }
            try batch.updateChanges(db) {
                $0.finishedAt = .databaseNow()
                $0.updatedAt = $0.finishedAt!
            }
            return batch
        }
    }

    /// Changes a batch in one transaction (webhook deliveries); nil when it is gone.
    public func updateBatch(id: String, _ update: @Sendable (inout BatchRecord) -> Void) async throws -> BatchRecord? {
        try await write { db in
            guard var batch = try BatchRecord.fetchOne(db, id: id) else { return nil }
            let original = batch
            update(&batch)
            batch.id = original.id
            batch.userId = original.userId
            batch.updatedAt = .databaseNow()
            try batch.updateChanges(db, from: original)
            return batch
        }
    }

    /// Batches that still have queued renders, with their owners (fed again at start).
    public func batchesWithQueuedRenders() async throws -> [(id: String, userId: String)] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT batchId, userId FROM render WHERE status = 'queued' AND batchId IS NOT NULL ORDER BY batchId")
                .map { (id: $0["batchId"] as String, userId: $0["userId"] as String) }
        }
    }
}
