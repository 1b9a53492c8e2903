import CFFmpeg
import Foundation

/// Runs a `RenderPlan` in-process: decode every input, one libavfilter graph, encode, mux.
public enum RenderExecutor {
    /// Renders `plan` into `outputPath`. Blocking: call it on a dedicated queue, never on the
    /// concurrency pool. `progress` is called after every encoded video frame. Cancelling `cancel`
    /// stops within a frame (or an I/O wait) and throws `.cancelled`. On any error the partial
    /// output file is deleted.
    @discardableResult
    public static func run(_ plan: RenderPlan, outputPath: String, cancel: CancellationFlag, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderResult {
        try run(plan, outputPath: outputPath, cancel: cancel, progress: progress, onFeed: nil)
    }

    /// `onFeed` is called after each frame fed to the graph with the input's pad and the number of
    /// video frames output so far (tests use it to prove inputs are consumed on demand).
    @discardableResult
    static func run(
        _ plan: RenderPlan, outputPath: String, cancel: CancellationFlag,
        progress: (RenderProgress) -> Void, onFeed: ((String, Int) -> Void)?
    ) throws(RenderError) -> RenderResult {
        do {
            let pipeline = try RenderPipeline(plan: plan, outputPath: outputPath, cancel: cancel)
            try pipeline.execute(progress: progress, onFeed: onFeed)
            return RenderResult(measuredLoudness: pipeline.measuredLoudness)
        } catch {
            try? FileManager.default.removeItem(atPath: outputPath)
            throw cancel.isCancelled ? RenderError.cancelled : error
        }
    }
}
