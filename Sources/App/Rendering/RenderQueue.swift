import Dispatch
import Foundation
import Logging
import Render
import ServiceLifecycle
import Store

/// The bounded render work queue. Every job is a `render` row first; the actor keeps the order of
/// waiting ids and the cancellation flags of running ones, and runs at most `concurrency` renders
/// at once on its own Dispatch queue (never on the Swift concurrency pool: renders block for minutes).
actor RenderQueue: Service {
    /// Why a submission was refused.
    enum Rejection: Error {
        case full(capacity: Int)
        case shuttingDown
    }

    private let database: AppDatabase
    private let blobs: any BlobStore
    private let sources: AssetSources
    private let events: RenderEvents
    private let concurrency: Int
    private let capacity: Int
    private let logger: Logger
    private let workQueue = DispatchQueue(label: "cutroom.render", qos: .userInitiated, attributes: .concurrent)

    private var pending: [String] = []
    private var running: [String: CancellationFlag] = [:]
    private var cancelRequested: Set<String> = []
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(database: AppDatabase, blobs: any BlobStore, events: RenderEvents, concurrency: Int, capacity: Int, logger: Logger) {
        self.database = database
        self.blobs = blobs
        self.sources = AssetSources(database: database, blobs: blobs)
        self.events = events
        self.concurrency = max(1, concurrency)
        self.capacity = capacity
        self.logger = logger
    }

    // MARK: Submitting and observing

    /// Stores the render row and queues it, or refuses without storing anything.
    func submit(_ record: RenderRecord) throws -> RenderRecord {
        guard accepting else { throw Rejection.shuttingDown }
        guard pending.count < capacity else { throw Rejection.full(capacity: capacity) }
        let stored = try database.insertRender(record)
        pending.append(stored.id)
        let snapshot = RenderSnapshot(stored, queuePosition: pending.count)
        Task { [events] in await events.publish(.queued, snapshot) }
        pump()
        return stored
    }

    /// 1-based place among waiting renders; nil when not waiting.
    func queuePosition(of id: String) -> Int? {
        pending.firstIndex(of: id).map { $0 + 1 }
    }

    var depth: Int { pending.count }
    var runningCount: Int { running.count }

    /// Cancels a waiting or running render. Returns false when it is neither (already finished).
    func cancel(_ id: String) throws -> Bool {
        if let index = pending.firstIndex(of: id) {
            pending.remove(at: index)
            if let record = try database.updateRender(id: id, { row in
                row.status = .cancelled
                row.stage = .done
                row.completedAt = Date()
            }) {
                Task { [events] in await events.publish(.cancelled, RenderSnapshot(record, queuePosition: nil)) }
            }
            return true
        }
        if let flag = running[id] {
            cancelRequested.insert(id)
            flag.cancel()
            return true
        }
        return false
    }

    // MARK: Running

    private func pump() {
        while accepting, running.count < concurrency, !pending.isEmpty {
            let id = pending.removeFirst()
            let flag = CancellationFlag()
            running[id] = flag
            Task { await self.execute(id, cancel: flag) }
        }
    }

    private func finished(_ id: String) {
        running[id] = nil
        cancelRequested.remove(id)
        pump()
        if running.isEmpty {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters.removeAll()
        }
    }

    private func execute(_ id: String, cancel: CancellationFlag) async {
        defer { finished(id) }
        guard let queued = try? database.updateRender(id: id, { row in
            row.status = .rendering
            row.stage = .preparing
            row.progress = 0
            row.attempts += 1
            row.startedAt = Date()
            row.error = nil
        }) else {
            logger.error("render row vanished before it started", metadata: ["render": "\(id)"])
            return
        }
        await events.publish(.started, RenderSnapshot(queued, queuePosition: nil))

        let scratch = blobs.scratchDirectory.appendingPathComponent("render-\(id).partial.\(queued.format)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            let plan = try await compile(queued)
            _ = try database.updateRender(id: id, { row in
                row.stage = .rendering
                row.totalFrames = plan.totalFrames
                row.frame = 0
            })
            try await run(plan, record: queued, output: scratch, cancel: cancel)
            let finalizing = try database.updateRender(id: id, { row in row.stage = .finalizing; row.progress = 1 })
            if let finalizing { await events.publish(.progress, RenderSnapshot(finalizing, queuePosition: nil)) }
            let key = try BlobKey.renderOutput(userId: queued.userId, renderId: id, ext: queued.format)
            let size = (try? FileManager.default.attributesOfItem(atPath: scratch.path)[.size] as? NSNumber)?.int64Value
            try await blobs.put(key, movingFile: scratch)
            let done = try database.updateRender(id: id, { row in
                row.status = .completed
                row.stage = .done
                row.progress = 1
                row.frame = row.totalFrames
                row.outputKey = key.rawValue
                row.outputSize = size
                row.completedAt = Date()
            })
            if let done { await events.publish(.completed, RenderSnapshot(done, queuePosition: nil)) }
        } catch RenderError.cancelled where !cancelRequested.contains(id) {
            // Stopped by shutdown, not by a user: back to the queue for the next start.
            _ = try? database.updateRender(id: id, { row in
                row.status = .queued
                row.stage = .queued
                row.progress = 0
                row.frame = nil
            })
        } catch {
            let cancelled = cancelRequested.contains(id)
            let message = Self.describe(error)
            let row = try? database.updateRender(id: id, { row in
                row.status = cancelled ? .cancelled : .failed
                row.stage = .done
                row.error = cancelled ? nil : message
                row.completedAt = Date()
            })
            if !cancelled { logger.warning("render failed", metadata: ["render": "\(id)", "error": "\(message)"]) }
            if let row { await events.publish(cancelled ? .cancelled : .failed, RenderSnapshot(row, queuePosition: nil)) }
        }
    }

    private func compile(_ record: RenderRecord) async throws -> RenderPlan {
        let timeline = try TimelineDocument.decode(Data(record.document.utf8))
        let merge = try record.merge.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        let resolve = try await sources.resolver(for: timeline.applyingMerge(merge), userId: record.userId)
        return try RenderCompiler.compile(timeline, merge: merge, resolve: resolve)
    }

    /// Runs the executor on the work queue; progress flows through a newest-only stream so the
    /// render thread never waits for subscribers or the database.
    private func run(_ plan: RenderPlan, record: RenderRecord, output: URL, cancel: CancellationFlag) async throws {
        let (ticks, continuation) = AsyncStream<RenderProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let consumer = Task { [database, events] in
            for await tick in ticks {
                guard let row = try? database.updateRender(id: record.id, { row in
                    row.progress = tick.fraction
                    row.frame = tick.frame
                    row.fps = tick.fps
                }) else { continue }
                await events.publish(.progress, RenderSnapshot(row, queuePosition: nil))
                // At most ~4 progress events per second, whatever the frame rate.
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        defer { consumer.cancel() }
        let path = output.path
        let result: Result<Void, RenderError> = await withCheckedContinuation { resume in
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
        try result.get()
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as RenderError: return error.description
        case let error as StoreError: return error.description
        default: return String(describing: error)
        }
    }

    // MARK: Service

    /// Re-queues renders a previous process left behind, in their order, then works until shutdown.
    /// On shutdown, running renders are stopped and left queued for the next start.
    func run() async throws {
        let recovered = try database.recoverInterruptedRenders()
        pending = recovered.map(\.id)
        if !recovered.isEmpty { logger.info("re-queued renders from a previous run", metadata: ["count": "\(recovered.count)"]) }
        pump()
        try? await gracefulShutdown()
        accepting = false
        for flag in running.values { flag.cancel() }
        if !running.isEmpty {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }
}
