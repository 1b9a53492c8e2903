import AsyncHTTPClient
import CutroomTestSupport
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import HTTPTypes
import Store
import Testing

@testable import App

extension Tag {
    @Tag static var slow: Tag
    @Tag static var s3: Tag
}

/// Where a test server keeps its blobs: the API suites that touch blobs run once with each.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    /// A fresh bucket on the shared SeaweedFS server.
    case s3

    var testDescription: String { rawValue }
}

/// A server configuration over a fresh temporary storage folder.
struct TestServer {
    let directory: URL
    let config: AppConfig
    /// The bucket, when the backend is S3.
    let bucket: S3Configuration?

    /// A server on `backend`; S3 gets a bucket of its own on the shared test S3 server.
    static func make(_ backend: Backend, environment extra: [String: String] = [:]) async throws -> TestServer {
        switch backend {
        case .local:
            return try TestServer(environment: extra)
        case .s3:
            let s3 = try await S3TestServer.shared()
            let bucket = try await s3.makeBucket("api")
            return try TestServer(environment: Self.s3Environment(bucket).merging(extra) { _, new in new }, bucket: bucket)
        }
    }

    /// The variables that point a server at `bucket`.
    static func s3Environment(_ bucket: S3Configuration) -> [String: String] {
        [
            "CUTROOM_STORAGE": "s3", "CUTROOM_S3_BUCKET": bucket.bucket, "CUTROOM_S3_ENDPOINT": bucket.endpoint.absoluteString,
            "CUTROOM_S3_REGION": bucket.region, "AWS_ACCESS_KEY_ID": bucket.credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": bucket.credentials.secretAccessKey,
        ]
    }

    init(environment extra: [String: String] = [:], bucket: S3Configuration? = nil) throws {
        self.bucket = bucket
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-test-\(UUID().uuidString)")
        let web = directory.appendingPathComponent("web")
        try FileManager.default.createDirectory(at: web, withIntermediateDirectories: true)
        try Data("<!doctype html><title>Cutroom</title>".utf8).write(to: web.appendingPathComponent("index.html"))
        var environment = [
            "CUTROOM_STORAGE_DIR": directory.appendingPathComponent("storage").path,
            "CUTROOM_WEB_DIR": web.path,
            "CUTROOM_PORT": "0",
            "CUTROOM_RENDER_CONCURRENCY": "1",
        ]
        environment.merge(extra) { _, new in new }
        config = try AppConfig(environment: environment)
    }

    var storage: URL { directory.appendingPathComponent("storage") }

    /// Every stored blob: the bucket's objects with S3, else the files under storage (but the
    /// database, its WAL files, the scratch folder and the cache).
    func blobs() async throws -> [String] {
        guard let bucket else { return storedBlobs() }
        return try await S3Client(configuration: bucket).listObjects(prefix: "users/").sorted()
    }

    /// Multipart uploads left open in the bucket (none with local storage).
    func openUploads() async throws -> Int {
        guard let bucket else { return 0 }
        return try await S3Client(configuration: bucket).listMultipartUploads(prefix: "").count
    }

    /// Files in the scratch folder.
    func scratchFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: storage.appendingPathComponent(".tmp").path)) ?? []
    }

    /// Every regular file under storage except the database, its WAL files and the scratch folder.
    func storedBlobs() -> [String] {
        let root = storage.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !path.hasPrefix("cutroom.sqlite") && !path.hasPrefix(".tmp") && !path.hasPrefix(".cache")
        }.sorted()
    }

    /// Runs `body` against the application through the given test framework, signed in as an
    /// admin seeded before the server starts. `restarting`: the files stay for another `run`.
    func run(_ setup: TestingSetup = .router, restarting: Bool = false, _ body: @Sendable (SignedInClient) async throws -> Void) async throws {
        defer { if !restarting { try? FileManager.default.removeItem(at: directory) } }
        let databasePath = config.databasePath
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        let owner = try await TestUser.seed(databaseAt: databasePath)
        let logger = Logger(label: "cutroom")
        let services = try await makeServices(config: config, logger: logger)
        let router = buildRouter(config: config, services: services)
        let routes = Set(router.routes.map { "\($0.method) \($0.path)" })
        let app = makeApplication(config: config, services: services, router: router, logger: logger)
        try await app.test(setup) { client in
            try await body(SignedInClient(base: client, token: owner.token, owner: owner, databasePath: databasePath, routes: routes))
        }
    }
}

/// A decoded JSON response body.
struct JSON: @unchecked Sendable {
    // Holds plain Foundation JSON values (immutable), only read by the test that made it.
    let value: Any

    init(_ buffer: ByteBuffer) throws {
        value = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
    }

    init(value: Any) { self.value = value }

    subscript(_ key: String) -> JSON {
        JSON(value: (value as? [String: Any])?[key] ?? NSNull())
    }

    subscript(_ index: Int) -> JSON {
        guard let array = value as? [Any], index < array.count else { return JSON(value: NSNull()) }
        return JSON(value: array[index])
    }

    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber)?.intValue }
    var double: Double? { (value as? NSNumber)?.doubleValue }
    var bool: Bool? { (value as? NSNumber)?.boolValue }
    var array: [JSON] { (value as? [Any])?.map { JSON(value: $0) } ?? [] }
    var isNull: Bool { value is NSNull }
}

extension TestClientProtocol {
    /// Sends JSON and returns status and decoded body.
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, JSON, HTTPFields) {
        var headers = headers
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let json = response.body.readableBytes == 0 ? JSON(value: NSNull()) : try JSON(response.body)
            return (response.status, json, response.headers)
        }
    }

    /// GETs a download route; a 302 to a presigned S3 URL is followed (with the same headers)
    /// the way a browser would, straight to the bucket.
    func download(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer, redirected: Bool) {
        let (status, responseHeaders, body) = try await execute(uri: uri, method: .get, headers: headers) { ($0.status, $0.headers, $0.body) }
        guard status == .found, let location = responseHeaders[.location] else { return (status, responseHeaders, body, false) }
        #expect(location.contains("X-Amz-Signature="))
        #expect(location.contains("X-Amz-Expires=900"))
        var request = HTTPClientRequest(url: location)
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        var fields = HTTPFields()
        for (name, value) in response.headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        return (HTTPResponse.Status(code: Int(response.status.code)), fields, try await response.body.collect(upTo: 512 << 20), true)
    }

    /// Polls a render until it has ended (completed, failed or cancelled) and returns its `data`.
    /// Tests wait this way, not by following `/events` to its end: HummingbirdTesting's live client
    /// gives up on a response silent for 20 s, which a render on a loaded 2-core machine can be.
    func renderEnded(_ id: String, within seconds: Int = 180) async throws -> JSON {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while clock.now < deadline {
            let (_, body, _) = try await json(.get, "/api/v1/renders/\(id)")
            if ["completed", "failed", "cancelled"].contains(body["data"]["status"].string ?? "") { return body["data"] }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestServerError("render \(id) did not end within \(seconds) s")
    }

    /// Creates a project and returns its id.
    func createProject(_ name: String = "Test project") async throws -> String {
        let (status, body, _) = try await json(.post, "/api/v1/projects", #"{"name": "\#(name)"}"#)
        #expect(status == .created)
        return try #require(body["data"]["id"].string)
    }

    /// Uploads a file as multipart/form-data; returns status and body.
    func upload(_ file: URL, to projectId: String, filename: String? = nil) async throws -> (HTTPResponse.Status, JSON) {
        let boundary = "cutroom-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename ?? file.lastPathComponent)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(try Data(contentsOf: file))
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await execute(
            uri: "/api/v1/projects/\(projectId)/assets", method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body
        ) { response in
            (response.status, try JSON(response.body))
        }
    }
}

/// Media made by the `ffmpeg` program for tests (tests may use it; the product never does).
enum Fixtures {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-fixtures-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A clip of one solid colour with a 440 Hz tone.
    static func colorClip(_ color: String, seconds: Double = 1, size: String = "320x240", fps: Int = 25) throws -> URL {
        try make("\(color)-\(seconds)-\(size)-\(fps).mp4", [
            "-f", "lavfi", "-i", "color=c=\(color):s=\(size):r=\(fps):d=\(seconds)",
            "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=\(seconds)",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        ])
    }

    /// Makes `name` with ffmpeg once. Tests run in parallel: the file is written under a unique
    /// name and renamed into place, so no test ever reads a half-written fixture.
    static func make(_ name: String, _ arguments: [String]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        let partial = directory.appendingPathComponent("partial-\(UUID().uuidString)-\(name)")
        try ffmpeg(arguments + [partial.path])
        if rename(partial.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: partial)
        }
        return url
    }

    static func textFile() throws -> URL {
        let url = directory.appendingPathComponent("notes.txt")
        try Data("These are not the frames you are looking for.\n".utf8).write(to: url)
        return url
    }

    static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(message: "ffmpeg \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }

    /// Runs a command and returns its standard output.
    static func output(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// Duration of a media file in seconds and its video frame count, through ffprobe.
    static func probe(_ file: URL) throws -> (duration: Double, frames: Int) {
        let out = try output("/usr/bin/ffprobe", [
            "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "format=duration:stream=nb_read_frames", "-of", "default=nw=1:nk=1", file.path,
        ])
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        return (Double(lines.last ?? "") ?? -1, Int(lines.first ?? "") ?? -1)
    }

    /// The average RGB of a frame at `seconds`, scaled to one pixel.
    static func color(of file: URL, at seconds: Double) throws -> (r: Int, g: Int, b: Int) {
        let out = try output("/usr/bin/ffmpeg", [
            "-v", "error", "-ss", String(seconds), "-i", file.path, "-frames:v", "1",
            "-vf", "scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        ])
        guard out.count >= 3 else { return (-1, -1, -1) }
        return (Int(out[0]), Int(out[1]), Int(out[2]))
    }
}
