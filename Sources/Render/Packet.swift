import CFFmpeg

/// Owns one `AVPacket`.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws(RenderError) {
        guard let packet = av_packet_alloc() else { throw RenderError.ffmpeg(function: "av_packet_alloc", code: cutroom_averror(ENOMEM), message: "out of memory") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}
