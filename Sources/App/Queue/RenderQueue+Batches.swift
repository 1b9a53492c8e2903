import Foundation
import Store

/// Batches in the queue. A batch's renders are stored `queued` when it is created, but only a
/// window of them (`batchWindow`, as many as renders run at once) waits in `pending` at a time:
/// when one leaves, the feeder takes the next from the database. The whole batch holds one place
/// of the capacity and of its owner's share, so a 1,000-row batch is accepted, and fair queueing
/// puts another user's single render ahead of everything the batch has not started.
extension RenderQueue {
    struct BatchFeed {
        var userId: String
        /// One render's size, what the batch counts for in its owner's share of hours.
        var hours: Double
        /// Its renders the queue holds (waiting or running).
        var held: Set<String> = []
        /// Being fed now (feeding reads the database; a second feed waits its turn).
        var feeding = false
        var again = false
        /// Cancelled: nothing more is fed.
        var stopping = false
    }

    var batchWindow: Int { max(1, settings.concurrency) }

    /// Stores a batch and its renders (all or nothing) and starts feeding it. Refused like a
    /// single render when the queue or the owner's share has no place for one more entry. A
    /// repeated `Idempotency-Key` with the same request answers the batch stored the first time
    /// (`created` false; it is fed already).
    func submitBatch(_ batch: BatchRecord, renders: [RenderRecord]) async throws -> (batch: BatchRecord, created: Bool) {
        guard let largest = renders.max(by: { $0.workloadHours < $1.workloadHours }) else { return (batch, false) }
        try reserveSlot(for: largest)
        defer { release(largest) }
        let (stored, created) = try await database.insertBatch(batch, renders: renders)
        guard created else { return (stored, false) }
        batchFeeds[stored.id] = BatchFeed(userId: stored.userId, hours: largest.workloadHours)
        await feed(stored.id)
        return (stored, true)
    }

    /// Feeds waiting renders of a batch until its window is full; when none is left and none is
    /// held, the batch is finished (its webhook sent once).
    func feed(_ batchId: String) async {
        guard var current = batchFeeds[batchId] else { return }
        if current.feeding {
            batchFeeds[batchId]?.again = true
            return
        }
        current.feeding = true
        batchFeeds[batchId] = current
        defer { batchFeeds[batchId]?.feeding = false }
        repeat {
            batchFeeds[batchId]?.again = false
            guard let feed = batchFeeds[batchId] else { return }
            let room = batchWindow - feed.held.count
            var rows: [RenderRecord] = []
            if accepting, !feed.stopping, room > 0 {
                do {
                    rows = try await database.nextQueuedRenders(batchId: batchId, excluding: feed.held.union(retrying), limit: room)
                } catch {
                    // Still queued in the database: the next render to leave (or the next start) feeds again.
                    logger.error("could not read a batch's next renders", metadata: ["batch": "\(batchId)", "error": "\(Self.describe(error))"])
                    return
                }
            }
            for row in rows where batchFeeds[batchId]?.held.contains(row.id) == false && !retrying.contains(row.id) {
                batchFeeds[batchId]?.held.insert(row.id)
                let recorded = await recordSurely(row.id, .queued) { _ in } ?? row
                join(recorded)
            }
            if !rows.isEmpty { await pump() }
            if rows.isEmpty, batchFeeds[batchId]?.held.isEmpty == true, accepting {
                await finishBatchIfDone(batchId)
            }
        } while batchFeeds[batchId]?.again == true
    }

    /// When none of the batch's renders is queued or running any more: marks it finished, stops
    /// feeding it and sends its one webhook.
    private func finishBatchIfDone(_ batchId: String) async {
        let finished: BatchRecord?
        do {
            finished = try await database.finishBatchIfDone(id: batchId)
        } catch {
            logger.error("could not record a batch's end", metadata: ["batch": "\(batchId)", "error": "\(Self.describe(error))"])
            return
        }
        // Renders still queued in the database (waiting out a storage failure) keep the feed.
        guard let finished else {
            if (try? await database.batchCounts(id: batchId)).map({ ($0[.queued] ?? 0) + ($0[.rendering] ?? 0) == 0 }) ?? false {
                batchFeeds[batchId] = nil
            }
            return
        }
        batchFeeds[batchId] = nil
        await events.batchChanged(batchId: batchId, userId: finished.userId)
        if let url = finished.webhookUrl, let counts = try? await database.batchCounts(id: batchId) {
            await webhooks.deliver(batch: BatchSnapshot(finished, counts: counts), to: url)
        }
    }

    /// Cancels every render of the batch that has not ended: waiting ones at once, running ones
    /// are stopped. Returns false when the batch had nothing left to cancel.
    func cancelBatch(_ batchId: String) async throws -> Bool {
        let held = batchFeeds[batchId]?.held ?? []
        batchFeeds[batchId]?.stopping = true
        let cancelledInDatabase = try await database.cancelQueuedRenders(batchId: batchId, excluding: held.union(retrying), eventId: await events.freshId())
        var any = cancelledInDatabase > 0
        for id in held { if try await cancel(id) { any = true } }
        for id in retrying {
            guard try await database.render(id: id)?.batchId == batchId else { continue }
            if try await cancel(id) { any = true }
        }
        if batchFeeds[batchId] == nil || batchFeeds[batchId]?.held.isEmpty == true {
            if batchFeeds[batchId] == nil, let batch = try await database.batch(id: batchId) {
                batchFeeds[batchId] = BatchFeed(userId: batch.userId, hours: 0, stopping: true)
            }
            await feed(batchId)
        }
        await events.batchChanged(batchId: batchId, userId: try await database.batch(id: batchId)?.userId ?? "")
        return any
    }

    /// Puts the batch's failed and cancelled renders back in the queue; refused like a submission
    /// when the batch is not running and there is no place for it. Returns how many.
    func retryBatch(_ batch: BatchRecord) async throws -> Int {
        if batchFeeds[batch.id] == nil {
            let probe = RenderRecord(id: batch.id, userId: batch.userId, format: "", document: "")
            try reserveSlot(for: probe)
            defer { release(probe) }
            let count = try await database.requeueFailedRenders(batchId: batch.id, eventId: await events.freshId())
            guard count > 0 else { return 0 }
            let hours = try await database.batchRenders(id: batch.id, limit: 1).first?.workloadHours ?? 0
            batchFeeds[batch.id] = BatchFeed(userId: batch.userId, hours: hours)
            await events.batchChanged(batchId: batch.id, userId: batch.userId)
            await feed(batch.id)
            return count
        }
        batchFeeds[batch.id]?.stopping = false
        let count = try await database.requeueFailedRenders(batchId: batch.id, eventId: await events.freshId())
        await events.batchChanged(batchId: batch.id, userId: batch.userId)
        await feed(batch.id)
        return count
    }

    /// At start: batches that still have queued renders are fed again.
    func resumeBatches() async {
        let batches: [(id: String, userId: String)]
        do {
            batches = try await database.batchesWithQueuedRenders()
        } catch {
            logger.error("could not read the batches to resume", metadata: ["error": "\(Self.describe(error))"])
            return
        }
        for batch in batches where batchFeeds[batch.id] == nil {
            let hours = (try? await database.nextQueuedRenders(batchId: batch.id, excluding: [], limit: 1).first?.workloadHours) ?? 0
            batchFeeds[batch.id] = BatchFeed(userId: batch.userId, hours: hours ?? 0)
        }
        if !batches.isEmpty { logger.info("resumed batches from a previous run", metadata: ["count": "\(batches.count)"]) }
        for batch in batches { await feed(batch.id) }
    }
}
