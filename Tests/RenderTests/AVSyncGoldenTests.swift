import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Five minutes of 60 hard cuts from three sync sources (a white frame and a beep once a second),
/// rendered in parallel segments and in one pass: every white frame lands
/// on its exact frame and every beep within one frame of it, up to the very end.
@Suite("A/V sync golden", .tags(.slow))
struct AVSyncGoldenTests {
    static let sources: [String]? = {
        var paths: [String] = []
        for (index, base) in ["0x303030", "0x505050", "0x707070"].enumerated() {
            let path = Fixtures.directory.appendingPathComponent("sync\(index).mp4").path
            guard (try? MediaAnalysis.makeSyncSource(path, seconds: 20, size: "160x90", fps: 30, base: base, flash: 15, gop: 30)) != nil else { return nil }
            paths.append(path)
        }
        return paths
    }()

    @Test("a 5-minute render with 60 cuts: exact frame count and duration, white frames exact, beeps within a frame",
          arguments: [2, 1])
    func fiveMinutes(segments: Int) throws {
        let paths = try #require(Self.sources)
        var table: [String: ResolvedSource] = [:]
        for (index, path) in paths.enumerated() { table["sync\(index).mp4"] = ResolvedSource(path: path, info: try MediaProbe.probe(path: path)) }
        let sources = table
        // In-points on the frame grid, mostly between keyframes, up to 15 s (each clip is 5 s of a 20 s source).
        let trims = (0..<60).map { ($0 * 37) % 451 }
        let clips = (0..<60).map { i in
            video("c\(i)", "sync\(i % 3).mp4", start: Double(i * 5), length: 5, trim: Double(trims[i]) / 30)
        }
        let timeline = Timeline(
            output: Timeline.Output(width: 160, height: 90, fps: 30, video: Timeline.VideoSettings(preset: .ultrafast)),
            tracks: [Timeline.Track(id: "main", clips: clips)])
        let plan = try RenderCompiler.compile(timeline) { sources[$0] }
        #expect(plan.totalFrames == 9000)
        let output = Fixtures.outputPath("sync5min")
        let result = try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag(), options: RenderOptions(segments: segments)) { _ in }
        #expect(result.method == (segments == 1 ? .pipeline : .segmented(segments: segments)), "\(result.notes)")

        // Source frame s (s mod 30 == 15) of clip i shows at 150 i + s - trim.
        var expected: [Int] = []
        for i in 0..<60 {
            for s in trims[i]..<trims[i] + 150 where s % 30 == 15 { expected.append(150 * i + s - trims[i]) }
        }
        let lumas = try MediaAnalysis.lumas(output)
        #expect(lumas.count == 9000, "\(result.method)")
        let flashes = MediaAnalysis.flashes(lumas)
        #expect(flashes == expected, "\(result.method): first differences \(zip(flashes, expected).filter { $0 != $1 }.prefix(5))")

        let json = try Tool.probe(output, ["-show_entries", "stream=codec_type,duration"])
        let durations = try #require(json["streams"] as? [[String: Any]]).compactMap { ($0["duration"] as? String).flatMap(Double.init) }
        #expect(durations.count == 2 && durations.allSatisfy { abs($0 - 300) < 0.001 }, "stream durations \(durations)")
        // Decoders keep the last AAC packet's padding (at most one packet) that the container's edit list cuts.
        let samples = try MediaAnalysis.samples(output)
        #expect(abs(samples.count - 14_400_000) <= 1024, "decoded \(samples.count) samples for 300 s")
        let beeps = MediaAnalysis.onsets(samples)
        #expect(beeps.count == expected.count)
        let frame = 48000.0 / 30
        let late = zip(beeps, expected).filter { abs(Double($0) - Double($1) * frame) > frame }
        #expect(late.isEmpty, "\(result.method): beeps more than a frame off their white frame: \(late.prefix(5))")
    }
}
