import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

@Suite("Batches API")
struct BatchAPITests {
    @Test func aBadRowRefusesTheWholeBatchListingEveryProblem() async throws {
        try await TestServer().run { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let rows = ##"[{"TITLE": "a"}, {"TITLE": "b", "SIZE": "big"}, {"TITLE": "c"}, {"INK": "#GGGGGG"}]"##
            let (status, error, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": \#(rows)}"#)
            #expect(status == .unprocessableContent)
            let paths = Set(error["error"]["details"].array.compactMap { $0["path"].string })
            #expect(paths == ["/rows/1/SIZE", "/rows/3/TITLE", "/rows/3/INK"])
            // The same from a CSV, and a row with the wrong number of cells.
            let csv = "TITLE,SIZE\r\na,40\r\nb,big\r\nc\r\n"
            let (csvStatus, csvError) = try await client.execute(uri: "/api/v1/templates/\(id)/renders", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { response in
                (response.status, try JSON(response.body))
            }
            #expect(csvStatus == .unprocessableContent)
            // The short row's cells are checked as well: one 422 with everything.
            #expect(csvError["error"]["details"].array.map { $0["path"].string } == ["/rows/1/SIZE", "/rows/2"])
            let (valueStatus, valueError) = try await client.execute(uri: "/api/v1/templates/\(id)/renders", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "TITLE,SIZE\na,40\nb,big\n")) { response in
                (response.status, try JSON(response.body))
            }
            #expect(valueStatus == .unprocessableContent)
            #expect(valueError["error"]["details"].array.map { $0["path"].string } == ["/rows/1/SIZE"])
            #expect(try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": []}"#).0 == .unprocessableContent)
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)
            // A dry run of good rows answers their number and queues nothing.
            let (dry, dryBody, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}], "dryRun": true}"#)
            #expect(dry == .ok && dryBody["data"]["rows"].int == 2)
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)
        }
    }

    @Test("one 422 lists every bad row and field: a short CSV row's cells, a long row's extra cells, bad values elsewhere")
    func everyBadRowAndFieldInOneRefusal() async throws {
        try await TestServer().run { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let csv = "TITLE,SIZE,INK\nok,40,#FFFFFF\n,big\nc,40,#FFFFFF,extra,x\nd,500x,white\ne,41,#000000\n"
            let (status, error) = try await client.execute(uri: "/api/v1/templates/\(id)/renders", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { response in
                (response.status, try JSON(response.body))
            }
            #expect(status == .unprocessableContent)
            let details = error["error"]["details"].array
            #expect(details.map { $0["path"].string } == ["/rows/1", "/rows/1/TITLE", "/rows/1/SIZE", "/rows/2", "/rows/3/SIZE", "/rows/3/INK"], "\(error.value)")
            #expect(details[0]["message"].string?.contains("line 3 has 2 values") == true && details[0]["message"].string?.contains("INK") == true)
            #expect(details[1]["message"].string == "is required")
            #expect(details[3]["message"].string?.contains("cell 4 'extra', cell 5 'x'") == true, "\(details[3].value)")
            #expect(error["error"]["message"].string?.contains("6 problems") == true)

            // JSON rows alike: a row that is no object and values of the wrong type do not hide the rest.
            let rows = #"{"rows": [{"TITLE": "a"}, 5, {"TITLE": true, "SIZE": "big"}, {"TITLE": "d", "SIZE": 1e999, "INK": "white"}, {"TITLE": "e", "SIZE": 12}]}"#
            let (jsonStatus, jsonError, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", rows)
            #expect(jsonStatus == .unprocessableContent)
            #expect(jsonError["error"]["details"].array.map { $0["path"].string } == ["/rows/1", "/rows/1/TITLE", "/rows/2/TITLE", "/rows/2/SIZE", "/rows/3/SIZE", "/rows/3/INK"], "\(jsonError.value)")
            #expect(try await client.json(.get, "/api/v1/renders").1["pagination"]["total"].int == 0)
            #expect(try await client.json(.get, "/api/v1/batches").1["pagination"]["total"].int == 0)
        }
    }

    @Test func batchRowsAreLimited() async throws {
        try await TestServer(environment: ["CUTROOM_BATCH_MAX_ROWS": "3"]).run { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let (status, error, _) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": [{"TITLE": "a"}, {"TITLE": "b"}, {"TITLE": "c"}, {"TITLE": "d"}]}"#)
            #expect(status == .unprocessableContent)
            #expect(error["error"]["details"][0]["path"].string == "/rows")
        }
    }

    /// A 1,000-row batch takes one place in a queue of 100 and a share of 50, and another user's
    /// single render submitted during it starts before the batch's second render.
    @Test(.tags(.slow)) func aLargeBatchIsAcceptedAndDoesNotHoldBackAnotherUsersRender() async throws {
        try await TestServer(environment: ["CUTROOM_QUEUE_CAPACITY": "100", "CUTROOM_USER_QUEUE_RENDERS": "50"]).run(.live) { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate(seconds: 2))}"#).1["data"]["id"].string)
            let rows = (0..<1000).map { #"{"TITLE": "Row \#($0)"}"# }.joined(separator: ",")
            let (accepted, batch, headers) = try await client.json(.post, "/api/v1/templates/\(id)/renders", #"{"rows": [\#(rows)]}"#)
            #expect(accepted == .accepted)
            let batchId = try #require(batch["data"]["id"].string)
            #expect(headers[.location] == "/api/v1/batches/\(batchId)")
            #expect(batch["data"]["total"].int == 1000)

            let (_, other) = try await client.newUser()
            let single = #"{"timeline": \#(titleCard("Mine"))}"#
            let (submitted, render, _) = try await other.json(.post, "/api/v1/renders", single)
            #expect(submitted == .accepted)
            let renderId = try #require(render["data"]["id"].string)
            var started: String?
            for _ in 0..<1200 {
                let now = try await other.json(.get, "/api/v1/renders/\(renderId)").1["data"]
                if now["status"].string == "completed" { started = now["startedAt"].string; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let startedAt = try #require(started)
            let (_, counts, _) = try await client.json(.get, "/api/v1/batches/\(batchId)")
            let ended = (counts["data"]["counts"]["completed"].int ?? 0) + (counts["data"]["counts"]["failed"].int ?? 0)
            #expect(ended < 10, "the single render waited for \(ended) of the batch's renders")
            // Renders of the batch that started before it: at most the one running when it came.
            let (_, mine, _) = try await client.json(.get, "/api/v1/renders?status=completed&limit=200")
            let before = mine["data"].array.filter { ($0["startedAt"].string ?? "~") < startedAt }
            #expect(before.count <= 1, "\(before.count) batch renders started before the other user's render")
            #expect(try await client.json(.post, "/api/v1/batches/\(batchId)/cancel").0 == .accepted)
            let (_, cancelled, _) = try await client.json(.get, "/api/v1/batches/\(batchId)")
            #expect((cancelled["data"]["counts"]["cancelled"].int ?? 0) > 900)
            #expect(cancelled["data"]["counts"]["queued"].int == 0)
        }
    }

    /// Two rows of a title card: events to the end, the archive named by a column and checked by
    /// Python's zipfile, and the two videos differ where the title differs and nowhere else.
    /// With S3 the outputs come through the cache, one file at a time.
    @Test(.tags(.slow), arguments: Backend.allCases) func aBatchRendersFollowsAndDownloadsAsOneZip(_ backend: Backend) async throws {
        try await TestServer.make(backend).run(.live) { client in
            let id = try #require(try await client.json(.post, "/api/v1/templates", #"{"document": \#(titleTemplate())}"#).1["data"]["id"].string)
            let csv = "\u{FEFF}_file,TITLE\r\nclip/one,I\r\nclip:one,\"WWW, WWW\"\r\n"
            let (status, batch) = try await client.execute(uri: "/api/v1/templates/\(id)/renders", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { response in
                (response.status, try JSON(response.body))
            }
            #expect(status == .accepted)
            let batchId = try #require(batch["data"]["id"].string)
            #expect(batch["data"]["total"].int == 2)

            // The test client gives up on a response silent for 20 s: let the renders end first (on a
            // loaded machine two of them can take longer), then read the stream from the start.
            _ = try await BatchLifecycleTests.finished(client, batchId)
            // From the start (Last-Event-ID 0): every event of the batch, however far it got meanwhile.
            let stream = try await client.execute(uri: "/api/v1/batches/\(batchId)/events", method: .get, headers: [.init("Last-Event-ID")!: "0"]) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                return String(buffer: response.body)
            }
            let events = SSE.parse(stream)
            let last = try JSON(ByteBuffer(string: events.last?.data ?? "{}"))
            #expect(events.last?.event == "batch")
            #expect(last["status"].string == "finished")
            #expect(last["counts"]["completed"].int == 2)
            #expect(events.filter { $0.event == "completed" }.count == 2)
            let ids = events.compactMap { Int($0.id ?? "") }
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)
            #expect(events.filter { $0.event == "batch" }.allSatisfy { $0.id == nil })
            // Resuming after the first render event replays what followed it.
            let first = try #require(events.first { $0.id != nil }?.id)
            let resumed = SSE.parse(try await client.execute(uri: "/api/v1/batches/\(batchId)/events", method: .get, headers: [.init("Last-Event-ID")!: first]) { String(buffer: $0.body) })
            #expect(resumed.compactMap { Int($0.id ?? "") }.allSatisfy { $0 > Int(first)! })
            #expect(resumed.filter { $0.event == "completed" }.count == 2)
            #expect(resumed.last?.event == "batch")

            let got = try await BatchLifecycleTests.finished(client, batchId)
            #expect(got["status"].string == "finished")
            #expect(try await client.json(.post, "/api/v1/batches/\(batchId)/cancel").0 == .conflict)
            #expect(try await client.json(.post, "/api/v1/batches/\(batchId)/retry").0 == .conflict)
            #expect(try await client.json(.get, "/api/v1/batches/\(batchId)/archive?name=NOPE").0 == .badRequest)

            let archive = try await client.execute(uri: "/api/v1/batches/\(batchId)/archive?name=_file", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/zip")
                return Data(buffer: response.body)
            }
            let directory = Self.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("batch.zip")
            try archive.write(to: file)
            let report = try ZipCheck.run(file)
            #expect(report.bad == nil)
            #expect(report.entries.map(\.name) == ["clip_one.mp4", "clip_one (2).mp4"])
            let (_, renders, _) = try await client.json(.get, "/api/v1/renders?status=completed")
            let sizes = renders["data"].array.sorted { ($0["batchIndex"].int ?? 0) < ($1["batchIndex"].int ?? 0) }.map { $0["outputSize"].int }
            #expect(report.entries.map(\.size) == sizes.compactMap { $0 })

            _ = try Fixtures.output("/usr/bin/python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", file.path, directory.path])
            let narrow = try Gray.frame(directory.appendingPathComponent("clip_one.mp4"), at: 0.5)
            let wide = try Gray.frame(directory.appendingPathComponent("clip_one (2).mp4"), at: 0.5)
            #expect(narrow.count == 320 * 240 && wide.count == narrow.count)
            // "I" and "WWW, WWW" share the middle of the title line; they differ to its sides.
            let titleRow = 120
            let sides = (20..<100).map { titleRow * 320 + $0 } + (220..<300).map { titleRow * 320 + $0 }
            let differing = sides.filter { abs(Int(narrow[$0]) - Int(wide[$0])) > 64 }.count
            #expect(differing > 10, "the titles should differ beside the middle")
            // Far from the title both are the black background.
            let corners = [0, 319, 239 * 320, 239 * 320 + 319, 10 * 320 + 10]
            #expect(corners.allSatisfy { narrow[$0] < 30 && wide[$0] < 30 })
            #expect(narrow.filter { $0 > 128 }.count < wide.filter { $0 > 128 }.count)
        }
    }

    static func scratchDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// One video frame as 8-bit grey pixels, through the ffmpeg program.
enum Gray {
    static func frame(_ file: URL, at seconds: Double) throws -> [UInt8] {
        [UInt8](try Fixtures.output("/usr/bin/ffmpeg", [
            "-v", "error", "-ss", String(seconds), "-i", file.path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ]))
    }
}
