import Foundation
import ServiceLifecycle
import Store

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
}

/// Records render state changes and fans them out to SSE subscribers (the model is Hummingbird's
/// SSE example `Publisher`). Every change gets an id from one increasing sequence, is written to the
/// render row together with that id, and is kept in a ring of recent events, so `Last-Event-ID`
/// resumes exactly from memory, or from the rows' current state after a restart.
/// Each subscriber's buffer keeps only the newest messages: a slow client gets the latest state,
/// never an ever-growing backlog, and never slows a render.
actor RenderEvents: Service {
    private struct Subscriber {
        var renderId: String?
        var userId: String
        var continuation: AsyncStream<RenderStreamMessage>.Continuation
    }

    private let database: AppDatabase
    private let heartbeatInterval: Duration
    private let ringCapacity: Int
    private var lastId: Int64
    private var ring: [RenderEvent] = []
    private var subscribers: [UUID: Subscriber] = [:]

    init(database: AppDatabase, heartbeatInterval: Duration = .seconds(15), ringCapacity: Int = 4096) throws {
        self.database = database
        self.heartbeatInterval = heartbeatInterval
        self.ringCapacity = ringCapacity
        lastId = try database.maxRenderEventId()
    }

    /// Ids follow the clock (microseconds) so they keep increasing across restarts, and never repeat.
    private func nextId() -> Int64 {
        lastId = max(lastId + 1, Int64(Date().timeIntervalSince1970 * 1_000_000))
        return lastId
    }

    /// Applies one state change to a render row and publishes it. After a terminal event, only a
    /// re-queue (retry) publishes again, so a late progress tick can never follow `completed`.
    @discardableResult
    func record(
        _ renderId: String, _ kind: RenderEvent.Kind, queuePosition: Int? = nil, _ update: (inout RenderRecord) -> Void = { _ in }
    ) throws -> RenderRecord? {
        if kind == .progress, let current = try database.render(id: renderId), current.status != .rendering { return current }
        let id = nextId()
        guard let row = try database.updateRender(id: renderId, { row in
            update(&row)
            row.eventId = id
        }) else { return nil }
        deliver(RenderEvent(id: id, kind: kind, userId: row.userId, snapshot: RenderSnapshot(row, queuePosition: queuePosition)))
        return row
    }

    /// Publishes a change that lives only in memory: a waiting render's new queue position.
    func announce(_ snapshot: RenderSnapshot, userId: String) {
        deliver(RenderEvent(id: nextId(), kind: .queued, userId: userId, snapshot: snapshot))
    }

    private func deliver(_ event: RenderEvent) {
        ring.append(event)
        if ring.count > 2 * ringCapacity { ring.removeFirst(ring.count - ringCapacity) }
        for subscriber in subscribers.values where subscriber.userId == event.userId {
            if subscriber.renderId == nil || subscriber.renderId == event.snapshot.id {
                subscriber.continuation.yield(.event(event))
            }
        }
    }

    /// Events after `lastEventId` for one render (or all of a user's), and whether memory still holds
    /// every event since then (false after a restart or when the ring has moved on).
    func replay(after lastEventId: Int64, renderId: String?, userId: String) -> (events: [RenderEvent], complete: Bool) {
        let complete = lastEventId >= lastId || (ring.first.map { $0.id <= lastEventId } ?? false)
        let events = ring.filter { event in
            event.id > lastEventId && event.userId == userId && (renderId == nil || event.snapshot.id == renderId)
        }
        return (events, complete)
    }

    /// A subscriber's stream of messages, and a way to end it early (at shutdown).
    struct Subscription: Sendable {
        let stream: AsyncStream<RenderStreamMessage>
        let end: @Sendable () -> Void
    }

    /// Subscribes to one render's events, or with `renderId` nil to all of the user's renders.
    /// The stream ends when the subscriber goes away or `end` is called.
    func subscribe(renderId: String?, userId: String) -> Subscription {
        let (stream, continuation) = AsyncStream<RenderStreamMessage>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let token = UUID()
        subscribers[token] = Subscriber(renderId: renderId, userId: userId, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(token) }
        }
        return Subscription(stream: stream, end: { continuation.finish() })
    }

    var subscriberCount: Int { subscribers.count }

    private func unsubscribe(_ token: UUID) {
        subscribers[token] = nil
    }

    private func heartbeat() {
        for subscriber in subscribers.values { subscriber.continuation.yield(.heartbeat) }
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
