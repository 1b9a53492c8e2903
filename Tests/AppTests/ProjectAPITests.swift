import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Projects and health API")
struct ProjectAPITests {
    @Test func healthReportsDatabaseStorageAndQueue() async throws {
        try await TestServer().run { client in
            let (status, body, _) = try await client.json(.get, "/api/v1/health")
            #expect(status == .ok)
            #expect(body["data"]["status"].string == "ok")
            #expect(body["data"]["database"].string == "ok")
            #expect(body["data"]["queue"]["depth"].int == 0)
            #expect(body["data"]["queue"]["concurrency"].int == 1)
            #expect(body["data"]["ffmpeg"].string?.contains("libavformat") == true)
            #expect(body["meta"]["requestId"].string?.count == 26)
        }
    }

    @Test func projectLifecycle() async throws {
        try await TestServer().run { client in
            let id = try await client.createProject("Holiday")
            _ = try await client.createProject("Wedding")
            let (status, got, _) = try await client.json(.get, "/api/v1/projects/\(id)")
            #expect(status == .ok)
            #expect(got["data"]["name"].string == "Holiday")

            let (_, list, _) = try await client.json(.get, "/api/v1/projects?limit=1")
            #expect(list["data"].array.count == 1)
            #expect(list["pagination"]["total"].int == 2)
            #expect(list["pagination"]["totalPages"].int == 2)

            let (_, search, _) = try await client.json(.get, "/api/v1/projects?search=holi")
            #expect(search["data"].array.map { $0["name"].string } == ["Holiday"])

            let (renamed, body, _) = try await client.json(.patch, "/api/v1/projects/\(id)", #"{"name": "Summer"}"#)
            #expect(renamed == .ok)
            #expect(body["data"]["name"].string == "Summer")

            let (deleted, _, _) = try await client.json(.delete, "/api/v1/projects/\(id)")
            #expect(deleted == .noContent)
            let (gone, error, _) = try await client.json(.get, "/api/v1/projects/\(id)")
            #expect(gone == .notFound)
            #expect(error["error"]["code"].string == "NOT_FOUND")
        }
    }

    @Test(arguments: [
        ("{\"name\": ", HTTPResponse.Status.badRequest, "MALFORMED_JSON"),
        ("[1, 2]", .badRequest, "MALFORMED_JSON"),
        ("", .badRequest, "MALFORMED_JSON"),
        ("{\"name\": 42}", .unprocessableContent, "VALIDATION_ERROR"),
        ("{\"nmae\": \"x\"}", .unprocessableContent, "VALIDATION_ERROR"),
        ("{}", .unprocessableContent, "VALIDATION_ERROR"),
        ("{\"name\": \"   \"}", .unprocessableContent, "VALIDATION_ERROR"),
        ("{\"name\": \"\(String(repeating: "x", count: 5000))\"}", .unprocessableContent, "VALIDATION_ERROR"),
    ])
    func badProjectBodiesAreRejectedAndNothingIsStored(body: String, status: HTTPResponse.Status, code: String) async throws {
        try await TestServer().run { client in
            let (answer, error, _) = try await client.json(.post, "/api/v1/projects", body)
            #expect(answer == status)
            #expect(error["error"]["code"].string == code)
            #expect(error["error"]["message"].string?.isEmpty == false)
            let (_, list, _) = try await client.json(.get, "/api/v1/projects")
            #expect(list["pagination"]["total"].int == 0)
        }
    }

    @Test func unknownKeyIsNamedWithItsPointer() async throws {
        try await TestServer().run { client in
            let (_, error, _) = try await client.json(.post, "/api/v1/projects", #"{"name": "a", "colour/x": 1}"#)
            #expect(error["error"]["details"][0]["path"].string == "/colour~1x")
        }
    }

    @Test func badPagingAndUnknownRoutesAnswerWithTheEnvelope() async throws {
        try await TestServer().run { client in
            let (paging, body, _) = try await client.json(.get, "/api/v1/projects?limit=100000")
            #expect(paging == .badRequest)
            #expect(body["error"]["code"].string == "BAD_REQUEST")
            let (route, missing, _) = try await client.json(.get, "/api/v1/nothing/here")
            #expect(route == .notFound)
            #expect(missing["error"]["code"].string == "NOT_FOUND")
        }
    }

    @Test func webUIIsServedAtTheRoot() async throws {
        try await TestServer().run { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(String(buffer: response.body).contains("Cutroom"))
            }
        }
    }
}
