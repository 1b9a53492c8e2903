import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Number fields take JSON numbers wherever a value or default is given; the document's own
/// `merge` keeps strings (as the timeline spec says), written canonically.
@Suite("Template number fields")
struct TemplateNumberTests {
    @Test func numbersAreAcceptedAsNumbersAndStoredCanonically() async throws {
        try await TestServer().run { client in
            let document = titleTemplate().replacingOccurrences(of: #""SIZE": "48""#, with: #""SIZE": 48.50"#)
            let (created, template, _) = try await client.json(.post, "/api/v1/templates", #"{"document": \#(document)}"#)
            #expect(created == .created, "\(template.value)")
            let id = try #require(template["data"]["id"].string)
            #expect(template["data"]["fields"][2]["default"].double == 48.5)
            #expect(template["data"]["document"]["merge"]["SIZE"].string == "48.5")

            // A number that JSON reading makes infinite, and a number where a text field's default stands.
            let huge = titleTemplate().replacingOccurrences(of: #""SIZE": "48""#, with: #""SIZE": 1e999"#)
            let (refused, hugeError, _) = try await client.json(.post, "/api/v1/templates", #"{"document": \#(huge)}"#)
            #expect(refused == .unprocessableContent)
            #expect(hugeError["error"]["details"].array.map { $0["path"].string } == ["/document/merge/SIZE"], "\(hugeError.value)")
            let text = titleTemplate().replacingOccurrences(of: #""SIZE": "48""#, with: #""SIZE": "48", "TITLE": 5"#)
            let (textStatus, textError, _) = try await client.json(.post, "/api/v1/templates", #"{"document": \#(text)}"#)
            #expect(textStatus == .unprocessableContent)
            #expect(textError["error"]["details"].array.map { $0["path"].string } == ["/document/merge/TITLE"], "\(textError.value)")

            // A default sent as a string or a number is stored as a number; bad ones are refused at /default.
            let (patched, patchedBody, _) = try await client.json(.patch, "/api/v1/templates/\(id)", #"{"fields": [{"name": "SIZE", "type": "number", "default": "60", "min": 8, "max": 200}]}"#)
            #expect(patched == .ok)
            #expect(patchedBody["data"]["fields"][2]["default"].double == 60)
            for bad in ["1e999", "\"big\"", "300"] {
                let (status, error, _) = try await client.json(.patch, "/api/v1/templates/\(id)", #"{"fields": [{"name": "SIZE", "type": "number", "default": \#(bad), "max": 200}]}"#)
                #expect(status == .unprocessableContent, "\(bad)")
                #expect(error["error"]["details"].array.map { $0["path"].string } == ["/fields/0/default"], "\(bad): \(error.value)")
            }

            // Values and JSON rows as numbers, written canonically.
            let (dry, dryBody, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "Hi", "SIZE": 72.0}, "dryRun": true}"#)
            #expect(dry == .ok)
            #expect(dryBody["data"]["values"]["SIZE"].string == "72")
            let (rows, _, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": [{"TITLE": "a", "SIZE": 9}, {"TITLE": "b", "SIZE": 1.25e2}], "dryRun": true}"#)
            #expect(rows == .ok)
            let (range, rangeError, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "Hi", "SIZE": 1e999}}"#)
            #expect(range == .unprocessableContent)
            #expect(rangeError["error"]["details"].array.map { $0["path"].string } == ["/values/SIZE"])
            let (accepted, render, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"values": {"TITLE": "Hi", "SIZE": 64}}"#)
            #expect(accepted == .accepted)
            #expect(render["data"]["templateId"].string == id)
        }
    }
}
