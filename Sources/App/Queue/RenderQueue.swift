import Foundation
import Logging
import Compiler
import Render
import TimelineModel
import ServiceLifecycle
import Store

/// The bounded render work queue. Every job is a `render` row first; the actor keeps the order of
/// waiting ids and the cancellation flags of running ones, and starts at most `concurrency` renders
/// at once. A job's blocking work (compiling, executing) runs on the `renders` lane of
/// `BlockingWork`, never on the Swift concurrency pool: renders block for minutes.
/// Every state change goes through `RenderEvents.record`, which writes the row and publishes it.
///
/// This file schedules; `RenderQueue+Job.swift` is one job's life, `RenderQueue+Compile.swift`
/// turns a row into a plan and runs it.
actor RenderQueue: Service {
    struct Settings: Sendable {
        var concurrency: Int
        var capacity: Int
        /// One user's share of the queue: renders waiting or running at once, and their summed
        /// size in hours of 1080p30 (`RenderRecord.workloadHours`), so no one can fill it alone.
        var userRenders: Int = .max
        var userHours: Double = .infinity
        /// How long running renders may finish after SIGTERM before they are stopped and re-queued.
        var shutdownGrace: Duration = .seconds(30)
        /// A render running longer than this is stopped and failed (a hung decoder cannot hold a slot forever).
        var renderTimeout: Duration = .seconds(4 * 3600)
        /// A render that failed because storage was unavailable (S3 down, throttling) goes back to the
        /// queue this many times, waiting `storageRetryDelay` times its attempt number first.
        var storageRetries: Int = 2
        var storageRetryDelay: Duration = .seconds(5)
        /// Starts a render may have: one still running when the process died for the last of them is
        /// failed at the next start instead of queued again (a crash loop otherwise).
        var maxAttempts: Int = 3
    }

    /// Why a submission was refused (answered by `ErrorMiddleware`).
    enum Rejection: Error {
        case full(capacity: Int)
        /// The user's own share is used up (`renders` waiting or running, `hours` of work among them).
        case userShareUsed(renders: Int, hours: Double, limits: (renders: Int, hours: Double))
        case shuttingDown
        case idempotencyKeyReused
        case notRetryable(RenderRecord.Status)
    }

    let database: AppDatabase
    let blobs: any BlobStore
    let sources: AssetSources
    let events: RenderEvents
    let webhooks: WebhookDispatcher
    let settings: Settings
    let logger: Logger
    /// Render outcomes, durations and frames; nil for a queue nobody scrapes.
    let metrics: AppMetrics?
    /// Where compiling and executing happen: as many threads as `settings.concurrency`.
    let work: BlockingWork
    /// File-system work of a job (output size, scratch clean-up).
    let io: BlockingWork

    /// Waiting renders in the order they start: by `rank`, then by arrival.
    private var pending: [Entry] = []
    /// Latest snapshot of each waiting render, to announce position changes without database reads.
    private var waiting: [String: (snapshot: RenderSnapshot, userId: String)] = [:]
    /// What each user has waiting or running (or reserved while being stored).
    private var shares: [String: Share] = [:]
    /// Owner and size of every waiting or running render, to give its share back when it ends.
    private var members: [String: (userId: String, hours: Double)] = [:]
    /// Fair order (start-time fair queueing): a render's rank is one past its owner's previous
    /// render, but never below the rank of the render that started last. A user who queues 1,000
    /// renders gets every other start, not all of them, once someone else queues one.
    private var lastRank: [String: Int] = [:]
    private var startedRank = 0
    /// Submissions between their capacity check and joining `pending`.
    private var reserved = 0
    private var running: [String: CancellationFlag] = [:]
    var cancelRequested: Set<String> = []
    var timedOut: Set<String> = []
    /// Renders waiting out a storage failure before they rejoin `pending` (queued in the database).
    var retrying: Set<String> = []
    /// Batches with renders still to run, by id: their renders are fed into `pending` a few at a
    /// time (`RenderQueue+Batches.swift`), so a batch of 10,000 holds a window, not 10,000 places.
    var batchFeeds: [String: BatchFeed] = [:]
    /// Batch renders the queue holds (waiting or running), with their batch.
    var batchMembers: [String: String] = [:]
    private(set) var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(
        database: AppDatabase, blobs: any BlobStore, events: RenderEvents, webhooks: WebhookDispatcher,
        settings: Settings, lanes: WorkLanes, logger: Logger, metrics: AppMetrics? = nil
    ) {
        self.database = database
        self.blobs = blobs
        self.sources = AssetSources(database: database, blobs: blobs)
        self.events = events
        self.webhooks = webhooks
        self.settings = settings
        self.work = lanes.renders
        self.io = lanes.io
        self.logger = logger
        self.metrics = metrics
    }

    // MARK: Submitting and observing

    /// Stores the render row and queues it, or refuses without storing anything. A repeated
    /// `Idempotency-Key` with the same request returns the render stored the first time.
    func submit(_ record: RenderRecord) async throws -> (render: RenderRecord, created: Bool) {
        if let key = record.idempotencyKey, let existing = try await database.render(userId: record.userId, idempotencyKey: key) {
            guard existing.requestHash == record.requestHash else { throw Rejection.idempotencyKeyReused }
            return (existing, false)
        }
        try reserveSlot(for: record)
        defer { release(record) }
        let stored: RenderRecord
        do {
            stored = try await database.insertRender(record)
        } catch StoreError.idempotencyKeyReused {
            // A concurrent request with the same key stored first: answer its render, as a retry.
            if let key = record.idempotencyKey, let existing = try await database.render(userId: record.userId, idempotencyKey: key),
               existing.requestHash == record.requestHash {
                return (existing, false)
            }
            throw Rejection.idempotencyKeyReused
        }
        return (await enqueue(stored), true)
    }

    /// Puts a failed or cancelled render back at the end of the queue.
    func retry(_ id: String, userId: String) async throws -> RenderRecord? {
        guard let current = try await database.render(id: id, userId: userId) else { return nil }
        guard current.status == .failed || current.status == .cancelled else { throw Rejection.notRetryable(current.status) }
        try reserveSlot(for: current)
        defer { release(current) }
        guard let requeued = try await database.requeueRender(id: id, userId: userId), requeued.status == .queued else {
            throw Rejection.notRetryable(current.status)
        }
        return await enqueue(requeued)
    }

    /// Holds a place (and the user's share) while a submission is stored. Until `release`, the
    /// render may be counted twice, which errs on the side of refusing.
    func reserveSlot(for row: RenderRecord) throws {
        guard accepting else { throw Rejection.shuttingDown }
        // A batch holds one place, whatever number of its renders are fed in.
        let waiting = pending.count - pending.lazy.filter { self.batchMembers[$0.id] != nil }.count + batchFeeds.count
        guard waiting + reserved < settings.capacity else { throw Rejection.full(capacity: settings.capacity) }
        var share = shares[row.userId, default: Share()]
        for feed in batchFeeds.values where feed.userId == row.userId { share = share.adding(feed.hours) }
        guard share.renders < settings.userRenders, share.hours + row.workloadHours <= settings.userHours else {
            throw Rejection.userShareUsed(renders: share.renders, hours: share.hours, limits: (settings.userRenders, settings.userHours))
        }
        shares[row.userId] = share.adding(row.workloadHours)
        reserved += 1
    }

    func release(_ row: RenderRecord) {
        reserved -= 1
        giveBack(userId: row.userId, hours: row.workloadHours)
    }

    private func giveBack(userId: String, hours: Double) {
        guard let share = shares[userId] else { return }
        let left = share.adding(-hours, renders: -1)
        shares[userId] = left.renders > 0 ? left : nil
    }

    /// Records the `queued` event, then makes the render eligible to start (in that order, so
    /// `started` can never precede `queued`).
    private func enqueue(_ row: RenderRecord) async -> RenderRecord {
        let position = fairPlace(userId: row.userId).index + 1
        let recorded = await recordSurely(row.id, .queued, queuePosition: position) { _ in } ?? row
        join(recorded)
        await pump()
        return recorded
    }

    /// Adds a queued row to the waiting line at its fair place.
    func join(_ row: RenderRecord) {
        let (rank, index) = fairPlace(userId: row.userId)
        lastRank[row.userId] = rank
        pending.insert(Entry(id: row.id, rank: rank), at: index)
        if let batchId = row.batchId, batchFeeds[batchId] != nil {
            // Counted once for the whole batch (its feed), not per render.
            batchMembers[row.id] = batchId
            batchFeeds[batchId]?.held.insert(row.id)
        } else {
            members[row.id] = (row.userId, row.workloadHours)
            shares[row.userId] = shares[row.userId, default: Share()].adding(row.workloadHours)
        }
        waiting[row.id] = (RenderSnapshot(row, queuePosition: index + 1), row.userId)
    }

    /// The rank a new render of `userId` gets and the index in `pending` it goes to.
    private func fairPlace(userId: String) -> (rank: Int, index: Int) {
        let rank = max(startedRank, lastRank[userId].map { $0 + 1 } ?? 0)
        return (rank, pending.firstIndex { $0.rank > rank } ?? pending.endIndex)
    }

    /// 1-based place among waiting renders; nil when not waiting.
    func queuePosition(of id: String) -> Int? {
        pending.firstIndex { $0.id == id }.map { $0 + 1 }
    }

    var depth: Int { pending.count }
    var runningCount: Int { running.count }

    /// Cancels a waiting or running render. Returns false when it is neither (already finished).
    func cancel(_ id: String) async throws -> Bool {
        if let index = pending.firstIndex(where: { $0.id == id }) {
            pending.remove(at: index)
            waiting[id] = nil
            leave(id)
            try await finish(id, .cancelled) { row in row.end(.cancelled, error: row.error) }
            await announcePositions()
            return true
        }
        if let flag = running[id] {
            cancelRequested.insert(id)
            flag.cancel()
            return true
        }
        if retrying.remove(id) != nil {
            try await finish(id, .cancelled) { row in row.end(.cancelled, error: row.error) }
            return true
        }
        return false
    }

    /// Cancels every render of `ids` that waits or runs, and waits (up to `timeout`) until none of
    /// them is running: their rows can then go without a render finishing after them.
    func stop(_ ids: [String], timeout: Duration = .seconds(10)) async {
        for id in ids { _ = try? await cancel(id) }
        let deadline = ContinuousClock.now + timeout
        while ids.contains(where: { running[$0] != nil }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Scheduling

    func pump() async {
        while accepting, running.count < settings.concurrency, !pending.isEmpty {
            let next = pending.removeFirst()
            let id = next.id
            startedRank = max(startedRank, next.rank)
            waiting[id] = nil
            let flag = CancellationFlag()
            running[id] = flag
            Task { await self.execute(id, cancel: flag) }
        }
        // Also after a join: a fair place ahead of others moves them back.
        await announcePositions()
    }

    /// Tells subscribers of waiting renders where they now stand.
    private func announcePositions() async {
        for (index, id) in pending.lazy.map(\.id).enumerated() {
            guard var entry = waiting[id], entry.snapshot.queuePosition != index + 1 else { continue }
            entry.snapshot.queuePosition = index + 1
            waiting[id] = entry
            await events.announce(entry.snapshot, userId: entry.userId)
        }
    }

    func finished(_ id: String) async {
        running[id] = nil
        leave(id)
        cancelRequested.remove(id)
        timedOut.remove(id)
        await pump()
        if running.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    /// A waiting or running render is gone: its owner's share is free again.
    private func leave(_ id: String) {
        if let batchId = batchMembers.removeValue(forKey: id) {
            batchFeeds[batchId]?.held.remove(id)
            // The next of the batch takes its place (after this change is recorded).
            Task { await self.feed(batchId) }
            return
        }
        guard let member = members.removeValue(forKey: id) else { return }
        giveBack(userId: member.userId, hours: member.hours)
        // Nothing left waiting: a later render starts from the current rank, not behind old ones.
        if shares[member.userId] == nil, !batchFeeds.values.contains(where: { $0.userId == member.userId }) { lastRank[member.userId] = nil }
    }

    func timeOut(_ id: String) {
        guard let flag = running[id] else { return }
        timedOut.insert(id)
        flag.cancel()
    }

    // MARK: Service

    /// Re-queues renders a previous process left behind, in their order, then works until shutdown.
    /// On shutdown it takes no new work, lets running renders finish within the grace period, then
    /// stops the rest; they go back to the queue for the next start.
    func run() async throws {
        let recovery = try await database.recoverInterruptedRenders(maxAttempts: settings.maxAttempts)
        for row in recovery.failed {
            logger.error("render failed: the server stopped while rendering it on each of its attempts", metadata: ["render.id": "\(row.id)", "attempts": "\(row.attempts)"])
            do {
                // The row is already failed; this numbers and publishes the event and calls the webhook.
                try await finish(row.id, .failed) { _ in }
            } catch {
                logger.error("could not record a render's failure", metadata: ["render.id": "\(row.id)", "error": "\(Self.describe(error))"])
            }
        }
        for row in recovery.queued { join(row) }
        if !recovery.queued.isEmpty { logger.info("re-queued renders from a previous run", metadata: ["count": "\(recovery.queued.count)"]) }
        await resumeBatches()
        await pump()
        try? await gracefulShutdown()
        accepting = false
        guard !running.isEmpty else { return }
        logger.info("waiting for running renders", metadata: ["count": "\(running.count)", "grace": "\(Self.describe(settings.shutdownGrace))"])
        let grace = settings.shutdownGrace
        let deadline = Task {
            try await Task.sleep(for: grace)
            self.stopRunning()
        }
        await withCheckedContinuation { idleWaiters.append($0) }
        deadline.cancel()
    }

    private func stopRunning() {
        for flag in running.values { flag.cancel() }
    }
}

extension RenderQueue {
    struct Entry {
        var id: String
        var rank: Int
    }

    /// What one user holds in the queue.
    struct Share {
        var renders = 0
        var hours = 0.0

        func adding(_ hours: Double, renders: Int = 1) -> Share {
            Share(renders: self.renders + renders, hours: max(0, self.hours + hours))
        }
    }
}
