import Compiler
import TimelineModel
import CFFmpeg

/// Decodes one plan input and feeds its frames, in source time, to the graph's buffer source for its pad.
///
/// The demuxer and decoder exist only while the input is being read: they are freed once it has
/// ended, and a parked input (see `park()`) frees them until the graph first asks for it, so a
/// long timeline never holds every clip's decoder (an H.264 decoder with its reference frames
/// and frame threads is tens of MB at 1080p).
final class InputFeeder {
    let spec: RenderPlan.Input
    /// The graph's `buffer`/`abuffer` source; set once the graph is built.
    var source: UnsafeMutablePointer<AVFilterContext>?
    private(set) var finished = false
    private let cancel: CancellationFlag
    private let frame: Frame
    /// True while `frame` holds a decoded frame that has not been sent yet.
    private var holding: Bool
    private var nextTimestamp: Int64 = 0
    private var reading: Reading?
    /// What the graph's source is told, from the first decoded frame.
    let videoParameters: FilterGraph.VideoParameters
    let audioParameters: FilterGraph.AudioParameters
    /// Time base of the timestamps this feeder sends: the stream's for video, 1/sample rate for audio.
    let timeBase: AVRational
    private let streamTimeBase: AVRational
    /// One frame's length in the stream's time base, for frames that come without a timestamp.
    private let frameTicks: Int64
    /// Frames decoded ahead per clip, and the bytes they may take (1080p yuv420p is 3 MB a frame).
    private static let decodeAhead = 2
    private static let decodeAheadBytes = 8 << 20

    /// The open input: its decoder and, for a clip's pictures, the thread decoding ahead of the graph
    /// (sound and stills are decoded on the render thread: cheap, and a still is one frame).
    private final class Reading {
        let decoder: StreamDecoder
        let ahead: DecodeStage?

        init(_ spec: RenderPlan.Input, cancel: CancellationFlag) throws(RenderError) {
            let input = try FormatInput(path: spec.path, cancel: cancel, analysis: .headerIfComplete)
            let type = spec.media == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
            guard let index = input.bestStream(type, allowCoverArt: spec.isImage) else {
                throw RenderError.unsupportedMedia(path: spec.path, reason: "no \(spec.media.rawValue) stream for [\(spec.pad)]")
            }
            decoder = try StreamDecoder(input: input, streamIndex: index, reduction: spec.reduction)
            if !spec.isImage { decoder.seek(to: spec.seek) }
            // Two frames ahead, fewer when frames are big (a 4K frame is 12 MB).
            let frameBytes = max(1, Int(decoder.codec.pointee.width) * Int(decoder.codec.pointee.height) * 3 / 2)
            let capacity = max(1, min(InputFeeder.decodeAhead, InputFeeder.decodeAheadBytes / frameBytes))
            ahead = spec.media == .video && !spec.isImage ? DecodeStage(decoder: decoder, capacity: capacity, name: "cutroom.decode.\(spec.pad)") : nil
        }

        func next(into frame: UnsafeMutablePointer<AVFrame>) throws(RenderError) -> Bool {
            guard let ahead else { return try decoder.next(into: frame) }
            ahead.start()
            return try ahead.next(into: frame)
        }

        deinit {
            // The decoding thread must be done with the decoder before it is freed.
            ahead?.stop()
        }
    }

    init(_ spec: RenderPlan.Input, cancel: CancellationFlag) throws(RenderError) {
        self.spec = spec
        self.cancel = cancel
        let reading = try Reading(spec, cancel: cancel)
        self.reading = reading
        frame = try Frame()
        // The first frame is decoded up front: the graph's sources are described from real decoded frames.
        let decoder = reading.decoder
        holding = try decoder.next(into: frame.pointer)
        let codec = decoder.codec.pointee
        let current = frame.pointer.pointee
        let stream = decoder.stream.pointee
        let sampleRate = max(1, holding ? current.sample_rate : codec.sample_rate)
        let rate = LibAV.isValid(stream.avg_frame_rate) ? stream.avg_frame_rate : stream.r_frame_rate
        videoParameters = FilterGraph.VideoParameters(
            width: holding ? current.width : codec.width,
            height: holding ? current.height : codec.height,
            pixelFormat: holding ? current.format : codec.pix_fmt.rawValue,
            timeBase: decoder.timeBase,
            sampleAspectRatio: holding ? current.sample_aspect_ratio : codec.sample_aspect_ratio,
            frameRate: spec.isImage ? nil : rate)
        audioParameters = FilterGraph.AudioParameters(
            sampleRate: sampleRate,
            sampleFormat: holding ? current.format : codec.sample_fmt.rawValue,
            channelLayout: LibAV.layoutDescription(holding ? current.ch_layout : codec.ch_layout))
        streamTimeBase = decoder.timeBase
        timeBase = spec.media == .audio ? AVRational(num: 1, den: sampleRate) : decoder.timeBase
        let frameRate = LibAV.isValid(stream.avg_frame_rate) ? stream.avg_frame_rate : AVRational(num: 25, den: 1)
        frameTicks = max(1, av_rescale_q(1, AVRational(num: frameRate.den, den: frameRate.num), decoder.timeBase))
    }

    /// Frees the demuxer and decoder until the graph first asks for this input; they are opened
    /// (and seeked) again then, and decode the same first frame.
    func park() {
        guard !finished, reading != nil else { return }
        reading = nil
        av_frame_unref(frame.pointer)
        holding = false
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
        let reading: Reading
        if let open = self.reading {
            reading = open
        } else {
            reading = try Reading(spec, cancel: cancel)
            self.reading = reading
        }
        if !holding { holding = try reading.next(into: frame.pointer) }
        guard holding else { return try close() }
        holding = false

        let current = frame.pointer
        let timestamp: Int64
        if spec.isImage {
            timestamp = 0
        } else if let sourceTime = reading.decoder.sourceTimestamp(current) {
            timestamp = spec.media == .audio ? av_rescale_q(sourceTime, streamTimeBase, timeBase) : sourceTime
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

    /// Ends the input early: everything the graph will use of it has been output.
    func retire() throws(RenderError) {
        guard !finished else { return }
        holding = false
        av_frame_unref(frame.pointer)
        try close()
    }

    private func close() throws(RenderError) {
        finished = true
        reading = nil
        guard let source else { return }
        try check("av_buffersrc_close(\(spec.pad))", av_buffersrc_close(source, nextTimestamp, 0))
    }
}
