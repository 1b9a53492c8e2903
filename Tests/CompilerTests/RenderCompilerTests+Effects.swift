import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// Effects, keyframes, speed and text layout in the compiled graph (pure, no FFmpeg).
extension RenderCompilerTests {
    @Test("effects compile in order at source size; crop and rotate change the fitted size")
    func effects() throws {
        var clip = video("fx", start: 0, length: 1)
        clip.effects = [
            .blur(amount: 4), .grayscale, .sepia, .color(brightness: 0.1, contrast: 1.5, saturation: 0.5),
            .crop(x: 0.25, y: 0, width: 0.5, height: 1), .flip(horizontal: true, vertical: true), .rotate(degrees: 90),
        ]
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360)), resolve: media)
        let fx = try #require(chain(plan, ending: "t0c0_fx_v"))
        // 1920×1080 cropped to 960×1080, turned to 1080×960, covers 640×360 at 640×568: 1 canvas px = 0.5926 source px,
        // so a 4 px blur is sigma 6.75 at source size.
        #expect(fx.contains("trim=end_frame=30,gblur=sigma=6.75,hue=s=0,colorchannelmixer=rr=0.393:rg=0.769:rb=0.189:gr=0.349:gg=0.686:gb=0.168:br=0.272:bg=0.534:bb=0.131,eq=brightness=0.1:contrast=1.5:saturation=0.5,crop=w=960:h=1080:x=480:y=0,hflip,vflip,transpose=clock,scale=w=640:h=568:flags=area,setsar=1,crop=w=640:h=360:x=0:y=104,format=yuva420p["), "\(fx)")
    }

    @Test("rotations: quarter turns are exact, others turn inside a transparent bounding box", arguments: [
        (90.0, "transpose=clock"), (-90.0, "transpose=cclock"), (270.0, "transpose=cclock"), (180.0, "hflip,vflip"),
        (360.0, "trim=end_frame=30,scale="),
        (30.0, "format=yuva420p,rotate=a=0.523599:ow=2202:oh=1896:c=none,scale="),
    ])
    func rotate(degrees: Double, expected: String) throws {
        var clip = video("r", start: 0, length: 1)
        clip.effects = [.rotate(degrees: degrees)]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(chain(plan, ending: "t0c0_r_v")?.contains(expected) == true, "\(chain(plan, ending: "t0c0_r_v") ?? "")")
    }

    @Test("chromakey keys on yuva; a similarity below libavfilter's 0.01 is an issue")
    func chromakey() throws {
        var clip = video("k", start: 0, length: 1)
        clip.effects = [.chromakey(color: "#00FF00", similarity: 0.2, blend: 0.05)]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(chain(plan, ending: "t0c0_k_v")?.contains("format=yuva420p,chromakey=color=0xAD2A1A:similarity=0.2:blend=0.05:yuv=1,scale=") == true)
        clip.effects = [.chromakey(color: "#00FF00", similarity: 0.001, blend: 0)]
        #expect(timeline([[clip]]).validate(resolve: media).map(\.path) == ["/tracks/0/clips/0/effects/0/similarity"])
    }

    @Test("colour clips with effects are generated at canvas size and fitted like a source")
    func colorEffects() throws {
        var clip = T.Clip(id: "c", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0, length: 1)
        clip.effects = [.grayscale]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(chain(plan, ending: "t0c0_c_v") == "color=c=0xFF0000FF:s=640x360:r=30/1,trim=end_frame=1,format=rgba,scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=30,hue=s=0,scale=w=640:h=360,setsar=1,format=yuva420p[t0c0_c_v]")
    }

    @Test("Ken Burns: perspective corners move linearly over the clip's frames, clamped inside the picture")
    func kenBurns() throws {
        var clip = video("kb", start: 0, length: 2)
        clip.effects = [.kenburns(from: T.KenBurnsFrame(scale: 1, x: 0, y: 0), to: T.KenBurnsFrame(scale: 2, x: 0.5, y: 0))]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        // To: a 960×540 view, its centre pushed right to the picture's edge (clamped at x 960...1920).
        let p = "clip((in-1)/59,0,1)"
        #expect(chain(plan, ending: "t0c0_kb_v")?.contains("perspective=x0='0+960*\(p)':y0='0+270*\(p)':x1=1920:y1='0+270*\(p)':x2='0+960*\(p)':y2='1080+-270*\(p)':x3=1920:y3='1080+-270*\(p)':interpolation=linear:eval=frame,scale=w=640:h=360") == true, "\(plan.filterGraph)")
    }

    @Test("speed: pictures re-timed by source time ÷ speed, sound through atempo (chained beyond 0.5...2), default length ÷ speed", arguments: [
        (2.0, ["atempo=2"]), (4.0, ["atempo=2", "atempo=2"]), (0.25, ["atempo=0.5", "atempo=0.5"]), (0.75, ["atempo=0.75"]), (3.0, ["atempo=2", "atempo=1.5"]),
    ])
    func speed(speed: Double, tempo: [String]) throws {
        var clip = video("s", start: 0, trim: 1)
        clip.speed = speed
        if speed < 1 { clip.length = 2 }
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        let length = speed < 1 ? 2 : 9 / speed
        #expect(plan.totalFrames == Int((length * 30).rounded()))
        let picture = try #require(chain(plan, ending: "t0c0_s_v"))
        #expect(picture.hasPrefix("[t0c0_s_vin]setpts=(PTS-1/TB)/\(decimal(speed)),fps=fps=30/1:start_time=0,"), "\(picture)")
        #expect(plan.inputs[0].seek == 1)
        #expect(abs((plan.inputs[0].until ?? 0) - (1 + Double(plan.totalFrames) / 30 * speed + 0.25 * speed)) < 1e-9)
        let sound = try #require(chain(plan, ending: "t0c0_s_a"))
        #expect(sound.contains("asetpts=PTS-STARTPTS,\(tempo.joined(separator: ",")),asetpts=N/SR/TB,aresample=48000,"), "\(sound)")
        #expect(sound.contains("apad=whole_len=\(plan.totalFrames * 1600),atrim=end_sample=\(plan.totalFrames * 1600)"))
    }

    @Test("a clip at 2× must fit trim + length × speed inside its source")
    func speedValidation() {
        var clip = video("s", start: 0, length: 5, trim: 1)
        clip.speed = 2
        #expect(timeline([[clip]]).validate(resolve: media).map(\.path) == ["/tracks/0/clips/0/length"])
        clip.length = 4.5
        #expect(timeline([[clip]]).validate(resolve: media) == [])
    }

    @Test("keyframe curves: hold outside the keys, the later key's easing between them", arguments: [
        (T.Easing.linear, 0.25, 0.25), (.easeIn, 0.25, 0.0625), (.easeOut, 0.25, 0.4375), (.easeInOut, 0.25, 0.125), (.easeInOut, 0.75, 0.875),
    ])
    func curve(easing: T.Easing, p: Double, expected: Double) throws {
        let curve = try #require(KeyframeCurve([T.Keyframe(t: 1, value: 0, easing: .easeIn), T.Keyframe(t: 3, value: 1, easing: easing)]))
        #expect(abs(curve.value(at: 1 + 2 * p) - expected) < 1e-12)
        #expect(curve.value(at: 0) == 0 && curve.value(at: 5) == 1)
    }

    @Test("keyframe expressions: nested ifs of clip time")
    func curveExpression() throws {
        let curve = try #require(KeyframeCurve([T.Keyframe(t: 0, value: 0), T.Keyframe(t: 1, value: 1, easing: .easeOut), T.Keyframe(t: 2, value: 0.5)]))
        #expect(curve.expression(u: "(t-1)") == "if(lt((t-1),0),0,if(lt((t-1),1),0+1*(1-pow(1-((t-1)-0)/1,2)),if(lt((t-1),2),1+-0.5*((t-1)-1)/1,0.5)))")
        #expect(KeyframeCurve([T.Keyframe(t: 1, value: 0.3)])?.expression(u: "t", scale: 2) == "0.6")
    }

    @Test("opacity keyframes: an alpha lutyuv driven by sendcmd, one command per frame whose value changes")
    func opacityKeys() throws {
        var clip = T.Clip(id: "o", asset: .color(T.ColorAsset(color: "#FF0000")), start: 1, length: 1)
        clip.animate = [T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 0.1, value: 1)])]
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 30, audio: nil)), resolve: media)
        let name = "lutyuv@t0c0_o_opacity"
        #expect(chain(plan, ending: "t0c0_o_v") == "color=c=0xFF0000FF:s=640x360:r=30/1,trim=end_frame=1,format=rgba,scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=30,sendcmd=commands='0.033333 \(name) a val*0.333;0.066666 \(name) a val*0.667;0.1 \(name) a val*1',\(name)=y=val:u=val:v=val:a=val*0,setpts=PTS+30[t0c0_o_v]")
        clip.opacity = 0
        #expect(try RenderCompiler.compile(timeline([[clip]]), resolve: media).filterGraph.contains("sendcmd"), "keyframes replace the fixed opacity")
    }

    @Test("scale and offset keyframes: scale per frame, overlay at expressions of timeline time")
    func geometryKeys() throws {
        var clip = video("g", start: 2, length: 2)
        clip.fit = T.Fit.none
        clip.position = .topLeft
        clip.animate = [
            T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 0.1), T.Keyframe(t: 1, value: 0.2)]),
            T.Animation(property: .offsetX, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 2, value: 0.5)]),
        ]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        let picture = try #require(chain(plan, ending: "t0c0_g_v"))
        #expect(picture.hasSuffix("format=yuva420p,scale=w='max(2,trunc(1920*(if(lt((t-0),0),0.1,if(lt((t-0),1),0.1+0.1*((t-0)-0)/1,0.2)))/2)*2)':h='max(2,trunc(1080*(if(lt((t-0),0),0.1,if(lt((t-0),1),0.1+0.1*((t-0)-0)/1,0.2)))/2)*2)':eval=frame,setsar=1,setpts=PTS+60[t0c0_g_v]"), "\(picture)")
        #expect(!picture.contains("crop="))
        #expect(plan.filterGraph.contains("[canvas0][t0c0_g_v]overlay=x='floor(((W-w)*0+(if(lt((t-2),0),0,if(lt((t-2),2),0+0.5*((t-2)-0)/2,0.5)))*W)/2)*2':y='floor(((H-h)*0+(0)*H)/2)*2':eof_action=pass[canvas1]"))
    }

    @Test("a clip animated off the canvas at its start still gets a picture")
    func animatedFromOffCanvas() throws {
        var clip = video("in", start: 0, length: 2)
        clip.animate = [T.Animation(property: .offsetX, keys: [T.Keyframe(t: 0, value: -1), T.Keyframe(t: 1, value: 0)])]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(plan.inputs.map(\.media) == [.video, .audio])
    }

    @Test("volume keyframes: a per-frame volume expression times the track volume")
    func volumeKeys() throws {
        var clip = T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 1, length: 3)
        clip.animate = [T.Animation(property: .volume, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 2, value: 1, easing: .easeIn)])]
        var t = timeline([[clip]])
        t.tracks[0].volume = 0.5
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(chain(plan, ending: "t0c0_m_a")?.contains("aformat=sample_fmts=fltp:channel_layouts=stereo,asetnsamples=n=480:p=0,volume=volume='if(lt((t-0),0),0,if(lt((t-0),2),0+0.5*pow(((t-0)-0)/2,2),0.5))':eval=frame,apad=") == true)
    }

    @Test("keyframes that cannot apply are issues")
    func keyframeIssues() {
        var image = T.Clip(id: "i", asset: .image(T.ImageAsset(src: "logo.png")), start: 0, length: 2)
        image.animate = [T.Animation(property: .volume, keys: [T.Keyframe(t: 0, value: 1)])]
        var music = T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 0, length: 2)
        music.animate = [T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 1)])]
        music.effects = [.grayscale]
        var b = video("b", start: 2, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        b.animate = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1)]), T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 1)])]
        var a = video("a", start: 0, length: 2)
        a.animate = [T.Animation(property: .offsetY, keys: [T.Keyframe(t: 0, value: 0)])]
        let issues = timeline([[image], [music], [a, b]]).validate(resolve: media)
        // Scale and offset keyframes inside a transition are fine (the moving picture is placed on its own frame).
        #expect(issues.map(\.path) == ["/tracks/0/clips/0/animate/0", "/tracks/1/clips/0/effects/0", "/tracks/1/clips/0/animate/0"])
        #expect(issues.allSatisfy { $0.message.hasSuffix("is not supported by this engine yet") })
    }

    @Test("multi-line text: centred lines drawn one by one on a fixed pitch; opacity and offset keyframes")
    func multilineText() throws {
        var clip = T.Clip(id: "t", asset: .text(T.TextAsset(text: "one\ntwo words", font: T.Font(size: 40), align: .center)), start: 1, length: 2, position: .bottom)
        clip.animate = [
            T.Animation(property: .opacity, keys: [T.Keyframe(t: 0, value: 0), T.Keyframe(t: 1, value: 1)]),
            T.Animation(property: .offsetY, keys: [T.Keyframe(t: 0, value: 0.1), T.Keyframe(t: 1, value: 0)]),
        ]
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        // One chain, a drawtext a line.
        let lines = try #require(chain(plan, ending: "canvas1")).components(separatedBy: ",drawtext=")
        try #require(lines.count == 2)
        let first = lines[0], second = lines[1]
        #expect(first.contains(":text=one:") && second.contains(#":text=two\\ words:"#))
        let dy = "+(if(lt((t-1),0),0.1,if(lt((t-1),1),0.1+-0.1*((t-1)-0)/1,0)))*h"
        // Pitch 48 px (1.2 em), ascent 38 px: line tops at 0 and 48 of a 96 px block at the bottom.
        #expect(first.contains("x='(w-text_w)*0.5':y='(h-96)*1+38-ascent\(dy)':alpha='(if(lt((t-1),0),0,if(lt((t-1),1),0+1*((t-1)-0)/1,1)))':enable='between(t,0.983333,2.983333)'"), "\(first)")
        #expect(second.contains("y='(h-96)*1+86-ascent\(dy)'"))
        clip.asset = .text(T.TextAsset(text: "one\ntwo", align: .right))
        clip.position = .bottomRight
        clip.animate = []
        let right = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(right.filterGraph.contains("x='(w-text_w)*1'"))
    }

    @Test("multi-line text aligned away from its anchor: lines placed inside the block's measured width")
    func alignedBlock() throws {
        // DejaVu Sans at 40 px (drawtext's hinted advances): "one" is 74 px wide, "two words" 205 px.
        #expect(TextMetrics.width(of: "one", fontFile: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size: 40) == 74)
        #expect(TextMetrics.width(of: "two words", fontFile: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size: 40) == 205)
        var clip = T.Clip(id: "t", asset: .text(T.TextAsset(text: "one\ntwo words", font: T.Font(size: 40), align: .center)), start: 0, length: 1, position: .topLeft)
        clip.offset = T.Offset(x: 0.1, y: 0)
        let centred = try RenderCompiler.compile(timeline([[clip]]), resolve: media).filterGraph
        // Centred in a 205 px block at the left edge, 64 px in (0.1 of 640).
        #expect(centred.contains("x='(205-text_w)*0.5+64':y='(h-96)*0+38-ascent'"), "\(centred)")
        clip.asset = .text(T.TextAsset(text: "one\ntwo words", font: T.Font(size: 40), align: .right))
        clip.position = .center
        clip.offset = T.Offset()
        let right = try RenderCompiler.compile(timeline([[clip]]), resolve: media).filterGraph
        #expect(right.contains("x='(w-205)*0.5+(205-text_w)*1':y='(h-96)*0.5+38-ascent'"), "\(right)")
        #expect(timeline([[clip]]).validate(resolve: media) == [])
    }

    @Test("scale keyframes on text: fontsize and line places per frame, box padding and outline by sendcmd where they change")
    func scaledText() throws {
        var clip = T.Clip(
            id: "t", asset: .text(T.TextAsset(text: "Hi", font: T.Font(size: 20), box: T.Box(color: "#000000", padding: 2), outline: T.Outline(color: "#808080", width: 1))),
            start: 1, length: 1, position: .bottomRight)
        clip.animate = [T.Animation(property: .scale, keys: [T.Keyframe(t: 0, value: 1), T.Keyframe(t: 1, value: 2, easing: .easeOut)])]
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: media)
        let draw = try #require(chain(plan, ending: "canvas1"))
        let scale = "if(lt((t-1),0),1,if(lt((t-1),1),1+1*(1-pow(1-((t-1)-0)/1,2)),2))"
        #expect(draw.contains("fontsize='max(1,round(20*(\(scale))))':fontcolor=0xFFFFFFFF:x='(w-text_w)*1':y='(h-text_h)*1'"), "\(draw)")
        // Padding 2 → 4 and outline 1 → 2 px: a reinit on each 10 fps frame where a rounded value
        // changes (easeOut: 1 + 1 − (1 − p)²), half a frame early, on timeline time.
        #expect(draw.hasPrefix("[canvas0]sendcmd=commands="))
        // (The graph's own text: `chain` drops sendcmd's escaped `;`.)
        let commands = plan.filterGraph.components(separatedBy: ",drawtext@").first?.components(separatedBy: ";[canvas0]").last ?? ""
        #expect("[canvas0]" + commands == #"[canvas0]sendcmd=commands=1.15\\ drawtext@t0c0_t_0\\ reinit\\ boxborderw=3\\:borderw=1\;1.25\\ drawtext@t0c0_t_0\\ reinit\\ boxborderw=3\\:borderw=2\;1.45\\ drawtext@t0c0_t_0\\ reinit\\ boxborderw=4\\:borderw=2"#, "\(commands)")
        #expect(draw.contains(",drawtext@t0c0_t_0=fontfile="))
        #expect(draw.contains(":box=1:boxcolor=0x000000FF:boxborderw=2:borderw=1:bordercolor=0x808080FF:"))

        // Centred lines: pitch and ascent follow the font size.
        clip.asset = .text(T.TextAsset(text: "one\ntwo", font: T.Font(size: 20), align: .center))
        clip.position = .left
        let lines = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 10)), resolve: media).filterGraph
        let size = "max(1,round(20*(\(scale))))"
        // The block: its widest line ("one") measured at the largest size (40 px), in proportion to the font size.
        let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        let width = try #require(TextMetrics.width(of: "one", fontFile: font, size: 40))
        #expect(try width > #require(TextMetrics.width(of: "two", fontFile: font, size: 40)))
        #expect(lines.contains("x='(\(width)*\(size)/40-text_w)*0.5':y='(h-2*round(1.2*\(size)))*0.5+round(0.946*\(size))-ascent'"), "\(lines)")
        #expect(lines.contains("y='(h-2*round(1.2*\(size)))*0.5+1*round(1.2*\(size))+round(0.946*\(size))-ascent'"))
        #expect(!lines.contains("sendcmd"))
    }
}

extension RenderCompilerTests {
    @Test("speed with a transition: the borrowed head and tail are timeline time, × speed in the source")
    func speedInTransition() throws {
        var a = video("a", start: 0, length: 2, trim: 1)
        a.speed = 2
        var b = video("b", start: 2, length: 2, trim: 1)
        b.speed = 0.5
        b.transition = T.Transition(type: .fade, duration: 1)
        b.effects = [.grayscale]
        let plan = try RenderCompiler.compile(timeline([[a, b]], output: T.Output(width: 640, height: 360, fps: 30)), resolve: media)
        // a: 2 s of timeline plus a 15-frame (0.5 s) tail = 5 s of source from 1 s; b: a 0.5 s head = 0.25 s of source before 1 s.
        #expect(plan.inputs.map(\.seek) == [1, 0.75, 1, 0.75])
        #expect(plan.inputs[0].until == 1 + 2.5 * 2 + 0.5)
        #expect(chain(plan, ending: "t0c1_b_v")?.hasPrefix("[t0c1_b_vin]setpts=(PTS-0.75/TB)/0.5,fps=fps=30/1:start_time=0,") == true)
        #expect(chain(plan, ending: "t0c1_b_v")?.hasSuffix(",hue=s=0,scale=w=640:h=360:flags=area,setsar=1,format=yuva420p,pad=w=640:h=360:x=0:y=0:color=0x00000000,premultiply=inplace=1[t0c1_b_v]") == true)
        #expect(chain(plan, ending: "t0c0_a_a")?.contains("atrim=start=1:end=6,asetpts=PTS-STARTPTS,atempo=2,asetpts=N/SR/TB,") == true)
    }

    @Test("an image with Ken Burns is looped, then moved per frame")
    func imageKenBurns() throws {
        var logo = T.Clip(id: "still", asset: .image(T.ImageAsset(src: "logo.png")), start: 0, length: 1)
        logo.effects = [.kenburns(from: T.KenBurnsFrame(), to: T.KenBurnsFrame(scale: 1.25, x: 0, y: 0))]
        let plan = try RenderCompiler.compile(timeline([[logo]]), resolve: media)
        let picture = try #require(chain(plan, ending: "t0c0_still_v"))
        #expect(picture.contains("trim=end_frame=30,perspective=x0='0+40*clip((in-1)/29,0,1)':y0='0+20*clip((in-1)/29,0,1)':x1='400+-40*clip((in-1)/29,0,1)'"), "\(picture)")
    }
}
