import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Store
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// `/health` stays quick when storage does not: an S3 that takes connections and never answers
/// makes it report the storage as down within its short deadline, not hang with the request.
@Suite("Health")
struct HealthTests {
    @Test("an S3 that accepts TCP but never answers: /health answers 503 'storage … timed out' well before the hang ends")
    func hangingS3IsReportedDownQuickly() async throws {
        let hang = try HangingListener()
        defer { hang.close() }
        let server = try TestServer()
        defer { try? FileManager.default.removeItem(at: server.directory) }
        try FileManager.default.createDirectory(at: server.storage, withIntermediateDirectories: true)
        let logger = Logger(label: "cutroom")
        let services = try await makeServices(config: server.config, logger: logger)
        // The same server, its blobs in a bucket behind the hanging endpoint (the start-up check,
        // which would refuse such a bucket, is what this skips).
        let scratch = server.directory.appendingPathComponent("s3-scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let client = S3Client(configuration: .init(
            bucket: "hanging", endpoint: URL(string: "http://127.0.0.1:\(hang.port)")!, region: "us-east-1",
            credentials: .init(accessKeyId: "key", secretAccessKey: "secret")))
        let s3 = try S3BlobStore(client: client, cache: BlobCache(directory: server.directory.appendingPathComponent("cache"), maxBytes: 1 << 20),
                                 scratchDirectory: scratch)
        let hanging = AppServices(
            database: services.database, blobs: MeteredBlobStore(base: s3, backend: "s3", metrics: services.metrics), events: services.events,
            queue: services.queue, webhooks: services.webhooks, pictures: services.pictures, segments: services.segments, lanes: services.lanes, accounts: services.accounts,
            metrics: services.metrics)
        let app = makeApplication(config: server.config, services: hanging, router: buildRouter(config: server.config, services: hanging), logger: logger)
        try await app.test(.live) { client in
            let clock = ContinuousClock()
            let started = clock.now
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let health = try JSON(response.body)["data"]
                #expect(health["status"].string == "degraded")
                #expect(health["database"].string == "ok")
                let storage = try #require(health["storage"].string)
                #expect(storage.hasPrefix("error: storage unavailable"), "\(storage)")
                #expect(storage.contains("timed out"), "\(storage)")
            }
            // The endpoint never answers; the S3 client's own deadline would be 4 × 30 s. A loose
            // bound, not a timing: 2 s is the health deadline.
            #expect(clock.now - started < .seconds(10))
        }
        let scrape = Scrape(status: 200, contentType: nil, text: services.metrics.exposition(.init(queueDepth: 0, rendersRunning: 0, sseSubscribers: 0)))
        #expect(scrape.value("cutroom_storage_errors_total", ["backend": "s3", "operation": "check"]) == 1)
    }

    @Test("local storage: /health is ok and counts no storage error")
    func localStorageIsOk() async throws {
        try await TestServer().run { client in
            let (status, body, _) = try await client.anonymous.json(.get, "/api/v1/health")
            #expect(status == .ok)
            #expect(body["data"]["storage"].string == "ok")
        }
    }
}

/// A TCP port that completes connections (the kernel's backlog) and never reads or answers.
final class HangingListener: @unchecked Sendable {
    // Only the owning test touches the descriptor.
    let fd: Int32
    let port: Int

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(message: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = fd
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 64) == 0 else { throw CommandFailure(message: "cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
