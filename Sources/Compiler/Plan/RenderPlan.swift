import TimelineModel
/// An exact rational number, used for time bases and frame rates so that time is never
/// accumulated in floating point inside the engine.
public struct Rational: Codable, Sendable, Hashable, CustomStringConvertible {
    public var num: Int
    public var den: Int

    public init(_ num: Int, _ den: Int) {
        self.num = num
        self.den = den
    }

    public var doubleValue: Double { Double(num) / Double(den) }
    public var description: String { "\(num)/\(den)" }
}

/// What the compiler hands the executor: inputs to open, one libavfilter graph description
/// with named pads, and how to encode the result. Pure data: no FFmpeg types.
public struct RenderPlan: Sendable, Hashable {
    /// One decoded stream feeding the graph through a `buffer`/`abuffer` source named `pad`.
    public struct Input: Sendable, Hashable {
        public enum Media: String, Sendable, Hashable { case video, audio }
        /// Local file to open.
        public var path: String
        public var media: Media
        /// Name of the graph's source pad this stream feeds, e.g. `in0v`.
        public var pad: String
        /// Source time to seek to before decoding (seconds, ≥ 0); frames before it are dropped by the graph's trim.
        public var seek: Double
        /// Stop decoding after this source time (seconds), so no input is decoded further than needed.
        public var until: Double?
        /// True for a still image: decoded once and repeated by the graph (`loop`).
        public var isImage: Bool
        /// Decode at 1/2^`reduction` of the size, where the decoder can (JPEG): a huge picture shown
        /// small never costs its full size in memory.
        public var reduction: Int = 0
        /// The last output frame (counted from the render's first) that shows this input's pictures:
        /// once it is out, the render closes the input, whose filters may never ask for `until`.
        public var lastFrame: Int?

        public init(path: String, media: Media, pad: String, seek: Double = 0, until: Double? = nil, isImage: Bool = false) {
            self.path = path
            self.media = media
            self.pad = pad
            self.seek = seek
            self.until = until
            self.isImage = isImage
        }
    }

    /// The colour properties an encoder writes into its stream (libav's names: `bt709`, `tv`,
    /// `iec61966-2-1`, ...); nil leaves one unspecified.
    public struct ColourTags: Sendable, Hashable {
        public var space: String?
        public var primaries: String?
        public var transfer: String?
        public var range: String?

        public init(space: String? = nil, primaries: String? = nil, transfer: String? = nil, range: String? = nil) {
            self.space = space
            self.primaries = primaries
            self.transfer = transfer
            self.range = range
        }

        /// HD video: bt709 matrix, primaries and transfer, limited range (what the canvas is).
        public static let bt709 = ColourTags(space: "bt709", primaries: "bt709", transfer: "bt709", range: "tv")
        /// JPEG (JFIF): full-range bt601.
        public static let jpeg = ColourTags(space: "bt470bg", range: "pc")
        /// RGB pictures of the canvas, shown as sRGB (PNG writes an `sRGB` chunk).
        public static let sRGB = ColourTags(space: "gbr", primaries: "bt709", transfer: "iec61966-2-1", range: "pc")
    }

    /// Encoder and container settings.
    public struct Output: Sendable, Hashable {
        public var format: String          // "mp4"
        public var width: Int
        public var height: Int
        public var frameRate: Rational     // e.g. 30/1, 30000/1001
        public var videoCodec: String      // "libx264"
        public var crf: Int
        public var preset: String
        public var videoBitrate: Int?      // bits/s, nil = CRF
        public var pixelFormat: String     // "yuv420p"
        /// What the encoder tags its pictures as (the pixels must be that already).
        public var colour: ColourTags = .bt709
        public var audioCodec: String?     // "aac"; nil = no audio stream
        public var audioBitrate: Int
        public var sampleRate: Int
        public var channels: Int
        /// Video encoder threads; nil lets libav choose (every core). Parallel segment renders take fewer each.
        public var encoderThreads: Int?
        /// MP4 written as fragments with an empty index first (fMP4: `frag_keyframe+empty_moov+default_base_moof`),
        /// which Media Source Extensions append as is; editor playback segments are made so.
        public var fragmented = false
        /// Set for a piece re-encoded into a stream copy (`StreamCopyJoin`): what its H.264 stream
        /// shares with the copied packets around it.
        package var splice: Splice?

        package struct Splice: Sendable, Hashable {
            /// The SPS and PPS id (x264's `sps-id`), one the copied sources do not use.
            package var parameterSetID: Int
            /// The MP4 track's time base denominator: the sources'.
            package var timescale: Int32
            /// The sources' colour signalling, which the piece's stream is tagged with (`Output.colour`).
            package var colour: ColourTags
            /// The sources' H.264 profile as x264 names it ("baseline", "main", "high"): one record
            /// (`avcC`) names one profile for all its parameter sets.
            package var profile: String

            package init(parameterSetID: Int, timescale: Int32, colour: ColourTags, profile: String) {
                self.parameterSetID = parameterSetID
                self.timescale = timescale
                self.colour = colour
                self.profile = profile
            }
        }

        public init(
            format: String = "mp4", width: Int, height: Int, frameRate: Rational,
            videoCodec: String = "libx264", crf: Int = 23, preset: String = "veryfast",
            videoBitrate: Int? = nil, pixelFormat: String = "yuv420p",
            audioCodec: String? = "aac", audioBitrate: Int = 128_000, sampleRate: Int = 48_000, channels: Int = 2
        ) {
            self.format = format
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.videoCodec = videoCodec
            self.crf = crf
            self.preset = preset
            self.videoBitrate = videoBitrate
            self.pixelFormat = pixelFormat
            self.audioCodec = audioCodec
            self.audioBitrate = audioBitrate
            self.sampleRate = sampleRate
            self.channels = channels
        }

        /// Frames between keyframes: two seconds.
        public var keyframeInterval: Int { max(1, (2 * frameRate.num) / max(1, frameRate.den)) }
    }

    public var inputs: [Input]
    /// A libavfilter graph description. Each input's pad appears as `[padName]`; the graph ends in
    /// `[vout]` (video, already at output size/rate/pixel format) and, when audio is on, `[aout]`.
    public var filterGraph: String
    public var output: Output
    /// Exact number of video frames the output has.
    public var totalFrames: Int
    /// Output duration in seconds (= totalFrames / frameRate).
    public var duration: Double
    /// The prepared timeline this plan was built from; nil for hand-made plans and scaled
    /// previews. The executor plans stream copies and parallel segments from it.
    package var prepared: PreparedTimeline?
    /// A GIF's first pass: the palette picture (a 16×16 PNG) made from every frame. The executor
    /// renders it to a file first and points the input `GraphBuilder.palettePad` of this plan at it.
    package var palettePass: RenderPlan? {
        get { palette?.plan }
        set { palette = newValue.map { PaletteBox(plan: $0) } }
    }
    private var palette: PaletteBox?

    public init(inputs: [Input], filterGraph: String, output: Output, totalFrames: Int, duration: Double) {
        self.inputs = inputs
        self.filterGraph = filterGraph
        self.output = output
        self.totalFrames = totalFrames
        self.duration = duration
    }
}

/// A plan inside a plan (a value type cannot hold itself directly).
private final class PaletteBox: Sendable, Hashable {
    let plan: RenderPlan
    init(plan: RenderPlan) { self.plan = plan }
    static func == (a: PaletteBox, b: PaletteBox) -> Bool { a.plan == b.plan }
    func hash(into hasher: inout Hasher) { hasher.combine(plan) }
}
