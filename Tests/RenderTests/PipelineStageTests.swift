import CFFmpeg
import Foundation
import EngineTestSupport
import Testing
@testable import Compiler
@testable import Render
@testable import TimelineModel

@Suite("Pipeline stages")
struct PipelineStageTests {
    @Test("a hand-off keeps order, holds at most its capacity, and ends when closed")
    func handOff() async throws {
        let queue = HandOff<Int>(capacity: 3)
        let producer = Thread {
            for i in 0..<1_000 { _ = queue.put(i) }
            queue.close()
        }
        producer.start()
        var taken: [Int] = []
        while let item = queue.take() { taken.append(item) }
        #expect(taken == Array(0..<1_000))
        #expect(queue.put(7) == false)
        #expect(queue.take() == nil)
    }

    @Test("closing a full hand-off wakes a waiting producer and returns what it held")
    func handOffCloseWakes() async throws {
        let queue = HandOff<Int>(capacity: 2)
        #expect(queue.put(1) && queue.put(2))
        let refused = DispatchSemaphore(value: 0)
        let producer = Thread {
            if !queue.put(3) { refused.signal() }
        }
        producer.start()
        #expect(queue.closeAndEmpty() == [1, 2])
        #expect(refused.wait(timeout: .now() + 5) == .success, "the blocked put returned false")
    }

    @Test("the encoder thread's first error reaches the render thread, later frames are refused, nothing hangs")
    func encodeStageFailure() throws {
        var encoded = 0
        let stage = EncodeStage(capacity: 2) { job throws(RenderError) in
            guard job.frame != nil else { return }
            encoded += 1
            if encoded == 3 { throw RenderError.ffmpeg(function: "avcodec_send_frame", code: -1, message: "test failure") }
        }
        let frame = try Frame()
        var failure: RenderError?
        for _ in 0..<1_000 {
            do throws(RenderError) { try stage.encode(frame.pointer, output: 0) } catch { failure = error; break }
        }
        #expect(failure?.description.contains("test failure") == true)
        #expect(throws: RenderError.self) { try stage.finish() }
        #expect(encoded == 3)
        stage.stop()
    }

    @Test("finish waits for every frame handed over, then the end of each output")
    func encodeStageOrder() throws {
        var log: [String] = []
        let stage = EncodeStage(capacity: 1) { job throws(RenderError) in
            log.append((job.frame == nil ? "end" : "frame") + "\(job.output)")
        }
        let frame = try Frame()
        for output in [0, 1, 0, 1, 0] { try stage.encode(frame.pointer, output: output) }
        try stage.end(output: 0)
        try stage.end(output: 1)
        try stage.finish()
        #expect(log == ["frame0", "frame1", "frame0", "frame1", "frame0", "end0", "end1"])
    }
}
