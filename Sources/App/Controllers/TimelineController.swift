import Foundation
import Hummingbird
import Compiler
import Render
import TimelineModel
import Store

/// `/projects/{id}/timelines`, `/timelines/{id}` (versioned with `If-Match`), `/timelines/validate`
/// and frame previews (`/timelines/{id}/frame`, or `POST /timelines/frame` for an unsaved document).
struct TimelineController {
    let database: AppDatabase
    let sources: AssetSources
    let pictures: PictureRenderer
    /// Decoding, validating and compiling documents (large ones take a while; compiling asks fontconfig).
    let io: BlockingWork
    /// Decoding, validating and compiling documents (`WorkLanes.documents`).
    let documents: BlockingWork

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("timelines/validate", use: validate)
        group.get("projects/:projectId/timelines", use: list)
        group.post("projects/:projectId/timelines", use: create)
        group.get("timelines/:timelineId", use: get)
        group.put("timelines/:timelineId", use: update)
        group.delete("timelines/:timelineId", use: delete)
        group.get("timelines/:timelineId/frame", use: frame)
        group.post("timelines/frame", use: frameOfDocument)
    }

    /// `?t=SECONDS&width=PX`: the saved timeline's picture at `t` as a JPEG, through the same
    /// compiler and graph as a render, seeking each input to `t`.
    @Sendable func frame(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("timelineId")
        let t = try request.queryNumber("t", in: 0...Timeline.maxTime) ?? 0
        let width = try request.queryInteger("width", default: Self.previewWidth, in: 16...7680)
        guard let record = try await database.timeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
        let document = record.document
        return try await framePicture(try await documents.run { try TimelineDocument.decode(Data(document.utf8)) }, at: t, width: width, userId: userId)
    }

    /// `{document, t, width}`: the same for a document being edited, before it is saved.
    @Sendable func frameOfDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(FrameRequest.self, from: request, context: context).value
        let document = body.document
        let t = try JSONBody.bounded(body.t, "t", in: 0...Timeline.maxTime) ?? 0
        let width = try JSONBody.bounded(body.width, "width", in: 16...7680).map { Int($0) } ?? Self.previewWidth
        return try await framePicture(try await documents.run { try document.timeline() }, at: t, width: width, userId: try context.userId)
    }

    static let previewWidth = 640

    private func framePicture(_ document: Timeline, at t: Double, width: Int, userId: String) async throws -> Response {
        var still = document
        still.output = document.output.composedForPreview(width: width)
        still.output.format = .jpg
        still.output.audio = nil
        still.output.loudness = nil
        still.output.range = Timeline.TimeRange(start: t, end: t + 1 / max(1, document.output.fps))
        let resolve = try await sources.resolver(for: still, userId: userId, materialize: true)
        // A deleted asset's clips show as red placeholders (or are left out) instead of failing the
        // whole picture; renders still refuse them.
        let shown = still.placeholdingMissing { resolve($0) != nil }.timeline
        let plan = try await documents.run { try RenderCompiler.compile(shown, resolve: resolve) }
        let jpeg = try await pictures.picture(plan, ext: "jpg")
        return Response(
            status: .ok,
            headers: [.contentType: "image/jpeg", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: jpeg)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let projectId = try context.parameters.require("projectId")
        guard try await database.project(id: projectId, userId: userId) != nil else { throw APIError.notFound("project") }
        let (page, limit) = try request.pageParameters()
        let result = try await database.timelines(projectId: projectId, userId: userId, page: page, limit: limit)
        let timelines = try await dto(result.items)
        return try APIResponse.page(Page(items: timelines, page: result.page, limit: result.limit, total: result.total), context: context) { $0 }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let projectId = try context.parameters.require("projectId")
        let body = try await JSONBody.read(TimelineRequest.self, from: request, context: context).value
        let name = try body.validName() ?? "Untitled timeline"
        let document = try await canonicalDocument(body.document)
        guard try await database.project(id: projectId, userId: userId) != nil else { throw APIError.notFound("project") }
        let record = try await database.createTimeline(projectId: projectId, userId: userId, name: name, document: document)
        return try APIResponse.json(
            try await dto(record), status: .created,
            headers: [.location: "/api/v1/timelines/\(record.id)", .eTag: "\"\(record.version)\""], context: context
        )
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("timelineId")
        guard let record = try await database.timeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
        return try APIResponse.json(try await dto(record), headers: [.eTag: "\"\(record.version)\""], context: context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("timelineId")
        guard let raw = request.headers[.ifMatch] else {
            throw APIError(status: .preconditionRequired, code: "PRECONDITION_REQUIRED", message: "PUT needs an If-Match header with the timeline's current version")
        }
        guard let expected = Int(raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))), expected > 0 else {
            throw APIError.badRequest("If-Match must be the timeline version, e.g. If-Match: 3")
        }
        let body = try await JSONBody.read(TimelineRequest.self, from: request, context: context).value
        let name = try body.validName()
        let document = try await canonicalDocument(body.document)
        let record = try await database.updateTimeline(id: id, userId: userId, expectedVersion: expected, name: name, document: document)
        return try APIResponse.json(try await dto(record), headers: [.eTag: "\"\(record.version)\""], context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("timelineId")
        guard try await database.deleteTimeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
        return Response(status: .noContent)
    }

    /// The body is the document itself; answers 200 `{valid: true}` or 422 listing every problem.
    @Sendable func validate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let data = try await JSONBody.collect(request, context: context, named: "the document")
        // Read as far as it goes, so the answer lists reading problems and source checks together.
        let reading = try await documents.run { try TimelineDocument.read(data) }
        let resolve = try await sources.resolver(for: reading.timeline, userId: userId)
        let duration = try await documents.run { () throws -> Double in
            let issues = RenderCompiler.issues(of: reading, resolve: resolve)
            guard issues.isEmpty else { throw APIError.invalid(issues) }
            return reading.timeline.duration(resolve: resolve)
        }
        struct Valid: Encodable { var valid = true; var duration: Double }
        return try APIResponse.json(Valid(duration: duration), context: context)
    }

    /// The API's shape of stored timelines; their documents are decoded again on the `io` lane.
    private func dto(_ records: [TimelineRecord]) async throws -> [TimelineDTO] {
        try await io.run { try records.map(TimelineDTO.init) }
    }

    private func dto(_ record: TimelineRecord) async throws -> TimelineDTO {
        try await io.run { try TimelineDTO(record) }
    }

    /// Parses `document` strictly and stores its canonical form (presets expanded, keys sorted).
    /// Structure is checked on save; references and overlaps are checked by validate and render,
    /// so work in progress can be saved.
    func canonicalDocument(_ document: RawJSON) async throws -> String {
        try await io.run {
            let timeline = try document.timeline()
            return String(decoding: timeline.encodedJSON(), as: UTF8.self)
        }
    }
}
