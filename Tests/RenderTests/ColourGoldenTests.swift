import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Golden colours: what the render's pictures decode to (ffmpeg reading the output's own tags)
/// against the RGB the document asked for, ±4 per channel.
@Suite("Colour", .tags(.slow))
struct ColourGoldenTests {
    typealias T = Timeline

    /// The colours every path is checked with: the primaries, white and mid grey.
    static let colours: [(hex: String, rgb: (Int, Int, Int))] = [
        ("#FF0000", (255, 0, 0)), ("#00FF00", (0, 255, 0)), ("#0000FF", (0, 0, 255)), ("#FFFFFF", (255, 255, 255)), ("#808080", (128, 128, 128)),
    ]

    static func near(_ found: (r: Double, g: Double, b: Double), _ wanted: (Int, Int, Int), _ tolerance: Double = 4) -> Bool {
        abs(found.r - Double(wanted.0)) <= tolerance && abs(found.g - Double(wanted.1)) <= tolerance && abs(found.b - Double(wanted.2)) <= tolerance
    }

    /// The middle of a picture (away from chroma-subsampled edges).
    static func centre(_ picture: (width: Int, height: Int, pixels: [UInt8]), x: Int? = nil) -> (r: Double, g: Double, b: Double) {
        let cx = x ?? picture.width / 2, cy = picture.height / 2
        return Tool.average(picture, rows: cy - 4..<cy + 4, columns: cx - 4..<cx + 4)
    }

    /// The stream's colour tags as ffprobe shows them.
    static func tags(_ path: String) throws -> [String] {
        let json = try Tool.probe(path, ["-select_streams", "v:0", "-show_entries", "stream=color_space,color_transfer,color_primaries,color_range"])
        let stream = try #require((json["streams"] as? [[String: Any]])?.first)
        return ["color_space", "color_transfer", "color_primaries", "color_range"].map { stream[$0] as? String ?? "-" }
    }

    static func render(_ timeline: Timeline, _ name: String, ext: String = "mp4", resolve: @escaping SourceResolver = { _ in nil }) throws -> String {
        let output = Fixtures.directory.appendingPathComponent("\(name)-\(UUID().uuidString).\(ext)").path
        try RenderExecutor.run(try RenderCompiler.compile(timeline, resolve: resolve), outputPath: output, cancel: CancellationFlag()) { _ in }
        return output
    }

    static func output(_ format: T.Format = .mp4, width: Int = 320, height: Int = 180) -> T.Output {
        T.Output(width: width, height: height, fps: 25, format: format, video: T.VideoSettings(codec: format == .webm ? .vp9 : .h264, preset: .ultrafast), audio: nil)
    }

    @Test("golden: colour clips decode to their RGB; mp4 and webm are tagged bt709 limited range")
    func colourClips() throws {
        let clips = Self.colours.enumerated().map { index, colour in
            T.Clip(id: "c\(index)", asset: .color(T.ColorAsset(color: colour.hex)), start: Double(index) * 0.4, length: 0.4)
        }
        for format in [T.Format.mp4, .webm] {
            let path = try Self.render(T(output: Self.output(format), tracks: [T.Track(id: "v", clips: clips)]), "colours", ext: format.rawValue)
            #expect(try Self.tags(path) == ["bt709", "bt709", "bt709", "tv"], "\(format)")
            for (index, colour) in Self.colours.enumerated() {
                let found = Self.centre(try Tool.rgb(path, at: Double(index) * 0.4 + 0.2))
                #expect(Self.near(found, colour.rgb), "\(format) \(colour.hex): \(found)")
            }
        }
    }

    @Test("golden: the background colour decodes to its RGB")
    func background() throws {
        var timeline = T(output: Self.output(), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "grey", asset: .color(T.ColorAsset(color: "#808080")), start: 0, length: 0.4, fit: .none, scale: 0.2),
        ])])
        timeline.background = "#FF0000"
        let found = Self.centre(try Tool.rgb(try Self.render(timeline, "background"), at: 0.2), x: 20)
        #expect(Self.near(found, (255, 0, 0)), "\(found)")
    }

    @Test("golden: a PNG of the colours decodes to the same RGB")
    func png() throws {
        let png = Fixtures.directory.appendingPathComponent("stripes-\(UUID().uuidString).png").path
        let stripes = Self.colours.indices.map { "color=c=\(Self.colours[$0].hex.replacingOccurrences(of: "#", with: "0x")):s=64x180[s\($0)]" }.joined(separator: ";")
        let inputs = Self.colours.indices.map { "[s\($0)]" }.joined()
        try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-filter_complex", "\(stripes);\(inputs)hstack=inputs=\(Self.colours.count),format=rgb24", "-frames:v", "1", png])
        let info = try MediaProbe.probe(path: png)
        #expect(info.colorSpace == "gbr")
        let source = ResolvedSource(path: png, info: info)
        let timeline = T(output: Self.output(), tracks: [T.Track(id: "v", clips: [
            T.Clip(id: "png", asset: .image(T.ImageAsset(src: "stripes.png")), start: 0, length: 0.4),
        ])])
        let picture = try Tool.rgb(try Self.render(timeline, "png", resolve: { _ in source }), at: 0.2)
        for (index, colour) in Self.colours.enumerated() {
            let found = Self.centre(picture, x: index * 64 + 32)
            #expect(Self.near(found, colour.rgb), "\(colour.hex): \(found)")
        }
    }

    /// A text clip of one big full block (█) in `colour`, with an outline in `outline`, on black.
    static func blockText(_ colour: String, outline: String? = nil) -> T {
        let text = T.TextAsset(text: "\u{2588}", font: T.Font(family: "DejaVu Sans", size: 120, color: colour),
                               outline: outline.map { T.Outline(color: $0, width: 4) })
        return T(output: Self.output(), tracks: [T.Track(id: "t", clips: [T.Clip(id: "t", asset: .text(text), start: 0, length: 0.4)])])
    }

    @Test("golden: text decodes to its RGB, drawn on the canvas or (saturated colours) on an RGBA layer", arguments: [
        ("#FF0000", (255, 0, 0), false), ("#00FF00", (0, 255, 0), false), ("#FFCC00", (255, 204, 0), true), ("#FFFFFF", (255, 255, 255), true),
    ])
    func text(_ colour: String, _ rgb: (Int, Int, Int), _ onCanvas: Bool) throws {
        let timeline = Self.blockText(colour, outline: "#3366CC")
        let plan = try RenderCompiler.compile(timeline, resolve: { _ in nil })
        #expect(plan.filterGraph.contains("format=rgba,drawtext") != onCanvas, "\(plan.filterGraph)")
        let found = Self.centre(try Tool.rgb(try Self.render(timeline, "text"), at: 0.2))
        #expect(Self.near(found, rgb), "\(colour): \(found)")
        // A range starting inside the clip (a layer starts at the window, on the canvas's frame numbers).
        var window = timeline
        window.output.range = T.TimeRange(start: 0.2, end: 0.4)
        let inWindow = Self.centre(try Tool.rgb(try Self.render(window, "text-range"), at: 0.1))
        #expect(Self.near(inWindow, rgb), "\(colour) in a range: \(inWindow)")
    }

    /// A clip of #3366CC converted with `matrix` (vf_scale's name) and tagged so.
    static func taggedSource(_ name: String, size: String, matrix: String) throws -> ResolvedSource {
        let path = Fixtures.directory.appendingPathComponent("\(name)-\(UUID().uuidString).mp4").path
        let tag = matrix == "bt601" ? "smpte170m" : "bt709"
        try Tool.run("/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x3366CC:s=\(size):r=25:d=0.4,format=rgb24",
            "-vf", "scale=out_color_matrix=\(matrix):out_range=tv,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast",
            "-colorspace", tag, "-color_primaries", tag, "-color_trc", tag, "-color_range", "tv", path,
        ])
        let info = try MediaProbe.probe(path: path)
        #expect(info.colorSpace == tag && info.colorRange == "tv", "\(name): \(String(describing: info.colorSpace)) \(String(describing: info.colorRange))")
        return ResolvedSource(path: path, info: info)
    }

    static let sourceKinds = [("sd601", "640x480", "bt601"), ("hd709", "1280x720", "bt709")]

    @Test("golden: a bt601-tagged SD source keeps its RGB; a bt709-tagged HD one passes with no conversion")
    func sources() throws {
        for (name, size, matrix) in Self.sourceKinds {
            let input = try Self.taggedSource(name, size: size, matrix: matrix)
            let timeline = T(output: Self.output(width: 1280, height: 720), tracks: [T.Track(id: "v", clips: [
                T.Clip(id: "v", asset: .video(T.VideoAsset(src: "v.mp4")), start: 0, length: 0.4, fit: .fill),
            ])])
            let plan = try RenderCompiler.compile(timeline, resolve: { _ in input })
            // bt709 needs no conversion at all: the source's frames pass as they are.
            #expect(plan.filterGraph.contains("scale=in_color_matrix=bt601:in_range=tv,format=gbrp,scale=out_color_matrix=bt709:out_range=tv,format=yuv420p") == (matrix == "bt601"), "\(name): \(plan.filterGraph)")
            #expect(plan.filterGraph.contains("in_color_matrix") == (matrix == "bt601"), "\(name): \(plan.filterGraph)")
            let found = Self.centre(try Tool.rgb(try Self.render(timeline, name, resolve: { _ in input }), at: 0.2))
            #expect(Self.near(found, (0x33, 0x66, 0xCC)), "\(name): \(found)")
        }
    }

    @Test("golden: thumbnails and filmstrips (JPEG) of bt601 and bt709 sources decode to the source's RGB")
    func thumbnails() throws {
        for (name, size, matrix) in Self.sourceKinds {
            let source = try Self.taggedSource(name, size: size, matrix: matrix)
            let jpeg = Fixtures.directory.appendingPathComponent("thumb-\(UUID().uuidString).jpg")
            try Thumbnailer.jpeg(path: source.path).write(to: jpeg)
            let found = Self.centre(try Tool.rgb(jpeg.path))
            #expect(Self.near(found, (0x33, 0x66, 0xCC)), "thumbnail \(name): \(found)")
            let strip = Fixtures.directory.appendingPathComponent("strip-\(UUID().uuidString).jpg").path
            try RenderExecutor.run(try #require(AssetPictures.filmstrip(source, count: 2, height: 64)), outputPath: strip, cancel: CancellationFlag()) { _ in }
            let frames = Self.centre(try Tool.rgb(strip))
            #expect(Self.near(frames, (0x33, 0x66, 0xCC)), "filmstrip \(name): \(frames)")
        }
    }

    @Test("golden: chromakey keys its colour exactly (the key in the picture's bt709, not bt601)")
    func chromakey() throws {
        var key = T.Clip(id: "k", asset: .color(T.ColorAsset(color: "#00FF00")), start: 0, length: 0.4)
        // Tight enough that a key converted with the other matrix (0.04 away) would miss.
        key.effects = [.chromakey(color: "#00FF00", similarity: 0.02, blend: 0)]
        var timeline = T(output: Self.output(), tracks: [T.Track(id: "v", clips: [key])])
        timeline.background = "#FF0000"
        let found = Self.centre(try Tool.rgb(try Self.render(timeline, "chromakey"), at: 0.2))
        #expect(Self.near(found, (255, 0, 0)), "\(found)")
    }

    @Test("golden: JPEG, PNG and GIF outputs decode to the colours", arguments: [T.Format.jpg, .png, .gif])
    func stills(_ format: T.Format) throws {
        for colour in Self.colours {
            let timeline = T(output: Self.output(format), tracks: [T.Track(id: "v", clips: [
                T.Clip(id: "c", asset: .color(T.ColorAsset(color: colour.hex)), start: 0, length: 0.4),
            ])])
            let path = try Self.render(timeline, "still", ext: format.rawValue)
            let found = Self.centre(try Tool.rgb(path))
            #expect(Self.near(found, colour.rgb), "\(format) \(colour.hex): \(found)")
        }
    }
}
