import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// How a long timeline is split (pure: plans only).
@Suite("Segmented render plan")
struct SegmentedRenderTests {
    @Test("segments cover every frame once, nearly equal, cut on multiples of the keyframe interval")
    func boundaries() {
        #expect(SegmentedRender.boundaries(totalFrames: 1860, segments: 2, gop: 60) == [0..<900, 900..<1860])
        #expect(SegmentedRender.boundaries(totalFrames: 9000, segments: 4, gop: 60) == [0..<2220, 2220..<4500, 4500..<6720, 6720..<9000])
        // Fewer keyframe intervals than segments: one segment per interval.
        #expect(SegmentedRender.boundaries(totalFrames: 100, segments: 4, gop: 60) == [0..<60, 60..<100])
        #expect(SegmentedRender.boundaries(totalFrames: 50, segments: 2, gop: 60) == [0..<50])
    }

    let long = MediaInfo(format: "mov,mp4", duration: 120, hasVideo: true, hasAudio: true, width: 320, height: 240, fps: 30, sampleRate: 48000, channels: 2)

    func plan(_ length: Double, output: T.Output = T.Output(width: 320, height: 240, fps: 30)) throws -> RenderPlan {
        let t = timeline([[video("a", "long.mp4", start: 0, length: length / 2, trim: 0.5), video("b", "long.mp4", start: length / 2, length: length / 2, trim: 7)]], output: output)
        return try RenderCompiler.compile(t, resolve: resolver(["long.mp4": long]))
    }

    @Test("one picture-only range render per segment with fewer encoder threads, then one sound render")
    func jobs() throws {
        let whole = try plan(90)
        let jobs = try SegmentedRender.jobs(for: whole, segments: 2, cores: 2, outputPath: "/tmp/out.mp4")
        #expect(jobs.count == 3)
        #expect(jobs.map(\.firstFrame) == [0, 1320, nil])
        #expect(jobs[0].plan.totalFrames + jobs[1].plan.totalFrames == whole.totalFrames)
        #expect(jobs[0].plan.output.audioCodec == nil && jobs[1].plan.output.audioCodec == nil)
        #expect(jobs[0].plan.output.encoderThreads == 1)
        #expect(!jobs[1].plan.filterGraph.contains("anullsrc"))
        // The second segment seeks its inputs into the window rather than decoding from the start.
        #expect(jobs[1].plan.inputs.allSatisfy { $0.seek > 0 })
        let sound = jobs[2].plan
        #expect(sound.output.audioCodec == "aac" && sound.output.width == 16 && sound.inputs.allSatisfy { $0.media == .audio })
        #expect(sound.totalFrames == whole.totalFrames)
        #expect(Set(jobs.map(\.path)).count == 3 && jobs.allSatisfy { $0.path.hasPrefix("/tmp/out.mp4.") })
    }

    @Test("short, ranged, GIF or single-segment renders are not split", arguments: ["short", "range", "gif", "one"])
    func refused(_ change: String) throws {
        var output = T.Output(width: 320, height: 240, fps: 30)
        var length = 90.0, segments = 2
        switch change {
        case "short": length = 50
        case "range": output.range = T.TimeRange(start: 0, end: 80)
        case "gif": output.format = .gif; output.audio = nil
        default: segments = 1
        }
        let whole = try plan(length, output: output)
        #expect(throws: Ineligible.self) { try SegmentedRender.jobs(for: whole, segments: segments, cores: 2, outputPath: "/tmp/out.mp4") }
    }
}
