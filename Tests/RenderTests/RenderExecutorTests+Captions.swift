import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Captions and fonts rendered by the real engine, checked on decoded pixels.
@Suite("Captions and fonts rendered", .tags(.slow))
struct CaptionsRenderTests {
    typealias T = Timeline

    /// Pixels of a rectangle brighter than 180 in every channel: white text on a dark canvas.
    func brightPixels(_ picture: (width: Int, height: Int, pixels: [UInt8]), rows: Range<Int>) -> Int {
        var count = 0
        for y in rows {
            for x in 0..<picture.width {
                let i = (y * picture.width + x) * 3
                if i + 2 < picture.pixels.count, picture.pixels[i] > 180, picture.pixels[i + 1] > 180, picture.pixels[i + 2] > 180 { count += 1 }
            }
        }
        return count
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("captions-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `text` as `subs.srt` in `dir`, resolved as the engine resolves a local captions file.
    func captionsFile(_ text: String, in dir: URL) throws -> ResolvedSource {
        let srt = dir.appendingPathComponent("subs.srt")
        try Data(text.utf8).write(to: srt)
        let source = try #require(ResolvedSource.local(path: srt.path))
        #expect(source.content == .captions)
        return source
    }

    func output(_ width: Int = 320, _ height: Int = 180, format: T.Format = .mp4) -> T.Output {
        var output = T.Output(width: width, height: height, fps: 10, format: format, video: T.VideoSettings(preset: .ultrafast), audio: nil)
        if format == .png { output.range = T.TimeRange(start: 0, end: 0.1) }
        return output
    }

    @Test("golden: a cue's text shows at the bottom during the cue only")
    func cueOnFlatBackground() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try captionsFile("1\r\n00:00:01,000 --> 00:00:02,000\r\nHello there\r\n", in: dir)
        let clip = T.Clip(id: "s", asset: .captions(T.CaptionsAsset(src: "subs.srt", font: T.Font(size: 24))), start: 0.5, length: 2.5, position: .bottom)
        let timeline = T(output: output(), background: "#203040", tracks: [T.Track(id: "c", clips: [clip])])
        let plan = try RenderCompiler.compile(timeline, resolve: { $0 == "subs.srt" ? source : nil })
        let out = dir.appendingPathComponent("out.mp4").path
        try RenderExecutor.run(plan, outputPath: out, cancel: CancellationFlag()) { _ in }
        // The cue is 1..2 s of the file, so 1.5..2.5 s of the timeline.
        for (t, shown) in [(1.0, false), (2.0, true), (2.9, false)] {
            let frame = try Tool.rgb(out, at: t)
            let bottom = brightPixels(frame, rows: 120..<180), top = brightPixels(frame, rows: 0..<110)
            #expect(top == 0, "t=\(t): nothing above the bottom area")
            #expect(shown ? bottom > 100 : bottom == 0, "t=\(t): \(bottom) text pixels at the bottom")
        }
    }

    @Test("golden: captions dissolve into a picture and wipe in from one, in the render and the frame preview")
    func captionsTransitions() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try captionsFile("1\n00:00:00,000 --> 00:00:09,000\nHello captions\n", in: dir)
        // White captions 0..2 s, a red picture 2..4 s (a 1 s dissolve at 2 s), yellow boxed captions
        // 4..6 s (a 1 s wipe from the right at 4 s), over a dark background.
        let white = T.Clip(id: "a", asset: .captions(T.CaptionsAsset(src: "subs.srt", font: T.Font(size: 20))), start: 0, length: 2, position: .bottom)
        var red = T.Clip(id: "b", asset: .color(T.ColorAsset(color: "#FF0000")), start: 2, length: 2)
        red.transition = T.Transition(type: .fade, duration: 1)
        var boxed = T.Clip(
            id: "c", asset: .captions(T.CaptionsAsset(src: "subs.srt", font: T.Font(size: 20, color: "#FFFF00"), box: T.Box(color: "#0000FF", padding: 4))),
            start: 4, length: 2, position: .bottom)
        boxed.transition = T.Transition(type: .wipeleft, duration: 1)
        let timeline = T(output: output(), background: "#000000", tracks: [T.Track(id: "c", clips: [white, red, boxed])])
        #expect(timeline.validate(resolve: { $0 == "subs.srt" ? source : nil }) == [])
        let out = dir.appendingPathComponent("out.mp4").path
        try RenderExecutor.run(try RenderCompiler.compile(timeline, resolve: { $0 == "subs.srt" ? source : nil }), outputPath: out, cancel: CancellationFlag()) { _ in }
        func still(_ t: Double) throws -> (width: Int, height: Int, pixels: [UInt8]) {
            var frame = timeline
            frame.output.format = .png
            frame.output.range = T.TimeRange(start: t, end: t + 0.1)
            let path = dir.appendingPathComponent("still.png").path
            try RenderExecutor.run(try RenderCompiler.compile(frame, scaledWidth: 320, resolve: { $0 == "subs.srt" ? source : nil }), outputPath: path, cancel: CancellationFlag()) { _ in }
            return try Tool.rgb(path)
        }
        let caption = 150..<175
        for source in ["render", "preview"] {
            func frame(_ t: Double) throws -> (width: Int, height: Int, pixels: [UInt8]) { source == "render" ? try Tool.rgb(out, at: t) : try still(t) }
            // Before the dissolve: white captions, no red.
            let before = try frame(1.2)
            #expect(brightPixels(before, rows: caption) > 100, "\(source): captions at 1.2 s")
            #expect(Tool.average(before, rows: 0..<100).r < 20, "\(source): no picture at 1.2 s")
            // Halfway through the dissolve: the text at about half its brightness (half white over
            // half red: pink), the red at about half.
            let middle = try frame(2.0)
            let pink = halfWhite(middle, rows: caption)
            #expect(brightPixels(middle, rows: caption) == 0 && pink > 60, "\(source): captions half dissolved at 2 s (\(pink) pixels)")
            let picture = Tool.average(middle, rows: 60..<120, columns: 100..<220)
            #expect(picture.r > 90 && picture.r < 170, "\(source): red half dissolved in at 2 s: \(picture)")
            // After it: the red picture only.
            let after = try frame(3.2)
            #expect(brightPixels(after, rows: caption) == 0 && Tool.average(after, rows: 60..<120, columns: 100..<220).r > 200, "\(source): red alone at 3.2 s")
            // Halfway through the wipe (xfade's wipeleft: the new clip from the right): the blue box on
            // the right half of the caption row only, the red picture still on the left.
            let wipe = try frame(4.0)
            let box = blueColumns(wipe, rows: caption)
            #expect(box.count > 20 && (box.min() ?? 0) >= 150, "\(source): box columns \(box.min() ?? -1)...\(box.max() ?? -1) at 4 s")
            let end = try frame(5.0)
            let whole = blueColumns(end, rows: caption)
            #expect((whole.min() ?? 320) < 150 && (whole.max() ?? 0) > 170, "\(source): box columns \(whole.min() ?? -1)...\(whole.max() ?? -1) at 5 s")
        }
    }

    /// Columns holding box-blue pixels in `rows`.
    private func blueColumns(_ picture: (width: Int, height: Int, pixels: [UInt8]), rows: Range<Int>) -> [Int] {
        (0..<picture.width).filter { x in
            rows.contains { y in
                let i = (y * picture.width + x) * 3
                return i + 2 < picture.pixels.count && picture.pixels[i + 2] > 180 && picture.pixels[i] < 70 && picture.pixels[i + 1] < 70
            }
        }
    }

    /// Pixels in `rows` whose green is about half: white text dissolving over black or red.
    private func halfWhite(_ picture: (width: Int, height: Int, pixels: [UInt8]), rows: Range<Int>) -> Int {
        rows.reduce(0) { count, y in
            count + (0..<picture.width).filter { x in
                let i = (y * picture.width + x) * 3
                return i + 2 < picture.pixels.count && (90..<170).contains(picture.pixels[i + 1])
            }.count
        }
    }

    @Test("emoji in text render safely (DejaVu has no glyph for them)")
    func emoji() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi 🎉", font: T.Font(size: 40))), start: 0, length: 1)
        let plan = try RenderCompiler.compile(T(output: output(format: .png), tracks: [T.Track(id: "t", clips: [clip])]), resolve: { _ in nil })
        let out = dir.appendingPathComponent("emoji.png").path
        try RenderExecutor.run(plan, outputPath: out, cancel: CancellationFlag()) { _ in }
        #expect(brightPixels(try Tool.rgb(out), rows: 0..<180) > 100)
    }

    @Test("a font file given by font.src draws differently from DejaVu Sans")
    func fontFile() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let font = dir.appendingPathComponent("serif.ttf")
        try FileManager.default.copyItem(atPath: "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf", toPath: font.path)
        let garbage = dir.appendingPathComponent("garbage.ttf")
        try Data(repeating: 7, count: 2048).write(to: garbage)
        #expect(ResolvedSource.local(path: garbage.path) == nil)
        let source = try #require(ResolvedSource.local(path: font.path))
        #expect(source.content == .font)
        func picture(_ font: T.Font, name: String) throws -> [UInt8] {
            let clip = T.Clip(id: "t", asset: .text(T.TextAsset(text: "Quiet gardens", font: font)), start: 0, length: 1)
            let plan = try RenderCompiler.compile(T(output: output(format: .png), tracks: [T.Track(id: "t", clips: [clip])]), resolve: { $0 == "serif.ttf" ? source : nil })
            let out = dir.appendingPathComponent(name).path
            try RenderExecutor.run(plan, outputPath: out, cancel: CancellationFlag()) { _ in }
            return try Tool.rgb(out).pixels
        }
        let sans = try picture(T.Font(size: 36), name: "sans.png")
        let serif = try picture(T.Font(size: 36, src: "serif.ttf"), name: "serif.png")
        let different = zip(sans, serif).filter { abs(Int($0) - Int($1)) > 64 }.count
        #expect(different > 500, "\(different) bytes differ")
        #expect(sans.filter { $0 > 180 }.count > 300 && serif.filter { $0 > 180 }.count > 300)
    }

    @Test("drawtexts that switch cues by sendcmd draw exactly what a drawtext per cue draws, specials included")
    func switchedCuesMatchSingleCues() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let srt = dir.appendingPathComponent("subs.srt")
        let tricky = "it's 100%: [ok], a;b \\ {c} = d\nsecond line"
        try Data("1\n00:00:00,500 --> 00:00:01,000\nOne\n\n2\n00:00:01,200 --> 00:00:02,000\n\(tricky)\n\n3\n00:00:02,200 --> 00:00:02,800\nThree\n".utf8).write(to: srt)
        let source = try #require(ResolvedSource.local(path: srt.path))
        var clip = T.Clip(id: "subs", asset: .captions(T.CaptionsAsset(src: "subs.srt", font: T.Font(size: 16))), start: 0, length: 3, position: .bottom)
        // Keyframed y: expressions with commas go through sendcmd's reinit too.
        clip.animate = [T.Animation(property: .offsetY, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 3, value: -0.4, easing: .easeInOut)])]
        var timeline = T(output: output(), background: "#203040", tracks: [T.Track(id: "c", clips: [clip])])
        let whole = try RenderCompiler.compile(timeline, resolve: { _ in source })
        #expect(whole.filterGraph.contains("sendcmd"))
        let frames = try CompiledGraphCLITests.render(whole, in: dir).frames
        #expect(frames.count == 30)
        for (t, frame) in [(0.7, 7), (1.6, 16), (2.5, 25)] {
            timeline.output.range = T.TimeRange(start: t, end: t + 0.1)
            let single = try RenderCompiler.compile(timeline, resolve: { _ in source })
            #expect(!single.filterGraph.contains("sendcmd"))
            let expected = try #require(try CompiledGraphCLITests.render(single, in: dir).frames.first)
            #expect(frames[frame] == expected, "t=\(t)")
            #expect(brightPixels((320, 180, expected), rows: 0..<180) > 50, "t=\(t) shows text")
        }
        // By 2.5 s the keyframes have lifted the captions out of the bottom area.
        #expect(brightPixels((320, 180, frames[25]), rows: 0..<110) > 50 && brightPixels((320, 180, frames[25]), rows: 150..<180) == 0)
        for frame in [3, 11, 21, 29] {
            #expect(brightPixels((320, 180, frames[frame]), rows: 0..<180) == 0, "frame \(frame) shows no cue")
        }
    }
}
