import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// A title card: a colour fill and a text line, every look of it a field.
func titleTemplate(width: Int = 320, height: Int = 240, seconds: Double = 1) -> String {
    #"""
    {"version": 1, "output": {"width": \#(width), "height": \#(height), "fps": 25, "audio": null},
     "merge": {"BG": "#000000", "SIZE": "48", "INK": "#FFFFFF"},
     "tracks": [
       {"id": "back", "clips": [{"id": "fill", "asset": {"type": "color", "color": "{{BG}}"}, "start": 0, "length": \#(seconds)}]},
       {"id": "front", "clips": [{"id": "title", "asset": {"type": "text", "text": "{{TITLE}}", "font": {"size": "{{SIZE}}", "color": "{{INK}}"}}, "start": 0, "length": \#(seconds)}]}
     ]}
    """#
}

/// The title card with every value filled in: a plain document for `POST /renders`.
func titleCard(_ title: String, seconds: Double = 1) -> String {
    titleTemplate(seconds: seconds).replacingOccurrences(of: "{{TITLE}}", with: title).replacingOccurrences(of: #""{{SIZE}}""#, with: "48")
        .replacingOccurrences(of: "{{BG}}", with: "#000000").replacingOccurrences(of: "{{INK}}", with: "#FFFFFF")
}

@Suite("Templates API")
struct TemplateAPITests {
    @Test func createListEditAndDeleteAreTheOwnersOnly() async throws {
        try await TestServer().run { client in
            let (created, body, headers) = try await client.json(.post, "/api/v1/templates", #"{"name": "Card", "document": \#(titleTemplate())}"#)
            #expect(created == .created)
            let id = try #require(body["data"]["id"].string)
            #expect(headers[.location] == "/api/v1/templates/\(id)")
            let fields = body["data"]["fields"].array
            #expect(fields.map { $0["name"].string } == ["BG", "TITLE", "SIZE", "INK"])
            #expect(fields.map { $0["type"].string } == ["color", "text", "number", "color"])
            #expect(fields[1]["required"].bool == true && fields[2]["default"].double == 48)
            #expect(body["data"]["document"]["tracks"][1]["clips"][0]["asset"]["text"].string == "{{TITLE}}")

            let (edited, patched, _) = try await client.json(.patch, "/api/v1/templates/\(id)", #"{"name": "Card 2", "fields": [{"name": "TITLE", "type": "text", "required": true, "maxLength": 12, "pattern": "[A-Za-z ]+"}]}"#)
            #expect(edited == .ok)
            #expect(patched["data"]["name"].string == "Card 2")
            #expect(patched["data"]["fields"][1]["maxLength"].int == 12)
            #expect(patched["data"]["fields"][1]["usedAt"][0].string == "/tracks/1/clips/0/asset/text")
            // Rules that do not fit, a broken pattern, a default breaking its own rules, unknown names and keys.
            let bad: [(String, String)] = [
                (#"[{"name": "SIZE", "type": "number", "maxLength": 3}]"#, "/fields/0/maxLength"),
                (#"[{"name": "TITLE", "type": "text", "pattern": "("}]"#, "/fields/0/pattern"),
                (#"[{"name": "SIZE", "type": "number", "min": 10, "max": 20, "default": 30}]"#, "/fields/0/default"),
                (#"[{"name": "INK", "type": "color", "default": "white"}]"#, "/fields/0/default"),
                (#"[{"name": "LOGO", "type": "asset"}]"#, "/fields/0/name"),
                (#"[{"name": "TITLE", "type": "asset"}]"#, "/fields/0/kind"),
            ]
            for (fields, path) in bad {
                let (status, error, _) = try await client.json(.patch, "/api/v1/templates/\(id)", #"{"fields": \#(fields)}"#)
                #expect(status == .unprocessableContent, "\(fields)")
                #expect(error["error"]["details"].array.map { $0["path"].string } == [path], "\(fields)")
            }
            #expect(try await client.json(.patch, "/api/v1/templates/\(id)", #"{"fields": [{"name": "TITLE", "type": "text", "colour": 1}]}"#).0 == .unprocessableContent)

            let (_, list, _) = try await client.json(.get, "/api/v1/templates?limit=1")
            #expect(list["data"].array.map { $0["id"].string } == [id])
            #expect(list["pagination"]["total"].int == 1)

            let (_, other) = try await client.newUser()
            #expect(try await other.json(.get, "/api/v1/templates/\(id)").0 == .notFound)
            #expect(try await other.json(.patch, "/api/v1/templates/\(id)", #"{"name": "x"}"#).0 == .notFound)
            #expect(try await other.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "x"}}"#).0 == .notFound)
            #expect(try await other.json(.delete, "/api/v1/templates/\(id)").0 == .notFound)
            #expect(try await other.json(.get, "/api/v1/templates").1["data"].array.isEmpty)

            #expect(try await client.json(.delete, "/api/v1/templates/\(id)").0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/templates/\(id)").0 == .notFound)
        }
    }

    @Test func badTemplatesAreRefused() async throws {
        try await TestServer().run { client in
            // One name for a colour and a number.
            let conflict = #"{"version": 1, "output": {"width": 320, "height": 240}, "background": "{{X}}", "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "text", "text": "hi", "font": {"size": "{{X}}"}}, "start": 0, "length": 1}]}]}"#
            let (status, error, _) = try await client.json(.post, "/api/v1/templates", #"{"document": \#(conflict)}"#)
            #expect(status == .unprocessableContent)
            // Reported at the later use (in the order the body was written), naming the first.
            #expect(error["error"]["details"].array.count == 1)
            #expect(error["error"]["details"][0]["path"].string == "/document/tracks/0/clips/0/asset/font/size")
            #expect(error["error"]["details"][0]["message"].string?.contains("at /background") == true)
            // Broken where no value could mend it.
            let broken = #"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "text", "text": "{{T}}"}, "start": 0, "length": -1}]}]}"#
            let (brokenStatus, brokenError, _) = try await client.json(.post, "/api/v1/templates", #"{"document": \#(broken)}"#)
            #expect(brokenStatus == .unprocessableContent)
            #expect(brokenError["error"]["details"][0]["path"].string == "/document/tracks/0/clips/0/length")
            #expect(try await client.json(.post, "/api/v1/templates", #"{"timelineId": "nope"}"#).0 == .notFound)
            #expect(try await client.json(.post, "/api/v1/templates", #"{}"#).0 == .unprocessableContent)
            #expect(try await client.json(.get, "/api/v1/templates").1["pagination"]["total"].int == 0)
        }
    }

    @Test func valuesAreCheckedWithAPointerEachAndADryRunQueuesNothing() async throws {
        try await TestServer().run { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            _ = try await client.json(.patch, "/api/v1/templates/\(id)", #"{"fields": [{"name": "TITLE", "type": "text", "required": true, "maxLength": 10}, {"name": "SIZE", "type": "number", "default": 48, "min": 8, "max": 200}]}"#)
            let (status, error, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "far too long a title", "SIZE": 500, "INK": "white", "TITEL": "typo"}}"#)
            #expect(status == .unprocessableContent)
            let paths = Set(error["error"]["details"].array.compactMap { $0["path"].string })
            #expect(paths == ["/values/TITLE", "/values/SIZE", "/values/INK", "/values/TITEL"])
            // A required value left out.
            let (missing, missingError, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {}}"#)
            #expect(missing == .unprocessableContent)
            #expect(missingError["error"]["details"].array.map { $0["path"].string } == ["/values/TITLE"])
            // A value that would leave a raw placeholder in the video is refused at that value.
            let (raw, rawError, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "{{NAME}}"}}"#)
            #expect(raw == .unprocessableContent)
            #expect(rawError["error"]["details"].array.map { $0["path"].string } == ["/values/TITLE"])

            let (dry, dryBody, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "Hello", "SIZE": "60"}, "dryRun": true}"#)
            #expect(dry == .ok)
            #expect(dryBody["data"]["values"]["SIZE"].string == "60")
            #expect(dryBody["data"]["values"]["BG"].string == "#000000")
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)

            let (accepted, render, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "Hello"}}"#)
            #expect(accepted == .accepted)
            #expect(render["data"]["templateId"].string == id)
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 1)
        }
    }

    @Test func assetFieldsTakeTheCallersAssetsOfTheirKind() async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        try await TestServer().run { client in
            let project = try await client.createProject()
            let asset = try #require(try await client.upload(clip, to: project).1["data"]["id"].string)
            let document = #"{"version": 1, "output": {"width": 320, "height": 240, "fps": 25}, "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "video", "src": "{{CLIP}}"}, "start": 0, "length": 1}, {"id": "b", "asset": {"type": "image", "src": "{{STILL}}"}, "start": 1, "length": 1}]}]}"#
            let timeline = try #require(try await client.json(.post, "/api/v1/projects/\(project)/timelines", #"{"name": "t", "document": \#(document)}"#).1["data"]["id"].string)
            let (_, created, _) = try await client.json(.post, "/api/v1/templates", #"{"timelineId": "\#(timeline)"}"#)
            let id = try #require(created["data"]["id"].string)
            #expect(created["data"]["projectId"].string == project)
            #expect(created["data"]["fields"].array.map { "\($0["type"].string ?? "")/\($0["kind"].string ?? "")" } == ["asset/video", "asset/image"])
            // A video where an image stands, and someone else's id.
            let (status, error, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"CLIP": "asset:\#(asset)", "STILL": "\#(asset)"}, "dryRun": true}"#)
            #expect(status == .unprocessableContent)
            #expect(error["error"]["details"].array.map { $0["path"].string } == ["/values/STILL"])
            let (_, other) = try await client.newUser()
            let theirs = try #require(try await other.json(.post, "/api/v1/templates", #"{"document": \#(document)}"#).1["data"]["id"].string)
            let (stolen, stolenError, _) = try await other.json(.post, "/api/v1/templates/\(theirs)/renders", #"{"values": {"CLIP": "\#(asset)", "STILL": "\#(asset)"}, "dryRun": true}"#)
            #expect(stolen == .unprocessableContent)
            #expect(Set(stolenError["error"]["details"].array.compactMap { $0["path"].string }) == ["/values/CLIP", "/values/STILL"])
        }
    }

    @Test("hostile values: a NUL, wrong JSON types, a NUL in a CSV cell are 422s at the value and queue nothing")
    func hostileValues() async throws {
        try await TestServer().run { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let (nul, nulBody, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "a\u0000b"}}"#)
            #expect(nul == .unprocessableContent)
            #expect(nulBody["error"]["details"].array.map { $0["path"].string } == ["/values/TITLE"])
            for body in [#"{"values": {"TITLE": true}}"#, #"{"values": {"TITLE": {"a": 1}}}"#, #"{"rows": "x"}"#, #"{"rows": [5]}"#, #"{"values": {"TITLE": "x"}, "rows": [{}]}"#] {
                #expect(try await client.json(.post, "/api/v1/templates/\(id)/renders", body).0 == .unprocessableContent, "\(body)")
            }
            let (csv, csvBody) = try await client.execute(uri: "/api/v1/templates/\(id)/renders", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "TITLE\nok\na\u{0}b\n")) { response in
                (response.status, try JSON(response.body))
            }
            #expect(csv == .unprocessableContent)
            #expect(csvBody["error"]["details"].array.map { $0["path"].string } == ["/rows/1/TITLE"])
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)
            let (health, _, _) = try await client.json(.get, "/api/v1/health")
            #expect(health == .ok)
        }
    }
}
