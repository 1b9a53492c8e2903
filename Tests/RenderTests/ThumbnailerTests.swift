import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("Thumbnailer")
struct ThumbnailerTests {
    private func save(_ data: Data) throws -> String {
        let path = Fixtures.directory.appendingPathComponent("thumb-\(UUID().uuidString).jpg").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a clip's thumbnail is a JPEG of the right size and colour")
    func clip() throws {
        let data = try Thumbnailer.jpeg(path: try Fixtures.path("red.mp4"))
        #expect(data.starts(with: [0xFF, 0xD8]))
        let picture = try Tool.rgb(try save(data))
        #expect(picture.width == 320)
        #expect(picture.height == 240)
        let colour = Tool.average(picture)
        #expect(colour.r > 200 && colour.g < 40 && colour.b < 40, "average \(colour)")
    }

    @Test("maxWidth scales down keeping the aspect")
    func scaled() throws {
        let data = try Thumbnailer.jpeg(path: try Fixtures.path("blue.mp4"), at: 1.5, maxWidth: 160)
        let picture = try Tool.rgb(try save(data))
        #expect(picture.width == 160)
        #expect(picture.height == 120)
        let colour = Tool.average(picture)
        #expect(colour.b > 200 && colour.r < 40 && colour.g < 40, "average \(colour)")
    }

    @Test("rotation is applied: the left half ends up on top")
    func rotated() throws {
        let data = try Thumbnailer.jpeg(path: try Fixtures.path("rotated.mp4"))
        let picture = try Tool.rgb(try save(data))
        #expect(picture.width == 240)
        #expect(picture.height == 320)
        let top = Tool.average(picture, rows: 10..<150)
        let bottom = Tool.average(picture, rows: 170..<310)
        #expect(top.r > 200 && top.b < 40, "top \(top)")
        #expect(bottom.b > 200 && bottom.r < 40, "bottom \(bottom)")
    }

    @Test("a still image and a time past the end both give a picture")
    func stillAndPastEnd() throws {
        let png = try Tool.rgb(try save(try Thumbnailer.jpeg(path: try Fixtures.path("alpha.png"))))
        #expect(png.width == 64)
        #expect(png.height == 48)
        let late = try Tool.rgb(try save(try Thumbnailer.jpeg(path: try Fixtures.path("green.mp4"), at: 60)))
        let colour = Tool.average(late)
        #expect(colour.g > 90 && colour.r < 40 && colour.b < 40, "average \(colour)")
    }

    @Test("audio-only files are unsupported media", arguments: ["tone.wav", "notes.txt"])
    func audioOnly(name: String) throws {
        let path = try Fixtures.path(name)
        #expect {
            _ = try Thumbnailer.jpeg(path: path)
        } throws: { error in
            if case RenderError.unsupportedMedia = error { return true }
            return false
        }
    }
}
