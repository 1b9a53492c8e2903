extension Timeline {
    /// What a clip shows or plays. Encoded as an object with a `type` key.
    public enum Asset: Codable, Sendable, Hashable {
        case video(VideoAsset)
        case audio(AudioAsset)
        case image(ImageAsset)
        case text(TextAsset)
        case color(ColorAsset)
        case captions(CaptionsAsset)

        /// The names of the asset types, as written in `type`.
        public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
            case video, audio, image, text, color, captions
        }

        public var kind: Kind {
            switch self {
            case .video: return .video
            case .audio: return .audio
            case .image: return .image
            case .text: return .text
            case .color: return .color
            case .captions: return .captions
            }
        }

        /// The font of text and captions assets.
        public var font: Font? {
            switch self {
            case .text(let a): return a.font
            case .captions(let a): return a.font
            case .video, .audio, .image, .color: return nil
            }
        }

        /// The media reference of video, audio, image and captions assets.
        public var src: String? {
            switch self {
            case .video(let a): return a.src
            case .audio(let a): return a.src
            case .image(let a): return a.src
            case .captions(let a): return a.src
            case .text, .color: return nil
            }
        }

        private enum TypeKey: String, CodingKey { case type }

        public init(from decoder: any Decoder) throws {
            let kind = try decoder.container(keyedBy: TypeKey.self).decode(Kind.self, forKey: .type)
            switch kind {
            case .video: self = .video(try VideoAsset(from: decoder))
            case .audio: self = .audio(try AudioAsset(from: decoder))
            case .image: self = .image(try ImageAsset(from: decoder))
            case .text: self = .text(try TextAsset(from: decoder))
            case .color: self = .color(try ColorAsset(from: decoder))
            case .captions: self = .captions(try CaptionsAsset(from: decoder))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: TypeKey.self)
            try c.encode(kind, forKey: .type)
            switch self {
            case .video(let a): try a.encode(to: encoder)
            case .audio(let a): try a.encode(to: encoder)
            case .image(let a): try a.encode(to: encoder)
            case .text(let a): try a.encode(to: encoder)
            case .color(let a): try a.encode(to: encoder)
            case .captions(let a): try a.encode(to: encoder)
            }
        }
    }

    /// Picture and sound from a media file.
    public struct VideoAsset: Codable, Sendable, Hashable {
        /// `asset:<id>`, a relative path, or a `{{NAME}}` placeholder.
        public var src: String
        /// `false` drops the clip's sound; nil or `true` keeps it.
        public var audio: Bool?

        public init(src: String, audio: Bool? = nil) {
            self.src = src
            self.audio = audio
        }
    }

    /// Sound only.
    public struct AudioAsset: Codable, Sendable, Hashable {
        public var src: String

        public init(src: String) { self.src = src }
    }

    /// A still picture (alpha is kept).
    public struct ImageAsset: Codable, Sendable, Hashable {
        public var src: String

        public init(src: String) { self.src = src }
    }

    public enum FontWeight: String, Codable, Sendable, Hashable, CaseIterable {
        case normal, bold
    }

    public struct Font: Codable, Sendable, Hashable {
        /// An installed family (fontconfig); ignored when `src` names a font file.
        public var family: String
        /// Canvas pixels.
        public var size: Double
        public var weight: FontWeight
        public var color: String
        /// A font file: `asset:<id>` of an uploaded font, or a path relative to the document (CLI).
        /// An extension of the spec's font, which names installed families only.
        public var src: String?

        public init(
            family: String = "DejaVu Sans", size: Double = 48, weight: FontWeight = .normal, color: String = "#FFFFFF", src: String? = nil
        ) {
            self.family = family
            self.size = size
            self.weight = weight
            self.color = color
            self.src = src
        }
    }

    public enum TextAlign: String, Codable, Sendable, Hashable, CaseIterable {
        case left, center, right
    }

    /// A filled rectangle behind text.
    public struct Box: Codable, Sendable, Hashable {
        public var color: String
        /// Pixels around the text.
        public var padding: Double

        public init(color: String = "#00000080", padding: Double = 10) {
            self.color = color
            self.padding = padding
        }
    }

    public struct Outline: Codable, Sendable, Hashable {
        public var color: String
        /// Pixels.
        public var width: Double

        public init(color: String = "#000000", width: Double = 2) {
            self.color = color
            self.width = width
        }
    }

    /// Text laid out at its font size; may contain `{{NAME}}` placeholders.
    public struct TextAsset: Codable, Sendable, Hashable {
        public var text: String
        public var font: Font
        public var align: TextAlign
        public var box: Box?
        public var outline: Outline?

        public init(text: String, font: Font = Font(), align: TextAlign = .center, box: Box? = nil, outline: Outline? = nil) {
            self.text = text
            self.font = font
            self.align = align
            self.box = box
            self.outline = outline
        }
    }

    /// A solid rectangle the size of the fitted frame.
    public struct ColorAsset: Codable, Sendable, Hashable {
        public var color: String

        public init(color: String) { self.color = color }
    }

    /// Burned-in subtitles from an SRT or WebVTT file, timed relative to the clip start.
    public struct CaptionsAsset: Codable, Sendable, Hashable {
        public var src: String
        public var font: Font
        public var box: Box?

        public init(src: String, font: Font = Font(), box: Box? = nil) {
            self.src = src
            self.font = font
            self.box = box
        }
    }
}
