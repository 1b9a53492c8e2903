import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Frame previews of saved and unsaved timelines, and the editor's waveform and filmstrip pictures,
/// checked on their decoded pixels.
@Suite("Preview pictures API")
struct PreviewAPITests {
    /// Writes a response body to a file and returns its average colour, scaled to one pixel.
    static func color(_ body: ByteBuffer, ext: String) throws -> (r: Int, g: Int, b: Int) {
        let file = Fixtures.directory.appendingPathComponent("picture-\(UUID().uuidString).\(ext)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(buffer: body).write(to: file)
        return try Fixtures.color(of: file, at: 0)
    }

    static func size(_ body: ByteBuffer, ext: String) throws -> String {
        let file = Fixtures.directory.appendingPathComponent("picture-\(UUID().uuidString).\(ext)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(buffer: body).write(to: file)
        let out = try Fixtures.output("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0:s=x", file.path])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func framesShowTheTimelineAtTheirTime() async throws {
        let red = try Fixtures.colorClip("red", seconds: 2)
        let blue = try Fixtures.colorClip("blue", seconds: 2)
        try await TestServer().run { client in
            let project = try await client.createProject()
            let a = try #require(try await client.upload(red, to: project).1["data"]["id"].string)
            let b = try #require(try await client.upload(blue, to: project).1["data"]["id"].string)
            let document = """
                {"version": 1, "output": {"width": 640, "height": 360, "fps": 25}, "background": "#00FF00",
                 "tracks": [{"id": "v", "clips": [
                   {"id": "a", "asset": {"type": "video", "src": "asset:\(a)"}, "start": 0},
                   {"id": "b", "asset": {"type": "video", "src": "asset:\(b)"}, "start": 2}]}]}
                """
            let (_, created, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "p", "document": \#(document)}"#)
            let timeline = try #require(created["data"]["id"].string)
            for (t, expected) in [(0.5, (255, 0, 0)), (3.0, (0, 0, 255)), (4.5, (0, 255, 0))] {
                let response = try await client.execute(uri: "/api/v1/timelines/\(timeline)/frame?t=\(t)&width=320", method: .get) { $0 }
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/jpeg")
                let c = try Self.color(response.body, ext: "jpg")
                #expect(abs(c.r - expected.0) < 40 && abs(c.g - expected.1) < 40 && abs(c.b - expected.2) < 40, "t=\(t): \(c)")
                #expect(try Self.size(response.body, ext: "jpg") == "320x180")
            }
            // An unsaved edit: the second clip moved to 0 on a track above shows at once.
            let edited = document.replacingOccurrences(of: #""start": 2}]}]}"#, with: #""start": 2}]}, {"id": "top", "clips": [{"id": "c", "asset": {"type": "video", "src": "asset:\#(b)"}, "start": 0}]}]}"#)
            let preview = try await client.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(edited), "t": 1, "width": 160}"#)) { $0 }
            #expect(preview.status == .ok)
            let c = try Self.color(preview.body, ext: "jpg")
            #expect(c.b > 200 && c.r < 40, "\(c)")
        }
    }

    @Test("a frame preview shows the render's colours: colour clips, text and the background, each within ±4")
    func framesShowTheRenderColours() async throws {
        try await TestServer().run { client in
            let document = ##"""
                {"version": 1, "output": {"width": 320, "height": 180, "fps": 25}, "background": "#0000FF",
                 "tracks": [{"id": "v", "clips": [
                   {"id": "r", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1},
                   {"id": "g", "asset": {"type": "color", "color": "#3366CC"}, "start": 1, "length": 1},
                   {"id": "t", "asset": {"type": "text", "text": "\u2588", "font": {"size": 600, "color": "#00FF00"}}, "start": 3, "length": 1}]}]}
                """##
            for (t, expected) in [(0.5, (255, 0, 0)), (1.5, (0x33, 0x66, 0xCC)), (2.5, (0, 0, 255)), (3.5, (0, 255, 0))] {
                let response = try await client.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(document), "t": \#(t)}"#)) { $0 }
                #expect(response.status == .ok)
                let c = try Self.color(response.body, ext: "jpg")
                #expect(abs(c.r - expected.0) <= 4 && abs(c.g - expected.1) <= 4 && abs(c.b - expected.2) <= 4, "t=\(t): \(c)")
            }
        }
    }

    @Test func badFrameRequestsAreClearErrors() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let document = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "v", "clips": [{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}]}]}"##
            let (_, created, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "p", "document": \#(document)}"#)
            let timeline = try #require(created["data"]["id"].string)
            for query in ["t=-1", "t=abc", "t=1e400", "width=3", "width=99999", "t=nan"] {
                let (status, body, _) = try await client.json(.get, "/api/v1/timelines/\(timeline)/frame?\(query)")
                #expect(status == .badRequest, "\(query)")
                #expect(body["error"]["message"].string?.contains("query parameter") == true)
            }
            let (missing, _, _) = try await client.json(.get, "/api/v1/timelines/nope/frame?t=1")
            #expect(missing == .notFound)
            for body in [#"{"t": 1}"#, #"{"document": \#(document), "t": true}"#, #"{"document": \#(document), "t": "1"}"#,
                         #"{"document": \#(document), "x": 1}"#, #"{"document": {"version": 1, "tracks": 7}}"#] {
                let (status, reply, _) = try await client.json(.post, "/api/v1/timelines/frame", body)
                #expect(status == .unprocessableContent, "\(body)")
                #expect(reply["error"]["details"].array.isEmpty == false)
            }
            let ok = try await client.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(document), "t": 0.5}"#)) { $0.status }
            #expect(ok == .ok)
        }
    }

    @Test func waveformsAndFilmstripsAreDrawnOnceAndStored() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 2)
        let server = try TestServer()
        try await server.run { client in
            let project = try await client.createProject()
            let id = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let wave = try await client.execute(uri: "/api/v1/assets/\(id)/waveform?width=400&height=50", method: .get) { $0 }
            #expect(wave.status == .ok)
            #expect(wave.headers[.contentType] == "image/png")
            #expect(try Self.size(wave.body, ext: "png") == "400x50")
            let strip = try await client.execute(uri: "/api/v1/assets/\(id)/filmstrip?count=4&height=30", method: .get) { $0 }
            #expect(strip.status == .ok)
            #expect(strip.headers[.contentType] == "image/jpeg")
            // 320×240 at 30 px high is 40 px wide, four of them.
            #expect(try Self.size(strip.body, ext: "jpg") == "160x30")
            let c = try Self.color(strip.body, ext: "jpg")
            #expect(c.r > 200 && c.g < 40, "\(c)")
            #expect(server.storedBlobs().contains("users/\(client.owner.id)/assets/\(id)/waveform-400x50.png"))
            #expect(server.storedBlobs().contains("users/\(client.owner.id)/assets/\(id)/filmstrip-4x30.jpg"))
            let (bad, _, _) = try await client.json(.get, "/api/v1/assets/\(id)/filmstrip?count=0")
            #expect(bad == .badRequest)

            // A picture has no sound: its waveform is a clear 404, and it leaves nothing behind.
            let image = try Fixtures.make("still.png", ["-f", "lavfi", "-i", "color=c=blue:s=64x48", "-frames:v", "1"])
            let still = try #require(try await client.upload(image, to: project).1["data"]["id"].string)
            let (none, body, _) = try await client.json(.get, "/api/v1/assets/\(still)/waveform")
            #expect(none == .notFound)
            #expect(body["error"]["message"].string?.contains("no sound") == true)
            let stillStrip = try await client.execute(uri: "/api/v1/assets/\(still)/filmstrip?count=3&height=24", method: .get) { $0.status }
            #expect(stillStrip == .ok)
            #expect(!server.storedBlobs().contains { $0.contains("\(still)/waveform") })
        }
    }
}
