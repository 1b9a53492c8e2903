import Compiler
import TimelineModel
import CFFmpeg

/// Reads the packets of one stream of a `FormatInput` and decodes them into frames.
final class StreamDecoder {
    let input: FormatInput
    let stream: UnsafeMutablePointer<AVStream>
    let streamIndex: Int32
    let codec: UnsafeMutablePointer<AVCodecContext>
    private let packet: Packet
    private var flushed = false
    private var corruptRun = 0
    /// After a seek, pictures shown before this timestamp (stream time base) are not wanted: the
    /// decoder skips those no other picture refers to (`AVDISCARD_NONREF`). In x264's B-frame
    /// patterns that is 40 % of the decoding between the keyframe and the seek target.
    private var unwantedBefore: Int64?
    /// Seconds before a seek target whose pictures are still decoded in full: a variable-rate source
    /// may show its last picture before the target for that long.
    private static let seekMargin = 0.25
    /// How many corrupt packets in a row are skipped before the stream counts as broken.
    private static let corruptLimit = 100

    /// `reduction`: decode at 1/2^n size where the decoder supports it (`lowres`; JPEG up to 3), else full size.
    init(input: FormatInput, streamIndex: Int32, threads: Int32 = 0, reduction: Int = 0) throws(RenderError) {
        guard let stream = input.stream(streamIndex), let parameters = stream.pointee.codecpar else {
            throw RenderError.unsupportedMedia(path: input.path, reason: "stream \(streamIndex) does not exist")
        }
        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw RenderError.unsupportedMedia(path: input.path, reason: "no decoder for \(LibAV.string(avcodec_get_name(parameters.pointee.codec_id)) ?? "codec")")
        }
        // The packet first: once the context is allocated nothing may throw before `self` owns it
        // (a throw after that runs `deinit`, which frees it).
        self.packet = try Packet()
        guard let codec = avcodec_alloc_context3(decoder) else {
            throw LibAV.outOfMemory("avcodec_alloc_context3")
        }
        self.codec = codec
        self.input = input
        self.stream = stream
        self.streamIndex = streamIndex
        try check("avcodec_parameters_to_context", avcodec_parameters_to_context(codec, parameters))
        codec.pointee.thread_count = threads
        codec.pointee.lowres = Int32(min(max(0, reduction), Int(decoder.pointee.max_lowres)))
        codec.pointee.pkt_timebase = stream.pointee.time_base
        // libavcodec checks each picture's declared size against this before allocating it.
        codec.pointee.max_pixels = Int64(input.maxPixels)
        let opened = avcodec_open2(codec, decoder, nil)
        if opened < 0 {
            throw RenderError.unsupportedMedia(path: input.path, reason: "cannot decode \(LibAV.string(decoder.pointee.name) ?? "stream"): \(LibAV.errorString(opened))")
        }
    }

    deinit {
        var codec: UnsafeMutablePointer<AVCodecContext>? = codec
        avcodec_free_context(&codec)
    }

    var timeBase: AVRational { stream.pointee.time_base }

    /// Seeks to the keyframe at or before `seconds` of source time; decoding then continues from there.
    /// A failed seek leaves the position at the start, which is slower but still correct.
    func seek(to seconds: Double) {
        guard seconds > 0 else { return }
        let start = stream.pointee.start_time == LibAV.noPTS ? 0 : stream.pointee.start_time
        let target = start + Int64((seconds * Double(timeBase.den) / Double(timeBase.num)).rounded(.down))
        if av_seek_frame(input.context, streamIndex, target, AVSEEK_FLAG_BACKWARD) >= 0 {
            avcodec_flush_buffers(codec)
            if codec.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
                unwantedBefore = target - Int64((StreamDecoder.seekMargin * Double(timeBase.den) / Double(timeBase.num)).rounded(.up))
            }
        }
    }

    /// Source time of a decoded frame in the stream's time base (the stream's start time is 0), if known.
    func sourceTimestamp(_ frame: UnsafeMutablePointer<AVFrame>) -> Int64? {
        var timestamp = frame.pointee.best_effort_timestamp
        if timestamp == LibAV.noPTS { timestamp = frame.pointee.pts }
        if timestamp == LibAV.noPTS { return nil }
        let start = stream.pointee.start_time
        return start == LibAV.noPTS ? timestamp : timestamp - start
    }

    /// Decodes the next frame into `frame`. Returns false at the end of the stream.
    /// Corrupt packets are skipped (as ffmpeg does); a run of them, or a failing read, throws.
    func next(into frame: UnsafeMutablePointer<AVFrame>) throws(RenderError) -> Bool {
        while true {
            if input.isCancelled { throw RenderError.cancelled }
            let received = avcodec_receive_frame(codec, frame)
            if received >= 0 { corruptRun = 0; return true }
            if received == LibAV.eof { return false }
            if received == LibAV.invalidData {
                try countCorrupt()
                continue
            }
            if received != LibAV.again { try check("avcodec_receive_frame(\(input.path))", received) }
            if flushed { return false }

            let read = av_read_frame(input.context, packet.pointer)
            if read < 0 {
                if read == LibAV.exit || input.isCancelled { throw RenderError.cancelled }
                // End of file, or a truncated/damaged tail: decode what was read and stop there.
                flushed = true
                try sendPacket(nil)
                continue
            }
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == streamIndex else { continue }
            try sendPacket(packet.pointer)
        }
    }

    private func sendPacket(_ packet: UnsafeMutablePointer<AVPacket>?) throws(RenderError) {
        if let unwantedBefore, let pts = packet?.pointee.pts, pts != LibAV.noPTS {
            // Read per packet, also by frame threads (libavcodec copies it with each packet it hands over).
            codec.pointee.skip_frame = pts < unwantedBefore ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
        }
        let sent = avcodec_send_packet(codec, packet)
        if sent >= 0 || sent == LibAV.eof { return }
        if sent == LibAV.invalidData { try countCorrupt(); return }
        try check("avcodec_send_packet(\(input.path))", sent)
    }

    private func countCorrupt() throws(RenderError) {
        corruptRun += 1
        if corruptRun > StreamDecoder.corruptLimit {
            throw RenderError.unsupportedMedia(path: input.path, reason: "too many corrupt packets")
        }
    }
}
