import TimelineModel

extension GraphBuilder {
    /// From the last canvas to `[vout]`: timestamps from 0, the preview scale, and the pixel
    /// format the encoder takes (for GIF: the palette of the whole render in its first pass, the
    /// frames mapped to it in the second).
    func finalPicture(from canvas: String) -> [String] {
        let filters = [firstFrame > 0 ? "setpts=PTS-STARTPTS" : nil, "setsar=1"].compactMap { $0 } + outputColour().filters
        guard timeline.output.format == .gif else { return ["[\(canvas)]" + filters.joined(separator: ",") + "[vout]"] }
        switch gifPass {
        case .palette:
            return ["[\(canvas)]" + (filters + ["palettegen=stats_mode=full"]).joined(separator: ",") + "[vout]"]
        case .frames:
            return [
                "[\(canvas)]" + filters.joined(separator: ",") + "[gif_frames]",
                "[\(Self.palettePad)]format=bgra[gif_palette]",
                "[gif_frames][gif_palette]paletteuse=dither=sierra2_4a[vout]",
            ]
        }
    }

    /// Encoders and container for the output format.
    func encoding() -> RenderPlan.Output {
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
}
