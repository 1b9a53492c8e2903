import Foundation
import Compiler
import Render
import TimelineModel
import Store

/// One job's life: started, compiled, rendered, stored, and ended (or back in the queue).
extension RenderQueue {
    func execute(_ id: String, cancel: CancellationFlag) async {
        let timeout = settings.renderTimeout
        let began = ContinuousClock.now
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.timeOut(id)
        }
        defer { timer.cancel() }
        let started: RenderRecord?
        do {
            started = try await events.record(id, .started) { row in
                row.status = .rendering
                row.stage = .preparing
                row.progress = 0
                row.attempts += 1
                row.startedAt = Date()
                row.error = nil
            }
        } catch {
            // Still queued in the database: the next start picks it up.
            logger.error("could not record a render's start", metadata: ["render.id": "\(id)", "error": "\(Self.describe(error))"])
            started = nil
        }
        guard let started else {
            logger.error("render row vanished before it started", metadata: ["render.id": "\(id)"])
            await finished(id)
            return
        }

        logger.info("render started", metadata: ["render.id": "\(id)", "user.id": "\(started.userId)", "attempt": "\(started.attempts)"])
        let scratch = blobs.scratchDirectory.appendingPathComponent("render-\(id).partial.\(started.format)")
        do {
            let plan = try await compile(started)
            try await events.record(id, .progress) { row in
                row.stage = .rendering
                row.totalFrames = plan.totalFrames
                row.frame = 0
            }
            let result = try await render(plan, renderId: id, output: scratch, cancel: cancel)
            try await events.record(id, .progress) { row in
                row.stage = .finalizing
                row.progress = 1
                row.frame = row.totalFrames
            }
            let key = try BlobKey.renderOutput(userId: started.userId, renderId: id, ext: started.format)
            let size = try? await io.run { (try? FileManager.default.attributesOfItem(atPath: scratch.path)[.size] as? NSNumber)?.int64Value }
            try await blobs.put(key, movingFile: scratch)
            let ended = try await finish(id, .completed) { row in
                row.end(.completed)
                row.outputKey = key.rawValue
                row.outputSize = size ?? nil
                row.measuredLoudness = result.measuredLoudness
            }
            report(id, .done, userId: started.userId, frames: ended?.frame ?? plan.totalFrames, since: began)
        } catch RenderError.cancelled where !cancelRequested.contains(id) && !timedOut.contains(id) {
            // Stopped by shutdown, not by a user: back to the queue for the next start (if this write
            // fails too, the row stays `rendering` and the next start's recovery re-queues it).
            await recordSurely(id, .queued) { $0.requeue() }
        } catch StoreError.unavailable(let reason)
            where !cancelRequested.contains(id) && !timedOut.contains(id) && started.attempts <= settings.storageRetries {
            // Storage is down, not the render: wait and go again, queued (in the database too, so a
            // restart meanwhile loses nothing). Nothing was stored under the output key.
            let delay = settings.storageRetryDelay * started.attempts
            logger.warning("render waits for storage", metadata: ["render.id": "\(id)", "error": "\(reason)", "retryIn": "\(Self.describe(delay))"])
            let message = "storage unavailable: \(reason); attempt \(started.attempts + 1) in \(Self.describe(delay))"
            await recordSurely(id, .queued) { $0.requeue(reason: message) }
            retrying.insert(id)
            Task {
                try? await Task.sleep(for: delay)
                await self.rejoinAfterStorageFailure(id)
            }
        } catch {
            let cancelled = cancelRequested.contains(id)
            let message = timedOut.contains(id)
                ? "the render took longer than the \(Self.describe(timeout)) limit (CUTROOM_RENDER_TIMEOUT) and was stopped"
                : Self.describe(error)
            if !cancelled { logger.warning("render failed", metadata: ["render.id": "\(id)", "error": "\(message)"]) }
            let ended = await finishSurely(id, cancelled ? .cancelled : .failed) { row in
                row.end(cancelled ? .cancelled : .failed, error: cancelled ? nil : message)
            }
            report(id, cancelled ? .cancelled : .failed, userId: started.userId, frames: ended?.frame ?? 0, since: began)
        }
        do {
            try await io.run {
                if FileManager.default.fileExists(atPath: scratch.path) { try FileManager.default.removeItem(at: scratch) }
            }
        } catch {
            logger.warning("could not remove a render's scratch file", metadata: ["render.id": "\(id)", "error": "\(error)"])
        }
        await finished(id)
    }

    /// Puts a render that waited out a storage failure back at the end of the queue, unless it was
    /// cancelled meanwhile or the server is stopping (then the next start picks it up).
    func rejoinAfterStorageFailure(_ id: String) async {
        guard retrying.contains(id), accepting else { return }
        let row: RenderRecord?
        do {
            row = try await database.render(id: id)
        } catch {
            // Queued in the database: the next start picks it up.
            logger.error("could not read a render back from its storage wait", metadata: ["render.id": "\(id)", "error": "\(Self.describe(error))"])
            return
        }
        // Cancelled while the row was read: `cancel` took it out of `retrying`.
        guard let row, row.status == .queued, retrying.remove(id) != nil, accepting else { return }
        join(row)
        await pump()
    }

    /// The end of a render that ran, for operators: one log line and the render metrics.
    func report(_ id: String, _ outcome: AppMetrics.Outcome, userId: String, frames: Int, since began: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics?.renderEnded(outcome, seconds: seconds, frames: frames)
        logger.info("render ended", metadata: [
            "render.id": "\(id)", "user.id": "\(userId)", "outcome": "\(outcome.rawValue)", "frames": "\(frames)",
            "seconds": "\(String(format: "%.2f", seconds))", "fps": "\(String(format: "%.1f", seconds > 0 ? Double(frames) / seconds : 0))",
        ])
    }

    /// Records a terminal event and hands it to the render's webhook, if any. Returns the row as written.
    @discardableResult
    func finish(_ id: String, _ kind: RenderEvent.Kind, _ update: @escaping @Sendable (inout RenderRecord) -> Void) async throws -> RenderRecord? {
        guard let row = try await events.record(id, kind, update) else { return nil }
        if let url = row.webhookUrl {
            await webhooks.deliver(kind: kind, snapshot: RenderSnapshot(row, queuePosition: nil), to: url)
        }
        return row
    }

    /// `finish` for the queue's own terminal writes, which no caller could report: tried twice,
    /// then logged at error level (the row is left as it was, and the next start's recovery sees it).
    @discardableResult
    func finishSurely(_ id: String, _ kind: RenderEvent.Kind, _ update: @escaping @Sendable (inout RenderRecord) -> Void) async -> RenderRecord? {
        do {
            return try await finish(id, kind, update)
        } catch {
            logger.warning("could not record a render's end; trying again", metadata: ["render.id": "\(id)", "event": "\(kind.rawValue)", "error": "\(Self.describe(error))"])
            do {
                return try await finish(id, kind, update)
            } catch {
                logger.error("could not record a render's end", metadata: ["render.id": "\(id)", "event": "\(kind.rawValue)", "error": "\(Self.describe(error))"])
                return nil
            }
        }
    }

    /// A state write no caller could report: tried twice, then logged at error level. Returns the
    /// row as written, nil when it could not be (or the render is gone).
    @discardableResult
    func recordSurely(
        _ id: String, _ kind: RenderEvent.Kind, queuePosition: Int? = nil, _ update: @escaping @Sendable (inout RenderRecord) -> Void
    ) async -> RenderRecord? {
        do {
            return try await events.record(id, kind, queuePosition: queuePosition, update)
        } catch {
            logger.warning("could not record a render event; trying again", metadata: ["render.id": "\(id)", "event": "\(kind.rawValue)", "error": "\(Self.describe(error))"])
            do {
                return try await events.record(id, kind, queuePosition: queuePosition, update)
            } catch {
                logger.error("could not record a render event", metadata: ["render.id": "\(id)", "event": "\(kind.rawValue)", "error": "\(Self.describe(error))"])
                return nil
            }
        }
    }
}
