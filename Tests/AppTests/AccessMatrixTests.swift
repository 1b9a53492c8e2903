import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@testable import App

/// Every route of the router × every kind of caller, with the status each must get. The table is
/// checked against the router's own route list both ways: a new route without a rule fails, and
/// so does a rule for a route that is gone.
@Suite("Access matrix", .tags(.slow))
struct AccessMatrixTests {
    /// Who asks: nobody, another (member) user, the owner's read-only API token, the owner (an admin).
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case anonymous, otherUser, readToken, owner
        var description: String { rawValue }
    }

    /// One request per route, and the status each caller gets.
    struct Rule {
        var path: String
        var body: Data?
        var contentType = "application/json"
        var headers: HTTPFields = [:]
        /// anonymous, other user, read token, owner.
        var expect: [Caller: HTTPResponse.Status]

        init(_ path: String, _ body: String? = nil, bytes: Data? = nil, contentType: String = "application/json", headers: HTTPFields = [:],
             anonymous: HTTPResponse.Status = .unauthorized, other: HTTPResponse.Status, read: HTTPResponse.Status, owner: HTTPResponse.Status) {
            self.path = path
            self.body = bytes ?? body.map { Data($0.utf8) }
            self.contentType = contentType
            self.headers = headers
            expect = [.anonymous: anonymous, .otherUser: other, .readToken: read, .owner: owner]
        }

        /// A route anyone may call, answered the same for everyone.
        static func open(_ path: String, _ body: String? = nil, answer status: HTTPResponse.Status) -> Rule {
            Rule(path, body, anonymous: status, other: status, read: status, owner: status)
        }
    }

    /// What the owner has, made through the API before the matrix runs.
    struct Things {
        var project, spareProject, asset, spareAsset, timeline, spareTimeline, render, token, invitedUser, spareUser: String
        var template, spareTemplate, batch: String
        var mix, spareMix: String
        var document: String
        var png: Data
    }

    @Test("every route × (anonymous, other user, read-only token, owner) answers as its rule says")
    func everyRouteHasARule() async throws {
        try await TestServer().run(.live) { client in
            let routes = client.routes
            let (_, otherClient) = try await client.newUser(role: .member)
            let readToken = try await client.owner.token(databaseAt: client.databasePath, scope: .read)
            let callers: [Caller: SignedInClient] = [
                .anonymous: client.anonymous, .otherUser: otherClient, .readToken: client.as(readToken), .owner: client,
            ]
            let things = try await Self.make(client)
            let rules = Self.rules(things, owner: client.owner)

            let missing = routes.subtracting(rules.keys)
            #expect(missing.isEmpty, "routes without an access rule: \(missing.sorted())")
            let stale = Set(rules.keys).subtracting(routes)
            #expect(stale.isEmpty, "rules for routes that do not exist: \(stale.sorted())")

            // Signing out ends the caller's session, so it goes last.
            for key in rules.keys.sorted(by: { ($0.hasSuffix("/auth/logout") ? 1 : 0, $0) < ($1.hasSuffix("/auth/logout") ? 1 : 0, $1) }) {
                let rule = rules[key]!
                let method = HTTPRequest.Method(String(key.split(separator: " ")[0]))!
                for caller in Caller.allCases {
                    let status = try await Self.send(callers[caller]!, method, rule, port: client.port)
                    #expect(status == rule.expect[caller], "\(key) as \(caller)")
                }
            }
        }
    }

    @Test("another user's ids in bodies and documents find nothing: timelines, asset references, project filters")
    func idsInBodiesAreScopedToTheCaller() async throws {
        try await TestServer().run(.live) { client in
            let (_, other) = try await client.newUser(role: .member)
            let things = try await Self.make(client)
            // A document naming the owner's asset is as if the asset did not exist.
            let (validate, validation, _) = try await other.json(.post, "/api/v1/timelines/validate", things.document)
            #expect(validate == .unprocessableContent)
            #expect(validation["error"]["details"].array.contains { ($0["message"].string ?? "").contains(things.asset) })
            // A preview shows it as missing media (the placeholder any unknown id gets), never its picture.
            func previewColour(_ caller: SignedInClient, _ document: String) async throws -> (r: Int, g: Int, b: Int) {
                let response = try await caller.execute(uri: "/api/v1/timelines/frame", method: .post, body: ByteBuffer(string: #"{"document": \#(document), "t": 0.5, "width": 64}"#)) { $0 }
                #expect(response.status == .ok)
                return try PreviewAPITests.color(response.body, ext: "jpg")
            }
            let theirs = try await previewColour(other, things.document)
            let unknown = try await previewColour(other, things.document.replacingOccurrences(of: things.asset, with: "NOSUCHASSET"))
            let owners = try await previewColour(client, things.document)
            #expect(abs(theirs.r - unknown.r) <= 3 && abs(theirs.g - unknown.g) <= 3 && abs(theirs.b - unknown.b) <= 3, "\(theirs) vs \(unknown)")
            #expect(owners.r > 240 && owners.g < 15 && theirs.r < 225 && theirs.g > 25, "owner \(owners), other \(theirs)")
            let otherProject = try await other.createProject("theirs")
            #expect(try await other.json(.post, "/api/v1/renders", #"{"timeline": \#(things.document), "projectId": "\#(otherProject)"}"#).0 == .unprocessableContent)
            // Saving is allowed (drafts may name missing media), but the saved timeline cannot use the owner's asset.
            let saved = try #require(try await other.json(.post, "/api/v1/projects/\(otherProject)/timelines", #"{"name": "t", "document": \#(things.document)}"#).1["data"]["id"].string)
            #expect(try await other.json(.post, "/api/v1/renders", #"{"timelineId": "\#(saved)"}"#).0 == .unprocessableContent)
            #expect(try await other.json(.post, "/api/v1/renders", #"{"timeline": \#(sequenceDocument([])), "projectId": "\#(things.project)"}"#).0 == .notFound)
            // Lists never show the owner's things.
            #expect(try await other.json(.get, "/api/v1/renders?projectId=\(things.project)").1["data"].array.isEmpty)
            #expect(try await other.json(.get, "/api/v1/renders").1["data"].array.isEmpty)
            #expect(try await other.json(.get, "/api/v1/projects").1["data"].array.map { $0["id"].string } == [otherProject])
            // The owner still sees everything: the render and the batch's one render.
            #expect(try await client.json(.get, "/api/v1/renders").1["data"].array.count == 2)
            #expect(try await other.json(.get, "/api/v1/batches/\(things.batch)").0 == .notFound)
            #expect(try await other.json(.get, "/api/v1/batches").1["data"].array.isEmpty)
            #expect(try await other.json(.get, "/api/v1/batches?templateId=\(things.template)").1["data"].array.isEmpty)
            #expect(try await client.json(.get, "/api/v1/batches?templateId=\(things.template)").1["data"].array.map { $0["id"].string } == [things.batch])
            #expect(try await other.json(.get, "/api/v1/templates").1["data"].array.isEmpty)
        }
    }

    static func rules(_ t: Things, owner: TestUser) -> [String: Rule] {
        let api = "/api/v1"
        let project = "\(api)/projects/\(t.project)"
        let asset = "\(api)/assets/\(t.asset)"
        let timeline = "\(api)/timelines/\(t.timeline)"
        let render = "\(api)/renders/\(t.render)"
        let template = "\(api)/templates/\(t.template)"
        let batch = "\(api)/batches/\(t.batch)"
        let mix = "\(api)/mixes/\(t.mix)"
        let wrongPassword = #"{"currentPassword": "not-the-password", "newPassword": "a-new-password"}"#
        return [
            "GET \(api)/health": .open("\(api)/health", answer: .ok),
            // Off unless configured (MetricsTests covers the token and the separate listener).
            "GET /metrics": .open("/metrics", answer: .notFound),
            "GET \(api)/openapi.yaml": .open("\(api)/openapi.yaml", answer: .ok),
            "GET \(api)/openapi.json": .open("\(api)/openapi.json", answer: .ok),
            "GET \(api)/auth/setup": .open("\(api)/auth/setup", answer: .ok),
            "POST \(api)/auth/setup": .open("\(api)/auth/setup", #"{"email": "late@example.test", "password": "long-enough"}"#, answer: .conflict),
            "POST \(api)/auth/login": .open("\(api)/auth/login", #"{"email": "nobody@example.test", "password": "long-enough"}"#, answer: .unauthorized),
            "GET \(api)/auth/invites/{secret}": .open("\(api)/auth/invites/\(Secret.make())", answer: .notFound),
            "POST \(api)/auth/invites/{secret}": .open("\(api)/auth/invites/\(Secret.make())", #"{"password": "long-enough"}"#, answer: .notFound),
            "POST \(api)/auth/logout": Rule("\(api)/auth/logout", other: .noContent, read: .forbidden, owner: .noContent),
            "GET \(api)/me": Rule("\(api)/me", other: .ok, read: .ok, owner: .ok),
            "PATCH \(api)/me": Rule("\(api)/me", #"{"name": "Renamed"}"#, other: .ok, read: .forbidden, owner: .ok),
            "POST \(api)/me/password": Rule("\(api)/me/password", wrongPassword, other: .unprocessableContent, read: .forbidden, owner: .unprocessableContent),
            "GET \(api)/tokens": Rule("\(api)/tokens", other: .ok, read: .ok, owner: .ok),
            "POST \(api)/tokens": Rule("\(api)/tokens", #"{"name": "ci", "scope": "read"}"#, other: .created, read: .forbidden, owner: .created),
            "DELETE \(api)/tokens/{tokenId}": Rule("\(api)/tokens/\(t.token)", other: .notFound, read: .forbidden, owner: .noContent),
            "GET \(api)/users": Rule("\(api)/users", other: .forbidden, read: .forbidden, owner: .ok),
            "POST \(api)/users": Rule("\(api)/users", #"{"email": "new-\#(Identifier.make())@example.test"}"#, other: .forbidden, read: .forbidden, owner: .created),
            "POST \(api)/users/{userId}/invite": Rule("\(api)/users/\(t.invitedUser)/invite", other: .forbidden, read: .forbidden, owner: .created),
            "PATCH \(api)/users/{userId}": Rule("\(api)/users/\(t.invitedUser)", #"{"role": "admin"}"#, other: .forbidden, read: .forbidden, owner: .ok),
            "DELETE \(api)/users/{userId}": Rule("\(api)/users/\(t.spareUser)", other: .forbidden, read: .forbidden, owner: .noContent),

            "GET \(api)/projects": Rule("\(api)/projects", other: .ok, read: .ok, owner: .ok),
            "POST \(api)/projects": Rule("\(api)/projects", #"{"name": "new"}"#, other: .created, read: .forbidden, owner: .created),
            "GET \(api)/projects/{projectId}": Rule(project, other: .notFound, read: .ok, owner: .ok),
            "PATCH \(api)/projects/{projectId}": Rule(project, #"{"name": "renamed"}"#, other: .notFound, read: .forbidden, owner: .ok),
            "DELETE \(api)/projects/{projectId}": Rule("\(api)/projects/\(t.spareProject)", other: .notFound, read: .forbidden, owner: .noContent),
            "GET \(api)/projects/{projectId}/assets": Rule("\(project)/assets", other: .notFound, read: .ok, owner: .ok),
            "POST \(api)/projects/{projectId}/assets": Rule("\(project)/assets?filename=still.png", bytes: t.png,
                                                            contentType: "application/octet-stream", other: .notFound, read: .forbidden, owner: .created),
            "GET \(api)/projects/{projectId}/timelines": Rule("\(project)/timelines", other: .notFound, read: .ok, owner: .ok),
            "POST \(api)/projects/{projectId}/timelines": Rule("\(project)/timelines", #"{"name": "t", "document": \#(t.document)}"#,
                                                               other: .notFound, read: .forbidden, owner: .created),

            "GET \(api)/assets/{assetId}": Rule(asset, other: .notFound, read: .ok, owner: .ok),
            "DELETE \(api)/assets/{assetId}": Rule("\(api)/assets/\(t.spareAsset)", other: .notFound, read: .forbidden, owner: .noContent),
            "GET \(api)/assets/{assetId}/content": Rule("\(asset)/content", other: .notFound, read: .ok, owner: .ok),
            "HEAD \(api)/assets/{assetId}/content": Rule("\(asset)/content", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/assets/{assetId}/thumbnail": Rule("\(asset)/thumbnail", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/assets/{assetId}/waveform": Rule("\(asset)/waveform", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/assets/{assetId}/filmstrip": Rule("\(asset)/filmstrip", other: .notFound, read: .ok, owner: .ok),

            "GET \(api)/timelines/{timelineId}": Rule(timeline, other: .notFound, read: .ok, owner: .ok),
            "PUT \(api)/timelines/{timelineId}": Rule(timeline, #"{"document": \#(t.document)}"#, headers: [.ifMatch: "1"],
                                                      other: .notFound, read: .forbidden, owner: .ok),
            "DELETE \(api)/timelines/{timelineId}": Rule("\(api)/timelines/\(t.spareTimeline)", other: .notFound, read: .forbidden, owner: .noContent),
            "GET \(api)/timelines/{timelineId}/frame": Rule("\(timeline)/frame?t=0.5&width=64", other: .notFound, read: .ok, owner: .ok),
            // Another user's preview shows the owner's asset as a missing one (a red placeholder): see idsInBodiesAreScopedToTheCaller.
            "POST \(api)/timelines/frame": Rule("\(api)/timelines/frame", #"{"document": \#(t.document), "t": 0.5, "width": 64}"#,
                                                other: .ok, read: .forbidden, owner: .ok),
            "POST \(api)/timelines/segments": Rule("\(api)/timelines/segments", #"{"document": \#(t.document), "index": 0, "width": 64}"#,
                                                   other: .unprocessableContent, read: .forbidden, owner: .ok),
            "GET \(api)/timelines/{timelineId}/segments": Rule("\(timeline)/segments?width=64", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/timelines/{timelineId}/segments/{index}": Rule("\(timeline)/segments/0?width=64", other: .notFound, read: .ok, owner: .ok),
            "POST \(api)/timelines/validate": Rule("\(api)/timelines/validate", t.document, other: .unprocessableContent, read: .forbidden, owner: .ok),

            "POST \(api)/renders": Rule("\(api)/renders", #"{"timelineId": "\#(t.timeline)"}"#, other: .notFound, read: .forbidden, owner: .accepted),
            "GET \(api)/renders": Rule("\(api)/renders", other: .ok, read: .ok, owner: .ok),
            "GET \(api)/renders/{renderId}": Rule(render, other: .notFound, read: .ok, owner: .ok),
            "DELETE \(api)/renders/{renderId}": Rule(render, other: .notFound, read: .forbidden, owner: .conflict),
            "POST \(api)/renders/{renderId}/retry": Rule("\(render)/retry", other: .notFound, read: .forbidden, owner: .conflict),
            "GET \(api)/renders/{renderId}/events": Rule("\(render)/events", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/renders/{renderId}/output": Rule("\(render)/output", other: .notFound, read: .ok, owner: .ok),
            "HEAD \(api)/renders/{renderId}/output": Rule("\(render)/output", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/events": Rule("\(api)/events", other: .ok, read: .ok, owner: .ok),

            "GET \(api)/templates": Rule("\(api)/templates", other: .ok, read: .ok, owner: .ok),
            "POST \(api)/templates": Rule("\(api)/templates", #"{"timelineId": "\#(t.timeline)"}"#, other: .notFound, read: .forbidden, owner: .created),
            "GET \(api)/templates/{templateId}": Rule(template, other: .notFound, read: .ok, owner: .ok),
            "PATCH \(api)/templates/{templateId}": Rule(template, #"{"name": "renamed"}"#, other: .notFound, read: .forbidden, owner: .ok),
            "DELETE \(api)/templates/{templateId}": Rule("\(api)/templates/\(t.spareTemplate)", other: .notFound, read: .forbidden, owner: .noContent),
            "POST \(api)/templates/{templateId}/renders": Rule("\(template)/renders", #"{"values": {}, "dryRun": true}"#, other: .notFound, read: .forbidden, owner: .ok),
            "GET \(api)/batches": Rule("\(api)/batches", other: .ok, read: .ok, owner: .ok),
            "GET \(api)/batches/{batchId}": Rule(batch, other: .notFound, read: .ok, owner: .ok),
            // Another user may post a mix, but not one naming the owner's asset (422 at its pointer).
            "GET \(api)/mixes": Rule("\(api)/mixes", other: .ok, read: .ok, owner: .ok),
            "POST \(api)/mixes": Rule("\(api)/mixes", #"{"groups": [{"name": "a", "clips": ["asset:\#(t.asset)"]}]}"#, other: .unprocessableContent, read: .forbidden, owner: .created),
            "GET \(api)/mixes/{mixId}": Rule(mix, other: .notFound, read: .ok, owner: .ok),
            "PATCH \(api)/mixes/{mixId}": Rule(mix, #"{"name": "renamed"}"#, other: .notFound, read: .forbidden, owner: .ok),
            "DELETE \(api)/mixes/{mixId}": Rule("\(api)/mixes/\(t.spareMix)", other: .notFound, read: .forbidden, owner: .noContent),
            "POST \(api)/mixes/{mixId}/variants": Rule("\(mix)/variants", #"{"seed": 1}"#, other: .notFound, read: .forbidden, owner: .ok),
            "GET \(api)/batches/{batchId}/events": Rule("\(batch)/events", other: .notFound, read: .ok, owner: .ok),
            "POST \(api)/batches/{batchId}/cancel": Rule("\(batch)/cancel", other: .notFound, read: .forbidden, owner: .conflict),
            "POST \(api)/batches/{batchId}/retry": Rule("\(batch)/retry", other: .notFound, read: .forbidden, owner: .conflict),
            "GET \(api)/batches/{batchId}/archive": Rule("\(batch)/archive", other: .notFound, read: .ok, owner: .ok),
            "GET \(api)/**": Rule("\(api)/no-such-thing", other: .notFound, read: .notFound, owner: .notFound),
        ]
    }

    /// Sends one rule's request; streams that stay open (`/events`) are judged by their head.
    static func send(_ client: SignedInClient, _ method: HTTPRequest.Method, _ rule: Rule, port: Int?) async throws -> HTTPResponse.Status {
        var headers = rule.headers
        if rule.body != nil { headers[.contentType] = rule.contentType }
        if rule.path.hasSuffix("/events") && !rule.path.contains("/renders/") {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(try #require(port))\(rule.path)")
            if let token = client.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            return HTTPResponse.Status(code: Int(response.status.code))
        }
        return try await client.execute(uri: rule.path, method: method, headers: headers,
                                        body: rule.body.map { ByteBuffer(bytes: $0) }) { $0.status }
    }

    /// A project with a clip, a timeline and a finished render, spares to delete, a token and two other users.
    static func make(_ client: SignedInClient) async throws -> Things {
        let project = try await client.createProject("owned")
        let spareProject = try await client.createProject("spare")
        let clip = try Fixtures.colorClip("red", seconds: 1)
        let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
        let spareAsset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
        let document = sequenceDocument([asset])
        func timeline(_ name: String) async throws -> String {
            try #require(try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "\#(name)", "document": \#(document)}"#).1["data"]["id"].string)
        }
        let main = try await timeline("main")
        let spare = try await timeline("spare")
        let render = try #require(try await client.json(.post, "/api/v1/renders", #"{"timelineId": "\#(main)"}"#).1["data"]["id"].string)
        for _ in 0..<600 {
            let status = try await client.json(.get, "/api/v1/renders/\(render)").1["data"]["status"].string
            if status == "completed" { break }
            #expect(status == "queued" || status == "rendering")
            try await Task.sleep(for: .milliseconds(50))
        }
        let template = try #require(try await client.json(.post, "/api/v1/templates", #"{"timelineId": "\#(main)"}"#).1["data"]["id"].string)
        let spareTemplate = try #require(try await client.json(.post, "/api/v1/templates", #"{"timelineId": "\#(main)"}"#).1["data"]["id"].string)
        let batch = try #require(try await client.json(.post, "/api/v1/templates/\(template)/renders", #"{"rows": [{}]}"#).1["data"]["id"].string)
        for _ in 0..<600 {
            if try await client.json(.get, "/api/v1/batches/\(batch)").1["data"]["status"].string == "finished" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let mixBody = #"{"groups": [{"name": "hook", "clips": ["asset:\#(asset)"]}]}"#
        let mix = try #require(try await client.json(.post, "/api/v1/mixes", mixBody).1["data"]["id"].string)
        let spareMix = try #require(try await client.json(.post, "/api/v1/mixes", mixBody).1["data"]["id"].string)
        let token = try #require(try await client.json(.post, "/api/v1/tokens", #"{"name": "scripts", "scope": "write"}"#).1["data"]["id"].string)
        func invite() async throws -> String {
            try #require(try await client.json(.post, "/api/v1/users", #"{"email": "invitee-\#(Identifier.make())@example.test"}"#).1["data"]["user"]["id"].string)
        }
        let png = try Data(contentsOf: try Fixtures.make("matrix-still.png", ["-f", "lavfi", "-i", "color=c=green:s=16x16:d=1", "-frames:v", "1"]))
        return Things(project: project, spareProject: spareProject, asset: asset, spareAsset: spareAsset, timeline: main, spareTimeline: spare,
                      render: render, token: token, invitedUser: try await invite(), spareUser: try await invite(),
                      template: template, spareTemplate: spareTemplate, batch: batch, mix: mix, spareMix: spareMix, document: document, png: png)
    }
}
