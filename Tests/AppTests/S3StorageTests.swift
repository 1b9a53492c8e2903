import AsyncHTTPClient
import Crypto
import CutroomTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import App

/// `CUTROOM_STORAGE=s3` end to end against a real S3-compatible server (SeaweedFS on 127.0.0.1):
/// start-up checks, a 100 MB upload through the API, and the S3 server dying mid-upload and
/// mid-render. The suites in AssetAPITests and RenderAPITests also run once on S3.
@Suite("S3 storage", .tags(.s3), .serialized)
struct S3StorageTests {
    @Test func configurationNamesWhatIsMissing() throws {
        #expect(throws: ConfigError.self) { try AppConfig(environment: ["CUTROOM_STORAGE": "s3"]) }
        do {
            _ = try AppConfig(environment: ["CUTROOM_STORAGE": "s3", "CUTROOM_S3_BUCKET": "media"])
            Issue.record("accepted S3 storage without keys")
        } catch {
            #expect(error.variable == "AWS_ACCESS_KEY_ID")
        }
        do {
            _ = try AppConfig(environment: ["CUTROOM_STORAGE": "s3", "CUTROOM_S3_BUCKET": "media", "CUTROOM_S3_ENDPOINT": "ftp://x",
                                            "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
            Issue.record("accepted an ftp endpoint")
        } catch {
            #expect(error.variable == "CUTROOM_S3_ENDPOINT")
        }
        let aws = try AppConfig(environment: ["CUTROOM_STORAGE": "s3", "CUTROOM_S3_BUCKET": "media", "CUTROOM_S3_REGION": "eu-west-1",
                                              "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_SESSION_TOKEN": "t"])
        guard case .s3(let settings) = aws.storage else {
            Issue.record("not S3")
            return
        }
        #expect(settings.endpoint.absoluteString == "https://s3.eu-west-1.amazonaws.com")
        #expect(settings.addressing == "virtual")
        #expect(settings.sessionToken == "t")
        #expect(try AppConfig(environment: [:]).storage.isLocal)
    }

    @Test func theServerRefusesToStartOnAWrongKeyOrBucket() async throws {
        let s3 = try await S3TestServer.shared()
        let bucket = try await s3.makeBucket("start")
        var environment = TestServer.s3Environment(bucket)
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
        let wrongKey = try TestServer(environment: environment)
        await #expect {
            _ = try await buildApplication(config: wrongKey.config)
        } throws: { error in
            let text = "\(error)"
            return text.contains("is not usable") && text.contains("SignatureDoesNotMatch")
        }
        var missing = TestServer.s3Environment(bucket)
        missing["CUTROOM_S3_BUCKET"] = "missing-\(UUID().uuidString.lowercased().prefix(8))"
        await #expect {
            _ = try await buildApplication(config: try TestServer(environment: missing).config)
        } throws: { error in
            "\(error)".contains("NoSuchBucket")
        }
        var dead = TestServer.s3Environment(bucket)
        dead["CUTROOM_S3_ENDPOINT"] = "http://127.0.0.1:\(try S3TestServer.freePort())"
        let started = ContinuousClock.now
        await #expect {
            _ = try await buildApplication(config: try TestServer(environment: dead).config)
        } throws: { error in
            "\(error)".contains("storage unavailable")
        }
        // Four attempts of a 2 s connect timeout, about 10 s idle; the margin is for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// About 100 MB of uncompressed video through `POST /assets` as `multipart/form-data`, the
    /// browser's way (streamed to an S3 multipart upload), and back through the presigned
    /// redirect, byte for byte. (Raw bodies take the same sink: `killingS3MidUpload…`.)
    @Test(.tags(.slow)) func aHundredMegabyteUploadRoundTrips() async throws {
        let big = try Self.bigClip()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? NSNumber).intValue
        #expect(size > 100_000_000)
        let server = try await TestServer.make(.s3)
        try await server.run(.live) { client in
            let project = try await client.createProject()
            let started = ContinuousClock.now
            let (status, body) = try await client.upload(big, to: project)
            let upload = ContinuousClock.now - started
            #expect(status == .created, "\(body.value)")
            let id = try #require(body["data"]["id"].string)
            #expect(body["data"]["size"].int == size)
            #expect(try await server.blobs() == ["users/\(client.owner.id)/assets/\(id)/original.nut", "users/\(client.owner.id)/assets/\(id)/thumb.jpg"])
            #expect(try await server.openUploads() == 0)
            #expect(server.scratchFiles().isEmpty)

            let downloadStarted = ContinuousClock.now
            let download = try await client.download("/api/v1/assets/\(id)/content")
            let downloadTime = ContinuousClock.now - downloadStarted
            #expect(download.status == .ok)
            #expect(download.redirected)
            #expect(download.body.readableBytes == size)
            let expected = SHA256.hash(data: try Data(contentsOf: big))
            #expect(download.body.withUnsafeReadableBytes { SHA256.hash(data: Data($0)) } == expected)
            print("API 100 MB on S3: upload \(upload), download through the redirect \(downloadTime)")
        }
    }

    /// The S3 server dies while a big upload streams in: the request fails with the envelope,
    /// and no asset, object or scratch file refers to the half-sent bytes.
    @Test(.tags(.slow)) func killingS3MidUploadFailsTheRequestCleanly() async throws {
        let big = try Self.bigClip()
        let s3 = try await S3TestServer.start()
        defer { s3.stop() }
        let bucket = try await s3.makeBucket("kill")
        let server = try TestServer(environment: TestServer.s3Environment(bucket), bucket: bucket)
        try await server.run(.live) { client in
            let project = try await client.createProject()
            let killer = Task {
                // Kill once the first part is in: the upload is then half way through S3.
                let probe = S3Client(configuration: bucket)
                for _ in 0..<600 {
                    if let uploads = try? await probe.listMultipartUploads(prefix: ""), !uploads.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                s3.kill()
            }
            let outcome: (HTTPResponse.Status, JSON)?
            do {
                outcome = try await client.uploadRaw(big, to: project)
            } catch {
                // The server may answer and close while the client is still sending.
                outcome = nil
            }
            try await killer.value
            if let (status, body) = outcome {
                #expect(status == .serviceUnavailable, "\(body.value)")
                #expect(body["error"]["code"].string == "STORAGE_UNAVAILABLE")
                print("upload with S3 killed: \(status) \(body["error"]["message"].string ?? "")")
            } else {
                print("upload with S3 killed: the connection was closed")
            }
            let (_, list, _) = try await client.json(.get, "/api/v1/projects/\(project)/assets")
            #expect(list["pagination"]["total"].int == 0)
            #expect(server.scratchFiles().isEmpty)

            try await s3.restart()
            #expect(try await server.blobs().isEmpty)
            // The abort could not reach a dead server; the start-up sweep removes those parts.
            let store = try S3BlobStore(client: S3Client(configuration: bucket), cache: BlobCache(directory: server.directory.appendingPathComponent("sweep"), maxBytes: 1),
                                        scratchDirectory: server.directory.appendingPathComponent("sweep-scratch"))
            try await store.abortStaleUploads(olderThan: 0)
            #expect(try await server.openUploads() == 0)
        }
    }

    /// The S3 server dies after a render was queued: the render fails with a storage error instead
    /// of completing, nothing is referenced, and once S3 is back a retry completes it.
    @Test(.tags(.slow)) func killingS3MidRenderFailsItClearlyAndARetryCompletes() async throws {
        let red = try Fixtures.colorClip("red", seconds: 1)
        let s3 = try await S3TestServer.start()
        defer { s3.stop() }
        let bucket = try await s3.makeBucket("render")
        let server = try TestServer(environment: TestServer.s3Environment(bucket).merging(["CUTROOM_STORAGE_RETRIES": "0"]) { _, new in new }, bucket: bucket)
        try await server.run { client in
            let project = try await client.createProject()
            let (_, asset) = try await client.upload(red, to: project)
            let assetId = try #require(asset["data"]["id"].string)
            let document = sequenceDocument([assetId])
            s3.kill()
            let (accepted, render, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(document), "projectId": "\#(project)"}"#)
            #expect(accepted == .accepted, "\(render.value)")
            let id = try #require(render["data"]["id"].string)
            let failed = try await client.renderEnded(id)
            #expect(failed["status"].string == "failed")
            #expect(failed["error"].string?.contains("storage unavailable") == true, "\(failed.value)")
            #expect(failed["outputUrl"].isNull)
            let (notReady, _, _) = try await client.json(.get, "/api/v1/renders/\(id)/output")
            #expect(notReady == .notFound)
            #expect(server.scratchFiles().isEmpty)

            try await s3.restart()
            #expect(try await server.blobs().allSatisfy { !$0.contains("/renders/") })
            let (retried, _, _) = try await client.json(.post, "/api/v1/renders/\(id)/retry")
            #expect(retried == .accepted)
            let completed = try await client.renderEnded(id)
            #expect(completed["status"].string == "completed", "\(completed.value)")
            #expect(try await server.blobs().contains("users/\(client.owner.id)/renders/\(id)/output.mp4"))
            let download = try await client.download("/api/v1/renders/\(id)/output")
            #expect(download.status == .ok)
            #expect(download.redirected)
            #expect(download.body.readableBytes == completed["outputSize"].int)
        }
    }

    /// With automatic retries, a render caught by an S3 outage waits queued (saying why) and
    /// completes by itself once S3 is back.
    @Test(.tags(.slow)) func aRenderCaughtByAnOutageCompletesWhenS3IsBack() async throws {
        let blue = try Fixtures.colorClip("blue", seconds: 1)
        let s3 = try await S3TestServer.start()
        defer { s3.stop() }
        let bucket = try await s3.makeBucket("outage")
        let environment = TestServer.s3Environment(bucket).merging(["CUTROOM_STORAGE_RETRIES": "5", "CUTROOM_STORAGE_RETRY_MS": "500"]) { _, new in new }
        let server = try TestServer(environment: environment, bucket: bucket)
        try await server.run { client in
            let project = try await client.createProject()
            let (_, asset) = try await client.upload(blue, to: project)
            let assetId = try #require(asset["data"]["id"].string)
            s3.kill()
            let (_, render, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument([assetId])), "projectId": "\#(project)"}"#)
            let id = try #require(render["data"]["id"].string)
            var waiting = JSON(value: NSNull())
            for _ in 0..<300 {
                let (_, body, _) = try await client.json(.get, "/api/v1/renders/\(id)")
                waiting = body["data"]
                if waiting["status"].string == "queued", waiting["error"].string?.contains("storage unavailable") == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(waiting["status"].string == "queued")
            #expect(waiting["error"].string?.contains("storage unavailable") == true, "\(waiting.value)")
            // A render waiting out the outage can still be cancelled, and then stays cancelled.
            let (_, other, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument([assetId])), "projectId": "\#(project)"}"#)
            let otherId = try #require(other["data"]["id"].string)
            for _ in 0..<300 {
                let (_, body, _) = try await client.json(.get, "/api/v1/renders/\(otherId)")
                if body["data"]["error"].string?.contains("storage unavailable") == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let (cancelStatus, _, _) = try await client.json(.delete, "/api/v1/renders/\(otherId)")
            #expect(cancelStatus == .accepted)
            try await s3.restart()
            let completed = try await client.renderEnded(id)
            #expect(completed["status"].string == "completed", "\(completed.value)")
            #expect(completed["error"].isNull)
            #expect(try await server.blobs().contains("users/\(client.owner.id)/renders/\(id)/output.mp4"))
            let (_, cancelled, _) = try await client.json(.get, "/api/v1/renders/\(otherId)")
            #expect(cancelled["data"]["status"].string == "cancelled")
            #expect(try await server.blobs().allSatisfy { !$0.contains(otherId) })
        }
    }

    /// About 106 MB of raw (uncompressed) 320x240 video in NUT (which, unlike MOV, records the
    /// pixel format): big, yet quick for ffmpeg to write.
    static func bigClip() throws -> URL {
        try Fixtures.make("big-raw-37s.nut", [
            "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=37", "-c:v", "rawvideo", "-pix_fmt", "yuv420p",
        ])
    }
}

extension TestClientProtocol {
    /// Uploads a file as a raw body with `?filename=`.
    func uploadRaw(_ file: URL, to projectId: String) async throws -> (HTTPResponse.Status, JSON) {
        try await execute(
            uri: "/api/v1/projects/\(projectId)/assets?filename=\(file.lastPathComponent)", method: .post,
            headers: [.contentType: "application/octet-stream"], body: ByteBuffer(bytes: try Data(contentsOf: file))
        ) { response in
            (response.status, try JSON(response.body))
        }
    }
}

extension AppConfig.Storage {
    var isLocal: Bool {
        if case .local = self { return true }
        return false
    }
}
