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
    var maxUploadBytes: Int64
    var shutdownGraceSeconds: Int
    var renderTimeoutSeconds: Int
    var webhookSecret: String?
    var webhookAllowPrivate: Bool
    var webhookBackoffMilliseconds: Int

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
        let storage = string("CUTROOM_STORAGE", "local")
        guard storage == "local" else {
            throw ConfigError(variable: "CUTROOM_STORAGE", message: "only 'local' is available in this build, got '\(storage)'")
        }
        // One render per two cores keeps libx264's own threads busy without oversubscribing.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        renderConcurrency = try integer("CUTROOM_RENDER_CONCURRENCY", max(1, cores / 2), 1...64)
        queueCapacity = try integer("CUTROOM_QUEUE_CAPACITY", 100, 0...100_000)
        maxUploadBytes = Int64(try integer("CUTROOM_MAX_UPLOAD_MB", 4096, 1...1_048_576)) * 1024 * 1024
        shutdownGraceSeconds = try integer("CUTROOM_SHUTDOWN_GRACE", 30, 0...86_400)
        renderTimeoutSeconds = try integer("CUTROOM_RENDER_TIMEOUT", 4 * 3600, 1...7 * 86_400)
        webhookSecret = environment["CUTROOM_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        webhookAllowPrivate = try integer("CUTROOM_WEBHOOK_ALLOW_PRIVATE", 0, 0...1) == 1
        webhookBackoffMilliseconds = try integer("CUTROOM_WEBHOOK_BACKOFF_MS", 1000, 1...3_600_000)
    }
}

/// A configuration variable with a value the server cannot use.
struct ConfigError: Error, CustomStringConvertible {
    var variable: String
    var message: String
    var description: String { "\(variable) \(message)" }
}
