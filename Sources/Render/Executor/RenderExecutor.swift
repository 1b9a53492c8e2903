import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// Runs a `RenderPlan` in-process: decode every input, one libavfilter graph, encode, mux.
public enum RenderExecutor {
    /// Renders `plan` into `outputPath`. Blocking: call it on a dedicated queue, never on the
    /// concurrency pool. `progress` is called on the calling thread, at most once per encoded video
    /// frame. Cancelling `cancel` stops within a frame (or an I/O wait) and throws `.cancelled`. On any
    /// error the partial output file is deleted.
    ///
    /// When `options` allow, a plan compiled from a timeline is made faster with the same frames
    /// (`Renderer`'s strategies, in order): by stream copy when it is only hard cuts on keyframes, by
    /// smart cut (re-encoding only frames before a cut's first keyframe and after its last) when it is
    /// only hard cuts, else by parallel segments when it is long. `RenderResult.method` says which;
    /// `notes` say why the faster ones declined.
    @discardableResult
    public static func run(
        _ plan: RenderPlan, outputPath: String, cancel: CancellationFlag, options: RenderOptions = RenderOptions(),
        progress: (RenderProgress) -> Void
    ) throws(RenderError) -> RenderResult {
        try Renderer(plan: plan, outputPath: outputPath, cancel: cancel, options: options).run(progress: progress)
    }

    /// One pass through `RenderPipeline`, whatever the plan.
    @discardableResult
    static func runPipeline(_ plan: RenderPlan, outputPath: String, cancel: CancellationFlag, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderResult {
        try run(plan, outputPath: outputPath, cancel: cancel, progress: progress, onFeed: nil)
    }

    /// `onFeed` is called after each frame fed to the graph with the input's pad and the number of
    /// video frames output so far (tests use it to prove inputs are consumed on demand).
    @discardableResult
    static func run(
        _ plan: RenderPlan, outputPath: String, cancel: CancellationFlag,
        progress: (RenderProgress) -> Void, onFeed: ((String, Int) -> Void)?
    ) throws(RenderError) -> RenderResult {
        if let palettePass = plan.palettePass {
            // A GIF: its palette first, from every frame, into a file the frames pass reads.
            let palettePath = outputPath + ".palette.png"
            defer { try? FileManager.default.removeItem(atPath: palettePath) }
            try run(palettePass, outputPath: palettePath, cancel: cancel, progress: { _ in }, onFeed: nil)
            var frames = plan
            frames.palettePass = nil
            for index in frames.inputs.indices where frames.inputs[index].pad == GraphBuilder.palettePad {
                frames.inputs[index].path = palettePath
            }
            return try run(frames, outputPath: outputPath, cancel: cancel, progress: progress, onFeed: onFeed)
        }
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
