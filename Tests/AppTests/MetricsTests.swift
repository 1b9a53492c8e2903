import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// `GET /metrics` scraped from the real binary after real work: the counters move, by route and
/// outcome, and only the configured caller or listener gets them.
@Suite("Metrics (live binary)", .tags(.slow))
struct MetricsTests {
    static let token = "metrics-token-0123456789abcdef"

    @Test("a render through HTTP moves the request, render, upload and level series; no token, no metrics")
    func scrapeAfterARender() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"),
                                    environment: ["CUTROOM_METRICS_TOKEN": Self.token, "CUTROOM_LOG_FORMAT": "json"])
        try await server.start()
        let authorization = [("Authorization", "Bearer \(Self.token)")]

        // Refused without the token, with a wrong one, and with the user's own API token.
        for headers in [[("Cookie", "none=1")], [("Authorization", "Bearer \(Self.token)x")], []] {
            let refused = try await server.get("/metrics", headers: headers)
            #expect(refused.status == 401, "\(headers)")
            #expect(refused.json["error"]["code"].string == "UNAUTHENTICATED")
            #expect(!String(buffer: refused.body).contains("cutroom_"))
        }

        let before = Scrape(try await server.get("/metrics", headers: authorization))
        #expect(before.status == 200)
        #expect(before.value("cutroom_upload_bytes_total") ?? 0 == 0)
        #expect(before.value("cutroom_renders_total", ["outcome": "done"]) == nil)

        let project = try #require(try await server.send("POST", "/api/v1/projects", json: #"{"name": "metrics"}"#).json["data"]["id"].string)
        let clip = try Fixtures.colorClip("teal", seconds: 2)
        let asset = try await server.upload(clip, project: project)
        let document = sequenceDocument([asset], seconds: 2, fps: 25)
        let timeline = try #require(try await server.send("POST", "/api/v1/projects/\(project)/timelines",
                                                          json: #"{"name": "t", "document": \#(document)}"#).json["data"]["id"].string)
        let submitted = try await server.send("POST", "/api/v1/renders", json: #"{"timelineId": "\#(timeline)"}"#)
        #expect(submitted.status == 202)
        let render = try #require(submitted.json["data"]["id"].string)
        let done = try await server.waitForRender(render) { ["completed", "failed", "cancelled"].contains($0["status"].string ?? "") }
        #expect(done["status"].string == "completed")
        let output = try await server.get("/api/v1/renders/\(render)/output")
        #expect(output.status == 200)

        let after = Scrape(try await server.get("/metrics", headers: authorization))
        #expect(after.status == 200)
        #expect(after.contentType?.hasPrefix("text/plain") == true)
        // Requests by route pattern and status; the ids of the paths never become labels.
        #expect(after.value("cutroom_http_requests_total", ["method": "POST", "route": "/api/v1/renders", "status": "202"]) == 1)
        #expect((after.value("cutroom_http_requests_total", ["method": "GET", "route": "/api/v1/renders/{renderId}", "status": "200"]) ?? 0) >= 1)
        #expect(after.value("cutroom_http_requests_total", ["method": "GET", "route": "/metrics", "status": "401"]) == 3)
        #expect(after.value("cutroom_http_request_duration_seconds_count", ["method": "POST", "route": "/api/v1/renders", "status": "202"]) == 1)
        #expect(!after.text.contains(render) && !after.text.contains(asset) && !after.text.contains(project))
        // The render: one done, every frame of the 2 s at 25 fps counted, a duration and a rate.
        #expect(after.value("cutroom_renders_total", ["outcome": "done"]) == 1)
        #expect(after.value("cutroom_render_frames_total", ["outcome": "done"]) == 50)
        #expect(after.value("cutroom_render_duration_seconds_count", ["outcome": "done"]) == 1)
        #expect((after.value("cutroom_render_duration_seconds_sum", ["outcome": "done"]) ?? 0) > 0)
        #expect(after.value("cutroom_render_fps_count", ["outcome": "done"]) == 1)
        #expect(after.value("cutroom_renders_total", ["outcome": "failed"]) == nil)
        // The upload's bytes, exactly.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: clip.path)[.size] as? NSNumber).doubleValue
        #expect(after.value("cutroom_upload_bytes_total") == size)
        // Levels sampled at the scrape.
        #expect(after.value("cutroom_queue_depth") == 0)
        #expect(after.value("cutroom_renders_running") == 0)
        #expect(after.value("cutroom_sse_subscribers") == 0)
        #expect((after.value("process_resident_memory_bytes") ?? 0) > 1_000_000)

        #expect(try await server.stop(SIGTERM))
        // The queue's lines carry the render id; the request lines the caller.
        let lines = server.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.contains { $0["message"] as? String == "render started" && $0["render.id"] as? String == render })
        let ended = try #require(lines.first { $0["message"] as? String == "render ended" && $0["render.id"] as? String == render })
        #expect(ended["outcome"] as? String == "done")
        #expect(ended["frames"] as? String == "50")
        #expect(ended["user.id"] as? String == server.owner?.id)
        let submit = try #require(lines.first { $0["message"] as? String == "request" && $0["http.path"] as? String == "/api/v1/renders" })
        #expect(submit["user.id"] as? String == server.owner?.id)
    }

    @Test("a running render cancelled counts as cancelled, with the frames it made before the stop")
    func cancelledRenderIsCountedByOutcome() async throws {
        let setup = try await QueueDurabilityTests.setUp(["CUTROOM_METRICS_TOKEN": Self.token])
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let id = try await QueueDurabilityTests.submit(setup)
        _ = try await setup.server.waitForRender(id) { ($0["frame"].int ?? 0) > 10 }
        #expect(try await setup.server.send("DELETE", "/api/v1/renders/\(id)").status == 202)
        _ = try await setup.server.waitForRender(id) { $0["status"].string == "cancelled" }
        let scrape = Scrape(try await setup.server.get("/metrics", headers: [("Authorization", "Bearer \(Self.token)")]))
        #expect(scrape.value("cutroom_renders_total", ["outcome": "cancelled"]) == 1)
        #expect(scrape.value("cutroom_renders_total", ["outcome": "done"]) == nil)
        // Some of the 500 frames, not none and not all.
        let frames = try #require(scrape.value("cutroom_render_frames_total", ["outcome": "cancelled"]))
        #expect(frames > 10 && frames < 500, "\(frames)")
        #expect(scrape.value("cutroom_http_requests_total", ["method": "DELETE", "route": "/api/v1/renders/{renderId}", "status": "202"]) == 1)
        #expect(try await setup.server.stop(SIGTERM))
    }

    @Test("CUTROOM_METRICS_ADDRESS: a second listener serves /metrics, and only that; the main port does not")
    func separateListener() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try LiveServer.freePort()
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: ["CUTROOM_METRICS_ADDRESS": "127.0.0.1:\(port)"])
        try await server.start()

        let main = try await server.get("/metrics")
        #expect(main.status == 404)
        #expect(!String(buffer: main.body).contains("cutroom_"))

        let scraped = try await Self.get("http://127.0.0.1:\(port)/metrics")
        #expect(scraped.status == 200)
        let scrape = Scrape(status: scraped.status, contentType: nil, text: scraped.text)
        // The main port's traffic is what it counts: the start-up health checks, and the refused scrape.
        #expect((scrape.value("cutroom_http_requests_total", ["method": "GET", "route": "/api/v1/health", "status": "200"]) ?? 0) >= 1)
        #expect(scrape.value("cutroom_http_requests_total", ["method": "GET", "route": "/metrics", "status": "404"]) == 1)
        #expect((scrape.value("process_resident_memory_bytes") ?? 0) > 0)
        // Nothing else is served there.
        #expect(try await Self.get("http://127.0.0.1:\(port)/api/v1/health").status == 404)
        #expect(try await server.stop(SIGTERM))
    }

    static func get(_ url: String) async throws -> (status: Int, text: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}

/// One scrape's samples (the Prometheus text format: `name{label="value",…} number`).
struct Scrape {
    var status: Int
    var contentType: String?
    var text: String

    init(_ reply: LiveServer.Reply) {
        self.init(status: reply.status, contentType: reply.header("Content-Type"), text: String(buffer: reply.body))
    }

    init(status: Int, contentType: String?, text: String) {
        self.status = status
        self.contentType = contentType
        self.text = text
    }

    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let open = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            return Sample(name: String(series[..<open]), labels: Self.labels(series[series.index(after: open)..<series.index(before: series.endIndex)]), value: value)
        }
    }

    /// `a="x",b="y\"z"` → [a: x, b: y"z].
    static func labels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var value = ""
            var index = rest.index(equals, offsetBy: 2)  // past `="`
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\" { index = rest.index(after: index) }
                if index < rest.endIndex { value.append(rest[index]) }
                index = rest.index(after: index)
            }
            labels[name] = value
            rest = index < rest.endIndex ? rest[rest.index(after: index)...] : ""
        }
        return labels
    }

    /// The value of the one sample of `name` whose labels are exactly `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}

/// Who may scrape, from the two variables; unusable values stop the server at start.
@Suite("Metrics configuration")
struct MetricsConfigurationTests {
    @Test func accessFollowsTheTokenAndTheAddress() throws {
        let token = MetricsTests.token
        let none = try AppConfig(environment: [:])
        #expect(MetricsController.access(for: none, onOwnListener: false) == .off)
        let withToken = try AppConfig(environment: ["CUTROOM_METRICS_TOKEN": token])
        #expect(MetricsController.access(for: withToken, onOwnListener: false) == .token(token))
        let withAddress = try AppConfig(environment: ["CUTROOM_METRICS_ADDRESS": "127.0.0.1:9464"])
        #expect(withAddress.metricsAddress == .init(host: "127.0.0.1", port: 9464))
        #expect(MetricsController.access(for: withAddress, onOwnListener: false) == .off)
        #expect(MetricsController.access(for: withAddress, onOwnListener: true) == .open)
        let both = try AppConfig(environment: ["CUTROOM_METRICS_ADDRESS": "[::1]:9464", "CUTROOM_METRICS_TOKEN": token])
        #expect(both.metricsAddress == .init(host: "::1", port: 9464))
        #expect(MetricsController.access(for: both, onOwnListener: false) == .off)
        #expect(MetricsController.access(for: both, onOwnListener: true) == .token(token))
    }

    @Test func unusableValuesAreRefusedNamingTheVariable() {
        for (name, value) in [("CUTROOM_METRICS_TOKEN", "short"), ("CUTROOM_METRICS_TOKEN", "a token with spaces in it"),
                              ("CUTROOM_METRICS_ADDRESS", "9464"), ("CUTROOM_METRICS_ADDRESS", "127.0.0.1:0"),
                              ("CUTROOM_METRICS_ADDRESS", ":9464"), ("CUTROOM_METRICS_ADDRESS", "host:port")] {
            do {
                _ = try AppConfig(environment: [name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.variable == name, "\(name)=\(value)")
            }
        }
    }

    @Test func tokensCompareWhole() {
        #expect(MetricsController.sameSecret("metrics-token-0123456789abcdef", "metrics-token-0123456789abcdef"))
        #expect(!MetricsController.sameSecret("metrics-token-0123456789abcde", "metrics-token-0123456789abcdef"))
        #expect(!MetricsController.sameSecret("", "metrics-token-0123456789abcdef"))
    }
}
