import CFFmpeg
import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// A 6 s, 25 fps ramp (luma 16 + 3·n, wrapping at 200) encoded the way cameras and x264's
/// presets do: B-frames in a pyramid (some of them referenced), a keyframe every 2 s. The other
/// fixtures use `ultrafast`, which has no B-frames, so nothing is skipped when they are seeked.
private enum PyramidRamp {
    static let path = make("pyramid-ramp.mp4")

    /// The ramp in `name`'s container; `offset` starts its timestamps later (an edit list in MP4/MOV,
    /// a later first timestamp in Matroska, which only reading packets reveals).
    static func make(_ name: String, offset: Double = 0) -> String? {
        let path = Fixtures.directory.appendingPathComponent(name).path
        let made = try? Tool.run("/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "nullsrc=s=160x96:r=25:d=6,geq=lum='16+mod(N*3\\,200)':cb=128:cr=128,format=yuv420p",
            "-c:v", "libx264", "-preset", "medium", "-x264-params", "bframes=3:b-adapt=0:b-pyramid=normal:keyint=50:min-keyint=50:scenecut=0",
            "-pix_fmt", "yuv420p", "-output_ts_offset", "\(offset)", path,
        ])
        return made == nil ? nil : path
    }

    /// As `MediaAnalysis.lumas` reads it: full-range gray (16...235 → 0...255).
    static func luma(_ n: Int) -> Double { Double((n * 3) % 200) * 255 / 219 }
}

@Suite("Seeking skips unwanted pictures")
struct SeekDecodingTests {
    /// Timestamps (in 1/25 s) of the frames decoded from `seconds`, up to `until`.
    private func decodedFrames(_ path: String, seekingTo seconds: Double, until: Int64) throws -> [Int64] {
        let input = try FormatInput(path: path, cancel: CancellationFlag(), analysis: .headerIfComplete)
        let index = try #require(input.bestStream(AVMEDIA_TYPE_VIDEO))
        let decoder = try StreamDecoder(input: input, streamIndex: index)
        decoder.seek(to: seconds)
        let frame = try Frame()
        var frames: [Int64] = []
        while try decoder.next(into: frame.pointer) {
            let tick = try #require(decoder.sourceTimestamp(frame.pointer))
            let n = av_rescale_q(tick, decoder.timeBase, AVRational(num: 1, den: 25))
            av_frame_unref(frame.pointer)
            if n > until { break }
            frames.append(n)
        }
        return frames
    }

    @Test("after a seek, every frame from shortly before the target on is decoded, and unreferenced B-frames before it are not")
    func skipsOnlyBeforeTheTarget() throws {
        let path = try #require(PyramidRamp.path)
        let all = try decodedFrames(path, seekingTo: 0, until: 149)
        #expect(all == Array(0...149))
        // 3.6 s is frame 90, 40 frames after the keyframe at 2 s (frame 50); the margin is 0.25 s.
        let seeked = try decodedFrames(path, seekingTo: 3.6, until: 120)
        let wanted: Int64 = 84  // the first frame at or after 3.6 s − 0.25 s
        #expect(seeked.filter { $0 >= wanted } == Array(wanted...120), "every frame from \(wanted) on")
        let early = seeked.filter { $0 < wanted }
        #expect(early.first == 50, "decoding starts at the keyframe")
        #expect(early.count < wanted - 50, "some of frames 50..<\(wanted) are skipped: \(early)")
        #expect(early.count > (wanted - 50) / 3, "the referenced ones are still decoded: \(early)")
    }

    @Test("a render trimmed off a keyframe in a B-frame source is frame-exact", arguments: [0.52, 1.0, 2.04, 3.6, 3.96])
    func renderIsFrameExact(trim: Double) throws {
        try render(try #require(PyramidRamp.path), trim: trim)
    }

    /// Render inputs trust an MP4/MOV header and analyse the rest (`FormatInput.Analysis`): either
    /// way the stream's start time must be right, or every trim would be off.
    @Test("sources whose timestamps start late are trimmed exactly, whether their header is trusted or analysed",
          arguments: ["late.mp4", "late.mov", "late.mkv"])
    func lateStart(name: String) throws {
        try render(try #require(PyramidRamp.make(name, offset: 0.48)), trim: 2.6)
    }

    private func render(_ path: String, trim: Double) throws {
        let info = try MediaProbe.probe(path: path)
        let document = Timeline(
            output: Timeline.Output(width: 160, height: 96, fps: 25, format: .mp4, video: Timeline.VideoSettings(codec: .h264, preset: .ultrafast)),
            tracks: [Timeline.Track(id: "main", clips: [video("a", "ramp", start: 0, length: 1.6, trim: trim)])])
        let plan = try RenderCompiler.compile(document) { _ in ResolvedSource(path: path, info: info) }
        let output = Fixtures.outputPath("pyramid")
        defer { try? FileManager.default.removeItem(atPath: output) }
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        let lumas = try MediaAnalysis.lumas(output)
        let first = Int((trim * 25).rounded())
        #expect(lumas.count == 40)
        let wrong = lumas.indices.filter { abs(lumas[$0] - PyramidRamp.luma(first + $0)) > 2 }
        #expect(wrong.isEmpty, "frames off the ramp: \(wrong.map { ($0, lumas[$0]) }.prefix(5))")
    }
}
