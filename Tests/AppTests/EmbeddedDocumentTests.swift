import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Request bodies are read by the strict parser: a key written twice is refused wherever it is,
/// and a document embedded in `{document}` / `{timeline}` is reported at its place in the body.
@Suite("Embedded documents")
struct EmbeddedDocumentTests {
    static let document = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}]}]}"##

    static func paths(_ body: JSON) -> Set<String> {
        Set(body["error"]["details"].array.compactMap { $0["path"].string })
    }

    @Test("a key written twice inside an embedded document is refused, with every other problem, under /document")
    func duplicateKeysInsideDocuments() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            // JSONSerialization would keep one of the two `width`s and the document would save.
            let twice = ##"{"version": 1, "output": {"width": 320, "width": 7, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1, "opactiy": 1}]}]}"##
            let (status, body, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "x", "document": \#(twice)}"#)
            #expect(status == .unprocessableContent)
            #expect(Self.paths(body) == ["/document/output/width", "/document/tracks/0/clips/0/opactiy"], "\(body)")
            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/timelines")
            #expect(list["data"].array.isEmpty, "nothing was stored")

            let (frame, frameBody, _) = try await client.json(.post, "/api/v1/timelines/frame", #"{"document": \#(twice), "t": 0}"#)
            #expect(frame == .unprocessableContent)
            #expect(Self.paths(frameBody).contains("/document/output/width"))

            let (render, renderBody, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(twice)}"#)
            #expect(render == .unprocessableContent)
            #expect(Self.paths(renderBody) == ["/timeline/output/width", "/timeline/tracks/0/clips/0/opactiy"], "\(renderBody)")
            let (_, renders, _) = try await client.json(.get, "/api/v1/renders")
            #expect(renders["data"].array.isEmpty, "nothing was queued")
        }
    }

    @Test("a key written twice in the body itself or in a member object is refused, with its pointer")
    func duplicateKeysInTheBody() async throws {
        try await TestServer().run { client in
            let (status, body, _) = try await client.json(.post, "/api/v1/projects", #"{"name": "a", "name": "b"}"#)
            #expect(status == .unprocessableContent)
            #expect(Self.paths(body) == ["/name"])
            let (_, projects, _) = try await client.json(.get, "/api/v1/projects")
            #expect(projects["data"].array.isEmpty)

            let merged = #"{"timeline": \#(Self.document), "merge": {"A": "1", "A": "2"}, "nope": 1}"#
            let (render, renderBody, _) = try await client.json(.post, "/api/v1/renders", merged)
            #expect(render == .unprocessableContent)
            #expect(Self.paths(renderBody) == ["/merge/A", "/nope"], "\(renderBody)")
        }
    }

    @Test("a document's source problems are under /timeline; a request merge value's stay under /merge")
    func validationPathsOfInlineRenders() async throws {
        try await TestServer().run { client in
            let document = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "v", "asset": {"type": "video", "src": "asset:nothing"}, "start": 0, "length": 1}, {"id": "x", "asset": {"type": "text", "text": "{{A}} {{B}}"}, "start": 0, "length": 1}]}]}"##
            let (status, body, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(document), "merge": {"A": "a\u0001"}}"#)
            #expect(status == .unprocessableContent)
            let paths = Self.paths(body)
            #expect(paths.contains("/merge/A"), "\(body)")
            #expect(paths.contains("/timeline/tracks/0/clips/0/asset/src"), "\(body)")
            #expect(paths.contains("/timeline/tracks/0/clips/1/asset/text"), "{{B}} has no value: \(body)")
            #expect(paths.allSatisfy { $0 == "/merge/A" || $0.hasPrefix("/timeline/") }, "\(body)")
        }
    }

    @Test("what the strict parser reads is written back unchanged: numbers, escapes, order")
    func roundTripOfEmbeddedDocuments() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let text = #"{"version": 1, "output": {"width": 320, "height": 240, "fps": 29.97}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "text", "text": "\"quoted\" \\ tab\t é 🎬"}, "start": 0, "length": 0.1}]}]}"#
            let (status, body, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "x", "document": \#(text)}"#)
            #expect(status == .created, "\(body)")
            #expect(body["data"]["document"]["tracks"][0]["clips"][0]["asset"]["text"].string == "\"quoted\" \\ tab\t é 🎬")
            #expect(body["data"]["document"]["output"]["fps"].double == 29.97)
            #expect(body["data"]["document"]["tracks"][0]["clips"][0]["length"].double == 0.1)
        }
    }
}
