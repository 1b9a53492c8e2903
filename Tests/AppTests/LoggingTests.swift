import Foundation
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// What operators read: one line per request carrying the id the client saw, as JSON on demand.
@Suite("Logs", .tags(.slow))
struct LoggingTests {
    @Test func jsonLinesCarryTheRequestIdOfTheResponse() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: ["CUTROOM_LOG_FORMAT": "json"])
        try await server.start()
        let missing = try await server.get("/api/v1/projects/nope")
        #expect(missing.status == 404)
        let requestId = try #require(missing.header("X-Request-Id"))
        #expect(missing.json["meta"]["requestId"].string == requestId)
        #expect(try await server.stop(SIGTERM))

        let lines = server.output.split(separator: "\n").filter { !$0.isEmpty }
        #expect(!lines.isEmpty)
        var objects: [[String: Any]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "every line is a JSON object: \(line)")
            if let object { objects.append(object) }
        }
        #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        let line = try #require(objects.first { $0["hb.request.id"] as? String == requestId }, "a log line carries the response's request id")
        #expect(line["message"] as? String == "request")
        #expect(line["http.method"] as? String == "GET")
        #expect(line["http.path"] as? String == "/api/v1/projects/nope")
        #expect(line["http.status"] as? String == "404")
        #expect(line["duration_ms"] is String)
        // The caller signed in with its token: the line names the user (AuthMiddleware ran inside it).
        #expect(line["user.id"] as? String == server.owner?.id)
        #expect(server.owner?.id != nil)
        // The start-up health checks are anonymous: no user on their lines.
        let health = objects.filter { $0["message"] as? String == "request" && $0["http.path"] as? String == "/api/v1/health" }
        #expect(!health.isEmpty)
        #expect(health.allSatisfy { $0["user.id"] == nil })
        #expect(objects.contains { ($0["message"] as? String)?.contains("listening") == true })
    }

    @Test func anUnknownLogFormatIsRefusedAtStart() {
        #expect(throws: ConfigError.self) { try AppConfig(environment: ["CUTROOM_LOG_FORMAT": "xml"]) }
    }
}
