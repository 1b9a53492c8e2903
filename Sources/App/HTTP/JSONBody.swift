import Crypto
import Foundation
import Hummingbird

/// A request body parsed as one JSON object, with strict key checking and typed accessors
/// whose failures are 4xx errors naming the offending key (as a JSON Pointer).
struct JSONBody {
    private let object: [String: Any]

    /// Reads the whole body (bounded by the context's `maxUploadSize`) and parses it.
    /// Unknown keys are rejected so typos never pass silently.
    init(_ request: Request, context: AppRequestContext, allowedKeys: Set<String>) async throws {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "request body is larger than \(context.maxUploadSize / 1_048_576) MiB")
        }
        try self.init(data: Data(buffer: buffer), allowedKeys: allowedKeys)
    }

    init(data: Data, allowedKeys: Set<String>) throws {
        guard !data.isEmpty else { throw APIError.malformed("request body is empty; expected a JSON object") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError.malformed("request body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw APIError.malformed("request body must be a JSON object")
        }
        let unknown = object.keys.filter { !allowedKeys.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw APIError.invalid(
                "unknown key\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", "))",
                details: unknown.map { .init(path: "/" + JSONBody.escape($0), message: "unknown key '\($0)'") }
            )
        }
        self.object = object
    }

    /// SHA-256 of the body with sorted keys, so whitespace and key order do not make two requests differ.
    var canonicalHash: String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func has(_ key: String) -> Bool {
        guard let value = object[key] else { return false }
        return !(value is NSNull)
    }

    /// A string value; nil when absent or null. `maxLength` guards against huge inputs.
    func string(_ key: String, maxLength: Int = 1024) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw wrongType(key, "a string") }
        guard string.count <= maxLength else {
            throw APIError.invalid("'\(key)' is too long", details: [.init(path: "/" + Self.escape(key), message: "at most \(maxLength) characters")])
        }
        return string
    }

    /// A finite number within `range`; nil when absent or null. Booleans are not numbers.
    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        // JSONSerialization gives booleans as NSNumber too (and `is Bool` holds for 0 and 1); their type code is "c".
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
            throw wrongType(key, "a number")
        }
        guard range.contains(number.doubleValue) else { throw wrongType(key, "a number in \(range.lowerBound)...\(range.upperBound)") }
        return number.doubleValue
    }

    func requiredString(_ key: String, maxLength: Int = 1024) throws -> String {
        guard let value = try string(key, maxLength: maxLength) else { throw missing(key) }
        return value
    }

    /// A `{"NAME": "value"}` object of strings.
    func stringMap(_ key: String) throws -> [String: String]? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let map = value as? [String: Any] else { throw wrongType(key, "an object of strings") }
        var result: [String: String] = [:]
        for (name, raw) in map {
            guard let string = raw as? String else {
                throw APIError.invalid("'\(key)/\(name)' must be a string", details: [.init(path: "/\(Self.escape(key))/\(Self.escape(name))", message: "must be a string")])
            }
            result[name] = string
        }
        return result
    }

    /// The raw JSON of one member (for nested documents parsed by their own strict decoder).
    func rawJSON(_ key: String) throws -> Data? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard value is [String: Any] else { throw wrongType(key, "an object") }
        return try JSONSerialization.data(withJSONObject: value)
    }

    func missing(_ key: String) -> APIError {
        APIError.invalid("'\(key)' is required", details: [.init(path: "/" + Self.escape(key), message: "is required")])
    }

    private func wrongType(_ key: String, _ expected: String) -> APIError {
        APIError.invalid("'\(key)' must be \(expected)", details: [.init(path: "/" + Self.escape(key), message: "must be \(expected)")])
    }

    /// RFC 6901 escaping of one reference token.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
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
}
