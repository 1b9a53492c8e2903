import Compiler
import TimelineModel
import Dispatch
import Foundation
import Synchronization

/// Runs several range renders of one timeline at once, each a blocking pipeline on a thread of its
/// own, at most `concurrency` at a time, and reports their summed frames from the calling thread.
/// The first failure (or cancelling `cancel`) stops all of them.
enum ParallelRenders {
    struct Job: Sendable {
        var plan: RenderPlan
        var path: String
        /// Whether its frames count in the progress (a sound-only render's do not).
        var counts: Bool
    }

    /// Returns each job's result, in order. `progress` gets the frames done so far, at most every 100 ms.
    static func run(
        _ jobs: [Job], concurrency: Int, cancel: CancellationFlag, progress: (Int) -> Void
    ) throws(RenderError) -> [RenderResult] {
        let shared = CancellationFlag()
        let state = JobState(count: jobs.count)
        let group = DispatchGroup()
        let workers = max(1, min(concurrency, jobs.count))
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while !shared.isCancelled, let index = state.claim() {
                    let job = jobs[index]
                    do throws(RenderError) {
                        let result = try RenderExecutor.runPipeline(job.plan, outputPath: job.path, cancel: shared) { tick in
                            if job.counts { state.setFrames(tick.frame, of: index) }
                        }
                        state.setResult(result, of: index)
                    } catch {
                        state.setError(error, of: index)
                        shared.cancel()
                    }
                }
            }
            // FFmpeg's filter graph and decoders want a full-size stack, as on a dispatch queue.
            thread.stackSize = 8 << 20
            thread.start()
        }
        var reported = -1
        while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if cancel.isCancelled { shared.cancel() }
            let frames = state.frames
            if frames != reported {
                reported = frames
                progress(frames)
            }
        }
        if cancel.isCancelled { throw RenderError.cancelled }
        if let error = state.firstError { throw error }
        return state.results
    }
}

/// What the render threads report to the coordinating thread.
private final class JobState: Sendable {
    private let state: Mutex<(next: Int, frames: [Int], results: [RenderResult?], errors: [RenderError?])>

    init(count: Int) {
        state = Mutex((0, Array(repeating: 0, count: count), Array(repeating: nil, count: count), Array(repeating: nil, count: count)))
    }

    /// The next job nobody has taken, if any.
    func claim() -> Int? {
        state.withLock { state in
            guard state.next < state.results.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    func setFrames(_ frames: Int, of index: Int) { state.withLock { $0.frames[index] = frames } }
    func setResult(_ result: RenderResult, of index: Int) { state.withLock { $0.results[index] = result } }
    func setError(_ error: RenderError, of index: Int) { state.withLock { $0.errors[index] = error } }
    var frames: Int { state.withLock { $0.frames.reduce(0, +) } }
    /// Every job's result (empty ones for jobs that never ran).
    var results: [RenderResult] { state.withLock { $0.results.map { $0 ?? RenderResult() } } }
    /// The error that stopped the renders: a real failure before the cancellations it caused.
    var firstError: RenderError? {
        state.withLock { state in
            let errors = state.errors.compactMap { $0 }
            return errors.first { $0 != .cancelled } ?? errors.first
        }
    }
}
