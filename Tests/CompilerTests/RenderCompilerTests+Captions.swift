import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// Captions clips and fonts: cues as drawtext filters on the text clips' path.
extension RenderCompilerTests {
    static let subtitles = """
        1
        00:00:00,500 --> 00:00:01,500
        First

        2
        00:00:02,000 --> 00:00:03,000
        Two <i>lines</i>
        &amp; more

        3
        00:00:04,000 --> 00:00:09,000
        Long one

        4
        00:00:20,000 --> 00:00:21,000
        After the clip
        """

    /// A resolver that adds captions files (`*.srt`, written to a temporary folder) and the Noto
    /// Serif font (`serif.ttf`) to the media table.
    func captionsResolver(_ files: [String: String]) throws -> SourceResolver {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("captions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var table: [String: ResolvedSource] = [:]
        for (name, text) in files {
            let file = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            table[name] = .captions(path: file.path)
        }
        table["serif.ttf"] = .font(path: "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
        let known = table
        return { src in known[src] ?? media(src) }
    }

    func captionsClip(start: Double = 1, length: Double = 6, trim: Double = 0, src: String = "subs.srt", box: T.Box? = nil) -> T.Clip {
        T.Clip(id: "subs", asset: .captions(T.CaptionsAsset(src: src, font: T.Font(size: 20), box: box)), start: start, length: length, trim: trim, position: .bottom)
    }

    /// The captions clip's chain onto the canvas, and how many drawtext slots and reinit commands it holds.
    func captionsChain(_ plan: RenderPlan) throws -> (chain: String, slots: Int, switches: Int) {
        let chain = try #require(chains(plan.filterGraph).first { $0.contains("drawtext@") })
        let switches = chain.components(separatedBy: "reinit").count - 1
        // Each switch names its slot twice (reinit, enable); each slot is named once more as a filter.
        return (chain, chain.components(separatedBy: "drawtext@t0c0_subs_").count - 1 - 2 * switches, switches)
    }

    @Test("cues are drawn relative to the clip start, cut at its end, bottom centre with a margin and an outline")
    func captionsTiming() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        let t = timeline([[captionsClip()]], output: T.Output(width: 640, height: 360, fps: 10))
        let plan = try RenderCompiler.compile(t, resolve: resolve)
        let (chain, slots, switches) = try captionsChain(plan)
        // Cue 1, cue 2's two lines, cue 3 cut at 7 s (cue 4 lies after the clip) share two drawtexts:
        // cue 2's second line needs its own; cue 2's first line and cue 3 follow cue 1 in the first.
        #expect(slots == 2 && switches == 2)
        #expect(chain.hasPrefix("[canvas0]sendcmd=commands="))
        #expect(chain.hasSuffix("[canvas1]"))
        #expect(chain.contains("drawtext@t0c0_subs_0=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:expansion=none:text=First:fontsize=20:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*1-18':borderw=2:bordercolor=0x000000FF:enable='between(t,1.45,2.45)'"))
        // Two centred lines, 24 px apart, the block's bottom 18 px above the canvas's.
        #expect(chain.contains("drawtext@t0c0_subs_1=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:expansion=none:text=&\\\\ more:fontsize=20:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-48)*1+43-ascent-18':borderw=2:bordercolor=0x000000FF:enable='between(t,2.95,3.95)'"))
        // The first slot switches to cue 2's first line at 2.95 s, then to cue 3 (cut at 7 s) at 4.95 s.
        for expected in ["2.95", "(h-48)*1+19-ascent-18", "Two", "4.95", "between(t", "6.95", "Long"] {
            #expect(chain.contains(expected), "\(expected)")
        }
    }

    @Test("trim skips into the file; a box replaces the outline; opacity, offset and fades apply as for text")
    func captionsStyle() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        var clip = captionsClip(start: 0, length: 3, trim: 2, box: T.Box(color: "#00000080", padding: 6))
        clip.position = .topLeft
        clip.offset = T.Offset(x: 0.1, y: 0)
        clip.opacity = 0.5
        clip.fadeIn = 1
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: resolve)
        let (chain, slots, switches) = try captionsChain(plan)
        // Cue 2 at 0..1 s, left-aligned at the top left (one drawtext lays out both lines), 32 px in
        // + 64 px offset; then cue 3 at 2..3 s in the same drawtext.
        #expect(slots == 1 && switches == 1)
        #expect(chain.contains(#"text=Two\\ lines\\"# + "\n" + #"&\\ more:"#))
        #expect(chain.contains("x='(w-text_w)*0+96':y='(h-text_h)*0+18':box=1:boxcolor=0x00000080:boxborderw=6:alpha='0.5*clip((t-0)/1,0,1)':enable='between(t,-0.05,0.95)'"))
        #expect(!chain.contains("borderw=2"))
        #expect(chain.contains("1.95") && chain.contains("Long"))
    }

    @Test("a range render or frame preview emits only the cues in its window")
    func captionsWindow() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        var t = timeline([[captionsClip()]], output: T.Output(width: 640, height: 360, fps: 10))
        t.output.range = T.TimeRange(start: 3.2, end: 4)
        let range = try captionsChain(try RenderCompiler.compile(t, resolve: resolve))
        #expect(range.slots == 2 && range.switches == 0)
        #expect(range.chain.contains("Two") && range.chain.contains("more") && !range.chain.contains("sendcmd"))
        t.output.range = T.TimeRange(start: 5.5, end: 5.6)
        t.output.format = .jpg
        t.output.audio = nil
        let still = try captionsChain(try RenderCompiler.compile(t, resolve: resolve))
        #expect(still.slots == 1 && still.switches == 0)
        #expect(still.chain.contains("text=Long"))
    }

    /// Cue 2 starts while cue 1 shows; cue 3 after both.
    static let overlapping = """
        1
        00:00:00,000 --> 00:00:03,000
        Speaker one

        2
        00:00:01,000 --> 00:00:02,000
        Speaker two

        3
        00:00:04,000 --> 00:00:05,000
        Later
        """

    @Test("a cue that starts while others show stacks above them; after they end, cues sit at the margin again")
    func overlappingCues() throws {
        let resolve = try captionsResolver(["over.srt": Self.overlapping])
        let plan = try RenderCompiler.compile(timeline([[captionsClip(start: 0, src: "over.srt")]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: resolve)
        let (chain, slots, _) = try captionsChain(plan)
        #expect(slots == 2)
        // 18 px margin, then one 24 px line above the first cue.
        #expect(chain.contains("text=Speaker\\\\ one:fontsize=20:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*1-18'"))
        #expect(chain.contains("text=Speaker\\\\ two:fontsize=20:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*1-42'"))
        #expect(chain.contains("Later") && !chain.contains("-66"))
    }

    @Test("scale keyframes on captions: font size per frame, stacked cues a pitch of the growing size above, the outline by reinit")
    func scaledCaptions() throws {
        let resolve = try captionsResolver(["over.srt": Self.overlapping])
        var clip = captionsClip(start: 0, length: 3, src: "over.srt")
        clip.animate = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1), T.Keyframe(t: 2, value: 2)])]
        #expect(timeline([[clip]]).validate(resolve: resolve) == [])
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: resolve)
        let chain = try captionsChain(plan).chain
        let size = "max(1,round(20*(if(lt((t-0),0),1,if(lt((t-0),2),1+1*((t-0)-0)/2,2)))))"
        #expect(chain.contains("text=Speaker\\\\ one:fontsize='\(size)':fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*1-18'"), "\(chain)")
        // The 18 px margin stays; the line above is 1.2 em of the current size (no box: no padding).
        #expect(chain.contains("y='(h-text_h)*1-18-1*(round(1.2*\(size)))'"))
        // The outline (2 px at 20 px) grows to 3 px at 1.25× (0.5 s) and 4 px at 1.75× (1.5 s), half a frame early.
        #expect(plan.filterGraph.contains(#"[canvas0]sendcmd=commands=0.45\\ drawtext@t0c0_subs_0\\ reinit\\ borderw=3\,\\ drawtext@t0c0_subs_1\\ reinit\\ borderw=3\;1.45\\ drawtext@t0c0_subs_0\\ reinit\\ borderw=4\,\\ drawtext@t0c0_subs_1\\ reinit\\ borderw=4,"#), "\(chain)")
    }

    @Test("a transition into and out of captions: the cues on a layer of their own in stream time, through the borrowed frames")
    func captionsInTransitions() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        // Cues 1 (0.5..1.5 s) and 2 (2..3 s) on 0..2.5 s; a 1 s dissolve into a video at 2.5 s.
        var next = video("v", start: 2.5, length: 2)
        next.transition = T.Transition(type: .fade, duration: 1)
        let t = timeline([[captionsClip(start: 0, length: 2.5), next]], output: T.Output(width: 640, height: 360, fps: 10))
        #expect(t.validate(resolve: resolve) == [])
        let plan = try RenderCompiler.compile(t, resolve: resolve)
        let layer = try #require(chains(plan.filterGraph).first { $0.hasSuffix("[t0c0_subs_v]") })
        // 30 frames: 25 of the clip and 5 borrowed; cue 2 runs on through them to 3 s. Outlined
        // in black, so a transparent black frame, premultiplied for xfade.
        #expect(layer.hasPrefix("color=c=0x00000000:s=640x360:r=10/1,trim=end_frame=30,format=yuva420p,sendcmd=commands="))
        #expect(layer.contains("drawtext@t0c0_subs_0=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:expansion=none:text=First:fontsize=20:"))
        #expect(layer.contains("enable='between(t,0.45,1.45)'"))
        // Cue 2 follows in the first slot at 2 s (stream time; enabled to its end, 3 s, past the clip's 2.5 s).
        let command = try #require(layer.components(separatedBy: "sendcmd=commands=").last?.components(separatedBy: ",drawtext@").first)
        #expect(command.hasPrefix("1.95") && command.contains("Two") && command.contains("2.95"), "\(command)")
        #expect(layer.hasSuffix(",premultiply=inplace=1[t0c0_subs_v]"))
        #expect(plan.filterGraph.contains("[t0c0_subs_v][t0c1_v_v]xfade=transition=fade:duration=1:offset=2"))
        // Into captions: their stream starts half the transition before the clip.
        var captions = captionsClip(start: 2, length: 2)
        captions.transition = T.Transition(type: .wipeleft, duration: 1)
        let into = try RenderCompiler.compile(timeline([[video("v", start: 0, length: 2), captions]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: resolve)
        let second = try #require(chains(into.filterGraph).first { $0.hasSuffix("[t0c1_subs_v]") })
        // Cue 1 at 2.5..3.5 s on the timeline is 1..2 s of the stream, which starts at 1.5 s.
        #expect(second.contains("text=First:") && second.contains("enable='between(t,0.95,1.95)'"), "\(second)")
    }

    @Test("captions sources must be captions files, media sources media, and files must parse")
    func captionsSources() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles, "bad.srt": "1\n00:00:01,000 --> soon\nA\n"])
        var missing = captionsClip(src: "missing.srt")
        missing.id = "missing"
        let wrong = timeline([[captionsClip(src: "v.mp4")], [video("v", "subs.srt", start: 0, length: 1)], [missing]])
        #expect(wrong.validate(resolve: resolve) == [
            ValidationIssue(path: "/tracks/0/clips/0/asset/src", message: "'v.mp4' is not a captions file (SRT or WebVTT)"),
            ValidationIssue(path: "/tracks/1/clips/0/asset/src", message: "'subs.srt' is a captions file, not media to show in a video clip"),
            ValidationIssue(path: "/tracks/2/clips/0/asset/src", message: "asset 'missing.srt' not found"),
        ])
        let bad = timeline([[captionsClip(src: "bad.srt")]])
        #expect(throws: RenderError.invalidTimeline([ValidationIssue(
            path: "/tracks/0/clips/0/asset/src", message: "'bad.srt': captions line 2: 'soon' is not a cue time (expected HH:MM:SS,mmm)")])) {
            try RenderCompiler.compile(bad, resolve: resolve)
        }
    }

    @Test("fonts: families through fontconfig, unknown families refused, font.src files used")
    func fonts() throws {
        let resolve = try captionsResolver([:])
        func text(_ font: T.Font) -> T.Clip {
            T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi", font: font)), start: 0, length: 1)
        }
        let unknown = timeline([[text(T.Font(family: "Comic Sans Nowhere"))]]).validate(resolve: resolve)
        #expect(unknown.map(\.path) == ["/tracks/0/clips/0/asset/font/family"])
        #expect(unknown.first?.message.hasPrefix("unknown font family 'Comic Sans Nowhere'; installed families include DejaVu Sans") == true)
        // Colour bitmap fonts cannot be sized by drawtext: not a family text may use.
        #expect(FontCatalog.file(family: "Noto Color Emoji", weight: .normal) == nil)
        #expect(FontCatalog.file(family: "noto serif", weight: .bold) == "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf")
        #expect(FontCatalog.file(family: "monospace", weight: .normal) == "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
        #expect(FontCatalog.family(ofFile: "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf") == "Noto Serif")
        #expect(FontCatalog.family(ofFile: "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf") == nil)
        #expect(FontCatalog.family(ofFile: "/etc/hostname") == nil)

        let notFont = timeline([[text(T.Font(src: "v.mp4")), text(T.Font(src: "nope.ttf"))]])
        #expect(notFont.validate(resolve: resolve).filter { $0.path.hasSuffix("/font/src") } == [
            ValidationIssue(path: "/tracks/0/clips/0/asset/font/src", message: "'v.mp4' is not a font file (TrueType or OpenType)"),
            ValidationIssue(path: "/tracks/0/clips/1/asset/font/src", message: "font 'nope.ttf' not found"),
        ])
        let plan = try RenderCompiler.compile(timeline([[text(T.Font(family: "not used", src: "serif.ttf"))]]), resolve: resolve)
        #expect(plan.filterGraph.contains("drawtext=fontfile=/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf:"))
        #expect(timeline([[text(T.Font(src: "serif.ttf"))]]).sourceReferences == ["serif.ttf"])
    }

    @Test("font.src is read from and written to documents")
    func fontSourceDocument() throws {
        let json = #"{"version": 1, "output": {}, "tracks": [{"id": "t", "clips": [{"id": "a", "asset": {"type": "text", "text": "Hi", "font": {"src": "asset:F1", "size": 30}}, "start": 0, "length": 1}]}]}"#
        let t = try TimelineDocument.decode(Data(json.utf8))
        guard case .text(let text) = t.tracks[0].clips[0].asset else { Issue.record("not text"); return }
        #expect(text.font.src == "asset:F1")
        #expect(String(decoding: t.encodedJSON(), as: UTF8.self).contains(#""src":"asset:F1""#))
        #expect(throws: RenderError.self) {
            try TimelineDocument.decode(Data(json.replacingOccurrences(of: #""src""#, with: #""file""#).utf8))
        }
    }
}
