import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("Picture headers")
struct PictureHeaderTests {
    @Test("declared sizes of PNG, JPEG, GIF, BMP and WebP files made by ffmpeg", arguments: ["png", "jpg", "gif", "bmp", "webp"])
    func declaredSize(ext: String) throws {
        let path = Fixtures.directory.appendingPathComponent("header-\(UUID().uuidString).\(ext)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=234x118", "-frames:v", "1", path])
        let size = try #require(PictureHeader.size(atPath: path), "\(ext)")
        #expect(size.width == 234 && size.height == 118, "\(ext): \(size)")
    }

    @Test("anything else declares nothing")
    func notAPicture() throws {
        #expect(PictureHeader.size(of: []) == nil)
        #expect(PictureHeader.size(of: Array("just text, not a picture".utf8)) == nil)
        #expect(PictureHeader.size(of: [0xFF, 0xD8, 0xFF]) == nil)
        #expect(PictureHeader.size(atPath: try Fixtures.path("red.mp4")) == nil)
    }
}
