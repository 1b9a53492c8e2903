import Foundation
import Compiler
import TimelineModel

/// The checks every submitted render passes before it is stored (a plain render and every row of
/// a template or batch): sources, validation, and the size limit. Runs on the documents lane.
struct RenderPreparation: Sendable {
    /// The largest render accepted, in hours of 1080p30 (`Timeline.workloadHours`).
    let maxRenderHours: Double

    struct Prepared: Sendable {
        /// The exact document to store and render.
        var document: String
        var hours: Double
        var format: String
    }

    /// Validates `timeline` with `merge` against the resolved sources; throws a 422 listing every
    /// problem, or `RENDER_TOO_LARGE`.
    func prepare(_ timeline: Timeline, merge: [String: String], resolve: @escaping SourceResolver) throws -> Prepared {
        let issues = timeline.validate(merge: merge, resolve: resolve)
        guard issues.isEmpty else { throw APIError.invalid(issues) }
        let hours = try checkWorkload(timeline, duration: timeline.applyingMerge(merge).duration(resolve: resolve))
        return Prepared(document: String(decoding: timeline.encodedJSON(), as: UTF8.self), hours: hours, format: timeline.output.format.rawValue)
    }

    /// Refuses a render larger than the server takes (a 24-hour 8K@120 document is valid, but no
    /// one queue should spend days on it); returns its size in hours of 1080p30.
    private func checkWorkload(_ timeline: Timeline, duration: Double) throws -> Double {
        let hours = timeline.workloadHours(duration: duration)
        guard hours > maxRenderHours else { return hours }
        let output = timeline.output
        let what = "\(Self.formatHours(duration / 3600)) h at \(output.width)×\(output.height), \(Self.formatHours(output.fps)) fps"
        let message = "this render is \(Self.formatHours(hours)) hours of 1080p30 work (\(what)); this server takes at most \(Self.formatHours(maxRenderHours)) (CUTROOM_MAX_RENDER_HOURS)"
        throw APIError(status: .unprocessableContent, code: "RENDER_TOO_LARGE", message: message, details: [.init(path: "/output", message: message)])
    }

    /// `0.07`, `2.5`, `24`: hours of work as people read them in a message.
    static func formatHours(_ value: Double) -> String {
        String(format: value >= 10 ? "%.0f" : "%.2g", value)
    }
}
