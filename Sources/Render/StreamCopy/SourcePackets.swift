import Compiler
import TimelineModel
import CFFmpeg

/// The packet layout of one file, read without decoding: each stream's parameters and, in decode
/// order, every video packet's timestamps and whether it is an IDR picture, and the run of sound packets.
struct SourcePackets: Sendable {
    struct VideoPacket: Sendable, Hashable {
        var pts: Int64
        var dts: Int64
        /// A keyframe that (for H.264) includes an IDR slice: no later picture refers to an earlier one.
        var isIDR: Bool
    }

    struct Video: Sendable {
        var parameters: StreamParameters
        /// The stream's `start_time`: timestamps are source time from here, as the compiler counts them.
        var origin: Int64
        var packets: [VideoPacket]
    }

    struct Audio: Sendable {
        var parameters: StreamParameters
        var origin: Int64
        /// Timestamps of the packets in decode order (with any priming packet before `origin`).
        var timestamps: [Int64]
        var durations: [Int64]
    }

    var path: String
    var video: Video?
    var audio: Audio?

    /// Reads every packet header of `path`'s best video and audio streams.
    static func scan(path: String, cancel: CancellationFlag) throws(RenderError) -> SourcePackets {
        let input = try FormatInput(path: path, cancel: cancel)
        let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO)
        let audioIndex = input.bestStream(AVMEDIA_TYPE_AUDIO)
        var video = videoIndex.flatMap(input.stream).map { stream in
            Video(parameters: StreamParameters(stream), origin: origin(stream), packets: [])
        }
        var audio = audioIndex.flatMap(input.stream).map { stream in
            Audio(parameters: StreamParameters(stream), origin: origin(stream), timestamps: [], durations: [])
        }
        let isH264 = video?.parameters.codec == "h264"
        let lengthSize = video.flatMap { AVCConfiguration($0.parameters.extradata)?.lengthSize } ?? 4
        let packet = try Packet()
        while true {
            if cancel.isCancelled { throw RenderError.cancelled }
            let read = av_read_frame(input.context, packet.pointer)
            if read == LibAV.eof { break }
            try check("av_read_frame(\(path))", read)
            defer { av_packet_unref(packet.pointer) }
            let p = packet.pointer.pointee
            if p.stream_index == videoIndex {
                let key = p.flags & AV_PKT_FLAG_KEY != 0
                let idr = key && (!isH264 || containsIDR(p.data, Int(p.size), lengthSize: lengthSize))
                video?.packets.append(VideoPacket(pts: p.pts, dts: p.dts, isIDR: idr))
            } else if p.stream_index == audioIndex {
                audio?.timestamps.append(p.pts)
                audio?.durations.append(p.duration)
            }
        }
        return SourcePackets(path: path, video: video, audio: audio)
    }

    private static func origin(_ stream: UnsafeMutablePointer<AVStream>) -> Int64 {
        stream.pointee.start_time == LibAV.noPTS ? 0 : stream.pointee.start_time
    }

    /// True when a length-prefixed H.264 access unit holds an IDR slice (NAL type 5).
    static func containsIDR(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, lengthSize: Int) -> Bool {
        guard let data else { return false }
        var offset = 0
        while offset + lengthSize < size {
            var length = 0
            for i in 0..<lengthSize { length = length << 8 | Int(data[offset + i]) }
            offset += lengthSize
            guard length > 0, offset + length <= size else { return false }
            if data[offset] & 0x1F == 5 { return true }
            offset += length
        }
        return false
    }
}
