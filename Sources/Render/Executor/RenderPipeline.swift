import Compiler
import TimelineModel
import CFFmpeg

/// The objects of one render, created, pumped and freed on one thread; only encoding and muxing
/// run on a second one (`EncodeStage`).
final class RenderPipeline {
    private let plan: RenderPlan
    private let cancel: CancellationFlag
    private let feeders: [InputFeeder]
    /// Picture inputs by their last output frame, the latest first (closed from the end of the array).
    private var retiring: [(lastFrame: Int, feeder: InputFeeder)] = []
    private let graph: FilterGraph
    private let muxer: Muxer
    private let video: Output
    private let audio: Output?
    private let frame: Frame
    private var videoFrames = 0
    private var lastVideoTimestamp: Int64 = -1
    /// Integrated loudness (LUFS) of the mix so far, when the graph measures it (`ebur128=metadata=1`).
    private(set) var measuredLoudness: Double?
    private let started = ContinuousClock.now

    /// One encoded stream: the sink it drains, its encoder and its stream in the file.
    private final class Output {
        let sink: UnsafeMutablePointer<AVFilterContext>
        let encoder: StreamEncoder
        let stream: Int32
        /// 0 for the video, 1 for the audio (the encode stage's name for it).
        let index: Int
        /// Set on the render thread once its end is handed to the encoder.
        var finished = false

        init(sink: UnsafeMutablePointer<AVFilterContext>, encoder: StreamEncoder, stream: Int32, index: Int) {
            self.sink = sink
            self.encoder = encoder
            self.stream = stream
            self.index = index
        }
    }

    init(plan: RenderPlan, outputPath: String, cancel: CancellationFlag) throws(RenderError) {
        self.plan = plan
        self.cancel = cancel
        frame = try Frame()
        var feeders: [InputFeeder] = []
        for input in plan.inputs {
            if cancel.isCancelled { throw RenderError.cancelled }
            let feeder = try InputFeeder(input, cancel: cancel)
            // Many clips: each is opened again when the graph reaches it, rather than all held open at once.
            if plan.inputs.count > Self.openInputs { feeder.park() }
            feeders.append(feeder)
        }
        self.feeders = feeders
        retiring = feeders.compactMap { feeder in
            guard feeder.spec.media == .video, let last = feeder.spec.lastFrame else { return nil }
            return (last, feeder)
        }.sorted { $0.lastFrame > $1.lastFrame }

        let output = plan.output
        let muxer = try Muxer(path: outputPath, format: output.format, cancel: cancel)
        self.muxer = muxer
        var audioEncoder: StreamEncoder?
        if let name = output.audioCodec {
            audioEncoder = try StreamEncoder(audio: output, codecName: name, globalHeader: muxer.needsGlobalHeader)
        }

        graph = try FilterGraph()
        for feeder in feeders {
            let name = "source_\(feeder.spec.pad)_\(feeder.spec.media.rawValue)"
            switch feeder.spec.media {
            case .video: try graph.addVideoSource(pad: feeder.spec.pad, name: name, feeder.videoParameters)
            case .audio: try graph.addAudioSource(pad: feeder.spec.pad, name: name, feeder.audioParameters)
            }
        }
        let pixelFormat = av_get_pix_fmt(output.pixelFormat)
        guard pixelFormat != AV_PIX_FMT_NONE else {
            throw RenderError.ffmpeg(function: "av_get_pix_fmt(\(output.pixelFormat))", code: cutroom_averror(EINVAL), message: "unknown pixel format")
        }
        try graph.addVideoSink(pad: "vout", name: "sink_vout", pixelFormat: pixelFormat)
        if let audioEncoder {
            let codec = audioEncoder.codec.pointee
            try graph.addAudioSink(pad: "aout", name: "sink_aout", sampleFormat: codec.sample_fmt,
                                   sampleRate: codec.sample_rate, channelLayout: LibAV.layoutDescription(codec.ch_layout))
        }
        try graph.parse(plan.filterGraph)
        try graph.configure()
        for feeder in feeders { feeder.source = graph.sources[feeder.spec.pad] }

        guard let videoSink = graph.sinks["vout"] else {
            throw RenderError.ffmpeg(function: "avfilter_graph_parse2", code: cutroom_averror(EINVAL), message: "filter graph has no [vout]")
        }
        let width = av_buffersink_get_w(videoSink)
        let height = av_buffersink_get_h(videoSink)
        // The compiler scales to the output size; a mismatch is a plan bug, better reported than encoded.
        guard Int(width) == output.width, Int(height) == output.height else {
            throw RenderError.ffmpeg(function: "avfilter_graph_config", code: cutroom_averror(EINVAL),
                                     message: "[vout] is \(width)x\(height) but the plan's output is \(output.width)x\(output.height)")
        }
        let videoEncoder = try StreamEncoder(
            video: output, width: width, height: height,
            sampleAspectRatio: av_buffersink_get_sample_aspect_ratio(videoSink), globalHeader: muxer.needsGlobalHeader)
        video = Output(sink: videoSink, encoder: videoEncoder, stream: try muxer.addStream(videoEncoder), index: 0)
        if let audioEncoder, let audioSink = graph.sinks["aout"] {
            let frameSize = audioEncoder.codec.pointee.frame_size
            let variable = (audioEncoder.codec.pointee.codec.pointee.capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0
            if frameSize > 0 && !variable { av_buffersink_set_frame_size(audioSink, UInt32(frameSize)) }
            audio = Output(sink: audioSink, encoder: audioEncoder, stream: try muxer.addStream(audioEncoder), index: 1)
        } else {
            audio = nil
        }
        switch output.format {
        case "mp4", "mov":
            // A piece of a stream copy counts time in the sources' units, so its packets join theirs.
            let timescale = output.splice.map { ["video_track_timescale": "\($0.timescale)"] } ?? [:]
            var options = timescale.merging(["movflags": "+faststart"]) { a, _ in a }
            if output.fragmented {
                // No edit list in fragments: shifting every stream by the AAC priming (the default)
                // would start the pictures 21 ms late. Unshifted, the pictures start at 0 exactly and
                // the sound carries its priming at its head (21 ms late).
                options["movflags"] = "+frag_keyframe+empty_moov+default_base_moof"
                options["avoid_negative_ts"] = "disabled"
            }
            try muxer.begin(options: options)
        // One picture written to exactly the given name (no %d pattern).
        case "image2": try muxer.begin(options: ["update": "1"])
        default: try muxer.begin(options: [:])
        }
    }

    /// The pump: the graph says which sink is behind; the source it starved most gets the next frame.
    /// Encoding runs on its own thread (`EncodeStage`) while this one decodes and filters.
    func execute(progress: (RenderProgress) -> Void, onFeed: ((String, Int) -> Void)?) throws(RenderError) {
        let stage = EncodeStage(capacity: Self.encodeQueue) { [video, audio, muxer] job throws(RenderError) in
            guard let output = job.output == 0 ? video : audio else { return }
            // A nil frame flushes the encoder.
            try output.encoder.encode(job.frame) { packet throws(RenderError) in try Self.write(packet, of: output, to: muxer) }
        }
        defer { stage.stop() }
        while true {
            if cancel.isCancelled { throw RenderError.cancelled }
            let requested = avfilter_graph_request_oldest(graph.graph)
            if requested == LibAV.eof { break }
            if requested >= 0 {
                try drain(stage, progress: progress)
                continue
            }
            if requested != LibAV.again { try check("avfilter_graph_request_oldest", requested) }
            try drain(stage, progress: progress)
            let open = feeders.filter { !$0.finished }
            guard let starved = open.max(by: { $0.failedRequests < $1.failedRequests }) else {
                throw RenderError.ffmpeg(function: "avfilter_graph_request_oldest", code: requested, message: "filter graph wants input after every input ended")
            }
            try starved.feed()
            onFeed?(starved.spec.pad, videoFrames)
            try drain(stage, progress: progress)
            try retireShownInputs()
        }
        try drain(stage, progress: progress)
        try finish(video, stage)
        if let audio { try finish(audio, stage) }
        try stage.finish()
        guard videoFrames > 0 else {
            throw RenderError.ffmpeg(function: "av_buffersink_get_frame(vout)", code: LibAV.eof, message: "filter graph produced no video frames")
        }
        try muxer.finish()
    }

    /// Closes the picture inputs whose last frame has been output (sound inputs are left to end by
    /// themselves: the mix may still be behind the pictures).
    private func retireShownInputs() throws(RenderError) {
        while let next = retiring.last, next.lastFrame < videoFrames {
            retiring.removeLast()
            try next.feeder.retire()
        }
    }

    /// Inputs a render keeps open from the start; beyond it every input opens on first demand
    /// (a frame preview, which needs all of its few inputs at once, never waits for a reopen).
    private static let openInputs = 8

    /// Frames queued for the encoder thread: enough to ride out x264's stalls, few enough to stay small (1080p: 3 MB each).
    private static let encodeQueue = 4

    /// Hands every frame the sinks hold to the encoder, without asking the graph for more.
    private func drain(_ stage: EncodeStage, progress: (RenderProgress) -> Void) throws(RenderError) {
        for output in [video, audio].compactMap({ $0 }) where !output.finished {
            while true {
                let got = av_buffersink_get_frame_flags(output.sink, frame.pointer, AV_BUFFERSINK_FLAG_NO_REQUEST)
                if got == LibAV.again { break }
                if got == LibAV.eof { try finish(output, stage); break }
                try check("av_buffersink_get_frame", got)
                if output === video {
                    try encodeVideo(stage, progress: progress)
                } else {
                    try encodeAudio(output, stage)
                }
            }
        }
    }

    private func encodeVideo(_ stage: EncodeStage, progress: (RenderProgress) -> Void) throws(RenderError) {
        defer { av_frame_unref(frame.pointer) }
        if cancel.isCancelled { throw RenderError.cancelled }
        let current = frame.pointer
        let encoderTimeBase = video.encoder.timeBase
        var timestamp = current.pointee.pts == LibAV.noPTS
            ? lastVideoTimestamp + 1
            : av_rescale_q(current.pointee.pts, av_buffersink_get_time_base(video.sink), encoderTimeBase)
        if timestamp <= lastVideoTimestamp { timestamp = lastVideoTimestamp + 1 }
        lastVideoTimestamp = timestamp
        current.pointee.pts = timestamp
        current.pointee.pict_type = AV_PICTURE_TYPE_NONE
        try stage.encode(current, output: 0)
        videoFrames += 1
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        progress(RenderProgress(frame: videoFrames, totalFrames: plan.totalFrames, fps: elapsed > 0 ? Double(videoFrames) / elapsed : 0))
    }

    /// Writes one encoded packet (on the encoder thread).
    private static func write(_ packet: UnsafeMutablePointer<AVPacket>, of output: Output, to muxer: Muxer) throws(RenderError) {
        // libx264 leaves durations at 0; the video encoder's time base is one frame.
        if output.index == 0 && packet.pointee.duration == 0 { packet.pointee.duration = 1 }
        try muxer.write(packet, stream: output.stream, from: output.encoder.timeBase)
    }

    private func encodeAudio(_ output: Output, _ stage: EncodeStage) throws(RenderError) {
        defer { av_frame_unref(frame.pointer) }
        let current = frame.pointer
        if let entry = av_dict_get(current.pointee.metadata, "lavfi.r128.I", nil, 0), let value = entry.pointee.value,
           let loudness = Double(String(cString: value)), loudness.isFinite, loudness > -70 {
            measuredLoudness = loudness
        }
        if current.pointee.pts != LibAV.noPTS {
            current.pointee.pts = av_rescale_q(current.pointee.pts, av_buffersink_get_time_base(output.sink), output.encoder.timeBase)
        }
        try stage.encode(current, output: 1)
    }

    private func finish(_ output: Output, _ stage: EncodeStage) throws(RenderError) {
        guard !output.finished else { return }
        output.finished = true
        try stage.end(output: output.index)
    }
}
