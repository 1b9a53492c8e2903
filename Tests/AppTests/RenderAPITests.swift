import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Renders API")
struct RenderAPITests {
    /// Uploads a red and a blue clip, renders them back to back, follows the SSE stream to the end,
    /// then checks the output's duration, frame count and colours.
    /// With S3 the sources come through the cache and the output lands in the bucket first.
    @Test(.tags(.slow), arguments: Backend.allCases) func renderFollowsEventsAndProducesTheTimeline(_ backend: Backend) async throws {
        let red = try Fixtures.colorClip("red", seconds: 1)
        let blue = try Fixtures.colorClip("blue", seconds: 1)
        let server = try await TestServer.make(backend)
        try await server.run(.live) { client in
            let project = try await client.createProject()
            let (_, a) = try await client.upload(red, to: project)
            let (_, b) = try await client.upload(blue, to: project)
            let ids = try [#require(a["data"]["id"].string), #require(b["data"]["id"].string)]
            let (_, timeline, _) = try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "t", "document": \#(sequenceDocument(ids))}"#)
            let timelineId = try #require(timeline["data"]["id"].string)

            let (accepted, render, headers) = try await client.json(.post, "/api/v1/renders", #"{"timelineId": "\#(timelineId)"}"#)
            #expect(accepted == .accepted)
            let id = try #require(render["data"]["id"].string)
            #expect(render["data"]["status"].string == "queued")
            #expect(headers[.location] == "/api/v1/renders/\(id)")

            let stream = try await client.execute(uri: "/api/v1/renders/\(id)/events", method: .get) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                return String(buffer: response.body)
            }
            let events = SSE.parse(stream)
            #expect(events.last?.event == "completed")
            let sequence = events.compactMap { Int($0.id ?? "") }
            #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count)
            let completed = try JSON(ByteBuffer(string: events.last?.data ?? "{}"))
            #expect(completed["progress"].double == 1)
            #expect(completed["outputUrl"].string == "/api/v1/renders/\(id)/output")

            // A subscriber arriving after the end gets the terminal state at once.
            let late = try await client.execute(uri: "/api/v1/renders/\(id)/events", method: .get) { String(buffer: $0.body) }
            #expect(SSE.parse(late).map(\.event) == ["completed"])

            let output = server.directory.appendingPathComponent("out.mp4")
            #expect(try await server.blobs().contains("users/\(client.owner.id)/renders/\(id)/output.mp4"))
            let download = try await client.download("/api/v1/renders/\(id)/output")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "video/mp4")
            #expect(download.redirected == (backend == .s3))
            #expect(download.headers[.contentDisposition] == "inline; filename=\"render-\(id).mp4\"")
            try Data(buffer: download.body).write(to: output)
            let probe = try Fixtures.probe(output)
            #expect(probe.frames == 50)
            #expect(abs(probe.duration - 2) < 0.05)
            let first = try Fixtures.color(of: output, at: 0.5)
            let second = try Fixtures.color(of: output, at: 1.5)
            #expect(first.r > 200 && first.g < 50 && first.b < 50, "\(first)")
            #expect(second.b > 200 && second.r < 50 && second.g < 50, "\(second)")

            let (_, list, _) = try await client.json(.get, "/api/v1/renders?projectId=\(project)&status=completed")
            #expect(list["data"].array.map { $0["id"].string } == [id])
            let (_, got, _) = try await client.json(.get, "/api/v1/renders/\(id)")
            #expect(got["data"]["status"].string == "completed")
            #expect(got["data"]["outputSize"].int == (try? Data(contentsOf: output).count))
        }
    }

    @Test func badRenderRequestsAreRefusedAndStoreNothing() async throws {
        try await TestServer().run { client in
            let project = try await client.createProject()
            let cases: [(String, HTTPResponse.Status)] = [
                ("{}", .unprocessableContent),
                (#"{"timelineId": "nope"}"#, .notFound),
                (#"{"timeline": \#(sequenceDocument(["missing"]))}"#, .unprocessableContent),
                (#"{"timeline": \#(sequenceDocument(["x"])), "webhookUrl": "http://127.0.0.1/"}"#, .unprocessableContent),
                (#"{"timeline": 5}"#, .unprocessableContent),
                (#"{"timeline": \#(sequenceDocument(["x"])), "projectId": "nope"}"#, .notFound),
                ("not json", .badRequest),
            ]
            for (body, expected) in cases {
                let (status, error, _) = try await client.json(.post, "/api/v1/renders", body)
                #expect(status == expected, "\(body)")
                #expect(!error["error"]["code"].isNull)
            }
            let (_, missing, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument(["missing"]))}"#)
            #expect(missing["error"]["details"][0]["path"].string == "/timeline/tracks/0/clips/0/asset/src")
            let (_, list, _) = try await client.json(.get, "/api/v1/renders?projectId=\(project)")
            #expect(list["pagination"]["total"].int == 0)
            let (notFound, _, _) = try await client.json(.get, "/api/v1/renders/nope/events")
            #expect(notFound == .notFound)
            let (noOutput, _, _) = try await client.json(.get, "/api/v1/renders/nope/output")
            #expect(noOutput == .notFound)
        }
    }

    @Test func fullQueueAnswers429WithRetryAfterAndStoresNothing() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer(environment: ["CUTROOM_QUEUE_CAPACITY": "0"]).run { client in
            let project = try await client.createProject()
            let (_, uploaded) = try await client.upload(clip, to: project)
            let asset = try #require(uploaded["data"]["id"].string)
            let (status, error, headers) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument([asset]))}"#)
            #expect(status == .tooManyRequests)
            #expect(headers[.retryAfter] != nil)
            #expect(error["error"]["code"].string == "QUEUE_FULL")
            let (_, list, _) = try await client.json(.get, "/api/v1/renders")
            #expect(list["pagination"]["total"].int == 0)
        }
    }
}

/// A parsed server-sent event.
struct SSE {
    var id: String?
    var event: String?
    var data: String?

    static func parse(_ text: String) -> [SSE] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = SSE()
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)) }
            }
            return event.event == nil ? nil : event
        }
    }
}

@Suite("Render control API")
struct RenderControlAPITests {
    @Test func idempotencyKeyReturnsTheSameRenderForTheSameRequest() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer(environment: ["CUTROOM_RENDER_CONCURRENCY": "1"]).run { client in
            let project = try await client.createProject()
            let (_, uploaded) = try await client.upload(clip, to: project)
            let asset = try #require(uploaded["data"]["id"].string)
            let body = #"{"timeline": \#(sequenceDocument([asset]))}"#
            let key: HTTPFields = [.init("Idempotency-Key")!: "order-42"]
            let (first, a, _) = try await client.json(.post, "/api/v1/renders", body, headers: key)
            let (second, b, headers) = try await client.json(.post, "/api/v1/renders", body, headers: key)
            #expect(first == .accepted && second == .accepted)
            #expect(a["data"]["id"].string == b["data"]["id"].string)
            #expect(headers[.init("Idempotent-Replayed")!] == "true")

            let other = #"{"timeline": \#(sequenceDocument([asset, asset]))}"#
            let (reused, error, _) = try await client.json(.post, "/api/v1/renders", other, headers: key)
            #expect(reused == .unprocessableContent)
            #expect(error["error"]["code"].string == "IDEMPOTENCY_KEY_REUSED")
            let (bad, _, _) = try await client.json(.post, "/api/v1/renders", body, headers: [.init("Idempotency-Key")!: String(repeating: "k", count: 300)])
            #expect(bad == .badRequest)
            let (_, list, _) = try await client.json(.get, "/api/v1/renders")
            #expect(list["pagination"]["total"].int == 1)
        }
    }

    @Test func healthReportsTheOldestWaitingRender() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        // Capacity with no renderer running: `.router` tests do not start the queue service,
        // but submissions still start at once; concurrency 1 keeps the second one waiting.
        try await TestServer(environment: ["CUTROOM_RENDER_CONCURRENCY": "1"]).run { client in
            let project = try await client.createProject()
            let (_, uploaded) = try await client.upload(clip, to: project)
            let asset = try #require(uploaded["data"]["id"].string)
            let body = #"{"timeline": \#(sequenceDocument([asset]))}"#
            let (_, first, _) = try await client.json(.post, "/api/v1/renders", body)
            let (_, second, _) = try await client.json(.post, "/api/v1/renders", body)
            #expect(second["data"]["queuePosition"].int == 1)
            let (_, health, _) = try await client.json(.get, "/api/v1/health")
            #expect(health["data"]["queue"]["running"].int == 1)
            #expect(health["data"]["queue"]["depth"].int == 1)
            #expect((health["data"]["queue"]["oldestQueuedSeconds"].double ?? -1) >= 0)
            // Let both finish before the server goes away.
            for id in [first["data"]["id"].string, second["data"]["id"].string].compactMap({ $0 }) {
                _ = try await client.renderEnded(id)
            }
        }
    }
}
