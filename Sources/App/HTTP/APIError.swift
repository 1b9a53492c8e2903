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
}
