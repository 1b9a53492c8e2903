import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import Compiler
import Render
import TimelineModel
import Store

/// Maps every error a handler throws to the error envelope, in one place.
/// Bad input never becomes a 500: only failures we did not foresee do, and those are logged.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, context: context)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            let body = ErrorEnvelope(
                error: .init(code: apiError.code, message: apiError.message, details: apiError.details),
                meta: APIResponse.meta(context)
            )
            return try APIResponse.encode(body, status: apiError.status, headers: apiError.headers)
        }
    }

    static func apiError(for error: any Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as RenderQueue.Rejection:
            switch error {
            case .full(let capacity):
                return APIError(status: .tooManyRequests, code: "QUEUE_FULL", message: "the render queue is full (\(capacity) waiting); try again shortly", headers: [.retryAfter: "30"])
            case .userShareUsed(let renders, let hours, let limits):
                let message = limits.renders <= renders
                    ? "you already have \(renders) renders waiting or running, as many as this server lets one user have (CUTROOM_USER_QUEUE_RENDERS); try again when some finish"
                    : "you already have \(RenderPreparation.formatHours(hours)) hours of 1080p30 work waiting or running and this render would pass your share of \(RenderPreparation.formatHours(limits.hours)) (CUTROOM_USER_QUEUE_HOURS); try again when some finish"
                return APIError(status: .tooManyRequests, code: "USER_QUEUE_FULL", message: message, headers: [.retryAfter: "30"])
            case .shuttingDown:
                return APIError(status: .serviceUnavailable, code: "SHUTTING_DOWN", message: "the server is shutting down; try again shortly", headers: [.retryAfter: "10"])
            case .idempotencyKeyReused:
                return APIError(status: .unprocessableContent, code: "IDEMPOTENCY_KEY_REUSED", message: "this Idempotency-Key was already used with a different request")
            case .notRetryable(let status):
                return APIError(status: .conflict, code: "NOT_RETRYABLE", message: "only failed or cancelled renders can be retried; this one is \(status.rawValue)")
            }
        case let error as UploadRefusal:
            switch error {
            case .unreadableMedia(let name, let reason):
                return APIError(
                    status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA",
                    message: "'\(name)' is not a video, audio, image, captions (SRT, WebVTT) or font file Cutroom can read",
                    details: [.init(path: "/file", message: reason)])
            case .unreadableCaptions(let name, let reason):
                return APIError(
                    status: .unprocessableContent, code: "INVALID_CAPTIONS", message: "'\(name)' is not an SRT or WebVTT file Cutroom can read",
                    details: [.init(path: "/file", message: reason)])
            case .tooManyCues(let name, let count, let limit):
                return APIError(
                    status: .unprocessableContent, code: "INVALID_CAPTIONS", message: "'\(name)' holds \(count) cues",
                    details: [.init(path: "/file", message: "at most \(limit) cues are supported")])
            case .unreadableFont(let name):
                return APIError(
                    status: .unprocessableContent, code: "INVALID_FONT", message: "'\(name)' is not a TrueType or OpenType outline font Cutroom can draw with",
                    details: [.init(path: "/file", message: "FreeType cannot read it as a scalable font")])
            }
        case let error as RenderError:
            switch error {
            case .invalidTimeline(let issues):
                return .invalid(issues)
            case .malformedDocument(let issue):
                return APIError(status: .badRequest, code: "MALFORMED_JSON", message: issue.message, details: [.init(path: issue.path, message: issue.message)])
            case .unsupportedMedia(_, let reason):
                return APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA", message: "not a media file Cutroom can read: \(reason)")
            case .invalidCaptions:
                return APIError(status: .unprocessableContent, code: "INVALID_CAPTIONS", message: error.description)
            default:
                return APIError(status: .internalServerError, code: "RENDER_ERROR", message: error.description)
            }
        case let error as StoreError:
            switch error {
            case .notFound(let what):
                return .notFound(what)
            case .versionConflict(let expected, let current):
                return APIError(
                    status: .conflict, code: "VERSION_CONFLICT",
                    message: "the timeline was changed elsewhere: you sent version \(expected), the current version is \(current)",
                    details: [.init(path: "", message: "current version is \(current)")],
                    headers: [.eTag: "\"\(current)\""]
                )
            case .invalidKey:
                return .badRequest(error.description)
            case .io:
                return APIError(status: .internalServerError, code: "STORAGE_ERROR", message: error.description)
            case .unavailable:
                return APIError(status: .serviceUnavailable, code: "STORAGE_UNAVAILABLE", message: error.description, headers: [.retryAfter: "30"])
            case .refused:
                return APIError(status: .badGateway, code: "STORAGE_REFUSED", message: error.description)
            case .idempotencyKeyReused:
                return apiError(for: RenderQueue.Rejection.idempotencyKeyReused, context: context)
            }
        case let error as HTTPError:
            let code: String
            switch error.status {
            case .notFound: code = "NOT_FOUND"
            case .methodNotAllowed: code = "METHOD_NOT_ALLOWED"
            case .contentTooLarge: code = "TOO_LARGE"
            case .badRequest: code = "BAD_REQUEST"
            default: code = error.status.code >= 500 ? "INTERNAL_ERROR" : "HTTP_\(error.status.code)"
            }
            return APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as HTTPParserError:
            // The client broke HTTP mid-request (a body shorter than its Content-Length, bad bytes):
            // its fault, and nothing was stored.
            return APIError(status: .badRequest, code: "BAD_REQUEST", message: "the request could not be read: \(error.debugDescription)")
        default:
            return APIError(status: .internalServerError, code: "INTERNAL_ERROR", message: "internal error (request \(context.requestId))")
        }
    }
}
