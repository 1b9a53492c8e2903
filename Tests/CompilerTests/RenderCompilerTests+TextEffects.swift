import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// Effects on text and captions clips in the compiled graph: the text drawn on a transparent layer
/// of its own, which then goes the way of an image with those effects.
extension RenderCompilerTests {
    private func title(_ effects: [T.Effect], position: T.Position = .center, offset: T.Offset = T.Offset()) -> T.Clip {
        T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi", font: T.Font(size: 40))), start: 1, length: 2, position: position, offset: offset, effects: effects)
    }

    @Test("text with effects: drawn centred on a layer just larger than its block, blurred premultiplied, overlaid at its anchor")
    func textLayerGraph() throws {
        let plan = try RenderCompiler.compile(timeline([[title([.blur(amount: 3)])]]), resolve: media)
        let layer = try #require(chain(plan, ending: "t0c0_t_v"), "\(plan.filterGraph)")
        // "Hi" at 40 px is 41×30 (drawtext's text_w, text_h); with a 4 px margin around it, 50×38 (even, for 4:2:0).
        #expect(layer.hasPrefix("color=c=0xFFFFFF00:s=50x38:r=30/1,trim=end_frame=60,format=yuva420p,drawtext=fontfile="), "\(layer)")
        #expect(layer.contains(":fontsize=40:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*0.5',premultiply=inplace=1,gblur=sigma=3,unpremultiply=inplace=1,scale=w=50:h=38,setsar=1,format=yuva420p,setpts=PTS+30[t0c0_t_v]"), "\(layer)")
        #expect(!layer.contains("enable="), "the layer is the clip's own stream: always drawn")
        #expect(plan.filterGraph.contains("[canvas0][t0c0_t_v]overlay=x=294:y=160:eof_action=pass[canvas1]"))
        #expect(!plan.filterGraph.contains("drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:expansion=none:text=Hi:fontsize=40:fontcolor=0xFFFFFFFF:x='(w-text_w)*0.5':y='(h-text_h)*0.5':enable"))
        // Without effects the text is drawn straight onto the canvas (cheaper).
        let direct = try RenderCompiler.compile(timeline([[title([])]]), resolve: media)
        #expect(chain(direct, ending: "canvas1")?.hasPrefix("[canvas0]drawtext=") == true)
        #expect(!direct.filterGraph.contains("yuva420p"))
    }

    @Test("text with effects lands where drawtext alone puts it: the layer's margin is cropped off at the canvas edge")
    func textLayerPlacement() throws {
        // drawtext alone: at 64, 36. The 41×30 block is 4 (4.5) px into its 50×38 layer, which starts
        // 4.5 px before the block, on even pixels: 58, 32 (the text lands at 62, 36).
        let plan = try RenderCompiler.compile(timeline([[title([.grayscale], position: .topLeft, offset: T.Offset(x: 0.1, y: 0.1))]]), resolve: media)
        #expect(plan.filterGraph.contains("hue=s=0,scale=w=50:h=38,setsar=1,format=yuva420p,setpts=PTS+30[t0c0_t_v];[canvas0][t0c0_t_v]overlay=x=58:y=32:"), "\(plan.filterGraph)")
        let corner = try RenderCompiler.compile(timeline([[title([.grayscale], position: .topLeft)]]), resolve: media)
        #expect(corner.filterGraph.contains("hue=s=0,scale=w=50:h=38,setsar=1,crop=w=44:h=34:x=6:y=4,format=yuva420p,setpts=PTS+30[t0c0_t_v];[canvas0][t0c0_t_v]overlay=x=0:y=0:"), "\(corner.filterGraph)")
    }

    @Test("text with effects: rotate turns the layer; chromakey is multiplied into the layer's alpha")
    func textLayerEffects() throws {
        let turned = try RenderCompiler.compile(timeline([[title([.rotate(degrees: 90)])]]), resolve: media)
        #expect(chain(turned, ending: "t0c0_t_v")?.contains("transpose=clock,scale=w=38:h=50,") == true)
        let keyed = try RenderCompiler.compile(timeline([[title([.chromakey(color: "#FFFFFF", similarity: 0.1, blend: 0)])]]), resolve: media)
        #expect(keyed.filterGraph.contains(
            "format=yuva420p,split[t0c0_t_key0_in][t0c0_t_key0_alpha];[t0c0_t_key0_in]chromakey=color=0xEB8080:similarity=0.1:blend=0:yuv=1[t0c0_t_key0_out];[t0c0_t_key0_out][t0c0_t_key0_alpha]blend=c3_mode=multiply,scale=w=50:h=38,"),
            "\(keyed.filterGraph)")
        // A free rotation mixes pixels: premultiplied too.
        let tilted = try RenderCompiler.compile(timeline([[title([.rotate(degrees: 30)])]]), resolve: media)
        #expect(chain(tilted, ending: "t0c0_t_v")?.contains("premultiply=inplace=1,format=yuva420p,rotate=a=0.523599:") == true)
    }

    @Test("text with effects and scale keyframes: drawn once at the largest size, the layer scaled per frame from there")
    func textLayerScaleKeyframes() throws {
        var clip = title([.sepia])
        clip.animate = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1), T.Keyframe(t: 2, value: 2)])]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        let layer = try #require(chain(plan, ending: "t0c0_t_v"), "\(plan.filterGraph)")
        #expect(layer.contains(":fontsize=80:") && !layer.contains("fontsize='"))
        #expect(layer.contains("if(lt((t-0),2),0.5+0.5*((t-0)-0)/2,1)"), "\(layer)")
        #expect(layer.contains(":eval=frame,setsar=1"))
    }

    @Test("text with effects in a transition is padded to the canvas like a picture")
    func textLayerTransition() throws {
        var second = title([.flip(horizontal: true, vertical: false)])
        second.start = 2
        second.transition = T.Transition(type: .fade, duration: 1)
        let plan = try RenderCompiler.compile(timeline([[video("a", start: 0, length: 2), second]]), resolve: media)
        let member = try #require(chain(plan, ending: "t0c1_t_v"), "\(plan.filterGraph)")
        #expect(member.hasPrefix("color=c=0xFFFFFF00:s=50x38:r=30/1,trim=end_frame=75,format=yuva420p,drawtext="), "\(member)")
        #expect(member.hasSuffix(",hflip,scale=w=50:h=38,setsar=1,format=yuva420p,pad=w=640:h=360:x=294:y=160:color=0x00000000,premultiply=inplace=1[t0c1_t_v]"), "\(member)")
    }

    @Test("captions with effects: the cues drawn on a canvas-size layer, which gets the effects and is overlaid at 0,0")
    func captionsLayerGraph() throws {
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        var clip = captionsClip()
        clip.effects = [.blur(amount: 2)]
        clip.opacity = 0.5
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: resolve)
        let layer = try #require(chain(plan, ending: "t0c0_subs_v"), "\(plan.filterGraph)")
        #expect(layer.hasPrefix("color=c=0x00000000:s=640x360:r=10/1,trim=end_frame=60,format=yuva420p,sendcmd="), "\(layer)")
        #expect(layer.contains("premultiply=inplace=1,gblur=sigma=2,unpremultiply=inplace=1,scale=w=640:h=360,setsar=1,format=yuva420p,lutyuv=y=val:u=val:v=val:a=val*0.5,setpts=PTS+10[t0c0_subs_v]"), "\(layer)")
        #expect(plan.filterGraph.contains("[canvas0][t0c0_subs_v]overlay=x=0:y=0:eof_action=pass[canvas1]"))
    }

    @Test("every effect is accepted on text and captions clips; on an audio clip it is still an issue")
    func textEffectsValidate() throws {
        let effects: [T.Effect] = [
            .blur(amount: 2), .grayscale, .sepia, .color(brightness: 0.1, contrast: 1, saturation: 1),
            .kenburns(from: T.KenBurnsFrame(scale: 1, x: 0, y: 0), to: T.KenBurnsFrame(scale: 1.2, x: 0, y: 0)),
            .crop(x: 0, y: 0, width: 0.5, height: 1), .flip(horizontal: true, vertical: false), .rotate(degrees: 45),
            .chromakey(color: "#FFFFFF", similarity: 0.1, blend: 0),
        ]
        let text = title(effects)
        var captions = captionsClip()
        captions.effects = effects
        var music = T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 0, length: 2)
        music.effects = [.grayscale]
        let resolve = try captionsResolver(["subs.srt": Self.subtitles])
        #expect(timeline([[text], [captions], [music]]).validate(resolve: resolve).map(\.path) == ["/tracks/2/clips/0/effects/0"])
        _ = try RenderCompiler.compile(timeline([[text], [captions]]), resolve: resolve)
    }
}
