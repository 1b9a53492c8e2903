import Foundation
import GRDB

extension AppDatabase {
    /// Queues a render: stores it with the next `queueSeq` (submission order) and `createdAt` =
    /// `updatedAt` = now, and returns it as stored. Throws `StoreError.notFound("project")` or
    /// `("timeline")` when a referenced project or timeline is not the render's user's.
    public func insertRender(_ render: RenderRecord) async throws -> RenderRecord {
        try await write { db in
            if let projectId = render.projectId,
               try Project.filter(id: projectId).owned(by: render.userId).isEmpty(db) {
                throw StoreError.notFound("project")
            }
            if let timelineId = render.timelineId,
               try TimelineRecord.filter(id: timelineId).owned(by: render.userId).isEmpty(db) {
                throw StoreError.notFound("timeline")
            }
            // A key is the user's once: already on a render (a concurrent request won) or a batch.
            if let key = render.idempotencyKey {
                let onRender = try Self.renderHoldsKey(userId: render.userId, key, db)
                let onBatch = try Self.batch(userId: render.userId, idempotencyKey: key, db) != nil
                if onRender || onBatch { throw StoreError.idempotencyKeyReused }
            }
            let last = try RenderRecord.select(max(RenderRecord.Columns.queueSeq), as: Int64.self).fetchOne(db)
            var stored = render
            stored.queueSeq = (last ?? 0) + 1
            let now = Date.databaseNow()
            stored.createdAt = now
            stored.updatedAt = now
            try stored.insert(db)
            return stored
        }
    }

    /// A render by id, whoever owns it (for the render queue).
    public func render(id: String) async throws -> RenderRecord? {
        try await read { db in try RenderRecord.fetchOne(db, id: id) }
    }

    /// One of the user's renders; nil when absent or someone else's.
    public func render(id: String, userId: String) async throws -> RenderRecord? {
        try await read { db in try RenderRecord.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// The user's renders, newest first, optionally of one project and in one status.
    public func renders(
        userId: String, projectId: String? = nil, status: RenderRecord.Status? = nil, page: Int = 1, limit: Int = 50
    ) async throws -> Page<RenderRecord> {
        var request = RenderRecord.all().owned(by: userId)
        if let projectId {
            request = request.inProject(projectId)
        }
        if let status {
            request = request.filter(status: status)
        }
        return try await self.page(request.newestFirst(), page: page, limit: limit)
    }

    /// Every queued render, in submission order.
    public func queuedRenders() async throws -> [RenderRecord] {
        try await read { db in try RenderRecord.all().filter(status: .queued).inQueueOrder().fetchAll(db) }
    }

    /// How many renders are in `status`, across all users.
    public func countRenders(status: RenderRecord.Status) async throws -> Int {
        try await read { db in try RenderRecord.all().filter(status: status).fetchCount(db) }
    }

    /// 1 for the next queued render to start, 2 for the one after it…; nil unless `render` is queued.
    public func queuePosition(of render: RenderRecord) async throws -> Int? {
        try await read { db in
            guard let current = try RenderRecord.fetchOne(db, id: render.id), current.status == .queued else {
                return nil
            }
            let ahead = try RenderRecord.all().filter(status: .queued)
                .filter { $0.queueSeq < current.queueSeq }
                .fetchCount(db)
            return ahead + 1
        }
    }

    /// Changes a render in one transaction and stamps `updatedAt`; `id`, `userId` and `queueSeq`
    /// cannot change. Nil when the render is gone.
    public func updateRender(id: String, _ update: @Sendable (inout RenderRecord) -> Void) async throws -> RenderRecord? {
        try await write { db in
            guard var render = try RenderRecord.fetchOne(db, id: id) else { return nil }
            let original = render
            update(&render)
            render.id = original.id
            render.userId = original.userId
            render.queueSeq = original.queueSeq
            render.updatedAt = .databaseNow()
            try render.updateChanges(db, from: original)
            // Read back so dates the closure set come back at the precision the database keeps.
            return try RenderRecord.fetchOne(db, id: id)
        }
    }

    /// What `recoverInterruptedRenders` did.
    public struct Recovery: Sendable {
        /// Every queued render that is not part of a batch, in submission order, ready to be queued again
        /// (a batch's queued renders are fed from the database by the queue, a few at a time).
        public var queued: [RenderRecord]
        /// Renders that were running when the process stopped for the `maxAttempts`-th time, now failed.
        public var failed: [RenderRecord]
    }

    /// Run once at start, before the queue takes work: renders left `rendering` by a stopped
    /// process go back to `queued` (stage queued, progress cleared, attempts kept), unless they
    /// had already been started `maxAttempts` times: those are failed with the reason, so a render
    /// that kills the process cannot take it down again on every start.
    public func recoverInterruptedRenders(maxAttempts: Int = .max) async throws -> Recovery {
        try await write { db in
            let now = Date.databaseNow()
            let message = "the server stopped while rendering this \(maxAttempts) times (CUTROOM_RENDER_ATTEMPTS); it is not queued again"
            var failedIds: [String] = []
            for original in try RenderRecord.all().filter(status: .rendering).fetchAll(db) {
                var render = original
                if render.attempts >= maxAttempts {
                    render.end(.failed, error: message, at: now)
                    failedIds.append(render.id)
                } else {
                    render.requeue()
                    render.startedAt = nil
                }
                render.updatedAt = now
                try render.updateChanges(db, from: original)
            }
            return Recovery(
                queued: try RenderRecord.all().filter(status: .queued).filter(RenderRecord.Columns.batchId == nil).inQueueOrder().fetchAll(db),
                failed: try RenderRecord.fetchAll(db, ids: failedIds)
            )
        }
    }
}

extension AppDatabase {
    /// The user's render submitted with this `Idempotency-Key`, if any.
    public func render(userId: String, idempotencyKey: String) async throws -> RenderRecord? {
        try await read { db in
            try RenderRecord.all().owned(by: userId)
                .filter(RenderRecord.Columns.idempotencyKey == idempotencyKey)
                .fetchOne(db)
        }
    }

    /// Puts a failed or cancelled render back at the end of the queue, keeping its attempt count.
    /// Returns nil when the render is not the user's; a render that is not failed or cancelled comes
    /// back unchanged, for the caller to refuse.
    public func requeueRender(id: String, userId: String) async throws -> RenderRecord? {
        try await write { db in
            guard var render = try RenderRecord.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            guard render.status == .failed || render.status == .cancelled else { return render }
            let original = render
            let last = try RenderRecord.select(max(RenderRecord.Columns.queueSeq), as: Int64.self).fetchOne(db)
            render.queueSeq = (last ?? 0) + 1
            render.requeue()
            render.outputKey = nil
            render.outputSize = nil
            render.startedAt = nil
            render.completedAt = nil
            render.updatedAt = .databaseNow()
            try render.updateChanges(db, from: original)
            return try RenderRecord.fetchOne(db, id: id)
        }
    }

    /// Age of the oldest waiting render, for health metrics.
    public func oldestQueuedRenderDate() async throws -> Date? {
        try await read { db in
            try RenderRecord.all().filter(status: .queued).inQueueOrder().fetchOne(db)?.createdAt
        }
    }
}

extension AppDatabase {
    /// The largest event id any render carries (0 when none), so event ids stay monotonic across restarts.
    public func maxRenderEventId() async throws -> Int64 {
        try await read { db in
            try RenderRecord.select(max(RenderRecord.Columns.eventId), as: Int64.self).fetchOne(db) ?? 0
        }
    }

    /// The user's renders whose newest event is after `eventId`, oldest event first (resuming a stream).
    public func renders(userId: String, changedAfterEventId eventId: Int64, limit: Int = 500) async throws -> [RenderRecord] {
        try await read { db in
            try RenderRecord.all().owned(by: userId)
                .filter(RenderRecord.Columns.eventId > eventId)
                .order(RenderRecord.Columns.eventId)
                .limit(limit)
                .fetchAll(db)
        }
    }

    /// The user's queued and running renders in queue order.
    public func activeRenders(userId: String) async throws -> [RenderRecord] {
        try await read { db in
            try RenderRecord.all().owned(by: userId)
                .filter([RenderRecord.Status.queued.rawValue, RenderRecord.Status.rendering.rawValue].contains(RenderRecord.Columns.status))
                .inQueueOrder()
                .fetchAll(db)
        }
    }
}
