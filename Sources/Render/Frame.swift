import CFFmpeg

/// Owns one `AVFrame`.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(RenderError) {
        guard let frame = av_frame_alloc() else { throw RenderError.ffmpeg(function: "av_frame_alloc", code: cutroom_averror(ENOMEM), message: "out of memory") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}
