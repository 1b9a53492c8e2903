import Compiler
import TimelineModel
import CFFmpeg

/// Owns one `AVPacket`.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws(RenderError) {
        guard let packet = av_packet_alloc() else { throw LibAV.outOfMemory("av_packet_alloc") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}
