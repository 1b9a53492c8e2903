import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Where a batch comes from (its template or mix), the list of a user's batches, and counts that
/// stay honest when renders are deleted under a batch.
@Suite("Batch origin and list")
struct BatchOriginTests {
    /// A mix of two one-second clips in one group: two variants.
    static func mix(_ client: SignedInClient) async throws -> String {
        let ids = try await MixAPITests.assets(client, [("red", 1), ("blue", 1)])
        let body = #"{"groups": [{"name": "hook", "clips": ["asset:\#(ids[0])", "asset:\#(ids[1])"]}], "output": {"width": 320, "height": 240, "fps": 25}, "count": 1}"#
        return try #require(try await client.json(.post, "/api/v1/mixes", body).1["data"]["id"].string)
    }

    @Test func theListIsTheCallersNewestFirstFilteredByTemplateOrMixAndAMixBatchLinksBack() async throws {
        try await TestServer().run { client in
            let first = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let second = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let mix = try await Self.mix(client)
            let a = try #require(try await client.json(.post, "/api/v1/templates/\(first)/renders", #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}]}"#).1["data"]["id"].string)
            let b = try #require(try await client.json(.post, "/api/v1/templates/\(second)/renders", #"{"rows": [{"TITLE": "c"}]}"#).1["data"]["id"].string)
            let (status, made, _) = try await client.json(.post, "/api/v1/mixes/\(mix)/variants", #"{"seed": 3, "dryRun": false}"#)
            #expect(status == .accepted)
            #expect(made["data"]["mixId"].string == mix && made["data"]["templateId"].isNull)
            let c = try #require(made["data"]["id"].string)

            let (listed, list, _) = try await client.json(.get, "/api/v1/batches")
            #expect(listed == .ok)
            #expect(list["data"].array.map { $0["id"].string } == [c, b, a])
            #expect(list["pagination"]["total"].int == 3)
            for item in list["data"].array {
                let counts = item["counts"]
                let sum = ["queued", "rendering", "completed", "failed", "cancelled", "deleted"].map { counts[$0].int ?? -100 }.reduce(0, +)
                #expect(sum == item["total"].int, "\(item.value)")
            }
            #expect(list["data"][2]["templateId"].string == first && list["data"][2]["total"].int == 2)
            #expect(try await client.json(.get, "/api/v1/batches?templateId=\(first)").1["data"].array.map { $0["id"].string } == [a])
            #expect(try await client.json(.get, "/api/v1/batches?mixId=\(mix)").1["data"].array.map { $0["id"].string } == [c])
            #expect(try await client.json(.get, "/api/v1/batches?mixId=\(mix)&templateId=\(first)").1["data"].array.isEmpty)
            let (_, paged, _) = try await client.json(.get, "/api/v1/batches?limit=1&page=2")
            #expect(paged["data"].array.map { $0["id"].string } == [b])
            #expect(paged["pagination"]["totalPages"].int == 3)
            #expect(try await client.json(.get, "/api/v1/batches?page=0").0 == .badRequest)
            #expect(try await client.json(.get, "/api/v1/batches/\(c)").1["data"]["mixId"].string == mix)

            // Another user's list is their own; the owner's ids match nothing there.
            let (_, other) = try await client.newUser()
            #expect(try await other.json(.get, "/api/v1/batches").1["data"].array.isEmpty)
            #expect(try await other.json(.get, "/api/v1/batches?mixId=\(mix)").1["data"].array.isEmpty)
            #expect(try await other.json(.get, "/api/v1/batches?templateId=\(first)").1["pagination"]["total"].int == 0)

            // Deleting the mix keeps its batch, unlinked.
            #expect(try await client.json(.delete, "/api/v1/mixes/\(mix)").0 == .noContent)
            let (kept, unlinked, _) = try await client.json(.get, "/api/v1/batches/\(c)")
            #expect(kept == .ok && unlinked["data"]["mixId"].isNull && unlinked["data"]["total"].int == 1)
            #expect(try await client.json(.get, "/api/v1/batches?mixId=\(mix)").1["data"].array.isEmpty)
            #expect(try await client.json(.get, "/api/v1/batches").1["pagination"]["total"].int == 3)
        }
    }

    /// The template's project deleted with its renders: the batch stays, its renders counted as deleted.
    @Test(.tags(.slow)) func deletingTheProjectLeavesTheBatchWithItsRendersCountedDeleted() async throws {
        try await TestServer().run(.live) { client in
            let project = try await client.createProject("doomed")
            let timeline = try #require(try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "t", "document": \#(titleCard("{{TITLE}}"))}"#).1["data"]["id"].string)
            let template = try #require(try await client.json(.post, "/api/v1/templates", #"{"timelineId": "\#(timeline)"}"#).1["data"]["id"].string)
            let batch = try #require(try await client.json(.post, "/api/v1/templates/\(template)/renders", #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}]}"#).1["data"]["id"].string)
            let done = try await BatchLifecycleTests.finished(client, batch)
            #expect(done["counts"]["completed"].int == 2 && done["counts"]["deleted"].int == 0)
            #expect(try await client.json(.delete, "/api/v1/projects/\(project)").0 == .noContent)
            let (status, after, _) = try await client.json(.get, "/api/v1/batches/\(batch)")
            #expect(status == .ok)
            let counts = after["data"]["counts"]
            #expect(counts["deleted"].int == 2 && counts["completed"].int == 0 && after["data"]["total"].int == 2, "\(after.value)")
            #expect(after["data"]["status"].string == "finished" && after["data"]["templateId"].isNull)
            #expect(try await client.json(.get, "/api/v1/batches").1["data"][0]["counts"]["deleted"].int == 2)
            #expect(try await client.json(.get, "/api/v1/batches/\(batch)/archive").0 == .notFound)
        }
    }
}
