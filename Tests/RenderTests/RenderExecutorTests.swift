import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("RenderExecutor", .tags(.slow))
struct RenderExecutorTests {
    /// Red clip then blue clip, each trimmed to 2 s and laid on a black canvas; their audio concatenated.
    private func concatPlan() throws -> RenderPlan {
        let red = try Fixtures.path("red.mp4")
        let blue = try Fixtures.path("blue.mp4")
        let graph = """
            color=c=black:s=320x240:r=25:d=4[canvas];\
            [in0v]trim=start=0:end=2,setpts=PTS-STARTPTS[clip0];\
            [in1v]trim=start=0:end=2,setpts=PTS-STARTPTS+2/TB[clip1];\
            [canvas][clip0]overlay=eof_action=pass[layer0];\
            [layer0][clip1]overlay=eof_action=pass,format=yuv420p[vout];\
            [in0a]atrim=start=0:end=2,asetpts=PTS-STARTPTS[audio0];\
            [in1a]atrim=start=0:end=2,asetpts=PTS-STARTPTS[audio1];\
            [audio0][audio1]concat=n=2:v=0:a=1[aout]
            """
        return RenderPlan(
            inputs: [
                .init(path: red, media: .video, pad: "in0v", until: 2),
                .init(path: red, media: .audio, pad: "in0a", until: 2),
                .init(path: blue, media: .video, pad: "in1v", until: 2),
                .init(path: blue, media: .audio, pad: "in1a", until: 2),
            ],
            filterGraph: graph,
            output: .init(width: 320, height: 240, frameRate: Rational(25, 1), preset: "ultrafast"),
            totalFrames: 100, duration: 4)
    }

    /// Offsets of the top-level MP4 boxes named `type`.
    private func boxOffset(_ type: String, in path: String) throws -> Int? {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let name = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            if name == type { return offset }
            guard size >= 8 else { return nil }
            offset += size
        }
        return nil
    }

    private func streams(_ path: String) throws -> (video: [String: Any], audio: [String: Any], duration: Double) {
        let json = try Tool.probe(path, ["-count_frames", "-show_entries", "stream=codec_type,codec_name,nb_read_frames,width,height,r_frame_rate:format=duration"])
        let streams = try #require(json["streams"] as? [[String: Any]])
        let video = try #require(streams.first { $0["codec_type"] as? String == "video" })
        let audio = streams.first { $0["codec_type"] as? String == "audio" } ?? [:]
        let format = try #require(json["format"] as? [String: Any])
        let text = try #require(format["duration"] as? String)
        let duration = try #require(Double(text))
        return (video, audio, duration)
    }

    @Test("two clips in a row: exact frames, H.264/AAC, faststart, the right colours at the right times")
    func concatenation() throws {
        let output = Fixtures.outputPath("concat")
        var reported: [RenderProgress] = []
        try RenderExecutor.run(try concatPlan(), outputPath: output, cancel: CancellationFlag()) { reported.append($0) }

        let probed = try streams(output)
        #expect(probed.video["codec_name"] as? String == "h264")
        #expect(probed.video["nb_read_frames"] as? String == "100")
        #expect(probed.video["width"] as? Int == 320)
        #expect(probed.video["r_frame_rate"] as? String == "25/1")
        #expect(probed.audio["codec_name"] as? String == "aac")
        #expect(abs(probed.duration - 4.0) <= 0.04 + 0.03, "duration \(probed.duration)")
        let moov = try #require(try boxOffset("moov", in: output))
        let mdat = try #require(try boxOffset("mdat", in: output))
        #expect(moov < mdat)

        let atOne = Tool.average(try Tool.rgb(output, at: 1))
        let atThree = Tool.average(try Tool.rgb(output, at: 3))
        #expect(atOne.r > 200 && atOne.g < 40 && atOne.b < 40, "1 s: \(atOne)")
        #expect(atThree.b > 200 && atThree.r < 40 && atThree.g < 40, "3 s: \(atThree)")

        #expect(reported.count == 100)
        #expect(reported.last?.frame == 100)
        #expect(reported.last?.totalFrames == 100)
        #expect(reported.allSatisfy { $0.fps >= 0 })
    }

    @Test("a still image with alpha is looped for the whole clip and blended over the canvas")
    func loopedImage() throws {
        let graph = """
            color=c=blue:s=160x120:r=25:d=2[canvas];\
            [in0v]loop=loop=-1:size=1:start=0,setpts=N/25/TB,trim=end_frame=50,scale=160:120[picture];\
            [canvas][picture]overlay=eof_action=pass,format=yuv420p[vout]
            """
        let plan = RenderPlan(
            inputs: [.init(path: try Fixtures.path("alpha.png"), media: .video, pad: "in0v", isImage: true)],
            filterGraph: graph,
            output: .init(width: 160, height: 120, frameRate: Rational(25, 1), preset: "ultrafast", audioCodec: nil),
            totalFrames: 50, duration: 2)
        let output = Fixtures.outputPath("image")
        var fed = 0
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag(), progress: { _ in }, onFeed: { _, _ in fed += 1 })
        #expect(fed == 1)
        let probed = try streams(output)
        #expect(probed.video["nb_read_frames"] as? String == "50")
        #expect(probed.audio.isEmpty)
        // 50 % red over blue.
        let colour = Tool.average(try Tool.rgb(output, at: 1.5))
        #expect(colour.r > 90 && colour.r < 170 && colour.b > 90 && colour.b < 170 && colour.g < 40, "\(colour)")
    }

    @Test("an overlay that starts at 3 s is not read ahead while the main clip plays")
    func lateOverlayIsFedOnDemand() throws {
        let graph = """
            [in0v]trim=start=0:end=5,setpts=PTS-STARTPTS[main];\
            [in1v]trim=start=0:end=2,setpts=PTS-STARTPTS+3/TB,scale=160:120[late];\
            [main][late]overlay=x=0:y=0:eof_action=pass,format=yuv420p[vout];\
            [in0a]atrim=start=0:end=5,asetpts=PTS-STARTPTS[aout]
            """
        let plan = RenderPlan(
            inputs: [
                .init(path: try Fixtures.path("green5.mp4"), media: .video, pad: "in0v", until: 5),
                .init(path: try Fixtures.path("red.mp4"), media: .video, pad: "in1v", until: 2),
                .init(path: try Fixtures.path("green5.mp4"), media: .audio, pad: "in0a", until: 5),
            ],
            filterGraph: graph,
            output: .init(width: 320, height: 240, frameRate: Rational(25, 1), preset: "ultrafast"),
            totalFrames: 125, duration: 5)
        let output = Fixtures.outputPath("late")
        var lateFeeds: [Int] = []
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag(), progress: { _ in }) { pad, framesOut in
            if pad == "in1v" { lateFeeds.append(framesOut) }
        }
        // Its first frame is needed up front to know when it starts; the rest only once the main clip reaches 3 s.
        let earlyFeeds = lateFeeds.filter { $0 < 70 }.count
        #expect(earlyFeeds <= 3, "late overlay frames fed before 2.8 s of output: \(earlyFeeds)")
        #expect(lateFeeds.count >= 50)
        let probed = try streams(output)
        #expect(probed.video["nb_read_frames"] as? String == "125")
        let before = Tool.average(try Tool.rgb(output, at: 2))
        #expect(before.g > 90 && before.r < 40, "2 s: \(before)")
        let during = try Tool.rgb(output, at: 4)
        let corner = Tool.average(during, rows: 10..<110, columns: 10..<150)
        let outside = Tool.average(during, rows: 130..<230, columns: 170..<310)
        #expect(outside.g > 90 && outside.r < 40, "4 s main: \(outside)")
        #expect(corner.r > 200 && corner.g < 40, "4 s overlay: \(corner)")
    }

    @Test("seek and until: only the needed part of a source is decoded, in source time")
    func seekAndUntil() throws {
        let plan = RenderPlan(
            inputs: [.init(path: try Fixtures.path("redblue.mp4"), media: .video, pad: "in0v", seek: 3, until: 4)],
            filterGraph: "[in0v]trim=start=3:end=4,setpts=PTS-STARTPTS,format=yuv420p[vout]",
            output: .init(width: 320, height: 240, frameRate: Rational(25, 1), preset: "ultrafast", audioCodec: nil),
            totalFrames: 25, duration: 1)
        let output = Fixtures.outputPath("seek")
        var fed = 0
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag(), progress: { _ in }, onFeed: { _, _ in fed += 1 })
        // From the keyframe at 3 s to the first frame at 4 s, not the 125 frames of the whole file.
        #expect(fed >= 25 && fed <= 30, "frames fed: \(fed)")
        let probed = try streams(output)
        #expect(probed.video["nb_read_frames"] as? String == "25")
        let colour = Tool.average(try Tool.rgb(output, at: 0.5))
        #expect(colour.b > 200 && colour.r < 40, "\(colour)")
    }

    @Test("cancelling after 10 frames throws .cancelled and leaves no file")
    func cancellation() throws {
        let output = Fixtures.outputPath("cancel")
        let flag = CancellationFlag()
        var last = 0
        #expect(throws: RenderError.cancelled) {
            try RenderExecutor.run(try concatPlan(), outputPath: output, cancel: flag) { progress in
                last = progress.frame
                if progress.frame == 10 { flag.cancel() }
            }
        }
        #expect(last == 10)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a flag cancelled before the start throws .cancelled and writes nothing")
    func cancelledUpFront() throws {
        let output = Fixtures.outputPath("precancel")
        let flag = CancellationFlag()
        flag.cancel()
        var frames = 0
        #expect(throws: RenderError.cancelled) {
            try RenderExecutor.run(try concatPlan(), outputPath: output, cancel: flag) { _ in frames += 1 }
        }
        #expect(frames == 0)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("unreadable or damaged inputs throw a RenderError and leave no file", arguments: ["noise.mp4", "empty.mp4", "notes.txt", "missing.mp4"])
    func badInput(name: String) throws {
        var plan = try concatPlan()
        let path = Fixtures.all[name] ?? Fixtures.directory.appendingPathComponent(name).path
        plan.inputs[2].path = path
        plan.inputs[3].path = path
        let output = Fixtures.outputPath("bad")
        #expect {
            try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        } throws: { error in
            guard case RenderError.unsupportedMedia(let reported, _) = error else { return false }
            return reported == path
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a clip damaged in the middle renders or fails cleanly, never crashes")
    func damagedMiddle() throws {
        var plan = try concatPlan()
        let damaged = try Fixtures.path("damaged.mp4")
        for index in plan.inputs.indices where plan.inputs[index].pad.hasPrefix("in0") { plan.inputs[index].path = damaged }
        let output = Fixtures.outputPath("damaged")
        do {
            try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
            let probed = try streams(output)
            #expect(probed.video["nb_read_frames"] as? String == "100")
        } catch {
            #expect(error is RenderError)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test("a bad filter graph is an ffmpeg error naming the parser")
    func badGraph() throws {
        var plan = try concatPlan()
        plan.filterGraph = plan.filterGraph.replacingOccurrences(of: "overlay=eof_action=pass[layer0]", with: "nosuchfilter[layer0]")
        let output = Fixtures.outputPath("graph")
        #expect {
            try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        } throws: { error in
            guard case RenderError.ffmpeg(let function, _, _) = error else { return false }
            return function == "avfilter_graph_parse2"
        }
    }

    @Test("a graph whose [vout] is not the plan's output size is refused before encoding")
    func wrongOutputSize() throws {
        var plan = try concatPlan()
        plan.output.width = 640
        plan.output.height = 480
        let output = Fixtures.outputPath("size")
        #expect {
            try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }
        } throws: { error in
            guard case RenderError.ffmpeg(_, _, let message) = error else { return false }
            return message.contains("320x240")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("audio: 2 s of 440 Hz then 2 s of silence")
    func toneThenSilence() throws {
        let graph = """
            color=c=black:s=160x120:r=25:d=4,format=yuv420p[vout];\
            [in0a]atrim=start=0:end=2,asetpts=PTS-STARTPTS,apad=whole_dur=4[aout]
            """
        let plan = RenderPlan(
            inputs: [.init(path: try Fixtures.path("tone.wav"), media: .audio, pad: "in0a", until: 2)],
            filterGraph: graph,
            output: .init(width: 160, height: 120, frameRate: Rational(25, 1), preset: "ultrafast", channels: 2),
            totalFrames: 100, duration: 4)
        let output = Fixtures.outputPath("tone")
        try RenderExecutor.run(plan, outputPath: output, cancel: CancellationFlag()) { _ in }

        let probed = try Tool.probe(output, ["-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels,duration"])
        let audio = try #require((probed["streams"] as? [[String: Any]])?.first)
        #expect(audio["sample_rate"] as? String == "48000")
        #expect(audio["channels"] as? Int == 2)
        let durationText = try #require(audio["duration"] as? String)
        let duration = try #require(Double(durationText))
        #expect(abs(duration - 4.0) < 0.05, "audio duration \(duration)")

        let sound = try Tool.sound(output)
        func rms(_ from: Double, _ to: Double) -> Double { sound.rms(from, to) }
        // The sine source's amplitude is 1/8, so its RMS is about 0.088.
        #expect(abs(rms(0.2, 1.8) - 0.088) < 0.015, "tone RMS \(rms(0.2, 1.8))")
        #expect(rms(2.2, 3.8) < 0.001, "silence RMS \(rms(2.2, 3.8))")
    }
}
