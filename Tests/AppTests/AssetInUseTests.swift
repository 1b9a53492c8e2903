import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Media management: an asset clips use is not deleted without `?force=true` (409 naming each use);
/// once it is gone its clips show as red placeholders in frame previews while renders refuse them;
/// editing the clip's `src` relinks it.
@Suite("Assets in use")
struct AssetInUseTests {
    @Test func deletingAnAssetInUseAsksThenPreviewsPlaceholdersAndRelinks() async throws {
        let red = try Fixtures.colorClip("red", seconds: 2)
        let blue = try Fixtures.colorClip("blue", seconds: 2)
        try await TestServer().run { client in
            let project = try await client.createProject()
            let a = try #require(try await client.upload(red, to: project).1["data"]["id"].string)
            let b = try #require(try await client.upload(blue, to: project).1["data"]["id"].string)
            let unused = try #require(try await client.upload(blue, to: project).1["data"]["id"].string)
            let document = """
                {"version": 1, "output": {"width": 320, "height": 180, "fps": 25}, "background": "#00FF00",
                 "tracks": [{"id": "v", "clips": [
                   {"id": "first", "asset": {"type": "video", "src": "asset:\(a)"}, "start": 0, "length": 2},
                   {"id": "second", "asset": {"type": "video", "src": "asset:\(b)"}, "start": 2, "length": 2,
                    "transition": {"type": "fade", "duration": 0.5}}]},
                  {"id": "sound", "clips": [{"id": "music", "asset": {"type": "audio", "src": "asset:\(a)"}, "start": 0, "length": 2}]}]}
                """
            let (_, created, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "Cut", "document": \#(document)}"#)
            let timeline = try #require(created["data"]["id"].string)

            // In use: 409 with each use, and nothing deleted.
            let (status, body, _) = try await client.json(.delete, "/api/v1/assets/\(a)")
            #expect(status == .conflict)
            #expect(body["error"]["code"].string == "ASSET_IN_USE")
            #expect(body["error"]["message"].string?.contains("2 clips") == true, "\(body)")
            let details = body["error"]["details"].array
            #expect(details.map { $0["path"].string ?? "" } == ["/tracks/0/clips/0/asset/src", "/tracks/1/clips/0/asset/src"])
            #expect(details.map { $0["clipId"].string ?? "" } == ["first", "music"])
            #expect(details.map { $0["trackId"].string ?? "" } == ["v", "sound"])
            #expect(details.allSatisfy { $0["timelineId"].string == timeline && $0["projectId"].string == project })
            #expect(try await client.json(.get, "/api/v1/assets/\(a)").0 == .ok)
            #expect(try await client.json(.delete, "/api/v1/assets/\(a)?force=maybe").0 == .badRequest)
            // An unused asset goes at once.
            #expect(try await client.json(.delete, "/api/v1/assets/\(unused)").0 == .noContent)

            #expect(try await client.json(.delete, "/api/v1/assets/\(a)?force=true").0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/assets/\(a)").0 == .notFound)

            // The preview keeps working: the missing clip is a red placeholder, the rest as before.
            for (t, expected) in [(0.5, (0xD0, 0x28, 0x28)), (3.5, (0, 0, 255))] {
                let response = try await client.execute(uri: "/api/v1/timelines/\(timeline)/frame?t=\(t)&width=160", method: .get) { $0 }
                #expect(response.status == .ok)
                let c = try PreviewAPITests.color(response.body, ext: "jpg")
                #expect(abs(c.r - expected.0) < 30 && abs(c.g - expected.1) < 30 && abs(c.b - expected.2) < 30, "t=\(t): \(c)")
            }
            // A render refuses, naming the missing asset where it is used.
            let (refused, refusal, _) = try await client.json(.post, "/api/v1/renders", #"{"timelineId": "\#(timeline)"}"#)
            #expect(refused == .unprocessableContent)
            let problems = refusal["error"]["details"].array
            #expect(problems.contains { $0["path"].string == "/tracks/0/clips/0/asset/src" && $0["message"].string?.contains("asset:\(a)") == true }, "\(refusal)")

            // Relinking is editing the clip's src: the picture is the new asset's.
            let relinked = document.replacingOccurrences(of: "asset:\(a)", with: "asset:\(b)")
            let (saved, _, _) = try await client.json(.put, "/api/v1/timelines/\(timeline)", #"{"document": \#(relinked)}"#, headers: [.ifMatch: "1"])
            #expect(saved == .ok)
            let response = try await client.execute(uri: "/api/v1/timelines/\(timeline)/frame?t=0.5&width=160", method: .get) { $0 }
            let c = try PreviewAPITests.color(response.body, ext: "jpg")
            #expect(c.b > 200 && c.r < 40, "relinked: \(c)")
            let (inUse, again, _) = try await client.json(.delete, "/api/v1/assets/\(b)")
            #expect(inUse == .conflict && again["error"]["details"].array.count == 3)
        }
    }
}
