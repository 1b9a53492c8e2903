import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Huge pictures are decoded small when they are shown small.
extension RenderExecutorTests {
    @Test("a huge JPEG shown small is decoded at a fraction of its size and still shows the right picture")
    func hugeImage() throws {
        typealias T = Timeline
        let directory = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.jpg").path
        // 4800×2700, left half red, right half blue.
        try FFmpegTool.run(["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=2400x2700", "-f", "lavfi", "-i", "color=c=blue:s=2400x2700",
                        "-filter_complex", "[0][1]hstack", "-frames:v", "1", path])
        let info = try MediaProbe.probe(path: path)
        #expect(info.width == 4800 && info.height == 2700)
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil), tracks: [
            T.Track(id: "v", clips: [T.Clip(id: "big", asset: .image(T.ImageAsset(src: "huge.jpg")), start: 0, length: 0.4)]),
        ])
        let plan = try RenderCompiler.compile(timeline, resolve: { $0 == "huge.jpg" ? ResolvedSource(path: path, info: info) : nil })
        #expect(plan.inputs.first?.reduction == 3)
        let output = Fixtures.outputPath("huge-image")
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        let picture = try Tool.rgb(output, at: 0.2)
        let left = Tool.average(picture, rows: 20..<70, columns: 10..<70), right = Tool.average(picture, rows: 20..<70, columns: 90..<150)
        #expect(left.r > 200 && left.b < 50 && right.b > 200 && right.r < 50, "left \(left), right \(right)")
    }

    @Test("reduction: as many halvings as keep the picture at least its shown size, at most three")
    func reductionSteps() {
        #expect(GraphBuilder.reduction(from: (4800, 2700), to: (160, 90)) == 3)
        #expect(GraphBuilder.reduction(from: (4000, 3000), to: (1000, 750)) == 2)
        #expect(GraphBuilder.reduction(from: (4000, 3000), to: (1001, 750)) == 1)
        #expect(GraphBuilder.reduction(from: (1920, 1080), to: (1920, 1080)) == 0)
        #expect(GraphBuilder.reduction(from: (100, 100), to: (400, 400)) == 0)
    }
}
