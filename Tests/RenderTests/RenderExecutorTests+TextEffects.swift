import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

/// Golden renders of effects on text and captions clips (drawn on a layer of their own, which gets
/// the effects an image would), checked on the decoded pictures in the render and the frame preview.
extension RenderExecutorTests {
    private typealias T = Timeline

    private static let effectsOutput = T.Output(width: 320, height: 180, fps: 10, video: T.VideoSettings(preset: .ultrafast), audio: nil)

    /// `text` centred for 0.5 s as it is, then 0.5 s with `effects`: the middle frame of each, in
    /// the render and in the preview.
    private func beforeAndAfter(_ text: T.TextAsset, effects: [T.Effect], background: String = "#000000", name: String) throws
        -> [(source: String, plain: Picture, effected: Picture)]
    {
        let plain = T.Clip(id: "plain", asset: .text(text), start: 0, length: 0.5)
        var effected = T.Clip(id: "fx", asset: .text(text), start: 0.5, length: 0.5)
        effected.effects = effects
        let timeline = T(output: Self.effectsOutput, background: background, tracks: [T.Track(id: "t", clips: [plain, effected])])
        let path = try rendered(timeline, name: "text-fx-\(name)")
        return [
            ("render", try Tool.rgb(path, at: 0.25), try Tool.rgb(path, at: 0.75)),
            ("preview", try preview(timeline, at: 0.2, name: "text-fx-\(name)-a"), try preview(timeline, at: 0.7, name: "text-fx-\(name)-b")),
        ]
    }

    /// The darkest channel of each pixel.
    private static func darkest(_ picture: Picture) -> [UInt8] {
        stride(from: 0, to: picture.pixels.count - 2, by: 3).map { min(picture.pixels[$0], picture.pixels[$0 + 1], picture.pixels[$0 + 2]) }
    }

    /// Pixels between the background's level and white.
    private static func intermediate(_ picture: Picture, above background: UInt8) -> Int {
        darkest(picture).filter { $0 > background + 25 && $0 < 215 }.count
    }

    @Test("golden: blurred white text has soft edges, and on mid-grey no dark ring", arguments: [("#000000", UInt8(0)), ("#808080", UInt8(128))])
    func goldenBlurredText(background: String, level: UInt8) throws {
        let text = T.TextAsset(text: "HI", font: T.Font(size: 60))
        for (source, plain, blurred) in try beforeAndAfter(text, effects: [.blur(amount: 3)], background: background, name: "blur-\(level)") {
            let sharp = Self.intermediate(plain, above: level), soft = Self.intermediate(blurred, above: level)
            #expect(soft > 3 * sharp && soft > 300, "\(source): \(sharp) edge pixels sharp, \(soft) blurred")
            #expect((Self.darkest(blurred).max() ?? 0) > 200, "\(source): the strokes stay white inside")
            let darkest = Self.darkest(blurred).min() ?? 0
            #expect(Int(darkest) >= Int(level) - 12, "\(source): darkest pixel \(darkest) on a background of \(level)")
        }
    }

    @Test("golden: rotate 90 turns the text's ink from wide to tall about the same centre")
    func goldenRotatedText() throws {
        let text = T.TextAsset(text: "WIDE", font: T.Font(size: 40))
        for (source, plain, turned) in try beforeAndAfter(text, effects: [.rotate(degrees: 90)], name: "rotate") {
            let before = Ink(plain, isInk: Self.white), after = Ink(turned, isInk: Self.white)
            let (columns, rows) = (try #require(before.columns), try #require(before.rows))
            let (turnedColumns, turnedRows) = (try #require(after.columns), try #require(after.rows))
            #expect(columns.count > 2 * rows.count && turnedRows.count > 2 * turnedColumns.count, "\(source): \(columns)×\(rows) → \(turnedColumns)×\(turnedRows)")
            #expect(abs(turnedRows.count - columns.count) <= 3 && abs(turnedColumns.count - rows.count) <= 3, "\(source): sizes swapped")
            let centre = (Double(columns.lowerBound + columns.upperBound) / 2, Double(rows.lowerBound + rows.upperBound) / 2)
            let turnedCentre = (Double(turnedColumns.lowerBound + turnedColumns.upperBound) / 2, Double(turnedRows.lowerBound + turnedRows.upperBound) / 2)
            #expect(abs(centre.0 - turnedCentre.0) <= 4 && abs(centre.1 - turnedCentre.1) <= 4, "\(source): centre \(centre) → \(turnedCentre)")
        }
    }

    @Test("golden: a horizontal flip mirrors the ink inside its box")
    func goldenFlippedText() throws {
        // An L's mass lies left of its middle; flipped, right of it.
        func lean(_ picture: Picture) throws -> (box: ClosedRange<Int>, lean: Double) {
            let box = try #require(Ink(picture, isInk: Self.white).columns)
            var sum = 0.0, count = 0.0
            for y in 0..<picture.height {
                for x in box where Self.white(picture.pixels[(y * picture.width + x) * 3], picture.pixels[(y * picture.width + x) * 3 + 1], picture.pixels[(y * picture.width + x) * 3 + 2]) {
                    sum += Double(x)
                    count += 1
                }
            }
            return (box, sum / max(1, count) - Double(box.lowerBound + box.upperBound) / 2)
        }
        let text = T.TextAsset(text: "L", font: T.Font(size: 80))
        for (source, plain, flipped) in try beforeAndAfter(text, effects: [.flip(horizontal: true, vertical: false)], name: "flip") {
            let before = try lean(plain), after = try lean(flipped)
            #expect(before.lean < -3 && after.lean > 3, "\(source): ink mass \(before.lean) → \(after.lean) px from the box's middle")
            #expect(abs(before.box.count - after.box.count) <= 2, "\(source): box \(before.box) → \(after.box)")
        }
    }

    @Test("golden: grayscale turns red text grey")
    func goldenGrayscaleText() throws {
        let text = T.TextAsset(text: "HI", font: T.Font(size: 60, color: "#FF0000"))
        for (source, plain, grey) in try beforeAndAfter(text, effects: [.grayscale], name: "grayscale") {
            func ink(_ picture: Picture) -> [(Int, Int, Int)] {
                stride(from: 0, to: picture.pixels.count - 2, by: 3).map { (Int(picture.pixels[$0]), Int(picture.pixels[$0 + 1]), Int(picture.pixels[$0 + 2])) }
                    // Red's bt709 luma is dark: grey ink is about 55 on the black background.
                    .filter { max($0.0, $0.1, $0.2) > 30 }
            }
            let red = ink(plain), grays = ink(grey)
            #expect(red.count > 300 && red.allSatisfy { $0.0 - $0.1 > 30 }, "\(source): red text")
            let spread = grays.map { max($0.0, $0.1, $0.2) - min($0.0, $0.1, $0.2) }.max() ?? 255
            #expect(grays.count > 300 && spread <= 12, "\(source): \(grays.count) ink pixels, channels up to \(spread) apart")
        }
    }

    @Test("golden: cropping the left half keeps half the ink")
    func goldenCroppedText() throws {
        let text = T.TextAsset(text: "WIDE WIDE", font: T.Font(size: 36))
        for (source, plain, cropped) in try beforeAndAfter(text, effects: [.crop(x: 0, y: 0, width: 0.5, height: 1)], name: "crop") {
            let before = Ink(plain, isInk: Self.white), after = Ink(cropped, isInk: Self.white)
            let ratio = Double(try #require(after.columns).count) / Double(try #require(before.columns).count)
            #expect(ratio > 0.4 && ratio < 0.6, "\(source): \(ratio) of the ink's width remains")
            #expect(abs(try #require(after.rows).count - (try #require(before.rows).count)) <= 2, "\(source): its height stays")
        }
    }

    @Test("golden: color brightness brightens grey text")
    func goldenBrightenedText() throws {
        let text = T.TextAsset(text: "HI", font: T.Font(size: 60, color: "#606060"))
        for (source, plain, bright) in try beforeAndAfter(text, effects: [.color(brightness: 0.3, contrast: 1, saturation: 1)], name: "brightness") {
            let before = Int(Self.darkest(plain).max() ?? 0), after = Int(Self.darkest(bright).max() ?? 0)
            #expect(after > before + 40, "\(source): brightest ink \(before) → \(after)")
            // Only the text brightens: its layer's transparent part stays so.
            #expect(Self.darkest(bright).filter { $0 > 20 }.count < 4 * Self.darkest(plain).filter { $0 > 20 }.count / 3, "\(source): ink area")
        }
    }

    @Test("golden: Ken Burns grows the text over the clip")
    func goldenKenBurnsText() throws {
        var clip = T.Clip(id: "kb", asset: .text(T.TextAsset(text: "O", font: T.Font(size: 60))), start: 0, length: 1)
        clip.effects = [.kenburns(from: T.KenBurnsFrame(scale: 1, x: 0, y: 0), to: T.KenBurnsFrame(scale: 1.3, x: 0, y: 0))]
        let timeline = T(output: Self.effectsOutput, background: "#000000", tracks: [T.Track(id: "t", clips: [clip])])
        let path = try rendered(timeline, name: "text-fx-kenburns")
        let pairs = [
            ("render", try Tool.rgb(path, at: 0), try Tool.rgb(path, at: 0.9)),
            ("preview", try preview(timeline, at: 0, name: "text-fx-kb-a"), try preview(timeline, at: 0.9, name: "text-fx-kb-b")),
        ]
        for (source, first, last) in pairs {
            let start = try #require(Ink(first, isInk: Self.white).rows).count, end = try #require(Ink(last, isInk: Self.white).rows).count
            #expect(Double(end) > 1.15 * Double(start), "\(source): ink \(start) → \(end) rows high")
        }
    }

    @Test("golden: a blurred captions clip has soft edges and no dark ring on mid-grey")
    func goldenBlurredCaptions() throws {
        let captions = CaptionsRenderTests()
        let dir = try captions.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try captions.captionsFile("1\r\n00:00:00,000 --> 00:00:01,000\r\nHello\r\n", in: dir)
        let asset = T.CaptionsAsset(src: "subs.srt", font: T.Font(size: 30), box: T.Box(color: "#FFFFFF", padding: 6))
        let plain = T.Clip(id: "plain", asset: .captions(asset), start: 0, length: 0.5)
        var blurred = T.Clip(id: "fx", asset: .captions(asset), start: 0.5, length: 0.5, trim: 0.5)
        blurred.effects = [.blur(amount: 3)]
        let timeline = T(output: Self.effectsOutput, background: "#808080", tracks: [T.Track(id: "c", clips: [plain, blurred])])
        let resolve: SourceResolver = { $0 == "subs.srt" ? source : nil }
        let path = try rendered(timeline, name: "captions-fx-blur", resolve: resolve)
        let pairs = [
            ("render", try Tool.rgb(path, at: 0.25), try Tool.rgb(path, at: 0.75)),
            ("preview", try preview(timeline, at: 0.2, name: "captions-fx-a", resolve: resolve), try preview(timeline, at: 0.7, name: "captions-fx-b", resolve: resolve)),
        ]
        for (source, sharp, soft) in pairs {
            let before = Self.intermediate(sharp, above: 128), after = Self.intermediate(soft, above: 128)
            #expect(after > 3 * before && after > 300, "\(source): \(before) edge pixels sharp, \(after) blurred")
            #expect((Self.darkest(soft).max() ?? 0) > 200 && (Self.darkest(soft).min() ?? 0) >= 116, "\(source): white box on grey, no dark ring")
        }
    }
}
