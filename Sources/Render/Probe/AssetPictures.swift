import Compiler
import TimelineModel
/// Plans for the editor's pictures of an asset, run by the same executor as renders: a waveform of
/// its sound (`showwavespic`) and a filmstrip of evenly spaced frames side by side (`hstack`). Pure.
public enum AssetPictures {
    /// A PNG of the whole sound as one waveform, `width`×`height`, transparent around the wave.
    /// Nil when the asset has no sound.
    public static func waveform(_ source: ResolvedSource, width: Int, height: Int, color: String = "#5BC0EB") -> RenderPlan? {
        let info = source.info
        guard info.hasAudio, !info.isImage, width >= 16, height >= 16 else { return nil }
        let colour = RGBAColor(color)?.ffmpeg ?? "0x5BC0EBFF"
        // Mono so one wave fills the height; `scale=sqrt` keeps quiet passages visible.
        let graph = "[wave_ain]aformat=channel_layouts=mono,showwavespic=s=\(width)x\(height):colors=\(colour):scale=sqrt,format=rgba[vout]"
        return RenderPlan(
            inputs: [RenderPlan.Input(path: source.path, media: .audio, pad: "wave_ain")],
            filterGraph: graph, output: still(codec: "png", pixelFormat: "rgba", colour: .sRGB, width: width, height: height),
            totalFrames: 1, duration: 1)
    }

    /// A JPEG of `count` frames taken at the middles of equal spans of the source, each `height`
    /// pixels high, side by side. Nil when the asset has no picture.
    public static func filmstrip(_ source: ResolvedSource, count: Int, height: Int) -> RenderPlan? {
        let info = source.info
        guard info.hasVideo, let w = info.width, let h = info.height, w > 0, h > 0, count >= 1, height >= 16 else { return nil }
        let rotated = ((info.rotation % 360) + 360) % 360
        let (displayWidth, displayHeight) = rotated == 90 || rotated == 270 ? (h, w) : (w, h)
        let frameWidth = max(2, Int(saturating: (Double(displayWidth) * Double(height) / Double(displayHeight) / 2).rounded()) * 2)
        let frames = info.isImage ? 1 : count
        var inputs: [RenderPlan.Input] = []
        var chains: [String] = []
        for index in 0..<frames {
            let pad = "strip\(index)_vin"
            let at = info.isImage ? 0 : info.duration * (Double(index) + 0.5) / Double(frames)
            inputs.append(RenderPlan.Input(path: source.path, media: .video, pad: pad, seek: at, until: at + 2, isImage: info.isImage))
            var filters = quarterTurnFilters(rotated / 90)
            // The first frame at or after the chosen time; a still picture's only frame.
            if !info.isImage { filters += ["trim=start=\(decimal(at))", "setpts=PTS-STARTPTS"] }
            // JPEG is full-range bt601: each frame is converted from the source's own colour.
            filters += ["trim=end_frame=1", "scale=w=\(frameWidth):h=\(height)"] + SourceColour(info).conversion(to: .jpeg) + ["setsar=1", "setpts=0"]
            chains.append("[\(pad)]" + filters.joined(separator: ",") + "[strip\(index)]")
        }
        let tail = "format=yuvj420p[vout]"
        if frames == 1 {
            chains.append("[strip0]\(tail)")
        } else {
            chains.append((0..<frames).map { "[strip\($0)]" }.joined() + "hstack=inputs=\(frames),\(tail)")
        }
        return RenderPlan(
            inputs: inputs, filterGraph: chains.joined(separator: ";"),
            output: still(codec: "mjpeg", pixelFormat: "yuvj420p", colour: .jpeg, width: frameWidth * frames, height: height),
            totalFrames: 1, duration: 1)
    }

    private static func still(codec: String, pixelFormat: String, colour: RenderPlan.ColourTags, width: Int, height: Int) -> RenderPlan.Output {
        var output = RenderPlan.Output(
            format: "image2", width: width, height: height, frameRate: Rational(25, 1),
            videoCodec: codec, pixelFormat: pixelFormat, audioCodec: nil)
        output.colour = colour
        return output
    }
}
