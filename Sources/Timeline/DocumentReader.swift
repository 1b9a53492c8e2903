/// Collects issues while a JSON value is walked into model values. Single-threaded, lives for one decode.
package final class DocumentReader {
    private(set) var issues: [ValidationIssue] = []
    private(set) var reportedPaths: [JSONPointer] = []

    package func report(_ path: JSONPointer, _ message: String) {
        issues.append(ValidationIssue(path: path.description, message: message))
        reportedPaths.append(path)
    }

    /// Reads `value` as an object with the given keys; reports a wrong type, unknown and duplicate keys.
    package func object(_ value: JSONValue, at path: JSONPointer, allowed: [String]) -> ObjectReader? {
        guard case .object(let members) = value else {
            report(path, "expected an object, got \(value.typeName)")
            return nil
        }
        var dict: [String: JSONValue] = [:]
        for (key, member) in members {
            if dict[key] != nil {
                report(path.appending(key), "duplicate key '\(shortened(key))'")
                continue
            }
            dict[key] = member
            if !allowed.contains(key) {
                var message = "unknown key '\(shortened(key))'"
                // Only keys within 2 characters of the unknown one's length can be 2 edits away; the
                // length test first keeps a huge hostile key from costing a quadratic distance.
                let near = allowed.filter { abs($0.count - key.count) <= 2 }
                if let guess = near.min(by: { editDistance($0, key) < editDistance($1, key) }), editDistance(guess, key) <= 2 {
                    message += " (did you mean '\(guess)'?)"
                }
                report(path.appending(key), message)
            }
        }
        return ObjectReader(reader: self, path: path, members: dict)
    }

    /// The `type` of a tagged object (an asset, an effect), read before its other keys because they
    /// depend on it; reports a non-object, a missing `type` and an unknown one.
    package func tag<E: RawRepresentable & CaseIterable>(_ value: JSONValue, at path: JSONPointer, _ type: E.Type) -> E? where E.RawValue == String {
        guard case .object(let members) = value else {
            report(path, "expected an object, got \(value.typeName)")
            return nil
        }
        guard let typeValue = members.first(where: { $0.key == "type" })?.value else {
            report(path.appending("type"), "required key 'type' is missing")
            return nil
        }
        return enumValue(typeValue, at: path.appending("type"), type)
    }

    /// Reads `value` as an array; reports a wrong type.
    package func array(_ value: JSONValue, at path: JSONPointer) -> [(value: JSONValue, path: JSONPointer)]? {
        guard case .array(let elements) = value else {
            report(path, "expected an array, got \(value.typeName)")
            return nil
        }
        return elements.enumerated().map { ($0.element, path.appending($0.offset)) }
    }

    package func number(_ value: JSONValue, at path: JSONPointer) -> Double? {
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

    package func integer(_ value: JSONValue, at path: JSONPointer) -> Int? {
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
        return Int(saturating: number)
    }

    package func string(_ value: JSONValue, at path: JSONPointer) -> String? {
        guard case .string(let string) = value else {
            report(path, "expected a string, got \(value.typeName)")
            return nil
        }
        if let control = firstControlCharacter(in: string) {
            report(path, "contains the control character \(control); only tab and line breaks are allowed")
            return nil
        }
        return string
    }

    package func bool(_ value: JSONValue, at path: JSONPointer) -> Bool? {
        guard case .bool(let bool) = value else {
            report(path, "expected a boolean, got \(value.typeName)")
            return nil
        }
        return bool
    }

    package func enumValue<E: RawRepresentable & CaseIterable>(_ value: JSONValue, at path: JSONPointer, _ type: E.Type) -> E? where E.RawValue == String {
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
package struct ObjectReader {
    package let reader: DocumentReader
    package let path: JSONPointer
    package let members: [String: JSONValue]

    package func has(_ key: String) -> Bool { members[key] != nil }

    package func isNull(_ key: String) -> Bool {
        if case .null = members[key] { return true }
        return false
    }

    /// Reports a missing key; returns its value when present.
    package func require(_ key: String) -> JSONValue? {
        guard let value = members[key] else {
            reader.report(path.appending(key), "required key '\(key)' is missing")
            return nil
        }
        return value
    }

    private func value(_ key: String, required: Bool) -> JSONValue? {
        required ? require(key) : members[key]
    }

    package func number(_ key: String, required: Bool = false) -> Double? {
        value(key, required: required).flatMap { reader.number($0, at: path.appending(key)) }
    }

    package func integer(_ key: String, required: Bool = false) -> Int? {
        value(key, required: required).flatMap { reader.integer($0, at: path.appending(key)) }
    }

    package func string(_ key: String, required: Bool = false) -> String? {
        value(key, required: required).flatMap { reader.string($0, at: path.appending(key)) }
    }

    package func bool(_ key: String, required: Bool = false) -> Bool? {
        value(key, required: required).flatMap { reader.bool($0, at: path.appending(key)) }
    }

    package func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        value(key, required: required).flatMap { reader.enumValue($0, at: path.appending(key), type) }
    }

    package func object(_ key: String, allowed: [String], required: Bool = false) -> ObjectReader? {
        value(key, required: required).flatMap { reader.object($0, at: path.appending(key), allowed: allowed) }
    }

    package func array(_ key: String, required: Bool = false) -> [(value: JSONValue, path: JSONPointer)]? {
        value(key, required: required).flatMap { reader.array($0, at: path.appending(key)) }
    }
}

/// `text` cut to 64 characters for a message (a hostile key may be megabytes long).
package func shortened(_ text: String) -> String {
    text.count <= 64 ? text : text.prefix(64) + "…"
}

/// `U+XXXX` of the first C0/C1 control character other than tab, LF and CR in `text`, or nil.
/// They have no place in a document (a NUL cuts a filter option short in libavfilter's C strings).
public func firstControlCharacter(in text: String) -> String? {
    for scalar in text.unicodeScalars {
        let v = scalar.value
        if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v) {
            return "U+" + String(repeating: "0", count: 4 - String(v, radix: 16).count) + String(v, radix: 16, uppercase: true)
        }
    }
    return nil
}

/// Levenshtein distance, for "did you mean" hints on unknown keys.
package func editDistance(_ a: String, _ b: String) -> Int {
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
package func formatNumber(_ value: Double) -> String {
    if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int(saturating: value)) }
    return String(value)
}
