import Foundation
import HTTPTypes
import Hummingbird
import Compiler
import Store
import TimelineModel

/// Editor playback segments (`PlaybackSegments`: about two seconds, whole frames), rendered by the
/// engine at a preview width as fragmented MP4 (H.264 + AAC) that the editor's player appends with
/// Media Source Extensions: `POST /timelines/segments` for a document being edited, `GET
/// /timelines/{id}/segments/{index}` for a saved timeline (and `GET /timelines/{id}/segments`, the
/// list with every segment's key, to plan). The ETag is the segment's key, the same for the same
/// document either way: a request with `If-None-Match` naming it is answered 304 without rendering,
/// so after an edit the player fetches again only the segments whose key changed.
struct SegmentController {
    let database: AppDatabase
    let sources: AssetSources
    let segments: SegmentRenderer
    let documents: BlockingWork
    let io: BlockingWork

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("timelines/segments", use: segment)
        group.get("timelines/:timelineId/segments", use: savedList)
        group.get("timelines/:timelineId/segments/:index", use: savedSegment)
    }

    @Sendable func segment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let body = try await JSONBody.read(SegmentRequest.self, from: request, context: context).value
        guard let rawIndex = body.index else { throw JSONBody.missing("index") }
        guard let index = try JSONBody.bounded(rawIndex, "index", in: 0...1_000_000).flatMap({ $0 == $0.rounded() ? Int($0) : nil }) else {
            throw APIError.invalid("'index' must be a whole number", details: [.init(path: "/index", message: "must be a whole number")])
        }
        let width = try JSONBody.bounded(body.width, "width", in: 16...7680).map { Int($0) } ?? TimelineController.previewWidth
        let document = body.document
        let timeline = try await documents.run { try document.timeline() }
        let playback = try await playback(of: timeline, width: width, userId: userId, pointer: "/document/tracks")
        return try await answer(playback, index: index, userId: userId, request: request, context: context) { count in
            APIError.invalid("'index' is past the end: the timeline has \(count) segments",
                             details: [.init(path: "/index", message: "must be less than \(count)")])
        }
    }

    /// `GET /timelines/{id}/segments/{index}?width=PX`: a segment of the saved timeline (its owner's).
    @Sendable func savedSegment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let raw = try context.parameters.require("index")
        let width = try request.queryInteger("width", default: TimelineController.previewWidth, in: 16...7680)
        // Like any path naming a thing that is not there: a segment past the end is not found.
        guard let index = Int(raw), index >= 0 else { throw APIError.notFound("segment '\(raw)'") }
        let playback = try await savedPlayback(context, width: width, userId: userId)
        return try await answer(playback, index: index, userId: userId, request: request, context: context) { count in
            APIError(status: .notFound, code: "NOT_FOUND", message: "segment \(index) not found: the timeline has \(count) segments")
        }
    }

    /// `GET /timelines/{id}/segments?width=PX`: every segment of the saved timeline with its window
    /// and key (the ETag its `GET` answers), so a client can plan and revalidate.
    @Sendable func savedList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let width = try request.queryInteger("width", default: TimelineController.previewWidth, in: 16...7680)
        let playback = try await savedPlayback(context, width: width, userId: userId)
        let list = try await documents.run { SegmentListDTO(playback) }
        return try APIResponse.json(list, context: context)
    }

    /// The saved timeline's playback; 404 unless it is the caller's.
    private func savedPlayback(_ context: AppRequestContext, width: Int, userId: String) async throws -> PlaybackSegments {
        let id = try context.parameters.require("timelineId")
        guard let record = try await database.timeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
        let document = record.document
        let timeline = try await documents.run { try TimelineDocument.decode(Data(document.utf8)) }
        return try await playback(of: timeline, width: width, userId: userId, pointer: "/tracks")
    }

    /// The document cut into segments at `width`; refused (422) when nothing would play.
    private func playback(of timeline: Timeline, width: Int, userId: String, pointer: String) async throws -> PlaybackSegments {
        // Keys need the sources' probes only; files are made local only for a render.
        let probes = try await sources.resolver(for: timeline, userId: userId)
        let playback = try await documents.run { PlaybackSegments(timeline, width: width, resolve: probes) }
        if !playback.missingIssues.isEmpty && playback.timeline.tracks.allSatisfy(\.clips.isEmpty) {
            // Nothing would be left to play: a black segment would hide the problem.
            throw APIError.invalid(playback.missingIssues)
        }
        guard playback.count > 0 else {
            throw APIError.invalid("the timeline is empty: nothing to play", details: [.init(path: pointer, message: "has no clip with a length")])
        }
        return playback
    }

    /// Segment `index`: 304 when `If-None-Match` names its key, else its bytes (rendered on a miss).
    private func answer(_ playback: PlaybackSegments, index: Int, userId: String, request: Request, context: AppRequestContext,
                        pastEnd: (Int) -> APIError) async throws -> Response {
        guard let segment = playback.document(index), let window = playback.window(index), let fingerprint = playback.fingerprint(index) else {
            throw pastEnd(playback.count)
        }
        let key = SegmentRenderer.key(of: fingerprint)
        var headers: HTTPFields = [
            .eTag: "\"\(key)\"",
            // Always revalidated: the same URL of a saved timeline is another segment after an edit.
            .cacheControl: "private, no-cache",
        ]
        headers[Self.startField] = Self.seconds(window.start)
        headers[Self.endField] = Self.seconds(window.end)
        headers[Self.countField] = "\(playback.count)"
        if !playback.missingClips.isEmpty { headers[Self.missingField] = playback.missingClips.joined(separator: ",") }
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "\"\(key)\"" }) {
            return Response(status: .notModified, headers: headers)
        }
        let cached = try await segments.isCached(key, userId: userId)
        // A client that hangs up (the player no longer wants this segment) leaves the render.
        let file = try await context.cancellingOnDisconnect { [segments, sources] in
            try await segments.file(key, userId: userId, document: segment) {
                try await sources.resolver(for: segment, userId: userId, materialize: true)
            }
        }
        let bytes = try await io.run { try Data(contentsOf: file) }
        headers[.contentType] = "video/mp4"
        headers[Self.cacheField] = cached ? "hit" : "miss"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: bytes)))
    }

    static let startField = HTTPField.Name("Cutroom-Segment-Start")!
    static let endField = HTTPField.Name("Cutroom-Segment-End")!
    static let countField = HTTPField.Name("Cutroom-Segment-Count")!
    static let missingField = HTTPField.Name("Cutroom-Missing-Clips")!
    static let cacheField = HTTPField.Name("Cutroom-Segment-Cache")!

    /// Seconds with enough digits to name a frame start exactly (29.97 fps frames are not milliseconds).
    static func seconds(_ value: Double) -> String {
        String(format: "%.6f", value)
    }
}

/// `POST /timelines/segments`: `{document, index, width?}`.
struct SegmentRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case document, index, width }
    typealias Keys = CodingKeys
    static let documentKeys: Set<String> = ["document"]
    var document: RawJSON
    var index: Double?
    var width: Double?
}

/// `GET /timelines/{id}/segments`: the segments' size, windows and keys.
struct SegmentListDTO: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var index: Int
        var start: Double
        var end: Double
        var duration: Double
        /// The segment's ETag, unquoted.
        var key: String
    }

    var count: Int
    var width: Int
    var height: Int
    var fps: Double
    var missingClips: [String]
    var segments: [Item]

    init(_ playback: PlaybackSegments) {
        count = playback.count
        width = playback.timeline.output.width
        height = playback.timeline.output.height
        fps = playback.timeline.output.fps
        missingClips = playback.missingClips
        segments = (0..<playback.count).compactMap { index in
            guard let window = playback.window(index), let fingerprint = playback.fingerprint(index) else { return nil }
            return Item(index: index, start: window.start, end: window.end, duration: window.end - window.start, key: SegmentRenderer.key(of: fingerprint))
        }
    }
}
