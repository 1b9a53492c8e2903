import Dispatch
import Foundation
import Logging
import Render
import ServiceLifecycle
import Store

/// The bounded render work queue. Every job is a `render` row first; the actor keeps the order of
/// waiting ids and the cancellation flags of running ones, and runs at most `concurrency` renders
/// at once on its own Dispatch queue (never on the Swift concurrency pool: renders block for minutes).
/// Every state change goes through `RenderEvents.record`, which writes the row and publishes it.
actor RenderQueue: Service {
    struct Settings: Sendable {
        var concurrency: Int
        var capacity: Int
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

    /// Why a submission was refused.
    enum Rejection: Error {
        case full(capacity: Int)
        case shuttingDown
        case idempotencyKeyReused
        case notRetryable(RenderRecord.Status)
    }

    private let database: AppDatabase
    private let blobs: any BlobStore
    private let sources: AssetSources
    private let events: RenderEvents
    private let webhooks: WebhookDispatcher
    private let settings: Settings
    private let logger: Logger
    private let workQueue = DispatchQueue(label: "cutroom.render", qos: .userInitiated, attributes: .concurrent)

    private var pending: [String] = []
    /// Latest snapshot of each waiting render, to announce position changes without database reads.
    private var waiting: [String: (snapshot: RenderSnapshot, userId: String)] = [:]
    /// Submissions between their capacity check and joining `pending`.
    private var reserved = 0
    private var running: [String: CancellationFlag] = [:]
    private var cancelRequested: Set<String> = []
    private var timedOut: Set<String> = []
    /// Renders waiting out a storage failure before they rejoin `pending` (queued in the database).
    private var retrying: Set<String> = []
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(database: AppDatabase, blobs: any BlobStore, events: RenderEvents, webhooks: WebhookDispatcher, settings: Settings, logger: Logger) {
        self.database = database
        self.blobs = blobs
        self.sources = AssetSources(database: database, blobs: blobs)
        self.events = events
        self.webhooks = webhooks
        self.settings = settings
        self.logger = logger
    }

    // MARK: Submitting and observing

    /// Stores the render row and queues it, or refuses without storing anything. A repeated
    /// `Idempotency-Key` with the same request returns the render stored the first time.
    func submit(_ record: RenderRecord) async throws -> (render: RenderRecord, created: Bool) {
        if let key = record.idempotencyKey, let existing = try database.render(userId: record.userId, idempotencyKey: key) {
            guard existing.requestHash == record.requestHash else { throw Rejection.idempotencyKeyReused }
            return (existing, false)
        }
        try reserveSlot()
        defer { reserved -= 1 }
        let stored = try database.insertRender(record)
        return (await enqueue(stored), true)
    }

    /// Puts a failed or cancelled render back at the end of the queue.
    func retry(_ id: String, userId: String) async throws -> RenderRecord? {
        guard let current = try database.render(id: id, userId: userId) else { return nil }
        guard current.status == .failed || current.status == .cancelled else { throw Rejection.notRetryable(current.status) }
        try reserveSlot()
        defer { reserved -= 1 }
        guard let requeued = try database.requeueRender(id: id, userId: userId), requeued.status == .queued else {
            throw Rejection.notRetryable(current.status)
        }
        return await enqueue(requeued)
    }

    private func reserveSlot() throws {
        guard accepting else { throw Rejection.shuttingDown }
        guard pending.count + reserved < settings.capacity else { throw Rejection.full(capacity: settings.capacity) }
        reserved += 1
    }

    /// Records the `queued` event, then makes the render eligible to start (in that order, so
    /// `started` can never precede `queued`).
    private func enqueue(_ row: RenderRecord) async -> RenderRecord {
        let position = pending.count + 1
        let recorded = (try? await events.record(row.id, .queued, queuePosition: position)) ?? row
        pending.append(row.id)
        waiting[row.id] = (RenderSnapshot(recorded, queuePosition: pending.count), recorded.userId)
        await pump()
        return recorded
    }

    /// 1-based place among waiting renders; nil when not waiting.
    func queuePosition(of id: String) -> Int? {
        pending.firstIndex(of: id).map { $0 + 1 }
    }

    var depth: Int { pending.count }
    var runningCount: Int { running.count }

    /// Cancels a waiting or running render. Returns false when it is neither (already finished).
    func cancel(_ id: String) async throws -> Bool {
        if let index = pending.firstIndex(of: id) {
            pending.remove(at: index)
            waiting[id] = nil
            try await finish(id, .cancelled) { row in
                row.status = .cancelled
                row.stage = .done
                row.completedAt = Date()
            }
            await announcePositions()
            return true
        }
        if let flag = running[id] {
            cancelRequested.insert(id)
            flag.cancel()
            return true
        }
        if retrying.remove(id) != nil {
            try await finish(id, .cancelled) { row in
                row.status = .cancelled
                row.stage = .done
                row.completedAt = Date()
            }
            return true
        }
        return false
    }

    // MARK: Running

    private func pump() async {
        var started = false
        while accepting, running.count < settings.concurrency, !pending.isEmpty {
            let id = pending.removeFirst()
            waiting[id] = nil
            let flag = CancellationFlag()
            running[id] = flag
            started = true
            Task { await self.execute(id, cancel: flag) }
        }
        if started { await announcePositions() }
    }

    /// Tells subscribers of waiting renders where they now stand.
    private func announcePositions() async {
        for (index, id) in pending.enumerated() {
            guard var entry = waiting[id], entry.snapshot.queuePosition != index + 1 else { continue }
            entry.snapshot.queuePosition = index + 1
            waiting[id] = entry
            await events.announce(entry.snapshot, userId: entry.userId)
        }
    }

    private func finished(_ id: String) async {
        running[id] = nil
        cancelRequested.remove(id)
        timedOut.remove(id)
        await pump()
        if running.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    private func timeOut(_ id: String) {
        guard let flag = running[id] else { return }
        timedOut.insert(id)
        flag.cancel()
    }

    private func execute(_ id: String, cancel: CancellationFlag) async {
        let timeout = settings.renderTimeout
        let timer = Task {
            try await Task.sleep(for: timeout)
            await self.timeOut(id)
        }
        defer { timer.cancel() }
        guard let started = try? await events.record(id, .started, { row in
            row.status = .rendering
            row.stage = .preparing
            row.progress = 0
            row.attempts += 1
            row.startedAt = Date()
            row.error = nil
        }) else {
            logger.error("render row vanished before it started", metadata: ["render": "\(id)"])
            await finished(id)
            return
        }

        let scratch = blobs.scratchDirectory.appendingPathComponent("render-\(id).partial.\(started.format)")
        do {
            let plan = try await compile(started)
            try await events.record(id, .progress) { row in
                row.stage = .rendering
                row.totalFrames = plan.totalFrames
                row.frame = 0
            }
            let result = try await run(plan, renderId: id, output: scratch, cancel: cancel)
            try await events.record(id, .progress) { row in
                row.stage = .finalizing
                row.progress = 1
                row.frame = row.totalFrames
            }
            let key = try BlobKey.renderOutput(userId: started.userId, renderId: id, ext: started.format)
            let size = (try? FileManager.default.attributesOfItem(atPath: scratch.path)[.size] as? NSNumber)?.int64Value
            try await blobs.put(key, movingFile: scratch)
            try await finish(id, .completed) { row in
                row.status = .completed
                row.stage = .done
                row.outputKey = key.rawValue
                row.outputSize = size
                row.measuredLoudness = result.measuredLoudness
                row.completedAt = Date()
            }
        } catch RenderError.cancelled where !cancelRequested.contains(id) && !timedOut.contains(id) {
            // Stopped by shutdown, not by a user: back to the queue for the next start.
            _ = try? await events.record(id, .queued) { Self.requeue(&$0, error: nil) }
        } catch StoreError.unavailable(let reason)
            where !cancelRequested.contains(id) && !timedOut.contains(id) && started.attempts <= settings.storageRetries {
            // Storage is down, not the render: wait and go again, queued (in the database too, so a
            // restart meanwhile loses nothing). Nothing was stored under the output key.
            let delay = settings.storageRetryDelay * started.attempts
            logger.warning("render waits for storage", metadata: ["render": "\(id)", "error": "\(reason)", "retryIn": "\(Self.describe(delay))"])
            let message = "storage unavailable: \(reason); attempt \(started.attempts + 1) in \(Self.describe(delay))"
            _ = try? await events.record(id, .queued) { Self.requeue(&$0, error: message) }
            retrying.insert(id)
            Task {
                try? await Task.sleep(for: delay)
                await self.rejoinAfterStorageFailure(id)
            }
        } catch {
            let cancelled = cancelRequested.contains(id)
            let message = timedOut.contains(id)
                ? "the render took longer than the \(Self.describe(timeout)) limit (CUTROOM_RENDER_TIMEOUT) and was stopped"
                : Self.describe(error)
            if !cancelled { logger.warning("render failed", metadata: ["render": "\(id)", "error": "\(message)"]) }
            try? await finish(id, cancelled ? .cancelled : .failed) { row in
                row.status = cancelled ? .cancelled : .failed
                row.stage = .done
                row.error = cancelled ? nil : message
                row.completedAt = Date()
            }
        }
        try? FileManager.default.removeItem(at: scratch)
        await finished(id)
    }

    /// Puts a render that waited out a storage failure back at the end of the queue, unless it was
    /// cancelled meanwhile or the server is stopping (then the next start picks it up).
    private func rejoinAfterStorageFailure(_ id: String) async {
        guard retrying.remove(id) != nil, accepting, let row = try? database.render(id: id), row.status == .queued else { return }
        pending.append(id)
        waiting[id] = (RenderSnapshot(row, queuePosition: pending.count), row.userId)
        await pump()
    }

    /// A render back in the queue: no progress, and why it waits (nil when it simply starts again).
    private static func requeue(_ row: inout RenderRecord, error: String?) {
        row.status = .queued
        row.stage = .queued
        row.progress = 0
        row.frame = nil
        row.fps = nil
        row.error = error
    }

    /// Records a terminal event and hands it to the render's webhook, if any.
    private func finish(_ id: String, _ kind: RenderEvent.Kind, _ update: @Sendable (inout RenderRecord) -> Void) async throws {
        guard let row = try await events.record(id, kind, update), let url = row.webhookUrl else { return }
        await webhooks.deliver(kind: kind, snapshot: RenderSnapshot(row, queuePosition: nil), to: url)
    }

    private func compile(_ record: RenderRecord) async throws -> RenderPlan {
        let timeline = try TimelineDocument.decode(Data(record.document.utf8))
        let merge = try record.merge.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        let resolve = try await sources.resolver(for: timeline.applyingMerge(merge), userId: record.userId, materialize: true)
        return try RenderCompiler.compile(timeline, merge: merge, resolve: resolve)
    }

    /// Runs the executor on the work queue; progress flows through a newest-only stream so the
    /// render thread never waits for subscribers or the database.
    private func run(_ plan: RenderPlan, renderId: String, output: URL, cancel: CancellationFlag) async throws -> RenderResult {
        let (ticks, continuation) = AsyncStream<RenderProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let consumer = Task { [events] in
            for await tick in ticks {
                _ = try? await events.record(renderId, .progress) { row in
                    row.progress = tick.fraction
                    row.frame = tick.frame
                    row.fps = tick.fps
                }
                // At most ~4 progress events per second, whatever the frame rate.
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        let path = output.path
        let result: Result<RenderResult, RenderError> = await withCheckedContinuation { resume in
            workQueue.async {
                resume.resume(returning: Result { () throws(RenderError) in
                    try RenderExecutor.run(plan, outputPath: path, cancel: cancel) { tick in
                        continuation.yield(tick)
                    }
                })
            }
        }
        continuation.finish()
        await consumer.value
        if case .success(let done) = result {
            logger.debug("render made", metadata: ["render": "\(renderId)", "method": "\(done.method)", "notes": "\(done.notes.joined(separator: "; "))"])
        }
        return try result.get()
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as RenderError: return error.description
        case let error as StoreError: return error.description
        default: return String(describing: error)
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds >= 3600 ? "\(seconds / 3600) h \(seconds % 3600 / 60) min" : seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }

    // MARK: Service

    /// Re-queues renders a previous process left behind, in their order, then works until shutdown.
    /// On shutdown it takes no new work, lets running renders finish within the grace period, then
    /// stops the rest; they go back to the queue for the next start.
    func run() async throws {
        let recovery = try database.recoverInterruptedRenders(maxAttempts: settings.maxAttempts)
        for row in recovery.failed {
            logger.error("render failed: the server stopped while rendering it on each of its attempts", metadata: ["render": "\(row.id)", "attempts": "\(row.attempts)"])
            do {
                // The row is already failed; this numbers and publishes the event and calls the webhook.
                try await finish(row.id, .failed) { _ in }
            } catch {
                logger.error("could not record a render's failure", metadata: ["render": "\(row.id)", "error": "\(Self.describe(error))"])
            }
        }
        for row in recovery.queued {
            pending.append(row.id)
            waiting[row.id] = (RenderSnapshot(row, queuePosition: pending.count), row.userId)
        }
        if !recovery.queued.isEmpty { logger.info("re-queued renders from a previous run", metadata: ["count": "\(recovery.queued.count)"]) }
        await pump()
        try? await gracefulShutdown()
        accepting = false
        guard !running.isEmpty else { return }
        logger.info("waiting for running renders", metadata: ["count": "\(running.count)", "grace": "\(Self.describe(settings.shutdownGrace))"])
        let grace = settings.shutdownGrace
        let deadline = Task {
            try await Task.sleep(for: grace)
            await self.stopRunning()
        }
        await withCheckedContinuation { idleWaiters.append($0) }
        deadline.cancel()
    }

    private func stopRunning() {
        for flag in running.values { flag.cancel() }
    }
}
