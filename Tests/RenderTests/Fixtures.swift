import Foundation
import Testing

/// Media generated once per test run with the ffmpeg CLI into a temporary folder.
enum Fixtures {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-render-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// All fixtures, generated on first use (static initialisation runs once even under parallel tests).
    static let all: [String: String] = generate()

    static func path(_ name: String) throws -> String {
        try #require(all[name], "fixture \(name) was not generated")
    }

    /// A fresh output path in the fixtures folder.
    static func outputPath(_ name: String = "out") -> String {
        directory.appendingPathComponent("\(name)-\(UUID().uuidString).mp4").path
    }

    private static func generate() -> [String: String] {
        var made: [String: String] = [:]
        func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func make(_ name: String, _ arguments: [String]) {
            let output = file(name)
            if (try? Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments + [output])) != nil { made[name] = output }
        }
        let clip = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
        for (name, colour) in [("red.mp4", "red"), ("green.mp4", "green"), ("blue.mp4", "blue")] {
            make(name, ["-f", "lavfi", "-i", "color=c=\(colour):s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=frequency=440:duration=2"] + clip)
        }
        make("green5.mp4", ["-f", "lavfi", "-i", "color=c=green:s=320x240:r=25:d=5", "-f", "lavfi", "-i", "sine=frequency=440:duration=5"] + clip)
        // Red for 2.5 s then blue, a keyframe every second, so seeking has somewhere to land.
        make("redblue.mp4", ["-filter_complex", "color=c=red:s=320x240:r=25:d=2.5[a];color=c=blue:s=320x240:r=25:d=2.5[b];[a][b]concat=n=2:v=1:a=0",
                             "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p"])
        // Grey rising two luma levels a frame (16 at 0 s, 214 at 3.96 s): any frame shift shows in the mean.
        make("ramp.mp4", ["-f", "lavfi", "-i", "nullsrc=s=320x240:r=25:d=4,geq=lum='16+N*2':cb=128:cr=128",
                          "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p"])
        // Left half red, right half blue: after a 90° clockwise rotation red is on top.
        make("halves.mp4", ["-filter_complex", "color=c=red:s=160x240:r=25:d=2[l];color=c=blue:s=160x240:r=25:d=2[r];[l][r]hstack",
                            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"])
        if let halves = made["halves.mp4"] {
            // FFmpeg 5.1's mov muxer writes the legacy `rotate` tag as a counter-clockwise matrix: 270 here is
            // what a phone held upright records (ffprobe: rotation=-90; displayed turned 90° clockwise).
            make("rotated.mp4", ["-i", halves, "-c", "copy", "-metadata:s:v:0", "rotate=270"])
        }
        make("anamorphic.mp4", ["-f", "lavfi", "-i", "color=c=red:s=320x240:r=25:d=1", "-vf", "setsar=2",
                                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"])
        make("alpha.png", ["-f", "lavfi", "-i", "color=c=red@0.5:s=64x48,format=rgba", "-frames:v", "1"])
        make("tone.wav", ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"])
        if let png = made["alpha.png"], let wav = made["tone.wav"] {
            make("cover.mp3", ["-i", wav, "-i", png, "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "png",
                               "-disposition:v", "attached_pic"])
        }
        let text = Data(String(repeating: "This is a plain text file, not a video.\n", count: 200).utf8)
        for name in ["notes.txt", "notes.mp4"] {
            if FileManager.default.createFile(atPath: file(name), contents: text) { made[name] = file(name) }
        }
        // ANSI art is what libav's "tty" demuxer turns into video.
        let ansi = Data(String(repeating: "\u{1B}[0;1;31mCUTROOM\u{1B}[0m ansi art line\r\n", count: 300).utf8)
        if FileManager.default.createFile(atPath: file("art.ans"), contents: ansi) { made["art.ans"] = file("art.ans") }
        if FileManager.default.createFile(atPath: file("empty.mp4"), contents: Data()) { made["empty.mp4"] = file("empty.mp4") }
        // Deterministic "random" bytes so a lucky format match cannot make the test flaky.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = Data((0..<65_536).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
        if FileManager.default.createFile(atPath: file("noise.mp4"), contents: noise) { made["noise.mp4"] = file("noise.mp4") }
        // A real clip with garbage written over its middle (the index at the end survives).
        if let red = made["red.mp4"], var bytes = try? Data(contentsOf: URL(fileURLWithPath: red)) {
            let start = bytes.count / 4
            for offset in start..<min(bytes.count, start + bytes.count / 3) { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 31) }
            if FileManager.default.createFile(atPath: file("damaged.mp4"), contents: bytes) { made["damaged.mp4"] = file("damaged.mp4") }
        }
        return made
    }
}

/// Runs the ffmpeg/ffprobe command-line tools for fixtures and checks (never used by product code).
enum Tool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block the tool.
        let errorData = LockedData()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")): \(String(decoding: errorData.value, as: UTF8.self))")
        }
        return data
    }

    /// ffprobe's JSON for a file.
    static func probe(_ path: String, _ arguments: [String]) throws -> [String: Any] {
        let data = try run("/usr/bin/ffprobe", ["-v", "error", "-of", "json"] + arguments + [path])
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// One decoded picture as RGB24: the frame at `seconds` of a video, or the whole image.
    static func rgb(_ path: String, at seconds: Double? = nil) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let json = try probe(path, ["-select_streams", "v:0", "-show_entries", "stream=width,height"])
        let stream = try #require((json["streams"] as? [[String: Any]])?.first)
        let width = try #require(stream["width"] as? Int)
        let height = try #require(stream["height"] as? Int)
        let seek = seconds.map { ["-ss", String($0)] } ?? []
        let data = try run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error"] + seek + ["-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        return (width, height, [UInt8](data))
    }

    /// A file's sound, one channel (`channel`, or all mixed), as float samples at `rate`.
    static func sound(_ path: String, rate: Int = 8_000, channel: Int? = nil) throws -> Sound {
        let pick = channel.map { ["-af", "pan=mono|c0=c\($0)"] } ?? ["-ac", "1"]
        let raw = try run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a"] + pick + ["-ar", "\(rate)", "-f", "f32le", "-"])
        return Sound(samples: raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, rate: rate)
    }

    struct Sound {
        var samples: [Float]
        var rate: Int
        var duration: Double { Double(samples.count) / Double(rate) }

        /// RMS level between two times (seconds); -1 when the window is empty.
        func rms(_ from: Double, _ to: Double) -> Double {
            let window = samples[min(samples.count, Int(from * Double(rate)))..<min(samples.count, Int(to * Double(rate)))]
            guard !window.isEmpty else { return -1 }
            return (window.reduce(0) { $0 + Double($1) * Double($1) } / Double(window.count)).squareRoot()
        }
    }

    /// Average colour of a rectangle of an RGB24 picture.
    static func average(_ picture: (width: Int, height: Int, pixels: [UInt8]), rows: Range<Int>? = nil, columns: Range<Int>? = nil) -> (r: Double, g: Double, b: Double) {
        let rows = rows ?? 0..<picture.height
        let columns = columns ?? 0..<picture.width
        var sums = (0.0, 0.0, 0.0)
        var count = 0.0
        for y in rows {
            for x in columns {
                let index = (y * picture.width + x) * 3
                guard index + 2 < picture.pixels.count else { continue }
                sums.0 += Double(picture.pixels[index])
                sums.1 += Double(picture.pixels[index + 1])
                sums.2 += Double(picture.pixels[index + 2])
                count += 1
            }
        }
        guard count > 0 else { return (0, 0, 0) }
        return (sums.0 / count, sums.1 / count, sums.2 / count)
    }
}

/// Data handed from the stderr reader thread to the caller.
// @unchecked Sendable: every access goes through the lock.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
