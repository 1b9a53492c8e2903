import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Previews (frames and playback segments) compose at the preview size: the output becomes the
/// preview's size and `canvas` keeps the document's (`Timeline.Output.composedForPreview`). The
/// picture must be the one the old way gave, composed at full size and scaled down at the end.
extension RenderExecutorTests {
    private typealias T = Timeline

    /// A 1280×720 textured clip (moving test pattern): scaling differences show in its detail.
    private static func patternClip() throws -> String {
        let path = Fixtures.directory.appendingPathComponent("pattern-720.mp4").path
        if !FileManager.default.fileExists(atPath: path) {
            _ = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=2",
                                                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path])
        }
        return path
    }

    /// 1080p, four layers: the pattern covering the canvas, the same pattern small in a corner at
    /// 80 %, a blurred colour band, and a boxed, outlined title over everything.
    private static func layered(_ pattern: String) -> Timeline {
        let full = T.Clip(id: "bg", asset: .video(T.VideoAsset(src: pattern)), start: 0, length: 2)
        let corner = T.Clip(id: "pip", asset: .video(T.VideoAsset(src: pattern)), start: 0, length: 2, fit: .contain, scale: 0.3,
                            position: .topRight, offset: T.Offset(x: -0.02, y: 0.03), opacity: 0.8)
        let band = T.Clip(id: "band", asset: .color(T.ColorAsset(color: "#20A040")), start: 0, length: 2, fit: .fill, scale: 0.25,
                          position: .left, opacity: 0.7, effects: [.blur(amount: 8)])
        let title = T.Clip(
            id: "title", asset: .text(T.TextAsset(text: "Preview Size", font: T.Font(size: 140, color: "#FFFFFF"),
                                                  box: T.Box(color: "#102060", padding: 24), outline: T.Outline(color: "#000000", width: 6))),
            start: 0, length: 2, position: .bottom, offset: T.Offset(x: 0, y: -0.08))
        var output = T.Output(width: 1920, height: 1080, fps: 25, format: .png, video: T.VideoSettings(preset: .ultrafast), audio: nil)
        output.range = T.TimeRange(start: 0.8, end: 0.84)
        return T(output: output, background: "#000000", tracks: [
            T.Track(id: "v", clips: [full]), T.Track(id: "p", clips: [corner]), T.Track(id: "b", clips: [band]), T.Track(id: "t", clips: [title]),
        ])
    }

    private static func still(_ plan: RenderPlan, name: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let path = Fixtures.outputPath(name).replacingOccurrences(of: ".mp4", with: ".png")
        try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag()) { _ in }
        return try Tool.rgb(path)
    }

    /// Columns holding white ink (the title's letters) in `rows`.
    private static func whiteColumns(_ p: (width: Int, height: Int, pixels: [UInt8]), rows: Range<Int>) -> Int {
        var first = Int.max, last = -1
        for y in rows { for x in 0..<p.width {
            let i = (y * p.width + x) * 3
            if min(p.pixels[i], p.pixels[i + 1], p.pixels[i + 2]) > 200 { first = min(first, x); last = max(last, x) }
        } }
        return last >= first ? last - first + 1 : 0
    }

    @Test("golden: a layered, titled 1080p frame composed at 640×360 matches the full-size frame scaled down (PSNR, mean difference, title ink width)")
    func previewComposedSmallMatchesScaled() throws {
        let pattern = try Self.patternClip()
        let info = try MediaProbe.probe(path: pattern)
        let resolve: SourceResolver = { $0 == pattern ? ResolvedSource(path: pattern, info: info) : nil }
        let document = Self.layered(pattern)

        var small = document
        small.output = document.output.composedForPreview(width: 640)
        #expect(small.output.width == 640 && small.output.height == 360)
        #expect(small.output.canvas == T.Size(width: 1920, height: 1080))
        let smallPlan = try RenderCompiler.compile(small, resolve: resolve)
        // Nothing is composed at 1080p any more: no 1920-wide canvas, and text at a third of its size.
        #expect(!smallPlan.filterGraph.contains("1920x1080") && !smallPlan.filterGraph.contains("s=1920"), "\(smallPlan.filterGraph)")
        #expect(smallPlan.filterGraph.contains("fontsize=46") || smallPlan.filterGraph.contains("fontsize=47"), "140 px at a third")

        let reference = try Self.still(try RenderCompiler.compile(document, scaledWidth: 640, resolve: resolve), name: "preview-scaled")
        let composed = try Self.still(smallPlan, name: "preview-small")
        #expect(reference.width == 640 && reference.height == 360)
        #expect(composed.width == reference.width && composed.height == reference.height)
        guard composed.pixels.count == reference.pixels.count else { return }

        var squares = 0.0, absolute = 0.0
        for (a, b) in zip(composed.pixels, reference.pixels) {
            let d = Double(a) - Double(b)
            squares += d * d
            absolute += abs(d)
        }
        let count = Double(reference.pixels.count)
        let psnr = 10 * log10(255 * 255 / max(squares / count, 1e-9))
        let mean = absolute / count
        // Scaling once at the end and scaling each layer differ at sharp edges only (text, pattern lines).
        #expect(psnr > 24, "PSNR \(psnr) dB")
        #expect(mean < 6, "mean difference \(mean) of 255")

        // The title: the same ink width either way (text is laid out at the canvas size's third).
        let rows = reference.height * 3 / 4..<reference.height
        let inkReference = Self.whiteColumns(reference, rows: rows)
        let inkComposed = Self.whiteColumns(composed, rows: rows)
        #expect(inkReference > 250, "the title is there: \(inkReference) px")
        #expect(abs(Double(inkComposed) / Double(max(1, inkReference)) - 1) <= 0.03, "title ink \(inkComposed) px vs \(inkReference) px")
    }

    @Test("previewSize: even, proportional, never wider than the output; composedForPreview keeps an existing canvas")
    func previewSizeRules() {
        let output = T.Output(width: 1920, height: 1080)
        #expect(output.previewSize(width: 640) == T.Size(width: 640, height: 360))
        #expect(output.previewSize(width: 641) == T.Size(width: 640, height: 360))
        #expect(output.previewSize(width: 4000) == T.Size(width: 1920, height: 1080))
        #expect(output.composedForPreview(width: 4000) == output, "no smaller: unchanged")
        let vertical = T.Output(width: 1080, height: 1350).previewSize(width: 640)
        #expect(vertical == T.Size(width: 640, height: 800))
        var sized = T.Output(width: 1280, height: 720, canvas: T.Size(width: 1920, height: 1080))
        sized = sized.composedForPreview(width: 640)
        #expect(sized.canvas == T.Size(width: 1920, height: 1080) && sized.width == 640 && abs(sized.canvasUnit - 1.0 / 3) < 1e-9)
    }
}
