import Foundation

/// One problem found in a timeline document, located by a JSON Pointer (RFC 6901).
public struct ValidationIssue: Codable, Sendable, Hashable {
    /// JSON Pointer into the document, e.g. `/tracks/0/clips/2/transition/duration`; `""` is the root.
    public var path: String
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// Every error the render library throws.
public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document is not a valid timeline; every problem is listed.
    case invalidTimeline([ValidationIssue])
    /// The document is not JSON at all (or not UTF-8): one issue at the root saying where.
    case malformedDocument(ValidationIssue)
    /// A file libav cannot open or that has no usable stream.
    case unsupportedMedia(path: String, reason: String)
    /// A libav call failed. `function` names the call, `message` is `av_strerror`'s text.
    case ffmpeg(function: String, code: Int32, message: String)
    /// A clip's source failed while rendering (wraps the underlying reason with the clip).
    case source(clipId: String, src: String, reason: String)
    /// The render was cancelled through its `CancellationFlag`.
    case cancelled
    /// A captions file that is not SRT or WebVTT; `line` is 1-based (0: the whole file).
    case invalidCaptions(line: Int, reason: String)
    /// A file-system problem (output folder missing, disk full...).
    case io(String)

    public var description: String {
        switch self {
        case .invalidTimeline(let issues):
            return "invalid timeline: " + issues.map { "\($0.path.isEmpty ? "/" : $0.path): \($0.message)" }.joined(separator: "; ")
        case .malformedDocument(let issue):
            return issue.message
        case .unsupportedMedia(let path, let reason):
            return "unsupported media \(URL(fileURLWithPath: path).lastPathComponent): \(reason)"
        case .ffmpeg(let function, let code, let message):
            return "\(function) failed (\(code)): \(message)"
        case .source(let clipId, let src, let reason):
            return "clip \(clipId) (\(src)): \(reason)"
        case .cancelled:
            return "cancelled"
        case .invalidCaptions(let line, let reason):
            return line > 0 ? "captions line \(line): \(reason)" : "captions: \(reason)"
        case .io(let message):
            return message
        }
    }
}
