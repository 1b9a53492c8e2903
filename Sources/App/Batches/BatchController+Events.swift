import Foundation
import Hummingbird
import ServiceLifecycle
import Store

/// `GET /batches/{id}/events`: server-sent events of a batch. Its renders' events (`queued`,
/// `started`, `progress`, `completed`, `failed`, `cancelled`, with ids, resumable with
/// `Last-Event-ID` like render events), and `batch` events with the counts per status whenever
/// they change. `batch` events carry no id (they are recounted, not stored), so the last id a client
/// saw is always a render event's, a safe place to resume from. The stream ends after the
/// `batch` event that shows the batch finished.
extension BatchController {
    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let batch = try await requireBatch(context)
        let lastEventId = try RenderController.lastEventId(request)
        let live = await events.subscribe(renderId: nil, batchId: batch.id, userId: userId)
        // Read after subscribing, so nothing published in between is missed (duplicates are skipped by id).
        var opening: [RenderEvent] = []
        if let lastEventId {
            let (replayed, complete) = await events.replay(after: lastEventId, renderId: nil, batchId: batch.id, userId: userId)
            opening = replayed
            if !complete {
                var replayedUpTo: [String: Int64] = [:]
                for event in replayed { replayedUpTo[event.snapshot.id] = max(replayedUpTo[event.snapshot.id] ?? 0, event.id) }
                for row in try await database.batchRenders(id: batch.id, changedAfterEventId: lastEventId) where row.eventId > replayedUpTo[row.id] ?? 0 {
                    opening.append(try await currentEvent(row))
                }
            }
        } else {
            for row in try await database.batchRenders(id: batch.id, status: .rendering) { opening.append(try await currentEvent(row)) }
        }
        let ordered = opening.sorted { $0.id < $1.id }
        let first = try await snapshot(batch)
        let (database, batchId) = (database, batch.id)
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var sent: [String: Int64] = [:]
            for event in ordered {
                sent[event.snapshot.id] = max(sent[event.snapshot.id] ?? 0, event.id)
                try await writer.write(ByteBuffer(string: RenderController.format(event)))
            }
            var shown = first
            try await writer.write(ByteBuffer(string: Self.format(first)))
            if !first.isFinished {
                try await withGracefulShutdownHandler {
                    messages: for await message in live.stream {
                        live.backlog.taken()
                        var recount = true
                        switch message {
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .batchChanged:
                            break
                        case .event(let event):
                            guard event.id > sent[event.snapshot.id] ?? 0 else { continue }
                            sent[event.snapshot.id] = event.id
                            try await writer.write(ByteBuffer(string: RenderController.format(event)))
                            recount = event.kind != .progress
                        }
                        guard recount, let record = try await database.batch(id: batchId) else { continue }
                        let now = BatchSnapshot(record, counts: try await database.batchCounts(id: batchId))
                        guard now.counts != shown.counts else { continue }
                        shown = now
                        try await writer.write(ByteBuffer(string: Self.format(now)))
                        if now.isFinished { break messages }
                    }
                } onGracefulShutdown: {
                    live.end()
                }
            }
            live.end()
            try await writer.finish(nil)
        })
    }

    private func currentEvent(_ row: RenderRecord) async throws -> RenderEvent {
        RenderEvent(id: row.eventId, kind: RenderController.kind(of: row), userId: row.userId, snapshot: RenderSnapshot(row, queuePosition: await queue.queuePosition(of: row.id)))
    }

    static func format(_ snapshot: BatchSnapshot) -> String {
        let data = (try? APIResponse.encoder.encode(snapshot)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "event: batch\ndata: \(data)\n\n"
    }
}
