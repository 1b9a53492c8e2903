import TimelineModel

/// Builds one plan; holds the running canvas label and the collected chains.
package struct GraphBuilder {
    package let timeline: Timeline
    package let sources: [ClipIndex: ResolvedSource]
    /// The font file of each text and captions clip.
    package let fonts: [ClipIndex: String]
    /// The cues of each captions clip.
    package let captions: [ClipIndex: Captions]
    package let clock: FrameClock
    package let width: Int
    package let height: Int
    /// The rendered window of the timeline, in frames: `[firstFrame, totalFrames)` (`range`, or one
    /// frame for a still picture). Everything before it is skipped, never composed.
    package let firstFrame: Int
    package let totalFrames: Int
    /// End of the timeline's last clip (or of the window, if later), in frames.
    package let timelineFrames: Int
    /// Size of the encoded picture (the canvas, or a scaled preview of it).
    package let outputWidth: Int
    package let outputHeight: Int
    /// Composed pixels per canvas pixel (`output.canvas`): text sizes, box padding, outline widths,
    /// blur amounts and unfitted pictures are canvas pixels, so every output size looks the same.
    package let unit: Double

    package var inputs: [RenderPlan.Input] = []
    package var chains: [String] = []
    package var sounds: [String] = []
    package var canvas = "canvas0"
    package var layer = 0
    /// Which of a GIF render's two passes this graph is (ignored for other formats).
    package var gifPass: GifPass = .frames

    /// GIF renders run twice so memory stays flat: one pass would have to hold every frame until
    /// the palette, made from all of them, is known.
    package enum GifPass {
        /// Every frame into `palettegen`: the output is the 16×16 palette picture.
        case palette
        /// Every frame through `paletteuse` with the palette read from the input `palettePad`.
        case frames
    }

    /// The pad of the palette picture's input in a GIF's frames pass.
    package static let palettePad = "gif_palette_in"

    package init(
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
        unit = output.canvasUnit
        firstFrame = clock.frame(at: output.range?.start ?? 0)
        totalFrames = output.format.isStill ? firstFrame + 1 : max(firstFrame + 1, clock.frame(at: timeline.computeDuration(sources)))
        var whole = timeline
        whole.output.range = nil
        timelineFrames = max(totalFrames, clock.frame(at: whole.computeDuration(sources)))
        let scaled = scaledWidth.map { output.previewSize(width: $0) }
        outputWidth = scaled?.width ?? width
        outputHeight = scaled?.height ?? height
    }

    package var hasSound: Bool { timeline.output.audio != nil && timeline.output.format.hasSound }

    package var sampleRate: Int { timeline.output.audio?.sampleRate ?? 48_000 }
    package var layout: String { timeline.output.audio?.channels == 1 ? "mono" : "stereo" }
    package var rate: String { clock.rate.description }
    /// The canvas colour, opaque (a translucent background is shown over black).
    package var background: RGBAColor { RGBAColor(timeline.background)?.overBlack ?? RGBAColor.black }

    package mutating func build() -> RenderPlan {
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
        var plan = RenderPlan(
            inputs: inputs, filterGraph: chains.joined(separator: ";"), output: encoding(),
            totalFrames: frames, duration: clock.seconds(frame: frames))
        if timeline.output.format == .gif && gifPass == .frames {
            var palette = GraphBuilder(timeline: timeline, sources: sources, fonts: fonts, captions: captions, scaledWidth: outputWidth)
            palette.gifPass = .palette
            var pass = palette.build()
            pass.output = RenderPlan.Output(format: "image2", width: 16, height: 16, frameRate: clock.rate, videoCodec: "png", pixelFormat: "rgba", audioCodec: nil)
            plan.palettePass = pass
            // The palette file's path is the executor's to choose.
            plan.inputs.append(RenderPlan.Input(path: "", media: .video, pad: Self.palettePad, seek: 0, until: nil, isImage: true))
        }
        return plan
    }

}
