import CFFmpeg

/// The objects of one render, created, pumped and freed on one thread.
final class RenderPipeline {
    private let plan: RenderPlan
    private let cancel: CancellationFlag
    private let feeders: [InputFeeder]
    private let graph: FilterGraph
    private let muxer: Muxer
    private let video: Output
    private let audio: Output?
    private let frame: Frame
    private var videoFrames = 0
    private var lastVideoTimestamp: Int64 = -1
    private let started = ContinuousClock.now

    /// One encoded stream: the sink it drains, its encoder and its stream in the file.
    private final class Output {
        let sink: UnsafeMutablePointer<AVFilterContext>
        let encoder: StreamEncoder
        let stream: Int32
        var finished = false

        init(sink: UnsafeMutablePointer<AVFilterContext>, encoder: StreamEncoder, stream: Int32) {
            self.sink = sink
            self.encoder = encoder
            self.stream = stream
        }
    }

    init(plan: RenderPlan, outputPath: String, cancel: CancellationFlag) throws(RenderError) {
        self.plan = plan
        self.cancel = cancel
        frame = try Frame()
        var feeders: [InputFeeder] = []
        for input in plan.inputs {
            if cancel.isCancelled { throw RenderError.cancelled }
            feeders.append(try InputFeeder(input, cancel: cancel))
        }
        self.feeders = feeders

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
        video = Output(sink: videoSink, encoder: videoEncoder, stream: try muxer.addStream(videoEncoder))
        if let audioEncoder, let audioSink = graph.sinks["aout"] {
            let frameSize = audioEncoder.codec.pointee.frame_size
            let variable = (audioEncoder.codec.pointee.codec.pointee.capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0
            if frameSize > 0 && !variable { av_buffersink_set_frame_size(audioSink, UInt32(frameSize)) }
            audio = Output(sink: audioSink, encoder: audioEncoder, stream: try muxer.addStream(audioEncoder))
        } else {
            audio = nil
        }
        switch output.format {
        case "mp4", "mov": try muxer.begin(options: ["movflags": "+faststart"])
        // One picture written to exactly the given name (no %d pattern).
        case "image2": try muxer.begin(options: ["update": "1"])
        default: try muxer.begin(options: [:])
        }
    }

    /// The pump: the graph says which sink is behind; the source it starved most gets the next frame.
    func execute(progress: (RenderProgress) -> Void, onFeed: ((String, Int) -> Void)?) throws(RenderError) {
        while true {
            if cancel.isCancelled { throw RenderError.cancelled }
            let requested = avfilter_graph_request_oldest(graph.graph)
            if requested == LibAV.eof { break }
            if requested >= 0 {
                try drain(progress: progress)
                continue
            }
            if requested != LibAV.again { try check("avfilter_graph_request_oldest", requested) }
            try drain(progress: progress)
            let open = feeders.filter { !$0.finished }
            guard let starved = open.max(by: { $0.failedRequests < $1.failedRequests }) else {
                throw RenderError.ffmpeg(function: "avfilter_graph_request_oldest", code: requested, message: "filter graph wants input after every input ended")
            }
            try starved.feed()
            onFeed?(starved.spec.pad, videoFrames)
            try drain(progress: progress)
        }
        try drain(progress: progress)
        try finish(video)
        if let audio { try finish(audio) }
        guard videoFrames > 0 else {
            throw RenderError.ffmpeg(function: "av_buffersink_get_frame(vout)", code: LibAV.eof, message: "filter graph produced no video frames")
        }
        try muxer.finish()
    }

    /// Encodes every frame the sinks hold, without asking the graph for more.
    private func drain(progress: (RenderProgress) -> Void) throws(RenderError) {
        for output in [video, audio].compactMap({ $0 }) where !output.finished {
            while true {
                let got = av_buffersink_get_frame_flags(output.sink, frame.pointer, AV_BUFFERSINK_FLAG_NO_REQUEST)
                if got == LibAV.again { break }
                if got == LibAV.eof { try finish(output); break }
                try check("av_buffersink_get_frame", got)
                if output === video {
                    try encodeVideo(progress: progress)
                } else {
                    try encodeAudio(output)
                }
            }
        }
    }

    private func encodeVideo(progress: (RenderProgress) -> Void) throws(RenderError) {
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
        try video.encoder.encode(current) { packet throws(RenderError) in try writeVideo(packet) }
        videoFrames += 1
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        progress(RenderProgress(frame: videoFrames, totalFrames: plan.totalFrames, fps: elapsed > 0 ? Double(videoFrames) / elapsed : 0))
    }

    private func writeVideo(_ packet: UnsafeMutablePointer<AVPacket>) throws(RenderError) {
        // libx264 leaves durations at 0; the encoder time base is one frame.
        if packet.pointee.duration == 0 { packet.pointee.duration = 1 }
        try muxer.write(packet, stream: video.stream, from: video.encoder.timeBase)
    }

    private func encodeAudio(_ output: Output) throws(RenderError) {
        defer { av_frame_unref(frame.pointer) }
        let current = frame.pointer
        if current.pointee.pts != LibAV.noPTS {
            current.pointee.pts = av_rescale_q(current.pointee.pts, av_buffersink_get_time_base(output.sink), output.encoder.timeBase)
        }
        try output.encoder.encode(current) { packet throws(RenderError) in
            try muxer.write(packet, stream: output.stream, from: output.encoder.timeBase)
        }
    }

    private func finish(_ output: Output) throws(RenderError) {
        guard !output.finished else { return }
        output.finished = true
        if output === video {
            try output.encoder.encode(nil) { packet throws(RenderError) in try writeVideo(packet) }
        } else {
            try output.encoder.encode(nil) { packet throws(RenderError) in
                try muxer.write(packet, stream: output.stream, from: output.encoder.timeBase)
            }
        }
    }
}
