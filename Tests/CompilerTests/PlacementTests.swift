import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

/// The compiler's geometry on its own: fitted sizes, anchors, offsets and the visible part.
@Suite("Placement")
struct PlacementTests {
    typealias T = Timeline

    func place(_ source: (Int, Int), fit: T.Fit, scale: Double = 1, position: T.Position = .center, offset: T.Offset = T.Offset()) -> Placement? {
        Placement(canvas: (640, 360), source: source, fit: fit, scale: scale, position: position, offset: offset)
    }

    @Test("cover fills the canvas and crops the overflow, centred")
    func cover() throws {
        let p = try #require(place((1000, 1000), fit: .cover))
        #expect((p.width, p.height) == (640, 640))
        #expect((p.cropX, p.cropY, p.cropWidth, p.cropHeight) == (0, 140, 640, 360))
        #expect((p.x, p.y) == (0, 0))
        #expect(p.needsCrop)
    }

    @Test("contain fits inside with bars; fill stretches; none keeps the source size")
    func containFillNone() throws {
        let contain = try #require(place((1000, 1000), fit: .contain))
        #expect((contain.width, contain.height, contain.x, contain.y) == (360, 360, 140, 0))
        #expect(!contain.needsCrop)
        let fill = try #require(place((100, 700), fit: .fill))
        #expect((fill.width, fill.height, fill.x, fill.y) == (640, 360, 0, 0))
        let none = try #require(place((100, 50), fit: .none, position: .bottomRight))
        #expect((none.width, none.height, none.x, none.y) == (100, 50, 540, 310))
    }

    @Test("sizes and positions are even; odd sources round to even pixels")
    func evenPixels() throws {
        let p = try #require(place((333, 111), fit: .none, scale: 1.01, position: .center, offset: T.Offset(x: 0.0013, y: 0.0027)))
        for value in [p.width, p.height, p.x, p.y, p.cropWidth, p.cropHeight] { #expect(value % 2 == 0, "\(p)") }
        #expect(Placement.even(0.3) == 2)
        #expect(Placement.evenFloor(-3) == -4)
    }

    @Test("offsets move by fractions of the canvas; off-canvas parts are cropped; nothing visible is nil")
    func offsets() throws {
        let half = try #require(place((200, 100), fit: .none, position: .topLeft, offset: T.Offset(x: -0.25, y: 0)))
        #expect((half.x, half.cropX, half.cropWidth) == (0, 160, 40))
        #expect(place((200, 100), fit: .none, position: .topLeft, offset: T.Offset(x: -1, y: 0)) == nil)
        #expect(place((200, 100), fit: .none, scale: 0.01) != nil, "a 2×2 picture is still a picture")
    }

    @Test("anchors are the free space's fractions", arguments: T.Position.allCases)
    func anchors(position: T.Position) {
        let a = Placement.anchor(position)
        #expect([0, 0.5, 1].contains(a.x) && [0, 0.5, 1].contains(a.y))
        #expect((a.x == 0.5 && a.y == 0.5) == (position == .center))
    }
}
