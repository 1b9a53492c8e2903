/// Compiles a timeline into a `RenderPlan`: the inputs to decode, one libavfilter graph
/// description, and the encoder settings. Pure: no FFmpeg calls, deterministic output.
///
/// Graph conventions (the executor's contract):
/// - Each `RenderPlan.Input` feeds a `buffer`/`abuffer` source whose output is the label
///   `[<pad>]`, with SOURCE timestamps (stream start_time subtracted) at the native size, pixel
///   format, sample rate and layout. Frames before `seek` may arrive; the graph drops them.
///   Image inputs (`isImage`) send one frame at pts 0 and EOF; the graph repeats it (`loop`).
/// - Labels: clip `k` of track `t` is `t<t>c<k>_<id>` (id reduced to `[A-Za-z0-9_]`); its pads
///   are `<key>_vin`/`<key>_ain`, its processed streams `<key>_v`/`<key>_a`. The canvas after
///   each layer is `canvas<n>`; the silent audio bed is `silence`.
/// - Video: a `color` canvas of the background at the output size and rate, exactly
///   `totalFrames` long. Each visual clip is re-timed to the output grid (`setpts` to source
///   time minus trim, divided by `speed`, then `fps` with `start_time=0`, so the frame on screen
///   at the in-point is held from the clip's first frame), cut to its frame count
///   (`trim=end_frame`), given its effects (below), scaled to its fitted size, cropped to the
///   part inside the canvas, given alpha (`format=yuva420p`, `colorchannelmixer=aa` for a fixed
///   opacity, `fade … alpha=1` for fades), shifted by its start frame (`setpts=PTS+<frame>`,
///   time base 1/fps) and overlaid with `eof_action=pass`. Text without effects is drawn
///   straight onto the canvas with `drawtext`, enabled by frame number. Tracks are layered in
///   order, index 0 at the bottom. The chain ends `setsar=1,format=yuv420p,setparams=…bt709…[vout]`.
/// - Colour (`RenderCompiler+Colour.swift`): the canvas is bt709 limited-range YUV. Sources not
///   already so are converted first (`scale` with their matrix and range in, bt709 out); solid
///   colours are drawn once in RGB, converted and repeated; text colours are handed to drawtext
///   as the RGB whose bt601 YCbCr is their bt709 one, or drawn on an RGBA layer when none is.
///   JPEG outputs are converted to full-range bt601, PNG and GIF to RGB.
/// - Effects (`RenderCompiler+Effects.swift`) run in document order at source size, before the
///   fit: `gblur` (sigma = amount in canvas pixels), `hue=s=0`, a sepia `colorchannelmixer`,
///   `eq`, `perspective … eval=frame` for Ken Burns (corners linear in the input frame number,
///   size kept), `crop`, `hflip`/`vflip`, `transpose`/`hflip,vflip` for quarter turns and
///   `rotate … c=none` into the bounding box otherwise, `format=yuva420p,chromakey`. `crop` and
///   `rotate` change the size that is fitted. Colour clips with effects are generated at canvas
///   size and fitted like a source. Text and captions clips with effects
///   (`RenderCompiler+TextLayers.swift`) are drawn onto a transparent layer (a text clip's just
///   larger than its block, centred, drawn at its largest scale; a captions clip's the canvas),
///   which is their source picture: unfitted, placed where drawtext alone would put the text.
///   On such a layer `gblur`, `perspective` and a free `rotate` run between `premultiply` and
///   `unpremultiply`, and chromakey is multiplied into its alpha (`split`, `blend=c3_mode=multiply`).
/// - Keyframes (`RenderCompiler+Keyframes.swift`) are nested `if(lt(…))` expressions of clip
///   time (no `;` in them: only `sendcmd`'s quoted commands hold one). Opacity: `sendcmd` sets
///   `lutyuv@<key>_opacity`'s `a` to `val*<opacity>` on each frame where the value changes.
///   Scale/offset: the picture is not cropped; it is scaled last with `scale … eval=frame`
///   (before the start shift, so `t` is stream time) and placed by `overlay` x/y expressions of
///   timeline `t`. Volume: `asetnsamples` (10 ms) then `volume … eval=frame`. Text: drawtext
///   `alpha` and x/y expressions of timeline `t`.
/// - Speed: sound is cut by source time, then `atempo` (one per factor in 0.5...2, two chained
///   for 0.25...0.5 and 2...4) keeps its pitch, and `asetpts=N/SR/TB` renumbers its samples
///   before resampling.
/// - Multi-line text that is centred or right-aligned is one `drawtext` per line, lines 1.2 em
///   apart, each placed by its baseline (`y = … - ascent`) and inside the block by the block's
///   width (its widest line, measured with FreeType as drawtext measures); left-aligned text is
///   one `drawtext`. A text clip's drawtexts share one chain. Keyframed `scale` on text: drawtext's
///   `fontsize` and x/y are expressions of `t`; box padding and outline width change through
///   `sendcmd` (`reinit` of `drawtext@<key>_<line>`) on the frames where they change.
/// - Captions (`RenderCompiler+Text.swift`) are text clips per cue (same layout, font, box, fades),
///   aligned to the side they are anchored to, 5% in from the canvas edge, outlined unless boxed;
///   a cue starting while others show (at a top or bottom anchor) stacks beyond them.
///   Cue lines share a few `drawtext@<key>_<slot>` filters, as many as show at once; a `sendcmd`
///   before them gives a slot its next line (`reinit` text/x/y, then `enable`) as the last one ends.
/// - Transitions (`RenderCompiler+Transitions.swift`): clips joined by transitions form one group.
///   Each member borrows frames around the cut (half the transition before it, half after; where
///   the source has no such frames the edge frame is held), is padded to a transparent canvas-size
///   frame (`pad`; a keyframed picture is overlaid onto one; text and captions are drawn onto one,
///   cues in stream time, through the borrowed head and tail too), and the
///   members are chained with `xfade=transition=<type>:duration=…:offset=…`; the group is then
///   shifted (`[<first>_g]`) and overlaid at 0,0. Unless every member covers the canvas opaquely,
///   the chain is blended premultiplied (`premultiply` … `unpremultiply`). A window (range, still)
///   starts every member at the window (`trim=start_frame`, the input seeks there); offsets count
///   from the chain's first frame, so one is negative when the window starts inside its transition.
///   Their sounds are extended the same way and crossfaded with linear `afade` ramps over the
///   whole transition.
/// - Audio (when the output has audio): each sound is cut by source time (`atrim`), resampled to
///   the output rate and layout, scaled (`volume` = clip × track), faded (`afade`), padded/cut
///   to its exact sample count and delayed to its start (`adelay … S`). All sounds are mixed with
///   `amix=normalize=0:duration=first` over an `anullsrc` bed of exactly the plan's duration,
///   ending `aformat=sample_fmts=fltp:sample_rates=<rate>:channel_layouts=<stereo|mono>[aout]`.
/// - Timing: every clip starts and ends on the output frame grid (`FrameClock`); sound uses the
///   same grid converted to samples, so picture and sound of a clip stay together.
/// - Clips whose picture lies wholly outside the canvas, or with opacity 0, add no picture;
///   sounds at volume 0, muted tracks and `audio: false` add no sound input.
/// - The background colour's alpha (if `#RRGGBBAA`) is composited over black: the output has no alpha.
/// - A path may appear in several inputs (a clip's picture and its sound, or clips sharing a
///   source); each input is decoded on its own. A branch closes when its `trim` is done, so
///   `av_buffersrc_add_frame` answering EOF means that input is finished, not an error.
/// - Like ffmpeg itself, the executor must feed inputs on demand (the source the graph asks for,
///   e.g. by `av_buffersrc_get_nb_failed_requests`): an overlay or the mixer needs a late clip's
///   first frame before it can pass earlier canvas frames.
public enum RenderCompiler {
    /// Validates `timeline` against its sources (throws every issue), then builds its plan.
    /// - Parameters:
    ///   - merge: placeholder values of the render request; they override the document's `merge`.
    ///   - resolve: finds each source's local file and media info.
    ///   - scaledWidth: the picture is composed at the document's size, then scaled to this width
    ///     (height in proportion, even) — frame previews for the editor.
    public static func compile(
        _ timeline: Timeline, merge: [String: String] = [:], scaledWidth: Int? = nil, resolve: SourceResolver
    ) throws(RenderError) -> RenderPlan {
        let issues = timeline.validate(merge: merge, resolve: resolve)
        if !issues.isEmpty { throw .invalidTimeline(issues) }
        let merged = timeline.applyingMerge(merge)
        let sources = merged.resolveSources(resolve)
        // Captions files are read here, not in validation: only the renderer has their bytes locally.
        let captions = merged.loadCaptions(sources)
        if !captions.issues.isEmpty { throw .invalidTimeline(captions.issues) }
        let document = RenderPlan.Document(timeline: merged, sources: sources, fonts: merged.fontFiles(resolve).files, captions: captions.captions)
        var builder = GraphBuilder(
            timeline: merged, sources: sources, fonts: document.fonts, captions: document.captions, scaledWidth: scaledWidth)
        var plan = builder.build()
        if scaledWidth == nil { plan.document = document }
        return plan
    }

    /// The exact frame rate a document's `fps` means (29.97 → 30000/1001).
    public static func frameRate(for fps: Double) -> Rational {
        Rational(fps: fps)
    }

    /// Every feature this compiler cannot render yet, as issues (never silently dropped).
    static func unsupportedIssues(_ timeline: Timeline) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func unsupported(_ path: String, _ what: String) {
            issues.append(ValidationIssue(path: path, message: "\(what) is not supported by this engine yet"))
        }
        for (ti, track) in timeline.tracks.enumerated() {
            let order = track.clips.indices.sorted { (track.clips[$0].start, $0) < (track.clips[$1].start, $1) }
            for (ci, clip) in track.clips.enumerated() {
                let path = "/tracks/\(ti)/clips/\(ci)"
                let kind = clip.asset.kind
                for (ei, effect) in clip.effects.enumerated() {
                    if kind == .audio {
                        unsupported("\(path)/effects/\(ei)", "effect '\(effect.kind.rawValue)' on a \(kind.rawValue) clip")
                    } else if case .chromakey(_, let similarity, _) = effect, similarity < 0.01 {
                        unsupported("\(path)/effects/\(ei)/similarity", "chromakey similarity below 0.01")
                    }
                }
                for (ai, animation) in clip.animate.enumerated() {
                    let property = animation.property
                    let what = "animating '\(property.rawValue)' with keyframes"
                    switch (property, kind) {
                    case (.volume, .video), (.volume, .audio):
                        break
                    case (.volume, _):
                        unsupported("\(path)/animate/\(ai)", what + " on a \(kind.rawValue) clip (it has no sound)")
                    case (_, .audio):
                        unsupported("\(path)/animate/\(ai)", what + " on an audio clip (it has no picture)")
                    case (.scale, _), (.offsetX, _), (.offsetY, _), (.opacity, _):
                        break
                    }
                }
                if clip.transition != nil, let position = order.firstIndex(of: ci), position > 0 {
                    let previous = track.clips[order[position - 1]]
                    switch (transitionKind(previous), transitionKind(clip)) {
                    case (.picture, .picture), (.sound, .sound):
                        break
                    default:
                        unsupported(path + "/transition", "a transition between a picture clip and an audio clip")
                    }
                }
            }
        }
        return issues
    }

    private enum TransitionKind { case picture, sound }

    private static func transitionKind(_ clip: Timeline.Clip) -> TransitionKind {
        switch clip.asset {
        // Text and captions inside a transition are drawn onto a layer of their own, like a picture.
        case .video, .image, .color, .text, .captions: return .picture
        case .audio: return .sound
        }
    }
}

/// Builds one plan; holds the running canvas label and the collected chains.
struct GraphBuilder {
    let timeline: Timeline
    let sources: [ClipIndex: ResolvedSource]
    /// The font file of each text and captions clip.
    let fonts: [ClipIndex: String]
    /// The cues of each captions clip.
    let captions: [ClipIndex: Captions]
    let clock: FrameClock
    let width: Int
    let height: Int
    /// The rendered window of the timeline, in frames: `[firstFrame, totalFrames)` (`range`, or one
    /// frame for a still picture). Everything before it is skipped, never composed.
    let firstFrame: Int
    let totalFrames: Int
    /// End of the timeline's last clip (or of the window, if later), in frames.
    let timelineFrames: Int
    /// Size of the encoded picture (the canvas, or a scaled preview of it).
    let outputWidth: Int
    let outputHeight: Int

    var inputs: [RenderPlan.Input] = []
    var chains: [String] = []
    var sounds: [String] = []
    var canvas = "canvas0"
    var layer = 0

    init(
        timeline: Timeline, sources: [ClipIndex: ResolvedSource], fonts: [ClipIndex: String] = [:], captions: [ClipIndex: Captions] = [:],
        scaledWidth: Int? = nil
    ) {
        self.timeline = timeline
        self.sources = sources
        self.fonts = fonts
        self.captions = captions
        let output = timeline.output
        clock = FrameClock(rate: Rational(fps: output.fps))
        width = output.width
        height = output.height
        firstFrame = clock.frame(at: output.range?.start ?? 0)
        totalFrames = output.format.isStill ? firstFrame + 1 : max(firstFrame + 1, clock.frame(at: timeline.computeDuration(sources)))
        var whole = timeline
        whole.output.range = nil
        timelineFrames = max(totalFrames, clock.frame(at: whole.computeDuration(sources)))
        if let scaledWidth, scaledWidth < width {
            outputWidth = max(16, scaledWidth / 2 * 2)
            outputHeight = max(16, Int(saturating: (Double(height) * Double(outputWidth) / Double(width) / 2).rounded()) * 2)
        } else {
            outputWidth = width
            outputHeight = height
        }
    }

    var hasSound: Bool { timeline.output.audio != nil && timeline.output.format.hasSound }

    var sampleRate: Int { timeline.output.audio?.sampleRate ?? 48_000 }
    var layout: String { timeline.output.audio?.channels == 1 ? "mono" : "stereo" }
    var rate: String { clock.rate.description }
    /// The canvas colour, opaque (a translucent background is shown over black).
    var background: RGBAColor { RGBAColor(timeline.background)?.overBlack ?? RGBAColor.black }

    mutating func build() -> RenderPlan {
        let groups = timeline.tracks.indices.map(windowGroups)
        let covered = groups.first.map { addCoveringCanvas($0, track: timeline.tracks[0]) } ?? false
        if !covered {
            // The canvas keeps timeline frame numbers as timestamps, so clips overlay at their own frames.
            let window = firstFrame > 0 ? "trim=start_frame=\(firstFrame):end_frame=\(totalFrames)" : "trim=end_frame=\(totalFrames)"
            chains.append(solidColour(background, width: width, height: height, alpha: false) + ",\(window)[canvas0]")
        }
        for ti in timeline.tracks.indices {
            let track = timeline.tracks[ti]
            for group in groups[ti] {
                if !track.hidden && !(covered && ti == 0) { addPictures(group) }
                for segment in group where segment.streamStart + segment.frames > firstFrame { addSound(segment, track: track) }
            }
        }
        chains += finalPicture(from: canvas)
        let totalSamples = clock.sample(frame: totalFrames, sampleRate: sampleRate)
        if hasSound {
            chains.append("anullsrc=r=\(sampleRate):cl=\(layout),atrim=end_sample=\(totalSamples)[silence]")
            let firstSample = clock.sample(frame: firstFrame, sampleRate: sampleRate)
            let cut = firstSample > 0 ? "atrim=start_sample=\(firstSample),asetpts=PTS-STARTPTS," : ""
            // Loudness in one measured pass: loudnorm steers the mix to the target (it works at 192 kHz,
            // hence the resample back), and ebur128 measures the result for the render's record.
            let loudness = timeline.output.loudness.map {
                "loudnorm=I=\(decimal($0)):TP=-1.5:LRA=11,aresample=\(sampleRate),aformat=channel_layouts=\(layout),ebur128=metadata=1,"
            } ?? ""
            let final = cut + loudness + "aformat=sample_fmts=fltp:sample_rates=\(sampleRate):channel_layouts=\(layout)[aout]"
            if sounds.isEmpty {
                chains.append("[silence]" + final)
            } else {
                let pads = (["silence"] + sounds).map { "[\($0)]" }.joined()
                chains.append("\(pads)amix=inputs=\(sounds.count + 1):normalize=0:duration=first,\(final)")
            }
        }
        let frames = totalFrames - firstFrame
        return RenderPlan(
            inputs: inputs, filterGraph: chains.joined(separator: ";"), output: encoding(),
            totalFrames: frames, duration: clock.seconds(frame: frames))
    }

    /// From the last canvas to `[vout]`: timestamps from 0, the preview scale, and the pixel
    /// format the encoder takes (for GIF a palette made from the whole render).
    private func finalPicture(from canvas: String) -> [String] {
        let filters = [firstFrame > 0 ? "setpts=PTS-STARTPTS" : nil, "setsar=1"].compactMap { $0 } + outputColour().filters
        guard timeline.output.format == .gif else { return ["[\(canvas)]" + filters.joined(separator: ",") + "[vout]"] }
        return [
            "[\(canvas)]" + (filters + ["split[gif_frames][gif_stats]"]).joined(separator: ","),
            "[gif_stats]palettegen=stats_mode=full[gif_palette]",
            "[gif_frames][gif_palette]paletteuse=dither=sierra2_4a[vout]",
        ]
    }

    /// Encoders and container for the output format.
    private func encoding() -> RenderPlan.Output {
        let o = timeline.output
        var output = RenderPlan.Output(
            format: o.format.rawValue, width: outputWidth, height: outputHeight, frameRate: clock.rate,
            videoCodec: "libx264", crf: o.video.crf, preset: o.video.preset.rawValue, videoBitrate: o.video.bitrate,
            pixelFormat: "yuv420p", audioCodec: hasSound ? "aac" : nil,
            audioBitrate: o.audio?.bitrate ?? 128_000, sampleRate: sampleRate, channels: o.audio?.channels ?? 2)
        output.colour = outputColour().tags
        switch o.format {
        case .mp4:
            break
        case .webm:
            output.videoCodec = "libvpx-vp9"
            output.audioCodec = hasSound ? "libopus" : nil
        case .gif:
            output.videoCodec = "gif"
            output.pixelFormat = "pal8"
        case .jpg, .png:
            // One picture in a plain file: the image2 muxer writing a single frame.
            output.format = "image2"
            output.videoCodec = o.format == .jpg ? "mjpeg" : "png"
            output.pixelFormat = o.format == .jpg ? "yuvj420p" : "rgb24"
        }
        return output
    }

    private static func labelKey(track: Int, clip: Int, id: String) -> String {
        let cleaned = String(id.unicodeScalars.prefix(32).map { scalar -> Character in
            Character(scalar).isASCII && (Character(scalar).isLetter || Character(scalar).isNumber || scalar == "_") ? Character(scalar) : "_"
        })
        return "t\(track)c\(clip)_\(cleaned)"
    }

    /// A clip on the output frame grid, with the frames transitions borrow around it.
    struct Segment {
        var clip: Timeline.Clip
        var key: String
        var source: ResolvedSource?
        /// Text and captions: the font file and (captions) the cues.
        var fontFile: String?
        var captions: Captions?
        /// First and past-the-end frame of the clip itself.
        var start: Int
        var end: Int
        /// Frames shown before `start` / after `end`, inside transitions.
        var head = 0
        var tail = 0
        /// Frames of the incoming / outgoing transition (the sound's crossfade ramps).
        var inFrames = 0
        var outFrames = 0
        var inTransition: Timeline.TransitionType?
        /// Frames at the stream's start that lie before the rendered window: not decoded where
        /// the input can seek past them, and dropped before any per-frame work.
        var skip = 0

        var nominal: Int { end - start }
        var frames: Int { head + nominal + tail }
        /// Timeline frame of the stream's first frame.
        var streamStart: Int { start - head }
        /// Keeps the stream's frames from `skip` on, up to `frames`; timestamps stay the stream's own.
        var trimFrames: String { skip > 0 ? "trim=start_frame=\(skip):end_frame=\(frames)" : "trim=end_frame=\(frames)" }
    }

    /// A track's clips on the frame grid, joined into transition groups, without what lies outside the window.
    private func windowGroups(_ ti: Int) -> [[Segment]] {
        let track = timeline.tracks[ti]
        let order = track.clips.indices.sorted { (track.clips[$0].start, $0) < (track.clips[$1].start, $1) }
        // Clips joined by transitions form one group, rendered as one stream (an xfade chain).
        var groups: [[Segment]] = []
        for ci in order {
            let clip = track.clips[ci]
            let source = sources[ClipIndex(track: ti, clip: ci)]
            guard let length = timeline.effectiveLength(of: clip, source: source) else { continue }
            // Cut at the timeline's end, not the window's: a transition just past the window still
            // shapes the frames inside it. What lies outside the window is dropped below.
            let start = min(clock.frame(at: clip.start), timelineFrames)
            let end = min(clock.frame(at: clip.start + length), timelineFrames)
            guard end > start else { continue }
            var segment = Segment(clip: clip, key: Self.labelKey(track: ti, clip: ci, id: clip.id), source: source, start: start, end: end)
            segment.fontFile = fonts[ClipIndex(track: ti, clip: ci)]
            segment.captions = captions[ClipIndex(track: ti, clip: ci)]
            if let transition = clip.transition, var group = groups.last, var previous = group.last, abs(previous.end - start) <= 1 {
                previous.end = start
                let frames = min(clock.frame(at: transition.duration), previous.nominal, segment.nominal)
                if frames > 0 {
                    // Centred on the cut: half before it (this clip's head), half after (the previous clip's tail).
                    let before = frames / 2
                    previous.tail = frames - before
                    previous.outFrames = frames
                    segment.head = before
                    segment.inFrames = frames
                    segment.inTransition = transition.type
                    group[group.count - 1] = previous
                    group.append(segment)
                    groups[groups.count - 1] = group
                    continue
                }
            }
            groups.append([segment])
        }
        var kept: [[Segment]] = []
        for whole in groups {
            // Members wholly outside the window add nothing, and a transition to or from one of them lies
            // outside the window too: the members kept lose that transition (exact inside the window).
            var group = whole.filter { $0.streamStart + $0.frames > firstFrame && $0.streamStart < totalFrames }
            guard !group.isEmpty else { continue }
            if group[0].key != whole[0].key {
                group[0].head = 0
                group[0].inFrames = 0
                group[0].inTransition = nil
            }
            if group[group.count - 1].key != whole[whole.count - 1].key {
                group[group.count - 1].tail = 0
                group[group.count - 1].outFrames = 0
            }
            skipBeforeWindow(&group)
            kept.append(group)
        }
        return kept
    }

    static func hasPicture(_ clip: Timeline.Clip) -> Bool {
        switch clip.asset {
        case .video, .image, .color: return true
        case .audio, .text, .captions: return false
        }
    }

    /// Where a clip's picture lands: its fitted size and the part of it inside the canvas.
    struct Placement {
        var width: Int
        var height: Int
        /// Visible rectangle, in picture coordinates.
        var cropX: Int
        var cropY: Int
        var cropWidth: Int
        var cropHeight: Int
        /// Top-left of the visible rectangle on the canvas.
        var x: Int
        var y: Int

        var needsCrop: Bool { cropWidth != width || cropHeight != height }
    }

    static func even(_ value: Double) -> Int {
        max(2, Int(saturating: (value / 2).rounded()) * 2)
    }

    static func evenFloor(_ value: Double) -> Int {
        Int(saturating: (value / 2).rounded(.down)) * 2
    }

    /// The size a `sourceWidth`×`sourceHeight` picture is fitted to, before `scale`.
    func fittedSize(_ clip: Timeline.Clip, sourceWidth: Int, sourceHeight: Int) -> (Double, Double) {
        let W = Double(width), H = Double(height)
        let w = Double(max(1, sourceWidth)), h = Double(max(1, sourceHeight))
        switch clip.fit ?? .cover {
        case .cover:
            let s = max(W / w, H / h)
            return (w * s, h * s)
        case .contain:
            let s = min(W / w, H / h)
            return (w * s, h * s)
        case .fill:
            return (W, H)
        case .none:
            return (w, h)
        }
    }

    /// Fits a `sourceWidth`×`sourceHeight` picture on the canvas; nil when nothing of it is visible.
    func place(_ clip: Timeline.Clip, sourceWidth: Int, sourceHeight: Int) -> Placement? {
        let W = Double(width), H = Double(height)
        let fitted = fittedSize(clip, sourceWidth: sourceWidth, sourceHeight: sourceHeight)
        let pw = Self.even(fitted.0 * clip.scale), ph = Self.even(fitted.1 * clip.scale)
        let anchor = Self.anchor(clip.position)
        let x = Self.evenFloor((W - Double(pw)) * anchor.x + clip.offset.x * W)
        let y = Self.evenFloor((H - Double(ph)) * anchor.y + clip.offset.y * H)
        let left = max(0, x), top = max(0, y)
        let right = min(width, x + pw), bottom = min(height, y + ph)
        guard right - left >= 2, bottom - top >= 2 else { return nil }
        return Placement(
            width: pw, height: ph, cropX: left - x, cropY: top - y, cropWidth: right - left, cropHeight: bottom - top,
            x: left, y: top)
    }

    /// Fraction of the free space left of / above the picture for each anchor.
    static func anchor(_ position: Timeline.Position) -> (x: Double, y: Double) {
        switch position {
        case .center: return (0.5, 0.5)
        case .top: return (0.5, 0)
        case .bottom: return (0.5, 1)
        case .left: return (0, 0.5)
        case .right: return (1, 0.5)
        case .topLeft: return (0, 0)
        case .topRight: return (1, 0)
        case .bottomLeft: return (0, 1)
        case .bottomRight: return (1, 1)
        }
    }

    private mutating func addPictures(_ group: [Segment]) {
        guard let first = group.first else { return }
        if group.count == 1 {
            guard Self.mayShow(first.clip) else { return }
            // Text with effects is a picture of its own layer (`RenderCompiler+TextLayers.swift`).
            switch first.clip.asset {
            case .text(let text) where first.clip.effects.isEmpty:
                addText(first, text: text)
                return
            case .captions(let captions) where first.clip.effects.isEmpty:
                addCaptions(first, captions: captions)
                return
            default:
                break
            }
            guard let picture = pictureChain(first, padded: false) else { return }
            chains.append(picture.chain + (first.start > 0 ? ",setpts=PTS+\(first.start)" : "") + "[\(first.key)_v]")
            overlay("\(first.key)_v", x: picture.x, y: picture.y)
            return
        }
        addTransitionGroup(group)
    }

    /// `x`, `y`: numbers, or overlay expressions of `t` (timeline seconds), `W`/`H` and `w`/`h`.
    mutating func overlay(_ label: String, x: String, y: String) {
        layer += 1
        let next = "canvas\(layer)"
        chains.append("[\(canvas)][\(label)]overlay=x=\(x):y=\(y):eof_action=pass[\(next)]")
        canvas = next
    }

    /// `seconds` as a term to subtract from PTS: `-2/TB`, or `+0.5/TB` for a negative in-point.
    static func minus(_ seconds: Double) -> String {
        seconds < 0 ? "+\(decimal(-seconds))/TB" : "-\(decimal(seconds))/TB"
    }

    /// A clip's picture at its place, with effects, alpha, opacity and fades, timed from 0 for
    /// `segment.frames` frames. `padded` puts it on a transparent canvas-size frame (for xfade);
    /// otherwise it is to be overlaid at `x`, `y` (numbers, or per-frame expressions when keyframes
    /// move it). Nil when nothing of it is visible.
    mutating func pictureChain(_ segment: Segment, padded: Bool, covering: Bool = false) -> (chain: String, x: String, y: String)? {
        var segment = segment
        // Text and captions (with effects): the picture of their layer, placed like an image of that size.
        let textLayer = textPicture(segment)
        if let textLayer { segment = textLayer.segment }
        let clip = segment.clip
        let key = segment.key
        let animated = Self.hasAnimatedGeometry(clip)
        var prefix: String
        var filters: [String] = []
        var sourceWidth = width, sourceHeight = height
        // Added only once the picture is known to be visible.
        var input: RenderPlan.Input?
        // The loop that repeats a still, when it comes after the picture's fixed filters.
        var repeatedStill: [String] = []
        switch clip.asset {
        case .video, .image:
            guard let source = segment.source, let displayWidth = source.info.width, let displayHeight = source.info.height else { return nil }
            (sourceWidth, sourceHeight) = (displayWidth, displayHeight)
            let info = source.info
            prefix = "[\(key)_vin]"
            switch ((info.rotation % 360) + 360) % 360 {
            case 90: filters.append("transpose=clock")
            case 180: filters += ["hflip", "vflip"]
            case 270: filters.append("transpose=cclock")
            default: break
            }
            let conversion = Self.sourceConversion(info)
            if info.isImage {
                input = RenderPlan.Input(path: source.path, media: .video, pad: "\(key)_vin", isImage: true)
                let repeated = [
                    "loop=loop=-1:size=1:start=0", "settb=expr=\(clock.rate.den)/\(clock.rate.num)", "setpts=N",
                    "fps=fps=\(rate)", segment.trimFrames,
                ]
                // A still's picture is the same on every frame: placed and made translucent once, before
                // it is repeated, unless something changes it over time.
                let varies = animated || Self.countsFrames(clip)
                filters += [conversion].compactMap { $0 }
                if varies { filters += repeated } else { repeatedStill = repeated }
            } else {
                // The in-point moves back by the head a transition borrows (in source time, so
                // × speed); before the source's start, fps repeats the first frame (start_time=0),
                // after its end tpad holds the last.
                let speed = clip.speed
                let inPoint = clip.trim - clock.seconds(frame: segment.head) * speed
                let outPoint = clip.trim + clock.seconds(frame: segment.nominal + segment.tail) * speed
                // Skipped frames are not decoded: fps fills them with copies of the first frame decoded, and trim drops them.
                let seek = max(0, inPoint + clock.seconds(frame: segment.skip) * speed)
                input = RenderPlan.Input(
                    path: source.path, media: .video, pad: "\(key)_vin", seek: seek, until: outPoint + Self.readAhead * speed)
                filters += [
                    speed == 1 ? "setpts=PTS\(Self.minus(inPoint))" : "setpts=(PTS\(Self.minus(inPoint)))/\(decimal(speed))",
                    "fps=fps=\(rate):start_time=0",
                    "tpad=stop_mode=clone:stop_duration=\(decimal(clock.seconds(frame: segment.frames)))",
                    segment.trimFrames,
                ] + [conversion].compactMap { $0 }
            }
        case .color(let color):
            guard let rgba = RGBAColor(color.color) else { return nil }
            if clip.effects.isEmpty && !animated {
                guard let placed = place(clip, sourceWidth: width, sourceHeight: height) else { return nil }
                // Generated at its visible size only.
                prefix = solidColour(rgba, width: placed.cropWidth, height: placed.cropHeight, alpha: true) + ","
                filters.append(segment.trimFrames)
                filters += alpha(segment)
                if padded {
                    filters.append("pad=w=\(width):h=\(height):x=\(placed.x):y=\(placed.y):color=0x00000000")
                }
                return (prefix + filters.joined(separator: ","), "\(placed.x)", "\(placed.y)")
            }
            // Effects see a canvas-size picture of the colour, as if it were a source.
            prefix = solidColour(rgba, width: width, height: height, alpha: true) + ",\(segment.trimFrames),"
        case .text, .captions:
            guard let textLayer else { return nil }
            prefix = textLayer.prefix
            (sourceWidth, sourceHeight) = (textLayer.width, textLayer.height)
        case .audio:
            return nil
        }
        input?.lastFrame = segment.streamStart + segment.frames - 1 - firstFrame
        let effected = Self.effectedSize(clip.effects, width: sourceWidth, height: sourceHeight)
        if animated {
            if let input { inputs.append(input) }
            return animatedPicture(segment, prefix: prefix, filters: filters, sourceWidth: sourceWidth, sourceHeight: sourceHeight, effected: effected, padded: padded)
        }
        guard let placement = place(clip, sourceWidth: effected.width, sourceHeight: effected.height) else { return nil }
        if var input {
            // Only JPEG decoders can decode small (`lowres`).
            if input.isImage && clip.effects.isEmpty && segment.source?.info.videoCodec == "mjpeg" {
                input.reduction = Self.reduction(from: (sourceWidth, sourceHeight), to: (placement.width, placement.height))
            }
            inputs.append(input)
        }
        let pixelScale = Double(placement.width) / Double(max(1, effected.width))
        filters += effectFilters(clip.effects, width: sourceWidth, height: sourceHeight, pixelScale: pixelScale, segment: segment)
        // Shrinking averages source pixels (area): as sharp as bicubic without its ringing, and at
        // 4K → 1080p 40 % less CPU; growing stays bicubic.
        let shrinks = placement.width < effected.width && placement.height < effected.height
        filters += ["scale=w=\(placement.width):h=\(placement.height)" + (shrinks ? ":flags=area" : ""), "setsar=1"]
        if placement.needsCrop {
            filters.append("crop=w=\(placement.cropWidth):h=\(placement.cropHeight):x=\(placement.cropX):y=\(placement.cropY)")
        }
        // A covering picture has no alpha to add and fills the canvas already.
        if covering {
            filters.append("format=yuv420p")
        } else {
            filters.append("format=yuva420p")
            if repeatedStill.isEmpty || clip.curve(.opacity) != nil {
                filters += repeatedStill + alpha(segment)
            } else {
                filters += opacity(segment) + repeatedStill + fades(segment)
            }
            if padded {
                filters.append("pad=w=\(width):h=\(height):x=\(placement.x):y=\(placement.y):color=0x00000000")
            }
        }
        return (prefix + filters.joined(separator: ","), "\(placement.x)", "\(placement.y)")
    }

    /// How many halvings (at most 3, JPEG's `lowres`) a picture can be decoded at and still be at
    /// least the size it is shown at. Effects measure the source in its own pixels, so callers
    /// reduce only pictures without effects.
    static func reduction(from source: (width: Int, height: Int), to shown: (width: Int, height: Int)) -> Int {
        var halvings = 0
        while halvings < 3, source.width >> (halvings + 1) >= shown.width, source.height >> (halvings + 1) >= shown.height {
            halvings += 1
        }
        return halvings
    }

    /// Clip fades, relative to the clip's own span inside its stream.
    func fades(_ segment: Segment) -> [String] {
        var filters: [String] = []
        let clip = segment.clip
        let start = clock.seconds(frame: segment.head)
        let length = clock.seconds(frame: segment.nominal)
        if clip.fadeIn > 0 {
            filters.append("fade=t=in:st=\(decimal(start)):d=\(decimal(min(clip.fadeIn, length))):alpha=1")
        }
        if clip.fadeOut > 0 {
            let d = min(clip.fadeOut, length)
            filters.append("fade=t=out:st=\(decimal(start + length - d)):d=\(decimal(d)):alpha=1")
        }
        return filters
    }

    /// Source seconds decoded past a clip's out-point, so filters see the frame after the last one they keep.
    static let readAhead = 0.25

    private mutating func addSound(_ segment: Segment, track: Timeline.Track) {
        let clip = segment.clip
        let volumeCurve = clip.curve(.volume)
        let volume = clip.volume * track.volume
        let audible = volumeCurve.map { curve in track.volume > 0 && curve.keys.contains { $0.value > 0 } } ?? (volume > 0)
        guard !track.muted, audible, hasSound, let source = segment.source,
              source.info.hasAudio, !source.info.isImage else { return }
        switch clip.asset {
        case .video(let video) where video.audio != false: break
        case .audio: break
        default: return
        }
        let key = segment.key
        let firstSample = clock.sample(frame: segment.streamStart, sampleRate: sampleRate)
        let samples = clock.sample(frame: segment.streamStart + segment.frames, sampleRate: sampleRate) - firstSample
        // Source seconds: a transition's head and tail are timeline time, × speed.
        let speed = clip.speed
        let inPoint = clip.trim - clock.seconds(frame: segment.head) * speed
        let outPoint = clip.trim + clock.seconds(frame: segment.nominal + segment.tail) * speed
        inputs.append(RenderPlan.Input(path: source.path, media: .audio, pad: "\(key)_ain", seek: max(0, inPoint), until: outPoint + Self.readAhead * speed))
        var filters = [
            "atrim=start=\(decimal(max(0, inPoint))):end=\(decimal(outPoint))",
            "asetpts=PTS-STARTPTS",
        ]
        filters += Self.tempo(speed)
        filters += [
            "aresample=\(sampleRate)",
            "aformat=sample_fmts=fltp:channel_layouts=\(layout)",
        ]
        // A transition's head before the source's start is silence (timeline seconds, so ÷ speed).
        if inPoint < 0 { filters.append("adelay=delays=\(Int(saturating: (-inPoint / speed * Double(sampleRate)).rounded()))S:all=1") }
        if let volumeCurve {
            // t is stream time here (0 at the transition head); keys are clip time.
            let u = "(t-\(decimal(clock.seconds(frame: segment.head))))"
            // volume evaluates once per audio frame: 10 ms frames keep the steps inaudible.
            filters.append("asetnsamples=n=\(max(1, sampleRate / 100)):p=0")
            filters.append("volume=volume='\(volumeCurve.expression(u: u, scale: track.volume))':eval=frame")
        } else if volume != 1 {
            filters.append("volume=\(decimal(volume))")
        }
        // Exactly the stream's samples, even when the source's sound ends early.
        filters.append("apad=whole_len=\(samples)")
        filters.append("atrim=end_sample=\(samples)")
        // Crossfades: a linear ramp over each transition's whole span.
        if segment.inFrames > 0 {
            filters.append("afade=t=in:st=0:d=\(decimal(clock.seconds(frame: segment.inFrames)))")
        }
        if segment.outFrames > 0 {
            filters.append("afade=t=out:st=\(decimal(clock.seconds(frame: segment.frames - segment.outFrames))):d=\(decimal(clock.seconds(frame: segment.outFrames)))")
        }
        let start = clock.seconds(frame: segment.head)
        let length = clock.seconds(frame: segment.nominal)
        if clip.fadeIn > 0 {
            filters.append("afade=t=in:st=\(decimal(start)):d=\(decimal(min(clip.fadeIn, length)))")
        }
        if clip.fadeOut > 0 {
            let d = min(clip.fadeOut, length)
            filters.append("afade=t=out:st=\(decimal(start + length - d)):d=\(decimal(d))")
        }
        if firstSample > 0 { filters.append("adelay=delays=\(firstSample)S:all=1") }
        chains.append("[\(key)_ain]" + filters.joined(separator: ",") + "[\(key)_a]")
        sounds.append("\(key)_a")
    }
}

extension GraphBuilder {
    /// `atempo` filters for `speed` (pitch kept): one instance takes 0.5...2 in FFmpeg 5.1, so
    /// 0.25...0.5 and 2...4 chain two. Then timestamps count samples again: atempo's own (beyond
    /// 2×) leave amix waiting forever for the stream to catch up.
    static func tempo(_ speed: Double) -> [String] {
        if speed == 1 { return [] }
        let tempo: [String]
        if speed < 0.5 {
            tempo = ["atempo=0.5", "atempo=\(decimal(speed / 0.5))"]
        } else if speed > 2 {
            tempo = ["atempo=2", "atempo=\(decimal(speed / 2))"]
        } else {
            tempo = ["atempo=\(decimal(speed))"]
        }
        return tempo + ["asetpts=N/SR/TB"]
    }
}
