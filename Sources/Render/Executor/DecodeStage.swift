import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// Decodes one input ahead on a thread of its own, a few frames deep, so the render thread takes
/// decoded frames instead of waiting for the demuxer and the decoder.
// @unchecked Sendable: the decoder is used only by the stage's thread between `start` and `stop()`;
// `failure` is behind `lock`; the queue is thread-safe.
final class DecodeStage: @unchecked Sendable {
    private let decoder: StreamDecoder
    private let queue: HandOff<UnsafeMutablePointer<AVFrame>>
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: RenderError?
    private var running = false
    /// The decoding thread's name (seen in debuggers and profilers).
    private let name: String

    init(decoder: StreamDecoder, capacity: Int, name: String) {
        self.decoder = decoder
        self.name = name
        queue = HandOff(capacity: capacity)
    }

    deinit { stop() }

    func start() {
        guard !running else { return }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    private func run() {
        defer { done.signal() }
        do throws(RenderError) {
            while true {
                guard let frame = av_frame_alloc() else {
                    throw LibAV.outOfMemory("av_frame_alloc")
                }
                var owned: UnsafeMutablePointer<AVFrame>? = frame
                let decoded: Bool
                do { decoded = try decoder.next(into: frame) } catch {
                    av_frame_free(&owned)
                    throw error
                }
                guard decoded, queue.put(frame) else {
                    av_frame_free(&owned)
                    break
                }
            }
        } catch {
            lock.withLock { failure = error }
        }
        queue.close()
    }

    /// Moves the next decoded frame into `frame`; false at the end of the stream. Rethrows the decoder's error.
    func next(into frame: UnsafeMutablePointer<AVFrame>) throws(RenderError) -> Bool {
        guard let decoded = queue.take() else {
            if let failure = lock.withLock({ failure }) { throw failure }
            return false
        }
        av_frame_move_ref(frame, decoded)
        var emptied: UnsafeMutablePointer<AVFrame>? = decoded
        av_frame_free(&emptied)
        return true
    }

    /// Stops decoding, frees what was decoded ahead and waits for the thread.
    func stop() {
        guard running else { return }
        for frame in queue.closeAndEmpty() {
            var pointer: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&pointer)
        }
        done.wait()
        running = false
    }
}
