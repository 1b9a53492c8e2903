import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Every output format and partial renders, through the compiler and the real executor, checked on
/// the decoded result: codecs, exact frame counts and durations, and the picture at chosen times.
@Suite("Output formats and ranges", .tags(.slow))
struct OutputFormatTests {
    /// Red 0–2.5 s then blue 2.5–4.5 s (`redblue.mp4`, keyframe every second) with a 440 Hz tone 0–2 s.
    private func timeline(format: Timeline.Format, range: Timeline.TimeRange? = nil) -> Timeline {
        // Codecs as the document reader fills them in for the format.
        var output = Timeline.Output(
            width: 320, height: 240, fps: 25, format: format,
            video: Timeline.VideoSettings(codec: format == .webm ? .vp9 : .h264),
            audio: format.hasSound ? Timeline.AudioSettings(codec: format == .webm ? .opus : .aac) : nil)
        output.range = range
        return Timeline(output: output, tracks: [
            Timeline.Track(id: "v", clips: [Timeline.Clip(id: "rb", asset: .video(Timeline.VideoAsset(src: "redblue.mp4")), start: 0, length: 4.5)]),
            Timeline.Track(id: "a", clips: [Timeline.Clip(id: "tone", asset: .audio(Timeline.AudioAsset(src: "tone.wav")), start: 0, length: 2)]),
        ])
    }

    private func render(_ timeline: Timeline, ext: String, scaledWidth: Int? = nil) throws -> (plan: RenderPlan, path: String, result: RenderResult) {
        let table = [
            "redblue.mp4": ResolvedSource(path: try Fixtures.path("redblue.mp4"), info: try MediaProbe.probe(path: try Fixtures.path("redblue.mp4"))),
            "tone.wav": ResolvedSource(path: try Fixtures.path("tone.wav"), info: try MediaProbe.probe(path: try Fixtures.path("tone.wav"))),
        ]
        let plan = try RenderCompiler.compile(timeline, scaledWidth: scaledWidth, resolve: { table[$0] })
        let path = Fixtures.outputPath("format").replacingOccurrences(of: ".mp4", with: ".\(ext)")
        let result = try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag(), progress: { _ in })
        return (plan, path, result)
    }

    private func streams(_ path: String) throws -> [[String: Any]] {
        let json = try Tool.probe(path, ["-count_frames", "-show_entries", "stream=codec_type,codec_name,nb_read_frames,width,height,sample_rate"])
        return try #require(json["streams"] as? [[String: Any]])
    }

    private func isRed(_ c: (r: Double, g: Double, b: Double)) -> Bool { c.r > 200 && c.g < 60 && c.b < 60 }
    private func isBlue(_ c: (r: Double, g: Double, b: Double)) -> Bool { c.b > 200 && c.r < 60 && c.g < 60 }

    @Test("webm is VP9 + Opus with every frame and the sound")
    func webm() throws {
        let (_, path, _) = try render(timeline(format: .webm), ext: "webm")
        let s = try streams(path)
        let video = try #require(s.first { $0["codec_type"] as? String == "video" })
        let audio = try #require(s.first { $0["codec_type"] as? String == "audio" })
        #expect(video["codec_name"] as? String == "vp9")
        #expect(video["nb_read_frames"] as? String == "113")
        #expect(audio["codec_name"] as? String == "opus")
        #expect(isRed(Tool.average(try Tool.rgb(path, at: 1))))
        #expect(isBlue(Tool.average(try Tool.rgb(path, at: 3))))
    }

    @Test("gif has one palette made from its own colours and no sound")
    func gif() throws {
        let (_, path, _) = try render(timeline(format: .gif), ext: "gif")
        let s = try streams(path)
        #expect(s.count == 1)
        #expect(s.first?["codec_name"] as? String == "gif")
        #expect(s.first?["nb_read_frames"] as? String == "113")
        // A palette built from red and blue reproduces both nearly exactly.
        #expect(isRed(Tool.average(try Tool.rgb(path, at: 1))))
        #expect(isBlue(Tool.average(try Tool.rgb(path, at: 3))))
    }

    @Test("jpg and png are the single frame at range.start, optionally scaled")
    func stills() throws {
        for (format, codec) in [(Timeline.Format.jpg, "mjpeg"), (.png, "png")] {
            let (plan, path, _) = try render(timeline(format: format, range: Timeline.TimeRange(start: 2.8, end: 3)), ext: format.rawValue)
            #expect(plan.totalFrames == 1)
            let s = try streams(path)
            #expect(s.first?["codec_name"] as? String == codec)
            #expect(s.first?["nb_read_frames"] as? String == "1")
            #expect(isBlue(Tool.average(try Tool.rgb(path))), "\(format) at 2.8 s")
        }
        let (_, small, _) = try render(timeline(format: .jpg, range: Timeline.TimeRange(start: 0.5, end: 1)), ext: "jpg", scaledWidth: 160)
        let picture = try Tool.rgb(small)
        #expect(picture.width == 160 && picture.height == 120)
        #expect(isRed(Tool.average(picture)))
    }

    @Test("a range renders exactly its frames and samples, from the right place")
    func range() throws {
        let (plan, path, _) = try render(timeline(format: .mp4, range: Timeline.TimeRange(start: 1.6, end: 3)), ext: "mp4")
        #expect(plan.totalFrames == 35)
        // The clip's input seeks to the window instead of decoding from its in-point.
        #expect(plan.inputs.first { $0.media == .video }?.seek == 1.6)
        let s = try streams(path)
        let video = try #require(s.first { $0["codec_type"] as? String == "video" })
        #expect(video["nb_read_frames"] as? String == "35")
        let format = try #require(try Tool.probe(path, ["-show_entries", "format=duration"])["format"] as? [String: Any])
        #expect(abs((Double(format["duration"] as? String ?? "") ?? 0) - 1.4) < 0.05)
        // Timeline 1.6–2.5 is red, then blue (the clip's cut).
        #expect(isRed(Tool.average(try Tool.rgb(path, at: 0.2))))
        #expect(isBlue(Tool.average(try Tool.rgb(path, at: 1.2))))
        // The tone (0–2 s) sounds in the first 0.4 s of the range and is silent after it.
        #expect(try meanVolume(path, from: 0.05, to: 0.35) > -30)  // the sine fixture is at about -21 dB RMS
        #expect(try meanVolume(path, from: 0.6, to: 1.3) < -60)
    }

    @Test("a range over a sped-up clip seeks in source time")
    func rangeWithSpeed() throws {
        var document = timeline(format: .mp4, range: Timeline.TimeRange(start: 1, end: 2))
        document.tracks[0].clips[0].speed = 2
        document.tracks[0].clips[0].length = 2.25
        let (plan, path, _) = try render(document, ext: "mp4")
        #expect(plan.totalFrames == 25)
        #expect(plan.inputs.first { $0.media == .video }?.seek == 2)
        // Timeline 1.1 s is source 2.2 s (red); timeline 1.5 s is source 3 s (blue).
        #expect(isRed(Tool.average(try Tool.rgb(path, at: 0.1))))
        #expect(isBlue(Tool.average(try Tool.rgb(path, at: 0.5))))
    }

    @Test("a still after a crossfade decodes only the clip it shows; one inside it shows both")
    func rangeOverTransitions() throws {
        let table = [
            "red": ResolvedSource(path: try Fixtures.path("red.mp4"), info: try MediaProbe.probe(path: try Fixtures.path("red.mp4"))),
            "blue": ResolvedSource(path: try Fixtures.path("blue.mp4"), info: try MediaProbe.probe(path: try Fixtures.path("blue.mp4"))),
        ]
        func still(at t: Double) throws -> (RenderPlan, (r: Double, g: Double, b: Double)) {
            var output = Timeline.Output(width: 320, height: 240, fps: 25, format: .png, audio: nil)
            output.range = Timeline.TimeRange(start: t, end: t + 0.04)
            var second = Timeline.Clip(id: "b", asset: .video(Timeline.VideoAsset(src: "blue")), start: 2, length: 2)
            second.transition = Timeline.Transition(type: .fade, duration: 1)
            let document = Timeline(output: output, tracks: [Timeline.Track(id: "v", clips: [
                Timeline.Clip(id: "r", asset: .video(Timeline.VideoAsset(src: "red")), start: 0, length: 2), second,
            ])])
            let plan = try RenderCompiler.compile(document, resolve: { table[$0] })
            let path = Fixtures.outputPath("still").replacingOccurrences(of: ".mp4", with: ".png")
            try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag(), progress: { _ in })
            return (plan, Tool.average(try Tool.rgb(path)))
        }
        let (after, blue) = try still(at: 3.2)
        #expect(after.inputs.map(\.path) == [try Fixtures.path("blue.mp4")])
        #expect(isBlue(blue), "\(blue)")
        let (inside, mixed) = try still(at: 2)
        #expect(inside.inputs.count == 2)
        let mix = mixed
        #expect(mix.r > 80 && mix.r < 180 && mix.b > 80 && mix.b < 180, "\(mix.r) \(mix.g) \(mix.b)")
        let (before, red) = try still(at: 0.5)
        #expect(before.inputs.map(\.path) == [try Fixtures.path("red.mp4")])
        #expect(isRed(red), "\(red)")
    }

    @Test("a still inside a crossfade seeks both clips to it and equals that frame of the whole render")
    func stillInsideCrossfade() throws {
        let ramp = ResolvedSource(path: try Fixtures.path("ramp.mp4"), info: try MediaProbe.probe(path: try Fixtures.path("ramp.mp4")))
        func document(_ format: Timeline.Format, range: Timeline.TimeRange? = nil) -> Timeline {
            var output = Timeline.Output(width: 320, height: 240, fps: 10, format: format, audio: nil)
            output.range = range
            var second = Timeline.Clip(id: "b", asset: .video(Timeline.VideoAsset(src: "ramp")), start: 1.6, length: 1.6, trim: 2)
            second.transition = Timeline.Transition(type: .fade, duration: 1.2)
            return Timeline(output: output, tracks: [Timeline.Track(id: "v", clips: [
                Timeline.Clip(id: "a", asset: .video(Timeline.VideoAsset(src: "ramp")), start: 0, length: 1.6, trim: 0.2), second,
            ])])
        }
        let whole = Fixtures.outputPath("whole")
        try RenderExecutor.run(try RenderCompiler.compile(document(.mp4), resolve: { _ in ramp }), outputPath: whole, cancel: CancellationFlag(), progress: { _ in })
        // One frame apart is five luma levels: 0.1 s of the ramp.
        for t in [1.1, 1.6, 2.1] {
            let plan = try RenderCompiler.compile(document(.png, range: Timeline.TimeRange(start: t, end: t + 0.1)), resolve: { _ in ramp })
            // a shows source 0.2 + t, b source 2 − 0.6 + (t − 1): each input starts at the window.
            let seeks = plan.inputs.map(\.seek)
            #expect(seeks.count == 2 && zip(seeks, [0.2 + t, 1.4 + t - 1]).allSatisfy { abs($0 - $1) < 1e-9 }, "seeks at \(t): \(seeks)")
            let path = Fixtures.outputPath("still").replacingOccurrences(of: ".mp4", with: ".png")
            try RenderExecutor.run(plan, outputPath: path, cancel: CancellationFlag(), progress: { _ in })
            let still = Tool.average(try Tool.rgb(path))
            let frame = Tool.average(try Tool.rgb(whole, at: t))
            #expect(abs(still.g - frame.g) < 2.5, "at \(t): still \(still.g), whole render \(frame.g)")
        }
    }

    @Test("a loudness target is met and the measured loudness is reported")
    func loudness() throws {
        var document = timeline(format: .mp4)
        document.output.loudness = -16
        document.tracks[1].clips[0].length = 2
        let (plan, path, result) = try render(document, ext: "mp4")
        #expect(plan.filterGraph.contains("loudnorm=I=-16"))
        let measured = try #require(result.measuredLoudness)
        #expect(abs(measured - (-16)) < 2, "measured \(measured) LUFS")
        // ffmpeg's own EBU R128 meter agrees about the file (the tone is about -24 LUFS before).
        let text = try analysis(path, filter: "ebur128")
        let summary = try #require(text.components(separatedBy: "Summary:").last)
        let line = try #require(summary.split(separator: "\n").first { $0.contains("I:") })
        let value = try #require(Double(line.split(separator: ":").last?.replacingOccurrences(of: "LUFS", with: "").trimmingCharacters(in: .whitespaces) ?? ""))
        #expect(abs(value - (-16)) < 2, "file measures \(value) LUFS")
    }

    /// What ffmpeg's analysis filter `filter` prints about a file's sound (its log, on stderr).
    private func analysis(_ path: String, filter: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-hide_banner", "-i", path, "-af", filter, "-vn", "-f", "null", "-"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    /// Mean volume in dB of a window of a file's sound (ffmpeg's volumedetect).
    private func meanVolume(_ path: String, from: Double, to: Double) throws -> Double {
        let text = try analysis(path, filter: "atrim=\(from):\(to),volumedetect")
        let line = try #require(text.split(separator: "\n").first { $0.contains("mean_volume:") })
        let value = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " dB", with: "")
        return value == "-inf" ? -200 : try #require(Double(value ?? ""))
    }
}
