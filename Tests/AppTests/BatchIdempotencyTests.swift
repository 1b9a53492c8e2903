import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import App

/// `Idempotency-Key` on the requests that queue batches (a template's rows, a mix's variants) and
/// on a template's single render: a retry answers what the first request queued, also when the
/// two arrive at once.
@Suite("Batch idempotency")
struct BatchIdempotencyTests {
    struct Answer {
        var status: Int
        var body: JSON
        var replayed: Bool
    }

    /// A POST over its own connection (AsyncHTTPClient against the live server), so two run truly at once.
    static func post(_ client: SignedInClient, _ path: String, _ body: String, key: String, contentType: String = "application/json") async throws -> Answer {
        let port = try #require(client.port)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(try #require(client.token))")
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Idempotency-Key", value: key)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: try JSON(data), replayed: response.headers.first(name: "Idempotent-Replayed") == "true")
    }

    /// `count` identical requests at once: one is stored, every answer is it (all but one marked replayed).
    static func concurrently(_ client: SignedInClient, _ path: String, _ body: String, key: String, contentType: String = "application/json", count: Int = 4) async throws -> String {
        let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
            for _ in 0..<count { group.addTask { try await post(client, path, body, key: key, contentType: contentType) } }
            return try await group.reduce(into: [Answer]()) { $0.append($1) }
        }
        #expect(answers.map(\.status) == Array(repeating: 202, count: count), "\(answers.map(\.body.value))")
        #expect(answers.filter { !$0.replayed }.count == 1)
        let id = try #require(answers.first?.body["data"]["id"].string)
        #expect(answers.allSatisfy { $0.body["data"]["id"].string == id })
        return id
    }

    @Test func aTemplateBatchIsQueuedOncePerKey() async throws {
        try await TestServer().run(.live) { client in
            let template = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let path = "/api/v1/templates/\(template)/renders"
            let rows = #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}]}"#
            let batch = try await Self.concurrently(client, path, rows, key: "rows-1")
            // A later retry, keys in another order and other spacing: the same batch, the same status.
            let retry = try await Self.post(client, path, #"{ "rows": [{"TITLE": "a"}, {"TITLE": "b"}] }"#, key: "rows-1")
            #expect(retry.status == 202 && retry.replayed && retry.body["data"]["id"].string == batch)
            #expect(try await client.json(.get, "/api/v1/batches").1["pagination"]["total"].int == 1)
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 2)

            // The key with another body, another template, or a key POST /renders used: refused like renders refuse it.
            let other = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let changed = try await Self.post(client, path, #"{"rows": [{"TITLE": "a"}]}"#, key: "rows-1")
            let elsewhere = try await Self.post(client, "/api/v1/templates/\(other)/renders", rows, key: "rows-1")
            _ = try await Self.post(client, "/api/v1/renders", #"{"timeline": \#(titleCard("x"))}"#, key: "render-1")
            let renderKey = try await Self.post(client, path, rows, key: "render-1")
            for answer in [changed, elsewhere, renderKey] {
                #expect(answer.status == 422 && answer.body["error"]["code"].string == "IDEMPOTENCY_KEY_REUSED", "\(answer.body.value)")
            }
            // A batch's key is not a render's either.
            let (reused, reusedBody, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(titleCard("y"))}"#, headers: [.init("Idempotency-Key")!: "rows-1"])
            #expect(reused == .unprocessableContent && reusedBody["error"]["code"].string == "IDEMPOTENCY_KEY_REUSED")
            // A dry run ignores the key.
            #expect(try await Self.post(client, path, #"{"rows": [{"TITLE": "z"}], "dryRun": true}"#, key: "rows-1").status == 200)
            #expect(try await client.json(.get, "/api/v1/batches").1["pagination"]["total"].int == 1)

            // Keys are per user: the same key is another user's own.
            let (_, stranger) = try await client.newUser()
            let theirs = try #require(try await stranger.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let fresh = try await Self.post(stranger, "/api/v1/templates/\(theirs)/renders", rows, key: "rows-1")
            #expect(fresh.status == 202 && !fresh.replayed && fresh.body["data"]["id"].string != batch)

            // A CSV batch, twice at once; then one render from values, twice at once.
            let csv = try await Self.concurrently(client, path, "TITLE\nc\nd\ne\n", key: "csv-1", contentType: "text/csv")
            #expect(try await client.json(.get, "/api/v1/batches/\(csv)").1["data"]["total"].int == 3)
            #expect(try await Self.post(client, path, "TITLE\nc\nd\n", key: "csv-1", contentType: "text/csv").status == 422)
            let render = try await Self.concurrently(client, path, #"{"values": {"TITLE": "one"}}"#, key: "one-1")
            #expect(try await client.json(.get, "/api/v1/renders/\(render)").1["data"]["templateId"].string == template)
            #expect(try await client.json(.get, "/api/v1/batches").1["pagination"]["total"].int == 2)
            // 2 + the POST /renders one + 3 + 1.
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 7)
            // The template deleted since: a retry still answers the batch it queued.
            #expect(try await client.json(.delete, "/api/v1/templates/\(template)").0 == .noContent)
            let late = try await Self.post(client, path, rows, key: "rows-1")
            #expect(late.status == 202 && late.replayed && late.body["data"]["id"].string == batch)
        }
    }

    /// The same race on POST /renders: the second insert used to hit the unique index (a 500).
    @Test func twoIdenticalRendersAtOnceQueueOne() async throws {
        try await TestServer().run(.live) { client in
            let body = #"{"timeline": \#(titleCard("race"))}"#
            let render = try await Self.concurrently(client, "/api/v1/renders", body, key: "race-1", count: 8)
            #expect(try await client.json(.get, "/api/v1/renders").1["data"].array.map { $0["id"].string } == [render])
            let changed = try await Self.post(client, "/api/v1/renders", #"{"timeline": \#(titleCard("other"))}"#, key: "race-1")
            #expect(changed.status == 422 && changed.body["error"]["code"].string == "IDEMPOTENCY_KEY_REUSED")
        }
    }

    @Test func aMixBatchIsQueuedOncePerKey() async throws {
        try await TestServer().run(.live) { client in
            let mix = try await BatchOriginTests.mix(client)
            let path = "/api/v1/mixes/\(mix)/variants"
            let batch = try await Self.concurrently(client, path, #"{"seed": 5, "dryRun": false}"#, key: "mix-1")
            let retry = try await Self.post(client, path, #"{"dryRun": false, "seed": 5}"#, key: "mix-1")
            #expect(retry.status == 202 && retry.replayed && retry.body["data"]["id"].string == batch && retry.body["data"]["mixId"].string == mix)
            let changed = try await Self.post(client, path, #"{"seed": 6, "dryRun": false}"#, key: "mix-1")
            #expect(changed.status == 422 && changed.body["error"]["code"].string == "IDEMPOTENCY_KEY_REUSED")
            // A dry run (the default) ignores the key.
            #expect(try await Self.post(client, path, #"{"seed": 6}"#, key: "mix-1").status == 200)
            #expect(try await client.json(.get, "/api/v1/batches?mixId=\(mix)").1["data"].array.map { $0["id"].string } == [batch])
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 1)
        }
    }
}
