import TimelineModel
/// The bottom canvas: when the first track covers the canvas with opaque pictures, its groups are
/// the canvas itself (joined by `concat`, with the background only in the gaps), instead of being
/// blended with `overlay` onto a background that they hide anyway. That saves a full-frame alpha
/// conversion and blend per frame, the largest cost of a plain edit after decoding and encoding.
extension GraphBuilder {
    /// Codecs whose decoded pictures never carry alpha, for media infos probed before `hasAlpha` existed.
    private static let opaqueCodecs: Set<String> = ["h264", "hevc", "mpeg4", "mpeg2video", "mpeg1video", "av1", "vp8", "vp9", "mjpeg", "theora"]

    /// True when every frame of the segment's picture is opaque and exactly covers the canvas,
    /// so it can stay in the source's pixel format (no alpha plane, no padding).
    package func coversCanvas(_ segment: Segment) -> Bool {
        let clip = segment.clip
        guard case .video = clip.asset, let source = segment.source, !source.info.isImage,
              let sourceWidth = source.info.width, let sourceHeight = source.info.height else { return false }
        let opaqueSource = source.info.hasAlpha.map { !$0 } ?? source.info.videoCodec.map(Self.opaqueCodecs.contains) ?? false
        guard opaqueSource, clip.opacity == 1, clip.curve(.opacity) == nil, clip.fadeIn == 0, clip.fadeOut == 0,
              !Self.hasAnimatedGeometry(clip), clip.effects.allSatisfy(Self.keepsOpaque) else { return false }
        let effected = Self.effectedSize(clip.effects, width: sourceWidth, height: sourceHeight)
        guard let placement = place(clip, sourceWidth: effected.width, sourceHeight: effected.height) else { return false }
        return placement.x == 0 && placement.y == 0 && placement.cropWidth == width && placement.cropHeight == height
    }

    private static func keepsOpaque(_ effect: Timeline.Effect) -> Bool {
        switch effect {
        case .blur, .grayscale, .sepia, .color, .kenburns, .crop, .flip: return true
        case .rotate(let degrees): return quarterTurns(degrees) != nil
        case .chromakey: return false
        }
    }

    /// Builds `[canvas0]` from the first track when all its pictures cover the canvas and follow one
    /// another without overlapping; returns false (nothing added) when the background canvas is needed.
    package mutating func addCoveringCanvas(_ groups: [[Segment]], track: Timeline.Track) -> Bool {
        guard !track.hidden else { return false }
        var pictures: [[Segment]] = []
        for group in groups {
            if group.allSatisfy({ $0.clip.asset.kind == .audio }) { continue }
            guard group.allSatisfy(coversCanvas) else { return false }
            pictures.append(group)
        }
        guard !pictures.isEmpty else { return false }
        // Each group's stream starts at its first kept frame (after `skip`); what lies outside the window is cut off.
        var spans: [(group: [Segment], start: Int, end: Int)] = []
        for group in pictures {
            guard let first = group.first, let last = group.last else { continue }
            let streamStart = first.streamStart + first.skip
            let start = max(streamStart, firstFrame), end = min(last.streamStart + last.frames, totalFrames)
            guard end > start else { continue }
            if let previous = spans.last, previous.end > start { return false }
            spans.append((group, start, end))
        }
        guard !spans.isEmpty else { return false }

        var pieces: [String] = []
        var position = firstFrame
        func gap(until frame: Int) {
            guard frame > position else { return }
            let label = "base\(pieces.count)"
            chains.append(solidColour(background, width: width, height: height, alpha: false) + ",trim=end_frame=\(frame - position),setsar=1[\(label)]")
            pieces.append(label)
        }
        for span in spans {
            gap(until: span.start)
            guard let stream = coveringStream(span.group) else { return false }
            let first = span.group[0]
            let offset = span.start - (first.streamStart + first.skip)
            let label = "base\(pieces.count)"
            let trim = offset > 0 ? "trim=start_frame=\(offset):end_frame=\(offset + span.end - span.start)" : "trim=end_frame=\(span.end - span.start)"
            chains.append("[\(stream)]\(trim),setpts=PTS-STARTPTS,format=yuv420p[\(label)]")
            pieces.append(label)
            position = span.end
        }
        gap(until: totalFrames)
        // concat counts in its own time base; the canvas counts timeline frames, like the background canvas.
        let joined = pieces.count == 1 ? "[\(pieces[0])]" : pieces.map { "[\($0)]" }.joined() + "concat=n=\(pieces.count):v=1:a=0,"
        chains.append(joined + "settb=expr=\(clock.rate.den)/\(clock.rate.num),setpts=N+\(firstFrame)[canvas0]")
        return true
    }

    /// A covering group as one stream timed from its first frame. Only each transition's frames go
    /// through `xfade`, which works in 4:4:4 and would convert every frame it sees there and back;
    /// the clips' own frames pass untouched, and the parts are joined by `concat`.
    private mutating func coveringStream(_ group: [Segment]) -> String? {
        var members: [String] = []
        for segment in group {
            guard let picture = pictureChain(segment, padded: false, covering: true) else { return nil }
            members.append(picture.chain)
        }
        if group.count == 1 {
            chains.append(members[0] + "[\(group[0].key)_v]")
            return "\(group[0].key)_v"
        }
        // Each member: its incoming transition's frames, its own, its outgoing transition's (member
        // frames), each from the window on: the member's stream arrives from frame `skip`.
        var pieces: [String] = []
        var incoming: String?
        for (i, segment) in group.enumerated() {
            let key = segment.key
            let inFrames = i > 0 ? segment.inFrames : 0
            let outStart = i + 1 < group.count ? group[i + 1].streamStart - segment.streamStart : segment.frames
            var parts: [(label: String, from: Int, to: Int)] = []
            for (label, from, to) in [("\(key)_in", 0, inFrames), ("\(key)_own", inFrames, outStart), ("\(key)_out", outStart, segment.frames)] {
                let kept = max(from, segment.skip)
                if to > kept { parts.append((label, kept - segment.skip, to - segment.skip)) }
            }
            let has = Set(parts.map(\.label))
            let trims = parts.map { "trim=start_frame=\($0.from):end_frame=\($0.to),setpts=PTS-STARTPTS" }
            if parts.count == 1 {
                chains.append(members[i] + ",\(trims[0])[\(parts[0].label)]")
            } else {
                let taps = parts.indices.map { "[\(key)_tap\($0)]" }
                chains.append(members[i] + ",split=\(parts.count)" + taps.joined())
                for (tap, (part, trim)) in zip(taps, zip(parts, trims)) { chains.append("\(tap)\(trim)[\(part.label)]") }
            }
            if let incoming, has.contains("\(key)_in") {
                let duration = decimal(clock.seconds(frame: inFrames))
                // A window inside the transition starts the blend part-way (a negative offset).
                let offset = decimal(-clock.seconds(frame: segment.skip))
                chains.append("[\(incoming)][\(key)_in]xfade=transition=\((segment.inTransition ?? .fade).rawValue):duration=\(duration):offset=\(offset),format=yuv420p[\(key)_x]")
                pieces.append("\(key)_x")
            }
            if has.contains("\(key)_own") { pieces.append("\(key)_own") }
            incoming = has.contains("\(key)_out") ? "\(key)_out" : nil
        }
        let label = "\(group[0].key)_c"
        chains.append(pieces.map { "[\($0)]" }.joined() + "concat=n=\(pieces.count):v=1:a=0,settb=expr=\(clock.rate.den)/\(clock.rate.num),setpts=N[\(label)]")
        return label
    }
}
