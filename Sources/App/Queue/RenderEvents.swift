import Foundation
import ServiceLifecycle
import Store
import Synchronization

/// One server-sent event about a render.
struct RenderEvent: Sendable {
    enum Kind: String, Sendable { case queued, started, progress, completed, failed, cancelled }
    /// Globally increasing event id, sent as the SSE `id:`; the newest one is stored on the render row.
    var id: Int64
    var kind: Kind
    var userId: String
    var snapshot: RenderSnapshot

    var isTerminal: Bool { kind == .completed || kind == .failed || kind == .cancelled }
}

/// What an SSE subscriber receives: events, and a keep-alive tick.
enum RenderStreamMessage: Sendable {
    case event(RenderEvent)
    case heartbeat
    /// A batch changed as a whole (cancelled, retried, finished): its stream recounts.
    case batchChanged
}

/// Records render state changes and fans them out to SSE subscribers (the model is Hummingbird's
/// SSE example `Publisher`). Every change gets an id from one increasing sequence, is written to the
/// render row together with that id, and is kept in a ring of recent events, so `Last-Event-ID`
/// resumes exactly from memory, or from the rows' current state after a restart.
/// A slow subscriber never slows a render and never builds an ever-growing backlog: once it is
/// `progressBacklog` messages behind, further progress events for it are skipped (the next one, or
/// the terminal event, carries the latest state), while state changes (queued, started, terminal)
/// are always delivered, so none is ever lost.
actor RenderEvents: Service {
    private struct Subscriber {
        var renderId: String?
        /// Only the renders of this batch (and its `batchChanged` messages).
        var batchId: String?
        var userId: String
        var continuation: AsyncStream<RenderStreamMessage>.Continuation
        var backlog: Backlog
    }

    /// Messages handed to a subscriber that it has not taken yet.
    final class Backlog: Sendable {
        private let count = Atomic<Int>(0)
        var value: Int { count.load(ordering: .relaxed) }
        func added() { count.add(1, ordering: .relaxed) }
        /// The subscriber calls this for every message it takes from its stream.
        func taken() { count.subtract(1, ordering: .relaxed) }
    }

    static let progressBacklog = 16

    private let database: AppDatabase
    private let heartbeatInterval: Duration
    private let ringCapacity: Int
    private var lastId: Int64
    private var ring: [RenderEvent] = []
    private var subscribers: [UUID: Subscriber] = [:]

    /// Keeps state changes in order: ids are given, rows written and events delivered one change at a
    /// time, so a late progress tick can never overtake `completed` across the database write.
    private let order = AsyncGate(limit: 1)

    init(database: AppDatabase, heartbeatInterval: Duration = .seconds(15), ringCapacity: Int = 4096) async throws {
        self.database = database
        self.heartbeatInterval = heartbeatInterval
        self.ringCapacity = ringCapacity
        lastId = try await database.maxRenderEventId()
    }

    /// Ids follow the clock (microseconds) so they keep increasing across restarts, and never repeat.
    private func nextId() -> Int64 {
        lastId = max(lastId + 1, Int64(Date().timeIntervalSince1970 * 1_000_000))
        return lastId
    }

    /// An id for a change written outside `record` (a batch's renders cancelled or re-queued at once).
    func freshId() async -> Int64 {
        await order.withPlace { nextId() }
    }

    /// Tells a batch's subscribers it changed as a whole, so they count its renders again.
    func batchChanged(batchId: String, userId: String) {
        for subscriber in subscribers.values where subscriber.userId == userId && subscriber.batchId == batchId {
            subscriber.backlog.added()
            subscriber.continuation.yield(.batchChanged)
        }
    }

    /// Applies one state change to a render row and publishes it. After a terminal event, only a
    /// re-queue (retry) publishes again, so a late progress tick can never follow `completed`.
    @discardableResult
    func record(
        _ renderId: String, _ kind: RenderEvent.Kind, queuePosition: Int? = nil, _ update: @Sendable (inout RenderRecord) -> Void = { _ in }
    ) async throws -> RenderRecord? {
        try await order.withPlace {
            if kind == .progress, let current = try await database.render(id: renderId), current.status != .rendering { return current }
            let id = nextId()
            guard let row = try await database.updateRender(id: renderId, { row in
                update(&row)
                row.eventId = id
            }) else { return nil }
            deliver(RenderEvent(id: id, kind: kind, userId: row.userId, snapshot: RenderSnapshot(row, queuePosition: queuePosition)))
            return row
        }
    }

    /// Publishes a change that lives only in memory: a waiting render's new queue position.
    func announce(_ snapshot: RenderSnapshot, userId: String) async {
        await order.withPlace {
            deliver(RenderEvent(id: nextId(), kind: .queued, userId: userId, snapshot: snapshot))
        }
    }

    private func deliver(_ event: RenderEvent) {
        ring.append(event)
        if ring.count > 2 * ringCapacity { ring.removeFirst(ring.count - ringCapacity) }
        for subscriber in subscribers.values where subscriber.userId == event.userId {
            if (subscriber.renderId == nil || subscriber.renderId == event.snapshot.id),
               subscriber.batchId == nil || subscriber.batchId == event.snapshot.batchId {
                if event.kind == .progress, subscriber.backlog.value >= Self.progressBacklog { continue }
                subscriber.backlog.added()
                subscriber.continuation.yield(.event(event))
            }
        }
    }

    /// Events after `lastEventId` for one render (or all of a user's), and whether memory still holds
    /// every event since then (false after a restart or when the ring has moved on).
    func replay(after lastEventId: Int64, renderId: String?, batchId: String? = nil, userId: String) -> (events: [RenderEvent], complete: Bool) {
        let complete = lastEventId >= lastId || (ring.first.map { $0.id <= lastEventId } ?? false)
        let events = ring.filter { event in
            event.id > lastEventId && event.userId == userId && (renderId == nil || event.snapshot.id == renderId)
                && (batchId == nil || event.snapshot.batchId == batchId)
        }
        return (events, complete)
    }

    /// A subscriber's stream of messages, and a way to end it early (at shutdown).
    struct Subscription: Sendable {
        let stream: AsyncStream<RenderStreamMessage>
        let backlog: Backlog
        let end: @Sendable () -> Void
    }

    /// Subscribes to one render's events, or with `renderId` nil to all of the user's renders.
    /// The stream ends when the subscriber goes away or `end` is called.
    func subscribe(renderId: String?, batchId: String? = nil, userId: String) -> Subscription {
        // Unbounded, but bounded in practice: progress stops being queued once the subscriber is behind.
        let (stream, continuation) = AsyncStream<RenderStreamMessage>.makeStream(bufferingPolicy: .unbounded)
        let token = UUID()
        let backlog = Backlog()
        subscribers[token] = Subscriber(renderId: renderId, batchId: batchId, userId: userId, continuation: continuation, backlog: backlog)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(token) }
        }
        return Subscription(stream: stream, backlog: backlog, end: { continuation.finish() })
    }

    var subscriberCount: Int { subscribers.count }

    private func unsubscribe(_ token: UUID) {
        subscribers[token] = nil
    }

    private func heartbeat() {
        // A subscriber that is behind has data waiting; a keep-alive would only add to it.
        for subscriber in subscribers.values where subscriber.backlog.value == 0 {
            subscriber.backlog.added()
            subscriber.continuation.yield(.heartbeat)
        }
    }

    /// Sends heartbeats until the service group shuts down, then ends every stream.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.heartbeatInterval)
                await self.heartbeat()
            }
        }
        for subscriber in subscribers.values { subscriber.continuation.finish() }
    }
}
