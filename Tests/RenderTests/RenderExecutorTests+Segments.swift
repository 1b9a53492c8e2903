import Foundation
import Synchronization
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// A 62 s, 160×90 at 30 fps source whose luma steps by 7 every frame (mod 200), with a tone: a
/// duplicated or missing frame anywhere shows as a jump of 7 or more.
private enum RampSource {
    static let path: String? = {
        let path = Fixtures.directory.appendingPathComponent("long-ramp.mp4").path
        let made = try? Tool.run("/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "nullsrc=s=160x90:r=30:d=62,geq=lum='16+mod(N*7\\,200)':cb=128:cr=128,format=yuv420p",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=62",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-shortest", path,
        ])
        return made == nil ? nil : path
    }()

    /// The ramp's luma at source frame `n`, as decoded to full-range gray (16...235 → 0...255).
    static func luma(_ n: Int) -> Double { Double((n * 7) % 200) * 255 / 219 }
}

extension RenderExecutorTests {
    /// Two 31 s clips of the ramp, neither starting on a keyframe: 1860 frames.
    private func rampPlan(_ format: Timeline.Format = .mp4) throws -> RenderPlan {
        let path = try #require(RampSource.path)
        let info = try MediaProbe.probe(path: path)
        let webm = format == .webm
        let timeline = Timeline(
            output: Timeline.Output(
                width: 160, height: 90, fps: 30, format: format, video: Timeline.VideoSettings(codec: webm ? .vp9 : .h264, preset: .ultrafast),
                audio: Timeline.AudioSettings(codec: webm ? .opus : .aac)),
            tracks: [Timeline.Track(id: "main", clips: [
                video("a", "ramp.mp4", start: 0, length: 31, trim: 0.1),
                video("b", "ramp.mp4", start: 31, length: 31, trim: 5.5),
            ])])
        return try RenderCompiler.compile(timeline) { $0 == "ramp.mp4" ? ResolvedSource(path: path, info: info) : nil }
    }

    /// The ramp's luma expected at each output frame of `rampPlan`.
    private var rampExpected: [Double] {
        (0..<1860).map { n in RampSource.luma(n < 930 ? n + 3 : n - 930 + 165) }
    }

    @Test("a long render in parallel segments has the single pass's frames, none doubled or lost at the joins, and its sound",
          arguments: [Timeline.Format.mp4, .webm])
    func segments(_ format: Timeline.Format) throws {
        let plan = try rampPlan(format)
        let split = Fixtures.outputPath("segments"), single = Fixtures.outputPath("single")
        var fractions: [Double] = []
        let result = try RenderExecutor.run(plan, outputPath: split, cancel: CancellationFlag(), options: RenderOptions(segments: 2)) { fractions.append($0.fraction) }
        let reference = try RenderExecutor.run(plan, outputPath: single, cancel: CancellationFlag(), options: RenderOptions(segments: 1)) { _ in }
        #expect(result.method == .segmented(segments: 2), "\(result.notes)")
        #expect(reference.method == .pipeline)
        #expect(fractions.last == 1 && zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(fractions.contains { $0 > 0 && $0 < 1 })

        let x = try MediaAnalysis.lumas(split), y = try MediaAnalysis.lumas(single)
        #expect(x.count == 1860 && y.count == 1860)
        let expected = rampExpected
        let wrong = x.indices.filter { abs(x[$0] - expected[$0]) > 3 || abs(x[$0] - y[$0]) > 3 }
        #expect(wrong.isEmpty, "frames off the ramp: \(wrong.prefix(10)) (the join is at 900)")

        let s = try MediaAnalysis.samples(split).count, t = try MediaAnalysis.samples(single).count
        #expect(abs(s - 2_976_000) <= 1024 && abs(s - t) <= 1024, "split \(s) vs single \(t) samples")
        let name = URL(fileURLWithPath: split).lastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path).filter { $0.hasPrefix(name + ".") }
        #expect(leftovers.isEmpty)
    }

    @Test("cancelling a segmented render stops every segment and leaves no file behind")
    func segmentsCancelled() throws {
        let plan = try rampPlan()
        let output = Fixtures.outputPath("cancelled")
        let cancel = CancellationFlag()
        let outcome = Mutex<RenderError?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do throws(RenderError) {
                try RenderExecutor.run(plan, outputPath: output, cancel: cancel, options: RenderOptions(segments: 2)) { tick in
                    if tick.fraction > 0.2 { cancel.cancel() }
                }
            } catch {
                outcome.withLock { $0 = error }
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        #expect(done.wait(timeout: .now() + 120) == .success)
        #expect(outcome.withLock { $0 } == .cancelled)
        let name = URL(fileURLWithPath: output).lastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path).filter { $0.hasPrefix(name) }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
