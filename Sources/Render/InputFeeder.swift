import CFFmpeg

/// Decodes one plan input and feeds its frames, in source time, to the graph's buffer source for its pad.
final class InputFeeder {
    let spec: RenderPlan.Input
    let decoder: StreamDecoder
    /// The graph's `buffer`/`abuffer` source; set once the graph is built.
    var source: UnsafeMutablePointer<AVFilterContext>?
    private(set) var finished = false
    private let frame: Frame
    /// True while `frame` holds a decoded frame that has not been sent yet.
    private var holding: Bool
    private var nextTimestamp: Int64 = 0
    /// Decodes a clip's pictures ahead on their own thread once the graph first asks for them;
    /// sound and stills are decoded here (they are cheap, and a still is one frame).
    private let ahead: DecodeStage?
    /// Frames decoded ahead per clip: 1080p yuv420p is 3 MB a frame.
    private static let decodeAhead = 2

    init(_ spec: RenderPlan.Input, cancel: CancellationFlag) throws(RenderError) {
        self.spec = spec
        let input = try FormatInput(path: spec.path, cancel: cancel)
        let type = spec.media == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
        guard let index = input.bestStream(type, allowCoverArt: spec.isImage) else {
            throw RenderError.unsupportedMedia(path: spec.path, reason: "no \(spec.media.rawValue) stream for [\(spec.pad)]")
        }
        decoder = try StreamDecoder(input: input, streamIndex: index, reduction: spec.reduction)
        if !spec.isImage { decoder.seek(to: spec.seek) }
        frame = try Frame()
        // The first frame is decoded up front: the graph's sources are described from real decoded frames.
        holding = try decoder.next(into: frame.pointer)
        ahead = spec.media == .video && !spec.isImage ? DecodeStage(decoder: decoder, capacity: Self.decodeAhead) : nil
    }

    deinit {
        // The decoding thread must be done with the decoder before it is freed.
        ahead?.stop()
    }

    /// Time base of the timestamps this feeder sends: the stream's for video, 1/sample rate for audio.
    var timeBase: AVRational {
        spec.media == .audio ? AVRational(num: 1, den: sampleRate) : decoder.timeBase
    }

    private var sampleRate: Int32 {
        let rate = holding ? frame.pointer.pointee.sample_rate : decoder.codec.pointee.sample_rate
        return max(1, rate)
    }

    var videoParameters: FilterGraph.VideoParameters {
        let codec = decoder.codec.pointee
        let current = frame.pointer.pointee
        let stream = decoder.stream.pointee
        let rate = LibAV.isValid(stream.avg_frame_rate) ? stream.avg_frame_rate : stream.r_frame_rate
        return FilterGraph.VideoParameters(
            width: holding ? current.width : codec.width,
            height: holding ? current.height : codec.height,
            pixelFormat: holding ? current.format : codec.pix_fmt.rawValue,
            timeBase: decoder.timeBase,
            sampleAspectRatio: holding ? current.sample_aspect_ratio : codec.sample_aspect_ratio,
            frameRate: spec.isImage ? nil : rate)
    }

    var audioParameters: FilterGraph.AudioParameters {
        let codec = decoder.codec.pointee
        let current = frame.pointer.pointee
        return FilterGraph.AudioParameters(
            sampleRate: sampleRate,
            sampleFormat: holding ? current.format : codec.sample_fmt.rawValue,
            channelLayout: LibAV.layoutDescription(holding ? current.ch_layout : codec.ch_layout))
    }

    /// Current demand on this input: how often the graph asked its source for a frame it did not have.
    var failedRequests: UInt32 {
        guard let source, !finished else { return 0 }
        return av_buffersrc_get_nb_failed_requests(source)
    }

    /// Sends the next frame (or end of stream) to the source. An image sends exactly one frame at pts 0;
    /// a clip stops after the first frame at or past `until`.
    func feed() throws(RenderError) {
        guard let source, !finished else { return }
        if !holding {
            if let ahead {
                ahead.start(name: "cutroom.decode.\(spec.pad)")
                holding = try ahead.next(into: frame.pointer)
            } else {
                holding = try decoder.next(into: frame.pointer)
            }
        }
        guard holding else { return try close() }
        holding = false

        let current = frame.pointer
        let timestamp: Int64
        if spec.isImage {
            timestamp = 0
        } else if let sourceTime = decoder.sourceTimestamp(current) {
            timestamp = spec.media == .audio ? av_rescale_q(sourceTime, decoder.timeBase, timeBase) : sourceTime
        } else {
            timestamp = nextTimestamp
        }
        nextTimestamp = timestamp + (spec.media == .audio ? Int64(current.pointee.nb_samples) : frameTicks)
        current.pointee.pts = timestamp
        if spec.media == .audio, current.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            let channels = current.pointee.ch_layout.nb_channels
            av_channel_layout_uninit(&current.pointee.ch_layout)
            av_channel_layout_default(&current.pointee.ch_layout, channels)
        }
        let pastEnd = spec.until.map { LibAV.seconds(timestamp, timeBase) >= $0 } ?? false
        let added = av_buffersrc_add_frame_flags(source, current, 0)
        av_frame_unref(current)
        try check("av_buffersrc_add_frame(\(spec.pad) \(spec.path))", added)
        if spec.isImage || pastEnd { try close() }
    }

    /// One frame's length in the stream's time base, for frames that come without a timestamp.
    private var frameTicks: Int64 {
        let stream = decoder.stream.pointee
        let rate = LibAV.isValid(stream.avg_frame_rate) ? stream.avg_frame_rate : AVRational(num: 25, den: 1)
        return max(1, av_rescale_q(1, AVRational(num: rate.den, den: rate.num), decoder.timeBase))
    }

    private func close() throws(RenderError) {
        finished = true
        ahead?.stop()
        guard let source else { return }
        try check("av_buffersrc_close(\(spec.pad))", av_buffersrc_close(source, nextTimestamp, 0))
    }
}
