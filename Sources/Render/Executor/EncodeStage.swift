import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// Runs encoding and muxing on a thread of its own, so the filter graph and the decoders go on
/// while the encoder works (x264 blocks its caller whenever all its frame threads are busy).
/// Frames arrive through a short `HandOff`; the first error stops the stage and is rethrown to
/// the render thread on its next hand-over or at `finish()`.
// @unchecked Sendable: `perform` and the encoders and muxer it uses are touched only by the stage's
// thread between `init` and `finish()`/`stop()`; `failure` is behind `lock`.
final class EncodeStage: @unchecked Sendable {
    /// One piece of work for an output: a frame (ownership passes to the stage), or nil for its end.
    struct Job {
        var frame: UnsafeMutablePointer<AVFrame>?
        var output: Int
    }

    private let queue: HandOff<Job>
    private let perform: (Job) throws(RenderError) -> Void
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: RenderError?
    private var running = true

    /// Starts the thread. `perform` encodes one job and writes its packets; it runs on the stage's thread only.
    init(capacity: Int, perform: @escaping (Job) throws(RenderError) -> Void) {
        queue = HandOff(capacity: capacity)
        self.perform = perform
        let thread = Thread { [self] in run() }
        thread.name = "cutroom.encode"
        thread.start()
    }

    private func run() {
        defer { done.signal() }
        while let job = queue.take() {
            if lock.withLock({ failure != nil }) {
                Self.release(job)
                continue
            }
            do throws(RenderError) {
                try perform(job)
            } catch {
                lock.withLock { failure = error }
                // Nothing more will be encoded: free what is queued and let the render thread see the error.
                for rest in queue.closeAndEmpty() { Self.release(rest) }
            }
            Self.release(job)
        }
    }

    private static func release(_ job: Job) {
        var frame = job.frame
        av_frame_free(&frame)
    }

    /// Hands `frame`'s content over (the frame is left empty); waits while the queue is full.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>, output: Int) throws(RenderError) {
        guard let moved = av_frame_alloc() else {
            throw LibAV.outOfMemory("av_frame_alloc")
        }
        av_frame_move_ref(moved, frame)
        try hand(Job(frame: moved, output: output))
    }

    /// Ends an output: the stage flushes its encoder.
    func end(output: Int) throws(RenderError) {
        try hand(Job(frame: nil, output: output))
    }

    private func hand(_ job: Job) throws(RenderError) {
        if !queue.put(job) { Self.release(job) }
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Waits until everything handed over is encoded and written; rethrows the stage's error.
    func finish() throws(RenderError) {
        queue.close()
        join()
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Drops what is queued and waits for the thread (after an error or a cancel on the render thread).
    func stop() {
        for job in queue.closeAndEmpty() { Self.release(job) }
        join()
    }

    private func join() {
        guard running else { return }
        done.wait()
        running = false
    }
}
