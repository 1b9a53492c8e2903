import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Mixes API")
struct MixAPITests {
    /// Uploads `clips` (colour, seconds) into a new project; their asset ids in order.
    static func assets(_ client: SignedInClient, _ clips: [(String, Double)]) async throws -> [String] {
        let project = try await client.createProject("mix")
        var ids: [String] = []
        for (color, seconds) in clips {
            ids.append(try #require(try await client.upload(try Fixtures.colorClip(color, seconds: seconds), to: project).1["data"]["id"].string))
        }
        return ids
    }

    @Test func createListReadEditDeleteAndRefuseBadMixes() async throws {
        try await TestServer().run { client in
            let ids = try await Self.assets(client, [("red", 1), ("blue", 1), ("green", 1)])
            let body = #"{"name": "Spring", "groups": [{"name": "hook", "clips": ["asset:\#(ids[0])", "asset:\#(ids[1])"]}, {"name": "cta", "clips": [{"src": "asset:\#(ids[2])", "trim": 0.25}], "optional": true}], "output": {"width": 320, "height": 240, "fps": 25}, "count": 3}"#
            let (created, mix, headers) = try await client.json(.post, "/api/v1/mixes", body)
            #expect(created == .created)
            let id = try #require(mix["data"]["id"].string)
            #expect(headers[.location] == "/api/v1/mixes/\(id)")
            #expect(mix["data"]["name"].string == "Spring")
            #expect(mix["data"]["combinations"].int == 4)
            #expect(mix["data"]["groups"].array.count == 2)
            #expect(try await client.json(.get, "/api/v1/mixes").1["data"].array.map { $0["id"].string } == [id])
            #expect(try await client.json(.get, "/api/v1/mixes/\(id)").1["data"]["count"].int == 3)

            // A patch replaces members and is checked whole; nothing changes when it is refused.
            let (patched, renamed, _) = try await client.json(.patch, "/api/v1/mixes/\(id)", #"{"name": "Summer", "count": "all", "cap": 2}"#)
            #expect(patched == .ok)
            #expect(renamed["data"]["name"].string == "Summer" && renamed["data"]["cap"].int == 2)
            let (tooMany, error, _) = try await client.json(.patch, "/api/v1/mixes/\(id)", #"{"count": 5, "cap": null}"#)
            #expect(tooMany == .unprocessableContent)
            #expect(error["error"]["details"].array.map { $0["path"].string } == ["/count"])
            #expect(try await client.json(.get, "/api/v1/mixes/\(id)").1["data"]["count"].string == "all")

            // Every problem with its pointer, the caller's assets only, videos only.
            let (_, other) = try await client.newUser()
            let theirs = try await Self.assets(other, [("white", 1)])[0]
            let still = try #require(try await client.upload(try Fixtures.make("mix-still.png", ["-f", "lavfi", "-i", "color=c=green:s=16x16:d=1", "-frames:v", "1"]), to: try await client.createProject()).1["data"]["id"].string)
            let bad = #"{"groups": [{"name": "hook", "clips": ["asset:\#(theirs)", "asset:\#(still)", {"src": "asset:\#(ids[0])", "trim": 2}, {"src": "asset:\#(ids[1])", "length": 3}]}], "output": {"fps": 0}}"#
            let (refused, problems, _) = try await client.json(.post, "/api/v1/mixes", bad)
            #expect(refused == .unprocessableContent)
            let paths = Set(problems["error"]["details"].array.compactMap { $0["path"].string })
            #expect(paths == ["/groups/0/clips/0/src", "/groups/0/clips/1/src", "/groups/0/clips/2/trim", "/groups/0/clips/3/length", "/output/fps"], "\(paths.sorted())")
            #expect(try await client.json(.post, "/api/v1/mixes", "[1]").0 == .badRequest)
            #expect(try await client.json(.post, "/api/v1/mixes", #"{"groups": []}"#).0 == .unprocessableContent)

            // Another user's id is a 404 everywhere.
            #expect(try await other.json(.get, "/api/v1/mixes/\(id)").0 == .notFound)
            #expect(try await other.json(.patch, "/api/v1/mixes/\(id)", #"{"name": "x"}"#).0 == .notFound)
            #expect(try await other.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 1}"#).0 == .notFound)
            #expect(try await other.json(.delete, "/api/v1/mixes/\(id)").0 == .notFound)
            #expect(try await other.json(.get, "/api/v1/mixes").1["data"].array.isEmpty)

            #expect(try await client.json(.delete, "/api/v1/mixes/\(id)").0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/mixes/\(id)").0 == .notFound)
        }
    }

    @Test func aDryRunListsDistinctVariantsTheSameForTheSameSeed() async throws {
        try await TestServer().run { client in
            let ids = try await Self.assets(client, [("red", 1), ("blue", 1), ("yellow", 1), ("green", 2)])
            let body = ##"{"name": "Ads", "groups": [{"name": "hook", "clips": ["asset:\##(ids[0])", "asset:\##(ids[1])", "asset:\##(ids[2])"]}, {"name": "cta", "clips": ["asset:\##(ids[3])"], "maxLength": 0.5}], "text": {"text": "#{{VARIANT}} {{cta}}", "font": {"size": 20}}, "output": {"width": 320, "height": 240, "fps": 25}}"##
            let id = try #require(try await client.json(.post, "/api/v1/mixes", body).1["data"]["id"].string)
            let (status, plan, _) = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 42, "count": 3}"#)
            #expect(status == .ok)
            let variants = plan["data"]["variants"].array
            #expect(plan["data"]["count"].int == 3 && plan["data"]["combinations"].int == 3)
            #expect(Set(variants.map { $0["clips"][0]["src"].string ?? "" }).count == 3)
            for variant in variants {
                #expect(variant["duration"].double == 1.5)
                #expect(variant["clips"][1]["length"].double == 0.5 && variant["clips"][1]["start"].double == 1)
                #expect(variant["text"].string == "#\((variant["index"].int ?? 0) + 1) green-2.0-320x240-25.mp4")
                #expect(variant["document"]["tracks"][1]["clips"][0]["asset"]["text"].string == variant["text"].string)
            }
            let again = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 42, "count": 3}"#).1
            #expect(again["data"]["variants"].array.map { $0["clips"].value as? NSArray } == variants.map { $0["clips"].value as? NSArray })
            let (tooMany, error, _) = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 42, "count": 4}"#)
            #expect(tooMany == .unprocessableContent && error["error"]["details"][0]["path"].string == "/count")
            #expect(try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": -1}"#).0 == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 1, "count": "some"}"#).0 == .unprocessableContent)
            // A dry run queues nothing.
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)
        }
    }

    /// `"all"` stops at the cap; a list of texts is used in turn; a mix whose asset was deleted no
    /// longer plans (409) and shows no number of combinations.
    @Test func allUpToACapTextsInTurnAndAGoneAsset() async throws {
        try await TestServer().run { client in
            let ids = try await Self.assets(client, [("red", 1), ("blue", 1), ("yellow", 1)])
            let body = #"{"groups": [{"name": "a", "clips": ["asset:\#(ids[0])", "asset:\#(ids[1])"]}, {"name": "b", "clips": ["asset:\#(ids[2])"], "optional": true}], "text": {"texts": ["one {{a}}", "two"]}, "output": {"width": 320, "height": 240}, "count": "all", "cap": 3}"#
            let id = try #require(try await client.json(.post, "/api/v1/mixes", body).1["data"]["id"].string)
            let plan = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 5}"#).1["data"]
            #expect(plan["combinations"].int == 4 && plan["count"].int == 3)
            let texts = plan["variants"].array.map { $0["text"].string ?? "" }
            #expect(texts[1] == "two" && [0, 2].allSatisfy { texts[$0].hasPrefix("one red-") || texts[$0].hasPrefix("one blue-") }, "\(texts)")
            #expect(try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 5, "count": "all"}"#).1["data"]["count"].int == 4)
            #expect(try await client.json(.delete, "/api/v1/assets/\(ids[2])").0 == .noContent)
            let (status, error, _) = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 5}"#)
            #expect(status == .conflict && error["error"]["code"].string == "MIX_INVALID")
            #expect(error["error"]["details"][0]["path"].string == "/groups/1/clips/0/src")
            let mix = try await client.json(.get, "/api/v1/mixes/\(id)").1["data"]
            #expect(mix["name"].string == "Untitled mix" && mix["combinations"].isNull)
        }
    }

    /// Two variants rendered as one batch: each output lasts the sum of its clips and shows them in order.
    @Test(.tags(.slow)) func twoVariantsRenderAsABatch() async throws {
        try await TestServer().run(.live) { client in
            let ids = try await Self.assets(client, [("red", 1), ("blue", 2), ("lime", 1)])
            let body = #"{"groups": [{"name": "hook", "clips": ["asset:\#(ids[0])", "asset:\#(ids[1])"]}, {"name": "cta", "clips": ["asset:\#(ids[2])"], "maxLength": 0.6}], "output": {"width": 320, "height": 240, "fps": 25}, "count": 2}"#
            let id = try #require(try await client.json(.post, "/api/v1/mixes", body).1["data"]["id"].string)
            let (status, batch, headers) = try await client.json(.post, "/api/v1/mixes/\(id)/variants", #"{"seed": 7, "dryRun": false}"#)
            #expect(status == .accepted)
            let batchId = try #require(batch["data"]["id"].string)
            #expect(headers[.location] == "/api/v1/batches/\(batchId)")
            #expect(batch["data"]["total"].int == 2)
            let done = try await BatchLifecycleTests.finished(client, batchId)
            #expect(done["counts"]["completed"].int == 2, "\(done.value)")
            let renders = try await client.json(.get, "/api/v1/renders").1["data"].array.filter { $0["batchId"].string == batchId }
            #expect(renders.count == 2)
            var firstColours: [String] = []
            for render in renders {
                let renderId = try #require(render["id"].string)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("mix-\(renderId).mp4")
                defer { try? FileManager.default.removeItem(at: file) }
                try Data(buffer: try await client.download("/api/v1/renders/\(renderId)/output").body).write(to: file)
                let probe = try Fixtures.probe(file)
                let hook = try Fixtures.color(of: file, at: 0.3)
                let red = hook.r > 200 && hook.b < 60
                let blue = hook.b > 200 && hook.r < 60
                #expect(red || blue, "\(hook)")
                firstColours.append(red ? "red" : "blue")
                // red 1 s or blue 2 s, then lime cut to 0.6 s.
                let expected = (red ? 1.0 : 2.0) + 0.6
                #expect(abs(probe.duration - expected) < 0.1, "\(probe.duration) vs \(expected)")
                #expect(probe.frames == Int((expected * 25).rounded()))
                let cta = try Fixtures.color(of: file, at: expected - 0.2)
                #expect(cta.g > 200 && cta.r < 60 && cta.b < 60, "\(cta)")
            }
            #expect(Set(firstColours) == ["red", "blue"])
            let archive = try await client.download("/api/v1/batches/\(batchId)/archive?name=variant")
            #expect(archive.status == .ok && archive.body.readableBytes > 1000)
        }
    }
}
