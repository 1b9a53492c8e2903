import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Assets API")
struct AssetAPITests {
    @Test(arguments: Backend.allCases) func uploadProbeThumbnailContentAndDelete(_ backend: Backend) async throws {
        let clip = try Fixtures.colorClip("red", seconds: 2)
        let server = try await TestServer.make(backend)
        try await server.run { client in
            let project = try await client.createProject()
            let (status, body) = try await client.upload(clip, to: project, filename: "My Clip.mp4")
            #expect(status == .created)
            let asset = body["data"]
            let id = try #require(asset["id"].string)
            #expect(asset["name"].string == "My Clip.mp4")
            #expect(asset["kind"].string == "video")
            #expect(asset["width"].int == 320)
            #expect(asset["height"].int == 240)
            #expect(abs((asset["duration"].double ?? 0) - 2) < 0.1)
            #expect(asset["hasAudio"].bool == true)
            #expect(asset["src"].string == "asset:\(id)")
            #expect(try await server.blobs() == ["users/\(client.owner.id)/assets/\(id)/original.mp4", "users/\(client.owner.id)/assets/\(id)/thumb.jpg"])

            let thumbnail = try await client.download("/api/v1/assets/\(id)/thumbnail")
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/jpeg")
            #expect(Array(thumbnail.body.readableBytesView.prefix(2)) == [0xFF, 0xD8])
            #expect(thumbnail.redirected == (backend == .s3))
            let original = try Data(contentsOf: clip)
            let whole = try await client.download("/api/v1/assets/\(id)/content")
            #expect(whole.status == .ok)
            #expect(Data(buffer: whole.body) == original)
            #expect(whole.redirected == (backend == .s3))
            #expect(whole.headers[.contentDisposition] == "inline; filename=\"My Clip.mp4\"")
            let middle = try await client.download("/api/v1/assets/\(id)/content", headers: [.range: "bytes=100-199"])
            #expect(middle.status == .partialContent)
            #expect(middle.headers[.contentRange] == "bytes 100-199/\(original.count)")
            #expect(Data(buffer: middle.body) == original[100..<200])
            let tail = try await client.download("/api/v1/assets/\(id)/content", headers: [.range: "bytes=-10"])
            #expect(tail.status == .partialContent)
            #expect(Data(buffer: tail.body) == original.suffix(10))
            let outside = try await client.download("/api/v1/assets/\(id)/content", headers: [.range: "bytes=999999999-"])
            #expect(outside.status == .rangeNotSatisfiable)

            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/assets?kind=video")
            #expect(list["data"].array.count == 1)

            let (deleted, _, _) = try await client.json(.delete, "/api/v1/assets/\(id)")
            #expect(deleted == .noContent)
            #expect(try await server.blobs().isEmpty)
            let (gone, _, _) = try await client.json(.get, "/api/v1/assets/\(id)")
            #expect(gone == .notFound)
        }
    }

    @Test(arguments: Backend.allCases) func rawBodyUploadWithFilename(_ backend: Backend) async throws {
        let clip = try Fixtures.colorClip("blue", seconds: 1)
        try await TestServer.make(backend).run { client in
            let project = try await client.createProject()
            let status = try await client.execute(
                uri: "/api/v1/projects/\(project)/assets?filename=blue.mp4", method: .post,
                body: ByteBuffer(bytes: try Data(contentsOf: clip))
            ) { $0.status }
            #expect(status == .created)
        }
    }

    @Test(arguments: Backend.allCases) func hostileUploadsAreRejectedAndLeaveNothingStored(_ backend: Backend) async throws {
        let text = try Fixtures.textFile()
        let empty = Fixtures.directory.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        let random = Fixtures.directory.appendingPathComponent("random.mp4")
        try Data((0..<65_536).map { _ in UInt8.random(in: 0...255) }).write(to: random)
        let clip = try Fixtures.colorClip("green", seconds: 1)
        let server = try await TestServer.make(backend, environment: ["CUTROOM_MAX_UPLOAD_MB": "1"])
        let big = Fixtures.directory.appendingPathComponent("big.bin")
        try Data(count: 2 * 1_048_576).write(to: big)
        try await server.run { client in
            let project = try await client.createProject()

            let (textStatus, textBody) = try await client.upload(text, to: project)
            #expect(textStatus == .unsupportedMediaType)
            #expect(textBody["error"]["code"].string == "UNSUPPORTED_MEDIA")
            #expect(textBody["error"]["message"].string?.contains("notes.txt") == true)

            let (emptyStatus, _) = try await client.upload(empty, to: project)
            #expect(emptyStatus == .badRequest)
            let (randomStatus, _) = try await client.upload(random, to: project)
            #expect(randomStatus == .unsupportedMediaType)
            let (bigStatus, bigBody) = try await client.upload(big, to: project)
            #expect(bigStatus == .contentTooLarge)
            #expect(bigBody["error"]["code"].string == "TOO_LARGE")
            let (pathStatus, pathBody) = try await client.upload(clip, to: project, filename: "../../../etc/passwd")
            #expect(pathStatus == .created)
            #expect(pathBody["data"]["name"].string == "passwd")
            let (_, unknownProject) = try await client.upload(clip, to: "nope")
            #expect(unknownProject["error"]["code"].string == "NOT_FOUND")

            let noFile = try await client.execute(
                uri: "/api/v1/projects/\(project)/assets", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=xyz"],
                body: ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--xyz--\r\n")
            ) { $0.status }
            #expect(noFile == .badRequest)
            let truncated = try await client.execute(
                uri: "/api/v1/projects/\(project)/assets", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=xyz"],
                body: ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nhalf a fi")
            ) { $0.status }
            #expect(truncated == .badRequest)
            // Refusals that come after the file's bytes began to stream (S3: into a multipart upload).
            let clipBytes = try Data(contentsOf: clip)
            let filePart = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n"
            let refused: [(String, String, HTTPResponse.Status, String)] = [
                ("xyz", "\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.mp4\"\r\n\r\nb\r\n--xyz--\r\n", .badRequest, "one file per request"),
                ("xyz", "\r\n--xyz\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Long: \(String(repeating: "a", count: 17_000))\r\n\r\n--xyz--", .badRequest, "longer than 16 KiB"),
                ("xyz", "\r\n--xyz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\(String(repeating: "a", count: 300_000))\r\n--xyz--", .contentTooLarge, "besides the file"),
                ("xyz", "\r\n--xyz\r\nX-Ü: 1\r\n\r\n--xyz--", .badRequest, "not ASCII"),
                ("xyz", "\r\n--xyz", .badRequest, "closing boundary"),
                (String(repeating: "z", count: 71), "", .badRequest, "usable boundary"),
            ]
            for (boundary, after, expected, reason) in refused {
                var body = ByteBuffer(string: filePart)
                body.writeBytes(clipBytes)
                body.writeString(after)
                let (status, json, _) = try await client.execute(
                    uri: "/api/v1/projects/\(project)/assets", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body
                ) { ($0.status, try JSON($0.body), 0) }
                #expect(status == expected, "\(reason)")
                #expect(json["error"]["message"].string?.contains(reason) == true, "\(json.value)")
            }

            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/assets")
            #expect(list["pagination"]["total"].int == 1)
            let stored = try await server.blobs()
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { $0.hasPrefix("users/\(client.owner.id)/assets/") })
            #expect(server.scratchFiles().isEmpty)
            #expect(try await server.openUploads() == 0)
        }
    }

    /// Real media through the browser's path over a real connection (the body arrives in many
    /// chunks): the stored file is the sent file, and ffprobe reads it as it read the original.
    @Test(arguments: Backend.allCases) func multipartUploadOverTheWireStoresTheFileExactly(_ backend: Backend) async throws {
        let clip = try Fixtures.make("testsrc2-640x360-4s.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=4", "-f", "lavfi", "-i", "sine=f=220:sample_rate=48000:d=4",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", "-c:a", "aac", "-shortest",
        ])
        let original = try Data(contentsOf: clip)
        let server = try await TestServer.make(backend)
        try await server.run(.live) { client in
            let project = try await client.createProject()
            let boundary = "----WebKitFormBoundaryq8Lmz3Xy0fT6Ab9K"
            var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nferry\r\n")
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Fähre 🚢.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
            body.writeBytes(original)
            body.writeString("\r\n--\(boundary)--\r\n")
            let (status, json, _) = try await client.execute(
                uri: "/api/v1/projects/\(project)/assets", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body
            ) { ($0.status, try JSON($0.body), 0) }
            #expect(status == .created, "\(json.value)")
            let asset = json["data"]
            let id = try #require(asset["id"].string)
            #expect(asset["name"].string == "Fähre 🚢.mp4")
            #expect(asset["size"].int == original.count)
            #expect(asset["width"].int == 640 && asset["height"].int == 360)

            let stored = try await client.download("/api/v1/assets/\(id)/content")
            #expect(Data(buffer: stored.body) == original)
            let copy = Fixtures.directory.appendingPathComponent("stored-\(UUID().uuidString).mp4")
            try Data(buffer: stored.body).write(to: copy)
            defer { try? FileManager.default.removeItem(at: copy) }
            let (sent, kept) = (try Fixtures.probe(clip), try Fixtures.probe(copy))
            #expect(kept.frames == 100 && kept.frames == sent.frames)
            #expect(abs(kept.duration - sent.duration) < 0.001 && abs(kept.duration - 4) < 0.1)
            #expect(abs((asset["duration"].double ?? 0) - sent.duration) < 0.05)

            // The same file as a raw body is the same asset.
            let (rawStatus, raw) = try await client.uploadRaw(clip, to: project)
            #expect(rawStatus == .created)
            #expect(raw["data"]["size"].int == asset["size"].int)
            #expect(raw["data"]["duration"].double == asset["duration"].double)
            #expect(server.scratchFiles().isEmpty)
        }
    }

    @Test func pathTricksInIdsFindNothing() async throws {
        try await TestServer().run { client in
            for uri in ["/api/v1/assets/..%2F..%2Fcutroom.sqlite/content", "/api/v1/assets/%2Fetc%2Fpasswd/content", "/api/v1/assets/../../x"] {
                let (status, _, _) = try await client.json(.get, uri)
                #expect(status == .notFound, "\(uri)")
            }
        }
    }
}
