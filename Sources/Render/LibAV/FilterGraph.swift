import Compiler
import TimelineModel
import CFFmpeg

/// One libavfilter graph: explicit `buffer`/`abuffer` sources and `buffersink`/`abuffersink` sinks
/// joined to a textual description through its named pads, configured once, then pumped.
final class FilterGraph {
    let graph: UnsafeMutablePointer<AVFilterGraph>
    private(set) var sources: [String: UnsafeMutablePointer<AVFilterContext>] = [:]
    private(set) var sinks: [String: UnsafeMutablePointer<AVFilterContext>] = [:]

    init() throws(RenderError) {
        guard let graph = avfilter_graph_alloc() else {
            throw LibAV.outOfMemory("avfilter_graph_alloc")
        }
        self.graph = graph
    }

    deinit {
        var graph: UnsafeMutablePointer<AVFilterGraph>? = graph
        avfilter_graph_free(&graph)
    }

    /// Video source parameters, taken from the first decoded frame so they match what is fed.
    struct VideoParameters {
        var width: Int32
        var height: Int32
        var pixelFormat: Int32
        var timeBase: AVRational
        var sampleAspectRatio: AVRational
        var frameRate: AVRational?

        var arguments: String {
            let aspect = LibAV.isValid(sampleAspectRatio) ? sampleAspectRatio : AVRational(num: 1, den: 1)
            let format = LibAV.string(av_get_pix_fmt_name(AVPixelFormat(rawValue: pixelFormat))) ?? "\(pixelFormat)"
            var text = "video_size=\(width)x\(height):pix_fmt=\(format):time_base=\(timeBase.num)/\(timeBase.den):pixel_aspect=\(aspect.num)/\(aspect.den)"
            if let frameRate, LibAV.isValid(frameRate) { text += ":frame_rate=\(frameRate.num)/\(frameRate.den)" }
            return text
        }
    }

    /// Audio source parameters; the time base is always 1/sample rate.
    struct AudioParameters {
        var sampleRate: Int32
        var sampleFormat: Int32
        var channelLayout: String

        var arguments: String {
            let format = LibAV.string(av_get_sample_fmt_name(AVSampleFormat(rawValue: sampleFormat))) ?? "\(sampleFormat)"
            return "time_base=1/\(sampleRate):sample_rate=\(sampleRate):sample_fmt=\(format):channel_layout=\(channelLayout)"
        }
    }

    func addVideoSource(pad: String, name: String, _ parameters: VideoParameters) throws(RenderError) {
        sources[pad] = try create("buffer", name: name, arguments: parameters.arguments)
    }

    func addAudioSource(pad: String, name: String, _ parameters: AudioParameters) throws(RenderError) {
        sources[pad] = try create("abuffer", name: name, arguments: parameters.arguments)
    }

    /// A video sink that only accepts `pixelFormat` (libavfilter inserts the conversion).
    func addVideoSink(pad: String, name: String, pixelFormat: AVPixelFormat) throws(RenderError) {
        let sink = try create("buffersink", name: name, arguments: nil)
        try check("av_opt_set(pix_fmts)", cutroom_buffersink_set_pix_fmt(sink, pixelFormat))
        sinks[pad] = sink
    }

    /// An audio sink that delivers exactly the encoder's sample format, rate and layout.
    func addAudioSink(pad: String, name: String, sampleFormat: AVSampleFormat, sampleRate: Int32, channelLayout: String) throws(RenderError) {
        let sink = try create("abuffersink", name: name, arguments: nil)
        var formats = [sampleFormat.rawValue]
        var rates = [sampleRate]
        let size = Int32(MemoryLayout<Int32>.size)
        try check("av_opt_set_bin(sample_fmts)", av_opt_set_bin(sink, "sample_fmts", &formats, size, AV_OPT_SEARCH_CHILDREN))
        try check("av_opt_set_bin(sample_rates)", av_opt_set_bin(sink, "sample_rates", &rates, size, AV_OPT_SEARCH_CHILDREN))
        try check("av_opt_set(ch_layouts)", av_opt_set(sink, "ch_layouts", channelLayout, AV_OPT_SEARCH_CHILDREN))
        sinks[pad] = sink
    }

    /// Parses `description` and links each of its unlinked `[pad]` labels to the source or sink of that name.
    /// Every source and sink must be used exactly once.
    func parse(_ description: String) throws(RenderError) {
        var inputs: UnsafeMutablePointer<AVFilterInOut>?
        var outputs: UnsafeMutablePointer<AVFilterInOut>?
        defer {
            avfilter_inout_free(&inputs)
            avfilter_inout_free(&outputs)
        }
        try check("avfilter_graph_parse2", avfilter_graph_parse2(graph, description, &inputs, &outputs))

        var linkedSources: Set<String> = []
        var open = inputs
        while let entry = open {
            let label = LibAV.string(entry.pointee.name) ?? ""
            guard let source = sources[label], !linkedSources.contains(label) else {
                throw RenderError.ffmpeg(function: "avfilter_graph_parse2", code: cutroom_averror(EINVAL), message: "filter graph input [\(label)] has no source")
            }
            try check("avfilter_link(\(label))", avfilter_link(source, 0, entry.pointee.filter_ctx, UInt32(entry.pointee.pad_idx)))
            linkedSources.insert(label)
            open = entry.pointee.next
        }
        var linkedSinks: Set<String> = []
        open = outputs
        while let entry = open {
            let label = LibAV.string(entry.pointee.name) ?? ""
            guard let sink = sinks[label], !linkedSinks.contains(label) else {
                throw RenderError.ffmpeg(function: "avfilter_graph_parse2", code: cutroom_averror(EINVAL), message: "filter graph output [\(label)] has no sink")
            }
            try check("avfilter_link(\(label))", avfilter_link(entry.pointee.filter_ctx, UInt32(entry.pointee.pad_idx), sink, 0))
            linkedSinks.insert(label)
            open = entry.pointee.next
        }
        let unused = Set(sources.keys).subtracting(linkedSources).union(Set(sinks.keys).subtracting(linkedSinks))
        if let pad = unused.sorted().first {
            throw RenderError.ffmpeg(function: "avfilter_graph_parse2", code: cutroom_averror(EINVAL), message: "filter graph does not use [\(pad)]")
        }
    }

    func configure() throws(RenderError) {
        try check("avfilter_graph_config", avfilter_graph_config(graph, nil))
    }

    private func create(_ filterName: String, name: String, arguments: String?) throws(RenderError) -> UnsafeMutablePointer<AVFilterContext> {
        guard let filter = avfilter_get_by_name(filterName) else {
            throw RenderError.ffmpeg(function: "avfilter_get_by_name(\(filterName))", code: cutroom_averror(ENOSYS), message: "filter not available")
        }
        var context: UnsafeMutablePointer<AVFilterContext>?
        try check("avfilter_graph_create_filter(\(name))", avfilter_graph_create_filter(&context, filter, name, arguments, nil, graph))
        guard let context else {
            throw LibAV.outOfMemory("avfilter_graph_create_filter(\(name))")
        }
        return context
    }
}
