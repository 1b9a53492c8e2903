import Compiler
import Foundation
import TimelineModel

/// One way of making a plan's file. It makes the file, or declines with the reason, leaving
/// nothing at the output path (what it wrote is removed).
protocol RenderStrategy: Sendable {
    /// How the reason it declines is introduced in `RenderResult.notes`.
    var name: String { get }
    func attempt(_ render: Renderer, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderStrategyOutcome
}

enum RenderStrategyOutcome {
    case done(RenderResult)
    case declined(String)
}

/// Makes the file of one plan by the first strategy that takes it, in order: stream copy, smart
/// cut, parallel segments, one pass (which always takes it). Each strategy only runs plans: the
/// ones it needs for parts of the output come from the plan's `PreparedTimeline`.
struct Renderer {
    let plan: RenderPlan
    let outputPath: String
    let cancel: CancellationFlag
    let options: RenderOptions
    /// The stream-copy layout, worked out once for both copying strategies (it reads every packet
    /// header of the sources).
    let layout: Result<StreamCopyJoin.Layout, Ineligible>

    init(plan: RenderPlan, outputPath: String, cancel: CancellationFlag, options: RenderOptions) {
        self.plan = plan
        self.outputPath = outputPath
        self.cancel = cancel
        self.options = options
        if options.streamCopy {
            do { layout = .success(try StreamCopyJoin.layout(of: plan, cancel: cancel)) } catch { layout = .failure(error) }
        } else {
            layout = .failure(Ineligible("turned off"))
        }
    }

    static let strategies: [any RenderStrategy] = [
        StreamCopyStrategy(smartCut: false), StreamCopyStrategy(smartCut: true), SegmentsStrategy(), OnePassStrategy(),
    ]

    func run(progress: (RenderProgress) -> Void) throws(RenderError) -> RenderResult {
        var notes: [String] = []
        for strategy in Self.strategies {
            if cancel.isCancelled { throw RenderError.cancelled }
            switch try strategy.attempt(self, progress: progress) {
            case .done(var result):
                result.notes = notes + result.notes
                return result
            case .declined(let reason):
                notes.append("no \(strategy.name): \(reason)")
            }
        }
        // OnePassStrategy never declines.
        throw RenderError.io("no way to render the plan: \(notes.joined(separator: "; "))")
    }
}

/// The plan's stream-copy layout written out: packets copied with rebased timestamps, and with
/// `smartCut` the frames around cuts off keyframes rendered and encoded as pieces. Plain stream
/// copy takes only layouts with nothing to encode, smart cut only the others.
struct StreamCopyStrategy: RenderStrategy {
    let smartCut: Bool
    var name: String { smartCut ? "smart cut" : "stream copy" }

    func attempt(_ render: Renderer, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderStrategyOutcome {
        let layout: StreamCopyJoin.Layout
        switch render.layout {
        case .failure(let refusal): return .declined(refusal.reason)
        case .success(let found): layout = found
        }
        if !smartCut && layout.encodedFrames > 0 { return .declined("\(layout.encodedFrames) frames at cuts off keyframes need encoding") }
        if smartCut && layout.encodedFrames == 0 { return .declined("nothing to encode") }
        do {
            switch try StreamCopyJoin.write(layout, plan: render.plan, outputPath: render.outputPath, cancel: render.cancel, progress: progress) {
            case .success(let result): return .done(result)
            case .failure(let refusal): return .declined(refusal.reason)
            }
        } catch .cancelled {
            throw RenderError.cancelled
        } catch {
            return .declined("failed: \(error)")
        }
    }
}

/// The picture as one range render per core, joined by stream copy; the sound rendered once.
struct SegmentsStrategy: RenderStrategy {
    let name = "segments"

    func attempt(_ render: Renderer, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderStrategyOutcome {
        let jobs: [SegmentedRender.Job]
        do {
            jobs = try SegmentedRender.jobs(
                for: render.plan, segments: render.options.segments, cores: ProcessInfo.processInfo.activeProcessorCount, outputPath: render.outputPath)
        } catch {
            return .declined(error.reason)
        }
        switch try SegmentedRender.run(jobs, plan: render.plan, outputPath: render.outputPath, cancel: render.cancel, progress: progress) {
        case .success(let result): return .done(result)
        case .failure(let refusal): return .declined("not joined: \(refusal.reason)")
        }
    }
}

/// Decode, one filter graph, encode: takes every plan.
struct OnePassStrategy: RenderStrategy {
    let name = "single pass"

    func attempt(_ render: Renderer, progress: (RenderProgress) -> Void) throws(RenderError) -> RenderStrategyOutcome {
        .done(try RenderExecutor.runPipeline(render.plan, outputPath: render.outputPath, cancel: render.cancel, progress: progress))
    }
}
