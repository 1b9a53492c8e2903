import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

@Suite("Render compiler")
struct RenderCompilerTests {
    /// The chain producing `label`, e.g. `[t0c0_a_vin]…[t0c0_a_v]`.
    func chain(_ plan: RenderPlan, ending label: String) -> String? {
        chains(plan.filterGraph).first { $0.hasSuffix("[\(label)]") }
    }

    /// The graph's chains: split at `;` outside quotes (sendcmd's commands hold `;`).
    func chains(_ graph: String) -> [String] {
        var result: [String] = [], current = "", quoted = false, escaped = false
        for c in graph {
            defer { if c != ";" || quoted || escaped { current.append(c) } }
            if escaped { escaped = false; continue }
            if c == "\\" && !quoted { escaped = true } else if c == "'" { quoted.toggle() }
            if c == ";" && !quoted { result.append(current); current = "" }
        }
        return result + [current]
    }

    @Test("frame rates: NTSC values map to n×1000/1001", arguments: [
        (29.97, Rational(30000, 1001)), (23.976, Rational(24000, 1001)), (59.94, Rational(60000, 1001)),
        (30.0, Rational(30, 1)), (25.0, Rational(25, 1)), (12.5, Rational(25, 2)), (120.0, Rational(120, 1)),
    ])
    func frameRates(fps: Double, expected: Rational) {
        #expect(RenderCompiler.frameRate(for: fps) == expected)
    }

    @Test("totalFrames = round(duration × fps) exactly, and the plan's duration follows the frames")
    func totalFrames() throws {
        for (fps, length, frames) in [(29.97, 10.0, 300), (23.976, 60.0, 1439), (59.94, 3.5, 210), (30, 2.0, 60), (24, 1.02, 24), (29.97, 3600, 107_892)] {
            let t = timeline([[T.Clip(id: "c", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0, length: length)]],
                             output: T.Output(width: 640, height: 360, fps: fps))
            let plan = try RenderCompiler.compile(t, resolve: media)
            #expect(plan.totalFrames == frames, "\(fps) fps × \(length) s")
            let rate = RenderCompiler.frameRate(for: fps)
            #expect(plan.duration == Double(frames) * Double(rate.den) / Double(rate.num))
            #expect(plan.filterGraph.hasPrefix("color=c=0x000000FF:s=640x360:r=\(rate),trim=end_frame=1,format=rgb24,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=\(frames)"))
        }
    }

    @Test("a video clip: inputs, trim by source time, grid, scale for cover, crop, overlay, sound")
    func videoClip() throws {
        var clip = video("a", start: 1, length: 4, trim: 2)
        clip.volume = 0.5
        clip.fadeIn = 1
        clip.fadeOut = 0.5
        let t = timeline([[clip]], output: T.Output(width: 640, height: 480, fps: 25))
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.totalFrames == 125)
        // The picture is last shown on frame 124 (1 s + 4 s at 25 fps); the render closes its input after it.
        var picture = RenderPlan.Input(path: "/media/v.mp4", media: .video, pad: "t0c0_a_vin", seek: 2, until: 6.25)
        picture.lastFrame = 124
        #expect(plan.inputs == [
            picture,
            RenderPlan.Input(path: "/media/v.mp4", media: .audio, pad: "t0c0_a_ain", seek: 2, until: 6.25),
        ])
        // 1920×1080 covering 640×480 → 854×480 (even), centred: 107 px cut each side (x rounded to even).
        #expect(chain(plan, ending: "t0c0_a_v") == "[t0c0_a_vin]setpts=PTS-2/TB,fps=fps=25/1:start_time=0,tpad=stop_mode=clone:stop_duration=4,trim=end_frame=100,scale=w=854:h=480:flags=area,setsar=1,crop=w=640:h=480:x=108:y=0,format=yuva420p,fade=t=in:st=0:d=1:alpha=1,fade=t=out:st=3.5:d=0.5:alpha=1,setpts=PTS+25[t0c0_a_v]")
        #expect(plan.filterGraph.contains("[canvas0][t0c0_a_v]overlay=x=0:y=0:eof_action=pass[canvas1]"))
        #expect(plan.filterGraph.contains("[canvas1]setsar=1,format=yuv420p,setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709[vout]"))
        #expect(chain(plan, ending: "t0c0_a_a") == "[t0c0_a_ain]atrim=start=2:end=6,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=0.5,apad=whole_len=192000,atrim=end_sample=192000,afade=t=in:st=0:d=1,afade=t=out:st=3.5:d=0.5,adelay=delays=48000S:all=1[t0c0_a_a]")
        #expect(plan.filterGraph.hasSuffix("anullsrc=r=48000:cl=stereo,atrim=end_sample=240000[silence];[silence][t0c0_a_a]amix=inputs=2:normalize=0:duration=first,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]"))
        #expect(plan.output == RenderPlan.Output(width: 640, height: 480, frameRate: Rational(25, 1)))
    }

    @Test("fit and position place the picture", arguments: [
        (T.Fit.contain, T.Position.center, 1.0, T.Offset(), "scale=w=640:h=360", "overlay=x=0:y=60"),
        (T.Fit.fill, T.Position.center, 1.0, T.Offset(), "scale=w=640:h=480", "overlay=x=0:y=0"),
        (T.Fit.none, T.Position.bottomRight, 0.25, T.Offset(), "scale=w=480:h=270", "overlay=x=160:y=210"),
        (T.Fit.none, T.Position.topLeft, 0.25, T.Offset(x: 0.5, y: 0.25), "scale=w=480:h=270", "overlay=x=320:y=120"),
        (T.Fit.contain, T.Position.left, 0.5, T.Offset(x: -0.25, y: 0), "crop=w=160:h=180:x=160:y=0", "overlay=x=0:y=150"),
    ])
    func placement(fit: T.Fit, position: T.Position, scale: Double, offset: T.Offset, scaleFilter: String, overlay: String) throws {
        var clip = video("p", start: 0, length: 1)
        clip.fit = fit
        clip.position = position
        clip.scale = scale
        clip.offset = offset
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 480)), resolve: media)
        #expect(plan.filterGraph.contains(scaleFilter), "\(plan.filterGraph)")
        #expect(plan.filterGraph.contains(overlay + ":eof_action=pass"), "\(plan.filterGraph)")
    }

    @Test("a picture wholly off the canvas adds no input")
    func offCanvas() throws {
        var clip = video("gone", start: 0, length: 1)
        clip.fit = T.Fit.none
        clip.scale = 0.1
        clip.position = .left
        clip.offset = T.Offset(x: -1, y: 0)
        let plan = try RenderCompiler.compile(timeline([[clip]]), resolve: media)
        #expect(plan.inputs.map(\.media) == [.audio])
    }

    @Test("images are placed and made translucent once, then loop one frame at the output rate")
    func image() throws {
        var logo = T.Clip(id: "logo", asset: .image(T.ImageAsset(src: "logo.png")), start: 0.5, length: 2, fit: T.Fit.none, position: .topRight, opacity: 0.8)
        logo.scale = 0.5
        let plan = try RenderCompiler.compile(timeline([[logo]], output: T.Output(width: 640, height: 360, fps: 29.97)), resolve: media)
        var still = RenderPlan.Input(path: "/media/logo.png", media: .video, pad: "t0c0_logo_vin", isImage: true)
        still.lastFrame = 74
        #expect(plan.inputs == [still])
        // PNG is RGB: converted to bt709 YUV once, at its own size, like its placing.
        #expect(chain(plan, ending: "t0c0_logo_v") == "[t0c0_logo_vin]scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,scale=w=200:h=100:flags=area,setsar=1,format=yuva420p,lutyuv=y=val:u=val:v=val:a=val*0.8,loop=loop=-1:size=1:start=0,settb=expr=1001/30000,setpts=N,fps=fps=30000/1001,trim=end_frame=60,setpts=PTS+15[t0c0_logo_v]")
        #expect(plan.filterGraph.contains("overlay=x=440:y=0:eof_action=pass"))
    }

    @Test("tracks layer bottom to top; hidden and muted tracks, audio:false and volume 0 add nothing")
    func tracks() throws {
        var t = timeline([
            [video("bottom", start: 0, length: 1)],
            [video("top", start: 0, length: 1)],
            [video("hidden", start: 0, length: 1)],
            [video("muted", start: 0, length: 1)],
            [T.Clip(id: "quiet", asset: .video(T.VideoAsset(src: "v.mp4", audio: false)), start: 0, length: 1), T.Clip(id: "zero", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 1, length: 1, volume: 0)],
        ])
        t.tracks[2].hidden = true
        t.tracks[3].muted = true
        t.tracks[1].volume = 2
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.inputs.map(\.pad) == ["t0c0_bottom_vin", "t0c0_bottom_ain", "t1c0_top_vin", "t1c0_top_ain", "t2c0_hidden_ain", "t3c0_muted_vin", "t4c0_quiet_vin"])
        let graph = plan.filterGraph
        let bottom = try #require(graph.range(of: "[canvas0][t0c0_bottom_v]overlay"))
        let top = try #require(graph.range(of: "[canvas1][t1c0_top_v]overlay"))
        #expect(bottom.lowerBound < top.lowerBound)
        #expect(chain(plan, ending: "t1c0_top_a")?.contains("volume=2,") == true)
        #expect(graph.contains("amix=inputs=4:"))
    }

    @Test("colour clips are generated at their visible size")
    func colorClip() throws {
        var clip = T.Clip(id: "c", asset: .color(T.ColorAsset(color: "#33669980")), start: 1, length: 1, scale: 0.5, position: .bottomLeft)
        clip.fadeOut = 0.5
        let plan = try RenderCompiler.compile(timeline([[clip]], output: T.Output(width: 640, height: 360, audio: nil)), resolve: media)
        #expect(plan.inputs.isEmpty)
        #expect(chain(plan, ending: "t0c0_c_v") == "color=c=0x33669980:s=320x180:r=30/1,trim=end_frame=1,format=rgba,scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=30,fade=t=out:st=0.5:d=0.5:alpha=1,setpts=PTS+30[t0c0_c_v]")
        #expect(plan.filterGraph.contains("overlay=x=0:y=180:eof_action=pass"))
        #expect(!plan.filterGraph.contains("aout"))
        #expect(plan.output.audioCodec == nil)
    }

    @Test("text clips draw on the canvas with the resolved font, escaped text, timing by frame and fades")
    func textClip() throws {
        var clip = T.Clip(id: "title", asset: .text(T.TextAsset(
            text: "{{NAME}}: 100%, [ok]", font: T.Font(family: "DejaVu Sans", size: 40, weight: .bold, color: "#FFCC00"),
            box: T.Box(color: "#00000080", padding: 8), outline: T.Outline(color: "#000000", width: 2))),
            start: 1, length: 2, position: .bottom, offset: T.Offset(x: 0, y: -0.1), opacity: 0.5, fadeIn: 0.5)
        clip.scale = 1.5
        var t = timeline([[clip]], output: T.Output(width: 640, height: 360, fps: 30))
        t.merge = ["NAME": "Ann's"]
        let plan = try RenderCompiler.compile(t, resolve: media)
        let draw = try #require(chain(plan, ending: "canvas1"))
        #expect(draw.hasPrefix("[canvas0]drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:expansion=none:"))
        #expect(draw.contains(#"text=Ann\\\'s\\:\\ 100%\,\\ \[ok\]:"#))
        // drawtext converts with bt601: #FFCC00 is handed over as the RGB whose bt601 YCbCr is its bt709 one.
        #expect(draw.contains("fontsize=60:fontcolor=0xF9D409FF:x='(w-text_w)*0.5':y='(h-text_h)*1-36'"))
        // Box padding and outline grow with the text: 8 and 2 px at scale 1.5.
        #expect(draw.contains("box=1:boxcolor=0x00000080:boxborderw=12:borderw=3:bordercolor=0x000000FF"))
        #expect(draw.contains("alpha='0.5*clip((t-1)/0.5,0,1)'"))
        // Frames 30..<90 at 30 fps, by timestamp with half a frame to spare either side.
        #expect(draw.hasSuffix("enable='between(t,0.983333,2.983333)'[canvas1]"))
        #expect(FontCatalog.file(family: "Comic Sans", weight: .normal) == nil)
        #expect(FontCatalog.file(family: "serif", weight: .bold) == "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
    }

    @Test("mono output and a video clip's default length from its source")
    func monoAndDefaultLength() throws {
        let t = timeline([[video("v", start: 0, trim: 4)]], output: T.Output(width: 640, height: 360, fps: 30, audio: T.AudioSettings(sampleRate: 44100, channels: 1)))
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.totalFrames == 180)
        #expect(plan.inputs.first?.until == 10.25)
        #expect(plan.filterGraph.contains("aformat=sample_fmts=fltp:channel_layouts=mono,"))
        #expect(plan.filterGraph.hasSuffix("channel_layouts=mono[aout]"))
        #expect(plan.filterGraph.contains("atrim=end_sample=264600[silence]"))
        #expect(plan.output.sampleRate == 44100 && plan.output.channels == 1)
    }

    @Test("rotated sources are turned upright before scaling")
    func rotation() throws {
        let rotated = MediaInfo(format: "mov,mp4", duration: 5, hasVideo: true, hasAudio: false, width: 1080, height: 1920, fps: 30, rotation: 90)
        let plan = try RenderCompiler.compile(timeline([[video("r", "r.mp4", start: 0, length: 1)]]), resolve: resolver(["r.mp4": rotated]))
        #expect(chain(plan, ending: "t0c0_r_v")?.hasPrefix("[t0c0_r_vin]transpose=clock,setpts=") == true)
    }

    @Test("compile throws every validation issue; the graph is deterministic")
    func throwsAndDeterministic() throws {
        #expect(throws: RenderError.invalidTimeline([ValidationIssue(path: "/tracks/0/clips/0/asset/src", message: "asset 'x.mp4' not found")])) {
            try RenderCompiler.compile(timeline([[video("a", "x.mp4", start: 0, length: 1)]]), resolve: media)
        }
        var t = try TimelineDocument.decode(Data(specExample.utf8))
        let table = resolver(["asset:01HX...A": tenSecondVideo, "asset:01HX...B": tenSecondVideo, "asset:01HX...L": stillImage, "asset:01HX...M": song])
        // The spec's example puts "title" (1–5 s) and "logo" (0–14 s) on one track: they overlap.
        #expect(t.validate(resolve: table).map(\.path).contains("/tracks/1/clips/0/start"))
        let logo = t.tracks[1].clips.remove(at: 1)
        t.tracks.insert(T.Track(id: "logo", clips: [logo]), at: 1)
        let first = try RenderCompiler.compile(t, resolve: table)
        let second = try RenderCompiler.compile(t, resolve: table)
        #expect(first == second)
        #expect(first.totalFrames == 420)
        #expect(first.filterGraph.contains("text=Hello:"))
        #expect(Set(first.inputs.map(\.pad)).count == first.inputs.count)
    }

    @Test("labels are unique and made of safe characters")
    func labels() throws {
        let t = timeline([[T.Clip(id: "a b/[c]", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0, length: 1)]])
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.filterGraph.contains("[t0c0_a_b__c__v]"))
    }

    @Test("transitions: centred on the cut, handles borrowed from both sources, xfade chain, sound crossfade")
    func transition() throws {
        var b = video("b", start: 4, length: 3, trim: 1)
        b.transition = T.Transition(type: .wipeleft, duration: 1)
        var c = T.Clip(id: "c", asset: .color(T.ColorAsset(color: "#FF0000")), start: 7, length: 2)
        c.transition = T.Transition(type: .fade, duration: 0.5)
        let t = timeline([[video("a", start: 1, length: 3, trim: 2), b, c]], output: T.Output(width: 640, height: 360, fps: 30))
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.totalFrames == 270)
        // a: frames 30..<120 plus a 15-frame tail; b: 15-frame head, 120..<210, 8-frame tail; c: 7-frame head.
        #expect(plan.inputs.map(\.pad) == ["t0c0_a_vin", "t0c1_b_vin", "t0c0_a_ain", "t0c1_b_ain"])
        #expect(plan.inputs.map(\.seek) == [2, 0.5, 2, 0.5])
        #expect(plan.inputs[0].until == 5.75)
        #expect(abs((plan.inputs[1].until ?? 0) - (1 + 98.0 / 30 + 0.25)) < 1e-9)
        #expect(chain(plan, ending: "t0c0_a_v") == "[t0c0_a_vin]setpts=PTS-2/TB,fps=fps=30/1:start_time=0,tpad=stop_mode=clone:stop_duration=3.5,trim=end_frame=105,scale=w=640:h=360:flags=area,setsar=1,format=yuva420p,pad=w=640:h=360:x=0:y=0:color=0x00000000,premultiply=inplace=1[t0c0_a_v]")
        #expect(chain(plan, ending: "t0c1_b_v")?.hasPrefix("[t0c1_b_vin]setpts=PTS-0.5/TB,fps=fps=30/1:start_time=0,tpad=stop_mode=clone:stop_duration=3.766667,trim=end_frame=113,") == true)
        #expect(chain(plan, ending: "t0c2_c_v") == "color=c=0xFF0000FF:s=640x360:r=30/1,trim=end_frame=1,format=rgba,scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,loop=loop=-1:size=1:start=0,setpts=N,trim=end_frame=67,pad=w=640:h=360:x=0:y=0:color=0x00000000,premultiply=inplace=1[t0c2_c_v]")
        #expect(plan.filterGraph.contains("[t0c0_a_v][t0c1_b_v]xfade=transition=wipeleft:duration=1:offset=2.5[t0c1_b_x]"))
        #expect(plan.filterGraph.contains("[t0c1_b_x][t0c2_c_v]xfade=transition=fade:duration=0.5:offset=5.766667[t0c2_c_x]"))
        #expect(plan.filterGraph.contains("[t0c2_c_x]unpremultiply=inplace=1,setpts=PTS+30[t0c0_a_g];[canvas0][t0c0_a_g]overlay=x=0:y=0:eof_action=pass[canvas1]"))
        #expect(chain(plan, ending: "t0c0_a_a") == "[t0c0_a_ain]atrim=start=2:end=5.5,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_len=168000,atrim=end_sample=168000,afade=t=out:st=2.5:d=1,adelay=delays=48000S:all=1[t0c0_a_a]")
        #expect(chain(plan, ending: "t0c1_b_a") == "[t0c1_b_ain]atrim=start=0.5:end=4.266667,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_len=180800,atrim=end_sample=180800,afade=t=in:st=0:d=1,afade=t=out:st=3.266667:d=0.5,adelay=delays=168000S:all=1[t0c1_b_a]")
    }

    @Test("a transition's head before the source start holds the first frame and is silent")
    func transitionWithoutHandle() throws {
        var b = video("b", start: 2, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        let plan = try RenderCompiler.compile(timeline([[video("a", start: 0, length: 2), b]]), resolve: media)
        #expect(chain(plan, ending: "t0c1_b_v")?.hasPrefix("[t0c1_b_vin]setpts=PTS+0.5/TB,fps=") == true)
        #expect(chain(plan, ending: "t0c1_b_a")?.contains("atrim=start=0:end=2,asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,adelay=delays=24000S:all=1,") == true)
    }

    @Test("transitions between a picture and a sound are not supported yet; into text they are")
    func unlikeTransitions() {
        var music = T.Clip(id: "m", asset: .audio(T.AudioAsset(src: "song.mp3")), start: 2, length: 2)
        music.transition = T.Transition(type: .fade, duration: 1)
        var title = T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi")), start: 2, length: 2)
        title.transition = T.Transition(type: .fade, duration: 1)
        let issues = timeline([[video("a", start: 0, length: 2), music], [video("b", start: 0, length: 2), title]]).validate(resolve: media)
        #expect(issues.map(\.path) == ["/tracks/0/clips/1/transition"])
        #expect(issues.allSatisfy { $0.message == "a transition between a picture clip and an audio clip is not supported by this engine yet" })
    }

    @Test("a text clip in a transition is drawn on its own transparent layer, blended premultiplied")
    func textTransition() throws {
        var title = T.Clip(id: "t", asset: .text(T.TextAsset(text: "Hi", font: T.Font(size: 40, color: "#FFFF00"))), start: 2, length: 2, fadeOut: 0.5)
        title.transition = T.Transition(type: .fade, duration: 1)
        let plan = try RenderCompiler.compile(timeline([[video("a", start: 0, length: 2), title]], output: T.Output(width: 640, height: 360, fps: 30)), resolve: media)
        let layer = try #require(chain(plan, ending: "t0c1_t_v"))
        // 15 frames of head before the clip's 60; t is stream time, so the fade-out starts at 0.5 + 1.5 s.
        #expect(layer.hasPrefix("color=c=0xFFFF0000:s=640x360:r=30/1,trim=end_frame=75,format=rgba,drawtext="))
        #expect(!layer.contains("enable="))
        // Yellow has no bt601 RGB giving its bt709 YCbCr: drawn in RGBA, converted with bt709.
        #expect(layer.hasSuffix(",scale=out_color_matrix=bt709:out_range=tv,format=yuva420p,fade=t=out:st=2:d=0.5:alpha=1,premultiply=inplace=1[t0c1_t_v]"))
        #expect(chain(plan, ending: "t0c0_a_v")?.hasSuffix(",premultiply=inplace=1[t0c0_a_v]") == true)
        #expect(plan.filterGraph.contains("[t0c1_t_x]unpremultiply=inplace=1[t0c0_a_g]"))
    }

    @Test("a group of opaque full-canvas members above another track is blended as it is; any other, premultiplied")
    func opaqueTransition() throws {
        var hd = tenSecondVideo
        hd.hasAlpha = false
        var b = video("b", "hd.mp4", start: 2, length: 2)
        b.transition = T.Transition(type: .fade, duration: 1)
        let under = T.Clip(id: "under", asset: .color(T.ColorAsset(color: "#FF0000")), start: 0, length: 4, scale: 0.5)
        let opaque = try RenderCompiler.compile(timeline([[under], [video("a", "hd.mp4", start: 0, length: 2), b]]), resolve: resolver(["hd.mp4": hd]))
        #expect(opaque.filterGraph.contains("xfade") && !opaque.filterGraph.contains("premultiply"))
        b.scale = 0.5
        let smaller = try RenderCompiler.compile(timeline([[under], [video("a", "hd.mp4", start: 0, length: 2), b]]), resolve: resolver(["hd.mp4": hd]))
        #expect(smaller.filterGraph.contains("premultiply=inplace=1[t1c1_b_v]"))
    }

    @Test("a hidden track's transition still crossfades its sound, with no picture")
    func hiddenTransition() throws {
        var b = video("b", start: 2, length: 2, trim: 1)
        b.transition = T.Transition(type: .fade, duration: 1)
        var t = timeline([[video("a", start: 0, length: 2, trim: 1), b]])
        t.tracks[0].hidden = true
        let plan = try RenderCompiler.compile(t, resolve: media)
        #expect(plan.inputs.map(\.media) == [.audio, .audio])
        #expect(!plan.filterGraph.contains("xfade"))
        #expect(chain(plan, ending: "t0c0_a_a")?.contains("afade=t=out:st=1.5:d=1") == true)
        #expect(chain(plan, ending: "t0c1_b_a")?.contains("atrim=start=0.5:end=3,") == true)
    }
}
