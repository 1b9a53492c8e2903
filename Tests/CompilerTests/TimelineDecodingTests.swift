import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// The spec's example document.
let specExample = """
{
  "version": 1,
  "output": { "width": 1280, "height": 720, "fps": 30 },
  "tracks": [
    { "id": "v1", "clips": [
      { "id": "a", "asset": {"type": "video", "src": "asset:01HX...A"}, "start": 0, "length": 8, "trim": 2 },
      { "id": "b", "asset": {"type": "video", "src": "asset:01HX...B"}, "start": 8, "length": 6,
        "transition": {"type": "fade", "duration": 1} }
    ]},
    { "id": "t1", "clips": [
      { "id": "title", "asset": {"type": "text", "text": "{{TITLE}}", "font": {"size": 72, "color": "#FFFFFF"}},
        "start": 1, "length": 4, "position": "bottom", "offset": {"x": 0, "y": -0.1}, "fadeIn": 0.5, "fadeOut": 0.5 },
      { "id": "logo", "asset": {"type": "image", "src": "asset:01HX...L"}, "start": 0, "length": 14,
        "fit": "none", "scale": 0.5, "position": "topRight", "opacity": 0.8 }
    ]},
    { "id": "music", "clips": [
      { "id": "m", "asset": {"type": "audio", "src": "asset:01HX...M"}, "start": 0, "length": 14, "volume": 0.25, "fadeOut": 2 }
    ]}
  ],
  "merge": { "TITLE": "Hello" }
}
"""

@Suite("Timeline decoding")
struct TimelineDecodingTests {
    @Test("the spec's example decodes with every value and default")
    func specExampleDecodes() throws {
        let t = try TimelineDocument.decode(Data(specExample.utf8))
        #expect(t.version == 1)
        #expect(t.output.width == 1280 && t.output.height == 720 && t.output.fps == 30)
        #expect(t.output.format == .mp4)
        #expect(t.output.video == Timeline.VideoSettings(codec: .h264, crf: 23, preset: .veryfast, bitrate: nil))
        #expect(t.output.audio == Timeline.AudioSettings(codec: .aac, bitrate: 128_000, sampleRate: 48_000, channels: 2))
        #expect(t.background == "#000000")
        #expect(t.tracks.map(\.id) == ["v1", "t1", "music"])
        let a = t.tracks[0].clips[0]
        #expect(a.asset == .video(Timeline.VideoAsset(src: "asset:01HX...A")))
        #expect(a.start == 0 && a.length == 8 && a.trim == 2 && a.speed == 1 && a.opacity == 1 && a.fit == nil)
        #expect(t.tracks[0].clips[1].transition == Timeline.Transition(type: .fade, duration: 1))
        let title = t.tracks[1].clips[0]
        guard case .text(let text) = title.asset else {
            Issue.record("title is not text")
            return
        }
        #expect(text.text == "{{TITLE}}")
        #expect(text.font == Timeline.Font(family: "DejaVu Sans", size: 72, weight: .normal, color: "#FFFFFF"))
        #expect(title.position == .bottom && title.offset == Timeline.Offset(x: 0, y: -0.1))
        #expect(title.fadeIn == 0.5 && title.fadeOut == 0.5)
        let logo = t.tracks[1].clips[1]
        #expect(logo.fit == Timeline.Fit.none && logo.scale == 0.5 && logo.position == .topRight && logo.opacity == 0.8)
        #expect(t.tracks[2].clips[0].volume == 0.25 && t.tracks[2].clips[0].fadeOut == 2)
        #expect(t.merge == ["TITLE": "Hello"])
        #expect(t.duration == 14)
        #expect(t.sourceReferences == ["asset:01HX...A", "asset:01HX...B", "asset:01HX...L", "asset:01HX...M"])
    }

    @Test("every asset type, effect and keyframe decodes and round-trips")
    func everyFeature() throws {
        let json = """
        {"version": 1,
         "output": {"width": 1920, "height": 1080, "fps": 29.97, "format": "webm",
                    "video": {"codec": "vp9", "crf": 30, "preset": "slow", "bitrate": "2.5M"},
                    "audio": {"codec": "opus", "bitrate": "96k", "sampleRate": 24000, "channels": 1},
                    "range": {"start": 1, "end": 5}, "loudness": -14},
         "background": "#112233AA",
         "tracks": [{"id": "t", "name": "All", "muted": true, "hidden": true, "volume": 2, "clips": [
           {"id": "v", "asset": {"type": "video", "src": "a.mp4", "audio": false}, "start": 0, "trim": 1, "speed": 2,
            "fit": "contain", "scale": 1.5, "position": "bottomLeft", "offset": {"x": 0.1, "y": -0.2}, "opacity": 0.5,
            "volume": 3, "fadeIn": 1, "fadeOut": 1,
            "effects": [{"type": "blur", "amount": 5}, {"type": "grayscale"}, {"type": "sepia"},
                        {"type": "color", "brightness": 0.1, "contrast": 1.2, "saturation": 0.5},
                        {"type": "kenburns", "from": {"scale": 1, "x": 0, "y": 0}, "to": {"scale": 1.3, "x": 0.1, "y": 0}},
                        {"type": "crop", "x": 0.1, "y": 0.1, "width": 0.5, "height": 0.5},
                        {"type": "flip", "horizontal": true, "vertical": false}, {"type": "rotate", "degrees": 90},
                        {"type": "chromakey", "color": "#00FF00", "similarity": 0.1, "blend": 0.05}],
            "animate": [{"property": "opacity", "keys": [{"t": 0, "value": 0}, {"t": 1, "value": 1, "easing": "easeInOut"}]},
                        {"property": "offset.x", "keys": [{"t": 0, "value": -1}]}]},
           {"id": "a", "asset": {"type": "audio", "src": "m.mp3"}, "start": 10, "length": 2,
            "transition": {"type": "wipeleft", "duration": 0.5}},
           {"id": "i", "asset": {"type": "image", "src": "{{LOGO}}"}, "start": 12, "length": 1},
           {"id": "x", "asset": {"type": "text", "text": "Hi", "font": {"family": "DejaVu Serif", "size": 30, "weight": "bold", "color": "#FF0000"},
                                 "align": "right", "box": {"color": "#00000080", "padding": 4}, "outline": {"color": "#000000", "width": 3}},
            "start": 13, "length": 1},
           {"id": "c", "asset": {"type": "color", "color": "#336699"}, "start": 14, "length": 1},
           {"id": "s", "asset": {"type": "captions", "src": "subs.srt", "font": {"size": 24}, "box": {"color": "#000000"}}, "start": 15, "length": 1}
         ]}],
         "merge": {"LOGO": "logo.png"}}
        """
        let t = try TimelineDocument.decode(Data(json.utf8))
        #expect(t.output.format == .webm && t.output.fps == 29.97)
        #expect(t.output.video == Timeline.VideoSettings(codec: .vp9, crf: 30, preset: .slow, bitrate: 2_500_000))
        #expect(t.output.audio == Timeline.AudioSettings(codec: .opus, bitrate: 96_000, sampleRate: 24_000, channels: 1))
        #expect(t.output.range == Timeline.TimeRange(start: 1, end: 5) && t.output.loudness == -14)
        #expect(t.duration == 5)
        let track = t.tracks[0]
        #expect(track.name == "All" && track.muted && track.hidden && track.volume == 2)
        let v = track.clips[0]
        #expect(v.asset == .video(Timeline.VideoAsset(src: "a.mp4", audio: false)))
        #expect(v.length == nil && v.speed == 2 && v.fit == .contain && v.position == .bottomLeft)
        #expect(v.effects == [
            .blur(amount: 5), .grayscale, .sepia, .color(brightness: 0.1, contrast: 1.2, saturation: 0.5),
            .kenburns(from: Timeline.KenBurnsFrame(), to: Timeline.KenBurnsFrame(scale: 1.3, x: 0.1, y: 0)),
            .crop(x: 0.1, y: 0.1, width: 0.5, height: 0.5), .flip(horizontal: true, vertical: false),
            .rotate(degrees: 90), .chromakey(color: "#00FF00", similarity: 0.1, blend: 0.05),
        ])
        #expect(v.animate == [
            Timeline.Animation(property: .opacity, keys: [Timeline.Keyframe(t: 0, value: 0), Timeline.Keyframe(t: 1, value: 1, easing: .easeInOut)]),
            Timeline.Animation(property: .offsetX, keys: [Timeline.Keyframe(t: 0, value: -1)]),
        ])
        #expect(track.clips[1].transition == Timeline.Transition(type: .wipeleft, duration: 0.5))
        #expect(track.clips[3].asset == .text(Timeline.TextAsset(
            text: "Hi", font: Timeline.Font(family: "DejaVu Serif", size: 30, weight: .bold, color: "#FF0000"), align: .right,
            box: Timeline.Box(color: "#00000080", padding: 4), outline: Timeline.Outline(color: "#000000", width: 3))))
        #expect(track.clips[4].asset == .color(Timeline.ColorAsset(color: "#336699")))
        #expect(track.clips[5].asset == .captions(Timeline.CaptionsAsset(src: "subs.srt", font: Timeline.Font(size: 24), box: Timeline.Box(color: "#000000", padding: 10))))
        // Captions sit at the bottom unless placed.
        #expect(track.clips[5].position == .bottom)

        // Round trip through the strict reader and through Codable.
        let encoded = t.encodedJSON()
        #expect(try TimelineDocument.decode(encoded) == t)
        #expect(try JSONDecoder().decode(Timeline.self, from: encoded) == t)
        #expect(t.encodedJSON() == encoded)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""sampleRate":24000"#))
        #expect(text.contains(#""property":"offset.x""#))
        #expect(text.contains(#""fadeIn":1"#))
    }

    @Test("audio null means no audio and survives a round trip")
    func audioNull() throws {
        let t = try TimelineDocument.decode(Data(document(clip: ##"{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##,
                                                          output: ##"{"audio": null}"##).utf8))
        #expect(t.output.audio == nil)
        let text = String(decoding: t.encodedJSON(), as: UTF8.self)
        #expect(text.contains(#""audio":null"#))
        #expect(try TimelineDocument.decode(t.encodedJSON()).output.audio == nil)
        #expect(try JSONDecoder().decode(Timeline.self, from: t.encodedJSON()).output.audio == nil)
    }

    @Test("presets expand, explicit keys win", arguments: [
        ("1080p", 1920, 1080, 30.0, Timeline.Format.mp4),
        ("720p", 1280, 720, 30.0, .mp4),
        ("vertical", 1080, 1920, 30.0, .mp4),
        ("square", 1080, 1080, 30.0, .mp4),
        ("gif-preview", 480, 270, 12.0, .gif),
    ])
    func presets(name: String, width: Int, height: Int, fps: Double, format: Timeline.Format) throws {
        let clip = ##"{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##
        let t = try TimelineDocument.decode(Data(document(clip: clip, output: #"{"preset": "\#(name)"}"#).utf8))
        #expect(t.output.width == width && t.output.height == height && t.output.fps == fps && t.output.format == format)
        #expect(!String(decoding: t.encodedJSON(), as: UTF8.self).contains("\"preset\":\"\(name)\""))
        let overridden = try TimelineDocument.decode(Data(document(clip: clip, output: #"{"preset": "\#(name)", "fps": 25, "height": 500}"#).utf8))
        #expect(overridden.output.width == width && overridden.output.height == 500 && overridden.output.fps == 25)
    }

    @Test("output.canvas: read with a preset, written back, checked like a size")
    func canvas() throws {
        let clip = ##"{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##
        let t = try TimelineDocument.decode(Data(document(clip: clip, output: #"{"preset": "720p", "canvas": {"width": 1920, "height": 1080}}"#).utf8))
        #expect(t.output.width == 1280 && t.output.canvas == Timeline.Size(width: 1920, height: 1080))
        #expect(abs(t.output.canvasUnit - 2.0 / 3) < 1e-9)
        let again = try TimelineDocument.decode(t.encodedJSON())
        #expect(again.output.canvas == t.output.canvas)
        #expect(try TimelineDocument.decode(Data(document(clip: clip).utf8)).output.canvas == nil)
        let issues = decodeIssues(document(clip: clip, output: #"{"canvas": {"width": 8, "height": 1080, "depth": 1}}"#))
        #expect(Set(issues.map(\.path)) == ["/output/canvas/width", "/output/canvas/depth"], "\(issues)")
        #expect(decodeIssues(document(clip: clip, output: #"{"canvas": {"width": 640}}"#)).map(\.path) == ["/output/canvas/height"])
    }

    @Test("malformed JSON is one issue at the root saying where")
    func malformed() {
        let issues = decodeIssues(##"{"version": 1, "output": {"width": 10,}}"##)
        #expect(issues.count == 1)
        #expect(issues.first?.path == "")
        #expect(issues.first?.message.contains("malformed JSON") == true)
        #expect(issues.first?.message.contains("line 1, column 39") == true, "\(issues)")
        #expect(decodeIssues("").first?.message.contains("empty") == true)
        #expect(decodeIssues("[1, 2] x").first?.message.contains("after the end") == true)
        #expect(decodeIssues(##"{"a": NaN}"##).first?.path == "")
        #expect(decodeIssues(String(repeating: "[", count: 500)).first?.message.contains("nesting") == true)
    }

    @Test("every problem is reported at once with its JSON Pointer")
    func manyIssues() {
        let json = """
        {"version": 2, "output": {"width": 1921, "height": 8000, "fps": 0, "format": "avi", "audio": {"channels": "two"}},
         "background": "red", "extra": true,
         "tracks": [{"id": "v", "clips": [
           {"id": "a", "asset": {"type": "video", "src": "x.mp4", "colour": 1}, "start": -1, "opactiy": 0.5, "opacity": 2,
            "volume": 5, "speed": 8, "offset": {"x": 2}, "fit": "stretch", "position": "middle"},
           {"id": "a", "asset": {"type": "image"}, "start": 1e400, "length": "3"},
           {"asset": {"type": "hologram"}, "start": true},
           {"id": "t", "asset": {"type": "text", "text": "x", "font": {"color": "#12345"}}, "start": 0, "length": 1,
            "transition": {"type": "spin", "duration": 0},
            "effects": [{"type": "blur", "amount": 99}, {"type": "warp"}],
            "animate": [{"property": "opacity", "keys": [{"t": 0, "value": 1, "easing": "bounce"}]}]}
         ]}],
         "merge": {"N": 3}}
        """
        let issues = decodeIssues(json)
        let byPath = Dictionary(grouping: issues, by: \.path).mapValues { $0.map(\.message) }
        func has(_ path: String, _ text: String) {
            #expect(byPath[path]?.contains { $0.contains(text) } == true, "\(path) should say '\(text)'; got \(byPath[path] ?? [])")
        }
        has("/version", "unsupported version 2")
        has("/output/width", "even")
        has("/output/height", "between 16 and 7680")
        has("/output/fps", "between 1 and 120")
        has("/output/format", "unknown value 'avi'")
        has("/output/audio/channels", "expected an integer")
        has("/background", "not a colour")
        has("/extra", "unknown key 'extra'")
        has("/tracks/0/clips/0/asset/colour", "unknown key 'colour'")
        has("/tracks/0/clips/0/start", "between 0 and 86400")
        has("/tracks/0/clips/0/opactiy", "unknown key 'opactiy' (did you mean 'opacity'?)")
        has("/tracks/0/clips/0/opacity", "between 0 and 1")
        has("/tracks/0/clips/0/volume", "between 0 and 4")
        has("/tracks/0/clips/0/speed", "between 0.25 and 4")
        has("/tracks/0/clips/0/offset/x", "between -1 and 1")
        has("/tracks/0/clips/0/fit", "unknown value 'stretch'")
        has("/tracks/0/clips/0/position", "unknown value 'middle'")
        has("/tracks/0/clips/1/id", "duplicate clip id 'a'")
        has("/tracks/0/clips/1/asset/src", "required key 'src' is missing")
        has("/tracks/0/clips/1/start", "out of range")
        has("/tracks/0/clips/1/length", "expected a number, got a string")
        has("/tracks/0/clips/2/id", "required key 'id' is missing")
        has("/tracks/0/clips/2/asset/type", "unknown value 'hologram'")
        has("/tracks/0/clips/2/start", "expected a number, got a boolean")
        has("/tracks/0/clips/3/asset/font/color", "not a colour")
        has("/tracks/0/clips/3/transition/type", "unknown value 'spin'")
        has("/tracks/0/clips/3/transition/duration", "greater than 0")
        has("/tracks/0/clips/3/effects/0/amount", "between 0 and 50")
        has("/tracks/0/clips/3/effects/1/type", "unknown value 'warp'")
        has("/tracks/0/clips/3/animate/0/keys/0/easing", "unknown value 'bounce'")
        has("/merge/N", "expected a string, got a number")
        // A value with a type error is not reported a second time by the range checks.
        #expect(byPath["/tracks/0/clips/1/length"]?.count == 1)
    }

    @Test("missing required keys and wrong container types")
    func missingAndWrongTypes() {
        let issues = decodeIssues(##"{"tracks": {"id": "x"}}"##)
        #expect(issues.contains(ValidationIssue(path: "/version", message: "required key 'version' is missing")))
        #expect(issues.contains(ValidationIssue(path: "/output", message: "required key 'output' is missing")))
        #expect(issues.contains(ValidationIssue(path: "/tracks", message: "expected an array, got an object")))
        #expect(decodeIssues("[]") == [ValidationIssue(path: "", message: "expected an object, got an array")])
        let lengthless = decodeIssues(document(clip: ##"{"id": "i", "asset": {"type": "image", "src": "a.png"}, "start": 0}"##))
        #expect(lengthless == [ValidationIssue(path: "/tracks/0/clips/0/length", message: "length is required for image clips")])
    }

    @Test("JSON Pointer escapes ~ and / in keys")
    func pointerEscaping() {
        let issues = decodeIssues(##"{"version": 1, "output": {}, "a/b~c": 1}"##)
        #expect(issues == [ValidationIssue(path: "/a~1b~0c", message: "unknown key 'a/b~c'")])
        #expect(JSONPointer(parsing: "/a~1b~0c/0").tokens == ["a/b~c", "0"])
    }

    @Test("integers must be integral; huge and fractional values are reported")
    func numbers() {
        let issues = decodeIssues(document(clip: ##"{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##,
                                          output: ##"{"width": 640.5, "height": 1e300, "video": {"crf": 99}}"##))
        #expect(issues.contains(ValidationIssue(path: "/output/width", message: "expected an integer, got 640.5")))
        #expect(issues.contains(ValidationIssue(path: "/output/height", message: "number is out of range")))
        #expect(issues.contains(ValidationIssue(path: "/output/video/crf", message: "must be between 0 and 51 (got 99)")))
    }

    @Test("codec and format must match")
    func codecFormat() {
        let clip = ##"{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##
        let issues = decodeIssues(document(clip: clip, output: ##"{"format": "mp4", "video": {"codec": "vp9"}, "audio": {"codec": "opus"}}"##))
        #expect(issues.map(\.path) == ["/output/video/codec", "/output/audio/codec"])
    }

    @Test("duplicate keys and a bad bitrate string are reported")
    func duplicateKeys() {
        let clip = ##"{"id": "c", "id": "d", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1}"##
        let issues = decodeIssues(document(clip: clip, output: ##"{"video": {"bitrate": "fast"}}"##))
        #expect(issues.contains(ValidationIssue(path: "/tracks/0/clips/0/id", message: "duplicate key 'id'")))
        #expect(issues.contains { $0.path == "/output/video/bitrate" && $0.message.contains("bitrate such as") })
    }

    @Test("strings with escapes and unicode decode")
    func strings() throws {
        let clip = ##"{"id": "c\u00e9\ud83d\ude00", "asset": {"type": "text", "text": "a\"b\\c\nd\/"}, "start": 0, "length": 1}"##
        let t = try TimelineDocument.decode(Data(document(clip: clip).utf8))
        #expect(t.tracks[0].clips[0].id == "cé😀")
        #expect(t.tracks[0].clips[0].asset == .text(Timeline.TextAsset(text: "a\"b\\c\nd/")))
    }
}
