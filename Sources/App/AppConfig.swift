import Foundation

/// Everything the server reads from its environment, each with a working default so
/// `cutroom serve` runs with no setup (DESIGN.md, Configuration).
struct AppConfig: Sendable {
    var host: String
    var port: Int
    var webDirectory: String
    var storageDirectory: String
    var databasePath: String
    var renderConcurrency: Int
    var queueCapacity: Int
    /// `CUTROOM_LOG_FORMAT`: `text` (default) or `json`, one object per line.
    var logJSON: Bool
    /// One user's share of the queue: renders waiting or running (`CUTROOM_USER_QUEUE_RENDERS`,
    /// default half the capacity) and their hours of 1080p30 work (`CUTROOM_USER_QUEUE_HOURS`).
    var userQueueRenders: Int
    var userQueueHours: Int
    var maxUploadBytes: Int64
    var shutdownGraceSeconds: Int
    var renderTimeoutSeconds: Int
    var webhookSecret: String?
    var webhookAllowPrivate: Bool
    var webhookBackoffMilliseconds: Int
    var storage: Storage
    /// Local copies of S3 sources for renders (`CUTROOM_CACHE_DIR`, default `<storage>/.cache`).
    var cacheDirectory: String
    var cacheBytes: Int64
    /// Editor playback segments (`<storage>/.previews`), bounded by `CUTROOM_PREVIEW_CACHE_MB`.
    var previewCacheDirectory: String
    var previewCacheBytes: Int64
    /// Times a render goes back to the queue when storage is unavailable, and the base wait.
    var storageRetries: Int
    var storageRetryMilliseconds: Int
    /// Starts a render gets before a process death during it fails it (`CUTROOM_RENDER_ATTEMPTS`).
    var renderAttempts: Int
    /// The largest render accepted, in hours of 1080p30 (`CUTROOM_MAX_RENDER_HOURS`; see `Timeline.workloadHours`).
    var maxRenderHours: Int
    /// The most rows (renders) one batch may have (`CUTROOM_BATCH_MAX_ROWS`).
    var batchMaxRows: Int
    /// Largest picture an upload may declare, in pixels (`CUTROOM_MAX_PICTURE_PIXELS`, 8192 × 8192).
    var maxPicturePixels: Int
    /// Uploads probed at once (`CUTROOM_PROBE_CONCURRENCY`).
    var probeConcurrency: Int
    /// Connection limits: request head within `CUTROOM_HEADER_TIMEOUT` s, bodies at least
    /// `CUTROOM_MIN_BODY_RATE` bytes/s, `CUTROOM_MAX_CONNECTIONS_PER_IP`; idle keep-alive
    /// connections close after `CUTROOM_IDLE_TIMEOUT` s.
    var connectionLimits: ConnectionLimits
    /// The origin browsers use (`CUTROOM_PUBLIC_URL`, e.g. `https://video.example.com`): Host and
    /// Origin checks and `Secure` cookies follow it. Without it: the bind address and localhost.
    var publicURL: URL?
    /// The first admin, made at start while no account exists (`CUTROOM_ADMIN_EMAIL`/`_PASSWORD`).
    var adminEmail: String?
    var adminPassword: String?
    /// bcrypt's work factor (`CUTROOM_BCRYPT_COST`, 12: about a quarter second per hash).
    var bcryptCost: Int
    var idleTimeoutSeconds: Int
    /// `GET /metrics` (Prometheus): a scrape presents `CUTROOM_METRICS_TOKEN` as a bearer token,
    /// and/or it is served only on its own listener `CUTROOM_METRICS_ADDRESS` (host:port). With
    /// neither, metrics are off (404): they tell outsiders what the server is doing.
    var metricsToken: String?
    var metricsAddress: BindAddress?

    /// A `host:port` to listen on.
    struct BindAddress: Sendable, Equatable {
        var host: String
        var port: Int
    }

    /// Where blobs live.
    enum Storage: Sendable {
        case local
        case s3(S3Settings)
    }

    /// `CUTROOM_S3_*` and the `AWS_*` keys.
    struct S3Settings: Sendable {
        var bucket: String
        var endpoint: URL
        var region: String
        var addressing: String
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String?
    }

    /// Reads `CUTROOM_*` variables; a value that does not parse is an error naming the variable.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        func string(_ name: String, _ fallback: String) -> String {
            guard let value = environment[name], !value.isEmpty else { return fallback }
            return value
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let raw = environment[name], !raw.isEmpty else { return fallback }
            guard let value = Int(raw), range.contains(value) else {
                throw ConfigError(variable: name, message: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(raw)'")
            }
            return value
        }
        host = string("CUTROOM_HOST", "127.0.0.1")
        port = try integer("CUTROOM_PORT", 8080, 0...65535)
        webDirectory = string("CUTROOM_WEB_DIR", "./web/dist")
        storageDirectory = string("CUTROOM_STORAGE_DIR", "./storage")
        databasePath = string("CUTROOM_DATABASE", storageDirectory + "/cutroom.sqlite")
        cacheDirectory = string("CUTROOM_CACHE_DIR", storageDirectory + "/.cache")
        cacheBytes = Int64(try integer("CUTROOM_CACHE_MB", 10_240, 1...100_000_000)) * 1024 * 1024
        previewCacheDirectory = storageDirectory + "/.previews"
        previewCacheBytes = Int64(try integer("CUTROOM_PREVIEW_CACHE_MB", 1024, 1...100_000_000)) * 1024 * 1024
        storageRetries = try integer("CUTROOM_STORAGE_RETRIES", 2, 0...100)
        storageRetryMilliseconds = try integer("CUTROOM_STORAGE_RETRY_MS", 5000, 1...3_600_000)
        switch string("CUTROOM_STORAGE", "local") {
        case "local":
            storage = .local
        case "s3":
            storage = .s3(try Self.s3Settings(environment))
        case let other:
            throw ConfigError(variable: "CUTROOM_STORAGE", message: "must be 'local' or 's3', got '\(other)'")
        }
        // One render per two cores keeps libx264's own threads busy without oversubscribing.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        renderConcurrency = try integer("CUTROOM_RENDER_CONCURRENCY", max(1, cores / 2), 1...64)
        queueCapacity = try integer("CUTROOM_QUEUE_CAPACITY", 100, 0...100_000)
        switch string("CUTROOM_LOG_FORMAT", "text") {
        case "text": logJSON = false
        case "json": logJSON = true
        case let other: throw ConfigError(variable: "CUTROOM_LOG_FORMAT", message: "must be 'text' or 'json', got '\(other)'")
        }
        // Half the queue by default: one user alone can never fill it.
        userQueueRenders = try integer("CUTROOM_USER_QUEUE_RENDERS", max(1, queueCapacity / 2), 1...100_000)
        maxUploadBytes = Int64(try integer("CUTROOM_MAX_UPLOAD_MB", 4096, 1...1_048_576)) * 1024 * 1024
        shutdownGraceSeconds = try integer("CUTROOM_SHUTDOWN_GRACE", 30, 0...86_400)
        renderTimeoutSeconds = try integer("CUTROOM_RENDER_TIMEOUT", 4 * 3600, 1...7 * 86_400)
        renderAttempts = try integer("CUTROOM_RENDER_ATTEMPTS", 3, 1...100)
        maxRenderHours = try integer("CUTROOM_MAX_RENDER_HOURS", 8, 1...100_000)
        batchMaxRows = try integer("CUTROOM_BATCH_MAX_ROWS", 10_000, 1...1_000_000)
        userQueueHours = try integer("CUTROOM_USER_QUEUE_HOURS", 3 * maxRenderHours, 1...1_000_000)
        maxPicturePixels = try integer("CUTROOM_MAX_PICTURE_PIXELS", 8192 * 8192, 16 * 16...16384 * 16384)
        probeConcurrency = try integer("CUTROOM_PROBE_CONCURRENCY", 2, 1...64)
        connectionLimits = ConnectionLimits(
            headerTimeout: .seconds(Int64(try integer("CUTROOM_HEADER_TIMEOUT", 15, 1...3600))),
            minimumBodyRate: try integer("CUTROOM_MIN_BODY_RATE", 1024, 0...1_000_000_000),
            maxPerAddress: try integer("CUTROOM_MAX_CONNECTIONS_PER_IP", 64, 1...100_000)
        )
        idleTimeoutSeconds = try integer("CUTROOM_IDLE_TIMEOUT", 75, 1...86_400)
        if let raw = environment["CUTROOM_PUBLIC_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil else {
                throw ConfigError(variable: "CUTROOM_PUBLIC_URL", message: "must be http(s)://host[:port] with no path, got '\(raw)'")
            }
            publicURL = url
        } else {
            publicURL = nil
        }
        adminEmail = environment["CUTROOM_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 }
        adminPassword = environment["CUTROOM_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if (adminEmail == nil) != (adminPassword == nil) {
            throw ConfigError(variable: adminEmail == nil ? "CUTROOM_ADMIN_EMAIL" : "CUTROOM_ADMIN_PASSWORD",
                              message: "must be set together with \(adminEmail == nil ? "CUTROOM_ADMIN_PASSWORD" : "CUTROOM_ADMIN_EMAIL")")
        }
        bcryptCost = try integer("CUTROOM_BCRYPT_COST", 12, 4...31)
        webhookSecret = environment["CUTROOM_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        webhookAllowPrivate = try integer("CUTROOM_WEBHOOK_ALLOW_PRIVATE", 0, 0...1) == 1
        webhookBackoffMilliseconds = try integer("CUTROOM_WEBHOOK_BACKOFF_MS", 1000, 1...3_600_000)
        metricsToken = environment["CUTROOM_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let token = metricsToken, token.count < 16 || !token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) {
            throw ConfigError(variable: "CUTROOM_METRICS_TOKEN", message: "must be at least 16 printable ASCII characters without spaces")
        }
        if let raw = environment["CUTROOM_METRICS_ADDRESS"], !raw.isEmpty {
            // host:port, or [v6]:port.
            guard let colon = raw.lastIndex(of: ":"), let port = Int(raw[raw.index(after: colon)...]), (1...65535).contains(port) else {
                throw ConfigError(variable: "CUTROOM_METRICS_ADDRESS", message: "must be host:port (e.g. 127.0.0.1:9464), got '\(raw)'")
            }
            let host = raw[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard !host.isEmpty else {
                throw ConfigError(variable: "CUTROOM_METRICS_ADDRESS", message: "must be host:port (e.g. 127.0.0.1:9464), got '\(raw)'")
            }
            metricsAddress = BindAddress(host: host, port: port)
        } else {
            metricsAddress = nil
        }
    }
}

extension AppConfig {
    /// The S3 variables; every missing or unusable one is named.
    static func s3Settings(_ environment: [String: String]) throws(ConfigError) -> S3Settings {
        func required(_ name: String) throws(ConfigError) -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigError(variable: name, message: "is required when CUTROOM_STORAGE=s3")
            }
            return value
        }
        let bucket = try required("CUTROOM_S3_BUCKET")
        // Bucket naming rules (lower-case letters, digits, dots, hyphens; 3 to 63 characters).
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-" }) else {
            throw ConfigError(variable: "CUTROOM_S3_BUCKET", message: "must be a valid bucket name (3-63 lower-case letters, digits, '.', '-'), got '\(bucket)'")
        }
        let region = environment["CUTROOM_S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        let endpointText = environment["CUTROOM_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoint: URL
        if let endpointText {
            guard let url = URL(string: endpointText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil else {
                throw ConfigError(variable: "CUTROOM_S3_ENDPOINT", message: "must be http(s)://host[:port] with no path, got '\(endpointText)'")
            }
            endpoint = url
        } else {
            guard let url = URL(string: "https://s3.\(region).amazonaws.com") else {
                throw ConfigError(variable: "CUTROOM_S3_REGION", message: "is not a usable region name: '\(region)'")
            }
            endpoint = url
        }
        // Custom endpoints (MinIO, SeaweedFS, Ceph...) usually want path style; AWS itself prefers virtual hosts.
        let addressing = environment["CUTROOM_S3_ADDRESSING"].flatMap { $0.isEmpty ? nil : $0 } ?? (endpointText == nil ? "virtual" : "path")
        guard addressing == "path" || addressing == "virtual" else {
            throw ConfigError(variable: "CUTROOM_S3_ADDRESSING", message: "must be 'path' or 'virtual', got '\(addressing)'")
        }
        return S3Settings(
            bucket: bucket, endpoint: endpoint, region: region, addressing: addressing,
            accessKeyId: try required("AWS_ACCESS_KEY_ID"), secretAccessKey: try required("AWS_SECRET_ACCESS_KEY"),
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}

/// A configuration variable with a value the server cannot use.
struct ConfigError: Error, CustomStringConvertible {
    var variable: String
    var message: String
    var description: String { "\(variable) \(message)" }
}
