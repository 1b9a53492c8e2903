import Foundation
import Testing
@testable import Render

/// Sources for the stream-copy renders: 4 s, 320×240 at 25 fps, a keyframe every second, a
/// per-frame changing picture (so a wrong frame changes its checksum) with a white box on frame 10
/// of each second and a beep starting with it.
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
                "-c:a", "aac", "-ac", "2", "-shortest", path,
            ])
            if made_ != nil { made[name] = path }
        }
        return made
    }()

    static func resolver() throws -> SourceResolver {
        var table: [String: ResolvedSource] = [:]
        for name in ["copyA.mp4", "copyB.mp4", "copyC.mp4"] {
            let path = try #require(all[name], "fixture \(name) was not generated")
            table[name] = ResolvedSource(path: path, info: try MediaProbe.probe(path: path))
        }
        let sources = table
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
        let samples = try MediaAnalysis.samples(output)
        #expect(abs(samples.count - 288_000) <= 1024, "decoded \(samples.count) samples")
        let beeps = MediaAnalysis.onsets(samples).map { Double($0) / 48000 }
        let flashes = [10, 35, 60, 85, 110, 135]
        #expect(beeps.count == flashes.count, "beeps at \(beeps)")
        for (beep, flash) in zip(beeps, flashes) { #expect(abs(beep - Double(flash) / 25) < 0.04, "beep \(beep) for frame \(flash)") }
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

    @Test("an in-point off a keyframe, or sources encoded differently, are re-encoded and say why",
          arguments: [(1.2, "copyA.mp4", "not an IDR keyframe"), (1, "copyC.mp4", "the sources' video differs")])
    func copyRefused(bTrim: Double, third: String, reason: String) throws {
        let (output, result) = try render(copyTimeline(bTrim: bTrim, third: third))
        #expect(result.method == .pipeline)
        #expect(result.notes.contains { $0.contains(reason) }, "\(result.notes)")
        #expect(try MediaAnalysis.frameHashes(output).count == 150)
    }
}
