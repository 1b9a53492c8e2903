import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// Editor playback segments: their windows on the frame grid, and fingerprints that change exactly
/// where an edit shows.
@Suite("Playback segments")
struct PlaybackSegmentsTests {
    static func title(_ id: String, _ text: String, start: Double, length: Double) -> T.Clip {
        T.Clip(id: id, asset: .text(T.TextAsset(text: text)), start: start, length: length)
    }

    /// 10 s of video under two titles: one over 3...5.5 (segments 1 and 2), one over 7...8 (segment 3).
    static func edit(_ change: (inout T) -> Void = { _ in }) -> T {
        var t = timeline([[video("v", start: 0, length: 10)], [title("a", "Hello", start: 3, length: 2.5), title("b", "{{NAME}}", start: 7, length: 1)]],
                         output: T.Output(width: 1280, height: 720, fps: 30))
        t.merge = ["NAME": "World"]
        change(&t)
        return t
    }

    static func fingerprints(_ t: T, width: Int = 640) -> [Data] {
        let segments = PlaybackSegments(t, width: width, resolve: media)
        return (0..<segments.count).map { segments.fingerprint($0)! }
    }

    /// Indexes whose fingerprint differs between the two documents (same segment count).
    static func changed(_ a: T, _ b: T) -> [Int] {
        let (x, y) = (fingerprints(a), fingerprints(b))
        #expect(x.count == y.count)
        return x.indices.filter { x[$0] != y[$0] }
    }

    @Test("segments are two seconds of whole frames; the last is clipped to the end")
    func windows() throws {
        let segments = PlaybackSegments(Self.edit(), width: 640, resolve: media)
        #expect(segments.count == 5)
        #expect(segments.framesPerSegment == 60)
        #expect(segments.frames(4) == 240..<300)
        #expect(segments.window(1) == T.TimeRange(start: 2, end: 4))
        #expect(segments.frames(5) == nil && segments.fingerprint(5) == nil && segments.fingerprint(-1) == nil)
        let doc = try #require(segments.document(2))
        #expect(doc.output.range == T.TimeRange(start: 4, end: 6))
        #expect(doc.output.format == .mp4 && doc.output.video.codec == .h264 && doc.output.audio?.codec == .aac && doc.output.loudness == nil)

        // NTSC: 60 frames of 1001/30000 s, and the end is where the frames end (10.01 s is 300 frames).
        let ntsc = PlaybackSegments(Self.edit { $0.output.fps = 29.97; $0.tracks[0].clips[0].length = 10.01 }, width: 640, resolve: media)
        #expect(ntsc.framesPerSegment == 60 && ntsc.totalFrames == 300 && ntsc.count == 5)
        let w = try #require(ntsc.window(1))
        #expect(abs(w.start - 2.002) < 1e-9 && abs(w.end - 4.004) < 1e-9)
        // A 2.5 s timeline: a full segment and half of one.
        let short = PlaybackSegments(timeline([[video("v", start: 0, length: 2.5)]], output: T.Output(width: 640, height: 360, fps: 25)), width: 640, resolve: media)
        #expect(short.count == 2 && short.frames(1) == 50..<63)
    }

    @Test("an edit of one title changes only the keys of the segments it overlaps")
    func titleEdit() {
        let before = Self.edit()
        #expect(Self.changed(before, Self.edit { $0.tracks[1].clips[0].asset = .text(T.TextAsset(text: "Goodbye")) }) == [1, 2])
        #expect(Self.changed(before, Self.edit { $0.tracks[1].clips[1].fadeIn = 0.3 }) == [3])
        // Moving a title changes where it was and where it lands.
        #expect(Self.changed(before, Self.edit { $0.tracks[1].clips[1].start = 0.5 }) == [0, 3])
        // Merge values count where they are used: the document's NAME shows only in segment 3.
        #expect(Self.changed(before, Self.edit { $0.merge["NAME"] = "Moon" }) == [3])
        #expect(Self.changed(before, Self.edit { $0.merge["UNUSED"] = "x" }) == [])
        // A clip ending exactly where a segment starts is not in it.
        #expect(Self.changed(before, Self.edit { $0.tracks[1].clips[0].length = 1 }) == [1, 2])
        #expect(Self.changed(Self.edit { $0.tracks[1].clips[0].length = 1 }, Self.edit { $0.tracks[1].clips[0].asset = .text(T.TextAsset(text: "x")); $0.tracks[1].clips[0].length = 1 }) == [1])
        // Nothing changed, nothing changes; ids and names of tracks do not show.
        #expect(Self.changed(before, Self.edit()) == [])
        #expect(Self.changed(before, Self.edit { $0.tracks[1].id = "titles"; $0.tracks[1].name = "Titles" }) == [])
    }

    @Test("output settings, background, preview width and track flags change every segment they reach")
    func outputEdits() {
        let before = Self.edit()
        #expect(Self.changed(before, Self.edit { $0.output.width = 1920; $0.output.height = 1080 }) == [0, 1, 2, 3, 4])
        #expect(Self.changed(before, Self.edit { $0.background = "#FF0000" }) == [0, 1, 2, 3, 4])
        #expect(Self.changed(before, Self.edit { $0.tracks[0].volume = 0.5 }) == [0, 1, 2, 3, 4])
        #expect(Self.changed(before, Self.edit { $0.tracks[1].hidden = true }) == [1, 2, 3])
        #expect(Self.fingerprints(before, width: 320) != Self.fingerprints(before))
        // What a preview does not render (the final codec, quality, loudness, range) changes nothing.
        #expect(Self.changed(before, Self.edit { $0.output.video.crf = 18; $0.output.loudness = -14; $0.output.video.codec = .vp9 }) == [])
        // The frame rate moves every frame: every key changes (the count stays 5 here).
        let x = Self.fingerprints(before)
        let y = Self.fingerprints(Self.edit { $0.output.fps = 25 })
        #expect(x.count == y.count && zip(x, y).allSatisfy { $0 != $1 })
    }

    @Test("a transition reaching into a segment puts both of its clips in that segment's key")
    func transitions() {
        // a: 0...3, b: 3...6 with a 1 s fade centred on the cut (2.5...3.5): segment 1 (2...4) holds both.
        func doc(_ change: (inout T) -> Void = { _ in }) -> T {
            var b = video("b", start: 3, length: 3)
            b.transition = T.Transition(type: .fade, duration: 1)
            var t = timeline([[video("a", start: 0, length: 3), b]], output: T.Output(width: 640, height: 360, fps: 25))
            change(&t)
            return t
        }
        #expect(Self.changed(doc(), doc { $0.tracks[0].clips[0].trim = 1 }) == [0, 1])
        #expect(Self.changed(doc(), doc { $0.tracks[0].clips[1].trim = 1 }) == [1, 2])
        // Conservative: the clip's whole entry is in its key, so its other segments change too.
        #expect(Self.changed(doc(), doc { $0.tracks[0].clips[1].transition?.type = .wipeleft }) == [1, 2])
        // A cut at 2.0 with a 1 s transition reaches back into segment 0 (1.5...2.5).
        func early(_ change: (inout T) -> Void = { _ in }) -> T {
            var b = video("b", start: 2, length: 3)
            b.transition = T.Transition(type: .fade, duration: 1)
            var t = timeline([[video("a", start: 0, length: 2), b]], output: T.Output(width: 640, height: 360, fps: 25))
            change(&t)
            return t
        }
        #expect(Self.changed(early(), early { $0.tracks[0].clips[1].trim = 1 }) == [0, 1, 2])
    }

    @Test("clips whose source is missing are left out, named, and their transitions dropped")
    func missingSources() throws {
        var b = video("b", start: 3, length: 3)
        b.transition = T.Transition(type: .fade, duration: 1)
        var c = video("c", "v.mp4", start: 6, length: 2)
        c.transition = T.Transition(type: .fade, duration: 1)
        b.asset = .video(T.VideoAsset(src: "gone.mp4"))
        let t = timeline([[video("a", start: 0, length: 3), b, c]], output: T.Output(width: 640, height: 360, fps: 25))
        let segments = PlaybackSegments(t, width: 640, resolve: media)
        #expect(segments.missingClips == ["b"])
        #expect(segments.missingIssues == [ValidationIssue(path: "/tracks/0/clips/1/asset/src", message: "asset 'gone.mp4' not found")])
        #expect(segments.timeline.tracks[0].clips.map(\.id) == ["a", "c"])
        #expect(segments.timeline.tracks[0].clips[1].transition == nil)
        #expect(segments.count == 4)
        // What is left renders as a render would: the document has no issue.
        let doc = try #require(segments.document(1))
        #expect(doc.validate(resolve: media) == [])
    }
}
