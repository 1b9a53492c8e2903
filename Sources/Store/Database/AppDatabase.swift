import Foundation
import GRDB

/// The application database: owns the connection (a `DatabasePool` in WAL mode on disk, or a
/// `DatabaseQueue` in memory for tests) and the migrations that define the schema. Every write
/// method is one transaction that keeps one invariant; reads see a consistent snapshot.
public struct AppDatabase: Sendable {
    /// The connection. Internal so tests can inspect the schema and pragmas.
    let dbWriter: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path` and its parent folder, and migrates it.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.io("cannot create the database folder for \(path): \(error)")
        }
        let pool = try Self.mapErrors { try DatabasePool(path: path, configuration: Self.makeConfiguration()) }
        try self.init(pool)
    }

    /// A fresh, empty database in memory with the real migrations, for tests and throwaway runs.
    public static func inMemory() throws -> AppDatabase {
        let queue = try mapErrors { try DatabaseQueue(configuration: makeConfiguration()) }
        return try AppDatabase(queue)
    }

    /// Wraps an already opened connection and migrates it.
    init(_ dbWriter: any DatabaseWriter) throws {
        self.dbWriter = dbWriter
        try Self.mapErrors { try Self.migrator.migrate(dbWriter) }
    }

    /// Checks that the database answers.
    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    static func makeConfiguration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // The writer waits this long for another process's lock instead of failing at once (GRDB gives
        // pool readers their own 10 s wait).
        config.busyMode = .timeout(5)
        return config
    }

    /// The schema. Shipped migrations are never edited: changes go in new migrations.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "user") { t in
                t.primaryKey("id", .text)
                t.column("email", .text).notNull().unique().collate(.nocase)
                t.column("name", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "project") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "asset") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.belongsTo("project", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                    .check { Asset.Kind.allCases.map(\.rawValue).contains($0) }
                t.column("size", .integer).notNull().check { $0 >= 0 }
                t.column("duration", .double)
                t.column("width", .integer)
                t.column("height", .integer)
                t.column("fps", .double)
                t.column("hasVideo", .boolean).notNull().defaults(to: false)
                t.column("hasAudio", .boolean).notNull().defaults(to: false)
                t.column("mediaInfo", .text)
                t.column("storageKey", .text).notNull()
                t.column("thumbnailKey", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "timeline") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.belongsTo("project", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("version", .integer).notNull().defaults(to: 1).check { $0 >= 1 }
                t.column("document", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "render") { t in
                t.primaryKey("id", .text)
                // The (userId, createdAt) index below serves lookups by user.
                t.belongsTo("user", onDelete: .cascade, indexed: false).notNull()
                t.belongsTo("project", onDelete: .cascade)
                t.belongsTo("timeline", onDelete: .setNull)
                t.column("status", .text).notNull()
                    .check { RenderRecord.Status.allCases.map(\.rawValue).contains($0) }
                t.column("stage", .text).notNull()
                    .check { RenderRecord.Stage.allCases.map(\.rawValue).contains($0) }
                t.column("progress", .double).notNull().defaults(to: 0)
                t.column("frame", .integer)
                t.column("totalFrames", .integer)
                t.column("fps", .double)
                t.column("error", .text)
                t.column("outputKey", .text)
                t.column("outputSize", .integer)
                t.column("format", .text).notNull()
                t.column("document", .text).notNull()
                t.column("merge", .text)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("queueSeq", .integer).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("startedAt", .datetime)
                t.column("completedAt", .datetime)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "render_on_status_queueSeq", on: "render", columns: ["status", "queueSeq"])
            try db.create(index: "render_on_userId_createdAt", on: "render", columns: ["userId", "createdAt"])
        }
        migrator.registerMigration("v2: render control") { db in
            try db.alter(table: "render") { t in
                // Same key + same request → the same render; the hash tells a reused key from a repeat.
                t.add(column: "idempotencyKey", .text)
                t.add(column: "requestHash", .text)
                t.add(column: "webhookUrl", .text)
                // JSON array of delivery attempts: [{attempt, at, status?, error?}].
                t.add(column: "webhookDeliveries", .text)
                // Id of the newest progress event, so Last-Event-ID resumes across restarts.
                t.add(column: "eventId", .integer).notNull().defaults(to: 0)
                // Integrated loudness (LUFS) measured by a loudness-normalised render.
                t.add(column: "measuredLoudness", .double)
            }
            try db.create(
                index: "render_on_userId_idempotencyKey", on: "render", columns: ["userId", "idempotencyKey"],
                unique: true, condition: Column("idempotencyKey") != nil
            )
        }
        migrator.registerMigration("v3: font family") { db in
            try db.alter(table: "asset") { t in
                // The family an uploaded font names itself (fonts have no media info).
                t.add(column: "fontFamily", .text)
            }
        }
        migrator.registerMigration("v4: accounts") { db in
            try db.alter(table: "user") { t in
                t.add(column: "passwordHash", .text)
                t.add(column: "role", .text).notNull().defaults(to: User.Role.member.rawValue)
                t.add(column: "disabledAt", .datetime)
                t.add(column: "lastSignInAt", .datetime)
            }
            try db.create(table: "credential") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull().defaults(to: "")
                t.column("scope", .text).notNull()
                t.column("secretHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime)
                t.column("lastUsedAt", .datetime)
            }
        }
        migrator.registerMigration("v5: render workload") { db in
            try db.alter(table: "render") { t in
                // Hours of 1080p30 work (`Timeline.workloadHours`): what a user's share of the queue is counted in.
                t.add(column: "workloadHours", .double).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v6: templates") { db in
            try db.create(table: "template") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.belongsTo("project", onDelete: .cascade)
                t.belongsTo("timeline", onDelete: .setNull)
                t.column("name", .text).notNull()
                t.column("document", .text).notNull()
                t.column("fields", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.alter(table: "render") { t in
                t.add(column: "templateId", .text).references("template", onDelete: .setNull)
            }
        }
        migrator.registerMigration("v7: batches") { db in
            try db.create(table: "batch") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.belongsTo("template", onDelete: .setNull)
                t.column("total", .integer).notNull()
                t.column("columns", .text).notNull()
                t.column("webhookUrl", .text)
                t.column("webhookDeliveries", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.alter(table: "render") { t in
                // Deleting a batch deletes its renders (the outputs go with the user's orphan sweep).
                t.add(column: "batchId", .text).references("batch", onDelete: .cascade)
                t.add(column: "batchIndex", .integer)
                t.add(column: "templateValues", .text)
            }
            // The feeder's "next queued rows of this batch" and the per-status counts.
            try db.create(index: "render_on_batchId_status_batchIndex", on: "render", columns: ["batchId", "status", "batchIndex"])
        }
        migrator.registerMigration("v8: mixes") { db in
            try db.create(table: "mix") { t in
                t.primaryKey("id", .text)
                t.belongsTo("user", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("spec", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v9: batch origin") { db in
            try db.alter(table: "batch") { t in
                // A mix's batch links back to it; deleting the mix keeps the batch, unlinked (as a template's).
                t.add(column: "mixId", .text).references("mix", onDelete: .setNull)
                t.add(column: "idempotencyKey", .text)
                t.add(column: "requestHash", .text)
            }
            // Two concurrent submissions with one key: the second insert fails here and is answered the first's batch.
            try db.create(
                index: "batch_on_userId_idempotencyKey", on: "batch", columns: ["userId", "idempotencyKey"],
                unique: true, condition: Column("idempotencyKey") != nil
            )
            // GET /batches: a user's batches newest first; deleting a mix finds its batches.
            try db.create(index: "batch_on_userId_createdAt", on: "batch", columns: ["userId", "createdAt"])
            try db.create(index: "batch_on_mixId", on: "batch", columns: ["mixId"])
        }
        return migrator
    }
}

// MARK: - Transactions

extension AppDatabase {
    /// One write transaction, off the concurrency pool (GRDB's async API); database failures
    /// surface as `StoreError.io`.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbWriter.write(updates)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// One read of a consistent snapshot, off the concurrency pool (GRDB's async API); database
    /// failures surface as `StoreError.io`.
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbWriter.read(value)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Keeps the library's one error type: `StoreError` passes through, anything else becomes `.io`.
    static func mapErrors<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        (error as? StoreError) ?? .io("database: \(error)")
    }

    /// One page of `request`, counted and fetched from the same snapshot.
    func page<Record: FetchableRecord & Sendable>(
        _ request: QueryInterfaceRequest<Record>, page: Int, limit: Int
    ) async throws -> Page<Record> {
        let (page, limit, offset) = Page<Record>.clamp(page: page, limit: limit)
        return try await read { db in
            let total = try request.fetchCount(db)
            let items = try request.limit(limit, offset: offset).fetchAll(db)
            return Page(items: items, page: page, limit: limit, total: total)
        }
    }
}

extension Date {
    /// Now, at the precision the database keeps (milliseconds), so a record returned by a write
    /// equals the same record fetched later.
    static func databaseNow() -> Date {
        let now = Date()
        return Date.fromDatabaseValue(now.databaseValue) ?? now
    }
}
