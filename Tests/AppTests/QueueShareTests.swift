import Foundation
import HTTPTypes
import Testing

@testable import App

/// One user's share of the render queue, and the fair order between users.
@Suite("Queue shares and fair order")
struct QueueShareTests {
    /// A title held for `seconds` at 1080p30: no asset needed, and long enough to keep the one
    /// render slot busy while the test submits the rest (`seconds / 3600` hours of work).
    static func holdDocument(seconds: Double) -> String {
        #"{"version": 1, "output": {"width": 1920, "height": 1080, "fps": 30}, "tracks": [{"id": "main", "clips": [{"id": "t", "asset": {"type": "text", "text": "hold"}, "start": 0, "length": \#(seconds)}]}]}"#
    }

    static func submit(_ client: SignedInClient, seconds: Double = 600) async throws -> (HTTPResponse.Status, JSON) {
        let (status, body, _) = try await client.json(.post, "/api/v1/renders", #"{"timeline": \#(holdDocument(seconds: seconds))}"#)
        return (status, body)
    }

    static func cancelAll(_ clients: [SignedInClient], _ ids: [String]) async throws {
        for id in ids {
            for client in clients { _ = try await client.json(.delete, "/api/v1/renders/\(id)") }
        }
    }

    @Test func oneUserCannotHoldMoreThanItsShareOfRenders() async throws {
        try await TestServer(environment: ["CUTROOM_RENDER_CONCURRENCY": "1", "CUTROOM_USER_QUEUE_RENDERS": "2"]).run { owner in
            var ids: [String] = []
            for _ in 0..<2 {
                let (status, body) = try await Self.submit(owner)
                #expect(status == .accepted)
                ids.append(try #require(body["data"]["id"].string))
            }
            let (refused, error) = try await Self.submit(owner)
            #expect(refused == .tooManyRequests)
            #expect(error["error"]["code"].string == "USER_QUEUE_FULL")
            #expect(error["error"]["message"].string?.contains("CUTROOM_USER_QUEUE_RENDERS") == true)
            let (_, list, _) = try await owner.json(.get, "/api/v1/renders")
            #expect(list["pagination"]["total"].int == 2, "a refused render stores nothing")

            // Someone else's share is their own.
            let (_, other) = try await owner.newUser()
            let (otherStatus, otherBody) = try await Self.submit(other)
            #expect(otherStatus == .accepted)
            ids.append(try #require(otherBody["data"]["id"].string))

            // A cancelled render gives its place back.
            _ = try await owner.json(.delete, "/api/v1/renders/\(ids[1])")
            let (again, againBody) = try await Self.submit(owner)
            #expect(again == .accepted)
            ids.append(try #require(againBody["data"]["id"].string))
            try await Self.cancelAll([owner, other], ids)
        }
    }

    @Test func oneUserCannotQueueMoreThanItsHoursOfWork() async throws {
        // 2,400 s of 1080p30 is 0.67 hours of work: one fits in a 1-hour share, two do not.
        try await TestServer(environment: ["CUTROOM_RENDER_CONCURRENCY": "1", "CUTROOM_USER_QUEUE_HOURS": "1"]).run { owner in
            let (first, body) = try await Self.submit(owner, seconds: 2400)
            #expect(first == .accepted)
            let id = try #require(body["data"]["id"].string)
            let (second, error) = try await Self.submit(owner, seconds: 2400)
            #expect(second == .tooManyRequests)
            #expect(error["error"]["code"].string == "USER_QUEUE_FULL")
            #expect(error["error"]["message"].string?.contains("CUTROOM_USER_QUEUE_HOURS") == true)
            let (small, smallBody) = try await Self.submit(owner, seconds: 60)
            #expect(small == .accepted, "a render that still fits the share is taken")
            try await Self.cancelAll([owner], [id, try #require(smallBody["data"]["id"].string)])
        }
    }

    @Test func anotherUsersSingleRenderWaitsBehindOneRenderNotBehindAList() async throws {
        try await TestServer(environment: ["CUTROOM_RENDER_CONCURRENCY": "1"]).run { owner in
            var ownerIds: [String] = []
            for _ in 0..<5 {
                let (status, body) = try await Self.submit(owner)
                #expect(status == .accepted)
                ownerIds.append(try #require(body["data"]["id"].string))
            }
            // The first runs; four wait in the order they came.
            let (_, other) = try await owner.newUser()
            let (status, body) = try await Self.submit(other)
            #expect(status == .accepted)
            let otherId = try #require(body["data"]["id"].string)
            #expect(body["data"]["queuePosition"].int == 1, "the other user's first render goes ahead of the owner's waiting list")

            var positions: [Int] = []
            for id in ownerIds.dropFirst() {
                let (_, render, _) = try await owner.json(.get, "/api/v1/renders/\(id)")
                positions.append(render["data"]["queuePosition"].int ?? -1)
            }
            #expect(positions == [2, 3, 4, 5], "the owner's waiting renders moved back by one, keeping their order")

            // The other user's second render takes turns with the owner's, not the end of the line.
            let (_, second, _) = try await other.json(.post, "/api/v1/renders", #"{"timeline": \#(Self.holdDocument(seconds: 600))}"#)
            #expect(second["data"]["queuePosition"].int == 3)
            try await Self.cancelAll([owner, other], ownerIds + [otherId, try #require(second["data"]["id"].string)])
        }
    }
}
