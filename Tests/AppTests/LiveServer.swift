import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// The real `cutroom` binary started on 127.0.0.1 with its own storage, for tests that kill it.
final class LiveServer: @unchecked Sendable {
    // Only the test that owns it touches `process`, one step at a time.
    let storage: URL
    private(set) var port: Int
    private var environment: [String: String]
    private var process: Process?
    private let log: URL
    /// The admin requests act for, seeded into the database before the first start.
    private(set) var owner: TestUser?

    init(storage: URL, environment: [String: String] = [:]) throws {
        self.storage = storage
        port = try Self.freePort()
        log = storage.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString.prefix(8)).log")
        var env = ProcessInfo.processInfo.environment
        env["CUTROOM_PORT"] = String(port)
        env["CUTROOM_STORAGE_DIR"] = storage.path
        env["CUTROOM_WEB_DIR"] = storage.deletingLastPathComponent().path
        env.merge(environment) { _, new in new }
        self.environment = env
    }

    static var binary: URL {
        // Tests/AppTests/LiveServer.swift → package root → .build/debug/cutroom
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/cutroom")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var isRunning: Bool { process?.isRunning ?? false }
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Starts the binary and waits until it listens. Another test's server may take the port between
    /// `freePort()` and our bind (ours then exits, and the other one answers /health), so only our own
    /// log saying it listens counts; a server that lost the port is started again on another one.
    func start() async throws {
        if owner == nil {
            // A server restarted on the same storage acts for the same user: it is kept beside the storage.
            let saved = URL(fileURLWithPath: storage.path + ".owner.json")
            if let data = try? Data(contentsOf: saved) {
                owner = try JSONDecoder().decode(TestUser.self, from: data)
            } else {
                try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
                let seeded = try await TestUser.seed(databaseAt: environment["CUTROOM_DATABASE"] ?? storage.appendingPathComponent("cutroom.sqlite").path)
                try JSONEncoder().encode(seeded).write(to: saved)
                owner = seeded
            }
        }
        for _ in 0..<5 {
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["serve"]
            process.environment = environment
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            self.process = process
            for _ in 0..<400 {
                if !process.isRunning { break }
                if output.contains("listening on 127.0.0.1:\(port)"), (try? await get("/api/v1/health").status) == 200 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning { break }
            port = try Self.freePort()
            environment["CUTROOM_PORT"] = String(port)
        }
        throw CommandFailure(message: "server did not start listening: \(output)")
    }

    /// Sends `signal` and waits up to `timeout` for the process to exit; returns whether it did.
    @discardableResult
    func stop(_ signal: Int32, timeout: Duration = .seconds(60)) async throws -> Bool {
        guard let process else { return true }
        kill(process.processIdentifier, signal)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: ByteBuffer
        var json: JSON { (try? JSON(body)) ?? JSON(value: NSNull()) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    func send(_ method: String, _ path: String, json: String? = nil, body: ByteBuffer? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let owner, !headers.contains(where: { ["authorization", "cookie"].contains($0.0.lowercased()) }) {
            request.headers.add(name: "authorization", value: "Bearer \(owner.token)")
        }
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(body)
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 256 * 1_048_576)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: collected)
    }

    /// Uploads a file as a raw body; returns the asset id.
    func upload(_ file: URL, project: String) async throws -> String {
        let reply = try await send(
            "POST", "/api/v1/projects/\(project)/assets?filename=\(file.lastPathComponent)",
            body: ByteBuffer(bytes: try Data(contentsOf: file))
        )
        return try #require(reply.json["data"]["id"].string, "\(reply.status) \(String(buffer: reply.body))")
    }

    /// Polls a render until `condition` holds (or fails the test after `timeout`).
    func waitForRender(_ id: String, timeout: Duration = .seconds(180), _ condition: (JSON) -> Bool) async throws -> JSON {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let render = try await get("/api/v1/renders/\(id)").json["data"]
            if condition(render) { return render }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CommandFailure(message: "render \(id) did not reach the expected state; server log:\n\(output)")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure(message: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailure(message: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
