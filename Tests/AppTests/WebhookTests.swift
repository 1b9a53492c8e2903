import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// A webhook receiver on 127.0.0.1 that answers 500 to the first `failures` requests.
actor WebhookReceiver {
    struct Delivery {
        var headers: HTTPFields
        var body: Data
    }
    private(set) var deliveries: [Delivery] = []
    private var failures: Int

    init(failures: Int) { self.failures = failures }

    func receive(_ headers: HTTPFields, _ body: Data) -> HTTPResponse.Status {
        deliveries.append(Delivery(headers: headers, body: body))
        guard failures > 0 else { return .ok }
        failures -= 1
        return .internalServerError
    }

    /// Runs `body` while a server for this receiver listens on `port`.
    func serve(port: Int, _ body: @Sendable () async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 1_048_576)
            return Response(status: await self.receive(request.headers, Data(buffer: data)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        let server = Task { try await app.run() }
        defer { server.cancel() }
        try await Task.sleep(for: .milliseconds(300))
        try await body()
    }
}

@Suite("Webhooks")
struct WebhookTests {
    @Test(.tags(.slow)) func terminalEventIsSignedRetriedAndRecorded() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        let port = try LiveServer.freePort()
        let receiver = WebhookReceiver(failures: 2)
        let secret = "test-secret-\(UUID().uuidString)"
        let server = try TestServer(environment: [
            "CUTROOM_WEBHOOK_SECRET": secret, "CUTROOM_WEBHOOK_ALLOW_PRIVATE": "1", "CUTROOM_WEBHOOK_BACKOFF_MS": "50",
        ])
        try await receiver.serve(port: port) {
            try await server.run(.live) { client in
                let project = try await client.createProject()
                let (_, uploaded) = try await client.upload(clip, to: project)
                let asset = try #require(uploaded["data"]["id"].string)
                let body = #"{"timeline": \#(sequenceDocument([asset])), "webhookUrl": "http://127.0.0.1:\#(port)/hook"}"#
                let (status, render, _) = try await client.json(.post, "/api/v1/renders", body)
                #expect(status == .accepted)
                let id = try #require(render["data"]["id"].string)
                // Polled, not followed over SSE: the test client gives up on a response silent for 20 s,
                // which a render on a loaded 2-core machine can be.
                var recorded = JSON(value: NSNull())
                for _ in 0..<2400 {
                    recorded = try await client.json(.get, "/api/v1/renders/\(id)").1["data"]
                    if recorded["webhookDeliveries"].array.count >= 3 { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(recorded["webhookDeliveries"].array.map { $0["status"].int } == [500, 500, 200])
                #expect(recorded["webhookDeliveries"].array.map { $0["attempt"].int } == [1, 2, 3])
            }
        }
        let deliveries = await receiver.deliveries
        #expect(deliveries.count == 3)
        for delivery in deliveries {
            let timestamp = try #require(delivery.headers[.init("X-Cutroom-Timestamp")!])
            var message = Data(timestamp.utf8)
            message.append(UInt8(ascii: "."))
            message.append(delivery.body)
            let expected = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            #expect(delivery.headers[.init("X-Cutroom-Signature")!] == "sha256=\(expected)")
            #expect(delivery.headers[.init("X-Cutroom-Event")!] == "completed")
            let payload = try JSON(ByteBuffer(data: delivery.body))
            #expect(payload["event"].string == "completed")
            #expect(payload["render"]["status"].string == "completed")
        }
        #expect(Set(deliveries.compactMap { $0.headers[.init("X-Cutroom-Delivery")!] }).count == 1)
    }

    @Test func webhookUrlsAreCheckedBeforeAnythingIsStored() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer(environment: ["CUTROOM_WEBHOOK_SECRET": "s"]).run { client in
            let project = try await client.createProject()
            let (_, uploaded) = try await client.upload(clip, to: project)
            let asset = try #require(uploaded["data"]["id"].string)
            for url in ["ftp://example.com/x", "http://127.0.0.1:9/hook", "http://[::1]/x", "http://localhost/x", "http://169.254.169.254/latest", "not a url", "http://10.0.0.8/x"] {
                let (status, error, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument([asset])), "webhookUrl": "\#(url)"}"#)
                #expect(status == .unprocessableContent, "\(url)")
                #expect(error["error"]["details"][0]["path"].string == "/webhookUrl")
            }
            let (_, list, _) = try await client.json(.get, "/api/v1/renders")
            #expect(list["pagination"]["total"].int == 0)
        }
        try await TestServer().run { client in
            let (status, error, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument(["x"])), "webhookUrl": "https://example.com/hook"}"#)
            #expect(status == .unprocessableContent)
            #expect(error["error"]["message"].string?.contains("CUTROOM_WEBHOOK_SECRET") == true)
        }
    }
}
