import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// A one-track document over the given asset ids, each clip `seconds` long.
func sequenceDocument(_ assetIds: [String], seconds: Double = 1, width: Int = 320, height: Int = 240, fps: Int = 25) -> String {
    let clips = assetIds.enumerated().map { index, id in
        #"{"id": "c\#(index)", "asset": {"type": "video", "src": "asset:\#(id)"}, "start": \#(Double(index) * seconds), "length": \#(seconds)}"#
    }
    return #"{"version": 1, "output": {"width": \#(width), "height": \#(height), "fps": \#(fps)}, "tracks": [{"id": "main", "clips": [\#(clips.joined(separator: ", "))]}]}"#
}

@Suite("Timelines API")
struct TimelineAPITests {
    @Test func createGetAndVersionedUpdate() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let document = sequenceDocument(["A"])
            let (created, body, headers) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "Cut 1", "document": \#(document)}"#)
            #expect(created == .created)
            let id = try #require(body["data"]["id"].string)
            #expect(body["data"]["version"].int == 1)
            #expect(headers[.eTag] == "\"1\"")
            #expect(body["data"]["document"]["output"]["width"].int == 320)
            #expect(body["data"]["document"]["tracks"][0]["clips"][0]["asset"]["src"].string == "asset:A")

            let (noIfMatch, _, _) = try await client.json(.put, "/api/v1/timelines/\(id)", #"{"document": \#(document)}"#)
            #expect(noIfMatch == .preconditionRequired)

            let changed = sequenceDocument(["B"])
            let (updated, next, _) = try await client.json(.put, "/api/v1/timelines/\(id)", #"{"name": "Cut 2", "document": \#(changed)}"#, headers: [.ifMatch: "1"])
            #expect(updated == .ok)
            #expect(next["data"]["version"].int == 2)
            #expect(next["data"]["name"].string == "Cut 2")

            let (stale, conflict, _) = try await client.json(.put, "/api/v1/timelines/\(id)", #"{"document": \#(document)}"#, headers: [.ifMatch: "1"])
            #expect(stale == .conflict)
            #expect(conflict["error"]["code"].string == "VERSION_CONFLICT")
            let (_, current, _) = try await client.json(.get, "/api/v1/timelines/\(id)")
            #expect(current["data"]["version"].int == 2)
            #expect(current["data"]["document"]["tracks"][0]["clips"][0]["asset"]["src"].string == "asset:B")

            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/timelines")
            #expect(list["pagination"]["total"].int == 1)
            let (deleted, _, _) = try await client.json(.delete, "/api/v1/timelines/\(id)")
            #expect(deleted == .noContent)
        }
    }

    @Test func invalidDocumentsListEveryProblemAndStoreNothing() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let bad = #"{"version": 1, "output": {"width": 321, "fps": 500}, "tracks": [{"id": "v", "clips": [{"id": "a", "asset": {"type": "video", "src": "asset:x"}, "start": 0, "length": 1, "opactiy": 0.5}]}]}"#
            let (status, error, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "x", "document": \#(bad)}"#)
            #expect(status == .unprocessableContent)
            #expect(error["error"]["code"].string == "VALIDATION_ERROR")
            let paths = Set(error["error"]["details"].array.compactMap { $0["path"].string })
            #expect(paths.contains("/document/output/width"))
            #expect(paths.contains("/document/output/fps"))
            #expect(paths.contains("/document/tracks/0/clips/0/opactiy"))

            let (wrongType, _, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "x", "document": "not an object"}"#)
            #expect(wrongType == .unprocessableContent)
            let (missing, _, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "x"}"#)
            #expect(missing == .unprocessableContent)
            let (unknownProject, _, _) = try await client.json(.post, "/api/v1/projects/nope/timelines", #"{"name": "x", "document": \#(sequenceDocument(["A"]))}"#)
            #expect(unknownProject == .notFound)
            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/timelines")
            #expect(list["pagination"]["total"].int == 0)
        }
    }

    @Test func validateChecksReferencesWithoutTouchingFiles() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer().run { client in
            let project = try await client.createProject()
            let (_, uploaded) = try await client.upload(clip, to: project)
            let asset = try #require(uploaded["data"]["id"].string)

            let (ok, valid, _) = try await client.json(.post, "/api/v1/timelines/validate", sequenceDocument([asset]))
            #expect(ok == .ok)
            #expect(valid["data"]["valid"].bool == true)

            let (missing, error, _) = try await client.json(.post, "/api/v1/timelines/validate", sequenceDocument([asset, "nope"]))
            #expect(missing == .unprocessableContent)
            #expect(error["error"]["details"].array.contains { $0["path"].string == "/tracks/0/clips/1/asset/src" })

            let path = #"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "v", "clips": [{"id": "a", "asset": {"type": "video", "src": "/etc/passwd"}, "start": 0, "length": 1}]}]}"#
            let (hostile, _, _) = try await client.json(.post, "/api/v1/timelines/validate", path)
            #expect(hostile == .unprocessableContent)

            let (malformed, body, _) = try await client.json(.post, "/api/v1/timelines/validate", "{nope")
            #expect(malformed.code >= 400 && malformed.code < 500)
            #expect(!body["error"].isNull)
        }
    }
}
