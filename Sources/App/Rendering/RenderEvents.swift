import Foundation
import ServiceLifecycle

/// One server-sent event about a render.
struct RenderEvent: Sendable {
    enum Kind: String, Sendable { case queued, started, progress, completed, failed, cancelled }
    /// Per-render sequence number, sent as the SSE `id:`.
    var sequence: Int
    var kind: Kind
    var snapshot: RenderSnapshot

    var isTerminal: Bool { kind == .completed || kind == .failed || kind == .cancelled }
}

/// What an SSE subscriber receives: events, and a keep-alive tick.
enum RenderStreamMessage: Sendable {
    case event(RenderEvent)
    case heartbeat
}

/// Fans render events out to SSE subscribers (the model is Hummingbird's SSE example `Publisher`).
/// Each subscriber's buffer keeps only the newest few messages, so a slow client gets the latest
/// state instead of an ever-growing backlog and never slows the render.
actor RenderEvents: Service {
    private var sequences: [String: Int] = [:]
    private var latest: [String: RenderEvent] = [:]
    private var subscribers: [String: [UUID: AsyncStream<RenderStreamMessage>.Continuation]] = [:]
    private let heartbeatInterval: Duration

    init(heartbeatInterval: Duration = .seconds(15)) {
        self.heartbeatInterval = heartbeatInterval
    }

    /// Publishes an event. After a terminal event nothing more is published for that render,
    /// so a late progress tick can never follow `completed`.
    func publish(_ kind: RenderEvent.Kind, _ snapshot: RenderSnapshot) {
        let id = snapshot.id
        if let last = latest[id], last.isTerminal, kind != .queued { return }
        if kind == .progress, let last = latest[id], let lastFrame = last.snapshot.frame, let frame = snapshot.frame, frame < lastFrame { return }
        let sequence = (sequences[id] ?? 0) + 1
        sequences[id] = sequence
        let event = RenderEvent(sequence: sequence, kind: kind, snapshot: snapshot)
        latest[id] = event
        for continuation in subscribers[id]?.values ?? [:].values {
            continuation.yield(.event(event))
        }
    }

    /// The newest event of a render, if any was published since start.
    func latestEvent(for renderId: String) -> RenderEvent? { latest[renderId] }

    /// The next sequence number a render's stream will use (so snapshots read from the database fit in).
    func currentSequence(for renderId: String) -> Int { sequences[renderId] ?? 0 }

    /// Subscribes to one render's events; the stream ends when the subscriber goes away.
    func subscribe(to renderId: String) -> AsyncStream<RenderStreamMessage> {
        let (stream, continuation) = AsyncStream<RenderStreamMessage>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let token = UUID()
        subscribers[renderId, default: [:]][token] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(renderId, token) }
        }
        return stream
    }

    func subscriberCount(for renderId: String) -> Int { subscribers[renderId]?.count ?? 0 }

    private func unsubscribe(_ renderId: String, _ token: UUID) {
        subscribers[renderId]?[token] = nil
        if subscribers[renderId]?.isEmpty == true { subscribers[renderId] = nil }
    }

    private func heartbeat() {
        for continuation in subscribers.values.flatMap(\.values) {
            continuation.yield(.heartbeat)
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
        for continuation in subscribers.values.flatMap(\.values) { continuation.finish() }
    }
}
