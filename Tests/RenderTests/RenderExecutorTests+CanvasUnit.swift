import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// One look at every size: a 1080p timeline's title rendered at 640×360 (`output.canvas` keeps the
/// timeline's own size) covers the same share of the picture as at 1080p — its text, box padding
/// and outline in proportion — and so does the frame preview (composed at 1080p, then scaled).
extension RenderExecutorTests {
    private typealias T = Timeline

    /// Columns (first...last) holding pixels `isInk` picks in rows `rows` of `picture`.
    private static func inkColumns(_ picture: Picture, rows: Range<Int>, isInk: (UInt8, UInt8, UInt8) -> Bool) -> ClosedRange<Int>? {
        var columns: ClosedRange<Int>?
        for y in rows where y < picture.height {
            for x in 0..<picture.width {
                let i = (y * picture.width + x) * 3
                guard i + 2 < picture.pixels.count, isInk(picture.pixels[i], picture.pixels[i + 1], picture.pixels[i + 2]) else { continue }
                columns = columns.map { min($0.lowerBound, x)...max($0.upperBound, x) } ?? x...x
            }
        }
        return columns
    }

    private static func titleTimeline(width: Int, height: Int, canvas: T.Size?) -> Timeline {
        // A boxed title in the top half (white on blue), an outlined one in the bottom half (white, red edge).
        let boxed = T.Clip(
            id: "title", asset: .text(T.TextAsset(text: "SUMMER TIME", font: T.Font(size: 120), box: T.Box(color: "#2040E0", padding: 30))),
            start: 0, length: 1, position: .top)
        var outlined = T.Clip(
            id: "outlined", asset: .text(T.TextAsset(text: "Mm", font: T.Font(size: 150), outline: T.Outline(color: "#FF0000", width: 12))),
            start: 0, length: 1, position: .bottom)
        outlined.offset = T.Offset(x: 0, y: -0.05)
        var output = T.Output(width: width, height: height, fps: 25, format: .png, video: T.VideoSettings(preset: .ultrafast), audio: nil)
        output.canvas = canvas
        output.range = T.TimeRange(start: 0.5, end: 0.54)
        return T(output: output, background: "#000000", tracks: [T.Track(id: "a", clips: [boxed]), T.Track(id: "b", clips: [outlined])])
    }

    @Test("golden: a 1080p title rendered at 360p (output.canvas) and previewed at 640 px keeps its ink width ratio, box padding and outline within 2 %")
    func goldenTitleAtEverySize() throws {
        func still(_ timeline: Timeline, name: String, scaledWidth: Int? = nil) throws -> Picture {
            let plan = try RenderCompiler.compile(timeline, scaledWidth: scaledWidth, resolve: { _ in nil })
            let path = Fixtures.outputPath(name).replacingOccurrences(of: ".mp4", with: ".png")
            try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag()) { _ in }
            return try Tool.rgb(path)
        }
        struct Measure { var title: Int; var box: Int; var outlined: Int; var outlineInk: Int }
        func measure(_ p: Picture) throws -> Measure {
            let top = 0..<p.height / 2, bottom = p.height / 2..<p.height
            let white = try #require(Self.inkColumns(p, rows: top) { r, g, b in min(r, g, b) > 160 })
            let blue = try #require(Self.inkColumns(p, rows: top) { r, g, b in b > 140 && r < 110 && g < 110 })
            let drawn = try #require(Self.inkColumns(p, rows: bottom) { r, g, b in Int(r) + Int(g) + Int(b) > 200 })
            let glyphs = try #require(Self.inkColumns(p, rows: bottom) { r, g, b in min(r, g, b) > 160 })
            return Measure(title: white.count, box: blue.count, outlined: drawn.count, outlineInk: drawn.count - glyphs.count)
        }
        let full = try measure(try still(Self.titleTimeline(width: 1920, height: 1080, canvas: nil), name: "title-1080"))
        let small = try measure(try still(Self.titleTimeline(width: 640, height: 360, canvas: T.Size(width: 1920, height: 1080)), name: "title-360"))
        let preview = try measure(try still(Self.titleTimeline(width: 1920, height: 1080, canvas: nil), name: "title-preview", scaledWidth: 640))
        // The title covers about half the width at 1080p (not a sliver, not cropped).
        #expect(full.title > 800 && full.title < 1300, "1080p title ink \(full.title) px")
        for (label, m) in [("360p render", small), ("640 px preview", preview)] {
            let ratio = Double(m.title) / Double(full.title)
            #expect(abs(ratio * 3 - 1) <= 0.02, "\(label): title ink \(m.title) px vs \(full.title) px at 1080p (ratio \(ratio), want 1/3)")
            let box = Double(m.box) / Double(full.box)
            #expect(abs(box * 3 - 1) <= 0.02, "\(label): box \(m.box) px vs \(full.box) px (ratio \(box))")
            let outlined = Double(m.outlined) / Double(full.outlined)
            #expect(abs(outlined * 3 - 1) <= 0.02, "\(label): outlined text \(m.outlined) px vs \(full.outlined) px (ratio \(outlined))")
            // Two outline widths (12 canvas px each side) beyond the glyphs: 24 px at 1080p, 8 at 360p.
            #expect(abs(m.outlineInk - 8) <= 2, "\(label): outline adds \(m.outlineInk) px (1080p: \(full.outlineInk))")
        }
        #expect(abs(full.outlineInk - 24) <= 3, "1080p: outline adds \(full.outlineInk) px")
    }

    @Test("compiler: output.canvas scales font size, box padding, outline width and blur by the output's share of the canvas")
    func canvasUnitInGraph() throws {
        var timeline = Self.titleTimeline(width: 640, height: 360, canvas: T.Size(width: 1920, height: 1080))
        timeline.tracks[0].clips[0].effects = [.blur(amount: 6)]
        let graph = try RenderCompiler.compile(timeline, resolve: { _ in nil }).filterGraph
        #expect(graph.contains("fontsize=40:"), "120 px at a third: \(graph)")
        #expect(graph.contains("boxborderw=10"), "padding 30 at a third")
        #expect(graph.contains("fontsize=50:") && graph.contains("borderw=4:"), "150 px and outline 12 at a third")
        #expect(graph.contains("gblur=sigma=2"), "blur 6 canvas px at a third")
        // A vertical output of a 16:9 canvas: the canvas fitted inside (its width), 1080/1920.
        let vertical = T.Output(width: 1080, height: 1920, canvas: T.Size(width: 1920, height: 1080))
        #expect(abs(vertical.canvasUnit - 0.5625) < 1e-9)
        #expect(T.Output(width: 1280, height: 720).canvasUnit == 1)
    }
}
