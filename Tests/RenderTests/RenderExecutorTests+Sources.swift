import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Sources as phones and cameras make them: variable frame rates, odd sample rates and channel
/// layouts, non-square pixels. Each is generated here, probed by the engine, rendered, decoded.
extension RenderExecutorTests {
    private func render(_ clips: [Timeline.Clip], files: [String: String], width: Int = 160, height: Int = 90, name: String) throws -> String {
        typealias T = Timeline
        var table: [String: ResolvedSource] = [:]
        for (src, path) in files { table[src] = ResolvedSource(path: path, info: try MediaProbe.probe(path: path)) }
        let sources = table
        let timeline = T(output: T.Output(width: width, height: height, fps: 25, video: T.VideoSettings(preset: .ultrafast)), tracks: [T.Track(id: "v", clips: clips)])
        let plan = try RenderCompiler.compile(timeline, resolve: { sources[$0] })
        let output = Fixtures.outputPath(name)
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        return output
    }

    private func frames(_ path: String) throws -> String? {
        let probed = try Tool.probe(path, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        return (probed["streams"] as? [[String: Any]])?.first?["nb_read_frames"] as? String
    }

    @Test("a variable-frame-rate clip is put on the output's frame grid: exact frame count, the change at its time")
    func variableFrameRate() throws {
        let directory = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vfr.mp4").path
        // Red for 1 s at 7 frames a second, then blue at 40: uneven timestamps, as a phone writes them.
        try FFmpegTool.run(["-v", "error", "-filter_complex",
                            "color=c=red:s=160x90:r=7:d=1[a];color=c=blue:s=160x90:r=40:d=1[b];[a][b]concat=n=2:v=1:a=0",
                            "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-video_track_timescale", "1000", path])
        let info = try MediaProbe.probe(path: path)
        #expect(abs(info.duration - 2) < 0.05, "duration \(info.duration)")
        let output = try render([Timeline.Clip(id: "vfr", asset: .video(Timeline.VideoAsset(src: "vfr.mp4")), start: 0, length: 1.8)],
                                files: ["vfr.mp4": path], name: "vfr")
        #expect(try frames(output) == "45")
        let red = Tool.average(try Tool.rgb(output, at: 0.9)), blue = Tool.average(try Tool.rgb(output, at: 1.1))
        #expect(red.r > 200 && red.b < 40, "0.9 s: \(red)")
        #expect(blue.b > 200 && blue.r < 40, "1.1 s: \(blue)")
    }

    @Test("odd sample rates and layouts are resampled to the output's: 22.05 kHz mono and 44.1 kHz 5.1 keep their length and level")
    func oddAudio() throws {
        let directory = try FFmpegTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mono = directory.appendingPathComponent("mono.wav").path
        let surround = directory.appendingPathComponent("surround.m4a").path
        try FFmpegTool.run(["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=1", "-ac", "1", mono])
        try FFmpegTool.run(["-v", "error", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100:duration=1",
                            "-af", "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=0*c0|BL=c0|BR=c0", "-c:a", "aac", surround])
        let output = try render([
            Timeline.Clip(id: "mono", asset: .audio(Timeline.AudioAsset(src: "mono.wav")), start: 0, length: 1),
            Timeline.Clip(id: "surround", asset: .audio(Timeline.AudioAsset(src: "surround.m4a")), start: 1, length: 1),
        ], files: ["mono.wav": mono, "surround.m4a": surround], name: "odd-audio")
        let probed = try Tool.probe(output, ["-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels"])
        let audio = try #require((probed["streams"] as? [[String: Any]])?.first)
        #expect(audio["sample_rate"] as? String == "48000")
        #expect(audio["channels"] as? Int == 2)
        for channel in [0, 1] {
            let sound = try Tool.sound(output, channel: channel)
            #expect(abs(sound.duration - 2) < 0.05, "channel \(channel): \(sound.duration) s")
            // A sine of amplitude 1/8 has an RMS of 0.088; mono is played on both sides, 5.1 is folded down to stereo.
            #expect(sound.rms(0.2, 0.8) > 0.05, "channel \(channel), mono part: \(sound.rms(0.2, 0.8))")
            #expect(sound.rms(1.2, 1.8) > 0.05, "channel \(channel), 5.1 part: \(sound.rms(1.2, 1.8))")
        }
    }

    @Test("non-square pixels are shown at their display shape: a 2:1-pixel 320×240 clip fills a 640×240 canvas")
    func nonSquarePixels() throws {
        let output = try render([Timeline.Clip(id: "wide", asset: .video(Timeline.VideoAsset(src: "anamorphic.mp4")), start: 0, length: 1, fit: .contain)],
                                files: ["anamorphic.mp4": try Fixtures.path("anamorphic.mp4")], width: 640, height: 240, name: "anamorphic")
        let picture = try Tool.rgb(output, at: 0.5)
        #expect(picture.width == 640)
        let left = Tool.average(picture, rows: 40..<200, columns: 10..<60), right = Tool.average(picture, rows: 40..<200, columns: 580..<630)
        #expect(left.r > 200 && right.r > 200, "the picture reaches both edges: \(left) \(right)")
    }
}
