import Foundation
import Testing

@testable import App

/// A GIF render keeps memory flat: its palette is a pass of its own, so no frame waits for it.
@Suite("GIF memory", .tags(.slow))
struct GifMemoryTests {
    @Test("a 10 s 1280×720 GIF renders in well under the 1 GB one pass needed")
    func flatMemory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutroom-gif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try Fixtures.make("gif-source-720p.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=10", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        ])
        let document = directory.appendingPathComponent("gif.json")
        try Data(#"{"version": 1, "output": {"width": 1280, "height": 720, "fps": 25, "format": "gif"}, "tracks": [{"id": "v", "clips": [{"id": "a", "asset": {"type": "video", "src": "\#(source.path)"}, "start": 0}]}]}"#.utf8).write(to: document)
        let output = directory.appendingPathComponent("out.gif")
        // GNU time reports the child's peak resident set; the bound is what this test checks, not a speed.
        let reportFile = directory.appendingPathComponent("time.txt")
        _ = try Fixtures.output("/usr/bin/time", ["-f", "maxrss=%M", "-o", reportFile.path, LiveServer.binary.path, "render", document.path, "-o", output.path])
        let report = try String(contentsOf: reportFile, encoding: .utf8)
        let line = try #require(report.split(separator: "\n").last { $0.hasPrefix("maxrss=") }, "\(report)")
        let kilobytes = try #require(Int(line.dropFirst("maxrss=".count)))
        #expect(kilobytes < 400_000, "peak RSS \(kilobytes / 1024) MB")
        let probe = try Fixtures.probe(output)
        #expect(probe.frames == 250)
        #expect(abs(probe.duration - 10) < 0.05)
    }
}
