import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Golden renders through the covering canvas (opaque full-canvas clips on the first track).
extension RenderExecutorTests {
    private func coveringTimeline(range: Timeline.TimeRange? = nil) throws -> (Timeline, SourceResolver) {
        typealias T = Timeline
        var table: [String: ResolvedSource] = [:]
        for name in ["red.mp4", "blue.mp4", "green.mp4"] {
            let path = try Fixtures.path(name)
            table[name] = ResolvedSource(path: path, info: try MediaProbe.probe(path: path))
        }
        let sources = table
        var blue = T.Clip(id: "blue", asset: .video(T.VideoAsset(src: "blue.mp4")), start: 1.5, length: 1)
        blue.transition = T.Transition(type: .fade, duration: 0.4)
        var output = T.Output(width: 320, height: 240, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil)
        output.range = range
        var timeline = T(output: output, tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "red", asset: .video(T.VideoAsset(src: "red.mp4")), start: 0, length: 1.5),
            blue,
            T.Clip(id: "green", asset: .video(T.VideoAsset(src: "green.mp4")), start: 3, length: 0.6),
        ])])
        timeline.background = "#FFFF00"
        return (timeline, { sources[$0] })
    }

    @Test("golden: a covering first track shows its clips, the fade's mix at the cut, the background in the gap")
    func goldenCoveringCanvas() throws {
        let (timeline, resolve) = try coveringTimeline()
        let plan = try RenderCompiler.compile(timeline, resolve: resolve)
        #expect(plan.filterGraph.contains("[canvas0]") && !plan.filterGraph.contains("overlay"), "the covering canvas is used")
        let output = Fixtures.outputPath("covering")
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        let probed = try Tool.probe(output, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        #expect((probed["streams"] as? [[String: Any]])?.first?["nb_read_frames"] as? String == "90")

        let red = Tool.average(try Tool.rgb(output, at: 0.5))
        #expect(red.r > 200 && red.g < 40 && red.b < 40, "0.5 s: \(red)")
        // The 10-frame fade runs over frames 33..<43; frame 37-38 is its middle.
        let mix = Tool.average(try Tool.rgb(output, at: 1.5))
        #expect(mix.r > 80 && mix.r < 180 && mix.b > 80 && mix.b < 180, "1.5 s: \(mix)")
        let blue = Tool.average(try Tool.rgb(output, at: 2.2))
        #expect(blue.b > 200 && blue.r < 40 && blue.g < 40, "2.2 s: \(blue)")
        let gap = Tool.average(try Tool.rgb(output, at: 2.75))
        #expect(gap.r > 200 && gap.g > 200 && gap.b < 40, "2.75 s (background): \(gap)")
        let green = Tool.average(try Tool.rgb(output, at: 3.3))
        #expect(green.g > 90 && green.r < 40 && green.b < 40, "3.3 s: \(green)")
    }

    @Test("golden: a range that starts inside the fade shows the same mix as the whole render")
    func goldenCoveringRange() throws {
        let (timeline, resolve) = try coveringTimeline(range: Timeline.TimeRange(start: 1.4, end: 2.0))
        let output = Fixtures.outputPath("covering-range")
        try RenderExecutor.run(try RenderCompiler.compile(timeline, resolve: resolve), outputPath: output, cancel: CancellationFlag()) { _ in }
        let probed = try Tool.probe(output, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        #expect((probed["streams"] as? [[String: Any]])?.first?["nb_read_frames"] as? String == "15")
        let mix = Tool.average(try Tool.rgb(output, at: 0.1))
        #expect(mix.r > 80 && mix.r < 180 && mix.b > 80 && mix.b < 180, "1.5 s of the timeline: \(mix)")
        let blue = Tool.average(try Tool.rgb(output, at: 0.5))
        #expect(blue.b > 200 && blue.r < 40, "1.9 s of the timeline: \(blue)")
    }
}
