import Foundation

/// Strict reading of timeline documents.
public enum TimelineDocument {
    /// Parses and checks a timeline document, reporting every problem at once.
    ///
    /// Malformed JSON, unknown keys, wrong types, missing required keys, unknown enum values,
    /// out-of-range values and malformed colours are all issues, each with a JSON Pointer.
    /// `output.preset` is expanded here (explicit keys win), so the result never holds a preset.
    /// Checks that need the sources (durations, missing files, placeholders) are `Timeline.validate`.
    /// - Throws: `RenderError.invalidTimeline` listing every issue.
    public static func decode(_ data: Data) throws(RenderError) -> Timeline {
        let read = try read(data)
        if !read.issues.isEmpty { throw .invalidTimeline(read.issues) }
        return read.timeline
    }

    /// A document read as far as it goes.
    public struct Reading: Sendable {
        /// The model, a fallback value standing in wherever one is wrong.
        public var timeline: Timeline
        /// Every problem of the reading and the range checks.
        public var issues: [ValidationIssue]
        /// The places already reported: checks of the model should not report them again.
        package var reported: [JSONPointer]

        /// True when `issue` lies inside a place already reported.
        package func reports(_ issue: ValidationIssue) -> Bool {
            let path = JSONPointer(parsing: issue.path)
            return reported.contains { path.isWithin($0) }
        }
    }

    /// Reads a document as far as it goes (see `Reading`). Only malformed JSON throws.
    public static func read(_ data: Data) throws(RenderError) -> Reading {
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch {
            throw .malformedDocument(ValidationIssue(path: "", message: error.message))
        }
        let reader = DocumentReader()
        let timeline = readTimeline(root, reader)
        var reading = Reading(timeline: timeline, issues: reader.issues, reported: reader.reportedPaths)
        // Range checks run on the model; an element that already has an issue (e.g. a fallback
        // value stands in for a wrong type) is not reported twice.
        reading.issues += timeline.structuralIssues().filter { !reading.reports($0) }
        return reading
    }

    private static func readTimeline(_ root: JSONValue, _ reader: DocumentReader) -> Timeline {
        var timeline = Timeline()
        guard let top = reader.object(root, at: .root, allowed: ["version", "output", "background", "tracks", "merge"]) else {
            return timeline
        }
        timeline.version = top.integer("version", required: true) ?? 1
        if let output = top.require("output") {
            timeline.output = readOutput(output, at: JSONPointer.root.appending("output"), reader)
        }
        timeline.background = top.string("background") ?? timeline.background
        if let tracks = top.array("tracks") {
            timeline.tracks = tracks.map { readTrack($0.value, at: $0.path, reader) }
        }
        // Any key is allowed in merge; only the values must be strings.
        if let merge = top.members["merge"] {
            if case .object(let members) = merge {
                for (key, value) in members {
                    if let string = reader.string(value, at: JSONPointer.root.appending("merge").appending(key)) {
                        timeline.merge[key] = string
                    }
                }
            } else {
                reader.report(JSONPointer.root.appending("merge"), "expected an object, got \(merge.typeName)")
            }
        }
        return timeline
    }

    private static func readOutput(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Output {
        guard let o = reader.object(value, at: path, allowed: [
            "preset", "width", "height", "fps", "format", "video", "audio", "range", "loudness", "canvas",
        ]) else { return Timeline.Output() }
        var output = o.enumValue("preset", Timeline.Preset.self)?.output ?? Timeline.Output()
        output.width = o.integer("width") ?? output.width
        output.height = o.integer("height") ?? output.height
        output.fps = o.number("fps") ?? output.fps
        output.format = o.enumValue("format", Timeline.Format.self) ?? output.format
        // Codecs default to the ones the container takes (webm: VP9 + Opus); still pictures have no sound.
        output.video.codec = output.format == .webm ? .vp9 : .h264
        output.audio = output.format.hasSound ? Timeline.AudioSettings(codec: output.format == .webm ? .opus : .aac) : nil
        if let v = o.object("video", allowed: ["codec", "crf", "preset", "bitrate"]) {
            var video = Timeline.VideoSettings(codec: output.video.codec)
            video.codec = v.enumValue("codec", Timeline.VideoCodec.self) ?? video.codec
            video.crf = v.integer("crf") ?? video.crf
            video.preset = v.enumValue("preset", Timeline.EncoderPreset.self) ?? video.preset
            if let bitrate = v.members["bitrate"], !v.isNull("bitrate") {
                video.bitrate = readBitrate(bitrate, at: v.path.appending("bitrate"), reader)
            }
            output.video = video
        }
        if o.isNull("audio") {
            output.audio = nil
        } else if let a = o.object("audio", allowed: ["codec", "bitrate", "sampleRate", "channels"]) {
            var audio = Timeline.AudioSettings(codec: output.format == .webm ? .opus : .aac)
            audio.codec = a.enumValue("codec", Timeline.AudioCodec.self) ?? audio.codec
            if let bitrate = a.members["bitrate"] {
                audio.bitrate = readBitrate(bitrate, at: a.path.appending("bitrate"), reader) ?? audio.bitrate
            }
            audio.sampleRate = a.integer("sampleRate") ?? audio.sampleRate
            audio.channels = a.integer("channels") ?? audio.channels
            output.audio = audio
        }
        if !o.isNull("range"), let r = o.object("range", allowed: ["start", "end"]) {
            output.range = Timeline.TimeRange(start: r.number("start", required: true) ?? 0, end: r.number("end", required: true) ?? 0)
        }
        if !o.isNull("loudness") {
            output.loudness = o.number("loudness")
        }
        if !o.isNull("canvas"), let c = o.object("canvas", allowed: ["width", "height"]) {
            output.canvas = Timeline.Size(width: c.integer("width", required: true) ?? 0, height: c.integer("height", required: true) ?? 0)
        }
        return output
    }

    /// Bits per second from a number or a string such as `"128k"` or `"2.5M"`.
    private static func readBitrate(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Int? {
        if case .string(let text) = value {
            var digits = Substring(text)
            var factor = 1.0
            if let last = digits.last, "kKmM".contains(last) {
                factor = "kK".contains(last) ? 1000 : 1_000_000
                digits = digits.dropLast()
            }
            guard let number = Double(digits), number.isFinite, number > 0, number * factor < 1e12,
                  digits.allSatisfy({ $0.isNumber || $0 == "." }) else {
                reader.report(path, "expected a bitrate such as 128000, \"128k\" or \"2M\", got '\(text)'")
                return nil
            }
            return Int(saturating: (number * factor).rounded())
        }
        guard let number = reader.integer(value, at: path) else { return nil }
        return number
    }

    private static func readTrack(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Track {
        var track = Timeline.Track(id: "")
        guard let t = reader.object(value, at: path, allowed: ["id", "name", "muted", "hidden", "volume", "clips"]) else { return track }
        track.id = t.string("id", required: true) ?? ""
        track.name = t.isNull("name") ? nil : t.string("name")
        track.muted = t.bool("muted") ?? false
        track.hidden = t.bool("hidden") ?? false
        track.volume = t.number("volume") ?? 1
        if let clips = t.array("clips") {
            track.clips = clips.map { readClip($0.value, at: $0.path, reader) }
        }
        return track
    }

    package static let clipKeys = [
        "id", "asset", "start", "length", "trim", "speed", "fit", "scale", "position", "offset", "opacity",
        "volume", "fadeIn", "fadeOut", "transition", "effects", "animate",
    ]

    private static func readClip(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Clip {
        // The stand-in asset needs no length, so a broken asset does not also report a missing length.
        var clip = Timeline.Clip(id: "", asset: .video(Timeline.VideoAsset(src: "-")), start: 0)
        guard let c = reader.object(value, at: path, allowed: clipKeys) else { return clip }
        clip.id = c.string("id", required: true) ?? ""
        if let asset = c.require("asset") {
            clip.asset = readAsset(asset, at: path.appending("asset"), reader) ?? clip.asset
        }
        clip.start = c.number("start", required: true) ?? 0
        clip.length = c.isNull("length") ? nil : c.number("length")
        clip.trim = c.number("trim") ?? 0
        clip.speed = c.number("speed") ?? 1
        clip.fit = c.enumValue("fit", Timeline.Fit.self)
        clip.scale = c.number("scale") ?? 1
        // Captions sit at the bottom unless placed elsewhere; everything else is centred.
        let defaultPosition: Timeline.Position = if case .captions = clip.asset { .bottom } else { .center }
        clip.position = c.enumValue("position", Timeline.Position.self) ?? defaultPosition
        if let o = c.object("offset", allowed: ["x", "y"]) {
            clip.offset = Timeline.Offset(x: o.number("x") ?? 0, y: o.number("y") ?? 0)
        }
        clip.opacity = c.number("opacity") ?? 1
        clip.volume = c.number("volume") ?? 1
        clip.fadeIn = c.number("fadeIn") ?? 0
        clip.fadeOut = c.number("fadeOut") ?? 0
        if !c.isNull("transition"), let t = c.object("transition", allowed: ["type", "duration"]) {
            let type = t.enumValue("type", Timeline.TransitionType.self, required: true)
            let duration = t.number("duration", required: true)
            clip.transition = Timeline.Transition(type: type ?? .fade, duration: duration ?? 1)
        }
        if let effects = c.array("effects") {
            // Placeholders keep indexes aligned with the document for the range checks.
            clip.effects = effects.map { readEffect($0.value, at: $0.path, reader) ?? .grayscale }
        }
        if let animations = c.array("animate") {
            clip.animate = animations.map { readAnimation($0.value, at: $0.path, reader) ?? Timeline.Animation(property: .opacity, keys: []) }
        }
        return clip
    }

    private static func readFont(_ f: ObjectReader?) -> Timeline.Font {
        var font = Timeline.Font()
        guard let f else { return font }
        font.family = f.string("family") ?? font.family
        font.size = f.number("size") ?? font.size
        font.weight = f.enumValue("weight", Timeline.FontWeight.self) ?? font.weight
        font.color = f.string("color") ?? font.color
        font.src = f.isNull("src") ? nil : f.string("src")
        return font
    }

    private static func readBox(_ b: ObjectReader?) -> Timeline.Box? {
        guard let b else { return nil }
        var box = Timeline.Box()
        box.color = b.string("color") ?? box.color
        box.padding = b.number("padding") ?? box.padding
        return box
    }

    private static let fontKeys = ["family", "size", "weight", "color", "src"]
    private static let boxKeys = ["color", "padding"]

    private static func readAsset(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Asset? {
        // The allowed keys depend on the type, so read the type before checking keys.
        guard let kind = reader.tag(value, at: path, Timeline.Asset.Kind.self) else { return nil }
        let allowed: [String]
        switch kind {
        case .video: allowed = ["type", "src", "audio"]
        case .audio, .image: allowed = ["type", "src"]
        case .text: allowed = ["type", "text", "font", "align", "box", "outline"]
        case .color: allowed = ["type", "color"]
        case .captions: allowed = ["type", "src", "font", "box"]
        }
        guard let a = reader.object(value, at: path, allowed: allowed) else { return nil }
        switch kind {
        case .video:
            return .video(Timeline.VideoAsset(src: a.string("src", required: true) ?? "", audio: a.isNull("audio") ? nil : a.bool("audio")))
        case .audio:
            return .audio(Timeline.AudioAsset(src: a.string("src", required: true) ?? ""))
        case .image:
            return .image(Timeline.ImageAsset(src: a.string("src", required: true) ?? ""))
        case .text:
            var text = Timeline.TextAsset(text: a.string("text", required: true) ?? "")
            text.font = readFont(a.object("font", allowed: fontKeys))
            text.align = a.enumValue("align", Timeline.TextAlign.self) ?? text.align
            text.box = a.isNull("box") ? nil : readBox(a.object("box", allowed: boxKeys))
            if !a.isNull("outline"), let o = a.object("outline", allowed: ["color", "width"]) {
                var outline = Timeline.Outline()
                outline.color = o.string("color") ?? outline.color
                outline.width = o.number("width") ?? outline.width
                text.outline = outline
            }
            return .text(text)
        case .color:
            return .color(Timeline.ColorAsset(color: a.string("color", required: true) ?? "#000000"))
        case .captions:
            var captions = Timeline.CaptionsAsset(src: a.string("src", required: true) ?? "")
            captions.font = readFont(a.object("font", allowed: fontKeys))
            captions.box = a.isNull("box") ? nil : readBox(a.object("box", allowed: boxKeys))
            return .captions(captions)
        }
    }

    private static func readKenBurns(_ k: ObjectReader?) -> Timeline.KenBurnsFrame {
        guard let k else { return Timeline.KenBurnsFrame() }
        return Timeline.KenBurnsFrame(scale: k.number("scale") ?? 1, x: k.number("x") ?? 0, y: k.number("y") ?? 0)
    }

    private static func readEffect(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Effect? {
        guard let kind = reader.tag(value, at: path, Timeline.Effect.Kind.self) else { return nil }
        let allowed: [String]
        switch kind {
        case .blur: allowed = ["type", "amount"]
        case .grayscale, .sepia: allowed = ["type"]
        case .color: allowed = ["type", "brightness", "contrast", "saturation"]
        case .kenburns: allowed = ["type", "from", "to"]
        case .crop: allowed = ["type", "x", "y", "width", "height"]
        case .flip: allowed = ["type", "horizontal", "vertical"]
        case .rotate: allowed = ["type", "degrees"]
        case .chromakey: allowed = ["type", "color", "similarity", "blend"]
        }
        guard let e = reader.object(value, at: path, allowed: allowed) else { return nil }
        switch kind {
        case .blur: return .blur(amount: e.number("amount", required: true) ?? 0)
        case .grayscale: return .grayscale
        case .sepia: return .sepia
        case .color:
            return .color(brightness: e.number("brightness") ?? 0, contrast: e.number("contrast") ?? 1, saturation: e.number("saturation") ?? 1)
        case .kenburns:
            let frameKeys = ["scale", "x", "y"]
            let from = readKenBurns(e.object("from", allowed: frameKeys))
            let to = readKenBurns(e.object("to", allowed: frameKeys, required: true))
            return .kenburns(from: from, to: to)
        case .crop:
            return .crop(x: e.number("x") ?? 0, y: e.number("y") ?? 0, width: e.number("width") ?? 1, height: e.number("height") ?? 1)
        case .flip:
            return .flip(horizontal: e.bool("horizontal") ?? false, vertical: e.bool("vertical") ?? false)
        case .rotate:
            return .rotate(degrees: e.number("degrees", required: true) ?? 0)
        case .chromakey:
            return .chromakey(color: e.string("color", required: true) ?? "#00FF00", similarity: e.number("similarity") ?? 0.1, blend: e.number("blend") ?? 0.05)
        }
    }

    private static func readAnimation(_ value: JSONValue, at path: JSONPointer, _ reader: DocumentReader) -> Timeline.Animation? {
        guard let a = reader.object(value, at: path, allowed: ["property", "keys"]) else { return nil }
        let property = a.enumValue("property", Timeline.AnimatedProperty.self, required: true)
        var keys: [Timeline.Keyframe] = []
        if let elements = a.array("keys", required: true) {
            for element in elements {
                guard let k = reader.object(element.value, at: element.path, allowed: ["t", "value", "easing"]) else {
                    keys.append(Timeline.Keyframe(t: 0, value: 0))
                    continue
                }
                keys.append(Timeline.Keyframe(
                    t: k.number("t", required: true) ?? 0,
                    value: k.number("value", required: true) ?? 0,
                    easing: k.enumValue("easing", Timeline.Easing.self) ?? .linear))
            }
        }
        return Timeline.Animation(property: property ?? .opacity, keys: keys)
    }
}
