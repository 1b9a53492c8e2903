import Foundation
import Store
import Testing

@testable import App

/// The event fan-out on its own: a subscriber that stops reading loses no state change and
/// collects no unbounded backlog.
@Suite("Render events fan-out")
struct RenderEventsTests {
    @Test func aSlowSubscriberGetsEveryStateChangeAndABoundedBacklog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        let user = try await database.ensureLocalUser()
        let ids = ["render-a", "render-b"]
        for id in ids {
            _ = try await database.insertRender(RenderRecord(id: id, userId: user.id, format: "mp4", document: "{}"))
        }
        let events = try await RenderEvents(database: database)
        let all = await events.subscribe(renderId: nil, userId: user.id)

        // Two renders run to the end while the subscriber reads nothing.
        for id in ids {
            try await events.record(id, .started) { $0.status = .rendering }
            for frame in 1...500 {
                try await events.record(id, .progress) { $0.frame = frame; $0.totalFrames = 500 }
            }
            try await events.record(id, .completed) { $0.status = .completed; $0.progress = 1 }
        }
        #expect(all.backlog.value <= RenderEvents.progressBacklog + 4)

        var received: [RenderEvent] = []
        for await message in all.stream {
            all.backlog.taken()
            if case .event(let event) = message { received.append(event) }
            if received.filter(\.isTerminal).count == ids.count { break }
        }
        for id in ids {
            let kinds = received.filter { $0.snapshot.id == id }.map(\.kind)
            #expect(kinds.first == .started && kinds.last == .completed, "\(id): \(kinds)")
        }
        #expect(received.count <= RenderEvents.progressBacklog + 4)
        #expect(received.map(\.id) == received.map(\.id).sorted())
        #expect(all.backlog.value == 0)
    }
}
