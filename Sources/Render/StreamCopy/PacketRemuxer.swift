import Compiler
import TimelineModel
import CFFmpeg
import Foundation

/// Writes a file from spans of other files' packets, copied without decoding, their timestamps
/// shifted, the streams interleaved by decode time (so nothing is buffered beyond one packet each).
enum PacketRemuxer {
    /// Consecutive packets of one stream of one file.
    struct Span: Sendable, Hashable {
        var path: String
        /// Decode timestamp of the first packet to copy; nil = the stream's first packet.
        var firstDTS: Int64?
        /// Packets to copy; nil = up to the stream's end.
        var count: Int?
        /// Added to every copied packet's pts and dts (stream time base).
        var offset: Int64
        /// Duration given to the span's last packet (an exact end for sound).
        var lastDuration: Int64?
    }

    /// One output stream: its media type and its spans in order. The first span's stream gives the
    /// codec parameters, except `extradata` when set; every span's stream must have the same time base.
    struct Track: Sendable, Hashable {
        var media: RenderPlan.Input.Media
        var spans: [Span]
        /// The codec configuration (e.g. an `avcC` holding every span's parameter sets).
        var extradata: [UInt8]? = nil
    }

    /// Writes `tracks` into `path` (`format` as libavformat names it). On any error the file is deleted.
    static func write(path: String, format: String, tracks: [Track], cancel: CancellationFlag) throws(RenderError) {
        do throws(RenderError) {
            let muxer = try Muxer(path: path, format: format, cancel: cancel)
            var readers: [SpanReader] = []
            for track in tracks where !track.spans.isEmpty {
                let reader = try SpanReader(track, cancel: cancel)
                reader.outputStream = try muxer.addStream(copying: reader.stream, extradata: track.extradata)
                readers.append(reader)
            }
            try muxer.begin(options: format == "mp4" || format == "mov" ? ["movflags": "+faststart"] : [:])
            for reader in readers { try reader.advance() }
            while true {
                if cancel.isCancelled { throw RenderError.cancelled }
                let ready = readers.filter(\.hasPacket)
                guard var next = ready.first else { break }
                for reader in ready.dropFirst() where av_compare_ts(reader.packet.pointer.pointee.dts, reader.timeBase, next.packet.pointer.pointee.dts, next.timeBase) < 0 {
                    next = reader
                }
                try muxer.write(next.packet.pointer, stream: next.outputStream, from: next.timeBase)
                try next.advance()
            }
            try muxer.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw cancel.isCancelled ? RenderError.cancelled : error
        }
    }
}

/// Reads one track's spans in order, one packet ahead.
private final class SpanReader {
    let track: PacketRemuxer.Track
    let packet: Packet
    private let cancel: CancellationFlag
    private let type: AVMediaType
    private var spanIndex = 0
    private var input: FormatInput
    private(set) var stream: UnsafeMutablePointer<AVStream>
    private var streamIndex: Int32
    private var remaining: Int?
    private var started = false
    private var hasRead = false
    private(set) var hasPacket = false
    let timeBase: AVRational
    var outputStream: Int32 = 0

    init(_ track: PacketRemuxer.Track, cancel: CancellationFlag) throws(RenderError) {
        self.track = track
        self.cancel = cancel
        type = track.media == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
        packet = try Packet()
        let path = track.spans.first?.path ?? ""
        (input, streamIndex, stream) = try Self.open(path, type: type, cancel: cancel)
        timeBase = stream.pointee.time_base
    }

    /// The first file is analysed fully (its stream's parameters are the output's); later ones,
    /// reopened at every cut, give only packets and their time base.
    private static func open(
        _ path: String, type: AVMediaType, cancel: CancellationFlag, analysis: FormatInput.Analysis = .full
    ) throws(RenderError) -> (FormatInput, Int32, UnsafeMutablePointer<AVStream>) {
        let input = try FormatInput(path: path, cancel: cancel, analysis: analysis)
        guard let index = input.bestStream(type), let stream = input.stream(index) else {
            throw RenderError.unsupportedMedia(path: path, reason: "no \(type == AVMEDIA_TYPE_VIDEO ? "video" : "audio") stream to copy")
        }
        return (input, index, stream)
    }

    /// Loads the next packet of the track into `packet` (timestamps shifted), or clears `hasPacket` at the end.
    func advance() throws(RenderError) {
        hasPacket = false
        while spanIndex < track.spans.count {
            let span = track.spans[spanIndex]
            if !started {
                try start(span)
                started = true
            }
            if remaining == 0 {
                spanIndex += 1
                started = false
                continue
            }
            let read = av_read_frame(input.context, packet.pointer)
            if read == LibAV.eof {
                guard remaining == nil else {
                    throw RenderError.ffmpeg(function: "av_read_frame(\(span.path))", code: read, message: "the stream ended \(remaining ?? 0) packets early")
                }
                spanIndex += 1
                started = false
                continue
            }
            try check("av_read_frame(\(span.path))", read)
            let p = packet.pointer.pointee
            if p.stream_index != streamIndex || (span.firstDTS.map { p.dts < $0 } ?? false) {
                av_packet_unref(packet.pointer)
                continue
            }
            if let first = span.firstDTS, remaining == span.count, p.dts != first {
                av_packet_unref(packet.pointer)
                throw RenderError.ffmpeg(function: "av_seek_frame(\(span.path))", code: LibAV.invalidData, message: "no packet at dts \(first)")
            }
            packet.pointer.pointee.pts += span.offset
            packet.pointer.pointee.dts += span.offset
            remaining = remaining.map { $0 - 1 }
            if remaining == 0, let duration = span.lastDuration { packet.pointer.pointee.duration = duration }
            hasPacket = true
            return
        }
    }

    private func start(_ span: PacketRemuxer.Span) throws(RenderError) {
        // A whole stream is read from a fresh demuxer; a span from its first packet is sought.
        if span.path != input.path || (span.firstDTS == nil && hasRead) {
            let opened = try Self.open(span.path, type: type, cancel: cancel, analysis: .headerIfComplete)
            guard av_cmp_q(opened.2.pointee.time_base, timeBase) == 0 else {
                throw RenderError.unsupportedMedia(path: span.path, reason: "its time base differs from the first file's; packets cannot be copied")
            }
            (input, streamIndex, stream) = opened
        }
        hasRead = true
        remaining = span.count
        // Backward: the demuxer lands on the packet itself or before it; earlier ones are skipped.
        if let first = span.firstDTS {
            try check("av_seek_frame(\(span.path))", av_seek_frame(input.context, streamIndex, first, AVSEEK_FLAG_BACKWARD))
        }
    }
}
