import CoreMetrics
import Foundation
import Prometheus
import Store

/// The server's metrics, exposed at `GET /metrics` in Prometheus text format. Recorded through the
/// swift-metrics API into one Prometheus registry per server: tests run several servers in one
/// process, so nothing goes through swift-metrics' process-wide bootstrap.
final class AppMetrics: Sendable {
    /// Every name exposed, in one place (the README lists them).
    enum Name {
        static let httpRequests = "cutroom_http_requests_total"
        static let httpDuration = "cutroom_http_request_duration_seconds"
        static let renders = "cutroom_renders_total"
        static let renderFrames = "cutroom_render_frames_total"
        static let renderDuration = "cutroom_render_duration_seconds"
        static let renderFPS = "cutroom_render_fps"
        static let previewSegments = "cutroom_preview_segments_total"
        static let queueDepth = "cutroom_queue_depth"
        static let rendersRunning = "cutroom_renders_running"
        static let uploadBytes = "cutroom_upload_bytes_total"
        static let storageErrors = "cutroom_storage_errors_total"
        static let sseSubscribers = "cutroom_sse_subscribers"
        static let residentMemory = "process_resident_memory_bytes"
    }

    /// How a render that ran ended.
    enum Outcome: String {
        case done, failed, cancelled
    }

    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests: a few ms for JSON, seconds for uploads; renders: seconds to hours.
        factory.durationHistogramBuckets = [
            Name.httpDuration: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                .seconds(1), .milliseconds(2500), .seconds(10), .seconds(30), .seconds(120)],
            Name.renderDuration: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600].map { Duration.seconds($0) },
        ]
        factory.valueHistogramBuckets = [Name.renderFPS: [1, 5, 10, 25, 50, 100, 200, 400, 800, 1600]]
        self.factory = factory
    }

    // MARK: Recording

    /// One answered request; `route` is the router's pattern (`/api/v1/renders/{id}`), never the
    /// raw path, so ids do not make a series each.
    func request(method: String, route: String, status: Int, duration: Duration) {
        // Any token is a valid method: unknown ones share one label value.
        let known: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        let dimensions = [("method", known.contains(method) ? method : "other"), ("route", route), ("status", String(status))]
        Counter(label: Name.httpRequests, dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: Name.httpDuration, dimensions: dimensions, factory: factory).recordNanoseconds(duration.nanoseconds)
    }

    /// A render that ran has ended: its wall time from start to end, frames made, and their rate.
    func renderEnded(_ outcome: Outcome, seconds: Double, frames: Int) {
        let dimensions = [("outcome", outcome.rawValue)]
        Counter(label: Name.renders, dimensions: dimensions, factory: factory).increment()
        Counter(label: Name.renderFrames, dimensions: dimensions, factory: factory).increment(by: max(0, frames))
        CoreMetrics.Timer(label: Name.renderDuration, dimensions: dimensions, factory: factory)
            .recordNanoseconds(Int64(min(max(0, seconds), 1e9) * 1e9))
        if seconds > 0, frames > 0 {
            Recorder(label: Name.renderFPS, dimensions: dimensions, aggregate: true, factory: factory).record(Double(frames) / seconds)
        }
    }

    /// A playback segment render ended: made, failed, or cancelled because nobody waited for it.
    func previewSegment(_ outcome: Outcome) {
        Counter(label: Name.previewSegments, dimensions: [("outcome", outcome.rawValue)], factory: factory).increment()
    }

    /// Bytes of an upload that was received whole.
    func uploaded(bytes: Int64) {
        Counter(label: Name.uploadBytes, dimensions: [], factory: factory).increment(by: Int(clamping: max(0, bytes)))
    }

    /// A storage call failed (not "not found": that is an answer, not an error).
    func storageError(backend: String, operation: String) {
        Counter(label: Name.storageErrors, dimensions: [("backend", backend), ("operation", operation)], factory: factory).increment()
    }

    // MARK: Exposition

    /// What is sampled at scrape time rather than counted as it happens.
    struct Levels {
        var queueDepth: Int
        var rendersRunning: Int
        var sseSubscribers: Int
    }

    /// The Prometheus text exposition, with the levels and the process's memory as of now.
    func exposition(_ levels: Levels) -> String {
        func gauge(_ name: String, _ value: Int) {
            Gauge(label: name, dimensions: [], factory: factory).record(value)
        }
        gauge(Name.queueDepth, levels.queueDepth)
        gauge(Name.rendersRunning, levels.rendersRunning)
        gauge(Name.sseSubscribers, levels.sseSubscribers)
        gauge(Name.residentMemory, Self.residentBytes() ?? 0)
        return registry.emitToString()
    }

    /// Resident set size from `/proc/self/statm` (pages; its second field), nil where there is none.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ attoseconds / 1_000_000_000
    }
}
