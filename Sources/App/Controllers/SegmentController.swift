import Foundation
import HTTPTypes
import Hummingbird
import Compiler
import TimelineModel

/// `POST /timelines/segments`: one segment of a document being edited (`PlaybackSegments`: about two
/// seconds, whole frames), rendered by the engine at a preview width as fragmented MP4 (H.264 + AAC)
/// that the editor's player appends with Media Source Extensions. The ETag is the segment's key: a
/// request with `If-None-Match` naming it is answered 304 without rendering, so after an edit the
/// player fetches again only the segments whose key changed.
struct SegmentController {
    let sources: AssetSources
    let segments: SegmentRenderer
    let documents: BlockingWork
    let io: BlockingWork

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("timelines/segments", use: segment)
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
        // Keys need the sources' probes only; files are made local only for a render.
        let probes = try await sources.resolver(for: timeline, userId: userId)
        let playback = try await documents.run { PlaybackSegments(timeline, width: width, resolve: probes) }
        if !playback.missingIssues.isEmpty && playback.timeline.tracks.allSatisfy(\.clips.isEmpty) {
            // Nothing would be left to play: a black segment would hide the problem.
            throw APIError.invalid(playback.missingIssues)
        }
        guard playback.count > 0 else {
            throw APIError.invalid("the timeline is empty: nothing to play", details: [.init(path: "/document/tracks", message: "has no clip with a length")])
        }
        guard let segment = playback.document(index), let window = playback.window(index), let fingerprint = playback.fingerprint(index) else {
            throw APIError.invalid("'index' is past the end: the timeline has \(playback.count) segments",
                                   details: [.init(path: "/index", message: "must be less than \(playback.count)")])
        }
        let key = SegmentRenderer.key(of: fingerprint)
        var headers: HTTPFields = [
            .eTag: "\"\(key)\"",
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
        let file = try await segments.file(key, userId: userId, document: segment, width: width) { [sources] in
            try await sources.resolver(for: segment, userId: userId, materialize: true)
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
    private static func seconds(_ value: Double) -> String {
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
