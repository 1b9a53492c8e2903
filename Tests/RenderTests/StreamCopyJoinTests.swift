import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// The stream-copy decision on the timeline alone (no file is opened): eligible timelines give
/// their cuts; every feature that needs decoding gives a reason instead.
@Suite("Stream copy decision")
struct StreamCopyJoinTests {
    let clip = MediaInfo(format: "mov,mp4", duration: 20, hasVideo: true, hasAudio: true, width: 320, height: 240, fps: 25, sampleRate: 48000, channels: 2)
    let output = T.Output(width: 320, height: 240, fps: 25)

    var sources: SourceResolver {
        resolver(["a.mp4": clip, "b.mp4": clip, "small.mp4": MediaInfo(format: "mov,mp4", duration: 20, hasVideo: true, hasAudio: true, width: 160, height: 120, fps: 25, sampleRate: 48000, channels: 2), "logo.png": stillImage])
    }

    /// A 0–2 s, B from 4 s for 2 s, A from 10 s to its end.
    func cuts() -> [T.Clip] {
        [video("a", "a.mp4", start: 0, length: 2), video("b", "b.mp4", start: 2, length: 2, trim: 4), video("c", "a.mp4", start: 4, trim: 10)]
    }

    func decide(_ clips: [T.Clip], output: T.Output? = nil, edit: (inout T) -> Void = { _ in }) throws -> Result<[StreamCopyJoin.Cut], Ineligible> {
        var t = timeline([clips], output: output ?? self.output)
        edit(&t)
        let plan = try RenderCompiler.compile(t, resolve: sources)
        do { return .success(try StreamCopyJoin.cuts(of: plan)) } catch { return .failure(error) }
    }

    @Test("hard cuts of whole frames at the output's size give one cut each, on the output frame grid")
    func eligible() throws {
        let result = try decide(cuts())
        #expect(try result.get() == [
            .init(path: "/media/a.mp4", firstFrame: 0, frames: 50, start: 0),
            .init(path: "/media/b.mp4", firstFrame: 100, frames: 50, start: 50),
            .init(path: "/media/a.mp4", firstFrame: 250, frames: 250, start: 100),
        ])
    }

    @Test("without sound in the output only the pictures are copied, whatever the clips' sound")
    func pictureOnly() throws {
        var clips = cuts()
        clips[0].volume = 0
        var output = self.output
        output.audio = nil
        #expect(try decide(clips, output: output).get().count == 3)
    }

    @Test("clips listed out of order are joined in time order")
    func order() throws {
        let result = try decide(cuts().reversed())
        #expect(try result.get().map(\.start) == [0, 50, 100])
    }

    static let refusals: [(String, String)] = [
        ("speed", "changes speed"), ("opacity", "placed, scaled or transparent"), ("scale", "placed, scaled or transparent"),
        ("offset", "placed, scaled or transparent"), ("fade", "fades"), ("transition", "has a transition"), ("effect", "has effects"),
        ("keyframes", "has keyframes"), ("volume", "sound is changed"), ("no sound", "sound is changed"), ("gap", "a gap or an overlap"),
        ("between frames", "between frames"), ("size", "not the output's 320x240"), ("image", "not a video clip"),
        ("text", "not a video clip"), ("second track", "clips on 2 tracks"), ("muted", "muted or scaled"), ("hidden", "hidden"),
        ("range", "a range render"), ("loudness", "loudness"), ("webm", "only H.264 in MP4"), ("gif", "only H.264 in MP4"),
    ]

    @Test("anything that needs decoding or composing is refused with its reason", arguments: refusals)
    func refused(change: String, reason: String) throws {
        var clips = cuts()
        var output = self.output
        var edit: (inout T) -> Void = { _ in }
        switch change {
        case "speed": clips[1].speed = 2
        case "opacity": clips[1].opacity = 0.5
        case "scale": clips[1].scale = 0.5
        case "offset": clips[1].offset = T.Offset(x: 0.1)
        case "fade": clips[2].fadeOut = 1
        case "transition": clips[1].transition = T.Transition(type: .fade, duration: 0.5)
        case "effect": clips[0].effects = [.grayscale]
        case "keyframes": clips[0].animate = [T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 1, value: 1)])]
        case "volume": clips[0].volume = 0.5
        case "no sound": clips[0].asset = .video(T.VideoAsset(src: "a.mp4", audio: false))
        case "gap": clips[1].length = 1.8
        case "between frames": clips[1].trim = 4.02
        case "size": clips[1].asset = .video(T.VideoAsset(src: "small.mp4"))
        case "image": clips[1].asset = .image(T.ImageAsset(src: "logo.png"))
        case "text": clips[1].asset = .text(T.TextAsset(text: "hi"))
        case "second track": edit = { $0.tracks.append(T.Track(id: "top", clips: [video("d", "a.mp4", start: 0, length: 1)])) }
        case "muted": edit = { $0.tracks[0].muted = true }
        case "hidden": edit = { $0.tracks[0].hidden = true }
        case "range": output.range = T.TimeRange(start: 1, end: 3)
        case "loudness": output.loudness = -16
        case "webm": output.format = .webm; output.video.codec = .vp9; output.audio = T.AudioSettings(codec: .opus)
        default: output.format = .gif; output.audio = nil
        }
        let result = try decide(clips, output: output, edit: edit)
        guard case .failure(let refusal) = result else {
            Issue.record("\(change) was not refused")
            return
        }
        #expect(refusal.reason.contains(reason), "\(change): \(refusal.reason)")
    }

    @Test("without a timeline (a hand-made plan or a preview) there is nothing to copy")
    func handMadePlan() throws {
        let plan = RenderPlan(inputs: [], filterGraph: "", output: .init(width: 320, height: 240, frameRate: Rational(25, 1)), totalFrames: 1, duration: 0.04)
        #expect(throws: Ineligible("the plan has no timeline")) { try StreamCopyJoin.cuts(of: plan) }
        let preview = try RenderCompiler.compile(timeline([cuts()], output: output), scaledWidth: 160, resolve: sources)
        #expect(preview.prepared == nil)
    }
}
