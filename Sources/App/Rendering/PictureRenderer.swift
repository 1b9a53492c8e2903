import Foundation
import Render

/// Runs small plans whose result is one picture (frame previews, waveforms, filmstrips) off the
/// concurrency pool, at most `limit` at once so scrubbing in the editor cannot crowd out renders.
/// A request that goes away cancels its work.
actor PictureRenderer {
    private let scratch: URL
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(scratch: URL, limit: Int = 2) {
        self.scratch = scratch
        self.limit = max(1, limit)
    }

    /// Renders `plan` (a single-frame image2 plan) and returns the file's bytes.
    func picture(_ plan: RenderPlan, ext: String) async throws -> Data {
        await acquire()
        defer { release() }
        try Task.checkCancellation()
        let path = scratch.appendingPathComponent("picture-\(UUID().uuidString).\(ext)").path
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

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
