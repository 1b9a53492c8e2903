import Compiler
import TimelineModel
import CFFmpeg

/// Owns one opened encoder context and its send/receive loop.
final class StreamEncoder {
    let codec: UnsafeMutablePointer<AVCodecContext>
    let packet: Packet

    private init(encoderName: String, configure: (UnsafeMutablePointer<AVCodecContext>) throws(RenderError) -> Void) throws(RenderError) {
        guard let encoder = avcodec_find_encoder_by_name(encoderName) else {
            throw RenderError.ffmpeg(function: "avcodec_find_encoder_by_name(\(encoderName))", code: cutroom_averror(ENOSYS), message: "encoder not available")
        }
        // The packet first: once the context is allocated nothing may throw before `self` owns it.
        self.packet = try Packet()
        guard let codec = avcodec_alloc_context3(encoder) else {
            throw LibAV.outOfMemory("avcodec_alloc_context3")
        }
        self.codec = codec
        try configure(codec)
        try check("avcodec_open2(\(encoderName))", avcodec_open2(codec, encoder, nil))
    }

    deinit {
        var codec: UnsafeMutablePointer<AVCodecContext>? = codec
        avcodec_free_context(&codec)
    }

    /// The render's video encoder (libx264 by default): CRF or bitrate, preset, 2-second GOP, time base 1/fps.
    convenience init(video output: RenderPlan.Output, width: Int32, height: Int32, sampleAspectRatio: AVRational, globalHeader: Bool) throws(RenderError) {
        let pixelFormat = av_get_pix_fmt(output.pixelFormat)
        guard pixelFormat != AV_PIX_FMT_NONE else {
            throw RenderError.ffmpeg(function: "av_get_pix_fmt(\(output.pixelFormat))", code: cutroom_averror(EINVAL), message: "unknown pixel format")
        }
        try self.init(encoderName: output.videoCodec) { codec throws(RenderError) in
            codec.pointee.width = width
            codec.pointee.height = height
            codec.pointee.pix_fmt = pixelFormat
            codec.pointee.sample_aspect_ratio = LibAV.isValid(sampleAspectRatio) ? sampleAspectRatio : AVRational(num: 1, den: 1)
            codec.pointee.time_base = AVRational(num: Int32(output.frameRate.den), den: Int32(output.frameRate.num))
            codec.pointee.framerate = AVRational(num: Int32(output.frameRate.num), den: Int32(output.frameRate.den))
            codec.pointee.gop_size = Int32(output.keyframeInterval)
            codec.pointee.thread_count = Int32(output.encoderThreads ?? 0)
            if globalHeader { codec.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            try Self.tag(codec, output.colour)
            switch output.videoCodec {
            case "libx264", "libx265":
                if let bitrate = output.videoBitrate {
                    codec.pointee.bit_rate = Int64(bitrate)
                } else {
                    try check("av_opt_set(crf)", av_opt_set(codec.pointee.priv_data, "crf", "\(output.crf)", 0))
                }
                try check("av_opt_set(preset)", av_opt_set(codec.pointee.priv_data, "preset", output.preset, 0))
                if let splice = output.splice {
                    try check("av_opt_set(x264-params)", av_opt_set(codec.pointee.priv_data, "x264-params", "sps-id=\(splice.parameterSetID)", 0))
                    try check("av_opt_set(profile)", av_opt_set(codec.pointee.priv_data, "profile", splice.profile, 0))
                }
            case "libvpx-vp9":
                // Constant quality needs bit_rate 0; with a bitrate, crf caps quality instead. VP9's crf
                // scale (0-63) sits higher than x264's for the same look: 23 becomes 31, libvpx's advice for HD.
                codec.pointee.bit_rate = Int64(output.videoBitrate ?? 0)
                try check("av_opt_set(crf)", av_opt_set(codec.pointee.priv_data, "crf", "\(min(63, output.crf + 8))", 0))
                let (deadline, cpuUsed) = Self.vp9Speed(preset: output.preset)
                try check("av_opt_set(deadline)", av_opt_set(codec.pointee.priv_data, "deadline", deadline, 0))
                try check("av_opt_set(cpu-used)", av_opt_set(codec.pointee.priv_data, "cpu-used", "\(cpuUsed)", 0))
                try check("av_opt_set(row-mt)", av_opt_set(codec.pointee.priv_data, "row-mt", "1", 0))
            case "mjpeg":
                codec.pointee.flags |= AV_CODEC_FLAG_QSCALE
                codec.pointee.global_quality = FF_QP2LAMBDA * 2
            default:
                if let bitrate = output.videoBitrate { codec.pointee.bit_rate = Int64(bitrate) }
            }
        }
    }

    /// Sets the stream's colour properties (x264 writes them into the VUI, VP9 and the muxers into
    /// their headers). An unknown name is a plan error, not an untagged stream.
    static func tag(_ codec: UnsafeMutablePointer<AVCodecContext>, _ tags: RenderPlan.ColourTags) throws(RenderError) {
        func value(_ name: String?, _ kind: String, _ parse: (String) -> Int32) throws(RenderError) -> Int32? {
            guard let name else { return nil }
            let parsed = parse(name)
            if parsed < 0 { throw RenderError.ffmpeg(function: "av_\(kind)_from_name(\(name))", code: cutroom_averror(EINVAL), message: "unknown colour \(kind)") }
            return parsed
        }
        if let space = try value(tags.space, "color_space", { av_color_space_from_name($0) }) { codec.pointee.colorspace = AVColorSpace(rawValue: UInt32(space)) }
        if let primaries = try value(tags.primaries, "color_primaries", { av_color_primaries_from_name($0) }) { codec.pointee.color_primaries = AVColorPrimaries(rawValue: UInt32(primaries)) }
        if let transfer = try value(tags.transfer, "color_transfer", { av_color_transfer_from_name($0) }) { codec.pointee.color_trc = AVColorTransferCharacteristic(rawValue: UInt32(transfer)) }
        if let range = try value(tags.range, "color_range", { av_color_range_from_name($0) }) { codec.pointee.color_range = AVColorRange(rawValue: UInt32(range)) }
    }

    /// libvpx's speed for an x264-style preset name: the fast ones in realtime mode (VP9 "good" at
    /// cpu-used 5 is still several times slower than x264 veryfast), the slow ones in good mode.
    static func vp9Speed(preset: String) -> (deadline: String, cpuUsed: Int) {
        switch preset {
        case "ultrafast": return ("realtime", 8)
        case "superfast": return ("realtime", 7)
        case "veryfast": return ("realtime", 6)
        case "faster": return ("good", 5)
        case "fast": return ("good", 4)
        case "medium": return ("good", 3)
        case "slow": return ("good", 2)
        case "slower": return ("good", 1)
        default: return ("good", 0)
        }
    }

    /// The render's audio encoder (AAC by default) at the plan's bitrate, rate and channel count.
    convenience init(audio output: RenderPlan.Output, codecName: String, globalHeader: Bool) throws(RenderError) {
        try self.init(encoderName: codecName) { codec throws(RenderError) in
            let encoder = codec.pointee.codec
            codec.pointee.sample_fmt = encoder?.pointee.sample_fmts?.pointee ?? AV_SAMPLE_FMT_FLTP
            codec.pointee.sample_rate = Int32(output.sampleRate)
            av_channel_layout_uninit(&codec.pointee.ch_layout)
            av_channel_layout_default(&codec.pointee.ch_layout, Int32(output.channels))
            codec.pointee.bit_rate = Int64(output.audioBitrate)
            codec.pointee.time_base = AVRational(num: 1, den: Int32(output.sampleRate))
            if globalHeader { codec.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
    }

    /// A JPEG encoder (libav's mjpeg, full-range yuvj420p) for thumbnails.
    convenience init(jpegWidth width: Int32, height: Int32) throws(RenderError) {
        try self.init(encoderName: "mjpeg") { codec throws(RenderError) in
            codec.pointee.width = width
            codec.pointee.height = height
            codec.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
            try Self.tag(codec, .jpeg)
            codec.pointee.time_base = AVRational(num: 1, den: 25)
            codec.pointee.flags |= AV_CODEC_FLAG_QSCALE
            codec.pointee.global_quality = FF_QP2LAMBDA * 3
        }
    }

    var timeBase: AVRational { codec.pointee.time_base }

    /// Sends a frame (nil flushes), then hands every packet the encoder has ready to `write`.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>?, write: (UnsafeMutablePointer<AVPacket>) throws(RenderError) -> Void) throws(RenderError) {
        if let frame { frame.pointee.quality = codec.pointee.global_quality }
        let sent = avcodec_send_frame(codec, frame)
        if sent != LibAV.eof { try check("avcodec_send_frame", sent) }
        while true {
            let received = avcodec_receive_packet(codec, packet.pointer)
            if received == LibAV.again || received == LibAV.eof { return }
            try check("avcodec_receive_packet", received)
            defer { av_packet_unref(packet.pointer) }
            try write(packet.pointer)
        }
    }
}
