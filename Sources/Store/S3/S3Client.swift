import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where a bucket is and how to reach it.
public struct S3Configuration: Sendable {
    /// `path` puts the bucket in the path (`http://host/bucket/key`, what most S3-compatible servers
    /// want); `virtualHost` puts it in the host name (`https://bucket.s3.region.amazonaws.com/key`).
    public enum Addressing: String, Sendable {
        case path
        case virtualHost = "virtual"
    }

    /// The bucket's name.
    public var bucket: String
    /// `scheme://host[:port]`, no path.
    public var endpoint: URL
    /// The signing region (`us-east-1` for most S3-compatible servers).
    public var region: String
    /// The keys requests are signed with.
    public var credentials: AWSCredentials
    /// Path or virtual-host style.
    public var addressing: Addressing
    /// Attempts per request for transient failures (5xx, throttling, dropped connections), at least 1.
    public var maxAttempts: Int
    /// Wait before the first retry; doubled each time.
    public var firstBackoff: Duration
    /// Deadline for one small request (everything but part uploads and object downloads).
    public var requestTimeout: Duration

    /// A bucket at `endpoint`; retries 4 times starting at 250 ms, 30 s per request.
    public init(bucket: String, endpoint: URL, region: String, credentials: AWSCredentials,
                addressing: Addressing = .path, maxAttempts: Int = 4, firstBackoff: Duration = .milliseconds(250),
                requestTimeout: Duration = .seconds(30)) {
        self.bucket = bucket
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.addressing = addressing
        self.maxAttempts = max(1, maxAttempts)
        self.firstBackoff = firstBackoff
        self.requestTimeout = requestTimeout
    }
}

/// The S3 REST calls Cutroom uses, signed with SigV4, over AsyncHTTPClient: PutObject, multipart
/// upload, GetObject (whole or a range), HeadObject, DeleteObject, ListObjectsV2, presigned GETs.
/// Transient failures are retried with exponential backoff; what is left becomes a `StoreError`.
public struct S3Client: Sendable {
    /// The bucket and how requests to it are made.
    public let configuration: S3Configuration
    let signer: SigV4Signer

    /// One process-wide connection pool with short connect and idle-read timeouts, so a dead or
    /// silent endpoint fails a request instead of holding it. It lives as long as the process.
    /// The pool itself keeps retrying a refused connection until the connect timeout, so each of
    /// our attempts against a dead endpoint costs that long: 2 s keeps 4 attempts near 10 s.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(30))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A client for the bucket in `configuration`.
    public init(configuration: S3Configuration) {
        self.configuration = configuration
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
    }

    /// A response with its body read.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The response headers.
        public var headers: HTTPHeaders
        /// The whole body (S3's small answers only).
        public var body: ByteBuffer
    }

    // MARK: - Objects

    /// PutObject with the bytes in memory (up to a part's size).
    public func putObject(_ key: String, body: ByteBuffer, contentType: String? = nil) async throws {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        _ = try await send("PUT", key: key, headers: headers, body: body, expect: [200], what: "upload \(key)")
    }

    /// GetObject, whole or `range` (inclusive byte offsets), into memory.
    public func getObject(_ key: String, range: ClosedRange<Int64>? = nil) async throws -> ByteBuffer {
        var headers: [(name: String, value: String)] = []
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        return try await send("GET", key: key, headers: headers, expect: [200, 206], what: "read \(key)").body
    }

    /// GetObject streamed into a new file at `file` (replaced if present). A dropped transfer is
    /// started over, up to the retry limit; a partial file is never left behind.
    public func download(_ key: String, to file: URL) async throws {
        try await retrying("download \(key)") {
            let request = try makeRequest("GET", key: key, query: [], headers: [], payloadHash: SigV4Signer.emptyPayloadHash)
            // The idle-read timeout guards a stalled transfer; this bounds one that only trickles.
            let response = try await Self.http.execute(request, timeout: .hours(6))
            guard response.status.code == 200 else {
                let body = try await response.body.collect(upTo: 64 * 1024)
                throw S3Failure(status: Int(response.status.code), body: body, what: "download \(key)")
            }
            guard FileManager.default.createFile(atPath: file.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: file) else {
                throw StoreError.io("cannot create \(file.path)")
            }
            do {
                defer { try? handle.close() }
                for try await chunk in response.body {
                    try chunk.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
                }
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw error
            }
        }
    }

    /// HeadObject: the size, or nil when there is no such object.
    public func headObject(_ key: String) async throws -> Int64? {
        let response = try await send("HEAD", key: key, expect: [200, 404], what: "look up \(key)")
        guard response.status == 200 else { return nil }
        return response.headers.first(name: "content-length").flatMap { Int64($0) }
    }

    /// DeleteObject; absent is not an error (S3 answers 204 either way).
    public func deleteObject(_ key: String) async throws {
        _ = try await send("DELETE", key: key, expect: [200, 204, 404], what: "delete \(key)")
    }

    /// ListObjectsV2 under `prefix`, every page.
    public func listObjects(prefix: String) async throws -> [String] {
        try await listObjectsWithDates(prefix: prefix).map(\.key)
    }

    /// ListObjectsV2 under `prefix`, every page: keys and their LastModified (nil when unreadable).
    public func listObjectsWithDates(prefix: String) async throws -> [(key: String, modified: Date?)] {
        var objects: [(key: String, modified: Date?)] = []
        var token: String?
        let dates = ISO8601DateFormatter()
        dates.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", key: nil, query: query, expect: [200], what: "list \(prefix)")
            let xml = String(buffer: response.body)
            for entry in XMLText.values(of: "Contents", in: xml) {
                guard let key = XMLText.values(of: "Key", in: entry).first else { continue }
                let stamp = XMLText.values(of: "LastModified", in: entry).first
                objects.append((key, stamp.flatMap { dates.date(from: $0) ?? plain.date(from: $0) }))
            }
            token = XMLText.values(of: "IsTruncated", in: xml).first == "true" ? XMLText.values(of: "NextContinuationToken", in: xml).first : nil
        } while token != nil
        return objects
    }

    /// Multipart uploads in progress under `prefix` (ListMultipartUploads, first 1000): keys, upload
    /// ids and when they were started (nil when the server did not say).
    public func listMultipartUploads(prefix: String) async throws -> [(key: String, uploadId: String, initiated: Date?)] {
        let response = try await send("GET", key: nil, query: [("uploads", ""), ("prefix", prefix)], expect: [200], what: "list uploads under \(prefix)")
        let xml = String(buffer: response.body)
        let dates = ISO8601DateFormatter()
        dates.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        return XMLText.values(of: "Upload", in: xml).compactMap { upload in
            guard let key = XMLText.values(of: "Key", in: upload).first, let id = XMLText.values(of: "UploadId", in: upload).first else { return nil }
            let initiated = XMLText.values(of: "Initiated", in: upload).first.flatMap { dates.date(from: $0) ?? plain.date(from: $0) }
            return (key, id, initiated)
        }
    }

    /// A presigned GET URL for `key`, valid for `expires` seconds from `date`; with
    /// `contentDisposition`, S3 answers with that header (`response-content-disposition`, signed).
    public func presignedGetURL(_ key: String, expires: Int, date: Date = Date(), contentDisposition: String? = nil) -> URL? {
        let (host, path) = location(of: key)
        let query: [(name: String, value: String)] = contentDisposition.map { [("response-content-disposition", $0)] } ?? []
        return URL(string: signer.presignedURL(method: "GET", scheme: configuration.endpoint.scheme ?? "https",
                                               host: host, path: path, query: query, expires: expires, date: date))
    }

    // MARK: - Multipart

    /// CreateMultipartUpload: the upload id.
    public func createMultipartUpload(_ key: String, contentType: String? = nil) async throws -> String {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try await send("POST", key: key, query: [("uploads", "")], headers: headers, expect: [200], what: "start uploading \(key)")
        guard let id = XMLText.values(of: "UploadId", in: String(buffer: response.body)).first, !id.isEmpty else {
            throw StoreError.refused("start uploading \(key): the answer has no UploadId")
        }
        return id
    }

    /// UploadPart: the part's ETag.
    public func uploadPart(_ key: String, uploadId: String, number: Int, body: ByteBuffer) async throws -> String {
        let response = try await send("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadId)],
                                      body: body, expect: [200], what: "upload part \(number) of \(key)")
        guard let etag = response.headers.first(name: "etag") else {
            throw StoreError.refused("upload part \(number) of \(key): the answer has no ETag")
        }
        return etag
    }

    /// CompleteMultipartUpload with the parts' ETags in order.
    public func completeMultipartUpload(_ key: String, uploadId: String, etags: [String]) async throws {
        var xml = "<CompleteMultipartUpload>"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(XMLText.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send("POST", key: key, query: [("uploadId", uploadId)], headers: [("content-type", "application/xml")],
                                      body: ByteBuffer(string: xml), expect: [200], what: "finish uploading \(key)")
        // S3 may answer 200 and put the error in the body, after a long wait.
        let text = String(buffer: response.body)
        if text.contains("<Error>") {
            throw S3Failure(status: 500, body: response.body, what: "finish uploading \(key)").storeError
        }
    }

    /// AbortMultipartUpload: the parts uploaded so far are discarded.
    public func abortMultipartUpload(_ key: String, uploadId: String) async throws {
        _ = try await send("DELETE", key: key, query: [("uploadId", uploadId)], expect: [200, 204, 404], what: "abort uploading \(key)")
    }

    // MARK: - Bucket

    /// Lists at most one key: refuses (`StoreError.refused`, with S3's reason, which a HEAD answer
    /// would not carry) a bucket that is missing or not ours.
    /// `timeout`: one try within it instead of the configured deadline and retries.
    public func headBucket(timeout: Duration? = nil) async throws {
        _ = try await send("GET", key: nil, query: [("list-type", "2"), ("max-keys", "1")], expect: [200], what: "open bucket \(configuration.bucket)",
                           timeout: timeout)
    }

    /// CreateBucket (for tests and first setup); a bucket we already own is fine.
    public func createBucket() async throws {
        let response = try await send("PUT", key: nil, expect: [200, 409], what: "create bucket \(configuration.bucket)")
        if response.status == 409, !String(buffer: response.body).contains("BucketAlreadyOwnedByYou") {
            throw S3Failure(status: 409, body: response.body, what: "create bucket \(configuration.bucket)").storeError
        }
    }

    // MARK: - Requests

    /// Sends one signed request, retrying transient failures, and maps the rest to `StoreError`.
    func send(_ method: String, key: String?, query: [(name: String, value: String)] = [],
              headers: [(name: String, value: String)] = [], body: ByteBuffer? = nil,
              expect: Set<Int>, what: String, timeout: Duration? = nil) async throws -> Response {
        let payloadHash = body.map { buffer in buffer.withUnsafeReadableBytes { SigV4Signer.sha256Hex(Data($0)) } } ?? SigV4Signer.emptyPayloadHash
        // Part uploads get another minute per started 16 MiB on top of the base deadline.
        let seconds = configuration.requestTimeout.components.seconds + Int64(60 * (((body?.readableBytes ?? 0) + (16 << 20) - 1) / (16 << 20)))
        let deadline = timeout.map { TimeAmount.milliseconds(max(1, $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000)) }
            ?? .seconds(max(1, seconds))
        return try await retrying(what, attempts: timeout == nil ? configuration.maxAttempts : 1) {
            var request = try makeRequest(method, key: key, query: query, headers: headers, payloadHash: payloadHash)
            if let body { request.body = .bytes(body) }
            let response = try await Self.http.execute(request, timeout: deadline)
            let collected = try await response.body.collect(upTo: 16 << 20)
            let status = Int(response.status.code)
            guard expect.contains(status) else { throw S3Failure(status: status, body: collected, what: what) }
            return Response(status: status, headers: response.headers, body: collected)
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or runs out of attempts.
    func retrying<T>(_ what: String, attempts: Int? = nil, _ attempt: () async throws -> T) async throws -> T {
        let maxAttempts = attempts ?? configuration.maxAttempts
        var delay = configuration.firstBackoff
        var tries = 0
        while true {
            tries += 1
            do {
                return try await attempt()
            } catch let failure as S3Failure {
                guard failure.isTransient, tries < maxAttempts else { throw failure.storeError }
            } catch let error as StoreError {
                throw error
            } catch is CancellationError {
                throw StoreError.unavailable("\(what): cancelled")
            } catch {
                // Connection refused or reset, timeouts, TLS failures: the network, not the request.
                guard tries < maxAttempts else {
                    throw StoreError.unavailable("\(what) at \(configuration.endpoint.absoluteString): \(Self.describe(error)) (after \(tries) attempt\(tries == 1 ? "" : "s"))")
                }
            }
            try? await Task.sleep(for: delay)
            delay = delay * 2
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "the connection was closed"
            default: return String(describing: error)
            }
        }
        return String(describing: error)
    }

    func makeRequest(_ method: String, key: String?, query: [(name: String, value: String)],
                     headers: [(name: String, value: String)], payloadHash: String) throws -> HTTPClientRequest {
        let (host, path) = location(of: key)
        let signed = signer.signedRequestHeaders(
            .init(method: method, path: path, query: query, headers: [("host", host)] + headers, payloadHash: payloadHash),
            date: Date()
        )
        let queryText = SigV4Signer.canonicalQuery(query)
        let scheme = configuration.endpoint.scheme ?? "https"
        var request = HTTPClientRequest(url: "\(scheme)://\(host)\(path)\(queryText.isEmpty ? "" : "?" + queryText)")
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in signed where name != "host" { request.headers.add(name: name, value: value) }
        return request
    }

    /// The host (with port) and encoded path of `key` (nil: the bucket itself) under the addressing style.
    func location(of key: String?) -> (host: String, path: String) {
        let endpoint = configuration.endpoint
        var host = endpoint.host ?? "localhost"
        if let port = endpoint.port { host += ":\(port)" }
        let encodedKey = key.map { "/" + SigV4Signer.uriEncode($0, keepSlash: true) } ?? ""
        switch configuration.addressing {
        case .path:
            return (host, "/\(SigV4Signer.uriEncode(configuration.bucket))\(encodedKey.isEmpty ? "" : encodedKey)")
        case .virtualHost:
            return ("\(configuration.bucket).\(host)", encodedKey.isEmpty ? "/" : encodedKey)
        }
    }
}

/// An S3 error answer, before it becomes a `StoreError`.
struct S3Failure: Error {
    var status: Int
    var code: String
    var message: String
    var what: String

    init(status: Int, body: ByteBuffer, what: String) {
        let xml = String(buffer: body)
        self.status = status
        self.code = XMLText.values(of: "Code", in: xml).first ?? "HTTP \(status)"
        self.message = XMLText.values(of: "Message", in: xml).first ?? ""
        self.what = what
    }

    /// 5xx, 429 and the throttling codes are worth another try; the rest will not change.
    var isTransient: Bool {
        status >= 500 || status == 429 || ["SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestTimeTooSkewed", "InternalError"].contains(code)
    }

    var storeError: StoreError {
        let text = "\(what): \(code)\(message.isEmpty ? "" : " (\(message))")"
        if status == 404 && code != "NoSuchBucket" && code != "NoSuchUpload" && !what.hasPrefix("open bucket") { return .notFound(what) }
        return isTransient ? .unavailable(text) : .refused(text)
    }
}

/// Just enough XML for S3's answers: the text of elements by name, entities decoded.
enum XMLText {
    static func values(of element: String, in xml: String) -> [String] {
        var results: [String] = []
        let open = "<\(element)>", close = "</\(element)>"
        var rest = xml[...]
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            results.append(unescape(String(rest[start.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return results
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
