import TimelineModel

extension GraphBuilder {
    mutating func addPictures(_ group: [Segment]) {
        guard let first = group.first else { return }
        if group.count == 1 {
            guard Self.mayShow(first.clip) else { return }
            // Text with effects is a picture of its own layer (`GraphBuilder+TextLayers.swift`).
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
    package mutating func overlay(_ label: String, x: String, y: String) {
        layer += 1
        let next = "canvas\(layer)"
        chains.append("[\(canvas)][\(label)]overlay=x=\(x):y=\(y):eof_action=pass[\(next)]")
        canvas = next
    }

    /// `seconds` as a term to subtract from PTS: `-2/TB`, or `+0.5/TB` for a negative in-point.
    package static func minus(_ seconds: Double) -> String {
        seconds < 0 ? "+\(decimal(-seconds))/TB" : "-\(decimal(seconds))/TB"
    }

    /// A clip's picture at its place, with effects, alpha, opacity and fades, timed from 0 for
    /// `segment.frames` frames. `padded` puts it on a transparent canvas-size frame (for xfade);
    /// otherwise it is to be overlaid at `x`, `y` (numbers, or per-frame expressions when keyframes
    /// move it). Nil when nothing of it is visible.
    package mutating func pictureChain(_ segment: Segment, padded: Bool, covering: Bool = false) -> (chain: String, x: String, y: String)? {
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
            filters += quarterTurnFilters(info.rotation / 90)
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
    package static func reduction(from source: (width: Int, height: Int), to shown: (width: Int, height: Int)) -> Int {
        var halvings = 0
        while halvings < 3, source.width >> (halvings + 1) >= shown.width, source.height >> (halvings + 1) >= shown.height {
            halvings += 1
        }
        return halvings
    }

    /// The clip's fade-in and fade-out as (start, duration) in seconds of its stream: its own span
    /// inside the stream (after the frames a transition borrows), each fade at most that long.
    /// Pictures and sounds fade over the same spans.
    package func fadeSpans(_ segment: Segment) -> (fadeIn: (start: Double, duration: Double)?, fadeOut: (start: Double, duration: Double)?) {
        let clip = segment.clip
        let start = clock.seconds(frame: segment.head)
        let length = clock.seconds(frame: segment.nominal)
        let fadeIn = clip.fadeIn > 0 ? (start, min(clip.fadeIn, length)) : nil
        let out = min(clip.fadeOut, length)
        let fadeOut = clip.fadeOut > 0 ? (start + length - out, out) : nil
        return (fadeIn, fadeOut)
    }

    /// Clip fades of the picture (its alpha).
    package func fades(_ segment: Segment) -> [String] {
        let spans = fadeSpans(segment)
        return [spans.fadeIn.map { "fade=t=in:st=\(decimal($0.start)):d=\(decimal($0.duration)):alpha=1" },
                spans.fadeOut.map { "fade=t=out:st=\(decimal($0.start)):d=\(decimal($0.duration)):alpha=1" }].compactMap { $0 }
    }
}
