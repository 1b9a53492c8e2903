import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Editor playback segments (`POST /timelines/segments`): fragmented MP4 that decodes cleanly,
/// exact to the frame, back to back, with the pictures of the frame preview; keys that change only
/// where an edit shows, a cache that answers them, and clear errors.
@Suite("Playback segments API")
struct PlaybackSegmentAPITests {
    /// 5 s of a moving test picture with a tone, 640×360 at 30 fps.
    static func movingClip() throws -> URL {
        try Fixtures.make("moving-5s-30.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=5",
            "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=5",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        ])
    }

    /// A 720p document: the clip, and a big white title over 2.5...3.5 s (segment 1 of 0...2, 2...4, 4...5).
    static func document(asset: String, title: String = "TITLE") -> String {
        """
        {"version": 1, "output": {"width": 1280, "height": 720, "fps": 30}, "background": "#000000",
         "tracks": [{"id": "v", "clips": [{"id": "v1", "asset": {"type": "video", "src": "asset:\(asset)"}, "start": 0}]},
                    {"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "\(title)", "font": {"size": 200, "color": "#FFFFFF"}}, "start": 2.5, "length": 1}]}]}
        """
    }

    static func request(_ document: String, _ index: Any, width: Int? = nil) -> ByteBuffer {
        ByteBuffer(string: #"{"document": \#(document), "index": \#(index)\#(width.map { #", "width": \#($0)"# } ?? "")}"#)
    }

    /// Runs a tool and returns what it wrote to standard error (decoding errors).
    static func errors(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self) + (process.terminationStatus == 0 ? "" : "exit \(process.terminationStatus)")
    }

    /// A frame scaled to 16×9 RGB: a coarse picture to compare two renders by.
    static func grid(_ file: URL, at seconds: Double? = nil) throws -> [UInt8] {
        // No -ss for a still picture: seeking in a one-frame file finds nothing.
        Array(try Fixtures.output("/usr/bin/ffmpeg", ["-v", "error"] + (seconds.map { ["-ss", String($0)] } ?? []) + ["-i", file.path, "-frames:v", "1",
            "-vf", "scale=16:9:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        ]))
    }

    static func save(_ body: ByteBuffer, _ name: String) throws -> URL {
        let file = Fixtures.directory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(buffer: body).write(to: file)
        return file
    }

    @Test("segments are fMP4 that decode without errors, exact to the frame, back to back, with the frame preview's pictures")
    func segmentsPlayBackToBack() async throws {
        let clip = try Self.movingClip()
        try await TestServer().run { client in
            let project = try await client.createProject()
            let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = Self.document(asset: asset)
            var files: [URL] = []
            defer { for file in files { try? FileManager.default.removeItem(at: file) } }
            for index in 0..<3 {
                let response = try await client.execute(uri: "/api/v1/timelines/segments", method: .post, body: Self.request(document, index)) { $0 }
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "video/mp4")
                #expect(response.headers[SegmentController.countField] == "3")
                #expect(response.headers[SegmentController.startField] == String(format: "%.6f", Double(index * 2)))
                #expect(response.headers[SegmentController.endField] == String(format: "%.6f", Double(min(5, index * 2 + 2))))
                #expect(response.headers[.eTag]?.count == 34)
                let data = Data(buffer: response.body)
                // Fragmented: the index is empty up front (mvex) and the media comes in fragments (moof).
                #expect(data.range(of: Data("mvex".utf8)) != nil && data.range(of: Data("moof".utf8)) != nil)
                files.append(try Self.save(response.body, "segment\(index).mp4"))
            }
            for (index, file) in files.enumerated() {
                #expect(try Self.errors("/usr/bin/ffmpeg", ["-v", "error", "-i", file.path, "-f", "null", "-"]) == "", "segment \(index)")
                let probe = try Fixtures.probe(file)
                let seconds = index == 2 ? 1.0 : 2.0
                #expect(probe.frames == Int(seconds * 30), "segment \(index)")
                // Pictures exactly the window (within a frame); sound as long plus at most the AAC priming and one AAC frame.
                let durations = String(decoding: try Fixtures.output("/usr/bin/ffprobe", [
                    "-v", "error", "-show_entries", "stream=codec_type,start_time,duration", "-of", "csv=p=0", file.path,
                ]), as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
                let video = try #require(durations.first { $0.first == "video" })
                let audio = try #require(durations.first { $0.first == "audio" })
                #expect(Double(video[1]) == 0 && abs((Double(video[2]) ?? -1) - seconds) < 0.5 / 30, "segment \(index): \(video)")
                let sound = Double(audio[2]) ?? -1
                #expect(sound >= seconds - 0.001 && sound <= seconds + 2048.0 / 48000, "segment \(index): \(audio)")
                                let streams = String(decoding: try Fixtures.output("/usr/bin/ffprobe", [
                    "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file.path,
                ]), as: UTF8.self)
                // The 720p document at the preview width; always a sound track.
                #expect(streams.contains("h264,640,360") && streams.contains("aac"), "\(streams)")
            }
            // Back to back: the three decode as one stream of 150 frames.
            let list = Fixtures.directory.appendingPathComponent("\(UUID().uuidString)-segments.txt")
            try files.map { "file '\($0.path)'" }.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
            files.append(list)
            #expect(try Self.errors("/usr/bin/ffmpeg", ["-v", "error", "-f", "concat", "-safe", "0", "-i", list.path, "-f", "null", "-"]) == "")
            let joined = try Fixtures.output("/usr/bin/ffprobe", [
                "-v", "error", "-f", "concat", "-safe", "0", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", list.path,
            ])
            #expect(String(decoding: joined, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "150")

            // Segment 1 at 0.5 s is the timeline at 2.5 s with the title: the frame preview's picture.
            for (segment, offset) in [(0, 0.5), (1, 0.5), (1, 1.5)] {
                let t = Double(segment * 2) + offset
                let frame = try await client.execute(uri: "/api/v1/timelines/frame", method: .post,
                                                     body: ByteBuffer(string: #"{"document": \#(document), "t": \#(t), "width": 640}"#)) { $0 }
                #expect(frame.status == .ok)
                let still = try Self.save(frame.body, "still.jpg")
                files.append(still)
                let a = try Self.grid(files[segment], at: offset - 0.01)
                let b = try Self.grid(still)
                #expect(a.count == 16 * 9 * 3 && b.count == a.count)
                let difference = zip(a, b).map { abs(Int($0) - Int($1)) }.reduce(0, +) / max(1, a.count)
                #expect(difference < 8, "t=\(t): mean difference \(difference)")
            }
            // The title is what the match above saw: without it the same moment looks different.
            let untitled = document.replacingOccurrences(of: #""start": 2.5, "length": 1"#, with: #""start": 4.5, "length": 0.5"#)
            let frame = try await client.execute(uri: "/api/v1/timelines/frame", method: .post,
                                                 body: ByteBuffer(string: #"{"document": \#(untitled), "t": 2.5, "width": 640}"#)) { $0 }
            let bare = try Self.save(frame.body, "bare.jpg")
            files.append(bare)
            let a = try Self.grid(files[1], at: 0.49)
            let b = try Self.grid(bare)
            let difference = zip(a, b).map { abs(Int($0) - Int($1)) }.reduce(0, +)
            #expect(difference > 16 * 9 * 3 * 2, "the title changes the picture: \(difference)")
        }
    }

    @Test("keys change only where an edit shows; the cache answers the rest, If-None-Match answers 304")
    func keysAndCache() async throws {
        let clip = try Self.movingClip()
        try await TestServer().run { client in
            let project = try await client.createProject()
            let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            func segment(_ document: String, _ index: Int, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields) {
                try await client.execute(uri: "/api/v1/timelines/segments", method: .post, headers: headers, body: Self.request(document, index, width: 320)) {
                    ($0.status, $0.headers)
                }
            }
            let before = Self.document(asset: asset)
            var keys: [String] = []
            for index in 0..<3 {
                let (status, headers) = try await segment(before, index)
                #expect(status == .ok && headers[SegmentController.cacheField] == "miss")
                keys.append(try #require(headers[.eTag]))
            }
            let (again, cached) = try await segment(before, 0)
            #expect(again == .ok && cached[SegmentController.cacheField] == "hit" && cached[.eTag] == keys[0])
            let (notModified, same) = try await segment(before, 2, headers: [.ifNoneMatch: keys[2]])
            #expect(notModified == .notModified && same[.eTag] == keys[2])

            // A new title text: segment 1 only.
            let after = Self.document(asset: asset, title: "OTHER")
            var changed: [Int] = []
            for index in 0..<3 {
                let (status, headers) = try await segment(after, index, headers: [.ifNoneMatch: keys[index]])
                if status == .ok { changed.append(index) } else { #expect(status == .notModified) }
            }
            #expect(changed == [1])
            let (_, unchanged) = try await segment(after, 2)
            #expect(unchanged[SegmentController.cacheField] == "hit")
            // Another size changes every key.
            let wider = after.replacingOccurrences(of: #""width": 1280, "height": 720"#, with: #""width": 1920, "height": 1080"#)
            for index in 0..<3 {
                #expect(try await segment(wider, index, headers: [.ifNoneMatch: keys[index]]).0 == .ok)
            }
        }
    }

    @Test("missing assets: the rest plays, named in a header; nothing left is a 422; bad requests are clear 4xx")
    func missingAndBadRequests() async throws {
        let clip = try Self.movingClip()
        try await TestServer().run { client in
            let project = try await client.createProject()
            let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = Self.document(asset: asset)
            let gone = Self.document(asset: "nope")
            let response = try await client.execute(uri: "/api/v1/timelines/segments", method: .post, body: Self.request(gone, 1, width: 160)) { $0 }
            #expect(response.status == .ok)
            #expect(response.headers[SegmentController.missingField] == "v1")
            // Without the video the timeline ends with the title: 3.5 s, two segments.
            #expect(response.headers[SegmentController.countField] == "2")
            let onlyMissing = #"{"version": 1, "output": {"width": 320, "height": 180}, "tracks": [{"id": "v", "clips": [{"id": "v1", "asset": {"type": "video", "src": "asset:nope"}, "start": 0}]}]}"#
            let (status, body, _) = try await client.json(.post, "/api/v1/timelines/segments", #"{"document": \#(onlyMissing), "index": 0}"#)
            #expect(status == .unprocessableContent)
            #expect(body["error"]["details"].array.first?["path"].string == "/tracks/0/clips/0/asset/src")
            // Another user's asset is missing for them.
            let (_, other) = try await client.newUser()
            let mine = #"{"version": 1, "output": {"width": 320, "height": 180}, "tracks": [{"id": "v", "clips": [{"id": "v1", "asset": {"type": "video", "src": "asset:\#(asset)"}, "start": 0}]}]}"#
            #expect(try await other.json(.post, "/api/v1/timelines/segments", #"{"document": \#(mine), "index": 0}"#).0 == .unprocessableContent)

            for (request, path) in [
                (#"{"document": \#(document), "index": 3}"#, "/index"),
                (#"{"document": \#(document), "index": 1.5}"#, "/index"),
                (#"{"document": \#(document), "index": -1}"#, "/index"),
                (#"{"document": \#(document)}"#, "/index"),
                (#"{"document": \#(document), "index": 0, "width": 3}"#, "/width"),
                (#"{"document": \#(document), "index": 0, "extra": 1}"#, "/extra"),
                (#"{"document": {"version": 1, "output": {"width": 320, "height": 180}, "tracks": []}, "index": 0}"#, "/document/tracks"),
            ] {
                let (status, body, _) = try await client.json(.post, "/api/v1/timelines/segments", request)
                #expect(status == .unprocessableContent, "\(request)")
                #expect(body["error"]["details"].array.map { $0["path"].string } .contains(path), "\(request): \(body["error"])")
            }
        }
    }

    @Test("a deleted user's cached segments are deleted with the account")
    func deletedUsersSegmentsGo() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (user, other) = try await client.newUser()
            let document = #"{"version": 1, "output": {"width": 320, "height": 180}, "tracks": [{"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "Hi"}, "start": 0, "length": 1}]}]}"#
            let folder = server.storage.appendingPathComponent(".previews").path
            func cached() -> [String] {
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("previews~\(user.id)~") }
            }
            let status = try await other.execute(uri: "/api/v1/timelines/segments", method: .post, body: Self.request(document, 0)) { $0.status }
            #expect(status == .ok)
            #expect(cached().count == 1)
            #expect(try await client.json(.delete, "/api/v1/users/\(user.id)").0 == .noContent)
            #expect(cached().isEmpty)
        }
    }
}
