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

            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/assets")
            #expect(list["pagination"]["total"].int == 1)
            let stored = try await server.blobs()
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { $0.hasPrefix("users/\(client.owner.id)/assets/") })
            #expect(server.scratchFiles().isEmpty)
            #expect(try await server.openUploads() == 0)
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
