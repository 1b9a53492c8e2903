import Compiler
import TimelineModel
import CFFmpeg

/// Turns a libav return code into a thrown `RenderError.ffmpeg` when it is negative.
/// EAGAIN and EOF are results: callers compare against `LibAV.again`/`LibAV.eof` before calling this.
@discardableResult
func check(_ function: String, _ code: Int32) throws(RenderError) -> Int32 {
    if code >= 0 { return code }
    throw RenderError.ffmpeg(function: function, code: code, message: LibAV.errorString(code))
}

/// Constants and small helpers around the libav C API that Swift cannot use directly.
enum LibAV {
    static let eof = cutroom_averror_eof()
    static let again = cutroom_averror_eagain()
    static let exit = cutroom_averror_exit()
    static let invalidData = cutroom_averror_invaliddata()
    static let noPTS = cutroom_nopts_value()
    static let timeBaseQ = cutroom_time_base_q()

    /// What a libav allocation that returned NULL throws.
    static func outOfMemory(_ function: String) -> RenderError {
        RenderError.ffmpeg(function: function, code: cutroom_averror(ENOMEM), message: "out of memory")
    }

    /// `av_strerror` text for a return code.
    static func errorString(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        cutroom_err2str(code, &buffer, buffer.count)
        return string(buffer)
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// libav logs every recoverable hiccup at warning level; a server only wants real errors in its log.
    /// Evaluated once, before the first libav call of each entry point.
    static let quietLogs: Void = { av_log_set_level(AV_LOG_ERROR) }()

    static func isValid(_ rational: AVRational) -> Bool { rational.num > 0 && rational.den > 0 }

    static func seconds(_ value: Int64, _ timeBase: AVRational) -> Double {
        Double(value) * Double(timeBase.num) / Double(timeBase.den)
    }

    /// The description libav accepts for a channel layout (e.g. `stereo`); falls back to the default
    /// layout for the channel count when the source's order is unspecified.
    static func layoutDescription(_ layout: AVChannelLayout) -> String {
        var layout = layout
        var owned = AVChannelLayout()
        defer { av_channel_layout_uninit(&owned) }
        if layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&layout) == 0 {
            av_channel_layout_default(&owned, max(1, layout.nb_channels))
            layout = owned
        }
        var buffer = [CChar](repeating: 0, count: 128)
        if av_channel_layout_describe(&layout, &buffer, buffer.count) < 0 { return "stereo" }
        return string(buffer)
    }

    /// An interrupt callback that aborts blocking I/O once `flag` is set. The caller keeps `flag` alive
    /// for as long as the callback is installed (the owning wrapper holds a strong reference).
    static func interruptCallback(_ flag: CancellationFlag) -> AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<CancellationFlag>.fromOpaque(opaque).takeUnretainedValue().isCancelled ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(flag).toOpaque()
        )
    }
}
