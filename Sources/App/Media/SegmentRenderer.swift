import Crypto
import Foundation
import Compiler
import Render
import Store
import TimelineModel

/// Editor playback segments (`PlaybackSegments`): rendered on the `previews` lane, which final
/// renders never hold, into a cache bounded in size and evicted least recently used first
/// (`CUTROOM_PREVIEW_CACHE_MB`). A segment's file is named by its key, a hash of its fingerprint
/// under its owner, so an unchanged segment of an edited document is a cache hit; concurrent
/// requests for one key share one render. When every request waiting for a render has gone (the
/// player moved on: an edit, a seek, a stop) and none comes back within `abandonGrace`, the render
/// is cancelled and its partial file deleted, so the lane goes to segments still wanted.
struct SegmentRenderer: Sendable {
    let cache: BlobCache
    let lane: BlockingWork
    var metrics: AppMetrics?

    /// How long a render nobody waits for keeps going: a player that dropped a request after an
    /// edit asks again for the segments whose key the edit kept within milliseconds.
    static let abandonGrace = Duration.seconds(1)

    /// The key of a segment: SHA-256 of its fingerprint, 128 bits in hex.
    static func key(of fingerprint: Data) -> String {
        SHA256.hash(data: fingerprint).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the segment `key` of `userId` is cached now.
    func isCached(_ key: String, userId: String) async throws -> Bool {
        await cache.contains(try Self.blobKey(key, userId: userId))
    }

    /// The file of segment `key`: `document` (a `PlaybackSegments.document`, already at the
    /// preview size) compiled and rendered when it is not cached; `resolver` makes its sources
    /// local files first. The file may be evicted later: read it at once. A cancelled caller
    /// leaves the render (see the type's comment).
    func file(_ key: String, userId: String, document: Timeline,
              resolver: @escaping @Sendable () async throws -> SourceResolver) async throws -> URL {
        try await cache.file(for: try Self.blobKey(key, userId: userId), abandonAfter: Self.abandonGrace) { [lane, metrics] temporary in
            let cancel = CancellationFlag()
            do {
                try await withTaskCancellationHandler {
                    let resolve = try await resolver()
                    try await lane.run {
                        // Abandoned while it waited for the lane: nothing to start.
                        if cancel.isCancelled { throw RenderError.cancelled }
                        var plan = try RenderCompiler.compile(document, resolve: resolve)
                        plan.output.fragmented = true
                        // One pass: no stream copy (its packets would not start at the window) and no parallel
                        // pieces (segments are short already; the lane runs several at once).
                        try RenderExecutor.run(plan, outputPath: temporary.path, cancel: cancel,
                                               options: RenderOptions(streamCopy: false, segments: 1), progress: { _ in })
                    }
                } onCancel: {
                    cancel.cancel()
                }
                metrics?.previewSegment(.done)
            } catch {
                metrics?.previewSegment(cancel.isCancelled || error is CancellationError ? .cancelled : .failed)
                throw error
            }
        }
    }

    /// Deletes every cached segment of `userId` (the account is being deleted).
    func forget(userId: String) async {
        await cache.remove(prefix: "previews/\(userId)/")
    }

    private static func blobKey(_ key: String, userId: String) throws -> BlobKey {
        try BlobKey(validating: "previews/\(userId)/\(key).mp4")
    }
}
