import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("H.264 configuration records")
struct AVCConfigurationTests {
    /// The `avcC` x264 writes for a tiny clip with parameter-set id `id`.
    private func record(id: Int) throws -> [UInt8] {
        let path = Fixtures.directory.appendingPathComponent("avcc-\(id).mp4").path
        try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=64x48:d=0.2",
                                         "-c:v", "libx264", "-x264-params", "sps-id=\(id)", "-pix_fmt", "yuv420p", path])
        let scan = try SourcePackets.scan(path: path, cancel: CancellationFlag())
        return try #require(scan.video?.parameters.extradata)
    }

    @Test("records are read, their parameter-set ids found, and written back byte for byte")
    func roundTrip() throws {
        let bytes = try record(id: 0)
        let parsed = try #require(AVCConfiguration(bytes))
        #expect(parsed.lengthSize == 4)
        #expect(parsed.sequenceParameterSetIDs == [0] && parsed.pictureParameterSetIDs == [0])
        #expect(parsed.bytes == bytes)
        let other = try #require(AVCConfiguration(try record(id: 5)))
        #expect(other.sequenceParameterSetIDs == [5] && other.pictureParameterSetIDs == [5])
    }

    @Test("two encoders' sets merge into one record unless their ids collide")
    func merge() throws {
        let a = try #require(AVCConfiguration(try record(id: 0)))
        let b = try #require(AVCConfiguration(try record(id: 1)))
        let merged = try #require(a.merged(with: b))
        let reread = try #require(AVCConfiguration(merged.bytes))
        #expect(reread.sequenceParameterSetIDs == [0, 1] && reread.pictureParameterSetIDs == [0, 1])
        #expect(reread.sequenceParameterSets == a.sequenceParameterSets + b.sequenceParameterSets)
        #expect(a.merged(with: a) == nil)
    }

    @Test("truncated or foreign bytes are not a record", arguments: [[], [1, 100, 0, 30], [0, 1, 2, 3, 4, 5, 6, 7], [1, 100, 0, 30, 0xFF, 0xE1, 0, 9, 1, 2]] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(AVCConfiguration(bytes) == nil)
    }
}
