import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Hostile numbers and strings can only be refused: random mutations of real documents go
/// through decode, validate and compile (and a sample through a tiny render), and any trap
/// stops this test process. Seeded, so a failure reproduces.
@Suite("Timeline fuzzing")
struct TimelineFuzzTests {
    /// SplitMix64: small, fast and the same on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Documents using every kind of clip, effect, animation and transition, on fixture media.
    static let seeds: [String] = [
        #"""
        {"version": 1, "output": {"width": 320, "height": 240, "fps": 25},
         "tracks": [{"id": "v", "clips": [
           {"id": "a", "asset": {"type": "video", "src": "red.mp4"}, "start": 0, "length": 1, "trim": 0.2, "speed": 1.5,
            "effects": [{"type": "kenburns", "from": {"scale": 1, "x": 0, "y": 0}, "to": {"scale": 1.3, "x": 0.1, "y": 0}},
                        {"type": "blur", "amount": 2}, {"type": "rotate", "degrees": 30}],
            "animate": [{"property": "opacity", "keys": [{"t": 0, "value": 0}, {"t": 0.5, "value": 1, "easing": "easeIn"}]}]},
           {"id": "b", "asset": {"type": "video", "src": "blue.mp4"}, "start": 1, "length": 1, "fadeOut": 0.3,
            "transition": {"type": "fade", "duration": 0.4},
            "effects": [{"type": "crop", "x": 0.1, "y": 0.1, "width": 0.5, "height": 0.5}, {"type": "chromakey", "color": "#00FF00", "similarity": 0.2, "blend": 0.1}]}
         ]},
         {"id": "t", "clips": [
           {"id": "title", "asset": {"type": "text", "text": "Hello {{NAME}}\nsecond line", "font": {"family": "sans-serif", "size": 40, "color": "#FFFFFF"},
            "box": {"color": "#00000080", "padding": 8}, "outline": {"color": "#000000", "width": 2}, "align": "center"},
            "start": 0.2, "length": 1.5, "position": "bottom", "scale": 1.2,
            "animate": [{"property": "scale", "keys": [{"t": 0, "value": 1}, {"t": 1, "value": 2}]}],
            "effects": [{"type": "grayscale"}]}
         ]},
         {"id": "a", "clips": [{"id": "tone", "asset": {"type": "audio", "src": "tone.wav"}, "start": 0, "length": 2, "volume": 0.5,
            "animate": [{"property": "volume", "keys": [{"t": 0, "value": 1}, {"t": 1, "value": 0}]}]}]}],
         "merge": {"NAME": "world"}}
        """#,
        #"""
        {"version": 1, "output": {"width": 320, "height": 180, "fps": 30, "format": "mp4", "video": {"crf": 30}},
         "background": "#102030",
         "tracks": [{"id": "bg", "clips": [
           {"id": "c", "asset": {"type": "color", "color": "#336699"}, "start": 0, "length": 1,
            "effects": [{"type": "color", "brightness": 0.1, "contrast": 1.2, "saturation": 0.8}, {"type": "sepia"}]},
           {"id": "i", "asset": {"type": "image", "src": "alpha.png"}, "start": 1, "length": 1, "fit": "contain",
            "offset": {"x": 0.2, "y": -0.1}, "transition": {"type": "wipeleft", "duration": 0.5},
            "effects": [{"type": "flip", "horizontal": true}, {"type": "kenburns", "from": {"scale": 2, "x": -0.2, "y": 0.1}, "to": {"scale": 1, "x": 0, "y": 0}}],
            "animate": [{"property": "offset.x", "keys": [{"t": 0, "value": -0.5}, {"t": 1, "value": 0.5, "easing": "easeInOut"}]}]}
         ]}]}
        """#,
    ]

    static let hostileNumbers: [Double] = [
        0, -0.0, 1e-11, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e-300, 1e308, -1e308, 1.7976931348623157e308, 9.3e18, -9.3e18,
        4_294_967_296, 9_007_199_254_740_992, 86_400, 86_401, 7680, 7682, 121, 0.25, 0.01, 0.009, 10, 10.5, -1, 1, 2, 0.5, 3.999,
    ]
    static let hostileStrings: [String] = [
        "", " ", "{{NAME}}", "{{MISSING}}", "a\u{0}b", "\u{7F}", "\u{1B}[31m", "#GGGGGG", "#12345", "#FFFFFFFFF", "'", "\\", ":",
        ";[x]", "%{pts}", "%{eif:1/0:d}", String(repeating: "W", count: 5000), "../../etc/passwd", "asset:nope", "red.mp4",
        "tone.wav", "alpha.png", "serif", "NoSuchFontFamily", "linear", "cover", "fade", "mp4", "gif", "png", "webm",
    ]

    /// A mutation of one place in the document.
    static func mutate(_ value: Any, _ random: inout Generator, depth: Int = 0) -> Any {
        switch value {
        case var object as [String: Any]:
            guard !object.isEmpty else { return object }
            let keys = object.keys.sorted()
            let key = keys[Int.random(in: 0..<keys.count, using: &random)]
            switch Int.random(in: 0..<10, using: &random) {
            case 0: object[key] = nil
            case 1: object[key] = NSNull()
            case 2: object[key + "x"] = 1
            default: object[key] = mutate(object[key] as Any, &random, depth: depth + 1)
            }
            return object
        case var array as [Any]:
            guard !array.isEmpty else { return [mutate([String: Any](), &random)] }
            let index = Int.random(in: 0..<array.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: array.remove(at: index)
            case 1: array.append(array[index])
            default: array[index] = mutate(array[index], &random, depth: depth + 1)
            }
            return array
        case is NSNumber where !(value is Bool) || depth > 0:
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return hostileStrings[Int.random(in: 0..<hostileStrings.count, using: &random)]
            case 1: return Double.random(in: -1e6...1e6, using: &random)
            default: return hostileNumbers[Int.random(in: 0..<hostileNumbers.count, using: &random)]
            }
        case is String:
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return hostileNumbers[Int.random(in: 0..<hostileNumbers.count, using: &random)]
            case 1: return [String: Any]()
            default: return hostileStrings[Int.random(in: 0..<hostileStrings.count, using: &random)]
            }
        default:
            return hostileNumbers[Int.random(in: 0..<hostileNumbers.count, using: &random)]
        }
    }

    static let sources: [String: ResolvedSource] = {
        var table: [String: ResolvedSource] = [:]
        for name in ["red.mp4", "blue.mp4", "tone.wav", "alpha.png"] {
            if let path = Fixtures.all[name], let source = ResolvedSource.local(path: path) { table[name] = source }
        }
        return table
    }()

    @Test("random mutations of real documents never crash decode, validate, compile or a tiny render")
    func mutatedDocuments() throws {
        let resolve: SourceResolver = { Self.sources[$0] }
        #expect(Self.sources.count == 4)
        var random = Generator(state: 20_261_205)
        var (decoded, compiled, rendered) = (0, 0, 0)
        for iteration in 0..<3000 {
            let seed = Self.seeds[iteration % Self.seeds.count]
            var document = try JSONSerialization.jsonObject(with: Data(seed.utf8))
            for _ in 0..<Int.random(in: 1...2, using: &random) { document = Self.mutate(document, &random) }
            let data = try JSONSerialization.data(withJSONObject: document)
            guard let timeline = try? TimelineDocument.decode(data) else { continue }
            decoded += 1
            _ = timeline.validate(resolve: resolve)
            guard let plan = try? RenderCompiler.compile(timeline, scaledWidth: 64, resolve: resolve) else { continue }
            compiled += 1
            // Every 25th plan that compiles is run for real, cut to its first fifth of a second.
            guard compiled % 25 == 0, plan.duration > 0.2, timeline.output.format == .mp4 else { continue }
            var short = timeline
            short.output.range = Timeline.TimeRange(start: 0, end: 0.2)
            guard let tiny = try? RenderCompiler.compile(short, scaledWidth: 64, resolve: resolve) else { continue }
            let output = Fixtures.outputPath("fuzz")
            defer { try? FileManager.default.removeItem(atPath: output) }
            do {
                try RenderExecutor.run(tiny, outputPath: output, cancel: CancellationFlag()) { _ in }
                rendered += 1
            } catch {
                // A refusal is fine; only a crash is not. Keep the document for whoever reads the log.
                print("fuzz render refused (\(error)): \(String(decoding: data, as: UTF8.self).prefix(300))")
            }
        }
        // The mutations must leave enough documents intact for each stage to be exercised.
        #expect(decoded > 300, "decoded \(decoded)")
        #expect(compiled > 100, "compiled \(compiled)")
        #expect(rendered >= 3, "rendered \(rendered)")
    }

    @Test("the scale that crashed the compiler is refused by validation", arguments: [1e-11, .leastNonzeroMagnitude, 0.009, 0])
    func tinyScales(scale: Double) throws {
        let document = ##"{"version": 1, "output": {"width": 320, "height": 240}, "tracks": [{"id": "t", "clips": [{"id": "c", "asset": {"type": "color", "color": "#FF0000"}, "start": 0, "length": 1, "scale": \##(scale), "effects": [{"type": "kenburns", "from": {"scale": \##(scale), "x": 0, "y": 0}, "to": {"scale": 1, "x": 0, "y": 0}}], "animate": [{"property": "scale", "keys": [{"t": 0, "value": \##(scale)}]}]}]}]}"##
        do {
            _ = try TimelineDocument.decode(Data(document.utf8))
            Issue.record("decoded a scale of \(scale)")
        } catch .invalidTimeline(let issues) {
            #expect(Set(issues.map(\.path)) == [
                "/tracks/0/clips/0/scale", "/tracks/0/clips/0/effects/0/from/scale", "/tracks/0/clips/0/animate/0/keys/0/value",
            ])
            #expect(issues.allSatisfy { $0.message.hasPrefix("must be between 0.01 and 10") })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("number formatting and conversion saturate instead of trapping")
    func saturatingNumbers() {
        #expect(decimal(1e30) == "1000000000")
        #expect(decimal(-1e300) == "-1000000000")
        #expect(decimal(.nan) == "0")
        #expect(decimal(0.1234567) == "0.123457")
        #expect(Int(saturating: .infinity) == 9_007_199_254_740_992)
        #expect(Int(saturating: -.infinity) == -9_007_199_254_740_992)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: 2.9) == 2)
    }

    @Test("control characters are refused in every string, with tab and line breaks allowed in text")
    func controlCharacters() throws {
        func issues(_ text: String) throws -> [ValidationIssue] {
            let document = try JSONSerialization.data(withJSONObject: [
                "version": 1, "output": ["width": 320, "height": 240],
                "tracks": [["id": "t", "clips": [["id": "c", "asset": ["type": "text", "text": text], "start": 0, "length": 1]]]],
            ] as [String: Any])
            do {
                _ = try TimelineDocument.decode(document)
                return []
            } catch .invalidTimeline(let issues) {
                return issues
            }
        }
        #expect(try issues("two\tcolumns\r\nand lines") == [])
        #expect(try issues("a\u{0}b") == [ValidationIssue(path: "/tracks/0/clips/0/asset/text", message: "contains the control character U+0000; only tab and line breaks are allowed")])
        #expect(try issues("bell\u{7}").first?.message.contains("U+0007") == true)
        #expect(try issues("c1\u{85}").first?.message.contains("U+0085") == true)
        let merge = timeline([[T.Clip(id: "c", asset: .text(T.TextAsset(text: "{{X}}")), start: 0, length: 1)]])
            .validate(merge: ["X": "nul\u{0}"], resolve: media)
        #expect(merge.contains(ValidationIssue(path: "/merge/X", message: "contains the control character U+0000; only tab and line breaks are allowed")))
    }

    @Test("an unknown key of megabytes is named in short (bench/health_load.py measures the cost)")
    func hugeUnknownKey() throws {
        let key = String(repeating: "k", count: 3_000_000)
        do {
            _ = try TimelineDocument.decode(Data(#"{"version": 1, "tracks": [], "\#(key)": 1}"#.utf8))
            Issue.record("decoded")
        } catch .invalidTimeline(let issues) {
            let unknown = try #require(issues.first { $0.message.hasPrefix("unknown key") })
            #expect(unknown.message.count < 100)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
