import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

#if canImport(Glibc)
import Glibc
#endif

/// A segment render nobody waits for any more is cancelled (the player dropped its request) and
/// leaves nothing in the cache; one still wanted by another request goes on.
@Suite("Playback segments: abandoned renders")
struct PlaybackSegmentCancelTests {
    static let metricsToken = "segment-metrics-token-0123456789"

    /// A slow segment: 4K at 60 fps, two blurred colour layers and a title, asked at full width.
    static let slowDocument = """
        {"version": 1, "output": {"width": 3840, "height": 2160, "fps": 60}, "background": "#000000",
         "tracks": [{"id": "a", "clips": [{"id": "a1", "asset": {"type": "color", "color": "#3050D0"}, "start": 0, "length": 4, "effects": [{"type": "blur", "amount": 40}]}]},
                    {"id": "b", "clips": [{"id": "b1", "asset": {"type": "color", "color": "#D05030"}, "start": 0, "length": 4, "fit": "fill", "scale": 0.5, "opacity": 0.6, "effects": [{"type": "blur", "amount": 30}]}]},
                    {"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "SLOW", "font": {"size": 300}}, "start": 0, "length": 4}]}]}
        """

    /// A request on its own connection, answered (or dropped) with the socket's lifetime.
    final class RawRequest: @unchecked Sendable {
        // Used by one test task at a time.
        let fd: Int32

        init(port: Int, path: String, token: String, body: String) throws {
            fd = try HostileInputTests.connectSocket(port)
            let head = "POST \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            let bytes = Data((head + body).utf8)
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent == bytes.count else { Glibc.close(fd); throw CommandFailure(message: "send failed") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        /// Hangs up (what a browser does when a fetch is aborted).
        func close() { Glibc.close(fd) }

        /// Status and body of the answer, read until the server closes (polling: no thread blocks).
        func response(within limit: Duration = .seconds(600)) async throws -> (status: Int, body: Data) {
            var reply = Data()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { reply.append(contentsOf: buffer[0..<n]); continue }
                if n == 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            close()
            guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else { return (0, Data()) }
            let head = String(decoding: reply[..<split.lowerBound], as: UTF8.self)
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, Data(reply[split.upperBound...]))
        }
    }

    static func body(_ document: String, width: Int) -> String {
        #"{"document": \#(document), "index": 0, "width": \#(width)}"#
    }

    /// `cutroom_preview_segments_total{outcome=…}` now (0 when not counted yet).
    static func segments(_ client: SignedInClient, _ outcome: String) async throws -> Int {
        let text = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(metricsToken)"]) { String(buffer: $0.body) }
        let line = text.split(separator: "\n").first { $0.hasPrefix("cutroom_preview_segments_total{outcome=\"\(outcome)\"}") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    /// Polls `condition` every 100 ms for up to `limit` (state, not a timing: the bound only ends a hung test).
    static func eventually(_ limit: Duration = .seconds(300), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func previewFiles(_ server: TestServer) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: server.storage.appendingPathComponent(".previews").path)) ?? []
    }

    @Test("a client that hangs up cancels the render it alone waited for: counted cancelled, no file left, the lane free", .tags(.slow))
    func abandonedRenderStops() async throws {
        let server = try TestServer(environment: ["CUTROOM_METRICS_TOKEN": Self.metricsToken])
        try await server.run(.live) { client in
            let port = try #require(client.port)
            let token = try #require(client.token)
            let request = try RawRequest(port: port, path: "/api/v1/timelines/segments", token: token, body: Self.body(Self.slowDocument, width: 3840))
            // The render has started once its partial file is there.
            #expect(try await Self.eventually { Self.previewFiles(server).contains { $0.hasSuffix(".partial") } })
            request.close()
            #expect(try await Self.eventually { try await Self.segments(client, "cancelled") == 1 })
            #expect(try await Self.segments(client, "done") == 0)
            // Nothing half-written stays, and nothing is cached under the segment's name.
            #expect(try await Self.eventually { Self.previewFiles(server).isEmpty }, "\(Self.previewFiles(server))")

            // The lane is free: a small segment renders, and the slow one asked again renders afresh (a miss).
            let small = #"{"version": 1, "output": {"width": 320, "height": 180}, "tracks": [{"id": "t", "clips": [{"id": "t1", "asset": {"type": "text", "text": "Hi"}, "start": 0, "length": 1}]}]}"#
            let status = try await client.execute(uri: "/api/v1/timelines/segments", method: .post, body: ByteBuffer(string: Self.body(small, width: 320))) { $0.status }
            #expect(status == .ok)
            #expect(try await Self.segments(client, "done") == 1)
        }
    }

    @Test("two requests for one segment, one hangs up: the other still gets the whole segment from the one render", .tags(.slow))
    func stillWantedRenderGoesOn() async throws {
        let server = try TestServer(environment: ["CUTROOM_METRICS_TOKEN": Self.metricsToken])
        try await server.run(.live) { client in
            let port = try #require(client.port)
            let token = try #require(client.token)
            // A smaller segment than above (2K), still seconds of work.
            let document = Self.slowDocument.replacingOccurrences(of: #""fps": 60"#, with: #""fps": 30"#)
            let leaving = try RawRequest(port: port, path: "/api/v1/timelines/segments", token: token, body: Self.body(document, width: 1920))
            #expect(try await Self.eventually { Self.previewFiles(server).contains { $0.hasSuffix(".partial") } })
            let staying = try RawRequest(port: port, path: "/api/v1/timelines/segments", token: token, body: Self.body(document, width: 1920))
            // The second request joins the render in milliseconds (no render of its own starts: one partial file).
            try await Task.sleep(for: .seconds(2))
            #expect(Self.previewFiles(server).filter { $0.hasSuffix(".partial") }.count == 1)
            leaving.close()
            let (status, body) = try await staying.response()
            #expect(status == 200)
            #expect(try await Self.segments(client, "cancelled") == 0)
            #expect(try await Self.segments(client, "done") == 1)
            let file = Fixtures.directory.appendingPathComponent("\(UUID().uuidString)-kept.mp4")
            defer { try? FileManager.default.removeItem(at: file) }
            try body.write(to: file)
            #expect(try PlaybackSegmentAPITests.errors("/usr/bin/ffmpeg", ["-v", "error", "-i", file.path, "-f", "null", "-"]) == "")
            #expect(try Fixtures.probe(file).frames == 60)
            // Cached whole: the same request is now a hit.
            let cached = try await client.execute(uri: "/api/v1/timelines/segments", method: .post, body: ByteBuffer(string: Self.body(document, width: 1920))) {
                $0.headers[SegmentController.cacheField]
            }
            #expect(cached == "hit")
            #expect(!Self.previewFiles(server).contains { $0.hasSuffix(".partial") })
        }
    }
}
