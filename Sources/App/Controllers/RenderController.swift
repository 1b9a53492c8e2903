import Foundation
import Hummingbird
import Compiler
import Render
import TimelineModel
import ServiceLifecycle
import Store

/// `/renders`: submit (202), list, get, cancel, live events (SSE) and the finished output.
struct RenderController {
    let database: AppDatabase
    let blobs: any BlobStore
    let sources: AssetSources
    let queue: RenderQueue
    let events: RenderEvents
    /// Decoding and validating documents.
    let io: BlockingWork
    /// Decoding, validating and compiling documents (`WorkLanes.documents`).
    let documents: BlockingWork
    let webhooks: WebhookPolicy
    /// Validation and the size limit of every submitted render.
    let preparation: RenderPreparation

    /// Whether webhooks can be sent (a signing secret is configured) and where they may go.
    struct WebhookPolicy {
        var enabled: Bool
        var allowPrivate: Bool

        /// A request's `webhookUrl`, checked: bounded, webhooks configured, a public http(s) address.
        func check(_ raw: String?) throws -> String? {
            guard let url = try JSONBody.bounded(raw, "webhookUrl", maxLength: 2048) else { return nil }
            guard enabled else {
                throw APIError.invalid("webhooks are off: the server has no CUTROOM_WEBHOOK_SECRET to sign them with", details: [.init(path: "/webhookUrl", message: "webhooks are not configured on this server")])
            }
            if let problem = WebhookDispatcher.validate(url, allowPrivate: allowPrivate) {
                throw APIError.invalid("webhookUrl \(problem)", details: [.init(path: "/webhookUrl", message: problem)])
            }
            return url
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("renders", use: create)
        group.post("renders/:renderId/retry", use: retry)
        group.get("events", use: streamAll)
        group.get("renders", use: list)
        group.get("renders/:renderId", use: get)
        group.delete("renders/:renderId", use: cancel)
        group.get("renders/:renderId/events", use: stream)
        group.get("renders/:renderId/output", use: output)
        group.head("renders/:renderId/output", use: output)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (dto, body) = try await JSONBody.read(RenderRequest.self, from: request, context: context)
        let webhookUrl = try webhooks.check(dto.webhookUrl)
        let merge = dto.merge ?? [:]
        let idempotencyKey = try Self.idempotencyKey(request)
        var projectId = try JSONBody.bounded(dto.projectId, "projectId", maxLength: 64)
        var timelineId: String?
        let timeline: Timeline
        switch (try JSONBody.bounded(dto.timelineId, "timelineId", maxLength: 64), dto.timeline) {
        case (let id?, nil):
            guard let record = try await database.timeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
            if let projectId, projectId != record.projectId {
                throw APIError.invalid("the timeline belongs to another project", details: [.init(path: "/projectId", message: "does not match the timeline's project")])
            }
            let document = record.document
            timeline = try await documents.run { try TimelineDocument.decode(Data(document.utf8)) }
            timelineId = id
            projectId = record.projectId
        case (nil, let document?):
            timeline = try await documents.run { try document.timeline() }
            if let projectId, try await database.project(id: projectId, userId: userId) == nil { throw APIError.notFound("project") }
        case (.some, .some):
            throw APIError.invalid("send either 'timelineId' or 'timeline', not both", details: [.init(path: "/timeline", message: "conflicts with /timelineId")])
        case (nil, nil):
            throw APIError.invalid("'timelineId' or 'timeline' is required", details: [.init(path: "/timelineId", message: "is required")])
        }

        let resolve = try await sources.resolver(for: timeline.applyingMerge(merge), userId: userId)
        let preparation = preparation
        let inline = dto.timeline
        // Problems of an inline document are reported under /timeline; those of a request's merge
        // value (/merge/NAME) stay where they are.
        let requestMerge: @Sendable (String) -> Bool = { path in merge.keys.contains { path == "/merge/" + JSONBody.escape($0) } }
        let prepared = try await documents.run {
            guard let inline else { return try preparation.prepare(timeline, merge: merge, resolve: resolve) }
            return try inline.located(keeping: requestMerge) { try preparation.prepare(timeline, merge: merge, resolve: resolve) }
        }
        let record = RenderRecord(
            id: Identifier.make(), userId: userId, projectId: projectId, timelineId: timelineId,
            format: prepared.format,
            document: prepared.document,
            merge: merge.isEmpty ? nil : String(decoding: try JSONEncoder().encode(merge), as: UTF8.self),
            idempotencyKey: idempotencyKey, requestHash: idempotencyKey == nil ? nil : body.canonicalHash, webhookUrl: webhookUrl,
            workloadHours: prepared.hours
        )
        let (stored, created) = try await queue.submit(record)
        let position = await queue.queuePosition(of: stored.id)
        var headers: HTTPFields = [.location: "/api/v1/renders/\(stored.id)"]
        if !created { headers[.init("Idempotent-Replayed")!] = "true" }
        return try APIResponse.json(RenderSnapshot(stored, queuePosition: position), status: .accepted, headers: headers, context: context)
    }

    /// `POST /renders/{id}/retry`: a failed or cancelled render goes back to the end of the queue.
    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("renderId")
        guard let row = try await queue.retry(id, userId: userId) else { throw APIError.notFound("render") }
        let position = await queue.queuePosition(of: row.id)
        return try APIResponse.json(RenderSnapshot(row, queuePosition: position), status: .accepted, context: context)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (page, limit) = try request.pageParameters()
        let query = request.uri.queryParameters
        var status: RenderRecord.Status?
        if let raw = query["status"] {
            guard let parsed = RenderRecord.Status(rawValue: String(raw)) else {
                throw APIError.badRequest("query parameter 'status' must be one of queued, rendering, completed, failed, cancelled")
            }
            status = parsed
        }
        let projectId = query["projectId"].map(String.init)
        let result = try await database.renders(userId: userId, projectId: projectId, status: status, page: page, limit: limit)
        var positions: [String: Int] = [:]
        for record in result.items where record.status == .queued {
            positions[record.id] = await queue.queuePosition(of: record.id)
        }
        return try APIResponse.page(result, context: context) { RenderSnapshot($0, queuePosition: positions[$0.id]) }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await requireRender(context)
        return try APIResponse.json(RenderSnapshot(record, queuePosition: await queue.queuePosition(of: record.id)), context: context)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let record = try await requireRender(context)
        guard try await queue.cancel(record.id) else {
            throw APIError(status: .conflict, code: "ALREADY_FINISHED", message: "the render already ended (\(record.status.rawValue))")
        }
        let current = try await database.render(id: record.id, userId: userId) ?? record
        return try APIResponse.json(RenderSnapshot(current, queuePosition: nil), status: .accepted, context: context)
    }

    @Sendable func output(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await requireRender(context)
        guard record.status == .completed, let raw = record.outputKey else {
            throw APIError(status: .notFound, code: "NOT_READY", message: "the render has no output (status \(record.status.rawValue))")
        }
        return try await FileResponse.blob(
            BlobKey(validating: raw), in: blobs, contentType: FileResponse.contentType(forExtension: record.format),
            downloadName: "render-\(record.id).\(record.format)", request: request, context: context, io: io)
    }

    /// Server-sent events of one render: the current state first (late joiners) or, with
    /// `Last-Event-ID`, everything after that event; then live events until a terminal one.
    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let record = try await requireRender(context)
        let lastEventId = try Self.lastEventId(request)
        let stream = await events.subscribe(renderId: record.id, userId: userId)
        // Read after subscribing, so nothing published in between is missed (duplicates are skipped by id).
        let current = try await database.render(id: record.id, userId: userId) ?? record
        var opening: [RenderEvent] = []
        if let lastEventId {
            let (replayed, complete) = await events.replay(after: lastEventId, renderId: record.id, userId: userId)
            opening = replayed
            if !complete, opening.isEmpty, current.eventId > lastEventId {
                opening = [try await currentEvent(current)]
            }
        } else {
            opening = [try await currentEvent(current)]
        }
        // A render that has ended publishes nothing more: its terminal event is sent now or was seen before.
        let ended = current.status.isTerminal
        return Self.eventStream(opening: opening, live: ended ? nil : stream, closeOnTerminal: true)
    }

    /// Server-sent events of all the user's renders: waiting and running ones first (or, with
    /// `Last-Event-ID`, everything since), then live events; the stream stays open.
    @Sendable func streamAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let lastEventId = try Self.lastEventId(request)
        let stream = await events.subscribe(renderId: nil, userId: userId)
        var opening: [RenderEvent] = []
        if let lastEventId {
            let (replayed, complete) = await events.replay(after: lastEventId, renderId: nil, userId: userId)
            opening = replayed
            if !complete {
                // Memory lost some events since then: a render's current state stands in for what is
                // missing, unless the replay already reached that state.
                var replayedUpTo: [String: Int64] = [:]
                for event in replayed { replayedUpTo[event.snapshot.id] = max(replayedUpTo[event.snapshot.id] ?? 0, event.id) }
                for row in try await database.renders(userId: userId, changedAfterEventId: lastEventId)
                where row.eventId > replayedUpTo[row.id] ?? 0 {
                    opening.append(try await currentEvent(row))
                }
            }
        } else {
            for row in try await database.activeRenders(userId: userId) {
                opening.append(try await currentEvent(row))
            }
        }
        // In id order, so the last id a client saw is always a safe place to resume from.
        return Self.eventStream(opening: opening.sorted { $0.id < $1.id }, live: stream, closeOnTerminal: false)
    }

    private func currentEvent(_ row: RenderRecord) async throws -> RenderEvent {
        RenderEvent(id: row.eventId, kind: Self.kind(of: row), userId: row.userId, snapshot: RenderSnapshot(row, queuePosition: await queue.queuePosition(of: row.id)))
    }

    /// Writes the opening events, then live ones (skipping any already sent), with heartbeats.
    static func eventStream(opening: [RenderEvent], live: RenderEvents.Subscription?, closeOnTerminal: Bool) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            var sent: [String: Int64] = [:]
            for event in opening {
                sent[event.snapshot.id] = max(sent[event.snapshot.id] ?? 0, event.id)
                try await writer.write(ByteBuffer(string: format(event)))
            }
            if let live {
                // The server waits for open requests when it stops: a stream must end on shutdown
                // (clients reconnect with Last-Event-ID), or SIGTERM would wait for every browser.
                try await withGracefulShutdownHandler {
                    messages: for await message in live.stream {
                        live.backlog.taken()
                        switch message {
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .batchChanged:
                            continue
                        case .event(let event):
                            guard event.id > sent[event.snapshot.id] ?? 0 else { continue }
                            sent[event.snapshot.id] = event.id
                            try await writer.write(ByteBuffer(string: format(event)))
                            if closeOnTerminal, event.isTerminal { break messages }
                        }
                    }
                } onGracefulShutdown: {
                    live.end()
                }
            }
            try await writer.finish(nil)
        })
    }

    /// `Last-Event-ID`, when present, must be an event id this server issued.
    static func lastEventId(_ request: Request) throws -> Int64? {
        guard let raw = request.headers[.init("Last-Event-ID")!] else { return nil }
        guard let id = Int64(raw.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw APIError.badRequest("Last-Event-ID must be an event id from this stream")
        }
        return id
    }

    /// `Idempotency-Key`: 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[.init("Idempotency-Key")!] else { return nil }
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    static func kind(of record: RenderRecord) -> RenderEvent.Kind {
        switch record.status {
        case .queued: return .queued
        case .rendering: return record.frame == nil ? .started : .progress
        case .completed: return .completed
        case .failed: return .failed
        case .cancelled: return .cancelled
        }
    }

    static func format(_ event: RenderEvent) -> String {
        let data = (try? APIResponse.encoder.encode(event.snapshot)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(event.id)\nevent: \(event.kind.rawValue)\ndata: \(data)\n\n"
    }

    private func requireRender(_ context: AppRequestContext) async throws -> RenderRecord {
        let userId = try context.userId
        let id = try context.parameters.require("renderId")
        guard let record = try await database.render(id: id, userId: userId) else { throw APIError.notFound("render") }
        return record
    }
}
