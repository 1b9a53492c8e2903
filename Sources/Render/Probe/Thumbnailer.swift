import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// JPEG stills from media files, decoded and encoded in-process.
public enum Thumbnailer {
    /// A JPEG of the frame at `seconds` (default: 10 % into the duration, 0 for images), rotated upright,
    /// scaled to at most `maxWidth` pixels wide keeping the display aspect. Audio-only files throw
    /// `.unsupportedMedia` (an audio file's cover art is used when there is one).
    public static func jpeg(path: String, at seconds: Double? = nil, maxWidth: Int = 320) throws(RenderError) -> Data {
        let input = try FormatInput(path: path, cancel: CancellationFlag())
        guard let index = input.bestStream(AVMEDIA_TYPE_VIDEO, allowCoverArt: true) else {
            throw RenderError.unsupportedMedia(path: path, reason: "no video stream to take a picture from")
        }
        let decoder = try StreamDecoder(input: input, streamIndex: index)
        let still = MediaProbe.isStill(input: input, stream: decoder.stream, hasAudio: false) || FormatInput.isAttachedPicture(decoder.stream)
        let duration = MediaProbe.duration(of: input, streams: [decoder])
        var target = still ? 0 : max(0, seconds ?? duration * 0.1)
        if duration > 0 { target = min(target, duration) }
        decoder.seek(to: target)

        let frame = try Frame()
        let candidate = try Frame()
        var found = false
        let targetTicks = Int64(target * Double(decoder.timeBase.den) / Double(decoder.timeBase.num))
        // Keep the latest decoded frame so a target past the last frame still yields a picture.
        while try decoder.next(into: candidate.pointer) {
            av_frame_unref(frame.pointer)
            av_frame_move_ref(frame.pointer, candidate.pointer)
            found = true
            if let time = decoder.sourceTimestamp(frame.pointer), time < targetTicks { continue }
            break
        }
        guard found else { throw RenderError.unsupportedMedia(path: path, reason: "no frame could be decoded") }
        let tags = MediaProbe.colour(of: decoder.codec)
        let colour = SourceColour(
            colorSpace: tags.space, colorRange: tags.range, isRGB: false, codec: LibAV.string(avcodec_get_name(decoder.codec.pointee.codec_id)),
            width: Int(frame.pointer.pointee.width), height: Int(frame.pointer.pointee.height))
        return try encode(frame.pointer, rotation: MediaProbe.rotation(of: decoder.stream), colour: colour, maxWidth: maxWidth, path: path)
    }

    /// Rotates, scales and converts one decoded frame (whose pixels are `colour`) to JPEG's full-range
    /// bt601 through a small filter graph, then encodes it.
    static func encode(_ frame: UnsafeMutablePointer<AVFrame>, rotation: Int, colour: SourceColour, maxWidth: Int, path: String) throws(RenderError) -> Data {
        var sourceWidth = Double(frame.pointee.width)
        let sourceHeight = Double(frame.pointee.height)
        let aspect = frame.pointee.sample_aspect_ratio
        if LibAV.isValid(aspect) { sourceWidth *= Double(aspect.num) / Double(aspect.den) }
        let (displayWidth, displayHeight) = rotation == 90 || rotation == 270 ? (sourceHeight, sourceWidth) : (sourceWidth, sourceHeight)
        guard displayWidth > 0, displayHeight > 0 else {
            throw RenderError.unsupportedMedia(path: path, reason: "frame has no size")
        }
        let width = Double(min(max(2, maxWidth), Int(saturating: displayWidth.rounded())))
        // Even sizes keep 4:2:0 chroma whole.
        let outWidth = max(2, Int32(width / 2) * 2)
        let outHeight = max(2, Int32((width * displayHeight / displayWidth / 2).rounded()) * 2)

        let rotate = quarterTurnFilters(rotation / 90).map { $0 + "," }.joined()
        let graph = try FilterGraph()
        try graph.addVideoSource(pad: "in", name: "thumbnail_source", FilterGraph.VideoParameters(
            width: frame.pointee.width, height: frame.pointee.height, pixelFormat: frame.pointee.format,
            timeBase: AVRational(num: 1, den: 25), sampleAspectRatio: aspect, frameRate: nil))
        try graph.addVideoSink(pad: "out", name: "thumbnail_sink", pixelFormat: AV_PIX_FMT_YUVJ420P)
        let conversion = colour.conversion(to: .jpeg).map { "," + $0 }.joined()
        try graph.parse("[in]\(rotate)scale=w=\(outWidth):h=\(outHeight):flags=bicubic\(conversion),setsar=1[out]")
        try graph.configure()
        guard let source = graph.sources["in"], let sink = graph.sinks["out"] else {
            throw RenderError.ffmpeg(function: "avfilter_graph_config", code: cutroom_averror(EINVAL), message: "thumbnail graph incomplete")
        }
        frame.pointee.pts = 0
        try check("av_buffersrc_add_frame_flags", av_buffersrc_add_frame_flags(source, frame, 0))
        try check("av_buffersrc_close", av_buffersrc_close(source, 1, 0))
        let scaled = try Frame()
        try check("av_buffersink_get_frame", av_buffersink_get_frame(sink, scaled.pointer))
        scaled.pointer.pointee.color_range = AVCOL_RANGE_JPEG
        scaled.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE

        let encoder = try StreamEncoder(jpegWidth: scaled.pointer.pointee.width, height: scaled.pointer.pointee.height)
        var data = Data()
        let collect: (UnsafeMutablePointer<AVPacket>) throws(RenderError) -> Void = { packet in
            if let bytes = packet.pointee.data { data.append(bytes, count: Int(packet.pointee.size)) }
        }
        try encoder.encode(scaled.pointer, write: collect)
        try encoder.encode(nil, write: collect)
        guard !data.isEmpty else {
            throw RenderError.ffmpeg(function: "avcodec_receive_packet(mjpeg)", code: LibAV.eof, message: "encoder produced no picture")
        }
        return data
    }
}
