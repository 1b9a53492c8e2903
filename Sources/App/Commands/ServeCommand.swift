import ArgumentParser
import Hummingbird
import Logging

/// `cutroom serve`: the web editor and the REST API, configured from `CUTROOM_*` variables.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Start the server (configured by CUTROOM_* environment variables).")

    func run() async throws {
        let config: AppConfig
        do {
            config = try AppConfig()
        } catch {
            throw ValidationError("configuration: \(error)")
        }
        if config.logJSON { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "cutroom")
        logger.logLevel = .info
        let app = try await buildApplication(config: config, logger: logger)
        logger.info("cutroom listening", metadata: ["url": "http://\(config.host):\(config.port)", "storage": "\(config.storageDirectory)"])
        try await app.runService()
    }
}
