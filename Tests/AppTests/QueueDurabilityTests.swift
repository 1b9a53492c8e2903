import AsyncHTTPClient
import NIOCore
import Foundation
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// The real binary, killed and restarted: no render is lost, none completes twice, no partial
/// output is ever visible.
@Suite("Render queue durability (live binary)", .tags(.slow), .serialized)
struct QueueDurabilityTests {
    /// A 10 s 640×360 clip; two of them make a 20 s, 500-frame 720p render that takes seconds.
    static func clip() throws -> URL {
        try Fixtures.make("durability-clip.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=10", "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        ])
    }

    struct Setup {
        var server: LiveServer
        var directory: URL
        var timeline: String
    }

    static func setUp(_ environment: [String: String] = [:]) async throws -> Setup {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: ["CUTROOM_RENDER_CONCURRENCY": "1"].merging(environment) { _, new in new })
        try await server.start()
        let project = try #require(try await server.send("POST", "/api/v1/projects", json: #"{"name": "durability"}"#).json["data"]["id"].string)
        let asset = try await server.upload(try clip(), project: project)
        let document = sequenceDocument([asset, asset], seconds: 10, width: 1280, height: 720, fps: 25)
        let timeline = try #require(try await server.send("POST", "/api/v1/projects/\(project)/timelines", json: #"{"name": "t", "document": \#(document)}"#).json["data"]["id"].string)
        return Setup(server: server, directory: directory, timeline: timeline)
    }

    static func submit(_ setup: Setup) async throws -> String {
        let reply = try await setup.server.send("POST", "/api/v1/renders", json: #"{"timelineId": "\#(setup.timeline)"}"#)
        #expect(reply.status == 202)
        return try #require(reply.json["data"]["id"].string)
    }

    /// Downloads a completed render's output and checks it is the whole timeline.
    static func expectCompleteOutput(_ server: LiveServer, _ id: String, in directory: URL) async throws {
        let reply = try await server.get("/api/v1/renders/\(id)/output")
        #expect(reply.status == 200)
        let file = directory.appendingPathComponent("\(id).mp4")
        try Data(buffer: reply.body).write(to: file)
        let probe = try Fixtures.probe(file)
        #expect(probe.frames == 500, "render \(id)")
        #expect(abs(probe.duration - 20) < 0.05, "render \(id)")
    }

    static func scratchFiles(_ server: LiveServer) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: server.storage.appendingPathComponent(".tmp").path)) ?? []
    }

    @Test func sigkillMidRenderLosesNothingAndCompletesEachRenderOnce() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try await Self.submit(setup)) }
        _ = try await setup.server.waitForRender(ids[0]) { ($0["frame"].int ?? 0) > 50 }
        #expect(try await setup.server.stop(SIGKILL))
        // Partial output of the killed render may be left in scratch, never under a real key.
        #expect(!FileManager.default.fileExists(atPath: setup.server.storage.appendingPathComponent("users/\(try #require(setup.server.owner).id)/renders/\(ids[0])").path))

        // A half-received upload of the dead process, next to its partial render output.
        let stale = setup.server.storage.appendingPathComponent(".tmp/upload-stale")
        try Data("half an upload".utf8).write(to: stale)
        let restarted = try LiveServer(storage: setup.server.storage, environment: ["CUTROOM_RENDER_CONCURRENCY": "1"])
        try await restarted.start()
        // Only the re-queued render's own new partial file may be there now.
        #expect(Self.scratchFiles(restarted).allSatisfy { $0.hasPrefix("render-\(ids[0])") }, "scratch files of the killed process are removed at start")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        for id in ids {
            let render = try await restarted.waitForRender(id) { ["completed", "failed", "cancelled"].contains($0["status"].string ?? "") }
            #expect(render["status"].string == "completed", "\(render["error"].string ?? "")")
        }
        let attempts = try await ids.asyncMap { try await restarted.get("/api/v1/renders/\($0)").json["data"]["attempts"].int }
        #expect(attempts == [2, 1, 1])
        for id in ids { try await Self.expectCompleteOutput(restarted, id, in: setup.directory) }
        let list = try await restarted.get("/api/v1/renders").json
        #expect(list["pagination"]["total"].int == 3)
        #expect(try await restarted.stop(SIGTERM))
    }

    @Test func sigtermLetsTheRunningRenderFinishWithinTheGrace() async throws {
        let setup = try await Self.setUp(["CUTROOM_SHUTDOWN_GRACE": "120"])
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let id = try await Self.submit(setup)
        _ = try await setup.server.waitForRender(id) { ($0["frame"].int ?? 0) > 25 }
        #expect(try await setup.server.stop(SIGTERM, timeout: .seconds(120)))

        let restarted = try LiveServer(storage: setup.server.storage)
        try await restarted.start()
        let render = try await restarted.get("/api/v1/renders/\(id)").json["data"]
        #expect(render["status"].string == "completed")
        #expect(render["attempts"].int == 1)
        try await Self.expectCompleteOutput(restarted, id, in: setup.directory)
        #expect(try await restarted.stop(SIGTERM))
    }

    @Test func sigtermWithoutGraceRequeuesTheRunningRender() async throws {
        let setup = try await Self.setUp(["CUTROOM_SHUTDOWN_GRACE": "0"])
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let id = try await Self.submit(setup)
        _ = try await setup.server.waitForRender(id) { ($0["frame"].int ?? 0) > 25 }
        #expect(try await setup.server.stop(SIGTERM, timeout: .seconds(10)))

        let restarted = try LiveServer(storage: setup.server.storage)
        try await restarted.start()
        let render = try await restarted.waitForRender(id) { $0["status"].string == "completed" }
        #expect(render["attempts"].int == 2)
        try await Self.expectCompleteOutput(restarted, id, in: setup.directory)
        #expect(try await restarted.stop(SIGTERM))
    }

    @Test func cancelStopsARunningRenderWithinOneSecondAndRetryRendersItAgain() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let id = try await Self.submit(setup)
        _ = try await setup.server.waitForRender(id) { ($0["frame"].int ?? 0) > 10 }
        let clock = ContinuousClock()
        let start = clock.now
        let cancel = try await setup.server.send("DELETE", "/api/v1/renders/\(id)")
        #expect(cancel.status == 202)
        _ = try await setup.server.waitForRender(id, timeout: .seconds(5)) { $0["status"].string == "cancelled" }
        #expect(clock.now - start < .seconds(1))
        #expect(Self.scratchFiles(setup.server).isEmpty, "partial output deleted")
        #expect(try await setup.server.send("DELETE", "/api/v1/renders/\(id)").status == 409)

        let retry = try await setup.server.send("POST", "/api/v1/renders/\(id)/retry")
        #expect(retry.status == 202)
        let render = try await setup.server.waitForRender(id) { $0["status"].string == "completed" }
        #expect(render["attempts"].int == 2)
        try await Self.expectCompleteOutput(setup.server, id, in: setup.directory)
        #expect(try await setup.server.send("POST", "/api/v1/renders/\(id)/retry").status == 409)
        #expect(try await setup.server.stop(SIGTERM))
    }

    @Test func eventStreamsResumeFromLastEventId() async throws {
        let setup = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let id = try await Self.submit(setup)
        _ = try await setup.server.waitForRender(id) { $0["status"].string == "completed" }
        let all = SSE.parse(String(buffer: try await setup.server.get("/api/v1/renders/\(id)/events").body))
        #expect(all.map(\.event) == ["completed"])
        let lastId = try #require(all.last?.id)

        // Resuming at the terminal event: nothing new, and the stream closes at once.
        let none = SSE.parse(String(buffer: try await setup.server.get("/api/v1/renders/\(id)/events", headers: [("Last-Event-ID", lastId)]).body))
        #expect(none.isEmpty)

        // Resuming from the start replays every event of the render in order, without duplicates.
        let replay = SSE.parse(String(buffer: try await setup.server.get("/api/v1/renders/\(id)/events", headers: [("Last-Event-ID", "0")]).body))
        let replayIds = replay.compactMap { Int64($0.id ?? "") }
        #expect(replay.first?.event == "queued")
        #expect(replay.contains { $0.event == "started" })
        #expect(replay.last?.event == "completed")
        #expect(replayIds == replayIds.sorted() && Set(replayIds).count == replayIds.count)

        // After a restart memory is gone: the row's state stands in for what was missed.
        #expect(try await setup.server.stop(SIGTERM))
        let restarted = try LiveServer(storage: setup.server.storage)
        try await restarted.start()
        let afterRestart = SSE.parse(String(buffer: try await restarted.get("/api/v1/renders/\(id)/events", headers: [("Last-Event-ID", "1")]).body))
        #expect(afterRestart.map(\.event) == ["completed"])
        #expect(afterRestart.first?.id == lastId)
        #expect(try await restarted.get("/api/v1/renders/\(id)/events", headers: [("Last-Event-ID", "x")]).status == 400)
        #expect(try await restarted.stop(SIGTERM))
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

@Suite("All-renders event stream (live binary)", .tags(.slow))
struct AllRendersStreamTests {
    /// Reads `/api/v1/events` until `stop` says so (the stream itself never ends); fails after `timeout`.
    static func read(
        _ server: LiveServer, lastEventId: String? = nil, timeout: Duration = .seconds(120),
        until stop: @escaping @Sendable ([SSE]) -> Bool
    ) async throws -> [SSE] {
        var request = HTTPClientRequest(url: server.baseURL + "/api/v1/events")
        request.headers.add(name: "Authorization", value: "Bearer \(try #require(server.owner).token)")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: lastEventId) }
        let prepared = request
        return try await withThrowingTaskGroup(of: [SSE]?.self) { group in
            group.addTask {
                let response = try await HTTPClient.shared.execute(prepared, timeout: .seconds(timeout.components.seconds))
                var text = ""
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    let events = SSE.parse(text)
                    if stop(events) { return events }
                }
                return SSE.parse(text)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "the event stream did not show what was awaited within \(timeout)")
        }
    }

    static func renderId(_ event: SSE) -> String? {
        event.data.flatMap { try? JSON(ByteBuffer(string: $0))["id"].string }
    }

    @Test func followsEveryRenderOfTheUserAndResumes() async throws {
        let setup = try await QueueDurabilityTests.setUp()
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let first = try await QueueDurabilityTests.submit(setup)
        let second = try await QueueDurabilityTests.submit(setup)
        let events = try await Self.read(setup.server) { events in
            Set(events.filter { $0.event == "completed" }.compactMap(Self.renderId)).count == 2
        }
        #expect(Set(events.compactMap(Self.renderId)) == [first, second])
        let eventIds = events.compactMap { Int64($0.id ?? "") }
        #expect(eventIds == eventIds.sorted())
        // The second render waited behind the first and was told when it moved up.
        #expect(events.contains { $0.event == "queued" && ($0.data ?? "").contains("\"queuePosition\":1") })

        // Resuming from just before the first completion replays exactly what followed, without duplicates.
        let firstCompletion = try #require(events.firstIndex { $0.event == "completed" })
        let middle = try #require(events[..<firstCompletion].last?.id.flatMap { Int64($0) })
        let resumed = try await Self.read(setup.server, lastEventId: String(middle)) { events in
            events.filter { $0.event == "completed" }.count == 2
        }
        #expect(resumed.compactMap { Int64($0.id ?? "") } == eventIds.filter { $0 > middle })

        // After a restart memory holds nothing: each render's current state stands in, once.
        #expect(try await setup.server.stop(SIGTERM))
        let restarted = try LiveServer(storage: setup.server.storage)
        try await restarted.start()
        let afterRestart = try await Self.read(restarted, lastEventId: String(middle)) { events in
            events.filter { $0.event == "completed" }.count == 2
        }
        #expect(afterRestart.map(\.event) == ["completed", "completed"])
        #expect(try await restarted.stop(SIGTERM))
    }
}
