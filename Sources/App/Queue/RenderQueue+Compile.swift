import Foundation
import Compiler
import Render
import TimelineModel
import Store

/// From a render row to a plan, and the plan's run on the `renders` lane.
extension RenderQueue {
    /// Decodes the stored document, makes its sources local files, and compiles it (the compiler
    /// reads captions files and asks fontconfig and FreeType, so it runs on the lane too).
    func compile(_ record: RenderRecord) async throws -> RenderPlan {
        let document = record.document
        let mergeJSON = record.merge
        let (timeline, merge) = try await work.run {
            let timeline = try TimelineDocument.decode(Data(document.utf8))
            let merge = try mergeJSON.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            return (timeline, merge)
        }
        let resolve = try await sources.resolver(for: timeline.applyingMerge(merge), userId: record.userId, materialize: true)
        return try await work.run { try RenderCompiler.compile(timeline, merge: merge, resolve: resolve) }
    }

    /// Runs the executor on the lane; progress flows through a newest-only stream so the render
    /// thread never waits for subscribers or the database.
    func render(_ plan: RenderPlan, renderId: String, output: URL, cancel: CancellationFlag) async throws -> RenderResult {
        let (ticks, continuation) = AsyncStream<RenderProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let consumer = Task { [events, logger] in
            for await tick in ticks {
                do {
                    try await events.record(renderId, .progress) { row in
                        row.progress = tick.fraction
                        row.frame = tick.frame
                        row.fps = tick.fps
                    }
                } catch {
                    // The next tick (or the end) carries the state again.
                    logger.warning("could not record a render's progress", metadata: ["render.id": "\(renderId)", "error": "\(Self.describe(error))"])
                }
                // At most ~4 progress events per second, whatever the frame rate.
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        let path = output.path
        let result: Result<RenderResult, any Error>
        do {
            result = .success(try await work.run {
                try RenderExecutor.run(plan, outputPath: path, cancel: cancel) { tick in
                    continuation.yield(tick)
                }
            })
        } catch {
            result = .failure(error)
        }
        continuation.finish()
        await consumer.value
        if case .success(let done) = result {
            logger.debug("render made", metadata: ["render.id": "\(renderId)", "method": "\(done.method)", "notes": "\(done.notes.joined(separator: "; "))"])
        }
        return try result.get()
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as RenderError: return error.description
        case let error as StoreError: return error.description
        default: return String(describing: error)
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds >= 3600 ? "\(seconds / 3600) h \(seconds % 3600 / 60) min" : seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }
}
