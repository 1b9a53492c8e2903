import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// openapi.yaml is the API's published description: every route of the router is in it with the
/// same method and path template, nothing else is, and the binary serves exactly the file.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// The repository's openapi.yaml (this file is Tests/AppTests/OpenAPIDocumentTests.swift).
    static let sourceFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("openapi.yaml")

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `METHOD /api/v1/path/{param}` of every operation in the embedded JSON copy.
    static func documentedRoutes() throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let servers = try #require(document["servers"] as? [[String: Any]])
        let base = try #require(servers.first?["url"] as? String)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var routes: Set<String> = []
        for (path, item) in paths {
            // A path may name its own server (`/metrics` is at the root, not under /api/v1).
            let server = (item["servers"] as? [[String: Any]])?.first?["url"] as? String ?? base
            let prefix = server.hasSuffix("/") ? String(server.dropLast()) : server
            for method in item.keys where methods.contains(method) {
                routes.insert("\(method.uppercased()) \(prefix)\(path)")
            }
        }
        return routes
    }

    @Test("every route of the router is described, with its method and path template, and nothing else is")
    func routesMatchTheDocument() async throws {
        try await TestServer().run { client in
            // The catch-all only turns unknown API paths into the error envelope; it is not an endpoint.
            let routes = client.routes.filter { !$0.hasSuffix("/**") }
            let documented = try Self.documentedRoutes()
            let undocumented = routes.subtracting(documented)
            #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented.sorted())")
            let stale = documented.subtracting(routes)
            #expect(stale.isEmpty, "openapi.yaml describes routes the router does not have: \(stale.sorted())")
        }
    }

    @Test("the binary embeds openapi.yaml as it is in the repository, and a JSON copy made from it")
    func embeddedCopiesAreCurrent() throws {
        let source = try String(contentsOf: Self.sourceFile, encoding: .utf8)
        #expect(OpenAPIDocument.yaml == source, "Sources/App/Docs/OpenAPIDocument.swift is stale: run scripts/openapi.py")
        let digest = SHA256.hash(data: Data(OpenAPIDocument.yaml.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(digest == OpenAPIDocument.sourceSHA256, "the JSON copy was not made from this YAML: run scripts/openapi.py")
    }

    @Test("GET /openapi.yaml and /openapi.json answer the document without signing in")
    func servedWithoutSignIn() async throws {
        try await TestServer().run { client in
            try await client.anonymous.execute(uri: "/api/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                #expect(String(buffer: response.body) == OpenAPIDocument.yaml)
            }
            try await client.anonymous.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(document["openapi"] as? String == "3.1.0")
            }
        }
    }
}
