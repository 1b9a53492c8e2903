import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// A batch's life beyond one pass: its one webhook, cancel then retry, and a process killed in the
/// middle of it.
@Suite("Batch lifecycle", .tags(.slow))
struct BatchLifecycleTests {
    /// Polls a batch until it is finished; returns it.
    static func finished(_ client: SignedInClient, _ id: String) async throws -> JSON {
        for _ in 0..<2400 {
            let batch = try await client.json(.get, "/api/v1/batches/\(id)").1["data"]
            // Counts reach zero a moment before the queue lets go of the batch and stamps finishedAt.
            if batch["status"].string == "finished", batch["finishedAt"].string != nil { return batch }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandFailure(message: "batch \(id) did not finish")
    }

    @Test func oneSignedWebhookWhenTheBatchFinishes() async throws {
        let port = try LiveServer.freePort()
        let receiver = WebhookReceiver(failures: 0)
        let server = try TestServer(environment: ["CUTROOM_WEBHOOK_SECRET": "batch-secret", "CUTROOM_WEBHOOK_ALLOW_PRIVATE": "1"])
        try await receiver.serve(port: port) {
            try await server.run(.live) { client in
                let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
                let body = #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}, {"TITLE": "c"}], "webhookUrl": "http://127.0.0.1:\#(port)/hook"}"#
                let (status, batch, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", body)
                #expect(status == .accepted)
                let batchId = try #require(batch["data"]["id"].string)
                _ = try await Self.finished(client, batchId)
                var recorded = JSON(value: NSNull())
                for _ in 0..<200 {
                    recorded = try await client.json(.get, "/api/v1/batches/\(batchId)").1["data"]
                    if !recorded["webhookDeliveries"].array.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(recorded["webhookDeliveries"].array.map { $0["status"].int } == [200])
                // The renders of a batch send none of their own.
                let renders = try await client.json(.get, "/api/v1/renders").1["data"].array
                #expect(renders.count == 3 && renders.allSatisfy { $0["webhookDeliveries"].isNull })
            }
        }
        let deliveries = await receiver.deliveries
        #expect(deliveries.count == 1)
        let delivery = try #require(deliveries.first)
        #expect(delivery.headers[.init("X-Cutroom-Event")!] == "batch.finished")
        let payload = try JSON(ByteBuffer(data: delivery.body))
        #expect(payload["event"].string == "batch.finished")
        #expect(payload["batch"]["counts"]["completed"].int == 3)
        #expect(payload["batch"]["status"].string == "finished")
        let timestamp = try #require(delivery.headers[.init("X-Cutroom-Timestamp")!])
        #expect(delivery.headers[.init("X-Cutroom-Signature")!] == "sha256=" + WebhookDispatcher.signature(secret: "batch-secret", timestamp: timestamp, body: delivery.body))
    }

    @Test func cancelStopsTheBatchAndRetryRendersWhatWasCancelled() async throws {
        try await TestServer().run(.live) { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate(seconds: 3))}"#).1["data"]["id"].string)
            let rows = (1...5).map { #"{"TITLE": "Take \#($0)"}"# }.joined(separator: ",")
            let batchId = try #require(try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": [\#(rows)]}"#).1["data"]["id"].string)
            let (cancelled, _, _) = try await client.json(.post, "/api/v1/batches/\(batchId)/cancel")
            #expect(cancelled == .accepted)
            let stopped = try await Self.finished(client, batchId)
            let counts = stopped["counts"]
            #expect((counts["cancelled"].int ?? 0) >= 4, "\(counts.value)")
            #expect((counts["cancelled"].int ?? 0) + (counts["completed"].int ?? 0) == 5)
            #expect(try await client.json(.post, "/api/v1/batches/\(batchId)/cancel").0 == .conflict)

            let (retried, again, _) = try await client.json(.post, "/api/v1/batches/\(batchId)/retry")
            #expect(retried == .accepted)
            #expect(again["data"]["status"].string == "active")
            let done = try await Self.finished(client, batchId)
            #expect(done["counts"]["completed"].int == 5)
            let archive = try await client.execute(uri: "/api/v1/batches/\(batchId)/archive", method: .get) { Data(buffer: $0.body) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("retried-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: file) }
            try archive.write(to: file)
            let report = try ZipCheck.run(file)
            #expect(report.bad == nil)
            #expect(report.entries.map(\.name) == (1...5).map { "render-\($0).mp4" })
        }
    }

    /// The real binary killed mid-batch: every row still renders exactly once after the restart.
    @Test func aBatchSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = directory.appendingPathComponent("storage")
        let server = try LiveServer(storage: storage, environment: ["CUTROOM_RENDER_CONCURRENCY": "1"])
        try await server.start()
        let document = titleTemplate(width: 1280, height: 720, seconds: 20)
        let template = try #require(try await server.send("POST", "/api/v1/templates", json: #"{"document": \#(document)}"#).json["data"]["id"].string)
        let rows = (1...3).map { #"{"TITLE": "Row \#($0)"}"# }.joined(separator: ",")
        let reply = try await server.send("POST", "/api/v1/templates/\(template)/renders", json: #"{"rows": [\#(rows)]}"#)
        #expect(reply.status == 202)
        let batchId = try #require(reply.json["data"]["id"].string)
        let first = try #require(try await server.get("/api/v1/renders?limit=10").json["data"].array.first { $0["batchIndex"].int == 0 }?["id"].string)
        _ = try await server.waitForRender(first) { ($0["frame"].int ?? 0) > 30 }
        #expect(try await server.stop(SIGKILL))

        let restarted = try LiveServer(storage: storage, environment: ["CUTROOM_RENDER_CONCURRENCY": "1"])
        try await restarted.start()
        var batch = JSON(value: NSNull())
        for _ in 0..<3600 {
            batch = try await restarted.get("/api/v1/batches/\(batchId)").json["data"]
            if batch["status"].string == "finished" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(batch["counts"]["completed"].int == 3, "\(restarted.output)")
        let renders = try await restarted.get("/api/v1/renders?limit=10").json["data"].array
        #expect(renders.map { $0["attempts"].int ?? 0 }.sorted() == [1, 1, 2])
        #expect(try await restarted.stop(SIGTERM))
    }
}
