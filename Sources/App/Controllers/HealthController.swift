import Foundation
import Hummingbird
import Compiler
import Render
import TimelineModel
import Store

/// `GET /health`: database, storage and queue state.
struct HealthController {
    let database: AppDatabase
    let blobs: any BlobStore
    let queue: RenderQueue
    let io: BlockingWork
    let concurrency: Int
    let capacity: Int

    /// How long the storage service gets to answer: a dead or hanging S3 must not make /health slow.
    static let storageTimeout: Duration = .seconds(2)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("health", use: health)
    }

    struct Health: Encodable {
        struct Queue: Encodable {
            var depth: Int
            var running: Int
            var concurrency: Int
            var capacity: Int
            /// Seconds the oldest waiting render has waited; nil when none waits.
            var oldestQueuedSeconds: Double?
        }
        var status: String
        var database: String
        var storage: String
        var queue: Queue
        var ffmpeg: String
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let databaseState: String
        do { try await database.ping(); databaseState = "ok" } catch { databaseState = "error: \(error)" }
        let scratch = blobs.scratchDirectory.path
        let writable = (try? await io.run { FileManager.default.isWritableFile(atPath: scratch) }) ?? false
        let storageState: String
        if !writable {
            storageState = "error: scratch folder is not writable"
        } else {
            do {
                try await blobs.checkReachable(timeout: Self.storageTimeout)
                storageState = "ok"
            } catch {
                storageState = "error: \(AppConfig.describeStorage(error))"
            }
        }
        let ok = databaseState == "ok" && storageState == "ok"
        let oldest: Double?
        do {
            oldest = try await database.oldestQueuedRenderDate().map { max(0, Date().timeIntervalSince($0)) }
        } catch {
            // The database state above already says what is wrong.
            oldest = nil
        }
        let health = Health(
            status: ok ? "ok" : "degraded", database: databaseState, storage: storageState,
            queue: .init(depth: await queue.depth, running: await queue.runningCount, concurrency: concurrency, capacity: capacity, oldestQueuedSeconds: oldest),
            ffmpeg: FFmpegVersion.description
        )
        return try APIResponse.json(health, status: ok ? .ok : .serviceUnavailable, context: context)
    }
}
