import Compiler
import TimelineModel
import CFFmpeg

/// Owns an output format context and its file. Streams are added, the header written once with the
/// given muxer options, packets interleaved, and the trailer written by `finish()`.
final class Muxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String
    private var opened = false
    // Held so the interrupt callback's unretained pointer stays valid for the context's whole life.
    private let cancelFlag: CancellationFlag

    init(path: String, format: String, cancel: CancellationFlag) throws(RenderError) {
        _ = LibAV.quietLogs
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check("avformat_alloc_output_context2(\(format))", avformat_alloc_output_context2(&context, nil, format, path))
        guard let context else {
            throw LibAV.outOfMemory("avformat_alloc_output_context2")
        }
        self.context = context
        self.path = path
        self.cancelFlag = cancel
        context.pointee.interrupt_callback = LibAV.interruptCallback(cancel)
    }

    deinit {
        if opened { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// Encoders must set `AV_CODEC_FLAG_GLOBAL_HEADER` when this is true (MP4, MOV, MKV).
    var needsGlobalHeader: Bool { (context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// Adds a stream carrying `encoder`'s output; returns its index.
    func addStream(_ encoder: StreamEncoder) throws(RenderError) -> Int32 {
        guard let stream = avformat_new_stream(context, nil) else {
            throw LibAV.outOfMemory("avformat_new_stream")
        }
        try check("avcodec_parameters_from_context", avcodec_parameters_from_context(stream.pointee.codecpar, encoder.codec))
        stream.pointee.time_base = encoder.timeBase
        if encoder.codec.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
            stream.pointee.avg_frame_rate = encoder.codec.pointee.framerate
            stream.pointee.sample_aspect_ratio = encoder.codec.pointee.sample_aspect_ratio
        }
        return stream.pointee.index
    }

    /// Opens the file and writes the header. `options` are muxer options such as `movflags=+faststart`.
    func begin(options: [String: String]) throws(RenderError) {
        var interrupt = context.pointee.interrupt_callback
        var io: UnsafeMutablePointer<AVIOContext>?
        var ioOptions: OpaquePointer?
        av_dict_set(&ioOptions, "protocol_whitelist", "file", 0)
        let openResult = avio_open2(&io, "file:" + path, AVIO_FLAG_WRITE, &interrupt, &ioOptions)
        av_dict_free(&ioOptions)
        if cancelFlag.isCancelled { avio_closep(&io); throw RenderError.cancelled }
        try check("avio_open2(\(path))", openResult)
        context.pointee.pb = io
        opened = true

        var muxerOptions: OpaquePointer?
        for (key, value) in options { av_dict_set(&muxerOptions, key, value, 0) }
        let written = avformat_write_header(context, &muxerOptions)
        av_dict_free(&muxerOptions)
        try check("avformat_write_header", written)
    }

    func timeBase(ofStream index: Int32) -> AVRational {
        context.pointee.streams[Int(index)]?.pointee.time_base ?? AVRational(num: 1, den: 1)
    }

    /// Rescales `packet` from `timeBase` to the stream's and interleaves it into the file.
    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream index: Int32, from timeBase: AVRational) throws(RenderError) {
        packet.pointee.stream_index = index
        av_packet_rescale_ts(packet, timeBase, self.timeBase(ofStream: index))
        let written = av_interleaved_write_frame(context, packet)
        if cancelFlag.isCancelled { throw RenderError.cancelled }
        try check("av_interleaved_write_frame", written)
    }

    /// Writes the trailer (for faststart this moves the index in front of the media) and closes the file.
    func finish() throws(RenderError) {
        let written = av_write_trailer(context)
        if cancelFlag.isCancelled { throw RenderError.cancelled }
        try check("av_write_trailer", written)
        if opened {
            avio_closep(&context.pointee.pb)
            opened = false
        }
    }
}
