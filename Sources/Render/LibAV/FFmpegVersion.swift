import Compiler
import TimelineModel
import CFFmpeg

/// The FFmpeg libraries this binary is linked against (for `/health` and `cutroom probe`).
public enum FFmpegVersion {
    /// e.g. `FFmpeg 5.1.6-0+deb12u1 (libavformat 59.27.100, libavcodec 59.37.100, ...)`.
    public static var description: String {
        let libraries: [(String, UInt32)] = [
            ("libavformat", avformat_version()),
            ("libavcodec", avcodec_version()),
            ("libavfilter", avfilter_version()),
            ("libavutil", avutil_version()),
            ("libswscale", swscale_version()),
            ("libswresample", swresample_version()),
        ]
        let versions = libraries.map { name, version in "\(name) \(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)" }
        return "FFmpeg \(LibAV.string(av_version_info()) ?? "unknown") (\(versions.joined(separator: ", ")))"
    }
}
