import Compiler
import TimelineModel
import CFFmpeg

/// An opened media file (demuxer). Only local files are read: the protocol whitelist is `file`, the
/// container is detected from the bytes before any demuxer runs, and demuxers that read text or
/// reference other resources (playlists, concat lists, SDP) are refused, because uploads are untrusted.
final class FormatInput {
    let context: UnsafeMutablePointer<AVFormatContext>
    let path: String
    /// libavformat's short name of the detected container, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    let formatName: String
    private var io: UnsafeMutablePointer<AVIOContext>?
    // Held so the interrupt callback's unretained pointer stays valid for the context's whole life.
    let cancelFlag: CancellationFlag
    /// The largest picture (width × height) any stream of this input may have; decoders refuse bigger.
    let maxPixels: Int

    /// Demuxers that accept arbitrary text or open further URLs or files named inside the file
    /// (SVG images can reference other local files through librsvg).
    static let refusedFormats: Set<String> = [
        "tty", "hls", "applehttp", "concat", "dash", "sdp", "rtp", "rtsp", "ffmetadata", "lavfi",
        "data", "bin", "mpl2", "subviewer", "subviewer1", "srt", "webvtt", "ass", "microdvd", "jacosub",
        "realtext", "sami", "stl", "vplayer", "pjs", "aqtitle", "lrc", "scc", "mcc", "image2", "imagepipe",
        "svg_pipe",
    ]

    /// Bytes and microseconds libav may read while detecting streams; bounds the work an upload can cause.
    static let probeSize: Int64 = 20_000_000
    static let analyzeDuration: Int64 = 10_000_000

    /// How much `init` learns about the streams before returning.
    enum Analysis {
        /// Decode the first packets of every stream (`avformat_find_stream_info`): fills in what the
        /// header does not say (pixel format, profile, start times in Matroska, raw streams' parameters).
        case full
        /// Trust the header when it is complete enough to decode from (an MP4/MOV's `moov` is), and
        /// analyse fully otherwise. Renders open each input this way: analysing decodes a 4K file's first
        /// pictures with a fresh decoder, a tenth of a second and 100 MB of zeroed pages each time.
        case headerIfComplete
    }

    init(path: String, cancel: CancellationFlag, analysis: Analysis = .full, maxPixels: Int = MediaProbe.engineMaxPixels) throws(RenderError) {
        _ = LibAV.quietLogs
        self.path = path
        self.maxPixels = maxPixels
        self.cancelFlag = cancel
        var interrupt = LibAV.interruptCallback(cancel)

        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        var io: UnsafeMutablePointer<AVIOContext>?
        // The "file:" prefix keeps a colon in a file name from being read as a protocol.
        let opened = avio_open2(&io, "file:" + path, AVIO_FLAG_READ, &interrupt, &options)
        av_dict_free(&options)
        if cancel.isCancelled { avio_closep(&io); throw RenderError.cancelled }
        guard opened >= 0, let pb = io else {
            throw RenderError.unsupportedMedia(path: path, reason: "cannot open: \(LibAV.errorString(opened))")
        }

        var detected: UnsafePointer<AVInputFormat>?
        // Detect from the bytes alone (no file name): extensions must not pick a demuxer for an upload.
        let score = av_probe_input_buffer2(pb, &detected, nil, nil, 0, 0)
        guard score >= 0, let format = detected else {
            avio_closep(&io)
            throw RenderError.unsupportedMedia(path: path, reason: "not a media file (\(score < 0 ? LibAV.errorString(score) : "unknown format"))")
        }
        let name = LibAV.string(format.pointee.name) ?? "unknown"
        // A weak match is how random bytes and text get taken for MP3 or MPEG-TS.
        guard score >= 25, !FormatInput.refusedFormats.contains(name) else {
            avio_closep(&io)
            throw RenderError.unsupportedMedia(path: path, reason: "not a supported media format (\(name), probe score \(score))")
        }

        guard let allocated = avformat_alloc_context() else {
            avio_closep(&io)
            throw LibAV.outOfMemory("avformat_alloc_context")
        }
        allocated.pointee.pb = pb
        allocated.pointee.interrupt_callback = interrupt
        allocated.pointee.probesize = FormatInput.probeSize
        allocated.pointee.max_analyze_duration = FormatInput.analyzeDuration
        var context: UnsafeMutablePointer<AVFormatContext>? = allocated
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        let openResult = avformat_open_input(&context, path, format, &options)
        av_dict_free(&options)
        // On failure avformat_open_input frees the context but never a caller-supplied AVIOContext.
        guard openResult >= 0, let context else {
            avio_closep(&io)
            if cancel.isCancelled { throw RenderError.cancelled }
            throw RenderError.unsupportedMedia(path: path, reason: "cannot read \(name): \(LibAV.errorString(openResult))")
        }
        self.context = context
        self.io = io
        self.formatName = name

        // Sizes the header declares are checked before anything is decoded (a 1 MB PNG may declare
        // 16000×16000: a gigabyte once decoded); the analysis decoders get the same bound.
        // Still pictures' demuxers (png_pipe, jpeg_pipe, …, gif) leave the size to the decoder: read
        // it from the picture's own header. Other inputs (every render input) skip the extra read.
        if name.hasSuffix("_pipe") || name == "gif", let declared = PictureHeader.size(atPath: path) {
            try checkPicture(width: declared.width, height: declared.height)
        }
        try checkPictureSizes()
        if analysis == .headerIfComplete && headerIsComplete { return }
        var perStream = [OpaquePointer?](repeating: nil, count: streamCount)
        for index in perStream.indices { av_dict_set(&perStream[index], "max_pixels", String(maxPixels), 0) }
        let info = perStream.isEmpty
            ? avformat_find_stream_info(context, nil)
            : perStream.withUnsafeMutableBufferPointer { avformat_find_stream_info(context, $0.baseAddress) }
        for index in perStream.indices { av_dict_free(&perStream[index]) }
        if cancel.isCancelled { throw RenderError.cancelled }
        try checkPictureSizes()
        if info < 0 {
            throw RenderError.unsupportedMedia(path: path, reason: "cannot read streams: \(LibAV.errorString(info))")
        }
    }

    /// Most streams a file may hold: each is parsed and may get a decoder; real files have a few
    /// (a camera's, a film's dozen languages), a hostile one thousands.
    static let maxStreams = 64

    /// Refuses a video stream whose picture is larger than `maxPixels` as the container declares it
    /// (image pipes leave the size to the decoder: their own header is read before, in `init`).
    private func checkPictureSizes() throws(RenderError) {
        guard streamCount <= Self.maxStreams else {
            throw RenderError.unsupportedMedia(path: path, reason: "the file holds \(streamCount) streams; at most \(Self.maxStreams) are accepted")
        }
        for index in 0..<Int32(streamCount) {
            guard let p = stream(index)?.pointee.codecpar, p.pointee.codec_type == AVMEDIA_TYPE_VIDEO else { continue }
            try checkPicture(width: Int(p.pointee.width), height: Int(p.pointee.height))
        }
    }

    private func checkPicture(width: Int, height: Int) throws(RenderError) {
        let pixels = width * height
        guard pixels > maxPixels else { return }
        throw RenderError.unsupportedMedia(
            path: path,
            reason: "the picture is \(width)×\(height) (\(pixels / 1_000_000) Mpx); at most \(maxPixels / 1_000_000) Mpx are accepted"
        )
    }

    /// True when the container's header gives every stream what decoding from a seek needs: the MOV
    /// family's `moov` has sizes, rates, start times (edit lists) and the reorder delay (`ctts`).
    /// Matroska leaves start times unknown until packets are read, and raw or streamed formats
    /// (`AVFMTCTX_NOHEADER`) say nothing up front.
    private var headerIsComplete: Bool {
        guard formatName == "mov,mp4,m4a,3gp,3g2,mj2", context.pointee.ctx_flags & AVFMTCTX_NOHEADER == 0, streamCount > 0 else { return false }
        return (0..<Int32(streamCount)).allSatisfy { index in
            guard let stream = stream(index), let p = stream.pointee.codecpar else { return false }
            guard stream.pointee.start_time != LibAV.noPTS, p.pointee.codec_id != AV_CODEC_ID_NONE else { return false }
            switch p.pointee.codec_type {
            case AVMEDIA_TYPE_VIDEO: return p.pointee.width > 0 && p.pointee.height > 0
            case AVMEDIA_TYPE_AUDIO: return p.pointee.sample_rate > 0 && p.pointee.ch_layout.nb_channels > 0
            default: return true
            }
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&context)
        avio_closep(&io)
    }

    var isCancelled: Bool { cancelFlag.isCancelled }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, Int(index) < streamCount, let streams = context.pointee.streams else { return nil }
        return streams[Int(index)]
    }

    static func isAttachedPicture(_ stream: UnsafeMutablePointer<AVStream>) -> Bool {
        stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
    }

    /// The stream of `type` an editor would pick. Cover art (an attached picture) is not video unless
    /// `allowCoverArt` is set and there is no other video stream.
    func bestStream(_ type: AVMediaType, allowCoverArt: Bool = false) -> Int32? {
        let candidates = (0..<Int32(streamCount)).filter { index in
            guard let stream = stream(index), let parameters = stream.pointee.codecpar else { return false }
            return parameters.pointee.codec_type == type && avcodec_find_decoder(parameters.pointee.codec_id) != nil
        }
        let regular = candidates.filter { index in stream(index).map { !FormatInput.isAttachedPicture($0) } ?? false }
        let best = av_find_best_stream(context, type, -1, -1, nil, 0)
        if regular.contains(best) { return best }
        if let first = regular.first { return first }
        if allowCoverArt, let first = candidates.first { return first }
        return nil
    }
}
