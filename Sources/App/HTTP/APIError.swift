import Foundation
import Hummingbird
import Compiler
import Render
import TimelineModel

/// An error answered with the error envelope:
/// `{"error": {"code", "message", "details"}, "meta": {...}}`.
struct APIError: Error, Sendable {
    struct Detail: Codable, Sendable, Hashable {
        var path: String
        var message: String
        /// Where `path` points, when it is not the request's own body (an asset's uses: a saved timeline's document).
        var projectId: String? = nil
        var timelineId: String? = nil
        var trackId: String? = nil
        var clipId: String? = nil
    }

    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: [Detail] = []
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String, details: [Detail] = []) -> APIError {
        APIError(status: .badRequest, code: "BAD_REQUEST", message: message, details: details)
    }

    static func malformed(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "MALFORMED_JSON", message: message)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: "NOT_FOUND", message: "\(what) not found")
    }

    static func invalid(_ message: String, details: [Detail]) -> APIError {
        APIError(status: .unprocessableContent, code: "VALIDATION_ERROR", message: message, details: details)
    }

    static func invalid(_ issues: [ValidationIssue]) -> APIError {
        let count = issues.count
        return invalid(
            count == 1 ? "the timeline has 1 problem" : "the timeline has \(count) problems",
            details: issues.map { Detail(path: $0.path, message: $0.message) }
        )
    }
}

/// The body of an error response.
struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        var code: String
        var message: String
        var details: [APIError.Detail]
    }
    var error: Body
    var meta: ResponseMeta
}

extension APIError {
    static func unauthenticated(_ message: String, headers: HTTPFields = [:]) -> APIError {
        var headers = headers
        headers[.wwwAuthenticate] = #"Bearer realm="cutroom""#
        return APIError(status: .unauthorized, code: "UNAUTHENTICATED", message: message, headers: headers)
    }

    static func conflict(_ code: String, _ message: String) -> APIError {
        APIError(status: .conflict, code: code, message: message)
    }

    /// 409 `ASSET_IN_USE`: each use a detail with its timeline, track, clip and JSON Pointer.
    static func assetInUse(_ uses: [AssetUsage]) -> APIError {
        let clips = Set(uses.map { "\($0.timelineId)/\($0.clipId)" }).count
        var error = conflict("ASSET_IN_USE", "the asset is used by \(clips == 1 ? "1 clip" : "\(clips) clips"); delete with ?force=true to delete it anyway")
        error.details = uses.map {
            Detail(path: $0.path, message: "clip '\($0.clipId)' on track '\($0.trackId)' of timeline '\($0.timelineName)'",
                   projectId: $0.projectId, timelineId: $0.timelineId, trackId: $0.trackId, clipId: $0.clipId)
        }
        return error
    }
}
