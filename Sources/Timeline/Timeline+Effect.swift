extension Timeline {
    /// A picture effect. Encoded as an object with a `type` key.
    public enum Effect: Codable, Sendable, Hashable {
        /// `amount` 0...50.
        case blur(amount: Double)
        case grayscale
        case sepia
        /// brightness -1...1, contrast 0...3, saturation 0...3.
        case color(brightness: Double, contrast: Double, saturation: Double)
        case kenburns(from: KenBurnsFrame, to: KenBurnsFrame)
        /// Fractions of the picture, 0...1.
        case crop(x: Double, y: Double, width: Double, height: Double)
        case flip(horizontal: Bool, vertical: Bool)
        case rotate(degrees: Double)
        case chromakey(color: String, similarity: Double, blend: Double)

        /// The names of the effect types, as written in `type`.
        public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
            case blur, grayscale, sepia, color, kenburns, crop, flip, rotate, chromakey
        }

        public var kind: Kind {
            switch self {
            case .blur: return .blur
            case .grayscale: return .grayscale
            case .sepia: return .sepia
            case .color: return .color
            case .kenburns: return .kenburns
            case .crop: return .crop
            case .flip: return .flip
            case .rotate: return .rotate
            case .chromakey: return .chromakey
            }
        }

        package enum CodingKeys: String, CodingKey {
            case type, amount, brightness, contrast, saturation, from, to, x, y, width, height
            case horizontal, vertical, degrees, color, similarity, blend
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decode(Kind.self, forKey: .type) {
            case .blur: self = .blur(amount: try c.decode(Double.self, forKey: .amount))
            case .grayscale: self = .grayscale
            case .sepia: self = .sepia
            case .color:
                self = .color(
                    brightness: try c.decode(Double.self, forKey: .brightness),
                    contrast: try c.decode(Double.self, forKey: .contrast),
                    saturation: try c.decode(Double.self, forKey: .saturation))
            case .kenburns:
                self = .kenburns(from: try c.decode(KenBurnsFrame.self, forKey: .from), to: try c.decode(KenBurnsFrame.self, forKey: .to))
            case .crop:
                self = .crop(
                    x: try c.decode(Double.self, forKey: .x), y: try c.decode(Double.self, forKey: .y),
                    width: try c.decode(Double.self, forKey: .width), height: try c.decode(Double.self, forKey: .height))
            case .flip:
                self = .flip(horizontal: try c.decode(Bool.self, forKey: .horizontal), vertical: try c.decode(Bool.self, forKey: .vertical))
            case .rotate: self = .rotate(degrees: try c.decode(Double.self, forKey: .degrees))
            case .chromakey:
                self = .chromakey(
                    color: try c.decode(String.self, forKey: .color),
                    similarity: try c.decode(Double.self, forKey: .similarity),
                    blend: try c.decode(Double.self, forKey: .blend))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .type)
            switch self {
            case .blur(let amount): try c.encode(amount, forKey: .amount)
            case .grayscale, .sepia: break
            case .color(let brightness, let contrast, let saturation):
                try c.encode(brightness, forKey: .brightness)
                try c.encode(contrast, forKey: .contrast)
                try c.encode(saturation, forKey: .saturation)
            case .kenburns(let from, let to):
                try c.encode(from, forKey: .from)
                try c.encode(to, forKey: .to)
            case .crop(let x, let y, let width, let height):
                try c.encode(x, forKey: .x)
                try c.encode(y, forKey: .y)
                try c.encode(width, forKey: .width)
                try c.encode(height, forKey: .height)
            case .flip(let horizontal, let vertical):
                try c.encode(horizontal, forKey: .horizontal)
                try c.encode(vertical, forKey: .vertical)
            case .rotate(let degrees): try c.encode(degrees, forKey: .degrees)
            case .chromakey(let color, let similarity, let blend):
                try c.encode(color, forKey: .color)
                try c.encode(similarity, forKey: .similarity)
                try c.encode(blend, forKey: .blend)
            }
        }
    }

    /// One end of a Ken Burns move: the view zoomed by `scale` about the picture's centre, its centre
    /// moved by `x`, `y` (fractions of the picture, -1...1; kept inside the picture when zoomed in).
    public struct KenBurnsFrame: Codable, Sendable, Hashable {
        public var scale: Double
        public var x: Double
        public var y: Double

        public init(scale: Double = 1, x: Double = 0, y: Double = 0) {
            self.scale = scale
            self.x = x
            self.y = y
        }
    }

    /// A clip property that keyframes can drive.
    public enum AnimatedProperty: String, Codable, Sendable, Hashable, CaseIterable {
        case opacity, scale
        case offsetX = "offset.x"
        case offsetY = "offset.y"
        case volume
    }

    public enum Easing: String, Codable, Sendable, Hashable, CaseIterable {
        case linear, easeIn, easeOut, easeInOut
    }

    /// One key: `t` seconds after the clip start, the property is `value`.
    public struct Keyframe: Codable, Sendable, Hashable {
        public var t: Double
        public var value: Double
        /// Easing from the previous key into this one.
        public var easing: Easing

        public init(t: Double, value: Double, easing: Easing = .linear) {
            self.t = t
            self.value = value
            self.easing = easing
        }
    }

    /// Keyframes of one property.
    public struct Animation: Codable, Sendable, Hashable {
        public var property: AnimatedProperty
        public var keys: [Keyframe]

        public init(property: AnimatedProperty, keys: [Keyframe]) {
            self.property = property
            self.keys = keys
        }
    }
}
