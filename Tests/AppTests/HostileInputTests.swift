import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// What a hostile client sends is refused with a 4xx and never stops the server.
@Suite("Hostile input")
struct HostileInputTests {
    static func colourDocument(clip extra: String = "", output: String = #""width": 320, "height": 240"#) -> String {
        ##"{"version": 1, "output": {\##(output)}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1\##(extra)}]}]}"##
    }

    @Test("the Ken Burns scale that crashed the server is a 422 on render, frame and validate")
    func tinyKenBurnsScale() async throws {
        let server = try TestServer()
        try await server.run { client in
            let effects = #", "effects": [{"type": "kenburns", "from": {"scale": 1e-11, "x": 0, "y": 0}, "to": {"scale": 5e-324, "x": 0, "y": 0}}]"#
            let document = Self.colourDocument(clip: effects)
            // Each problem at its place in the request body: under the member holding the document.
            for (path, body, at) in [("/api/v1/renders", #"{"timeline": \#(document)}"#, "/timeline"), ("/api/v1/timelines/frame", #"{"document": \#(document), "t": 0.5}"#, "/document"), ("/api/v1/timelines/validate", document, "")] {
                let (status, json, _) = try await client.json(.post, path, body)
                #expect(status == .unprocessableContent, "\(path)")
                #expect(Set(json["error"]["details"].array.compactMap { $0["path"].string })
                    == [at + "/tracks/0/clips/0/effects/0/from/scale", at + "/tracks/0/clips/0/effects/0/to/scale"], "\(path)")
            }
            let (health, _, _) = try await client.json(.get, "/api/v1/health")
            #expect(health == .ok)
        }
    }

    @Test("a NUL in text or in a merge value is a 422, not a 500")
    func controlCharacters() async throws {
        let server = try TestServer()
        try await server.run { client in
            let text = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "text", "text": "{{X}}\u0000"}, "start": 0, "length": 1}]}]}"##
            let (frame, body, _) = try await client.json(.post, "/api/v1/timelines/frame", #"{"document": \#(text), "t": 0.5}"#)
            #expect(frame == .unprocessableContent)
            #expect(body["error"]["details"][0]["path"].string == "/document/tracks/0/clips/0/asset/text")
            let merged = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "text", "text": "{{X}}"}, "start": 0, "length": 1}]}]}"##
            let (render, renderBody, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(merged), "merge": {"X": "a\u0000b"}}"#)
            #expect(render == .unprocessableContent)
            #expect(renderBody["error"]["details"].array.contains { $0["path"].string == "/merge/X" })
            let (renders, list, _) = try await client.json(.get, "/api/v1/renders")
            #expect(renders == .ok && list["data"].array.isEmpty, "nothing was queued")
        }
    }

    @Test("a name's length counts Unicode scalars: one letter with 300 combining marks is too long")
    func combiningMarksCount() async throws {
        let server = try TestServer()
        try await server.run { client in
            let zalgo = "a" + String(repeating: "\\u0301", count: 300)
            let (status, body, _) = try await client.json(.post, "/api/v1/projects", #"{"name": "\#(zalgo)"}"#)
            #expect(status == .unprocessableContent)
            #expect(body["error"]["details"][0]["path"].string == "/name")
            #expect(try await client.json(.post, "/api/v1/projects", #"{"name": "\#(String(repeating: "e\\u0301", count: 100))"}"#).0 == .created)
            // An @ followed by an emoji modifier is still the @ of an address.
            let (invited, invite, _) = try await client.json(.post, "/api/v1/users", #"{"email": "ann@\\ud83c\\udffbexample.test"}"#)
            #expect(invited == .created)
            #expect(invite["data"]["user"]["name"].string == "ann")
        }
    }

    @Test("a multipart part whose header name is not ASCII is a 400 (it once crashed the server's multipart parser)")
    func nonASCIIMultipartHeaderName() async throws {
        let server = try TestServer()
        try await server.run { client in
            let project = try await client.createProject("multipart")
            for body in ["--b\r\nÜ--b--\r\n", "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nx\r\n--b\r\nX-Ü: 1\r\n\r\ny\r\n--b--\r\n"] {
                let status = try await client.execute(
                    uri: "/api/v1/projects/\(project)/assets", method: .post, headers: [.contentType: "multipart/form-data; boundary=b"],
                    body: ByteBuffer(string: body)) { $0.status }
                #expect(status == .badRequest)
            }
            #expect(try await client.json(.get, "/api/v1/projects/\(project)").0 == .ok, "the server is still there")
        }
    }

    @Test("a known path asked with another method is a 405 naming the methods it takes")
    func methodNotAllowed() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, body, headers) = try await client.json(.delete, "/api/v1/projects")
            #expect(status == .methodNotAllowed)
            #expect(body["error"]["code"].string == "METHOD_NOT_ALLOWED")
            #expect(headers[.allow] == "GET, POST")
            #expect(try await client.json(.put, "/api/v1/projects/some-id/timelines").2[.allow] == "GET, POST")
            // A literal segment is its own route, not a value of the parameter beside it.
            #expect(try await client.json(.options, "/api/v1/timelines/frame").2[.allow] == "POST")
            #expect(try await client.json(.post, "/api/v1/no-such-thing").0 == .notFound)
        }
    }

    @Test("malformed JSON is a 400 on /timelines/validate like everywhere else")
    func malformedValidate() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, body, _) = try await client.json(.post, "/api/v1/timelines/validate", #"{"version": 1,"#)
            #expect(status == .badRequest)
            #expect(body["error"]["code"].string == "MALFORMED_JSON")
            #expect(body["error"]["message"].string?.contains("line 1") == true)
        }
    }

    @Test("a render larger than CUTROOM_MAX_RENDER_HOURS is refused with the reason")
    func renderTooLarge() async throws {
        let server = try TestServer(environment: ["CUTROOM_MAX_RENDER_HOURS": "8"])
        try await server.run { client in
            // 24 hours of 8K at 120 fps: 1536 hours of 1080p30.
            let huge = Self.colourDocument(output: #""width": 7680, "height": 4320, "fps": 120"#).replacingOccurrences(of: #""length": 1"#, with: #""length": 86400"#)
            let (status, body, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(huge)}"#)
            #expect(status == .unprocessableContent)
            #expect(body["error"]["code"].string == "RENDER_TOO_LARGE")
            #expect(body["error"]["message"].string?.contains("1536 hours") == true, "\(body["error"]["message"].string ?? "")")
            let small = Self.colourDocument()
            let (accepted, _, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(small)}"#)
            #expect(accepted == .accepted)
        }
    }

    /// Sends raw bytes on a new connection, half-closes it and returns the status line.
    static func raw(_ port: Int, _ request: String, body: Data) throws -> String {
        let fd = try connectSocket(port)
        defer { close(fd) }
        let bytes = Data(request.utf8) + body
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        shutdown(fd, Int32(SHUT_WR))
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            reply.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: reply, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }

    @Test("a body shorter than its Content-Length is a 400 and stores nothing", .tags(.slow))
    func truncatedBodies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"))
        try await server.start()
        let project = try #require(try await server.send("POST", "/api/v1/projects", json: #"{"name": "p"}"#).json["data"]["id"].string)
        let bearer = "Authorization: Bearer \(try #require(server.owner).token)\r\n"
        let upload = "POST /api/v1/projects/\(project)/assets?filename=a.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\(bearer)Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
        #expect(try Self.raw(server.port, upload, body: Data("\u{89}PNG half".utf8)).hasPrefix("HTTP/1.1 400"))
        let json = "POST /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n\(bearer)Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        #expect(try Self.raw(server.port, json, body: Data(#"{"name": "x"}"#.utf8)).hasPrefix("HTTP/1.1 400"))
        #expect(try await server.get("/api/v1/projects/\(project)/assets").json["data"].array.isEmpty)
        #expect(try await server.get("/api/v1/projects").json["data"].array.count == 1)
        #expect(try await server.stop(SIGTERM))
    }

    @Test("a render that was running each time the process died is failed after CUTROOM_RENDER_ATTEMPTS starts", .tags(.slow))
    func crashLoopEnds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-crashloop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["CUTROOM_RENDER_ATTEMPTS": "2", "CUTROOM_RENDER_CONCURRENCY": "1"]
        var server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: environment)
        try await server.start()
        let project = try #require(try await server.send("POST", "/api/v1/projects", json: #"{"name": "p"}"#).json["data"]["id"].string)
        let asset = try await server.upload(try QueueDurabilityTests.clip(), project: project)
        let document = sequenceDocument([asset, asset], seconds: 10, width: 1280, height: 720, fps: 25)
        let id = try #require(try await server.send("POST", "/api/v1/renders", json: #"{"timeline": \#(document)}"#).json["data"]["id"].string)
        // Killed mid-render on each of its two starts, as a render that crashes the process would be.
        for attempt in 1...2 {
            _ = try await server.waitForRender(id) { $0["status"].string == "rendering" && ($0["frame"].int ?? 0) > 5 }
            #expect(try await server.stop(SIGKILL), "attempt \(attempt)")
            server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: environment)
            try await server.start()
        }
        let render = try await server.get("/api/v1/renders/\(id)").json["data"]
        #expect(render["status"].string == "failed")
        #expect(render["attempts"].int == 2)
        #expect(render["error"].string?.contains("2 times") == true, "\(render["error"].string ?? "")")
        // And it stays failed: the next start does not take it up again.
        #expect(try await server.stop(SIGTERM))
        server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: environment)
        try await server.start()
        #expect(try await server.get("/api/v1/renders/\(id)").json["data"]["status"].string == "failed")
        #expect(try await server.stop(SIGTERM))
    }
}

extension HostileInputTests {
    @Test("a small PNG declaring a huge picture is refused from its header, before it is decoded")
    func pictureSizeLimit() async throws {
        // 9000×9000 grey compresses to ~80 KB and declares 81 Mpx, over the default 8192×8192.
        let huge = try Fixtures.make("huge-9000.png", ["-f", "lavfi", "-i", "color=c=black:s=9000x9000", "-frames:v", "1", "-pix_fmt", "gray"])
        #expect(try Data(contentsOf: huge).count < 1_000_000)
        let fine = try Fixtures.make("fine-1000.png", ["-f", "lavfi", "-i", "color=c=black:s=1000x1000", "-frames:v", "1", "-pix_fmt", "gray"])
        let server = try TestServer()
        try await server.run { client in
            let project = try await client.createProject()
            let (status, body) = try await client.upload(huge, to: project)
            #expect(status == .unsupportedMediaType)
            #expect(body["error"]["details"][0]["message"].string?.contains("9000×9000 (81 Mpx)") == true, "\(body)")
            #expect(try await server.blobs().isEmpty)
            let (accepted, _) = try await client.upload(fine, to: project)
            #expect(accepted == .created)
        }
        // A lower configured limit applies too.
        let strict = try TestServer(environment: ["CUTROOM_MAX_PICTURE_PIXELS": "500000"])
        try await strict.run { client in
            let project = try await client.createProject()
            let (status, _) = try await client.upload(fine, to: project)
            #expect(status == .unsupportedMediaType)
        }
    }
}

extension HostileInputTests {
    /// A connected socket to 127.0.0.1:`port`.
    static func connectSocket(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { close(fd); throw CommandFailure(message: "connect failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// True when the server closed `fd` (a read returns end of file) within the socket's 10 s timeout.
    static func closedByServer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    @Test("a request head trickled slower than CUTROOM_HEADER_TIMEOUT is cut off; a flood from one address is capped", .tags(.slow))
    func slowHeadsAndFloods() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-loris-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"),
                                    environment: ["CUTROOM_HEADER_TIMEOUT": "1", "CUTROOM_MAX_CONNECTIONS_PER_IP": "4"])
        try await server.start()
        // Half a head, then nothing: closed after about a second.
        let slow = try Self.connectSocket(server.port)
        _ = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n".withCString { send(slow, $0, strlen($0), 0) }
        #expect(Self.closedByServer(slow))
        close(slow)
        // Four idle connections from one address are the cap; a fifth is closed at once.
        var held: [Int32] = []
        for _ in 0..<4 {
            let fd = try Self.connectSocket(server.port)
            _ = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".withCString { send(fd, $0, strlen($0), 0) }
            held.append(fd)
        }
        try await Task.sleep(for: .milliseconds(300))
        let fifth = try Self.connectSocket(server.port)
        #expect(Self.closedByServer(fifth))
        close(fifth)
        for fd in held { close(fd) }
        try await Task.sleep(for: .milliseconds(300))
        // Once they are gone, requests are served again.
        #expect(try await server.get("/api/v1/health").status == 200)
        #expect(try await server.stop(SIGTERM))
    }
}

extension HostileInputTests {
    @Test("the browser boundary: foreign Host refused, cross-site writes refused, security headers and the request id on every response", .tags(.slow))
    func browserBoundary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-boundary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"))
        try await server.start()
        let own = "http://127.0.0.1:\(server.port)"

        // DNS rebinding: another name for 127.0.0.1 is not this server.
        let rebound = try await server.get("/api/v1/projects", headers: [("Host", "attacker.example")])
        #expect(rebound.status == 421)
        #expect(rebound.json["error"]["code"].string == "WRONG_HOST")
        #expect(try await server.get("/api/v1/health", headers: [("Host", "localhost:\(server.port)")]).status == 200)

        // A page of another site may not write, whatever it sends.
        for headers in [[("Origin", "https://evil.example")], [("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")], [("Origin", "null")]] {
            let reply = try await server.send("POST", "/api/v1/projects", json: #"{"name": "forged"}"#, headers: headers)
            #expect(reply.status == 403, "\(headers)")
            #expect(reply.json["error"]["code"].string == "CROSS_SITE")
        }
        // A JSON endpoint takes JSON only: a form or text/plain is what another site can send unasked.
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let reply = try await server.send("POST", "/api/v1/projects", body: ByteBuffer(string: #"{"name": "forged"}"#), headers: [("Content-Type", type)])
            #expect(reply.status == 415, "\(type)")
        }
        #expect(try await server.get("/api/v1/projects").json["pagination"]["total"].int == 0, "nothing was created")
        // The server's own pages, and clients that are not browsers, may.
        for headers in [[("Origin", own), ("Sec-Fetch-Site", "same-origin")], [("Origin", own)], []] {
            #expect(try await server.send("POST", "/api/v1/projects", json: #"{"name": "mine"}"#, headers: headers).status == 201, "\(headers)")
        }

        for path in ["/api/v1/health", "/api/v1/nope", "/"] {
            let reply = try await server.get(path)
            let csp = try #require(reply.header("Content-Security-Policy"), "\(path)")
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval") && csp.contains("frame-ancestors 'none'"))
            #expect(reply.header("X-Content-Type-Options") == "nosniff")
            #expect(reply.header("X-Frame-Options") == "DENY")
            #expect(reply.header("Referrer-Policy") == "same-origin")
            #expect(reply.header("X-Request-Id")?.isEmpty == false)
        }
        let missing = try await server.get("/api/v1/nope")
        #expect(missing.header("X-Request-Id") == missing.json["meta"]["requestId"].string)
        #expect(try await server.stop(SIGTERM))
    }
}

extension HostileInputTests {
    @Test("/timelines/validate lists reading problems and source checks in one answer")
    func validateEverythingAtOnce() async throws {
        let server = try TestServer()
        try await server.run { client in
            let document = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 2, "colour": "red"}, {"id": "b", "asset": {"type": "color", "color": "#00FF00"}, "start": 1, "length": 2}]}]}"##
            let (status, body, _) = try await client.json(.post, "/api/v1/timelines/validate", document)
            #expect(status == .unprocessableContent)
            let details = body["error"]["details"].array
            #expect(details.contains { $0["path"].string == "/tracks/0/clips/0/colour" }, "\(details)")
            #expect(details.contains { ($0["message"].string ?? "").contains("overlap") }, "\(details)")
        }
    }
}

extension HostileInputTests {
    @Test("deleting a project while its render runs stops the render and leaves no file behind", .tags(.slow))
    func deleteProjectStopsItsRenders() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-delete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try LiveServer(storage: directory.appendingPathComponent("storage"), environment: ["CUTROOM_RENDER_CONCURRENCY": "1"])
        try await server.start()
        let project = try #require(try await server.send("POST", "/api/v1/projects", json: #"{"name": "p"}"#).json["data"]["id"].string)
        let asset = try await server.upload(try QueueDurabilityTests.clip(), project: project)
        let document = sequenceDocument([asset, asset], seconds: 10, width: 1280, height: 720, fps: 25)
        var ids: [String] = []
        for _ in 0..<2 {
            ids.append(try #require(try await server.send("POST", "/api/v1/renders", json: #"{"timeline": \#(document), "projectId": "\#(project)"}"#).json["data"]["id"].string))
        }
        _ = try await server.waitForRender(ids[0]) { $0["status"].string == "rendering" && ($0["frame"].int ?? 0) > 5 }
        #expect(try await server.send("DELETE", "/api/v1/projects/\(project)").status == 204)
        // Nothing runs any more (a render not stopped would run on, then store its output).
        let health = try await server.get("/api/v1/health").json["data"]["queue"]
        #expect(health["running"].int == 0 && health["depth"].int == 0, "\(health.value)")
        for id in ids { #expect(try await server.get("/api/v1/renders/\(id)").status == 404) }
        let users = server.storage.appendingPathComponent("users")
        let left = FileManager.default.enumerator(atPath: users.path)?.allObjects.compactMap { $0 as? String }.filter { !$0.hasSuffix("/") } ?? []
        #expect(left.filter { $0.contains("renders/") || $0.contains("assets/") }.allSatisfy { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: users.appendingPathComponent(path).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }, "files left: \(left)")
        #expect(try await server.stop(SIGTERM))
    }
}
