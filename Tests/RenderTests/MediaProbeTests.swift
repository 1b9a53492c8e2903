import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("MediaProbe")
struct MediaProbeTests {
    @Test("an H.264/AAC clip reports its exact streams")
    func clip() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("red.mp4"))
        #expect(info.format == "mov,mp4,m4a,3gp,3g2,mj2")
        #expect(abs(info.duration - 2.0) < 0.05)
        #expect(info.hasVideo)
        #expect(info.hasAudio)
        #expect(info.width == 320)
        #expect(info.height == 240)
        #expect(info.fps == 25)
        #expect(info.videoCodec == "h264")
        #expect(info.audioCodec == "aac")
        #expect(info.rotation == 0)
        #expect(info.sampleRate == 44_100)
        #expect(info.channels == 1)
        #expect(!info.isImage)
    }

    @Test("a phone clip rotated 90° reports swapped display size")
    func rotated() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("rotated.mp4"))
        #expect(info.rotation == 90)
        #expect(info.width == 240)
        #expect(info.height == 320)
        #expect(!info.hasAudio)
    }

    @Test("sample aspect ratio is applied to the width")
    func anamorphic() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("anamorphic.mp4"))
        #expect(info.width == 640)
        #expect(info.height == 240)
    }

    @Test("a PNG is a still image")
    func png() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("alpha.png"))
        #expect(info.isImage)
        #expect(info.hasVideo)
        #expect(!info.hasAudio)
        #expect(info.duration == 0)
        #expect(info.fps == nil)
        #expect(info.width == 64)
        #expect(info.height == 48)
        #expect(info.videoCodec == "png")
    }

    @Test("a WAV is audio only")
    func wav() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("tone.wav"))
        #expect(info.format == "wav")
        #expect(!info.hasVideo)
        #expect(info.hasAudio)
        #expect(info.width == nil)
        #expect(info.audioCodec == "pcm_s16le")
        #expect(info.sampleRate == 44_100)
        #expect(info.channels == 1)
        #expect(abs(info.duration - 2.0) < 0.001)
        #expect(!info.isImage)
    }

    @Test("cover art in an MP3 is not video")
    func mp3CoverArt() throws {
        let info = try MediaProbe.probe(path: try Fixtures.path("cover.mp3"))
        #expect(info.format == "mp3")
        #expect(!info.hasVideo)
        #expect(info.hasAudio)
        #expect(info.audioCodec == "mp3")
        #expect(abs(info.duration - 2.0) < 0.1)
    }

    @Test("text, empty files and random bytes are unsupported media", arguments: ["notes.txt", "notes.mp4", "art.ans", "empty.mp4", "noise.mp4"])
    func rejected(name: String) throws {
        let path = try Fixtures.path(name)
        #expect {
            _ = try MediaProbe.probe(path: path)
        } throws: { error in
            guard case RenderError.unsupportedMedia(let reportedPath, _) = error else { return false }
            return reportedPath == path
        }
    }

    @Test("a missing file is unsupported media")
    func missing() {
        #expect(throws: RenderError.self) {
            _ = try MediaProbe.probe(path: Fixtures.directory.appendingPathComponent("nope.mp4").path)
        }
    }

    @Test("FFmpegVersion names the linked libraries")
    func version() {
        let text = FFmpegVersion.description
        #expect(text.contains("libavformat 59."))
        #expect(text.contains("libavcodec 59."))
        #expect(text.contains("libavfilter 8."))
    }
}

extension MediaProbeTests {
    @Test("a file with more streams than the limit is refused before its streams are analysed")
    func tooManyStreams() throws {
        let path = Fixtures.directory.appendingPathComponent("streams-\(UUID().uuidString).mkv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tone = try Fixtures.path("tone.wav")
        // 70 copies of one short sound, each its own stream.
        try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", tone] + (0..<70).flatMap { _ in ["-map", "0:a"] } + ["-c", "copy", "-t", "0.2", path])
        do {
            _ = try MediaProbe.probe(path: path)
            Issue.record("probed a file with 70 streams")
        } catch .unsupportedMedia(_, let reason) {
            #expect(reason.contains("70 streams"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
