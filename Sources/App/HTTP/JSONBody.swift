import Crypto
import Foundation
import Hummingbird
import TimelineModel

/// A request DTO: a `Decodable` struct whose coding keys are every key a body may hold.
protocol RequestDTO: Decodable {
    associatedtype Keys: CodingKey & CaseIterable
    /// Members holding a document with its own strict reader (`RawJSON`), which reports problems
    /// inside it (duplicate keys too) with every other problem of the document.
    static var documentKeys: Set<String> { get }
}

extension RequestDTO {
    static var documentKeys: Set<String> { [] }
}

/// The one strict reader of JSON request bodies. The body must be one JSON object (400
/// `MALFORMED_JSON` otherwise); keys the DTO does not name are refused (422, each with its JSON
/// Pointer) so typos never pass silently; a value of the wrong type is a 422 naming its pointer.
/// Checks beyond types (lengths, ranges) are the DTO's, through `tooLong` and `outOfRange`.
struct JSONBody {
    private let data: Data
    private let members: [String: JSONValue]

    /// The body exactly as sent (for members whose key order matters, read again by `JSONParser`).
    var bytes: Data { data }

    /// Reads the whole body (bounded by the context's `maxUploadSize`) and decodes it as `T`.
    static func read<T: RequestDTO>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> (value: T, body: JSONBody) {
        let data = try await collect(request, context: context, named: "request body")
        let body = try JSONBody(data: data, allowedKeys: Set(T.Keys.allCases.map(\.stringValue)), documentKeys: T.documentKeys)
        return (try body.decode(T.self), body)
    }

    /// The whole body, up to the context's `maxUploadSize`; beyond it a 413 naming what was sent.
    /// A body declared as anything but JSON is refused (415): forms and `text/plain` are what a page
    /// of another site can send without asking, so a JSON endpoint never takes them.
    static func collect(_ request: Request, context: AppRequestContext, named what: String) async throws -> Data {
        if let type = request.headers[.contentType]?.lowercased() {
            let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
                throw APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "\(what) must be JSON (Content-Type: application/json), not '\(media)'")
            }
        }
        do {
            return Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "\(what) is larger than \(context.maxUploadSize / 1_048_576) MiB")
        }
    }

    init(data: Data, allowedKeys: Set<String>, documentKeys: Set<String> = []) throws {
        guard !data.isEmpty else { throw APIError.malformed("request body is empty; expected a JSON object") }
        // The strict parser, not JSONSerialization: it keeps duplicate keys, which JSONSerialization
        // resolves silently to one of the values.
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(data)
        } catch {
            throw APIError.malformed("request body is not valid JSON (\(error.message.replacingOccurrences(of: "malformed JSON: ", with: "")))")
        }
        guard case .object(let pairs) = parsed else {
            throw APIError.malformed("request body must be a JSON object")
        }
        var details: [APIError.Detail] = []
        var members: [String: JSONValue] = [:]
        for (key, value) in pairs {
            let path = "/" + Self.escape(key)
            if members[key] != nil {
                details.append(.init(path: path, message: "duplicate key '\(key)'"))
                continue
            }
            members[key] = value
            if !allowedKeys.contains(key) {
                details.append(.init(path: path, message: "unknown key '\(key)'"))
            } else if !documentKeys.contains(key) {
                Self.duplicates(in: value, at: path, into: &details)
            }
        }
        if !details.isEmpty {
            let unknown = details.filter { $0.message.hasPrefix("unknown") }.count
            let message = unknown == details.count
                ? "unknown key\(unknown == 1 ? "" : "s"): \(pairs.map(\.key).filter { !allowedKeys.contains($0) }.sorted().joined(separator: ", "))"
                : "the request body has \(details.count) problem\(details.count == 1 ? "" : "s")"
            throw APIError.invalid(message, details: details)
        }
        self.data = data
        self.members = members
    }

    /// Every key written twice in one object below `value`.
    private static func duplicates(in value: JSONValue, at path: String, into details: inout [APIError.Detail]) {
        switch value {
        case .object(let pairs):
            var seen: Set<String> = []
            for (key, member) in pairs {
                let memberPath = path + "/" + escape(key)
                if !seen.insert(key).inserted {
                    details.append(.init(path: memberPath, message: "duplicate key '\(key)'"))
                } else {
                    duplicates(in: member, at: memberPath, into: &details)
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { duplicates(in: element, at: "\(path)/\(index)", into: &details) }
        default:
            break
        }
    }

    /// Decodes the body as `T`; decoding failures become 422s naming the member.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.userInfo[RawJSON.bodyKey] = ParsedBody(members: members)
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(error)
        }
    }

    /// SHA-256 of the body with sorted keys, so whitespace and key order do not make two requests differ.
    var canonicalHash: String {
        let object = (try? JSONSerialization.jsonObject(with: data)) ?? [String: Any]()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// `value` when it has at most `maxLength` Unicode scalars; a 422 naming `key` otherwise.
    static func bounded(_ value: String?, _ key: String, maxLength: Int = 1024) throws -> String? {
        try value.map { try bounded($0, key, maxLength: maxLength) }
    }

    static func bounded(_ value: String, _ key: String, maxLength: Int = 1024) throws -> String {
        // Unicode scalars, as JSON Schema's maxLength counts: counted as characters, one letter with
        // any number of combining marks would be "1 character" and the bound would bound nothing.
        guard value.unicodeScalars.count > maxLength else { return value }
        throw APIError.invalid("'\(key)' is too long", details: [.init(path: "/" + escape(key), message: "at most \(maxLength) characters")])
    }

    /// `value` when it is within `range`; a 422 naming `key` otherwise.
    static func bounded(_ value: Double?, _ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value, !range.contains(value) else { return value }
        throw wrongType([key], "a number in \(range.lowerBound)...\(range.upperBound)")
    }

    static func missing(_ key: String) -> APIError {
        APIError.invalid("'\(key)' is required", details: [.init(path: "/" + escape(key), message: "is required")])
    }

    private static func wrongType(_ path: [String], _ expected: String) -> APIError {
        APIError.invalid("'\(path.joined(separator: "/"))' must be \(expected)", details: [
            .init(path: path.map { "/" + escape($0) }.joined(), message: "must be \(expected)"),
        ])
    }

    private static func apiError(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return missing((context.codingPath + [key]).map(pointerToken).joined(separator: "/"))
        case .valueNotFound(_, let context) where context.codingPath.count == 1:
            // A required member sent as null.
            return missing(context.codingPath[0].stringValue)
        case .valueNotFound(let type, let context), .typeMismatch(let type, let context):
            return wrongType(context.codingPath.map(pointerToken), expectation(type))
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? APIError.malformed("request body is not valid JSON")
                : wrongType(context.codingPath.map(pointerToken), "a usable value")
        @unknown default:
            return APIError.malformed("request body could not be read")
        }
    }

    /// A coding key as a JSON Pointer token: an array index is its number (Foundation's index keys
    /// spell themselves "Index 0").
    private static func pointerToken(_ key: any CodingKey) -> String {
        key.intValue.map(String.init) ?? key.stringValue
    }

    /// How a member of `type` is described to the client.
    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Int.Type: return "a number"
        case is [String: String].Type: return "an object of strings"
        default: return "an object"
        }
    }

    /// RFC 6901 escaping of one reference token.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// A member that is a JSON object kept as its own JSON text, for documents that have their own
/// strict decoder (`TimelineDocument.decode`): written back with its keys in order and duplicates
/// kept, so that reader reports them. The DTO lists the member in `documentKeys`.
struct RawJSON: Decodable, Sendable {
    let data: Data
    /// Where the document is in the request body, e.g. `/timeline`.
    let pointer: String

    static let bodyKey = CodingUserInfoKey(rawValue: "cutroom.body")!

    init(from decoder: any Decoder) throws {
        guard let key = decoder.codingPath.last?.stringValue, decoder.codingPath.count == 1,
              let body = decoder.userInfo[Self.bodyKey] as? ParsedBody,
              let value = body.members[key], case .object = value else {
            throw DecodingError.typeMismatch(RawJSON.self, .init(codingPath: decoder.codingPath, debugDescription: "not an object"))
        }
        data = value.jsonData
        pointer = "/" + JSONBody.escape(key)
    }

    /// The document read strictly, its problems reported at their place in the request body.
    func timeline() throws -> Timeline {
        try located { try TimelineDocument.decode(data) }
    }

    /// Runs `work` on this document; the problems it reports in the document are moved under
    /// `pointer`, except those `keep` says belong to the request itself.
    func located<T>(keeping keep: (String) -> Bool = { _ in false }, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch RenderError.invalidTimeline(let issues) {
            throw RenderError.invalidTimeline(issues.map { keep($0.path) ? $0 : ValidationIssue(path: pointer + $0.path, message: $0.message) })
        } catch var error as APIError where error.code == "VALIDATION_ERROR" {
            error.details = error.details.map { keep($0.path) ? $0 : .init(path: pointer + $0.path, message: $0.message) }
            throw error
        }
    }
}

/// The body as the strict parser read it, handed to `RawJSON` members while decoding.
/// `@unchecked Sendable`: never changed after it is made, and read only during one `decode` call.
private final class ParsedBody: @unchecked Sendable {
    let members: [String: JSONValue]
    init(members: [String: JSONValue]) { self.members = members }
}

extension Request {
    /// `?page=&limit=` with bounds; bad values are a 400 naming the parameter.
    func pageParameters() throws -> (page: Int, limit: Int) {
        (try queryInteger("page", default: 1, in: 1...1_000_000), try queryInteger("limit", default: 50, in: 1...200))
    }

    /// An integer query parameter within `range`, or `fallback` when absent; otherwise a 400 naming it.
    func queryInteger(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = uri.queryParameters[name[...]] else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw APIError.badRequest("query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A number query parameter within `range` (finite), or nil when absent; otherwise a 400 naming it.
    func queryNumber(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let raw = uri.queryParameters[name[...]] else { return nil }
        guard let value = Double(raw), value.isFinite, range.contains(value) else {
            throw APIError.badRequest("query parameter '\(name)' must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `true` or `false` (absent: `fallback`); anything else is a 400 naming the parameter.
    func queryBool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let raw = uri.queryParameters[name[...]] else { return fallback }
        switch raw {
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("query parameter '\(name)' must be true or false")
        }
    }
}
