import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// The covering canvas: a first track of opaque full-canvas clips is the canvas itself.
extension RenderCompilerTests {
    private var opaque: SourceResolver {
        var hd = tenSecondVideo
        hd.hasAlpha = false
        var withAlpha = tenSecondVideo
        withAlpha.hasAlpha = true
        return resolver(["hd.mp4": hd, "alpha.mov": withAlpha, "logo.png": stillImage])
    }

    @Test("opaque full-canvas clips are the canvas: joined by concat, background only in gaps, xfade only over the transition")
    func coveringCanvas() throws {
        var b = video("b", "hd.mp4", start: 3, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        let t = timeline([[video("a", "hd.mp4", start: 0, length: 3), b, video("c", "hd.mp4", start: 6, length: 1)]],
                         output: T.Output(width: 640, height: 360, fps: 30, audio: nil))
        let plan = try RenderCompiler.compile(t, resolve: opaque)
        let graph = chains(plan.filterGraph)
        #expect(!graph.contains { $0.contains("overlay") })
        #expect(!graph.contains { $0.contains("yuva420p") })
        // a: 90 frames + a 15-frame tail; b: a 15-frame head + 60 frames; the fade is a's last 30 frames and b's first 30.
        #expect(chain(plan, ending: "t0c0_a_own") == "[t0c0_a_tap0]trim=start_frame=0:end_frame=75,setpts=PTS-STARTPTS[t0c0_a_own]")
        #expect(chain(plan, ending: "t0c0_a_out") == "[t0c0_a_tap1]trim=start_frame=75:end_frame=105,setpts=PTS-STARTPTS[t0c0_a_out]")
        #expect(chain(plan, ending: "t0c1_b_in") == "[t0c1_b_tap0]trim=start_frame=0:end_frame=30,setpts=PTS-STARTPTS[t0c1_b_in]")
        #expect(chain(plan, ending: "t0c1_b_own") == "[t0c1_b_tap1]trim=start_frame=30:end_frame=75,setpts=PTS-STARTPTS[t0c1_b_own]")
        #expect(chain(plan, ending: "t0c1_b_x") == "[t0c0_a_out][t0c1_b_in]xfade=transition=fade:duration=1:offset=0,format=yuv420p[t0c1_b_x]")
        #expect(chain(plan, ending: "t0c0_a_c") == "[t0c0_a_own][t0c1_b_x][t0c1_b_own]concat=n=3:v=1:a=0,settb=expr=1/30,setpts=N[t0c0_a_c]")
        #expect(chain(plan, ending: "t0c0_a_tap1")?.hasSuffix("scale=w=640:h=360:flags=area,setsar=1,format=yuv420p,split=2[t0c0_a_tap0][t0c0_a_tap1]") == true)
        // 150 frames of a and b, a 30-frame gap of background, then c.
        #expect(chain(plan, ending: "base0") == "[t0c0_a_c]trim=end_frame=150,setpts=PTS-STARTPTS,format=yuv420p[base0]")
        #expect(chain(plan, ending: "base1") == "color=c=0x000000FF:s=640x360:r=30/1,trim=end_frame=1,format=rgb24,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=30,setsar=1[base1]")
        #expect(chain(plan, ending: "base2") == "[t0c2_c_v]trim=end_frame=30,setpts=PTS-STARTPTS,format=yuv420p[base2]")
        #expect(chain(plan, ending: "canvas0") == "[base0][base1][base2]concat=n=3:v=1:a=0,settb=expr=1/30,setpts=N+0[canvas0]")
        #expect(plan.totalFrames == 210)
    }

    @Test("a range starting inside a covering group starts every member at the window, the blend part-way")
    func coveringCanvasWindow() throws {
        var b = video("b", "hd.mp4", start: 3, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        var output = T.Output(width: 640, height: 360, fps: 30, audio: nil)
        output.range = T.TimeRange(start: 3, end: 4)
        let plan = try RenderCompiler.compile(timeline([[video("a", "hd.mp4", start: 0, length: 3), b]], output: output), resolve: opaque)
        // a's stream (frames 0..<105) and b's (75..<165) both arrive from frame 90, half-way through the fade.
        #expect(plan.inputs.map(\.seek) == [3, 0])
        let out = try #require(chain(plan, ending: "t0c0_a_out"))
        #expect(out.contains(",trim=start_frame=90:end_frame=105,") && out.hasSuffix(",format=yuv420p,trim=start_frame=0:end_frame=15,setpts=PTS-STARTPTS[t0c0_a_out]"))
        #expect(chain(plan, ending: "t0c1_b_x") == "[t0c0_a_out][t0c1_b_in]xfade=transition=fade:duration=1:offset=-0.5,format=yuv420p[t0c1_b_x]")
        #expect(chain(plan, ending: "t0c0_a_c") == "[t0c1_b_x][t0c1_b_own]concat=n=2:v=1:a=0,settb=expr=1/30,setpts=N[t0c0_a_c]")
        #expect(chain(plan, ending: "canvas0") == "[base0]settb=expr=1/30,setpts=N+90[canvas0]")
        #expect(chain(plan, ending: "base0") == "[t0c0_a_c]trim=end_frame=30,setpts=PTS-STARTPTS,format=yuv420p[base0]")
        #expect(plan.totalFrames == 30)
    }

    @Test("the background canvas stays where the first track does not cover it opaquely", arguments: [
        "smaller", "translucent", "faded", "alpha source", "unknown source", "chromakey", "image", "hidden",
    ])
    func backgroundCanvas(_ reason: String) throws {
        var clip = video("a", "hd.mp4", start: 0, length: 2)
        var tracks = [[clip]]
        switch reason {
        case "smaller": clip.scale = 0.5
        case "translucent": clip.opacity = 0.5
        case "faded": clip.fadeIn = 0.5
        case "alpha source": clip = video("a", "alpha.mov", start: 0, length: 2)
        case "unknown source": clip = video("a", "v.mp4", start: 0, length: 2)
        case "chromakey": clip.effects = [.chromakey(color: "#00FF00", similarity: 0.1, blend: 0)]
        case "image": clip = T.Clip(id: "a", asset: .image(T.ImageAsset(src: "logo.png")), start: 0, length: 2, fit: .fill)
        default: break
        }
        tracks = [[clip]]
        var t = timeline(tracks, output: T.Output(width: 640, height: 360, fps: 30, audio: nil))
        if reason == "hidden" { t.tracks[0].hidden = true }
        let plan = try RenderCompiler.compile(t, resolve: reason == "unknown source" ? media : opaque)
        #expect(plan.filterGraph.hasPrefix("color=c=0x000000FF:s=640x360:r=30/1,trim=end_frame=1,format=rgb24,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=60[canvas0]"), "\(reason)")
        #expect(!plan.filterGraph.contains("concat"), "\(reason)")
    }
}
