import Foundation
import Render

/// Runs small plans whose result is one picture (frame previews, waveforms, filmstrips) off the
/// concurrency pool, at most `limit` at once so scrubbing in the editor cannot crowd out renders.
/// A request that goes away cancels its work.
struct PictureRenderer: Sendable {
    private let scratch: URL
    private let limiter: Limiter

    init(scratch: URL, limit: Int = 2) {
        self.scratch = scratch
        self.limiter = Limiter(limit)
    }

    /// Renders `plan` (a single-frame image2 plan) and returns the file's bytes.
    func picture(_ plan: RenderPlan, ext: String) async throws -> Data {
        let path = scratch.appendingPathComponent("picture-\(UUID().uuidString).\(ext)").path
        return try await limiter.run {
            let cancel = CancellationFlag()
            return try await withTaskCancellationHandler {
                try await BlockingWork.run {
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    try RenderExecutor.run(plan, outputPath: path, cancel: cancel, progress: { _ in })
                    return try Data(contentsOf: URL(fileURLWithPath: path))
                }
            } onCancel: {
                cancel.cancel()
            }
        }
    }
}
