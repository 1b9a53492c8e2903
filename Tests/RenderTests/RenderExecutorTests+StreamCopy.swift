import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Sources for the stream-copy renders: 4 s, 320×240 at 25 fps, a keyframe every second, a
/// per-frame changing picture (so a wrong frame changes its checksum) with a white box on frame 10
/// of each second and a beep starting with it. Tagged bt709, as cameras tag HD: the render passes
/// such pictures through unconverted, so a piece it re-encodes can sit between copied packets.
private enum CopySources {
    static let all: [String: String] = {
        var made: [String: String] = [:]
        for (name, look, preset) in [("copyA.mp4", "", "ultrafast"), ("copyB.mp4", ",negate", "ultrafast"), ("copyC.mp4", ",hflip", "veryfast")] {
            let path = Fixtures.directory.appendingPathComponent(name).path
            let made_ = try? Tool.run("/usr/bin/ffmpeg", [
                "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4\(look),drawbox=x=100:y=60:w=120:h=120:c=white:t=fill:enable='eq(mod(n\\,25)\\,10)'",
                "-f", "lavfi", "-i", "aevalsrc='if(between(mod(t\\,1)-0.4\\,0\\,0.02)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000:d=4",
                "-c:v", "libx264", "-preset", preset, "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
                "-c:a", "aac", "-ac", "2", "-shortest", path,
            ])
            if made_ != nil { made[name] = path }
        }
        return made
    }()

    /// The fixtures as probed, once for all the renders.
    private static let probed: [String: ResolvedSource]? = {
        var table: [String: ResolvedSource] = [:]
        for name in ["copyA.mp4", "copyB.mp4", "copyC.mp4"] {
            guard let path = all[name], let info = try? MediaProbe.probe(path: path) else { return nil }
            table[name] = ResolvedSource(path: path, info: info)
        }
        return table
    }()

    static func resolver() throws -> SourceResolver {
        let sources = try #require(probed, "the copy fixtures were not generated or cannot be probed")
        return { sources[$0] }
    }
}

extension RenderExecutorTests {
    /// A 0–2 s, B from 1 s for 2 s, A from 2 s to its end: every cut on a keyframe.
    private func copyTimeline(bTrim: Double = 1, third: String = "copyA.mp4") -> Timeline {
        Timeline(output: Timeline.Output(width: 320, height: 240, fps: 25), tracks: [Timeline.Track(id: "main", clips: [
            video("a", "copyA.mp4", start: 0, length: 2),
            video("b", "copyB.mp4", start: 2, length: 2, trim: bTrim),
            video("c", third, start: 4, trim: 2),
        ])])
    }

    private func render(_ timeline: Timeline, options: RenderOptions = RenderOptions()) throws -> (path: String, result: RenderResult) {
        let plan = try RenderCompiler.compile(timeline, resolve: try CopySources.resolver())
        let output = Fixtures.outputPath("copy")
        let result = try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag(), options: options) { _ in }
        return (output, result)
    }

    @Test("keyframe-aligned hard cuts are copied: every frame is the source's own, the sound in sync, durations exact")
    func streamCopy() throws {
        let (output, result) = try render(copyTimeline())
        #expect(result.method == .streamCopy, "\(result.notes)")
        let a = try MediaAnalysis.frameHashes(try #require(CopySources.all["copyA.mp4"]))
        let b = try MediaAnalysis.frameHashes(try #require(CopySources.all["copyB.mp4"]))
        let expected = Array(a[0..<50] + b[25..<75] + a[50..<100])
        let frames = try MediaAnalysis.frameHashes(output)
        #expect(frames.count == 150)
        #expect(frames == expected)

        let json = try Tool.probe(output, ["-show_entries", "stream=codec_type,duration,nb_frames"])
        let streams = try #require(json["streams"] as? [[String: Any]])
        let durations = streams.compactMap { ($0["duration"] as? String).flatMap(Double.init) }
        #expect(durations.count == 2)
        for duration in durations { #expect(abs(duration - 6) < 0.001, "stream duration \(duration)") }

        // A beep starts with each white frame (10, 35, ..., 135): within one frame (40 ms) everywhere.
        try expectBeeps(output, atFrames: [10, 35, 60, 85, 110, 135])
    }

    @Test("copied and re-encoded renders of the same cuts have the same frames and sound length")
    func copyMatchesReencode() throws {
        let copied = try render(copyTimeline())
        let encoded = try render(copyTimeline(), options: RenderOptions(streamCopy: false))
        #expect(copied.result.method == .streamCopy && encoded.result.method == .pipeline)
        let x = try MediaAnalysis.lumas(copied.path), y = try MediaAnalysis.lumas(encoded.path)
        #expect(x.count == 150 && y.count == 150)
        #expect(zip(x, y).allSatisfy { abs($0 - $1) < 4 })
        let s = try MediaAnalysis.samples(copied.path).count, t = try MediaAnalysis.samples(encoded.path).count
        #expect(abs(s - t) <= 1024, "copy \(s) vs re-encode \(t) samples")
    }

    @Test("sources encoded differently, or cuts that leave little between keyframes, are re-encoded and say why",
          arguments: [(1, 2.0, "copyC.mp4", "the sources' video differs"), (1.2, 0.6, "copyA.mp4", "frames lie between keyframes")])
    func copyRefused(bTrim: Double, bLength: Double, third: String, reason: String) throws {
        var timeline = copyTimeline(bTrim: bTrim, third: third)
        if bLength != 2 {
            // Every clip 0.6 s inside one GOP: nothing can be copied.
            timeline.tracks[0].clips = [video("a", "copyA.mp4", start: 0, length: 0.6, trim: 0.2), video("b", "copyB.mp4", start: 0.6, length: bLength, trim: bTrim)]
        }
        let (output, result) = try render(timeline)
        #expect(result.method == .pipeline)
        #expect(result.notes.contains { $0.contains(reason) }, "\(result.notes)")
        #expect(try MediaAnalysis.frameHashes(output).count == Int((timeline.tracks[0].clips.reduce(0) { $0 + ($1.length ?? 2) } * 25).rounded()))
    }

    /// B from 1.2 s to 3.2 s: its frames 30..<50 come before its keyframe at 2 s and 75..<80 after the
    /// one at 3 s. Those are re-encoded; everything else is the sources' own packets.
    @Test("cuts off keyframes re-encode only up to the next keyframe and from the last: the copied frames are the sources' own, the sound in sync")
    func spliced() throws {
        let (output, result) = try render(copyTimeline(bTrim: 1.2))
        #expect(result.method == .spliced(reencodedFrames: 25), "\(result.notes)")
        let a = try MediaAnalysis.frameHashes(try #require(CopySources.all["copyA.mp4"]))
        let b = try MediaAnalysis.frameHashes(try #require(CopySources.all["copyB.mp4"]))
        let frames = try MediaAnalysis.frameHashes(output)
        #expect(frames.count == 150)
        #expect(Array(frames[0..<50]) == Array(a[0..<50]))
        #expect(Array(frames[70..<95]) == Array(b[50..<75]))
        #expect(Array(frames[100..<150]) == Array(a[50..<100]))

        // The re-encoded frames are B's frames 30..<50 and 75..<80: each nearer its own source frame than its neighbours.
        let pictures = try MediaAnalysis.thumbnails(output, width: 64, height: 48)
        let source = try MediaAnalysis.thumbnails(try #require(CopySources.all["copyB.mp4"]), width: 64, height: 48)
        func distance(_ x: [UInt8], _ y: [UInt8]) -> Int { zip(x, y).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } }
        for (frame, sourceFrame) in zip(Array(50..<70) + Array(95..<100), Array(30..<50) + Array(75..<80)) {
            let own = distance(pictures[frame], source[sourceFrame])
            let neighbours = [sourceFrame - 1, sourceFrame + 1].map { distance(pictures[frame], source[$0]) }
            #expect(own < neighbours.min() ?? 0, "frame \(frame): \(own) from B's frame \(sourceFrame), \(neighbours) from its neighbours")
        }
        // One valid stream: decoding stops at the first error of any kind (a missing parameter set, say).
        try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-err_detect", "explode", "-i", output, "-xerror", "-f", "null", "-"])

        try expectBeeps(output, atFrames: [10, 35, 55, 80, 110, 135])
    }

    /// The 6 s of sound decode to 288,000 samples with a beep starting within a frame (40 ms) of each of `frames`.
    private func expectBeeps(_ output: String, atFrames flashes: [Int]) throws {
        let samples = try MediaAnalysis.samples(output)
        #expect(abs(samples.count - 288_000) <= 1024, "decoded \(samples.count) samples")
        let beeps = MediaAnalysis.onsets(samples).map { Double($0) / 48000 }
        #expect(beeps.count == flashes.count, "beeps at \(beeps)")
        for (beep, flash) in zip(beeps, flashes) { #expect(abs(beep - Double(flash) / 25) < 0.04, "beep \(beep) for frame \(flash)") }
    }
}
