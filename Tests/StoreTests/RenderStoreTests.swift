import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct RenderStoreTests {
    @Test(arguments: DatabaseKind.allCases)
    func insertAssignsSubmissionOrderAndChecksOwnership(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        let timeline = try await database.createTimeline(projectId: project.id, userId: "ann", name: "T", document: "{}")

        var submitted = sampleRender(userId: "ann", projectId: project.id, timelineId: timeline.id)
        submitted.queueSeq = 99
        let first = try await database.insertRender(submitted)
        let second = try await database.insertRender(sampleRender(userId: "ann"))
        let third = try await database.insertRender(sampleRender(userId: "bob"))
        #expect([first.queueSeq, second.queueSeq, third.queueSeq] == [1, 2, 3])
        #expect(first.status == .queued && first.stage == .queued && first.progress == 0 && first.attempts == 0)
        #expect(first.createdAt == first.updatedAt)
        #expect(try await database.render(id: first.id) == first)

        await #expect(throws: StoreError.notFound("project")) {
            try await database.insertRender(sampleRender(userId: "bob", projectId: project.id))
        }
        await #expect(throws: StoreError.notFound("timeline")) {
            try await database.insertRender(sampleRender(userId: "bob", timelineId: timeline.id))
        }
        #expect(try database.rowCount("render") == 3)
    }

    @Test(arguments: DatabaseKind.allCases)
    func rendersAreReadPerOwnerAndFiltered(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        let a = try await database.insertRender(sampleRender(userId: "ann", projectId: project.id))
        let b = try await database.insertRender(sampleRender(userId: "ann"))
        let c = try await database.insertRender(sampleRender(userId: "ann", projectId: project.id))
        let bobs = try await database.insertRender(sampleRender(userId: "bob"))
        let failedC = try #require(try await database.updateRender(id: c.id) {
            $0.status = .failed
            $0.error = "boom"
        })

        #expect(try await database.render(id: a.id, userId: "ann") == a)
        #expect(try await database.render(id: a.id, userId: "bob") == nil)
        #expect(try await database.render(id: bobs.id, userId: "bob") == bobs)
        #expect(try await database.render(id: "missing") == nil)

        let all = try await database.renders(userId: "ann", projectId: nil, status: nil, page: 1, limit: 50)
        #expect(all.items == [failedC, b, a])
        #expect(try await database.renders(userId: "ann", projectId: project.id, status: nil, page: 1, limit: 50).items == [failedC, a])
        #expect(try await database.renders(userId: "ann", projectId: nil, status: .queued, page: 1, limit: 50).items == [b, a])
        #expect(try await database.renders(userId: "ann", projectId: project.id, status: .failed, page: 1, limit: 50).items == [failedC])
        let paged = try await database.renders(userId: "ann", projectId: nil, status: nil, page: 2, limit: 2)
        #expect(paged.items == [a] && paged.total == 3 && paged.totalPages == 2)

        #expect(try await database.queuedRenders() == [a, b, bobs])
        #expect(try await database.countRenders(status: .queued) == 3)
        #expect(try await database.countRenders(status: .failed) == 1)
        #expect(try await database.countRenders(status: .rendering) == 0)
        #expect(try await database.queuePosition(of: a) == 1)
        #expect(try await database.queuePosition(of: bobs) == 3)
        #expect(try await database.queuePosition(of: failedC) == nil)
    }

    @Test(arguments: DatabaseKind.allCases)
    func updateRenderChangesOneRowAndStampsIt(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let render = try await database.insertRender(sampleRender(userId: "ann"))
        try await Task.sleep(for: .milliseconds(10))
        let started = Date()
        let updated = try #require(try await database.updateRender(id: render.id) {
            $0.status = .rendering
            $0.stage = .rendering
            $0.progress = 0.25
            $0.frame = 60
            $0.totalFrames = 240
            $0.fps = 48.5
            $0.attempts += 1
            $0.startedAt = started
            // Identity and queue order are not the closure's to change.
            $0.id = "hijacked"
            $0.userId = "mallory"
            $0.queueSeq = 1_000
        })
        #expect(updated.id == render.id && updated.userId == "ann" && updated.queueSeq == render.queueSeq)
        #expect(updated.updatedAt > render.updatedAt)
        #expect(updated.createdAt == render.createdAt)
        let fetched = try #require(try await database.render(id: render.id))
        #expect(fetched.status == .rendering && fetched.stage == .rendering)
        #expect(fetched.progress == 0.25 && fetched.frame == 60 && fetched.totalFrames == 240 && fetched.fps == 48.5)
        #expect(fetched.attempts == 1)
        #expect(abs((fetched.startedAt ?? .distantPast).timeIntervalSince(started)) < 0.002)
        #expect(fetched.updatedAt == updated.updatedAt)
        #expect(try await database.render(id: "hijacked") == nil)
        #expect(try await database.updateRender(id: "missing") { $0.progress = 1 } == nil)
    }

    @Test func twentyConcurrentInsertsThroughThePoolGetDistinctOrderedSequenceNumbers() async throws {
        let test = try TestDatabase(.file)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let inserted = try await withThrowingTaskGroup(of: RenderRecord.self) { group in
            for _ in 0..<20 {
                group.addTask { try await database.insertRender(sampleRender(userId: "ann")) }
            }
            // Readers run alongside the writers, as in the server.
            for _ in 0..<20 {
                group.addTask {
                    _ = try await database.queuedRenders()
                    return sampleRender(userId: "reader")
                }
            }
            return try await group.reduce(into: [RenderRecord]()) { $0.append($1) }
        }.filter { $0.userId == "ann" }
        #expect(inserted.map(\.queueSeq).sorted() == Array(1...20))
        let queued = try await database.queuedRenders()
        #expect(queued.map(\.queueSeq) == Array(1...20))
        #expect(Set(queued.map(\.id)) == Set(inserted.map(\.id)))
        // Submission order agrees with the clock: a later sequence number never has an earlier time.
        for (earlier, later) in zip(queued, queued.dropFirst()) {
            #expect(earlier.createdAt <= later.createdAt)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func recoveryRequeuesInterruptedRendersInOrder(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let queuedFirst = try await database.insertRender(sampleRender(userId: "ann"))
        let interrupted = try await database.insertRender(sampleRender(userId: "ann"))
        let completed = try await database.insertRender(sampleRender(userId: "ann"))
        let queuedLast = try await database.insertRender(sampleRender(userId: "ann"))
        _ = try await database.updateRender(id: interrupted.id) {
            $0.status = .rendering
            $0.stage = .finalizing
            $0.progress = 0.9
            $0.frame = 200
            $0.attempts = 2
            $0.startedAt = Date()
        }
        let done = try #require(try await database.updateRender(id: completed.id) {
            $0.status = .completed
            $0.stage = .done
            $0.progress = 1
            $0.outputKey = "users/ann/renders/\(completed.id)/output.mp4"
            $0.outputSize = 1234
            $0.completedAt = Date()
        })

        let recovered = try await database.recoverInterruptedRenders().queued
        #expect(recovered.map(\.id) == [queuedFirst.id, interrupted.id, queuedLast.id])
        let requeued = try #require(recovered.first { $0.id == interrupted.id })
        #expect(requeued.status == .queued && requeued.stage == .queued)
        #expect(requeued.progress == 0 && requeued.frame == nil && requeued.startedAt == nil)
        #expect(requeued.attempts == 2)
        #expect(try await database.render(id: interrupted.id) == requeued)
        #expect(try await database.render(id: completed.id) == done)
        #expect(try await database.countRenders(status: .rendering) == 0)
        // Running it again changes nothing.
        #expect(try await database.recoverInterruptedRenders().queued == recovered)
    }

    @Test(arguments: DatabaseKind.allCases)
    func aRenderRunningWhenTheProcessDiedOnItsLastAttemptIsFailedNotQueued(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        func running(attempts: Int) async throws -> RenderRecord {
            let render = try await database.insertRender(sampleRender(userId: "ann"))
            return try #require(try await database.updateRender(id: render.id) {
                $0.status = .rendering
                $0.stage = .rendering
                $0.attempts = attempts
                $0.startedAt = Date()
            })
        }
        let second = try await running(attempts: 2)
        let third = try await running(attempts: 3)
        let recovery = try await database.recoverInterruptedRenders(maxAttempts: 3)
        #expect(recovery.queued.map(\.id) == [second.id])
        #expect(recovery.failed.map(\.id) == [third.id])
        let failed = try #require(try await database.render(id: third.id))
        #expect(failed.status == .failed && failed.stage == .done && failed.completedAt != nil)
        #expect(failed.error?.contains("3 times") == true)
        #expect(failed.attempts == 3)
        // Nothing is left running, and a second start changes nothing.
        #expect(try await database.countRenders(status: .rendering) == 0)
        #expect(try await database.recoverInterruptedRenders(maxAttempts: 3).failed.isEmpty)
    }

    @Test func statusKnowsWhichStatesAreFinal() {
        #expect(RenderRecord.Status.allCases.filter(\.isTerminal) == [.completed, .failed, .cancelled])
    }
}
