import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

@Suite("Timeline validation")
struct TimelineValidationTests {
    @Test("a valid timeline has no issues")
    func valid() {
        let t = timeline([[video("a", start: 0, length: 4, trim: 2), video("b", start: 4)], [T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 0, length: 14)]])
        #expect(t.validate(resolve: media) == [])
        #expect(t.duration(resolve: media) == 14)
    }

    @Test("missing sources are reported at their src")
    func missingSource() {
        let t = timeline([[video("a", "nope.mp4", start: 0, length: 1)]])
        #expect(t.validate(resolve: media) == [ValidationIssue(path: "/tracks/0/clips/0/asset/src", message: "asset 'nope.mp4' not found")])
    }

    @Test("overlapping clips on one track name both ids; touching clips are fine")
    func overlap() {
        let t = timeline([[video("a", start: 0, length: 5), video("b", start: 4.5, length: 2), video("c", start: 6.5, length: 1)]])
        let issues = t.validate(resolve: media)
        #expect(issues.count == 1)
        #expect(issues.first?.path == "/tracks/0/clips/1/start")
        #expect(issues.first?.message.contains("'b' overlaps clip 'a'") == true)
        // Floating-point sums such as 0.1 + 0.2 still touch 0.3.
        let touching = timeline([[T.Clip(id: "x", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0.1, length: 0.2),
                                  T.Clip(id: "y", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0.3, length: 1)]])
        #expect(touching.validate(resolve: media) == [])
        // A clip without length takes its length from the source for the overlap check.
        let derived = timeline([[video("a", start: 0), video("b", start: 9, length: 1)]])
        #expect(derived.validate(resolve: media).map(\.path) == ["/tracks/0/clips/1/start"])
    }

    @Test("transitions need a touching previous clip and fit in both clips")
    func transitions() {
        var b = video("b", start: 5, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        var lone = video("a", start: 0, length: 2)
        lone.transition = T.Transition(type: .fade, duration: 1)
        var gap = video("c", start: 8, length: 1)
        gap.transition = T.Transition(type: .wipeleft, duration: 0.5)
        var long = video("d", start: 9, length: 1)
        long.transition = T.Transition(type: .fade, duration: 1.5)
        let issues = timeline([[lone, video("x", start: 2, length: 3), b, gap, long]]).validate(resolve: media)
            .filter { !$0.message.contains("not supported") }
        #expect(issues.map(\.path) == ["/tracks/0/clips/0/transition", "/tracks/0/clips/3/transition", "/tracks/0/clips/4/transition/duration"])
        #expect(issues[0].message.contains("previous clip"))
        #expect(issues[2].message.contains("longer than the shorter of 'c' and 'd'"))
    }

    @Test("a clip running past the end of its source is reported")
    func sourceOverrun() {
        let issues = timeline([[video("a", start: 0, length: 9, trim: 2)], [video("b", start: 0, trim: 10)]]).validate(resolve: media)
        #expect(issues.count == 2)
        #expect(issues[0].path == "/tracks/0/clips/0/length")
        #expect(issues[0].message.contains("up to 11 s") && issues[0].message.contains("lasts 10 s"))
        #expect(issues.last?.path == "/tracks/1/clips/0/trim")
    }

    @Test("sources without the needed stream")
    func streams() {
        let t = timeline([
            [T.Clip(id: "a", asset: .audio(T.AudioAsset(src: "silent.mp4")), start: 0, length: 1)],
            [T.Clip(id: "v", asset: .video(T.VideoAsset(src: "song.mp3")), start: 0, length: 1)],
            [T.Clip(id: "i", asset: .image(T.ImageAsset(src: "song.mp3")), start: 0, length: 1)],
            [video("still", "logo.png", start: 0)],
            [video("sizeless", "odd.mp4", start: 0, length: 1)],
        ])
        let odd = MediaInfo(format: "mov,mp4", duration: 10, hasVideo: true, hasAudio: false)
        let issues = t.validate(resolve: { $0 == "odd.mp4" ? ResolvedSource(path: "/media/odd.mp4", info: odd) : media($0) })
        #expect(issues.map(\.path) == [
            "/tracks/0/clips/0/asset/src", "/tracks/1/clips/0/asset/src", "/tracks/2/clips/0/asset/src", "/tracks/3/clips/0/length",
            "/tracks/4/clips/0/asset/src",
        ])
        #expect(issues[4].message.contains("picture size"))
        #expect(issues[0].message.contains("no audio stream"))
        #expect(issues[1].message.contains("no video stream"))
        #expect(issues[3].message.contains("still image"))
    }

    @Test("placeholders need a value; the request's merge overrides the document's")
    func placeholders() {
        var t = timeline([[
            T.Clip(id: "title", asset: .text(T.TextAsset(text: "{{TITLE}} by {{AUTHOR}}")), start: 0, length: 2),
            video("clip", "{{CLIP}}", start: 2, length: 1),
        ]])
        t.merge = ["TITLE": "Hello", "CLIP": "missing.mp4"]
        let issues = t.validate(resolve: media)
        #expect(issues == [
            ValidationIssue(path: "/tracks/0/clips/0/asset/text", message: "placeholder {{AUTHOR}} has no value in merge"),
            ValidationIssue(path: "/tracks/0/clips/1/asset/src", message: "asset 'missing.mp4' not found"),
        ])
        #expect(t.validate(merge: ["AUTHOR": "Ann", "CLIP": "v.mp4"], resolve: media) == [])
        let merged = t.applyingMerge(["AUTHOR": "Ann", "CLIP": "v.mp4"])
        #expect(merged.tracks[0].clips[0].asset == .text(T.TextAsset(text: "Hello by Ann")))
        #expect(merged.tracks[0].clips[1].asset.src == "v.mp4")
        #expect(t.sourceReferences == ["{{CLIP}}"])
        #expect(Placeholders.fill("{{A}} {{ B }} {{A}}{{", ["A": "x"]) == "x {{ B }} x{{")
    }

    @Test("an empty timeline is an error")
    func empty() {
        #expect(timeline([]).validate(resolve: media) == [ValidationIssue(path: "/tracks", message: "the timeline is empty: no clip has a length")])
    }

    @Test("features the engine cannot render yet are issues, never ignored")
    func unsupported() {
        var clip = T.Clip(id: "a", asset: .text(T.TextAsset(text: "Hi")), start: 0, length: 2)
        clip.effects = [.grayscale]
        clip.animate = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1)])]
        let multiline = T.Clip(id: "m", asset: .text(T.TextAsset(text: "one\ntwo", align: .center)), start: 0, length: 1, position: .left)
        var music = T.Clip(id: "s", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 0, length: 2)
        music.effects = [.sepia]
        let output = T.Output(width: 640, height: 360, format: .gif, audio: nil)
        let issues = timeline([[clip], [multiline], [music]], output: output).validate(resolve: media)
        #expect(issues.allSatisfy { $0.message.hasSuffix("is not supported by this engine yet") })
        // Effects and scale keyframes on text, and centred multi-line text at any position render.
        #expect(issues.map(\.path) == ["/tracks/2/clips/0/effects/0"])
    }

    @Test("formats without sound refuse an audio stream; webm takes Opus rates")
    func soundlessFormats() {
        let clip = video("a", start: 0, length: 2)
        for format in [T.Format.gif, .jpg, .png] {
            let issues = timeline([[clip]], output: T.Output(width: 640, height: 360, format: format)).validate(resolve: media)
            #expect(issues.map(\.path) == ["/output/audio"], "\(format)")
        }
        var webm = T.Output(width: 640, height: 360, format: .webm, video: T.VideoSettings(codec: .vp9), audio: T.AudioSettings(codec: .opus, sampleRate: 44_100))
        #expect(timeline([[clip]], output: webm).validate(resolve: media).map(\.path) == ["/output/audio/sampleRate"])
        webm.audio?.sampleRate = 48_000
        #expect(timeline([[clip]], output: webm).validate(resolve: media) == [])
    }

    @Test("duration without a resolver counts explicit lengths")
    func duration() {
        #expect(timeline([[video("a", start: 3, length: 2), video("b", start: 7)]]).duration == 7)
        var ranged = timeline([[video("a", start: 0, length: 20)]])
        ranged.output.range = T.TimeRange(start: 2, end: 5)
        #expect(ranged.duration == 5)
    }
}

extension TimelineValidationTests {
    @Test("reading problems and source checks come in one answer: an unknown key does not hide an overlap")
    func readingAndChecksTogether() throws {
        let json = #"{"version": 1, "output": {"width": 640, "height": 360}, "tracks": [{"id": "v", "clips": [{"id": "a", "asset": {"type": "video", "src": "v.mp4"}, "start": 0, "length": 4, "colour": "red"}, {"id": "b", "asset": {"type": "video", "src": "v.mp4"}, "start": 2, "length": 4, "opacity": "half"}, {"id": "c", "asset": {"type": "video", "src": "nope.mp4"}, "start": 10, "length": 1}]}]}"#
        let issues = RenderCompiler.issues(of: try TimelineDocument.read(Data(json.utf8)), resolve: media)
        let paths = issues.map(\.path)
        #expect(paths.contains("/tracks/0/clips/0/colour"), "\(issues)")
        #expect(paths.contains("/tracks/0/clips/1/opacity"), "\(issues)")
        #expect(issues.contains { $0.message.contains("overlap") }, "\(issues)")
        #expect(paths.contains("/tracks/0/clips/2/asset/src"), "\(issues)")
        #expect(Set(paths).count == paths.count, "no place is reported twice: \(issues)")
        // A clean document has none, and malformed JSON still throws.
        #expect(RenderCompiler.issues(of: try TimelineDocument.read(Data(document(clip: #"{"id": "a", "asset": {"type": "video", "src": "v.mp4"}, "start": 0, "length": 1}"#).utf8)), resolve: media) == [])
        #expect(throws: RenderError.self) { try TimelineDocument.read(Data("{".utf8)) }
    }
}
