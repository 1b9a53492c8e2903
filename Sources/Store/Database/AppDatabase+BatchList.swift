import Foundation
import GRDB

extension AppDatabase {
    /// The user's batches, newest first, optionally only those of one template or one mix.
    public func batches(userId: String, templateId: String? = nil, mixId: String? = nil, page: Int = 1, limit: Int = 50) async throws -> Page<BatchRecord> {
        var request = BatchRecord.all().owned(by: userId)
        if let templateId { request = request.filter(BatchRecord.Columns.templateId == templateId) }
        if let mixId { request = request.filter(BatchRecord.Columns.mixId == mixId) }
        return try await self.page(request.order(BatchRecord.Columns.createdAt.desc, BatchRecord.Columns.id.desc), page: page, limit: limit)
    }

    /// How many renders of each batch are in each status, for a page of batches in one query.
    public func batchCounts(ids: [String]) async throws -> [String: [RenderRecord.Status: Int]] {
        guard !ids.isEmpty else { return [:] }
        return try await read { db in
            let marks = databaseQuestionMarks(count: ids.count)
            let rows = try Row.fetchAll(
                db, sql: "SELECT batchId, status, COUNT(*) AS n FROM render WHERE batchId IN (\(marks)) GROUP BY batchId, status",
                arguments: StatementArguments(ids))
            var counts: [String: [RenderRecord.Status: Int]] = [:]
            for row in rows {
                if let status = RenderRecord.Status(rawValue: row["status"]) { counts[row["batchId"] as String, default: [:]][status] = row["n"] }
            }
            return counts
        }
    }

    /// The user's batch submitted with this `Idempotency-Key`, if any.
    public func batch(userId: String, idempotencyKey: String) async throws -> BatchRecord? {
        try await read { db in try Self.batch(userId: userId, idempotencyKey: idempotencyKey, db) }
    }

    static func batch(userId: String, idempotencyKey: String, _ db: Database) throws -> BatchRecord? {
        try BatchRecord.all().owned(by: userId).filter(BatchRecord.Columns.idempotencyKey == idempotencyKey).fetchOne(db)
    }

    static func renderHoldsKey(userId: String, _ key: String, _ db: Database) throws -> Bool {
        try !RenderRecord.all().owned(by: userId).filter(RenderRecord.Columns.idempotencyKey == key).isEmpty(db)
    }
}
