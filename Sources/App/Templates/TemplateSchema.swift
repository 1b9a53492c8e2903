import Foundation
import TimelineModel

/// Derives a template's field schema from where its `{{NAME}}` placeholders stand in the
/// document, and fills them. Placeholders may stand in any string value, so templates are kept
/// as JSON (`JSONValue`), not as a decoded `Timeline`: `"color": "{{BRAND}}"` is not a colour
/// until it is filled.
enum TemplateSchema {
    /// Keys whose values are numbers in a timeline document: a placeholder standing alone there
    /// is a `number` field and is replaced by a JSON number.
    static let numberKeys: Set<String> = [
        "width", "height", "fps", "crf", "sampleRate", "channels", "start", "end", "length", "trim", "speed",
        "scale", "opacity", "volume", "fadeIn", "fadeOut", "duration", "x", "y", "amount", "brightness",
        "contrast", "saturation", "similarity", "blend", "degrees", "size", "padding", "t", "value", "loudness",
    ]

    private struct Usage {
        var pointer: String
        var type: TemplateField.FieldType
        var kind: TemplateField.AssetKind?

        var label: String {
            switch type {
            case .asset: return "\(kind?.rawValue ?? "asset") source"
            case .color: return "colour"
            case .number: return "number"
            case .text: return "text"
            }
        }
    }

    /// Every placeholder of `root` as a field (in document order), with defaults from the
    /// document's `merge`; or the conflicts (one name standing for a colour and an image…).
    static func derive(_ root: JSONValue) -> (fields: [TemplateField], problems: [APIError.Detail]) {
        var order: [String] = []
        var usages: [String: [Usage]] = [:]
        walk(root, pointer: "", key: nil, object: nil) { name, usage in
            if usages[name] == nil { order.append(name) }
            usages[name, default: []].append(usage)
        }
        var defaults: [String: String] = [:]
        if case .object(let top) = root, let merge = top.first(where: { $0.key == "merge" })?.value, case .object(let members) = merge {
            for (key, value) in members {
                switch value {
                case .string(let text): defaults[key] = text
                // A number field's default may be a JSON number (`normalizingMerge` stores it as the string the spec needs).
                case .number(let number) where number.isFinite: defaults[key] = formatNumber(number)
                default: break
                }
            }
        }
        var fields: [TemplateField] = []
        var problems: [APIError.Detail] = []
        for name in order {
            let all = usages[name] ?? []
            let typed = all.filter { $0.type != .text }
            // Text takes anything; a colour, number or asset use decides the type.
            let first = typed.first ?? all[0]
            if let other = typed.first(where: { $0.type != first.type || $0.kind != first.kind }) {
                problems.append(.init(path: other.pointer, message: "{{\(name)}} stands for a \(first.label) at \(first.pointer) and a \(other.label) here; use two names"))
                continue
            }
            let value = defaults[name].map { first.type == .number ? Double($0).map(TemplateValue.number) ?? .string($0) : .string($0) }
            fields.append(TemplateField(
                name: name, type: first.type, kind: first.kind, default: value, required: value == nil,
                usedAt: all.map(\.pointer)))
        }
        return (fields, problems)
    }

    /// The document with each number field's JSON-number default in `merge` written as the
    /// canonical string the timeline spec requires there (`48`, `0.5`), and the problems of
    /// numbers it cannot hold (infinite) at `/merge/NAME`. Any other non-string is left for the
    /// document reader to refuse.
    static func normalizingMerge(_ root: JSONValue, fields: [TemplateField]) -> (root: JSONValue, problems: [APIError.Detail]) {
        guard case .object(let top) = root else { return (root, []) }
        let numbers = Set(fields.filter { $0.type == .number }.map(\.name))
        var problems: [APIError.Detail] = []
        let members = top.map { member -> (key: String, value: JSONValue) in
            guard member.key == "merge", case .object(let merge) = member.value else { return member }
            return (member.key, .object(merge.map { entry -> (key: String, value: JSONValue) in
                guard numbers.contains(entry.key), case .number(let number) = entry.value else { return entry }
                guard number.isFinite else {
                    problems.append(.init(path: "/merge/" + JSONBody.escape(entry.key), message: "must be a finite number"))
                    return entry
                }
                return (entry.key, .string(formatNumber(number)))
            }))
        }
        return (.object(members), problems)
    }

    private static func walk(
        _ value: JSONValue, pointer: String, key: String?, object: [(key: String, value: JSONValue)]?,
        _ found: (String, Usage) -> Void
    ) {
        switch value {
        case .object(let members):
            for (childKey, child) in members where !(pointer.isEmpty && childKey == "merge") {
                walk(child, pointer: pointer + "/" + JSONBody.escape(childKey), key: childKey, object: members, found)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { walk(item, pointer: pointer + "/\(index)", key: nil, object: nil, found) }
        case .string(let text):
            let names = Placeholders.names(in: text)
            guard !names.isEmpty else { return }
            let alone = names.count == 1 && text == "{{\(names[0])}}"
            let (type, kind) = alone ? infer(key: key, pointer: pointer, object: object) : (.text, nil)
            for name in names { found(name, Usage(pointer: pointer, type: type, kind: kind)) }
        case .null, .bool, .number:
            break
        }
    }

    /// The type of a placeholder standing alone as the value of `key`.
    private static func infer(key: String?, pointer: String, object: [(key: String, value: JSONValue)]?) -> (TemplateField.FieldType, TemplateField.AssetKind?) {
        guard let key else { return (.text, nil) }
        if key == "src" {
            if pointer.hasSuffix("/font/src") { return (.asset, .font) }
            if case .string(let type)? = object?.first(where: { $0.key == "type" })?.value, let kind = TemplateField.AssetKind(rawValue: type) {
                return (.asset, kind)
            }
            return (.text, nil)
        }
        if key.lowercased().hasSuffix("color") || key == "background" { return (.color, nil) }
        if numberKeys.contains(key) { return (.number, nil) }
        return (.text, nil)
    }

    /// The document with every placeholder replaced by its value; a number field standing alone
    /// becomes a JSON number. `values` holds every field's value (checked by `TemplateValues`).
    static func fill(_ value: JSONValue, fields: [String: TemplateField], values: [String: String], topLevel: Bool = true) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { member in
                (member.key, topLevel && member.key == "merge" ? member.value : fill(member.value, fields: fields, values: values, topLevel: false))
            })
        case .array(let items):
            return .array(items.map { fill($0, fields: fields, values: values, topLevel: false) })
        case .string(let text):
            let names = Placeholders.names(in: text)
            if names.count == 1, text == "{{\(names[0])}}", fields[names[0]]?.type == .number,
               let raw = values[names[0]], let number = Double(raw) {
                return .number(number)
            }
            return names.isEmpty ? value : .string(Placeholders.fill(text, values))
        case .null, .bool, .number:
            return value
        }
    }

    /// JSON text of `value` (object members in their order).
    static func serialize(_ value: JSONValue) -> Data {
        var out = ""
        write(value, to: &out)
        return Data(out.utf8)
    }

    private static func write(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += number.isFinite ? formatNumber(number) : (number < 0 ? "-1e999" : "1e999")
        case .string(let text): writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                writeString(member.key, to: &out)
                out += ":"
                write(member.value, to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
