import CFFmpeg

extension Muxer {
    /// Adds a stream carrying packets copied from `source` (same codec parameters and time base); returns its index.
    func addStream(copying source: UnsafeMutablePointer<AVStream>) throws(RenderError) -> Int32 {
        guard let stream = avformat_new_stream(context, nil) else {
            throw RenderError.ffmpeg(function: "avformat_new_stream", code: cutroom_averror(ENOMEM), message: "out of memory")
        }
        try check("avcodec_parameters_copy", avcodec_parameters_copy(stream.pointee.codecpar, source.pointee.codecpar))
        // The tag names the codec in the source's container; the muxer picks its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = source.pointee.time_base
        stream.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        stream.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
        return stream.pointee.index
    }
}
