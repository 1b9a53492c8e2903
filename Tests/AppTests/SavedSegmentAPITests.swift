import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Playback segments of a saved timeline (`GET /timelines/{id}/segments[/{index}]`): the same
/// segment, key and cache as `POST /timelines/segments` of its document, revalidated with
/// `If-None-Match`, and only for the timeline's owner.
@Suite("Playback segments of saved timelines")
struct SavedSegmentAPITests {
    @Test("the list plans, each segment decodes with the POST answer's ETag, If-None-Match is a 304, others and past the end are 404")
    func savedTimelineSegments() async throws {
        let clip = try PlaybackSegmentAPITests.movingClip()
        try await TestServer().run { client in
            let project = try await client.createProject()
            let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = PlaybackSegmentAPITests.document(asset: asset)
            let (created, saved, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "Cut", "document": \#(document)}"#)
            #expect(created == .created)
            let id = try #require(saved["data"]["id"].string)

            let (listed, list, _) = try await client.json(.get, "/api/v1/timelines/\(id)/segments")
            #expect(listed == .ok)
            #expect(list["data"]["count"].int == 3)
            #expect(list["data"]["width"].int == 640 && list["data"]["height"].int == 360 && list["data"]["fps"].double == 30)
            let items = list["data"]["segments"].array
            #expect(items.map { $0["start"].double } == [0, 2, 4] && items.map { $0["end"].double } == [2, 4, 5])
            #expect(items.map { $0["duration"].double } == [2, 2, 1])
            let keys = items.compactMap { $0["key"].string }
            #expect(keys.count == 3 && Set(keys).count == 3 && keys.allSatisfy { $0.count == 32 })

            // The same document posted: the same key for each segment (width 640 either way).
            for index in 0..<3 {
                let posted = try await client.execute(uri: "/api/v1/timelines/segments", method: .post,
                                                      body: PlaybackSegmentAPITests.request(document, index, width: 640)) { $0.headers[.eTag] }
                #expect(posted == "\"\(keys[index])\"", "segment \(index)")
            }

            let response = try await client.execute(uri: "/api/v1/timelines/\(id)/segments/1", method: .get) { $0 }
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"\(keys[1])\"")
            #expect(response.headers[.cacheControl] == "private, no-cache")
            #expect(response.headers[.contentType] == "video/mp4")
            #expect(response.headers[SegmentController.startField] == "2.000000" && response.headers[SegmentController.countField] == "3")
            // Posted above with the same key: the saved timeline's request is a cache hit.
            #expect(response.headers[SegmentController.cacheField] == "hit")
            let file = try PlaybackSegmentAPITests.save(response.body, "saved1.mp4")
            defer { try? FileManager.default.removeItem(at: file) }
            #expect(try PlaybackSegmentAPITests.errors("/usr/bin/ffmpeg", ["-v", "error", "-i", file.path, "-f", "null", "-"]) == "")
            #expect(try Fixtures.probe(file).frames == 60)
            let streams = String(decoding: try Fixtures.output("/usr/bin/ffprobe", [
                "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file.path,
            ]), as: UTF8.self)
            #expect(streams.contains("h264,640,360") && streams.contains("aac"), "\(streams)")

            let revalidated = try await client.execute(uri: "/api/v1/timelines/\(id)/segments/1", method: .get,
                                                       headers: [.ifNoneMatch: "\"\(keys[1])\""]) { $0 }
            #expect(revalidated.status == .notModified && revalidated.body.readableBytes == 0)
            #expect(revalidated.headers[.eTag] == "\"\(keys[1])\"")
            // Another width is another segment.
            let narrow = try await client.execute(uri: "/api/v1/timelines/\(id)/segments/1?width=320", method: .get,
                                                  headers: [.ifNoneMatch: "\"\(keys[1])\""]) { ($0.status, $0.headers[.eTag]) }
            #expect(narrow.0 == .ok && narrow.1 != "\"\(keys[1])\"")

            // After an edit of the title (segment 1) the same URL answers the new segment.
            let edited = PlaybackSegmentAPITests.document(asset: asset, title: "OTHER")
            let (updated, _, _) = try await client.json(.put, "/api/v1/timelines/\(id)", #"{"document": \#(edited)}"#, headers: [.ifMatch: "1"])
            #expect(updated == .ok)
            for (index, changes) in [(0, false), (1, true)] {
                let status = try await client.execute(uri: "/api/v1/timelines/\(id)/segments/\(index)", method: .get,
                                                      headers: [.ifNoneMatch: "\"\(keys[index])\""]) { $0.status }
                #expect(status == (changes ? .ok : .notModified), "segment \(index)")
            }

            for path in ["segments/3", "segments/-1", "segments/x", "segments/99999999999999999999"] {
                let (status, body, _) = try await client.json(.get, "/api/v1/timelines/\(id)/\(path)")
                #expect(status == .notFound, "\(path)")
                #expect(body["error"]["code"].string == "NOT_FOUND", "\(path)")
            }
            #expect(try await client.json(.get, "/api/v1/timelines/\(id)/segments?width=3").0 == .badRequest)
            #expect(try await client.json(.get, "/api/v1/timelines/\(id)/segments/0?width=99999").0 == .badRequest)

            // Another user: the timeline is not there for them.
            let (_, other) = try await client.newUser()
            #expect(try await other.json(.get, "/api/v1/timelines/\(id)/segments").0 == .notFound)
            #expect(try await other.execute(uri: "/api/v1/timelines/\(id)/segments/0", method: .get) { $0.status } == .notFound)
            #expect(try await client.json(.get, "/api/v1/timelines/nope/segments/0").0 == .notFound)
        }
    }

    @Test("an empty saved timeline has nothing to play: 422 for its list and its segments")
    func emptySavedTimeline() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let empty = #"{"version": 1, "output": {"width": 320, "height": 180}, "tracks": []}"#
            let (_, saved, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "Empty", "document": \#(empty)}"#)
            let id = try #require(saved["data"]["id"].string)
            let (status, body, _) = try await client.json(.get, "/api/v1/timelines/\(id)/segments")
            #expect(status == .unprocessableContent)
            #expect(body["error"]["details"].array.first?["path"].string == "/tracks")
            #expect(try await client.json(.get, "/api/v1/timelines/\(id)/segments/0").0 == .unprocessableContent)
        }
    }
}
