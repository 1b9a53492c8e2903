import Foundation
import Compiler
import Render
import TimelineModel

/// Runs small plans whose result is one picture (frame previews, waveforms, filmstrips) on the
/// `pictures` lane, so scrubbing in the editor cannot crowd out renders. A request that goes away
/// cancels its work.
struct PictureRenderer: Sendable {
    private let scratch: URL
    private let lane: BlockingWork

    init(scratch: URL, lane: BlockingWork) {
        self.scratch = scratch
        self.lane = lane
    }

    /// Renders `plan` (a single-frame image2 plan) and returns the file's bytes.
    func picture(_ plan: RenderPlan, ext: String) async throws -> Data {
        let path = scratch.appendingPathComponent("picture-\(UUID().uuidString).\(ext)").path
        let cancel = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await lane.run {
                defer { try? FileManager.default.removeItem(atPath: path) }
                try RenderExecutor.run(plan, outputPath: path, cancel: cancel, progress: { _ in })
                return try Data(contentsOf: URL(fileURLWithPath: path))
            }
        } onCancel: {
            cancel.cancel()
        }
    }
}
