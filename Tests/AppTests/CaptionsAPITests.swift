import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Captions and font uploads, and timelines that burn them in, checked on decoded pixels.
@Suite("Captions and fonts API")
struct CaptionsAPITests {
    static let srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nHello <i>there</i>\r\n\r\n"

    static func file(_ name: String, _ data: Data) throws -> URL {
        let url = Fixtures.directory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url
    }

    /// Pixels brighter than 180 in every channel in rows `rows` of a picture file (or a video's frame at `t`).
    static func brightPixels(_ file: URL, at t: Double? = nil, rows: Range<Int>) throws -> Int {
        let seek = t.map { ["-ss", String($0)] } ?? []
        let size = try Fixtures.output("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width", "-of", "csv=p=0", file.path])
        let width = try #require(Int(String(decoding: size, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        let rgb = [UInt8](try Fixtures.output("/usr/bin/ffmpeg", ["-v", "error"] + seek + ["-i", file.path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
        var count = 0
        for y in rows {
            for x in 0..<width {
                let i = (y * width + x) * 3
                if i + 2 < rgb.count, rgb[i] > 180, rgb[i + 1] > 180, rgb[i + 2] > 180 { count += 1 }
            }
        }
        return count
    }

    static func saved(_ body: ByteBuffer, ext: String) throws -> URL {
        try file("picture.\(ext)", Data(buffer: body))
    }

    @Test func captionsUploadAsCaptionsAndMalformedFilesAreRefused() async throws {
        let good = try Self.file("subs.srt", Data(Self.srt.utf8))
        let vtt = try Self.file("notes.txt", Data("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n".utf8))
        let malformed = try Self.file("bad.srt", Data("1\n00:00:01,000 -> 00:00:02,000\nA\n".utf8))
        let latin1 = try Self.file("latin.srt", Data([0x31, 0x0A] + Array("00:00:01,000 --> 00:00:02,000\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x0A]))
        try await TestServer().run { client in
            let project = try await client.createProject()
            let (status, body) = try await client.upload(good, to: project)
            #expect(status == .created)
            #expect(body["data"]["kind"].string == "captions")
            // The end of the last cue: the editor's default length for a captions clip.
            #expect(body["data"]["duration"].double == 2)
            let id = try #require(body["data"]["id"].string)
            for picture in ["thumbnail", "filmstrip", "waveform"] {
                let (pictureStatus, reply, _) = try await client.json(.get, "/api/v1/assets/\(id)/\(picture)")
                #expect(pictureStatus == .notFound, "\(picture)")
                #expect(reply["error"]["code"].string == "NOT_FOUND")
            }
            let (vttStatus, vttBody) = try await client.upload(vtt, to: project)
            #expect(vttStatus == .created)
            #expect(vttBody["data"]["kind"].string == "captions")

            let (badStatus, bad) = try await client.upload(malformed, to: project)
            #expect(badStatus == .unprocessableContent)
            #expect(bad["error"]["code"].string == "INVALID_CAPTIONS")
            #expect(bad["error"]["details"][0]["message"].string?.hasPrefix("captions line 2: expected a cue timing") == true)
            let (latinStatus, latin) = try await client.upload(latin1, to: project)
            #expect(latinStatus == .unprocessableContent)
            #expect(latin["error"]["details"][0]["message"].string?.contains("not UTF-8") == true)

            let many = (0...10_000).map { "\($0 + 1)\n00:00:00,000 --> 00:00:01,000\nx\n" }.joined(separator: "\n")
            let (manyStatus, manyBody) = try await client.upload(try Self.file("many.srt", Data(many.utf8)), to: project)
            #expect(manyStatus == .unprocessableContent)
            #expect(manyBody["error"]["message"].string?.hasSuffix("holds 10001 cues") == true)

            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/assets?kind=captions")
            #expect(list["pagination"]["total"].int == 2)
        }
    }

    @Test(.tags(.slow)) func aTimelineBurnsInUploadedCaptions() async throws {
        let subs = try Self.file("subs.srt", Data(Self.srt.utf8))
        let clip = try Fixtures.colorClip("navy", seconds: 3, size: "320x180")
        let server = try await TestServer.make(.local)
        try await server.run(.live) { client in
            let project = try await client.createProject()
            let captions = try #require(try await client.upload(subs, to: project).1["data"]["id"].string)
            let video = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = """
                {"version": 1, "output": {"width": 320, "height": 180, "fps": 10, "audio": null}, "tracks": [
                  {"id": "v", "clips": [{"id": "bg", "asset": {"type": "video", "src": "asset:\(video)", "audio": false}, "start": 0, "length": 3}]},
                  {"id": "c", "clips": [{"id": "s", "asset": {"type": "captions", "src": "asset:\(captions)", "font": {"size": 24}}, "start": 0, "length": 3}]}]}
                """
            // Frame previews go through the same compiler and engine.
            for (t, shown) in [(0.5, false), (1.5, true)] {
                let preview = try await client.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(document), "t": \#(t)}"#)) { $0 }
                #expect(preview.status == .ok)
                let bright = try Self.brightPixels(try Self.saved(preview.body, ext: "jpg"), rows: 120..<180)
                #expect(shown ? bright > 100 : bright == 0, "preview at \(t): \(bright)")
            }
            let (accepted, render, _) = try await client.json(.post, "/api/v1/renders", #"{"projectId": "\#(project)", "timeline": \#(document)}"#)
            #expect(accepted == .accepted)
            let id = try #require(render["data"]["id"].string)
            let ended = try await client.renderEnded(id)
            #expect(ended["status"].string == "completed", "\(ended.value)")
            let download = try await client.download("/api/v1/renders/\(id)/output")
            #expect(download.status == .ok)
            let output = try Self.saved(download.body, ext: "mp4")
            #expect(try Self.brightPixels(output, at: 1.5, rows: 120..<180) > 100)
            #expect(try Self.brightPixels(output, at: 2.5, rows: 120..<180) == 0)
        }
    }

    @Test func captionsAndMediaSourcesMustMatchTheirClips() async throws {
        let subs = try Self.file("subs.srt", Data(Self.srt.utf8))
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer().run { client in
            let project = try await client.createProject()
            let captions = try #require(try await client.upload(subs, to: project).1["data"]["id"].string)
            let video = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = """
                {"version": 1, "output": {}, "tracks": [
                  {"id": "c", "clips": [{"id": "s", "asset": {"type": "captions", "src": "asset:\(video)"}, "start": 0, "length": 1}]},
                  {"id": "v", "clips": [{"id": "v", "asset": {"type": "video", "src": "asset:\(captions)"}, "start": 0, "length": 1}]}]}
                """
            let (status, body, _) = try await client.json(.post, "/api/v1/timelines/validate", document)
            #expect(status == .unprocessableContent)
            #expect(body["error"]["details"].array.compactMap { $0["path"].string } == ["/tracks/0/clips/0/asset/src", "/tracks/1/clips/0/asset/src"])
        }
    }

    @Test func uploadedFontsAreNamedAndDrawText() async throws {
        let font = try Self.file("serif.ttf", try Data(contentsOf: URL(fileURLWithPath: "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")))
        let garbage = try Self.file("broken.otf", Data(repeating: 9, count: 4096))
        try await TestServer().run { client in
            let project = try await client.createProject()
            let (status, body) = try await client.upload(font, to: project)
            #expect(status == .created)
            #expect(body["data"]["kind"].string == "font")
            #expect(body["data"]["fontFamily"].string == "Noto Serif")
            let id = try #require(body["data"]["id"].string)
            let (badStatus, bad) = try await client.upload(garbage, to: project)
            #expect(badStatus == .unprocessableContent)
            #expect(bad["error"]["code"].string == "INVALID_FONT")

            func frame(_ font: String) async throws -> URL {
                let document = """
                    {"version": 1, "output": {"width": 320, "height": 180}, "tracks": [{"id": "t", "clips": [
                      {"id": "t", "asset": {"type": "text", "text": "Quiet gardens", "font": \(font)}, "start": 0, "length": 1}]}]}
                    """
                let preview = try await client.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(document), "t": 0}"#)) { $0 }
                #expect(preview.status == .ok)
                return try Self.saved(preview.body, ext: "jpg")
            }
            let sans = try await frame(#"{"size": 36}"#)
            let serif = try await frame(#"{"size": 36, "src": "asset:\#(id)"}"#)
            let a = [UInt8](try Fixtures.output("/usr/bin/ffmpeg", ["-v", "error", "-i", sans.path, "-f", "rawvideo", "-pix_fmt", "gray", "-"]))
            let b = [UInt8](try Fixtures.output("/usr/bin/ffmpeg", ["-v", "error", "-i", serif.path, "-f", "rawvideo", "-pix_fmt", "gray", "-"]))
            #expect(a.count == b.count && a.count > 0)
            #expect(zip(a, b).filter { abs(Int($0) - Int($1)) > 64 }.count > 300)

            let (fontAsVideo, reply, _) = try await client.json(.post, "/api/v1/timelines/validate", """
                {"version": 1, "output": {}, "tracks": [{"id": "t", "clips": [
                  {"id": "t", "asset": {"type": "text", "text": "x", "font": {"family": "Nope Sans"}}, "start": 0, "length": 1},
                  {"id": "v", "asset": {"type": "video", "src": "asset:\(id)"}, "start": 1, "length": 1}]}]}
                """)
            #expect(fontAsVideo == .unprocessableContent)
            #expect(reply["error"]["details"].array.compactMap { $0["path"].string } == ["/tracks/0/clips/1/asset/src", "/tracks/0/clips/0/asset/font/family"])
        }
    }
}
