import Foundation
import Store

/// Checks sets of values against a template's fields: every type and rule, each problem with its
/// JSON Pointer (`/values/TITLE`, `/rows/3/TITLE`). Patterns are compiled once for many rows.
/// `@unchecked Sendable`: the compiled expressions are never changed after `init`, only matched
/// (`NSRegularExpression` is safe to share between threads).
struct TemplateValues: @unchecked Sendable {
    let fields: [TemplateField]
    /// Kinds of the user's assets that values name (looked up beforehand), by asset id.
    let assetKinds: [String: Asset.Kind]
    private let patterns: [String: NSRegularExpression]

    init(fields: [TemplateField], assetKinds: [String: Asset.Kind]) {
        self.fields = fields
        self.assetKinds = assetKinds
        var patterns: [String: NSRegularExpression] = [:]
        for field in fields {
            if let pattern = field.pattern { patterns[field.name] = try? NSRegularExpression(pattern: pattern) }
        }
        self.patterns = patterns
    }

    /// The asset id an asset field's value names (`asset:ID` or a bare id).
    static func assetId(_ value: String) -> String {
        value.hasPrefix("asset:") ? String(value.dropFirst("asset:".count)) : value
    }

    /// Asset ids named by asset fields in `rows`, to look up before checking.
    static func assetIds(in rows: [[String: TemplateValue]], fields: [TemplateField]) -> Set<String> {
        var ids: Set<String> = []
        for field in fields where field.type == .asset {
            if case .string(let value)? = field.default { ids.insert(assetId(value)) }
            for row in rows { if case .string(let value)? = row[field.name], !value.isEmpty { ids.insert(assetId(value)) } }
        }
        return ids
    }

    /// The text each placeholder is replaced with, or every problem under `prefix`. An absent or
    /// empty value takes the field's default; a required field without one is a problem; an
    /// optional text field without one is empty.
    func check(_ values: [String: TemplateValue], prefix: String) -> (values: [String: String], problems: [APIError.Detail]) {
        var result: [String: String] = [:]
        var problems: [APIError.Detail] = []
        let names = Set(fields.map(\.name))
        for key in values.keys.sorted() where !names.contains(key) {
            // `_name` columns fill nothing; they are kept with the render (file names in a batch's archive).
            if key.hasPrefix("_"), let value = values[key] {
                result[key] = value.text
                continue
            }
            let known = fields.map(\.name).joined(separator: ", ")
            problems.append(.init(path: prefix + "/" + JSONBody.escape(key), message: "no field is named '\(key)' (the fields are: \(known.isEmpty ? "none" : known); columns starting with _ are kept, unused, e.g. for file names)"))
        }
        for field in fields {
            let path = prefix + "/" + JSONBody.escape(field.name)
            var value = values[field.name]
            if value == nil || value == .string("") { value = field.default }
            guard let value, value != .string("") else {
                if field.required || field.type != .text {
                    problems.append(.init(path: path, message: "is required"))
                } else {
                    result[field.name] = ""
                }
                continue
            }
            switch check(value, field) {
            case .success(let text): result[field.name] = text
            case .failure(let problem): problems.append(.init(path: path, message: problem.message))
            }
        }
        return (result, problems)
    }

    struct Problem: Error { var message: String }

    /// One value against one field: its replacement text, or what is wrong.
    func check(_ value: TemplateValue, _ field: TemplateField) -> Result<String, Problem> {
        switch field.type {
        case .text:
            let text = value.text
            if let maxLength = field.maxLength, text.unicodeScalars.count > maxLength {
                return .failure(Problem(message: "is longer than \(maxLength) characters"))
            }
            if let regex = patterns[field.name] {
                let whole = NSRange(text.startIndex..., in: text)
                guard let match = regex.firstMatch(in: text, options: [.anchored], range: whole), match.range == whole else {
                    return .failure(Problem(message: "does not match the pattern \(field.pattern ?? "")"))
                }
            }
            return .success(text)
        case .color:
            guard case .string(let text) = value, Self.isColor(text) else {
                return .failure(Problem(message: "must be a colour #RRGGBB or #RRGGBBAA"))
            }
            return .success(text)
        case .number:
            let number: Double?
            switch value {
            case .number(let n): number = n
            case .string(let text): number = Double(text.trimmingCharacters(in: .whitespaces))
            }
            guard let number, number.isFinite else { return .failure(Problem(message: "must be a number")) }
            if let min = field.min, number < min { return .failure(Problem(message: "must be at least \(formatNumber(min))")) }
            if let max = field.max, number > max { return .failure(Problem(message: "must be at most \(formatNumber(max))")) }
            return .success(formatNumber(number))
        case .asset:
            guard case .string(let text) = value else { return .failure(Problem(message: "must be an asset id")) }
            let id = Self.assetId(text)
            let wanted = field.kind?.rawValue ?? "asset"
            guard let kind = assetKinds[id] else {
                return .failure(Problem(message: "no \(wanted) asset '\(id)' among your assets"))
            }
            guard field.kind == nil || kind.rawValue == field.kind?.rawValue else {
                return .failure(Problem(message: "asset '\(id)' is a \(kind.rawValue), not a \(wanted)"))
            }
            return .success("asset:" + id)
        }
    }

    static func isColor(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.hasPrefix("#") && (digits.count == 6 || digits.count == 8) && digits.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }
}

private func formatNumber(_ value: Double) -> String {
    TemplateValue.number(value).text
}
