import Compiler
import TimelineModel
import CFFmpeg

/// What must be equal for packets of two streams to be joined without re-encoding: the codec, its
/// configuration bytes (H.264 SPS/PPS, AAC AudioSpecificConfig) and the picture or sound format.
struct StreamParameters: Sendable, Hashable, CustomStringConvertible {
    var codec: String
    var profile: Int32
    var level: Int32
    var width: Int32
    var height: Int32
    var format: Int32
    var sampleAspectRatio: String
    var colour: [UInt32]
    var sampleRate: Int32
    var layout: String
    var extradata: [UInt8]
    /// The stream's time base and (video) average frame rate.
    var timeBase: AVRational
    var frameRate: AVRational

    init(_ stream: UnsafeMutablePointer<AVStream>) {
        let p = stream.pointee.codecpar.pointee
        codec = LibAV.string(avcodec_get_name(p.codec_id)) ?? "unknown"
        profile = p.profile
        level = p.level
        width = p.width
        height = p.height
        format = p.format
        // 0/1 (unknown) is shown as square pixels, the same as 1/1.
        let sar = p.sample_aspect_ratio
        sampleAspectRatio = LibAV.isValid(sar) && sar.num != sar.den ? "\(sar.num):\(sar.den)" : "1:1"
        colour = [p.color_range.rawValue, p.color_space.rawValue, p.color_primaries.rawValue, p.color_trc.rawValue, p.field_order.rawValue]
        sampleRate = p.sample_rate
        layout = p.codec_type == AVMEDIA_TYPE_AUDIO ? LibAV.layoutDescription(p.ch_layout) : ""
        extradata = p.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(p.extradata_size))) } ?? []
        timeBase = stream.pointee.time_base
        var rate = stream.pointee.avg_frame_rate
        if LibAV.isValid(rate) { av_reduce(&rate.num, &rate.den, Int64(rate.num), Int64(rate.den), Int64(Int32.max)) }
        frameRate = rate
    }

    static func == (a: StreamParameters, b: StreamParameters) -> Bool {
        a.codec == b.codec && a.profile == b.profile && a.level == b.level && a.width == b.width && a.height == b.height
            && a.format == b.format && a.sampleAspectRatio == b.sampleAspectRatio && a.colour == b.colour
            && a.sampleRate == b.sampleRate && a.layout == b.layout && a.extradata == b.extradata
            && av_cmp_q(a.timeBase, b.timeBase) == 0 && a.frameRate.num == b.frameRate.num && a.frameRate.den == b.frameRate.den
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(codec)
        hasher.combine(extradata)
    }

    var description: String {
        "\(codec) profile \(profile) level \(level) \(width)x\(height) format \(format) sar \(sampleAspectRatio) \(sampleRate) Hz \(layout) "
            + "time base \(timeBase.num)/\(timeBase.den) rate \(frameRate.num)/\(frameRate.den) extradata \(extradata.count) bytes"
    }

    /// Names the first field that differs from `other`, for a fallback's reason.
    func difference(from other: StreamParameters) -> String {
        if codec != other.codec { return "codec \(codec) vs \(other.codec)" }
        if profile != other.profile || level != other.level { return "profile/level \(profile)/\(level) vs \(other.profile)/\(other.level)" }
        if width != other.width || height != other.height { return "size \(width)x\(height) vs \(other.width)x\(other.height)" }
        if format != other.format { return "pixel/sample format" }
        if sampleAspectRatio != other.sampleAspectRatio { return "sample aspect ratio \(sampleAspectRatio) vs \(other.sampleAspectRatio)" }
        if colour != other.colour { return "colour properties or field order" }
        if sampleRate != other.sampleRate || layout != other.layout { return "\(sampleRate) Hz \(layout) vs \(other.sampleRate) Hz \(other.layout)" }
        if extradata != other.extradata { return "codec configuration bytes (extradata) differ" }
        if av_cmp_q(timeBase, other.timeBase) != 0 { return "time base \(timeBase.num)/\(timeBase.den) vs \(other.timeBase.num)/\(other.timeBase.den)" }
        return "frame rate \(frameRate.num)/\(frameRate.den) vs \(other.frameRate.num)/\(other.frameRate.den)"
    }
}
