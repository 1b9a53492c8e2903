import Foundation
import Testing

/// Decoded facts about rendered files for sync and frame-exactness checks, through the ffmpeg CLI.
enum MediaAnalysis {
    /// Mean luma (0-255) of every decoded frame, in order.
    static func lumas(_ path: String) throws -> [Double] {
        try thumbnails(path).map { Double($0.reduce(0) { $0 + Int($1) }) / Double($0.count) }
    }

    /// Every decoded frame as `width`×`height` gray pixels.
    static func thumbnails(_ path: String, width: Int = 16, height: Int = 8) throws -> [[UInt8]] {
        let data = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-vf", "scale=\(width):\(height),format=gray", "-f", "rawvideo", "-"])
        let bytes = [UInt8](data), size = width * height
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
    }

    /// The MD5 of every decoded frame (ffmpeg's framemd5), in order.
    static func frameHashes(_ path: String) throws -> [String] {
        let data = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"])
        return String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The decoded sound, mixed to mono, 16-bit at `rate`.
    static func samples(_ path: String, rate: Int = 48000) throws -> [Int16] {
        let data = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "\(rate)", "-f", "s16le", "-"])
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// Sample indexes where sound starts after at least `quiet` samples below `threshold`.
    static func onsets(_ samples: [Int16], threshold: Int16 = 3000, quiet: Int = 480) -> [Int] {
        var result: [Int] = []
        var silent = quiet
        for (index, sample) in samples.enumerated() {
            if abs(Int(sample)) >= Int(threshold) {
                if silent >= quiet { result.append(index) }
                silent = 0
            } else {
                silent += 1
            }
        }
        return result
    }

    /// Frames brighter than `threshold`, in order (the flash frames of a sync source).
    static func flashes(_ lumas: [Double], threshold: Double = 200) -> [Int] {
        lumas.indices.filter { lumas[$0] > threshold }
    }

    /// A `seconds`-long sync source: a dark picture of luma about `base` with a white frame each second at
    /// frame `flash`, and a 20 ms 1 kHz beep starting with each white frame, silence between.
    /// Keyframes every `gop` frames (closed GOPs).
    static func makeSyncSource(_ path: String, seconds: Int, size: String, fps: Int, base: String, flash: Int, gop: Int) throws {
        let at = Double(flash) / Double(fps)
        try Tool.run("/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "color=c=\(base):s=\(size):r=\(fps):d=\(seconds),drawbox=c=white:t=fill:enable='eq(mod(n\\,\(fps))\\,\(flash))'",
            "-f", "lavfi", "-i", "aevalsrc='if(between(mod(t\\,1)-\(at)\\,0\\,0.02)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000:d=\(seconds)",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "\(gop)", "-keyint_min", "\(gop)", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-shortest", path,
        ])
    }
}
