import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Golden renders of text layout: centred and right-aligned blocks at every side of the canvas,
/// and text growing with scale keyframes. Each is checked in the render and in the frame
/// preview (a one-frame range, scaled like the editor's), on the decoded pictures' ink.
extension RenderExecutorTests {
    private typealias T = Timeline
    typealias Picture = (width: Int, height: Int, pixels: [UInt8])

    /// Columns and rows of the pixels `isInk` picks, per run of rows with ink (a text line each).
    struct Ink {
        var lines: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>)] = []
        var rows: ClosedRange<Int>? { lines.first.flatMap { first in lines.last.map { first.rows.lowerBound...$0.rows.upperBound } } }
        var columns: ClosedRange<Int>? {
            guard let left = lines.map(\.columns.lowerBound).min(), let right = lines.map(\.columns.upperBound).max() else { return nil }
            return left...right
        }

        init(_ picture: Picture, columns: Range<Int>? = nil, isInk: (UInt8, UInt8, UInt8) -> Bool) {
            var current: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)?
            for y in 0..<picture.height {
                var row: ClosedRange<Int>?
                for x in columns ?? 0..<picture.width {
                    let i = (y * picture.width + x) * 3
                    guard i + 2 < picture.pixels.count, isInk(picture.pixels[i], picture.pixels[i + 1], picture.pixels[i + 2]) else { continue }
                    row = row.map { min($0.lowerBound, x)...max($0.upperBound, x) } ?? x...x
                }
                if let row {
                    current = current.map { ($0.rows.lowerBound...y, min($0.columns.lowerBound, row.lowerBound)...max($0.columns.upperBound, row.upperBound)) } ?? (y...y, row)
                } else if let line = current {
                    lines.append(line)
                    current = nil
                }
            }
            if let current { lines.append(current) }
        }
    }

    static func white(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Bool { min(r, g, b) > 128 }

    /// The frame at `t` as the editor's preview makes it: a one-frame range of the document, PNG.
    func preview(_ timeline: Timeline, at t: Double, name: String, resolve: SourceResolver = { _ in nil }) throws -> Picture {
        var still = timeline
        still.output.format = .png
        still.output.range = T.TimeRange(start: t, end: t + 1 / timeline.output.fps)
        let plan = try RenderCompiler.compile(still, scaledWidth: timeline.output.width, resolve: resolve)
        let path = Fixtures.outputPath(name).replacingOccurrences(of: ".mp4", with: ".png")
        try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag()) { _ in }
        return try Tool.rgb(path)
    }

    func rendered(_ timeline: Timeline, name: String, resolve: SourceResolver = { _ in nil }) throws -> String {
        let output = Fixtures.outputPath(name)
        try RenderExecutor.run(try RenderCompiler.compile(timeline, resolve: resolve), outputPath: output, cancel: CancellationFlag()) { _ in }
        return output
    }

    @Test("golden: a 3-line block centred or right-aligned shares one centre / right edge at left, center, right, topLeft and bottomRight, offset from its anchor",
          arguments: [Timeline.TextAlign.center, .right])
    func goldenAlignedBlock(align: Timeline.TextAlign) throws {
        let (width, height, size) = (320, 240, 20.0)
        // Each position in turn for 0.2 s, shifted toward the canvas centre (the centre one right and down).
        let cases: [(T.Position, T.Offset)] = [
            (.left, T.Offset(x: 0.05, y: 0.05)), (.center, T.Offset(x: 0.05, y: 0.05)), (.right, T.Offset(x: -0.05, y: 0.05)),
            (.topLeft, T.Offset(x: 0.05, y: 0.05)), (.bottomRight, T.Offset(x: -0.05, y: -0.05)),
        ]
        let clips = cases.enumerated().map { index, item in
            var clip = T.Clip(
                id: "c\(index)", asset: .text(T.TextAsset(text: "I\nWide wide wide\nmid", font: T.Font(size: size), align: align)),
                start: Double(index) * 0.2, length: 0.2, position: item.0)
            clip.offset = item.1
            return clip
        }
        let timeline = T(output: T.Output(width: width, height: height, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil), background: "#000000",
                         tracks: [T.Track(id: "t", clips: clips)])
        let output = try rendered(timeline, name: "aligned-\(align.rawValue)")
        let pitch = (size * 1.2).rounded(), ascent = (size * GraphBuilder.lineAscentEm).rounded()
        for (index, (position, offset)) in cases.enumerated() {
            let t = Double(index) * 0.2 + 0.1
            for (source, picture) in [("render", try Tool.rgb(output, at: t)), ("preview", try preview(timeline, at: t, name: "aligned-still"))] {
                let ink = Ink(picture, isInk: Self.white)
                let label = "\(align.rawValue) at \(position.rawValue) (\(source))"
                try #require(ink.lines.count == 3, "\(label): ink lines \(ink.lines.map(\.rows))")
                let edges = ink.lines.map { align == .center ? Double($0.columns.lowerBound + $0.columns.upperBound) / 2 : Double($0.columns.upperBound) }
                let spread = (edges.max() ?? 0) - (edges.min() ?? 0)
                #expect(spread <= 2, "\(label): line \(align == .center ? "centres" : "right edges") \(edges)")
                // The block (its widest line's ink) at the anchor, plus the offset in canvas pixels.
                let anchor = Placement.anchor(position)
                let columns = try #require(ink.columns), rows = try #require(ink.rows)
                let left = (Double(width) - Double(columns.count)) * anchor.x + offset.x * Double(width)
                #expect(abs(Double(columns.lowerBound) - left) <= 3, "\(label): block ink from column \(columns.lowerBound), expected \(left)")
                // The last line ("mid", no descender) ends on its baseline: two pitches and an ascent below the block's top.
                let top = (Double(height) - 3 * pitch) * anchor.y + offset.y * Double(height)
                #expect(abs(Double(rows.upperBound + 1) - (top + 2 * pitch + ascent)) <= 2, "\(label): ink rows \(rows), block top \(top)")
            }
        }
    }

    @Test("golden: scale keyframes grow text from its anchor (eased), its box padding and outline with it")
    func goldenScaledText() throws {
        let (width, height) = (320, 180)
        let grow = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1), T.Keyframe(t: 2, value: 2, easing: .easeIn)])]
        var boxed = T.Clip(
            // Colours drawn straight onto the canvas (saturated yellow and blue would take an RGBA layer).
            id: "boxed", asset: .text(T.TextAsset(text: "H", font: T.Font(size: 20, color: "#FFCC00"), box: T.Box(color: "#2040E0", padding: 4))),
            start: 0, length: 2, position: .bottomRight)
        boxed.offset = T.Offset(x: -0.05, y: -0.05)
        boxed.animate = grow
        var outlined = T.Clip(
            id: "outlined", asset: .text(T.TextAsset(text: "H", font: T.Font(size: 20), outline: T.Outline(color: "#FF0000", width: 3))),
            start: 0, length: 2, position: .topLeft)
        outlined.offset = T.Offset(x: 0.05, y: 0.05)
        outlined.animate = grow
        let timeline = T(output: T.Output(width: width, height: height, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil), background: "#000000",
                         tracks: [T.Track(id: "a", clips: [boxed]), T.Track(id: "b", clips: [outlined])])
        let output = try rendered(timeline, name: "scaled-text")

        struct Measure { var glyph: ClosedRange<Int>; var glyphColumns: ClosedRange<Int>; var box: ClosedRange<Int>; var outlined: ClosedRange<Int>; var outlinedColumns: ClosedRange<Int> }
        func measure(_ picture: Picture) throws -> Measure {
            // The right half holds the boxed H, the left half the outlined one.
            let right = width / 2..<width, left = 0..<width / 2
            let yellow = Ink(picture, columns: right) { r, g, b in r > 160 && g > 160 && b < 110 }
            let blue = Ink(picture, columns: right) { r, g, b in b > 140 && r < 110 && g < 110 }
            let drawn = Ink(picture, columns: left) { r, g, b in Int(r) + Int(g) + Int(b) > 200 }
            return Measure(
                glyph: try #require(yellow.rows), glyphColumns: try #require(yellow.columns), box: try #require(blue.rows),
                outlined: try #require(drawn.rows), outlinedColumns: try #require(drawn.columns))
        }
        // Frames 0, 25 (1 s: easeIn's 1 + 0.5² = 1.25) and 49 (1.96 s: 1 + 0.98² ≈ 1.96).
        let times = [0.0, 1.0, 1.96]
        let scales = times.map { 1 + pow($0 / 2, 2) }
        for source in ["render", "preview"] {
            let measures = try times.map { t in
                try measure(source == "render" ? try Tool.rgb(output, at: t) : try preview(timeline, at: t, name: "scaled-still"))
            }
            let first = try #require(measures.first)
            for (index, m) in measures.enumerated() {
                let label = "\(source) at \(times[index]) s, scale \(scales[index])"
                let glyphRatio = Double(m.glyph.count) / Double(first.glyph.count)
                #expect(abs(glyphRatio / scales[index] - 1) <= 0.1, "\(label): H ink height \(m.glyph.count) vs \(first.glyph.count)")
                // Box padding grows too: the box's height (text height + 2 paddings) in proportion.
                let boxRatio = Double(m.box.count) / Double(first.box.count)
                #expect(abs(boxRatio / scales[index] - 1) <= 0.06, "\(label): box height \(m.box.count) vs \(first.box.count)")
                // The outline too: the outlined H's height (cap height + 2 outline widths) in proportion.
                let outlineRatio = Double(m.outlined.count) / Double(first.outlined.count)
                #expect(abs(outlineRatio / scales[index] - 1) <= 0.06, "\(label): outlined height \(m.outlined.count) vs \(first.outlined.count)")
                // Anchored while growing: the boxed H's text (its box less the padding) keeps its
                // bottom, and its right edge stays left of the anchor by the H's side bearing
                // (0.1 em); the outlined H keeps its top-left corner (its side bearing and the
                // line's ascent above the H grow as the outline does, within a few pixels).
                let padding = Int((4 * scales[index]).rounded())
                #expect(abs(m.box.upperBound - padding - (first.box.upperBound - 4)) <= 1, "\(label): box bottom \(m.box.upperBound), padding \(padding)")
                let anchorRight = Double(width) * 0.95 - 1
                let bearing = anchorRight - Double(m.glyphColumns.upperBound)
                #expect(bearing >= 0 && bearing <= 0.1 * 20 * scales[index] + 2, "\(label): H ends at column \(m.glyphColumns.upperBound), anchor \(anchorRight)")
                #expect(abs(m.outlinedColumns.lowerBound - first.outlinedColumns.lowerBound) <= 3, "\(label): outlined left \(m.outlinedColumns)")
                #expect(abs(m.outlined.lowerBound - first.outlined.lowerBound) <= 3, "\(label): outlined top \(m.outlined)")
            }
        }
    }
}
