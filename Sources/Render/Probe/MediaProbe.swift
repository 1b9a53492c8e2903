import Compiler
import TimelineModel
import CFFmpeg

/// Reads what the engine sees in a media file, through libavformat/libavcodec.
public enum MediaProbe {
    /// The engine's own bound on a picture, 16384 × 16384: uploads are held to a smaller,
    /// configurable one (`probe(path:maxPixels:)`); this guards every other input.
    public static let engineMaxPixels = 16384 * 16384

    /// Probes `path`. Files libav cannot open, text, random bytes, and files without a decodable
    /// audio or video stream throw `.unsupportedMedia`, as do pictures larger than `maxPixels`
    /// (checked from the header, before anything is decoded).
    public static func probe(path: String, maxPixels: Int = MediaProbe.engineMaxPixels) throws(RenderError) -> MediaInfo {
        let input = try FormatInput(path: path, cancel: CancellationFlag(), maxPixels: maxPixels)
        let context = input.context

        var video: StreamDecoder?
        var audio: StreamDecoder?
        var reasons: [String] = []
        if let index = input.bestStream(AVMEDIA_TYPE_VIDEO, allowCoverArt: input.bestStream(AVMEDIA_TYPE_AUDIO) == nil) {
            do { video = try StreamDecoder(input: input, streamIndex: index, threads: 1) } catch { reasons.append(error.description) }
        }
        if let index = input.bestStream(AVMEDIA_TYPE_AUDIO) {
            do { audio = try StreamDecoder(input: input, streamIndex: index, threads: 1) } catch { reasons.append(error.description) }
        }
        guard video != nil || audio != nil else {
            throw RenderError.unsupportedMedia(path: path, reason: reasons.first ?? "no audio or video stream")
        }
        // Opening a decoder does not prove the data decodes: random bytes can pass both steps.
        let primary = video ?? audio
        if let primary {
            let frame = try Frame()
            let decoded: Bool
            do { decoded = try primary.next(into: frame.pointer) } catch { decoded = false }
            if !decoded { throw RenderError.unsupportedMedia(path: path, reason: "no frame could be decoded") }
        }

        let formatName = input.formatName
        var info = MediaInfo(format: formatName, duration: 0, hasVideo: video != nil, hasAudio: audio != nil)

        if let video {
            let stream = video.stream
            let parameters = video.codec
            info.videoCodec = LibAV.string(avcodec_get_name(parameters.pointee.codec_id))
            info.rotation = rotation(of: stream)
            var width = Int(parameters.pointee.width)
            var height = Int(parameters.pointee.height)
            let aspect = av_guess_sample_aspect_ratio(context, stream, nil)
            if LibAV.isValid(aspect), aspect.num != aspect.den {
                width = Int(saturating: (Double(width) * Double(aspect.num) / Double(aspect.den)).rounded())
            }
            if info.rotation == 90 || info.rotation == 270 { swap(&width, &height) }
            info.width = width
            info.height = height
            info.isImage = isStill(input: input, stream: stream, hasAudio: audio != nil)
            if let descriptor = av_pix_fmt_desc_get(parameters.pointee.pix_fmt) {
                info.hasAlpha = (descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_ALPHA)) != 0
            }
            (info.colorSpace, info.colorRange) = colour(of: parameters)
            if !info.isImage {
                let rate = LibAV.isValid(stream.pointee.avg_frame_rate) ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
                if LibAV.isValid(rate) { info.fps = Double(rate.num) / Double(rate.den) }
            }
        }
        if let audio {
            info.audioCodec = LibAV.string(avcodec_get_name(audio.codec.pointee.codec_id))
            info.sampleRate = Int(audio.codec.pointee.sample_rate)
            info.channels = Int(audio.codec.pointee.ch_layout.nb_channels)
        }
        if !info.isImage { info.duration = duration(of: input, streams: [video, audio].compactMap { $0 }) }
        return info
    }

    /// The decoded picture's matrix and range names (see `MediaInfo.colorSpace`); the legacy `yuvj`
    /// formats are full range whatever the tag says.
    static func colour(of codec: UnsafeMutablePointer<AVCodecContext>) -> (space: String?, range: String?) {
        let format = codec.pointee.pix_fmt
        let flags = av_pix_fmt_desc_get(format)?.pointee.flags ?? 0
        if flags & UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL) != 0 { return ("gbr", "pc") }
        let space = codec.pointee.colorspace == AVCOL_SPC_UNSPECIFIED ? nil : LibAV.string(av_color_space_name(codec.pointee.colorspace))
        let legacyFull = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P].contains(format)
        let range = legacyFull ? "pc" : codec.pointee.color_range == AVCOL_RANGE_UNSPECIFIED ? nil : LibAV.string(av_color_range_name(codec.pointee.color_range))
        return (space, range)
    }

    /// Clockwise display rotation (0, 90, 180, 270) from the stream's display matrix.
    static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 else { return 0 }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard counterClockwise.isFinite else { return 0 }
        let clockwise = Int(saturating: (-counterClockwise / 90).rounded()) * 90
        return ((clockwise % 360) + 360) % 360
    }

    /// Image demuxers, attached pictures, and one-frame streams without duration are stills.
    static func isStill(input: FormatInput, stream: UnsafeMutablePointer<AVStream>, hasAudio: Bool) -> Bool {
        if hasAudio { return false }
        let name = input.formatName
        if name.hasSuffix("_pipe") || name == "image2" || name == "image2pipe" { return true }
        if FormatInput.isAttachedPicture(stream) { return true }
        let noDuration = input.context.pointee.duration == LibAV.noPTS || input.context.pointee.duration <= 0
        return stream.pointee.nb_frames <= 1 && noDuration
    }

    static func duration(of input: FormatInput, streams: [StreamDecoder]) -> Double {
        let total = input.context.pointee.duration
        if total != LibAV.noPTS, total > 0 { return LibAV.seconds(total, LibAV.timeBaseQ) }
        let longest = streams.compactMap { decoder -> Double? in
            let duration = decoder.stream.pointee.duration
            return duration == LibAV.noPTS || duration <= 0 ? nil : LibAV.seconds(duration, decoder.timeBase)
        }.max()
        return longest ?? 0
    }
}
