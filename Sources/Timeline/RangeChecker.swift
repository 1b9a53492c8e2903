import Foundation

/// The spec's value ranges, colour syntax and per-document consistency rules, checked on the model.
package struct RangeChecker {
    private(set) var issues: [ValidationIssue] = []

    private mutating func report(_ path: String, _ message: String) {
        issues.append(ValidationIssue(path: path, message: message))
    }

    private mutating func range(_ value: Double, _ lower: Double, _ upper: Double, _ path: String, _ unit: String = "") {
        if !value.isFinite || value < lower || value > upper {
            report(path, "must be between \(formatNumber(lower)) and \(formatNumber(upper))\(unit) (got \(formatNumber(value)))")
        }
    }

    /// A size factor (clip `scale`, Ken Burns `scale`, `scale` keys): 1/100 to 10×. Smaller factors
    /// make pictures of a few pixels or, inverted, views trillions of pixels wide.
    private mutating func scale(_ value: Double, _ path: String) {
        range(value, Timeline.minScale, Timeline.maxScale, path)
    }

    private mutating func time(_ value: Double, _ path: String) {
        range(value, 0, Timeline.maxTime, path, " seconds")
    }

    private mutating func color(_ value: String, _ path: String) {
        if RGBAColor(value) == nil {
            report(path, "'\(value)' is not a colour; expected #RRGGBB or #RRGGBBAA")
        }
    }

    package mutating func check(_ timeline: Timeline) {
        if timeline.version != 1 {
            report("/version", "unsupported version \(timeline.version); expected 1")
        }
        check(timeline.output)
        color(timeline.background, "/background")
        var trackIds: [String: Int] = [:]
        var clipIds: [String: String] = [:]
        for (ti, track) in timeline.tracks.enumerated() {
            let path = "/tracks/\(ti)"
            if track.id.isEmpty {
                report(path + "/id", "must not be empty")
            } else if let first = trackIds[track.id] {
                report(path + "/id", "duplicate track id '\(track.id)' (also /tracks/\(first))")
            } else {
                trackIds[track.id] = ti
            }
            range(track.volume, 0, 4, path + "/volume")
            for (ci, clip) in track.clips.enumerated() {
                let clipPath = "\(path)/clips/\(ci)"
                if clip.id.isEmpty {
                    report(clipPath + "/id", "must not be empty")
                } else if let first = clipIds[clip.id] {
                    report(clipPath + "/id", "duplicate clip id '\(clip.id)' (also \(first))")
                } else {
                    clipIds[clip.id] = clipPath
                }
                check(clip, clipPath)
            }
        }
    }

    private mutating func check(_ output: Timeline.Output) {
        var sizes = [(output.width, "width"), (output.height, "height")]
        if let canvas = output.canvas { sizes += [(canvas.width, "canvas/width"), (canvas.height, "canvas/height")] }
        for (value, key) in sizes {
            if value < 16 || value > 7680 {
                report("/output/\(key)", "must be between 16 and 7680 (got \(value))")
            } else if value % 2 != 0 {
                report("/output/\(key)", "must be an even number (got \(value))")
            }
        }
        range(output.fps, 1, 120, "/output/fps")
        range(Double(output.video.crf), 0, 51, "/output/video/crf")
        if let bitrate = output.video.bitrate {
            range(Double(bitrate), 10_000, 500_000_000, "/output/video/bitrate", " bits/s")
        }
        switch output.format {
        case .mp4 where output.video.codec != .h264:
            report("/output/video/codec", "codec '\(output.video.codec.rawValue)' cannot be used with format mp4; use h264")
        case .webm where output.video.codec != .vp9:
            report("/output/video/codec", "codec '\(output.video.codec.rawValue)' cannot be used with format webm; use vp9")
        default:
            break
        }
        if output.audio != nil, !output.format.hasSound {
            report("/output/audio", "format \(output.format.rawValue) has no sound; leave audio out or set it to null")
        }
        if let audio = output.audio {
            range(Double(audio.bitrate), 8_000, 512_000, "/output/audio/bitrate", " bits/s")
            let rates = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000]
            if !rates.contains(audio.sampleRate) {
                report("/output/audio/sampleRate", "must be one of \(rates.map(String.init).joined(separator: ", ")) (got \(audio.sampleRate))")
            }
            if audio.channels != 1 && audio.channels != 2 {
                report("/output/audio/channels", "must be 1 or 2 (got \(audio.channels))")
            }
            switch output.format {
            case .mp4 where audio.codec != .aac:
                report("/output/audio/codec", "codec '\(audio.codec.rawValue)' cannot be used with format mp4; use aac")
            case .webm where audio.codec != .opus:
                report("/output/audio/codec", "codec '\(audio.codec.rawValue)' cannot be used with format webm; use opus")
            case .webm where ![8000, 12000, 16000, 24000, 48000].contains(audio.sampleRate):
                report("/output/audio/sampleRate", "Opus in webm takes 8000, 12000, 16000, 24000 or 48000 (got \(audio.sampleRate))")
            default:
                break
            }
        }
        if let r = output.range {
            time(r.start, "/output/range/start")
            time(r.end, "/output/range/end")
            if r.end <= r.start {
                report("/output/range/end", "must be after range.start")
            }
        }
        if let loudness = output.loudness {
            range(loudness, -70, 0, "/output/loudness", " LUFS")
        }
    }

    private mutating func check(_ font: Timeline.Font, _ path: String) {
        if font.family.trimmingCharacters(in: .whitespaces).isEmpty {
            report(path + "/family", "must not be empty")
        }
        range(font.size, 1, 2000, path + "/size", " pixels")
        color(font.color, path + "/color")
    }

    private mutating func check(_ box: Timeline.Box?, _ path: String) {
        guard let box else { return }
        color(box.color, path + "/color")
        range(box.padding, 0, 500, path + "/padding", " pixels")
    }

    private mutating func check(_ clip: Timeline.Clip, _ path: String) {
        time(clip.start, path + "/start")
        if let length = clip.length {
            if length <= 0 || !length.isFinite || length > Timeline.maxTime {
                report(path + "/length", "must be greater than 0 and at most \(formatNumber(Timeline.maxTime)) seconds (got \(formatNumber(length)))")
            }
        } else {
            switch clip.asset {
            case .image, .text, .color, .captions:
                report(path + "/length", "length is required for \(clip.asset.kind.rawValue) clips")
            case .video, .audio:
                break
            }
        }
        time(clip.trim, path + "/trim")
        range(clip.speed, 0.25, 4, path + "/speed")
        scale(clip.scale, path + "/scale")
        range(clip.offset.x, -1, 1, path + "/offset/x")
        range(clip.offset.y, -1, 1, path + "/offset/y")
        range(clip.opacity, 0, 1, path + "/opacity")
        range(clip.volume, 0, 4, path + "/volume")
        time(clip.fadeIn, path + "/fadeIn")
        time(clip.fadeOut, path + "/fadeOut")
        if let length = clip.length, clip.fadeIn + clip.fadeOut > length + Timeline.timeTolerance {
            report(path + "/fadeOut", "fadeIn + fadeOut (\(formatSeconds(clip.fadeIn + clip.fadeOut)) s) is longer than the clip (\(formatSeconds(length)) s)")
        }
        if let transition = clip.transition {
            if !transition.duration.isFinite || transition.duration <= 0 || transition.duration > Timeline.maxTime {
                report(path + "/transition/duration", "must be greater than 0 seconds (got \(formatNumber(transition.duration)))")
            }
        }
        let asset = path + "/asset"
        switch clip.asset {
        case .video(let a):
            if a.src.isEmpty { report(asset + "/src", "must not be empty") }
        case .audio(let a):
            if a.src.isEmpty { report(asset + "/src", "must not be empty") }
        case .image(let a):
            if a.src.isEmpty { report(asset + "/src", "must not be empty") }
        case .text(let t):
            if t.text.isEmpty { report(asset + "/text", "must not be empty") }
            check(t.font, asset + "/font")
            check(t.box, asset + "/box")
            if let outline = t.outline {
                color(outline.color, asset + "/outline/color")
                range(outline.width, 0, 100, asset + "/outline/width", " pixels")
            }
        case .color(let c):
            color(c.color, asset + "/color")
        case .captions(let c):
            if c.src.isEmpty { report(asset + "/src", "must not be empty") }
            check(c.font, asset + "/font")
            check(c.box, asset + "/box")
        }
        for (ei, effect) in clip.effects.enumerated() {
            check(effect, "\(path)/effects/\(ei)")
        }
        var animated: Set<Timeline.AnimatedProperty> = []
        for (ai, animation) in clip.animate.enumerated() {
            let animationPath = "\(path)/animate/\(ai)"
            if !animated.insert(animation.property).inserted {
                report(animationPath + "/property", "'\(animation.property.rawValue)' is animated twice in this clip")
            }
            if animation.keys.isEmpty {
                report(animationPath + "/keys", "must hold at least one key")
            }
            var previousT = -Double.infinity
            for (ki, key) in animation.keys.enumerated() {
                let keyPath = "\(animationPath)/keys/\(ki)"
                time(key.t, keyPath + "/t")
                if key.t <= previousT {
                    report(keyPath + "/t", "keys must be in increasing order of t")
                }
                previousT = key.t
                switch animation.property {
                case .opacity: range(key.value, 0, 1, keyPath + "/value")
                case .scale: scale(key.value, keyPath + "/value")
                case .offsetX, .offsetY: range(key.value, -1, 1, keyPath + "/value")
                case .volume: range(key.value, 0, 4, keyPath + "/value")
                }
            }
        }
    }

    private mutating func check(_ effect: Timeline.Effect, _ path: String) {
        switch effect {
        case .blur(let amount):
            range(amount, 0, 50, path + "/amount")
        case .grayscale, .sepia:
            break
        case .color(let brightness, let contrast, let saturation):
            range(brightness, -1, 1, path + "/brightness")
            range(contrast, 0, 3, path + "/contrast")
            range(saturation, 0, 3, path + "/saturation")
        case .kenburns(let from, let to):
            for (frame, key) in [(from, "from"), (to, "to")] {
                scale(frame.scale, "\(path)/\(key)/scale")
                range(frame.x, -1, 1, "\(path)/\(key)/x")
                range(frame.y, -1, 1, "\(path)/\(key)/y")
            }
        case .crop(let x, let y, let width, let height):
            range(x, 0, 1, path + "/x")
            range(y, 0, 1, path + "/y")
            if !width.isFinite || width <= 0 || x + width > 1 + 1e-9 {
                report(path + "/width", "must be greater than 0 with x + width ≤ 1 (got \(formatNumber(width)))")
            }
            if !height.isFinite || height <= 0 || y + height > 1 + 1e-9 {
                report(path + "/height", "must be greater than 0 with y + height ≤ 1 (got \(formatNumber(height)))")
            }
        case .flip:
            break
        case .rotate(let degrees):
            range(degrees, -360, 360, path + "/degrees")
        case .chromakey(let color, let similarity, let blend):
            self.color(color, path + "/color")
            range(similarity, 0, 1, path + "/similarity")
            range(blend, 0, 1, path + "/blend")
        }
    }
}

/// A colour parsed from `#RRGGBB` or `#RRGGBBAA`.
package struct RGBAColor: Hashable {
    package var red: Int
    package var green: Int
    package var blue: Int
    package var alpha: Int

    package static let black = RGBAColor(red: 0, green: 0, blue: 0, alpha: 255)

    package init(red: Int, green: Int, blue: Int, alpha: Int) {
        (self.red, self.green, self.blue, self.alpha) = (red, green, blue, alpha)
    }

    package init?(_ text: String) {
        let hex = Array(text.utf8)
        guard hex.first == UInt8(ascii: "#"), hex.count == 7 || hex.count == 9,
              hex.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }),
              let value = UInt32(text.dropFirst(), radix: 16) else { return nil }
        if hex.count == 7 {
            (red, green, blue, alpha) = (Int(value >> 16 & 0xFF), Int(value >> 8 & 0xFF), Int(value & 0xFF), 255)
        } else {
            (red, green, blue, alpha) = (Int(value >> 24 & 0xFF), Int(value >> 16 & 0xFF), Int(value >> 8 & 0xFF), Int(value & 0xFF))
        }
    }

    /// libavutil colour syntax, `0xRRGGBBAA`.
    package var ffmpeg: String {
        "0x" + [red, green, blue, alpha].map { hexByte($0) }.joined()
    }

    /// The colour composited over black, fully opaque (the canvas has no alpha).
    package var overBlack: RGBAColor {
        var copy = self
        copy.red = (red * alpha + 127) / 255
        copy.green = (green * alpha + 127) / 255
        copy.blue = (blue * alpha + 127) / 255
        copy.alpha = 255
        return copy
    }
}

/// Two uppercase hex digits of the low byte of `value`.
package func hexByte(_ value: Int) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[(value >> 4) & 0xF], digits[value & 0xF]])
}
