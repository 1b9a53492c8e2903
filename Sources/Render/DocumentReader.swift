/// Collects issues while a JSON value is walked into model values. Single-threaded, lives for one decode.
final class DocumentReader {
    private(set) var issues: [ValidationIssue] = []
    private(set) var reportedPaths: [JSONPointer] = []

    func report(_ path: JSONPointer, _ message: String) {
        issues.append(ValidationIssue(path: path.description, message: message))
        reportedPaths.append(path)
    }

    /// Reads `value` as an object with the given keys; reports a wrong type, unknown and duplicate keys.
    func object(_ value: JSONValue, at path: JSONPointer, allowed: [String]) -> ObjectReader? {
        guard case .object(let members) = value else {
            report(path, "expected an object, got \(value.typeName)")
            return nil
        }
        var dict: [String: JSONValue] = [:]
        for (key, member) in members {
            if dict[key] != nil {
                report(path.appending(key), "duplicate key '\(key)'")
                continue
            }
            dict[key] = member
            if !allowed.contains(key) {
                var message = "unknown key '\(key)'"
                if let guess = allowed.min(by: { editDistance($0, key) < editDistance($1, key) }), editDistance(guess, key) <= 2 {
                    message += " (did you mean '\(guess)'?)"
                }
                report(path.appending(key), message)
            }
        }
        return ObjectReader(reader: self, path: path, members: dict)
    }

    /// Reads `value` as an array; reports a wrong type.
    func array(_ value: JSONValue, at path: JSONPointer) -> [(value: JSONValue, path: JSONPointer)]? {
        guard case .array(let elements) = value else {
            report(path, "expected an array, got \(value.typeName)")
            return nil
        }
        return elements.enumerated().map { ($0.element, path.appending($0.offset)) }
    }

    func number(_ value: JSONValue, at path: JSONPointer) -> Double? {
        guard case .number(let number) = value else {
            report(path, "expected a number, got \(value.typeName)")
            return nil
        }
        guard number.isFinite else {
            report(path, "number is out of range")
            return nil
        }
        return number
    }

    func integer(_ value: JSONValue, at path: JSONPointer) -> Int? {
        guard case .number = value else {
            report(path, "expected an integer, got \(value.typeName)")
            return nil
        }
        guard let number = number(value, at: path) else { return nil }
        guard number.rounded() == number else {
            report(path, "expected an integer, got \(formatNumber(number))")
            return nil
        }
        guard abs(number) < 1e15 else {
            report(path, "number is out of range")
            return nil
        }
        return Int(number)
    }

    func string(_ value: JSONValue, at path: JSONPointer) -> String? {
        guard case .string(let string) = value else {
            report(path, "expected a string, got \(value.typeName)")
            return nil
        }
        return string
    }

    func bool(_ value: JSONValue, at path: JSONPointer) -> Bool? {
        guard case .bool(let bool) = value else {
            report(path, "expected a boolean, got \(value.typeName)")
            return nil
        }
        return bool
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ value: JSONValue, at path: JSONPointer, _ type: E.Type) -> E? where E.RawValue == String {
        guard let raw = string(value, at: path) else { return nil }
        guard let result = E(rawValue: raw) else {
            let names = E.allCases.map(\.rawValue).joined(separator: ", ")
            report(path, "unknown value '\(raw)'; expected one of \(names)")
            return nil
        }
        return result
    }
}

/// One object being read; absent keys give nil, present keys of the wrong type are reported and give nil.
struct ObjectReader {
    let reader: DocumentReader
    let path: JSONPointer
    let members: [String: JSONValue]

    func has(_ key: String) -> Bool { members[key] != nil }

    func isNull(_ key: String) -> Bool {
        if case .null = members[key] { return true }
        return false
    }

    /// Reports a missing key; returns its value when present.
    func require(_ key: String) -> JSONValue? {
        guard let value = members[key] else {
            reader.report(path.appending(key), "required key '\(key)' is missing")
            return nil
        }
        return value
    }

    private func value(_ key: String, required: Bool) -> JSONValue? {
        required ? require(key) : members[key]
    }

    func number(_ key: String, required: Bool = false) -> Double? {
        value(key, required: required).flatMap { reader.number($0, at: path.appending(key)) }
    }

    func integer(_ key: String, required: Bool = false) -> Int? {
        value(key, required: required).flatMap { reader.integer($0, at: path.appending(key)) }
    }

    func string(_ key: String, required: Bool = false) -> String? {
        value(key, required: required).flatMap { reader.string($0, at: path.appending(key)) }
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        value(key, required: required).flatMap { reader.bool($0, at: path.appending(key)) }
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        value(key, required: required).flatMap { reader.enumValue($0, at: path.appending(key), type) }
    }

    func object(_ key: String, allowed: [String], required: Bool = false) -> ObjectReader? {
        value(key, required: required).flatMap { reader.object($0, at: path.appending(key), allowed: allowed) }
    }

    func array(_ key: String, required: Bool = false) -> [(value: JSONValue, path: JSONPointer)]? {
        value(key, required: required).flatMap { reader.array($0, at: path.appending(key)) }
    }
}

/// Levenshtein distance, for "did you mean" hints on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// Shortest decimal text for a number in messages: `2`, `1.5`, `0.333`.
func formatNumber(_ value: Double) -> String {
    if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}
