import Foundation
/// What the engine sees in a media file (the result of a probe).
public struct MediaInfo: Codable, Sendable, Hashable {
    /// Container format name as libavformat reports it (e.g. `mov,mp4,m4a,3gp,3g2,mj2`).
    public var format: String
    /// Seconds; 0 for still images.
    public var duration: Double
    public var hasVideo: Bool
    public var hasAudio: Bool
    /// Display size after rotation and sample aspect ratio are applied; nil without video.
    public var width: Int?
    public var height: Int?
    /// Average frame rate; nil for still images and audio.
    public var fps: Double?
    public var videoCodec: String?
    public var audioCodec: String?
    /// Display rotation in degrees clockwise (0, 90, 180, 270), from the display matrix.
    public var rotation: Int
    public var sampleRate: Int?
    public var channels: Int?
    /// True for a single still picture (PNG, JPEG, ... or a one-frame video stream in an image container).
    public var isImage: Bool
    /// True when the decoded picture carries alpha (by its pixel format); nil when not probed
    /// (infos stored before this field existed).
    public var hasAlpha: Bool?
    /// The picture's YCbCr matrix as libav names it (`bt709`, `smpte170m`, `bt470bg`, ...), `gbr` for
    /// RGB and palette pictures; nil when the stream does not say (or for infos probed before it was read).
    public var colorSpace: String?
    /// `tv` (limited) or `pc` (full) range; nil when the stream does not say.
    public var colorRange: String?

    public init(
        format: String, duration: Double, hasVideo: Bool, hasAudio: Bool,
        width: Int? = nil, height: Int? = nil, fps: Double? = nil,
        videoCodec: String? = nil, audioCodec: String? = nil, rotation: Int = 0,
        sampleRate: Int? = nil, channels: Int? = nil, isImage: Bool = false
    ) {
        self.format = format
        self.duration = duration
        self.hasVideo = hasVideo
        self.hasAudio = hasAudio
        self.width = width
        self.height = height
        self.fps = fps
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.rotation = rotation
        self.sampleRate = sampleRate
        self.channels = channels
        self.isImage = isImage
    }
}

extension MediaInfo {
    /// The info as stored beside an asset (its `Codable` JSON); nil when absent or unreadable.
    public init?(storedJSON json: String?) {
        guard let json, let info = try? JSONDecoder().decode(MediaInfo.self, from: Data(json.utf8)) else { return nil }
        self = info
    }
}

/// A clip source resolved to a readable local file and what is known about it.
public struct ResolvedSource: Sendable, Hashable {
    /// What a source file holds.
    public enum Content: Sendable, Hashable {
        /// Video, audio or a picture libav reads (`info` is its probe).
        case media
        /// An SRT or WebVTT file, read by the compiler.
        case captions
        /// A TrueType or OpenType font for drawtext.
        case font
    }

    /// Absolute path of a local file (libav opens media; the compiler reads captions).
    public var path: String
    /// The probe of media; no streams for captions and fonts.
    public var info: MediaInfo
    public var content: Content

    public init(path: String, info: MediaInfo, content: Content = .media) {
        self.path = path
        self.info = info
        self.content = content
    }

    /// An SRT or WebVTT file.
    public static func captions(path: String) -> ResolvedSource {
        ResolvedSource(path: path, info: MediaInfo(format: "captions", duration: 0, hasVideo: false, hasAudio: false), content: .captions)
    }

    /// A font file.
    public static func font(path: String) -> ResolvedSource {
        ResolvedSource(path: path, info: MediaInfo(format: "font", duration: 0, hasVideo: false, hasAudio: false), content: .font)
    }
}

/// Turns a clip's `src` (`asset:<id>` or a relative path) into a local file.
/// Returns nil when the source does not exist (a validation error, not a crash).
public typealias SourceResolver = @Sendable (_ src: String) -> ResolvedSource?
