import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Runs compiled graphs through the ffmpeg CLI, with each plan input opened by `-i` from its
/// start (the CLI subtracts the file's start time, as the executor does), to prove the
/// description parses and yields exact frame/sample counts and the right pixels.
@Suite("Compiled graph through ffmpeg", .tags(.slow))
struct CompiledGraphCLITests {
    struct Rendered {
        var frames: [[UInt8]]
        var samples: [Float]
        var channels: Int
    }

    /// Renders `plan` to raw RGB frames and interleaved float samples.
    static func render(_ plan: RenderPlan, in dir: URL) throws -> Rendered {
        var graph = plan.filterGraph
        var arguments = ["-hide_banner", "-v", "error", "-y"]
        for (index, input) in plan.inputs.enumerated() {
            arguments += ["-i", input.path]
            graph = graph.replacingOccurrences(of: "[\(input.pad)]", with: "[\(index):\(input.media == .video ? "v" : "a")]")
        }
        let video = dir.appendingPathComponent("out.rgb").path
        let audio = dir.appendingPathComponent("out.f32").path
        arguments += ["-filter_complex", graph, "-map", "[vout]", "-f", "rawvideo", "-pix_fmt", "rgb24", video]
        if plan.output.audioCodec != nil {
            arguments += ["-map", "[aout]", "-f", "f32le", audio]
        }
        try FFmpegTool.run(arguments)
        let frameSize = plan.output.width * plan.output.height * 3
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: video)))
        #expect(bytes.count % frameSize == 0)
        let frames = stride(from: 0, to: bytes.count, by: frameSize).map { Array(bytes[$0..<min(bytes.count, $0 + frameSize)]) }
        var samples: [Float] = []
        if plan.output.audioCodec != nil {
            let data = try Data(contentsOf: URL(fileURLWithPath: audio))
            samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        return Rendered(frames: frames, samples: samples, channels: plan.output.channels)
    }

    static func pixel(_ frame: [UInt8], width: Int, x: Int, y: Int) -> (Int, Int, Int) {
        let i = (y * width + x) * 3
        return (Int(frame[i]), Int(frame[i + 1]), Int(frame[i + 2]))
    }

    static func makeFixtures(_ dir: URL) throws -> (video: String, image: String) {
        let video = dir.appendingPathComponent("clip.mp4").path
        try FFmpegTool.run([
            "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:d=4",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", "-shortest", video,
        ])
        let image = dir.appendingPathComponent("red.png").path
        try FFmpegTool.run(["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", image])
        return (video, image)
    }

    @Test("video, image, colour, text and audio clips render with exact counts and placement")
    func fullGraph() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixtures = try Self.makeFixtures(dir)
        let videoInfo = MediaInfo(format: "mov,mp4", duration: 4, hasVideo: true, hasAudio: true, width: 320, height: 240, fps: 25, sampleRate: 44100, channels: 1)
        let imageInfo = MediaInfo(format: "png_pipe", duration: 0, hasVideo: true, hasAudio: false, width: 64, height: 64, isImage: true)
        let resolve: SourceResolver = { src in
            switch src {
            case "clip.mp4": return ResolvedSource(path: fixtures.video, info: videoInfo)
            case "red.png": return ResolvedSource(path: fixtures.image, info: imageInfo)
            default: return nil
            }
        }
        typealias T = Timeline
        let timeline = T(
            output: T.Output(width: 320, height: 180, fps: 29.97),
            background: "#202020",
            tracks: [
                T.Track(id: "main", clips: [
                    T.Clip(id: "a", asset: .video(T.VideoAsset(src: "clip.mp4", audio: false)), start: 0, length: 2, trim: 1),
                    T.Clip(id: "b", asset: .video(T.VideoAsset(src: "clip.mp4", audio: false)), start: 2, length: 1.5, fit: .contain, fadeIn: 0.5),
                ]),
                T.Track(id: "overlays", clips: [
                    T.Clip(id: "logo", asset: .image(T.ImageAsset(src: "red.png")), start: 0.5, length: 2.5, fit: T.Fit.none, position: .topRight, opacity: 0.8),
                    T.Clip(id: "title", asset: .text(T.TextAsset(text: "Hello, [world]: it's 100%; \\o/", box: T.Box()))
                           , start: 0.2, length: 0.3, position: .bottom, offset: T.Offset(x: 0, y: -0.1), fadeIn: 0.1),
                    T.Clip(id: "blue", asset: .color(T.ColorAsset(color: "#0000FF")), start: 3, length: 0.5, scale: 0.5, position: .bottomLeft),
                ]),
                T.Track(id: "late", clips: [
                    T.Clip(id: "pip", asset: .video(T.VideoAsset(src: "clip.mp4")), start: 3, length: 0.5, fit: T.Fit.none, scale: 0.25, position: .topLeft, volume: 0),
                ]),
                T.Track(id: "music", clips: [
                    T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "clip.mp4")), start: 1, length: 2, trim: 0.5, fadeOut: 1),
                ]),
            ])
        let plan = try RenderCompiler.compile(timeline, resolve: resolve)
        #expect(plan.totalFrames == 105)
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 105)
        let totalSamples = 105 * 48000 * 1001 / 30000
        #expect(out.samples.count == totalSamples * 2)

        // Background shows left of the contained clip "b"; the half-transparent red logo sits over it top right.
        let bg = Self.pixel(out.frames[70], width: 320, x: 10, y: 45)
        #expect(abs(bg.0 - 32) < 8 && abs(bg.1 - 32) < 8 && abs(bg.2 - 32) < 8, "background \(bg)")
        let logo = Self.pixel(out.frames[70], width: 320, x: 300, y: 20)
        #expect(logo.0 > 190 && logo.0 < 230 && logo.1 < 40 && logo.2 < 40, "logo \(logo)")
        // "b" fades in from fully transparent at its first frame (frame 60 = 2.002 s).
        let fadeStart = Self.pixel(out.frames[60], width: 320, x: 160, y: 90)
        #expect(abs(fadeStart.0 - 32) < 8 && abs(fadeStart.1 - 32) < 8 && abs(fadeStart.2 - 32) < 8, "fade start \(fadeStart)")
        // The blue rectangle (half the canvas) at the bottom left from 3 s.
        let blue = Self.pixel(out.frames[96], width: 320, x: 20, y: 170)
        #expect(blue.0 < 30 && blue.1 < 30 && blue.2 > 220, "blue \(blue)")
        let notBlueYet = Self.pixel(out.frames[80], width: 320, x: 20, y: 170)
        #expect(notBlueYet.2 < 100, "before blue \(notBlueYet)")

        // Only "m" sounds: silent before 1 s (frame 30 = sample 48048), loud inside, silent after 3 s.
        func peak(_ from: Double, _ to: Double) -> Float {
            let a = Int(from * 48000) * 2, b = min(out.samples.count, Int(to * 48000) * 2)
            return out.samples[a..<b].map { abs($0) }.max() ?? 0
        }
        #expect(peak(0, 0.99) == 0)
        #expect(peak(1.1, 1.9) > 0.05)
        #expect(peak(3.02, 3.5) == 0)
        // fadeOut: quieter near the end of the fade than before it.
        #expect(peak(2.85, 2.95) < peak(1.5, 1.9) * 0.3)
    }

    @Test("trim picks the right source frames; a clip without length runs to the source's end")
    func trimAccuracy() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stripes = dir.appendingPathComponent("stripes.mp4").path
        try FFmpegTool.run([
            "-hide_banner", "-v", "error", "-y", "-filter_complex",
            "color=c=red:s=64x48:r=25:d=1[a];color=c=lime:s=64x48:r=25:d=1[b];color=c=blue:s=64x48:r=25:d=1[c];[a][b][c]concat=n=3:v=1:a=0",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", stripes,
        ])
        let info = MediaInfo(format: "mov,mp4", duration: 3, hasVideo: true, hasAudio: false, width: 64, height: 48, fps: 25)
        let resolve: SourceResolver = { $0 == "s.mp4" ? ResolvedSource(path: stripes, info: info) : nil }
        typealias T = Timeline
        let timeline = T(
            output: T.Output(width: 64, height: 48, fps: 30, audio: nil),
            tracks: [
                T.Track(id: "one", clips: [T.Clip(id: "green", asset: .video(T.VideoAsset(src: "s.mp4")), start: 0.5, length: 1, trim: 1)]),
                T.Track(id: "two", clips: [T.Clip(id: "tail", asset: .video(T.VideoAsset(src: "s.mp4")), start: 1.5, trim: 2.5)]),
            ])
        let plan = try RenderCompiler.compile(timeline, resolve: resolve)
        #expect(plan.totalFrames == 60)
        #expect(plan.output.audioCodec == nil)
        #expect(!plan.filterGraph.contains("aout"))
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 60)
        func color(_ frame: Int) -> String {
            let (r, g, b) = Self.pixel(out.frames[frame], width: 64, x: 32, y: 24)
            if r < 30 && g < 30 && b < 30 { return "black" }
            if r > 200 && g < 60 && b < 60 { return "red" }
            if g > 200 && r < 60 && b < 60 { return "green" }
            if b > 200 && r < 60 && g < 60 { return "blue" }
            return "(\(r),\(g),\(b))"
        }
        #expect((0..<15).map(color) == Array(repeating: "black", count: 15))
        #expect((15..<45).map(color) == Array(repeating: "green", count: 30))
        #expect((45..<60).map(color) == Array(repeating: "blue", count: 15))
    }

    @Test("drawtext text with filtergraph specials renders exactly like the same text from a file")
    func textEscaping() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = " A:b, [c]; it's 50% \\ {ok} "
        let textFile = dir.appendingPathComponent("text.txt")
        try Data(text.utf8).write(to: textFile)
        typealias T = Timeline
        let timeline = T(
            output: T.Output(width: 320, height: 64, fps: 30, audio: nil),
            tracks: [T.Track(id: "t", clips: [
                T.Clip(id: "x", asset: .text(T.TextAsset(text: text, font: T.Font(size: 20))), start: 0, length: 0.1),
            ])])
        let plan = try RenderCompiler.compile(timeline, resolve: { _ in nil })
        let out = try Self.render(plan, in: dir)
        let reference = dir.appendingPathComponent("ref.rgb").path
        let font = try #require(FontCatalog.file(family: "DejaVu Sans", weight: .normal))
        try FFmpegTool.run([
            "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
            "color=c=black:s=320x64:r=30,format=yuv420p,drawtext=fontfile=\(font):textfile=\(textFile.path):expansion=none:fontsize=20:fontcolor=white:x=(w-text_w)*0.5:y=(h-text_h)*0.5",
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", reference,
        ])
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: reference)))
        #expect(out.frames.first == expected)
        #expect(expected.contains { $0 > 200 }, "the reference shows text")
    }

    @Test("transitions cross-dissolve pictures and sounds centred on the cut, with exact counts")
    func transitions() throws {
        let dir = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let red = dir.appendingPathComponent("red.mp4").path
        let blue = dir.appendingPathComponent("blue.mp4").path
        let green = dir.appendingPathComponent("green.png").path
        for (path, color, audio) in [(red, "red", "sine=frequency=440:sample_rate=48000:d=3"), (blue, "blue", "anullsrc=r=48000:cl=mono:d=3")] {
            try FFmpegTool.run([
                "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=\(color):s=64x48:r=25:d=3", "-f", "lavfi", "-i", audio,
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", "3", path,
            ])
        }
        try FFmpegTool.run(["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=lime:s=32x32", "-frames:v", "1", green])
        let clipInfo = MediaInfo(format: "mov,mp4", duration: 3, hasVideo: true, hasAudio: true, width: 64, height: 48, fps: 25, sampleRate: 48000, channels: 1)
        let imageInfo = MediaInfo(format: "png_pipe", duration: 0, hasVideo: true, hasAudio: false, width: 32, height: 32, isImage: true)
        let table: [String: ResolvedSource] = [
            "red": ResolvedSource(path: red, info: clipInfo), "blue": ResolvedSource(path: blue, info: clipInfo),
            "green": ResolvedSource(path: green, info: imageInfo),
        ]
        typealias T = Timeline
        var b = T.Clip(id: "b", asset: .video(T.VideoAsset(src: "blue")), start: 2, length: 1.5)
        b.transition = T.Transition(type: .fade, duration: 1)
        var c = T.Clip(id: "c", asset: .image(T.ImageAsset(src: "green")), start: 3.5, length: 1)
        c.transition = T.Transition(type: .wipeleft, duration: 0.5)
        let timeline = T(output: T.Output(width: 64, height: 48, fps: 30), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "a", asset: .video(T.VideoAsset(src: "red")), start: 0, length: 2, trim: 0.5), b, c,
        ])])
        let plan = try RenderCompiler.compile(timeline, resolve: { table[$0] })
        #expect(plan.totalFrames == 135)
        let out = try Self.render(plan, in: dir)
        #expect(out.frames.count == 135)
        #expect(out.samples.count == 135 * 1600 * 2)
        func rgb(_ frame: Int) -> (Int, Int, Int) { Self.pixel(out.frames[frame], width: 64, x: 32, y: 24) }
        func isRed(_ f: Int) -> Bool { let p = rgb(f); return p.0 > 200 && p.1 < 60 && p.2 < 60 }
        func isBlue(_ f: Int) -> Bool { let p = rgb(f); return p.2 > 200 && p.0 < 60 && p.1 < 60 }
        func isGreen(_ f: Int) -> Bool { let p = rgb(f); return p.1 > 200 && p.0 < 60 && p.2 < 60 }
        #expect((0..<45).allSatisfy(isRed), "red until the dissolve starts half a second before the cut")
        let blues = (45...75).map { rgb($0).2 }
        #expect(zip(blues, blues.dropFirst()).allSatisfy { $0 < $1 }, "the dissolve runs over frames 45...75: \(blues)")
        let middle = rgb(60)
        #expect(middle.0 > 90 && middle.0 < 170 && middle.2 > 90 && middle.2 < 170, "half red, half blue at the cut: \(middle)")
        #expect((75..<98).allSatisfy(isBlue), "blue after the dissolve")
        #expect((113..<135).allSatisfy(isGreen), "the image after the wipe")
        func peak(_ from: Double, _ to: Double) -> Float {
            out.samples[(Int(from * 48000) * 2)..<(Int(to * 48000) * 2)].map { abs($0) }.max() ?? 0
        }
        #expect(peak(0.1, 1.4) > 0.05)
        #expect(peak(2.3, 2.45) < peak(0.1, 1.4) * 0.3, "the sound fades out over the transition")
        #expect(peak(2.55, 4.5) == 0)
    }
}
