/// A timeline document, version 1 (see `timeline-spec.md`): the contract between the editor,
/// the API, the command-line renderer and the render engine.
///
/// Values hold every key with its default filled in, so `encodedJSON()` writes a complete,
/// stable document. Decode user documents with `TimelineDocument.decode(_:)` (strict, reports
/// every problem); the `Codable` conformance reads documents this library wrote.
public struct Timeline: Codable, Sendable, Hashable {
    /// Always 1.
    public var version: Int
    public var output: Output
    /// Canvas colour under every track, `#RRGGBB` or `#RRGGBBAA`.
    public var background: String
    /// Index 0 is the bottom layer; later tracks draw on top.
    public var tracks: [Track]
    /// Default values for `{{NAME}}` placeholders.
    public var merge: [String: String]

    public init(version: Int = 1, output: Output = Output(), background: String = "#000000", tracks: [Track] = [], merge: [String: String] = [:]) {
        self.version = version
        self.output = output
        self.background = background
        self.tracks = tracks
        self.merge = merge
    }
}

extension Timeline {
    /// Container of the rendered file.
    public enum Format: String, Codable, Sendable, Hashable, CaseIterable {
        case mp4, webm, gif, jpg, png

        /// Whether the container carries a sound stream (gif and still pictures do not).
        public var hasSound: Bool { self == .mp4 || self == .webm }
        /// A single still picture of the frame at `range.start`.
        public var isStill: Bool { self == .jpg || self == .png }
    }

    /// How the result is encoded.
    public struct Output: Codable, Sendable, Hashable {
        /// Even, 16...7680.
        public var width: Int
        /// Even, 16...7680.
        public var height: Int
        /// 1...120; 29.97, 23.976 and 59.94 mean the NTSC rates.
        public var fps: Double
        public var format: Format
        public var video: VideoSettings
        /// nil renders no audio stream (`"audio": null` in JSON).
        public var audio: AudioSettings?
        /// Render only this part of the timeline; nil = all of it.
        public var range: TimeRange?
        /// Target integrated loudness (LUFS) of the final mix; nil = untouched.
        public var loudness: Double?
        /// The timeline's own size, which its pixel lengths (text sizes, box padding, outline
        /// widths, blur amounts, unfitted pictures) are written for, when the output is rendered at
        /// another size (a preset or a preview); nil = width × height.
        public var canvas: Size?

        public init(
            width: Int = 1920, height: Int = 1080, fps: Double = 30, format: Format = .mp4,
            video: VideoSettings = VideoSettings(), audio: AudioSettings? = AudioSettings(),
            range: TimeRange? = nil, loudness: Double? = nil, canvas: Size? = nil
        ) {
            self.width = width
            self.height = height
            self.fps = fps
            self.format = format
            self.video = video
            self.audio = audio
            self.range = range
            self.loudness = loudness
            self.canvas = canvas
        }

        /// Output pixels per canvas pixel: the canvas fitted inside the output (1 without a canvas).
        public var canvasUnit: Double {
            guard let canvas, canvas.width > 0, canvas.height > 0 else { return 1 }
            return min(Double(width) / Double(canvas.width), Double(height) / Double(canvas.height))
        }

        package enum CodingKeys: String, CodingKey {
            case width, height, fps, format, video, audio, range, loudness, canvas
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            width = try c.decode(Int.self, forKey: .width)
            height = try c.decode(Int.self, forKey: .height)
            fps = try c.decode(Double.self, forKey: .fps)
            format = try c.decode(Format.self, forKey: .format)
            video = try c.decode(VideoSettings.self, forKey: .video)
            // An absent key means the default audio; an explicit null means no audio.
            if c.contains(.audio) {
                audio = try c.decodeNil(forKey: .audio) ? nil : c.decode(AudioSettings.self, forKey: .audio)
            } else {
                audio = AudioSettings()
            }
            range = try c.decodeIfPresent(TimeRange.self, forKey: .range)
            loudness = try c.decodeIfPresent(Double.self, forKey: .loudness)
            canvas = try c.decodeIfPresent(Size.self, forKey: .canvas)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(width, forKey: .width)
            try c.encode(height, forKey: .height)
            try c.encode(fps, forKey: .fps)
            try c.encode(format, forKey: .format)
            try c.encode(video, forKey: .video)
            if let audio { try c.encode(audio, forKey: .audio) } else { try c.encodeNil(forKey: .audio) }
            try c.encodeIfPresent(range, forKey: .range)
            try c.encodeIfPresent(loudness, forKey: .loudness)
            try c.encodeIfPresent(canvas, forKey: .canvas)
        }
    }

    /// A size in pixels.
    public struct Size: Codable, Sendable, Hashable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// Named output shapes that may stand instead of width/height/fps in a document.
    public enum Preset: String, Codable, Sendable, Hashable, CaseIterable {
        case p1080 = "1080p"
        case p720 = "720p"
        case vertical
        case square
        case gifPreview = "gif-preview"

        /// The output this preset expands to.
        public var output: Output {
            switch self {
            case .p1080: return Output(width: 1920, height: 1080, fps: 30)
            case .p720: return Output(width: 1280, height: 720, fps: 30)
            case .vertical: return Output(width: 1080, height: 1920, fps: 30)
            case .square: return Output(width: 1080, height: 1080, fps: 30)
            case .gifPreview: return Output(width: 480, height: 270, fps: 12, format: .gif, audio: nil)
            }
        }
    }

    public enum VideoCodec: String, Codable, Sendable, Hashable, CaseIterable {
        case h264, vp9
    }

    public enum EncoderPreset: String, Codable, Sendable, Hashable, CaseIterable {
        case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow
    }

    public struct VideoSettings: Codable, Sendable, Hashable {
        public var codec: VideoCodec
        /// 0...51.
        public var crf: Int
        public var preset: EncoderPreset
        /// Bits per second; nil = constant quality (`crf`). JSON accepts `"2M"`/`"800k"` or a number.
        public var bitrate: Int?

        public init(codec: VideoCodec = .h264, crf: Int = 23, preset: EncoderPreset = .veryfast, bitrate: Int? = nil) {
            self.codec = codec
            self.crf = crf
            self.preset = preset
            self.bitrate = bitrate
        }
    }

    public enum AudioCodec: String, Codable, Sendable, Hashable, CaseIterable {
        case aac, opus
    }

    public struct AudioSettings: Codable, Sendable, Hashable {
        public var codec: AudioCodec
        /// Bits per second. JSON accepts `"128k"` or a number.
        public var bitrate: Int
        public var sampleRate: Int
        /// 1 or 2.
        public var channels: Int

        public init(codec: AudioCodec = .aac, bitrate: Int = 128_000, sampleRate: Int = 48_000, channels: Int = 2) {
            self.codec = codec
            self.bitrate = bitrate
            self.sampleRate = sampleRate
            self.channels = channels
        }
    }

    /// A span of timeline seconds.
    public struct TimeRange: Codable, Sendable, Hashable {
        public var start: Double
        public var end: Double

        public init(start: Double, end: Double) {
            self.start = start
            self.end = end
        }
    }

    /// One layer of clips that never overlap in time.
    public struct Track: Codable, Sendable, Hashable {
        public var id: String
        public var name: String?
        /// Drops the track's sound.
        public var muted: Bool
        /// Drops the track's pictures.
        public var hidden: Bool
        /// Scales the track's sound, 0...4.
        public var volume: Double
        public var clips: [Clip]

        public init(id: String, name: String? = nil, muted: Bool = false, hidden: Bool = false, volume: Double = 1, clips: [Clip] = []) {
            self.id = id
            self.name = name
            self.muted = muted
            self.hidden = hidden
            self.volume = volume
            self.clips = clips
        }
    }

    /// How a picture fills the canvas.
    public enum Fit: String, Codable, Sendable, Hashable, CaseIterable {
        case cover, contain, fill, none
    }

    /// Anchor of a picture on the canvas.
    public enum Position: String, Codable, Sendable, Hashable, CaseIterable {
        case center, top, bottom, left, right, topLeft, topRight, bottomLeft, bottomRight
    }

    /// A shift as a fraction of the canvas width (`x`, + is right) and height (`y`, + is down).
    public struct Offset: Codable, Sendable, Hashable {
        public var x: Double
        public var y: Double

        public init(x: Double = 0, y: Double = 0) {
            self.x = x
            self.y = y
        }
    }

    /// One item on a track.
    public struct Clip: Codable, Sendable, Hashable {
        /// Unique in the document.
        public var id: String
        public var asset: Asset
        /// Timeline seconds.
        public var start: Double
        /// Timeline seconds; nil for video/audio means "the rest of the source after trim, divided by speed".
        public var length: Double?
        /// Source in-point, seconds.
        public var trim: Double
        /// 0.25...4.
        public var speed: Double
        /// nil = the default for the asset type (`cover`).
        public var fit: Fit?
        public var scale: Double
        public var position: Position
        public var offset: Offset
        /// 0...1.
        public var opacity: Double
        /// 0...4.
        public var volume: Double
        public var fadeIn: Double
        public var fadeOut: Double
        /// Transition from the previous clip on the same track into this one.
        public var transition: Transition?
        public var effects: [Effect]
        public var animate: [Animation]

        public init(
            id: String, asset: Asset, start: Double, length: Double? = nil, trim: Double = 0, speed: Double = 1,
            fit: Fit? = nil, scale: Double = 1, position: Position = .center, offset: Offset = Offset(),
            opacity: Double = 1, volume: Double = 1, fadeIn: Double = 0, fadeOut: Double = 0,
            transition: Transition? = nil, effects: [Effect] = [], animate: [Animation] = []
        ) {
            self.id = id
            self.asset = asset
            self.start = start
            self.length = length
            self.trim = trim
            self.speed = speed
            self.fit = fit
            self.scale = scale
            self.position = position
            self.offset = offset
            self.opacity = opacity
            self.volume = volume
            self.fadeIn = fadeIn
            self.fadeOut = fadeOut
            self.transition = transition
            self.effects = effects
            self.animate = animate
        }
    }

    /// The names of libavfilter's `xfade` transitions.
    public enum TransitionType: String, Codable, Sendable, Hashable, CaseIterable {
        case fade, fadeblack, fadewhite, wipeleft, wiperight, wipeup, wipedown
        case slideleft, slideright, slideup, slidedown, circleopen, circleclose
        case radial, smoothleft, smoothright, pixelize, zoomin
    }

    /// A transition centred on the cut between the previous clip and this one.
    public struct Transition: Codable, Sendable, Hashable {
        public var type: TransitionType
        /// Seconds, > 0 and ≤ the shorter of the two clips.
        public var duration: Double

        public init(type: TransitionType, duration: Double) {
            self.type = type
            self.duration = duration
        }
    }
}
