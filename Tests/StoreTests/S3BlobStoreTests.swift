import AsyncHTTPClient
import Crypto
import CutroomTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import Store

extension Tag {
    @Tag static var s3: Tag
}

/// The S3 backend against a real S3-compatible server (SeaweedFS on 127.0.0.1), which checks
/// signatures and presigned URLs: nothing here is mocked.
@Suite(.tags(.s3)) struct S3BlobStoreTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-s3store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func makeStore(_ configuration: S3Configuration, cacheBytes: Int64 = 1 << 30) throws -> S3BlobStore {
        try S3BlobStore(client: S3Client(configuration: configuration),
                        cache: BlobCache(directory: folder.appendingPathComponent("cache"), maxBytes: cacheBytes),
                        scratchDirectory: folder.appendingPathComponent("scratch"))
    }

    func file(_ text: String, _ name: String = UUID().uuidString) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func fetch(_ url: URL, headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        var request = HTTPClientRequest(url: url.absoluteString)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), response.headers, try await response.body.collect(upTo: 200 << 20))
    }

    @Test func putReadSizeDeleteAndList() async throws {
        let server = try await S3TestServer.shared()
        let store = try makeStore(try await server.makeBucket())
        try await store.checkReady()
        let key = try BlobKey(validating: "users/u1/assets/a1/original.mp4")
        let thumb = try BlobKey(validating: "users/u1/assets/a1/thumb.jpg")
        let other = try BlobKey(validating: "users/u1/assets/a2/original.mp4")
        #expect(try await store.size(of: key) == nil)
        await #expect(throws: StoreError.notFound("download \(key)")) { try await store.localFile(for: key) }

        let source = try file("hello, bucket")
        try await store.put(key, movingFile: source)
        #expect(!FileManager.default.fileExists(atPath: source.path))
        try await store.put(thumb, movingFile: try file("jpeg"))
        try await store.put(other, movingFile: try file("other"))
        #expect(try await store.size(of: key) == 13)
        #expect(String(decoding: try Data(contentsOf: try await store.localFile(for: key)), as: UTF8.self) == "hello, bucket")
        #expect(await store.cache.contains(key))
        #expect(String(buffer: try await store.client.getObject(key.rawValue, range: 7...12)) == "bucket")
        #expect(Set(try await store.client.listObjects(prefix: "users/u1/")) == [key.rawValue, thumb.rawValue, other.rawValue])

        try await store.deleteAll(prefix: BlobKey.assetPrefix(userId: "u1", assetId: "a1"))
        #expect(try await store.size(of: key) == nil)
        #expect(try await store.size(of: thumb) == nil)
        #expect(!(await store.cache.contains(key)))
        #expect(try await store.size(of: other) == 5)
        try await store.delete(other)
        try await store.delete(other)
        #expect(try await store.client.listObjects(prefix: "users/").isEmpty)
    }

    @Test func presignedURLsWorkAndTamperedOrExpiredOnesAreRefused() async throws {
        let server = try await S3TestServer.shared()
        let store = try makeStore(try await server.makeBucket())
        let key = try BlobKey(validating: "users/u/renders/r/output.mp4")
        try await store.put(key, movingFile: try file("rendered bytes"))

        let url = try #require(try await store.downloadURL(for: key, expires: .seconds(900), contentDisposition: "inline; filename=\"out put.mp4\""))
        #expect(url.absoluteString.contains("X-Amz-Expires=900"))
        let good = try await Self.fetch(url)
        #expect(good.status == 200)
        #expect(String(buffer: good.body) == "rendered bytes")
        #expect(good.headers.first(name: "content-disposition") == "inline; filename=\"out put.mp4\"")
        let ranged = try await Self.fetch(url, headers: [("Range", "bytes=0-7")])
        #expect(ranged.status == 206)
        #expect(String(buffer: ranged.body) == "rendered")

        // Another key under the same signature.
        let otherKey = URL(string: url.absoluteString.replacingOccurrences(of: "output.mp4", with: "outpuu.mp4"))!
        #expect(try await Self.fetch(otherKey).status == 403)
        // One flipped signature digit.
        var text = url.absoluteString
        let last = text.removeLast()
        let tampered = URL(string: text + (last == "0" ? "1" : "0"))!
        #expect(try await Self.fetch(tampered).status == 403)
        // A longer life than was signed.
        let stretched = URL(string: url.absoluteString.replacingOccurrences(of: "X-Amz-Expires=900", with: "X-Amz-Expires=9000"))!
        #expect(try await Self.fetch(stretched).status == 403)

        // Short-lived, but not so short that a loaded machine lets it lapse before the request.
        let shortLived = try #require(store.client.presignedGetURL(key.rawValue, expires: 60))
        #expect(try await Self.fetch(shortLived).status == 200)
        let expired = try #require(store.client.presignedGetURL(key.rawValue, expires: 1, date: Date().addingTimeInterval(-120)))
        #expect(try await Self.fetch(expired).status == 403)
    }

    @Test func aWrongSecretKeyIsRefusedClearly() async throws {
        let server = try await S3TestServer.shared()
        let good = try await server.makeBucket()
        var wrong = good
        wrong.credentials.secretAccessKey = "not-the-secret"
        let store = try makeStore(wrong)
        await #expect {
            try await store.checkReady()
        } throws: { error in
            guard case StoreError.refused(let message) = error else { return false }
            return message.contains("SignatureDoesNotMatch") || message.contains("AccessDenied")
        }
        let key = try BlobKey(validating: "users/u/x.bin")
        await #expect(throws: StoreError.self) { try await store.put(key, movingFile: try file("x")) }
        #expect(try await S3Client(configuration: good).listObjects(prefix: "users/").isEmpty)

        var missing = good
        missing.bucket = "no-such-bucket-\(UUID().uuidString.lowercased().prefix(8))"
        await #expect {
            try await makeStore(missing).checkReady()
        } throws: { error in
            guard case StoreError.refused = error else { return false }
            return true
        }
    }

    @Test func aDeadEndpointFailsFastAsUnavailable() async throws {
        let port = try S3TestServer.freePort()
        let configuration = S3Configuration(bucket: "dead", endpoint: URL(string: "http://127.0.0.1:\(port)")!, region: "us-east-1",
                                            credentials: .init(accessKeyId: "a", secretAccessKey: "b"),
                                            maxAttempts: 3, firstBackoff: .milliseconds(50), requestTimeout: .seconds(5))
        let store = try makeStore(configuration)
        // Fast means it gives up on the refused connection itself, never waiting out a request
        // deadline (timings are for benchmarks; the reason tells which happened).
        await #expect {
            try await store.checkReady()
        } throws: { error in
            guard case StoreError.unavailable(let message) = error else { return false }
            return message.contains("after 3 attempts") && message.contains("refused") && !message.lowercased().contains("timed out")
        }
    }

    /// 100 MB through a multipart upload (seven 16 MiB parts) and back, byte for byte.
    @Test func aHundredMegabytesRoundTripThroughMultipart() async throws {
        let server = try await S3TestServer.shared()
        let store = try makeStore(try await server.makeBucket())
        let key = try BlobKey(validating: "users/u/assets/big/original.bin")
        let source = folder.appendingPathComponent("big.bin")
        _ = FileManager.default.createFile(atPath: source.path, contents: nil)
        let handle = try FileHandle(forWritingTo: source)
        var hasher = SHA256()
        var generator = SplitMix(seed: 42)
        let chunk = 1 << 20
        for _ in 0..<100 {
            var words = [UInt64](repeating: 0, count: chunk / 8)
            for index in words.indices { words[index] = generator.next() }
            let bytes = words.withUnsafeBytes { Data($0) }
            hasher.update(data: bytes)
            try handle.write(contentsOf: bytes)
        }
        try handle.close()
        let expected = hasher.finalize()

        let upStart = ContinuousClock.now
        try await store.put(key, movingFile: source)
        let up = ContinuousClock.now - upStart
        #expect(try await store.size(of: key) == 100 << 20)
        #expect(try await store.client.listMultipartUploads(prefix: "users/").isEmpty)

        let downStart = ContinuousClock.now
        let local = try await store.localFile(for: key)
        let down = ContinuousClock.now - downStart
        let readBack = try FileHandle(forReadingFrom: local)
        var check = SHA256()
        while let data = try readBack.read(upToCount: 4 << 20), !data.isEmpty { check.update(data: data) }
        try readBack.close()
        #expect(check.finalize() == expected)
        print("S3 100 MiB multipart: upload \(up), download \(down)")
    }

    /// A streamed write that is abandoned after two parts leaves no multipart upload behind.
    @Test func anAbortedStreamedWriteLeavesNoParts() async throws {
        let server = try await S3TestServer.shared()
        let store = try makeStore(try await server.makeBucket())
        let key = try BlobKey(validating: "users/u/assets/gone/original.bin")
        let writer = try #require(try await store.streamingWriter(for: key, contentType: nil))
        let part = ByteBuffer(repeating: 7, count: 1 << 20)
        for _ in 0..<40 { try await writer.write(part) }
        #expect(try await store.client.listMultipartUploads(prefix: "users/").count == 1)
        await writer.abort()
        #expect(try await store.client.listMultipartUploads(prefix: "users/").isEmpty)
        #expect(try await store.size(of: key) == nil)
    }

    /// Parts of an upload nobody could abort are swept at start, but only once they are old.
    @Test func staleUploadsAreSweptYoungOnesKept() async throws {
        let server = try await S3TestServer.shared()
        let store = try makeStore(try await server.makeBucket())
        let key = try BlobKey(validating: "users/u/assets/orphan/original.bin")
        let writer = try #require(try await store.streamingWriter(for: key, contentType: nil))
        for _ in 0..<20 { try await writer.write(ByteBuffer(repeating: 1, count: 1 << 20)) }
        #expect(try await store.abortStaleUploads(olderThan: 3600) == 0)
        let open = try await store.client.listMultipartUploads(prefix: "users/")
        #expect(open.count == 1)
        #expect(open.first?.initiated.map { abs($0.timeIntervalSinceNow) < 300 } == true)
        #expect(try await store.abortStaleUploads(olderThan: 0) == 1)
        #expect(try await store.client.listMultipartUploads(prefix: "users/").isEmpty)
    }

    @Test func theCacheEvictsLeastRecentlyUsed() async throws {
        let cache = try BlobCache(directory: folder.appendingPathComponent("lru"), maxBytes: 25)
        let keys = try (1...3).map { try BlobKey(validating: "users/u/assets/a\($0)/original.bin") }
        var fetches = 0
        for key in keys.prefix(2) {
            _ = try await cache.file(for: key) { try Data(repeating: 1, count: 10).write(to: $0) }
            fetches += 1
        }
        // Touch the first, so the second is the least recently used when the third arrives.
        _ = try await cache.file(for: keys[0]) { _ in Issue.record("cached file fetched again") }
        _ = try await cache.file(for: keys[2]) { try Data(repeating: 3, count: 10).write(to: $0) }
        #expect(await cache.contains(keys[0]))
        #expect(!(await cache.contains(keys[1])))
        #expect(await cache.contains(keys[2]))
        #expect(await cache.totalBytes == 20)
        // A failed fetch leaves nothing.
        await #expect(throws: StoreError.self) {
            _ = try await cache.file(for: keys[1]) { _ in throw StoreError.unavailable("down") }
        }
        #expect(!(await cache.contains(keys[1])))
        let reopened = try BlobCache(directory: folder.appendingPathComponent("lru"), maxBytes: 25)
        #expect(await reopened.totalBytes == 20)
        #expect(fetches == 2)
    }
}

/// A fast deterministic generator for test bytes that do not compress.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
