import Compiler
import TimelineModel
import CFFmpeg

/// Owns one `AVFrame`.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(RenderError) {
        guard let frame = av_frame_alloc() else { throw LibAV.outOfMemory("av_frame_alloc") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}
