import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Golden renders of compiled timelines with effects, keyframes, speed and text, through the
/// in-process executor, checked on the decoded file. 160×90 and ≤ 2.5 s each.
extension RenderExecutorTests {
    /// Resolves fixture names, probing them with the engine's own probe.
    private func fixtures(_ names: [String]) throws -> SourceResolver {
        var table: [String: ResolvedSource] = [:]
        for name in names {
            let path = try Fixtures.path(name)
            table[name] = ResolvedSource(path: path, info: try MediaProbe.probe(path: path))
        }
        let sources = table
        return { sources[$0] }
    }

    private func render(_ timeline: Timeline, _ resolve: SourceResolver, name: String) throws -> String {
        let plan = try RenderCompiler.compile(timeline, resolve: resolve)
        let output = Fixtures.outputPath(name)
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        return output
    }

    @Test("golden: grayscale, flip, rotate 90 and eased opacity on decoded frames")
    func goldenEffects() throws {
        typealias T = Timeline
        let resolve = try fixtures(["halves.mp4"])
        let halves = T.Asset.video(T.VideoAsset(src: "halves.mp4"))
        var fade = T.Clip(id: "fade", asset: .color(T.ColorAsset(color: "#FFFFFF")), start: 1.5, length: 0.5)
        fade.animate = [T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 0.4, value: 1, easing: .easeIn)])]
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "gray", asset: halves, start: 0, length: 0.5, fit: .fill, effects: [.grayscale]),
            T.Clip(id: "flip", asset: halves, start: 0.5, length: 0.5, fit: .fill, effects: [.flip(horizontal: true, vertical: false)]),
            T.Clip(id: "turn", asset: halves, start: 1, length: 0.5, fit: .fill, effects: [.rotate(degrees: 90)]),
            fade,
        ])])
        let output = try render(timeline, resolve, name: "fx")
        let probed = try Tool.probe(output, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        #expect((probed["streams"] as? [[String: Any]])?.first?["nb_read_frames"] as? String == "50")

        let gray = Tool.average(try Tool.rgb(output, at: 0.2), rows: 30..<60, columns: 10..<60)
        #expect(abs(gray.r - gray.g) < 8 && abs(gray.g - gray.b) < 8 && gray.r > 40, "grayscale of red: \(gray)")
        let flipped = try Tool.rgb(output, at: 0.7)
        let left = Tool.average(flipped, rows: 30..<60, columns: 10..<60), right = Tool.average(flipped, rows: 30..<60, columns: 100..<150)
        #expect(left.b > 200 && left.r < 40 && right.r > 200 && right.b < 40, "flip: \(left) \(right)")
        let turned = try Tool.rgb(output, at: 1.2)
        let top = Tool.average(turned, rows: 5..<35, columns: 40..<120), bottom = Tool.average(turned, rows: 55..<85, columns: 40..<120)
        #expect(top.r > 200 && top.b < 40 && bottom.b > 200 && bottom.r < 40, "rotate 90: \(top) \(bottom)")
        // White over black with opacity easeIn 0→1 over 0.4 s: at 0.2 s in, 0.25.
        let eased = Tool.average(try Tool.rgb(output, at: 1.7))
        #expect(abs(eased.g - 255 * 0.25) < 12, "opacity at the midpoint: \(eased)")
        let full = Tool.average(try Tool.rgb(output, at: 1.96))
        #expect(full.g > 240, "opacity after the last key: \(full)")
    }

    @Test("golden: a 2× clip lasts half as long, shows source time 2t, keeps its sound")
    func goldenSpeed() throws {
        typealias T = Timeline
        let resolve = try fixtures(["redblue.mp4", "red.mp4"])
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, video: T.VideoSettings(preset: .ultrafast)), tracks: [
            T.Track(id: "v", clips: [T.Clip(id: "fast", asset: .video(T.VideoAsset(src: "redblue.mp4")), start: 0, speed: 2)]),
            T.Track(id: "a", clips: [T.Clip(id: "tone", asset: .audio(T.AudioAsset(src: "red.mp4")), start: 0, speed: 2)]),
        ])
        let output = try render(timeline, resolve, name: "speed")
        let json = try Tool.probe(output, ["-count_frames", "-show_entries", "stream=codec_type,nb_read_frames,duration"])
        let streams = try #require(json["streams"] as? [[String: Any]])
        let video = try #require(streams.first { $0["codec_type"] as? String == "video" })
        let audio = try #require(streams.first { $0["codec_type"] as? String == "audio" })
        // redblue.mp4 lasts 5 s: 2.5 s at 2×.
        #expect(video["nb_read_frames"] as? String == "63")
        let durationText = try #require(audio["duration"] as? String)
        let audioDuration = try #require(Double(durationText))
        #expect(abs(audioDuration - 2.52) < 0.05, "audio duration \(audioDuration)")
        // Source red until 2.5 s, blue after: timeline 1.0 s is source 2.0 (red), 1.5 s is 3.0 (blue).
        let early = Tool.average(try Tool.rgb(output, at: 1.0)), late = Tool.average(try Tool.rgb(output, at: 1.5))
        #expect(early.r > 200 && early.b < 40, "1.0 s shows source 2.0 s: \(early)")
        #expect(late.b > 200 && late.r < 40, "1.5 s shows source 3.0 s: \(late)")

        let sound = try Tool.sound(output)
        let samples = sound.samples
        func rms(_ from: Double, _ to: Double) -> Double { sound.rms(from, to) }
        // red.mp4's 2 s tone plays for 1 s at 2×, at its own pitch (440 Hz: 880 zero crossings a second).
        #expect(rms(0.1, 0.9) > 0.05, "tone RMS \(rms(0.1, 0.9))")
        #expect(rms(1.1, 2.4) < 0.002, "silence after 1 s: \(rms(1.1, 2.4))")
        let window = Array(samples[800..<7200])
        let crossings = zip(window, window.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(Double(crossings) / 0.8 / 2 - 440) < 20, "pitch \(Double(crossings) / 1.6) Hz")
    }

    @Test("golden: centred two-line text in a box: text colour inside, box colour around it")
    func goldenText() throws {
        typealias T = Timeline
        let text = T.TextAsset(text: "CUT\nROOM", font: T.Font(size: 24, weight: .bold, color: "#FFFF00"), align: .center, box: T.Box(color: "#0000FF", padding: 6))
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, video: T.VideoSettings(preset: .ultrafast), audio: nil), background: "#000000",
                         tracks: [T.Track(id: "t", clips: [T.Clip(id: "title", asset: .text(text), start: 0, length: 0.4)])])
        let output = try render(timeline, { _ in nil }, name: "text")
        let picture = try Tool.rgb(output, at: 0.2)
        var yellow = 0, blue = 0
        var blueRows: [Int] = []
        for y in 0..<90 {
            var rowBlue = false
            for x in 0..<160 {
                let i = (y * 160 + x) * 3
                let (r, g, b) = (Int(picture.pixels[i]), Int(picture.pixels[i + 1]), Int(picture.pixels[i + 2]))
                if r > 180 && g > 180 && b < 100 { yellow += 1 }
                if b > 180 && r < 70 && g < 70 { blue += 1; rowBlue = true }
            }
            if rowBlue { blueRows.append(y) }
        }
        #expect(yellow > 100, "yellow text pixels: \(yellow)")
        #expect(blue > 600, "blue box pixels: \(blue)")
        // Both lines' boxes together are centred vertically on the canvas.
        let first = try #require(blueRows.first), last = try #require(blueRows.last)
        #expect(abs(Double(first + last) / 2 - 44.5) < 4, "boxes span rows \(first)...\(last)")
        let corner = Tool.average(picture, rows: 0..<5, columns: 0..<5)
        #expect(corner.r < 20 && corner.b < 20, "background outside the box: \(corner)")
    }
}
