import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Effects, keyframes, speed and text layout through the real libavfilter (ffmpeg CLI), checked
/// on decoded pixels and samples. Tiny sources (160×90, ≤ 3 s) keep CI fast.
extension CompiledGraphCLITests {
    /// Generates `name` in `dir` from a lavfi graph (video only unless `audio` is given).
    static func source(_ dir: URL, _ name: String, _ graph: String, audio: String? = nil) throws -> String {
        let path = dir.appendingPathComponent(name).path
        var arguments = ["-hide_banner", "-v", "error", "-y", "-filter_complex", graph]
        if let audio { arguments += ["-f", "lavfi", "-i", audio, "-c:a", "aac", "-shortest"] }
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25", path]
        try FFmpegTool.run(arguments)
        return path
    }

    /// Left half red, right half blue, 160×90 at 25 fps for 2 s.
    static func halves(_ dir: URL) throws -> ResolvedSource {
        let path = try source(dir, "halves.mp4", "color=c=red:s=80x90:r=25:d=2[l];color=c=blue:s=80x90:r=25:d=2[r];[l][r]hstack")
        return ResolvedSource(path: path, info: MediaInfo(format: "mov,mp4", duration: 2, hasVideo: true, hasAudio: false, width: 160, height: 90, fps: 25))
    }

    static func near(_ p: (Int, Int, Int), _ q: (Int, Int, Int), _ tolerance: Int = 40) -> Bool {
        abs(p.0 - q.0) <= tolerance && abs(p.1 - q.1) <= tolerance && abs(p.2 - q.2) <= tolerance
    }

    @Test("effects change the pixels they should: grayscale, flip, crop, rotate, sepia, colour, blur, chromakey")
    func effectPixels() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let halves = try Self.halves(dir)
        func clip(_ index: Int, _ asset: T.Asset, _ effects: [T.Effect]) -> T.Clip {
            T.Clip(id: "e\(index)", asset: asset, start: Double(index) * 0.2, length: 0.2, effects: effects)
        }
        let video = T.Asset.video(T.VideoAsset(src: "halves"))
        let red = T.Asset.color(T.ColorAsset(color: "#FF0000"))
        let clips = [
            clip(0, video, [.grayscale]),
            clip(1, video, [.flip(horizontal: true, vertical: false)]),
            clip(2, video, [.crop(x: 0.5, y: 0, width: 0.5, height: 1)]),
            clip(3, video, [.rotate(degrees: 90)]),
            clip(4, red, [.sepia]),
            clip(5, red, [.color(brightness: 0, contrast: 1, saturation: 0)]),
            clip(6, video, [.blur(amount: 8)]),
            clip(7, .color(T.ColorAsset(color: "#00FF00")), [.chromakey(color: "#00FF00", similarity: 0.1, blend: 0.05)]),
            clip(8, red, [.rotate(degrees: 45)]),
        ]
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, audio: nil), background: "#000080", tracks: [T.Track(id: "fx", clips: clips)])
        let plan = try RenderCompiler.compile(timeline, resolve: { $0 == "halves" ? halves : nil })
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 45)
        for clip in 0..<9 { try Self.save(out.frames[clip * 5 + 2], width: 160, height: 90, as: "effect\(clip)", in: dir) }
        func px(_ clip: Int, _ x: Int, _ y: Int) -> (Int, Int, Int) { Self.pixel(out.frames[clip * 5 + 2], width: 160, x: x, y: y) }
        let gray = px(0, 20, 45)
        #expect(abs(gray.0 - gray.1) < 10 && abs(gray.1 - gray.2) < 10 && gray.0 > 40, "grayscale red \(gray)")
        #expect(Self.near(px(1, 20, 45), (0, 0, 255)) && Self.near(px(1, 140, 45), (255, 0, 0)), "flip moves blue left")
        #expect(Self.near(px(2, 10, 45), (0, 0, 255)) && Self.near(px(2, 150, 45), (0, 0, 255)), "crop of the right half is all blue")
        #expect(Self.near(px(3, 80, 10), (255, 0, 0)) && Self.near(px(3, 80, 80), (0, 0, 255)), "rotate 90 puts the left (red) on top")
        #expect(Self.near(px(4, 80, 45), (100, 89, 69), 12), "sepia red \(px(4, 80, 45))")
        let desaturated = px(5, 80, 45)
        #expect(abs(desaturated.0 - desaturated.2) < 10 && abs(desaturated.0 - desaturated.1) < 10, "saturation 0 \(desaturated)")
        let edge = px(6, 80, 45), far = px(6, 5, 45)
        #expect(edge.0 > 60 && edge.0 < 200 && edge.2 > 60 && edge.2 < 200, "blur mixes at the edge \(edge)")
        #expect(Self.near(far, (255, 0, 0), 30), "blur leaves far pixels \(far)")
        #expect(Self.near(px(7, 80, 45), (0, 0, 128), 20), "keyed green shows the background \(px(7, 80, 45))")
        #expect(Self.near(px(8, 80, 45), (255, 0, 0)) && Self.near(px(8, 2, 2), (0, 0, 128), 20), "rotate 45: centre red, corner transparent")
    }

    @Test("Ken Burns moves smoothly: on every frame the red/blue edge is within 2 px of the linear move, never back")
    func kenBurnsSmooth() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let halves = try Self.halves(dir)
        let clip = T.Clip(id: "kb", asset: .video(T.VideoAsset(src: "halves")), start: 0, length: 2,
                          effects: [.kenburns(from: T.KenBurnsFrame(scale: 1, x: 0, y: 0), to: T.KenBurnsFrame(scale: 2, x: 0.5, y: 0))])
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, audio: nil), tracks: [T.Track(id: "v", clips: [clip])])
        let out = try Self.render(try RenderCompiler.compile(timeline, resolve: { _ in halves }), in: dir)
        #expect(out.frames.count == 50)
        for frame in [0, 25, 49] { try Self.save(out.frames[frame], width: 160, height: 90, as: "kenburns\(frame)", in: dir) }
        // The edge position from the row's red mass; expected: view [80p, 160] of the source.
        var edges: [Double] = []
        for (index, frame) in out.frames.enumerated() {
            // Pixels redder than blue: 4:2:0 chroma puts the edge on even columns, hence ±2.
            let red = Double((0..<160).filter { let p = Self.pixel(frame, width: 160, x: $0, y: 45); return p.0 > p.2 }.count)
            let p = Double(index) / 49
            let expected = (80 - 80 * p) / (160 - 80 * p) * 160
            #expect(abs(red - expected) <= 2, "frame \(index): edge \(red), expected \(expected)")
            edges.append(red)
        }
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $1 <= $0 }, "monotonic: \(edges)")
    }

    @Test("keyframes: eased opacity, moving and growing picture, volume ramp")
    func keyframePixels() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tone = dir.appendingPathComponent("tone.wav").path
        try FFmpegTool.run(["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=2", tone])
        let toneInfo = MediaInfo(format: "wav", duration: 2, hasVideo: false, hasAudio: true, sampleRate: 48000, channels: 1)
        var fade = T.Clip(id: "o", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0, length: 2)
        fade.animate = [T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 1, value: 1, easing: .easeInOut)])]
        var box = T.Clip(id: "b", asset: .color(T.ColorAsset(color: "#0000FF")), start: 0, length: 2, position: .topLeft)
        box.animate = [
            T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 0.25), T.Keyframe(t: 1, value: 0.5)]),
            T.Animation(property: .offsetX, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 2, value: 0.5)]),
        ]
        var music = T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "tone")), start: 0, length: 2)
        music.animate = [T.Animation(property: .volume, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 2, value: 1)])]
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25), tracks: [
            T.Track(id: "fade", clips: [fade]), T.Track(id: "box", clips: [box]), T.Track(id: "music", clips: [music]),
        ])
        let plan = try RenderCompiler.compile(timeline, resolve: { $0 == "tone" ? ResolvedSource(path: tone, info: toneInfo) : nil })
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 50)
        for frame in [0, 5, 10, 13, 20, 25, 40] {
            let p = min(1, Double(frame) / 25)
            let expected = 255 * KeyframeCurve.ease(.easeInOut, p)
            let r = Self.pixel(out.frames[frame], width: 160, x: 150, y: 80).0
            #expect(abs(Double(r) - expected) < 8, "opacity at frame \(frame): \(r), expected \(expected)")
        }
        // Blue box: 40×22 at x 0 on frame 0; at frame 25 (1 s) 80×44 at x 40 (offset 0.25 × 160).
        func blueSpan(_ frame: Int) -> (start: Int, width: Int) {
            let blue = (0..<160).filter { Self.pixel(out.frames[frame], width: 160, x: $0, y: 5).2 > 150 }
            return (blue.first ?? -1, blue.count)
        }
        let first = blueSpan(0), middle = blueSpan(25), last = blueSpan(49)
        #expect(first.start == 0 && abs(first.width - 40) <= 2, "frame 0 \(first)")
        #expect(abs(middle.start - 40) <= 2 && abs(middle.width - 80) <= 2, "frame 25 \(middle)")
        #expect(abs(last.start - 78) <= 3 && last.width >= 78, "frame 49 \(last)")
        func rms(_ from: Double, _ to: Double) -> Double {
            let slice = out.samples[(Int(from * 48000) * 2)..<(Int(to * 48000) * 2)]
            return (slice.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, slice.count))).squareRoot()
        }
        let quarter = rms(0.45, 0.55), half = rms(0.95, 1.05), most = rms(1.45, 1.55)
        #expect(abs(half / most - 1.0 / 1.5) < 0.06 && abs(quarter / most - 0.5 / 1.5) < 0.06, "volume ramps: \(quarter) \(half) \(most)")
    }

    /// Average zero crossings per second of the left channel in a span: twice the frequency.
    static func frequency(_ samples: [Float], from: Double, to: Double) -> Double {
        let a = Int(from * 48000), b = Int(to * 48000)
        var crossings = 0
        for i in a..<(b - 1) where (samples[i * 2] < 0) != (samples[(i + 1) * 2] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (to - from)
    }

    @Test("speed: 2× shows source time 2t and lasts half as long; 0.5× and 4× too; sound keeps its pitch", arguments: [2.0, 0.5, 4.0])
    func speedPixels(speed: Double) throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.source(
            dir, "stripes.mp4",
            "color=c=red:s=160x90:r=25:d=1[a];color=c=lime:s=160x90:r=25:d=1[b];color=c=blue:s=160x90:r=25:d=1[c];[a][b][c]concat=n=3:v=1:a=0",
            audio: "sine=frequency=440:sample_rate=48000:d=3")
        let info = MediaInfo(format: "mov,mp4", duration: 3, hasVideo: true, hasAudio: true, width: 160, height: 90, fps: 25, sampleRate: 48000, channels: 1)
        var clip = T.Clip(id: "s", asset: .video(T.VideoAsset(src: "s")), start: 0, trim: 0.2, speed: speed)
        if speed < 1 { clip.length = 3 }
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25), tracks: [T.Track(id: "v", clips: [clip])])
        let plan = try RenderCompiler.compile(timeline, resolve: { _ in ResolvedSource(path: path, info: info) })
        let length = speed < 1 ? 3 : 2.8 / speed
        #expect(plan.totalFrames == FrameClock(rate: Rational(25, 1)).frame(at: length))
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == plan.totalFrames)
        #expect(out.samples.count == plan.totalFrames * 1920 * 2)
        func colour(_ frame: Int) -> String {
            let (r, g, b) = Self.pixel(out.frames[frame], width: 160, x: 80, y: 45)
            return r > 200 && g < 60 ? "red" : g > 200 && r < 60 ? "lime" : b > 200 && r < 60 ? "blue" : "(\(r),\(g),\(b))"
        }
        // Timeline frame n shows source time 0.2 + n/25 × speed; check away from the colour changes.
        for frame in 0..<plan.totalFrames {
            let sourceTime = 0.2 + Double(frame) / 25 * speed
            let distance = min(abs(sourceTime - 1), abs(sourceTime - 2))
            guard distance > 0.05 * speed + 0.02 else { continue }
            let expected = sourceTime < 1 ? "red" : sourceTime < 2 ? "lime" : "blue"
            #expect(colour(frame) == expected, "frame \(frame) (source \(sourceTime))")
        }
        let duration = Double(plan.totalFrames) / 25
        let pitch = Self.frequency(out.samples, from: 0.1, to: duration - 0.1)
        #expect(abs(pitch - 440) < 15, "pitch kept at \(speed)×: \(pitch) Hz")
    }

    @Test("multi-line text: centred lines on one pitch, boxes around them, text colour inside")
    func multilineText() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = T.TextAsset(
            text: "Hi\nWide line", font: T.Font(size: 20, weight: .bold, color: "#FFFF00"), align: .center,
            box: T.Box(color: "#0000FF", padding: 4), outline: T.Outline(color: "#000000", width: 1))
        let clip = T.Clip(id: "t", asset: .text(text), start: 0, length: 0.2)
        let timeline = T(output: T.Output(width: 160, height: 90, fps: 25, audio: nil), background: "#404040", tracks: [T.Track(id: "t", clips: [clip])])
        let plan = try RenderCompiler.compile(timeline, resolve: { _ in nil })
        let out = try Self.render(plan, in: dir)
        let frame = out.frames[0]
        try Self.save(frame, width: 160, height: 90, as: "multiline", in: dir)
        // Rows of each line: columns that are box blue or text yellow, per row.
        func isBox(_ p: (Int, Int, Int)) -> Bool { p.2 > 180 && p.0 < 80 && p.1 < 80 }
        func isText(_ p: (Int, Int, Int)) -> Bool { p.0 > 180 && p.1 > 180 && p.2 < 100 }
        var spans: [(row: Int, left: Int, right: Int)] = []
        var textPixels = 0
        for y in 0..<90 {
            let marked = (0..<160).filter { let p = Self.pixel(frame, width: 160, x: $0, y: y); return isBox(p) || isText(p) }
            textPixels += (0..<160).filter { isText(Self.pixel(frame, width: 160, x: $0, y: y)) }.count
            if let left = marked.first, let right = marked.last { spans.append((y, left, right)) }
        }
        #expect(textPixels > 40, "yellow text is drawn")
        let centres = spans.map { Double($0.left + $0.right) / 2 }
        #expect(centres.allSatisfy { abs($0 - 79.5) <= 2 }, "every line is centred: \(centres)")
        let widths = Set(spans.map { $0.right - $0.left })
        #expect(widths.count >= 2, "the two lines have their own widths")
        #expect(Self.near(Self.pixel(frame, width: 160, x: 2, y: 2), (64, 64, 64), 6), "background around the boxes")
    }

    /// With `CUTROOM_SAVE_FRAMES=<folder>` set, writes an RGB frame there as `<name>.png` to look at.
    static func save(_ frame: [UInt8], width: Int, height: Int, as name: String, in dir: URL) throws {
        guard let folder = ProcessInfo.processInfo.environment["CUTROOM_SAVE_FRAMES"] else { return }
        let path = URL(fileURLWithPath: folder).appendingPathComponent("\(name).png").path
        let raw = dir.appendingPathComponent("\(name).rgb")
        try Data(frame).write(to: raw)
        try FFmpegTool.run(["-hide_banner", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-i", raw.path, path])
    }
}
