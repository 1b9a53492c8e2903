import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Midpoint goldens for every xfade type of the spec: A (red with a white vertical bar at
/// x 40..<48 and a horizontal one at y 20..<28, a 440 Hz tone) → B (blue, a 1000 Hz tone),
/// 320×180 at 10 fps, a 1 s transition on the cut at 2 s: frames 15...24, midpoint frame 20
/// (xfade progress exactly 0.5).
extension CompiledGraphCLITests {
    typealias RGB = (r: Int, g: Int, b: Int)

    /// One decoded frame of the transition render.
    struct Picture {
        var pixels: [UInt8]
        var width: Int

        func at(_ x: Int, _ y: Int) -> RGB {
            let p = CompiledGraphCLITests.pixel(pixels, width: width, x: x, y: y)
            return (p.0, p.1, p.2)
        }

        func isA(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return p.r > 200 && p.g < 60 && p.b < 60 }
        func isB(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return p.b > 200 && p.r < 60 && p.g < 60 }
        func isWhite(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return min(p.r, p.g, p.b) > 200 }
        /// Half A, half B: purple.
        func isMix(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return (100...155).contains(p.r) && (100...155).contains(p.b) && p.g < 40 }
        /// Mostly A (red), but with a quarter or so of B (blue) in it.
        func partlyA(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return (140...215).contains(p.r) && (40...115).contains(p.b) }
        func partlyB(_ x: Int, _ y: Int) -> Bool { let p = at(x, y); return (40...115).contains(p.r) && (140...215).contains(p.b) }
        func near(_ x: Int, _ y: Int, _ colour: RGB, _ tolerance: Int) -> Bool {
            let p = at(x, y)
            return abs(p.r - colour.r) <= tolerance && abs(p.g - colour.g) <= tolerance && abs(p.b - colour.b) <= tolerance
        }
    }

    /// What identifies one transition type at its midpoint.
    struct MidpointGolden: Sendable, CustomTestStringConvertible {
        var type: Timeline.TransitionType
        var matches: @Sendable (Picture) -> Bool
        var testDescription: String { type.rawValue }

        static let all: [MidpointGolden] = [
            // The mix colour everywhere (exactly half: a frame off is 25 levels): the bar is half white, the pixel left of it half red.
            .init(type: .fade) { p in p.near(160, 90, (127, 0, 127), 12) && (90...170).contains(p.at(43, 90).g) && p.isMix(37, 90) },
            .init(type: .fadeblack) { p in let c = p.at(160, 90); return max(c.r, c.g, c.b) < 100 },
            .init(type: .fadewhite) { p in let c = p.at(160, 90); return min(c.r, c.g, c.b) > 150 },
            // Wipes: A stays in place (its bars where they were); slides: A moves out (its bars with it).
            .init(type: .wipeleft) { p in p.isA(100, 90) && p.isB(240, 90) && p.isWhite(43, 90) && p.isB(170, 170) },
            .init(type: .wiperight) { p in p.isB(100, 90) && p.isA(240, 90) && p.isB(43, 90) && p.isA(203, 90) },
            .init(type: .wipeup) { p in p.isA(160, 60) && p.isB(160, 150) && p.isWhite(100, 23) },
            .init(type: .wipedown) { p in p.isB(160, 60) && p.isB(100, 60) && p.isA(160, 150) && p.isA(240, 150) && p.isA(100, 113) },
            .init(type: .slideleft) { p in p.isA(100, 90) && p.isB(240, 90) && p.isA(43, 90) },
            .init(type: .slideright) { p in p.isB(100, 90) && p.isA(240, 90) && p.isWhite(203, 90) },
            .init(type: .slideup) { p in p.isA(160, 60) && p.isB(160, 150) && p.isA(100, 23) },
            .init(type: .slidedown) { p in p.isB(160, 60) && p.isA(160, 150) && p.isWhite(100, 113) },
            .init(type: .circleopen) { p in p.isB(160, 90) && p.isA(5, 5) && p.isA(5, 170) && p.isA(315, 5) && p.isA(315, 170) },
            .init(type: .circleclose) { p in p.isA(160, 90) && p.isB(5, 5) && p.isB(5, 170) && p.isB(315, 5) && p.isB(315, 170) },
            // Half swept, clockwise from the top: right half B, but just right of the bottom centre still A.
            .init(type: .radial) { p in p.isA(100, 90) && p.isB(240, 90) && p.at(170, 170).r > 200 },
            // Soft wipes: the centre is the mix, 40 px either side still partly the other clip.
            .init(type: .smoothleft) { p in p.isMix(160, 90) && p.partlyA(120, 90) && p.partlyB(200, 90) },
            .init(type: .smoothright) { p in p.isMix(160, 90) && p.partlyB(120, 90) && p.partlyA(200, 90) },
            // 9-pixel blocks sampled at their centres: the bar's block (36..<45) is the bar's colour.
            .init(type: .pixelize) { p in p.isMix(160, 90) && p.at(37, 90).g > 80 },
            // Zoomed into A's centre (red) all over, not yet fading.
            .init(type: .zoomin) { p in p.isA(160, 90) && p.isA(43, 90) && p.isA(240, 90) && p.isA(100, 23) },
        ]
    }

    /// A (red, bars, 440 Hz) and B (blue, 1000 Hz), 3.5 s each, made once (lossless, so edges stay sharp).
    static let transitionSources: [String: ResolvedSource]? = {
        guard let dir = try? FFmpegTool.temporaryDirectory() else { return nil }
        let info = MediaInfo(format: "mov,mp4", duration: 3.5, hasVideo: true, hasAudio: true, width: 320, height: 180, fps: 25, sampleRate: 48000, channels: 1)
        var table: [String: ResolvedSource] = [:]
        let pictures = [
            "A": "color=c=red:s=320x180:r=25:d=3.5,drawbox=x=40:y=0:w=8:h=180:c=white:t=fill,drawbox=x=0:y=20:w=320:h=8:c=white:t=fill",
            "B": "color=c=blue:s=320x180:r=25:d=3.5",
        ]
        for (name, tone) in [("A", 440), ("B", 1000)] {
            let path = dir.appendingPathComponent("\(name).mp4").path
            guard let picture = pictures[name], (try? FFmpegTool.run([
                "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", picture,
                "-f", "lavfi", "-i", "sine=frequency=\(tone):sample_rate=48000:d=3.5",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "3.5", path,
            ])) != nil else { return nil }
            table[name] = ResolvedSource(path: path, info: info)
        }
        return table
    }()

    /// Amplitude of the `frequency` component of channel 0 over `from..<to` seconds (Goertzel).
    static func amplitude(_ out: Rendered, frequency: Double, from: Double, to: Double) -> Double {
        let rate = 48000.0
        let first = Int(from * rate), last = Int(to * rate)
        let w = 2 * Double.pi * frequency / rate
        var s1 = 0.0, s2 = 0.0
        for n in first..<last {
            let s = Double(out.samples[n * out.channels]) + 2 * cos(w) * s1 - s2
            s2 = s1
            s1 = s
        }
        let power = s1 * s1 + s2 * s2 - 2 * cos(w) * s1 * s2
        return 2 * sqrt(max(0, power)) / Double(last - first)
    }

    static func transitionTimeline(_ type: Timeline.TransitionType) -> Timeline {
        typealias T = Timeline
        var b = T.Clip(id: "b", asset: .video(T.VideoAsset(src: "B")), start: 2, length: 2, trim: 1)
        b.transition = T.Transition(type: type, duration: 1)
        return T(output: T.Output(width: 320, height: 180, fps: 10), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "a", asset: .video(T.VideoAsset(src: "A")), start: 0, length: 2, trim: 0.5), b,
        ])])
    }

    @Test("every xfade type: its midpoint is recognisable, the span is frames 15...24, the sound crossfades", arguments: MidpointGolden.all)
    func transitionMidpoint(_ golden: MidpointGolden) throws {
        let sources = try #require(Self.transitionSources)
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try RenderCompiler.compile(Self.transitionTimeline(golden.type), resolve: { sources[$0] })
        let out = try Self.render(plan, in: dir)
        // Timeline positions do not move: 4 s at 10 fps, 4 s of sound.
        #expect(out.frames.count == 40)
        #expect(out.samples.count == 4 * 48000 * 2)
        guard out.frames.count == 40 else { return }
        let frames = out.frames.map { Picture(pixels: $0, width: 320) }

        let midpoint = frames[20]
        #expect(golden.matches(midpoint), "\(golden.type) midpoint: centre \(midpoint.at(160, 90)), left \(midpoint.at(100, 90)), right \(midpoint.at(240, 90)), bar \(midpoint.at(43, 90))")
        // The frame identifies the type: no other type's golden accepts it.
        let alike = MidpointGolden.all.filter { $0.type != golden.type && $0.matches(midpoint) }.map(\.type)
        #expect(alike.isEmpty, "\(golden.type)'s midpoint also looks like \(alike)")

        // Before the span and on its first frame (progress 1) A alone (wipes and slides may show one
        // line of B), after its last frame B alone. One frame later or earlier is ~17 levels off on average.
        func difference(_ x: Picture, _ y: Picture) -> Double {
            Double(zip(x.pixels, y.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(x.pixels.count)
        }
        #expect(difference(frames[14], frames[5]) < 0.1, "frame 14 is A")
        #expect(difference(frames[15], frames[5]) < 1.5, "the span's first frame is A: \(difference(frames[15], frames[5]))")
        #expect(difference(frames[25], frames[35]) < 0.1, "the frame after the span is B")
        if [.fade, .fadeblack, .fadewhite, .pixelize].contains(golden.type) {
            #expect(difference(frames[24], frames[35]) > 5, "the span's last frame is not B yet")
        }
        #expect(frames[5].isWhite(43, 90) && frames[5].isA(100, 90) && frames[35].isB(43, 90), "the clips themselves")

        // Sound: A's tone alone before the span, both at half level at the cut, B's alone after it.
        func level(_ tone: Double, _ from: Double, _ to: Double) -> Double { Self.amplitude(out, frequency: tone, from: from, to: to) }
        let fullA = level(440, 1, 1.4), fullB = level(1000, 2.6, 3)
        #expect(fullA > 0.05 && fullB > 0.05, "the tones: \(fullA), \(fullB)")
        #expect(level(1000, 1, 1.4) < fullB * 0.02 && level(440, 2.6, 3) < fullA * 0.02, "one tone at a time outside the span")
        let a = level(440, 1.95, 2.05) / fullA, b = level(1000, 1.95, 2.05) / fullB
        #expect(abs(a - 0.5) < 0.05 && abs(b - 0.5) < 0.05, "half of each tone at the cut: \(a), \(b)")
    }
}

/// Ranges and stills inside transition groups start every member at the window.
extension CompiledGraphCLITests {
    /// A moving test pattern (a frame counter, a sweeping square), so any frame shift shows.
    static let movingSource: ResolvedSource? = {
        guard let dir = try? FFmpegTool.temporaryDirectory() else { return nil }
        let path = dir.appendingPathComponent("moving.mp4").path
        guard (try? FFmpegTool.run([
            "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", "-g", "25", path,
        ])) != nil else { return nil }
        return ResolvedSource(path: path, info: MediaInfo(format: "mov,mp4", duration: 4, hasVideo: true, hasAudio: false, width: 320, height: 180, fps: 25))
    }()

    /// a → fade (frames 15...24) → b → wipeleft (frames 37...42) → c, 10 fps, 55 frames.
    static func movingGroup(range: Timeline.TimeRange? = nil) -> Timeline {
        typealias T = Timeline
        var b = T.Clip(id: "b", asset: .video(T.VideoAsset(src: "m")), start: 2, length: 2, trim: 1)
        b.transition = T.Transition(type: .fade, duration: 1)
        var c = T.Clip(id: "c", asset: .video(T.VideoAsset(src: "m")), start: 4, length: 1.5, trim: 0.2)
        c.transition = T.Transition(type: .wipeleft, duration: 0.6)
        return T(output: T.Output(width: 320, height: 180, fps: 10, audio: nil, range: range), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "a", asset: .video(T.VideoAsset(src: "m")), start: 0, length: 2, trim: 0.5), b, c,
        ])])
    }

    /// `covering`: the source is known to be opaque, so the track is the canvas itself (`base…` pieces, xfade
    /// only over the transitions); otherwise the group is one xfade chain overlaid on the background.
    @Test("a range starting inside or after a transition shows exactly the frames of the whole render",
          arguments: [0, 17, 21, 30, 38, 40, 44], [true, false])
    func rangeInsideTransitions(firstFrame: Int, covering: Bool) throws {
        var probed = try #require(Self.movingSource)
        if covering { probed.info.hasAlpha = false }
        let source = probed
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = try Self.render(try RenderCompiler.compile(Self.movingGroup(), resolve: { _ in source }), in: dir)
        #expect(whole.frames.count == 55)
        let start = Double(firstFrame) / 10
        let plan = try RenderCompiler.compile(Self.movingGroup(range: Timeline.TimeRange(start: start, end: start + 0.5)), resolve: { _ in source })
        let part = try Self.render(plan, in: dir)
        #expect(part.frames.count == 5)
        #expect(plan.filterGraph.contains("[base0]") == covering, "the track is the canvas")
        // Inside a transition both renders run the same xfade: identical. Without the covering canvas a
        // window showing one clip alone renders it without xfade, whose 4:4:4 round trip in the whole
        // render softens sharp chroma edges (testsrc2: a mean of ~2 levels; one frame off is ~10).
        let exact = covering || (15..<25).contains(firstFrame) || (37..<43).contains(firstFrame)
        for (index, frame) in part.frames.enumerated() where firstFrame + index < whole.frames.count {
            let differences = zip(frame, whole.frames[firstFrame + index]).map { abs(Int($0) - Int($1)) }
            let mean = Double(differences.reduce(0, +)) / Double(max(1, differences.count))
            #expect(exact ? differences.allSatisfy { $0 == 0 } : mean < 4, "frame \(firstFrame + index): mean difference \(mean), up to \(differences.max() ?? 0)")
        }
        // Every member seeks to the window (in source time: trim − head + frames into its stream), never before it.
        let seeks = Dictionary(uniqueKeysWithValues: plan.inputs.map { ($0.pad, $0.seek) })
        let expected: [String: Double] = [
            "t0c0_a_vin": 0.5 + start, "t0c1_b_vin": 1 - 0.5 + max(0, start - 1.5), "t0c2_c_vin": 0.2 - 0.3 + max(0, start - 3.7),
        ]
        for (pad, seek) in seeks {
            let want = try #require(expected[pad])
            #expect(abs(seek - max(0, want)) < 1e-6, "\(pad) seeks to \(seek), not \(want)")
        }
    }
}

/// Transitions from and into text, and between pictures that do not cover the canvas.
extension CompiledGraphCLITests {
    static func textTimeline(clips: [Timeline.Clip]) -> Timeline {
        Timeline(output: Timeline.Output(width: 320, height: 180, fps: 10, audio: nil), background: "#0000FF", tracks: [Timeline.Track(id: "v", clips: clips)])
    }

    static let title = Timeline.Clip(
        id: "title", asset: .text(Timeline.TextAsset(text: "HELLO", font: Timeline.Font(size: 60, weight: .bold, color: "#FFFF00"))), start: 2, length: 2)

    @Test("a small colour dissolves into text, the text into video, each over the canvas as the spec's dissolve")
    func textTransitions() throws {
        let sources = try #require(Self.transitionSources)
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        typealias T = Timeline
        var title = Self.title
        title.transition = T.Transition(type: .fade, duration: 1)
        var video = T.Clip(id: "a", asset: .video(T.VideoAsset(src: "A")), start: 4, length: 2, trim: 0.5)
        video.transition = T.Transition(type: .fade, duration: 1)
        let green = T.Clip(id: "green", asset: .color(T.ColorAsset(color: "#00FF00")), start: 0, length: 2, scale: 0.5)
        let plan = try RenderCompiler.compile(Self.textTimeline(clips: [green, title, video]), resolve: { sources[$0] })
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 60)
        guard out.frames.count == 60 else { return }
        let frames = out.frames.map { Picture(pixels: $0, width: 320) }
        // The same text drawn straight onto the canvas, as a clip without transitions is.
        let reference = try Self.render(try RenderCompiler.compile(Self.textTimeline(clips: [Self.title]), resolve: { _ in nil }), in: dir)
        let alone = try #require(reference.frames.count > 30 ? Picture(pixels: reference.frames[30], width: 320) : nil)
        var glyphs: [(Int, Int)] = []
        for y in 0..<180 {
            for x in 0..<320 {
                let p = alone.at(x, y)
                if p.r > 230 && p.g > 230 && p.b < 30 { glyphs.append((x, y)) }
            }
        }
        #expect(glyphs.count > 1000, "the reference shows the text: \(glyphs.count) pixels")

        func close(_ p: RGB, _ q: RGB, _ tolerance: Int = 14) -> Bool {
            abs(p.r - q.r) <= tolerance && abs(p.g - q.g) <= tolerance && abs(p.b - q.b) <= tolerance
        }
        func mean(_ picture: Picture, _ points: [(Int, Int)]) -> RGB {
            let sum = points.reduce((0, 0, 0)) { s, point in let p = picture.at(point.0, point.1); return (s.0 + p.r, s.1 + p.g, s.2 + p.b) }
            return (sum.0 / max(1, points.count), sum.1 / max(1, points.count), sum.2 / max(1, points.count))
        }
        // The text on its layer, between the transitions, looks like the text drawn on the canvas.
        let differences = zip(frames[30].pixels, alone.pixels).map { abs(Int($0) - Int($1)) }
        let meanDifference = Double(differences.reduce(0, +)) / Double(differences.count)
        #expect(meanDifference < 0.5 && (differences.max() ?? 0) < 100, "layered text vs canvas text: mean \(meanDifference), max \(differences.max() ?? 0)")

        // Colour → text at its midpoint: the canvas where neither is, half green and half canvas in the rectangle
        // away from the glyphs, half yellow on them: never the colour of a transparent pixel.
        #expect(close(frames[20].at(10, 170), (0, 0, 255)), "corner \(frames[20].at(10, 170))")
        #expect(close(frames[20].at(90, 130), (0, 128, 127)), "green half over blue \(frames[20].at(90, 130))")
        let insideRectangle = glyphs.filter { (84..<236).contains($0.0) && (49..<131).contains($0.1) }
        #expect(close(mean(frames[20], insideRectangle), (127, 255, 0), 24), "yellow half over green \(mean(frames[20], insideRectangle))")
        // Text → video at its midpoint: half canvas, half video off the glyphs; half yellow, half red on them.
        #expect(close(frames[40].at(10, 170), (127, 0, 127)), "red half over blue \(frames[40].at(10, 170))")
        #expect(close(mean(frames[40], glyphs.filter { !(40..<48).contains($0.0) && !(20..<28).contains($0.1) }), (255, 127, 0), 24),
                "yellow half over red \(mean(frames[40], glyphs))")
        #expect(close(frames[10].at(10, 170), (0, 0, 255)) && close(frames[10].at(160, 90), (0, 255, 0)))
        #expect(frames[50].isA(100, 90) && frames[50].isWhite(43, 90))
    }
}

extension CompiledGraphCLITests {
    @Test("a picture moved by keyframes keeps moving through its transition, placed by clip time")
    func movingPictureInTransition() throws {
        let sources = try #require(Self.transitionSources)
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        typealias T = Timeline
        // Half size, centred, sliding from a quarter canvas left of centre (clip time 0) to a quarter right (2 s).
        var a = T.Clip(id: "a", asset: .video(T.VideoAsset(src: "A")), start: 0, length: 2, trim: 0.5, scale: 0.5)
        a.animate = [T.Animation(property: .offsetX, keys: [T.Keyframe(t: 0, value: -0.25), T.Keyframe(t: 2, value: 0.25)])]
        var b = T.Clip(id: "b", asset: .video(T.VideoAsset(src: "B")), start: 2, length: 2, trim: 1)
        b.transition = T.Transition(type: .fade, duration: 1)
        let timeline = T(output: T.Output(width: 320, height: 180, fps: 10, audio: nil), tracks: [T.Track(id: "v", clips: [a, b])])
        let out = try Self.render(try RenderCompiler.compile(timeline, resolve: { sources[$0] }), in: dir)
        #expect(out.frames.count == 40)
        guard out.frames.count == 40 else { return }
        let frames = out.frames.map { Picture(pixels: $0, width: 320) }
        func near(_ p: RGB, _ q: RGB) -> Bool { abs(p.r - q.r) <= 14 && abs(p.g - q.g) <= 14 && abs(p.b - q.b) <= 14 }
        // At 1 s the picture is centred (x 80..<240) over the black canvas.
        #expect(frames[10].isA(160, 90) && near(frames[10].at(40, 90), (0, 0, 0)) && near(frames[10].at(280, 90), (0, 0, 0)))
        // At the cut (2 s) it spans x 160..<320: half red there, half blue over black elsewhere.
        #expect(near(frames[20].at(240, 90), (127, 0, 127)), "moved picture \(frames[20].at(240, 90))")
        #expect(near(frames[20].at(100, 90), (0, 0, 127)), "left of it \(frames[20].at(100, 90))")
        #expect(frames[30].isB(240, 90))
    }
}
