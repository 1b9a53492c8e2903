import Foundation
import TimelineModel

/// A mix as read from its JSON: groups of clips, the order they play in, per-group rules, an
/// optional text layer, output settings and how many variants to make. Reading reports every
/// problem with its JSON Pointer; checks that need the database (assets) or the timeline reader
/// (output, text style) are `MixChecks`.
struct MixSpec: Sendable {
    struct Clip: Sendable, Equatable {
        /// The id after `asset:`.
        var assetId: String
        /// Source in-point, seconds.
        var trim: Double
        /// Seconds used from `trim`; nil for the rest of the source.
        var length: Double?
        /// What `{{GROUP}}` in the text layer becomes when this clip is picked (default: the asset's name).
        var label: String?
    }

    struct Group: Sendable {
        var name: String
        var clips: [Clip]
        /// How many distinct clips of the group a variant uses, in the group's listed order.
        var pick: Int
        /// A variant may leave the group out.
        var optional: Bool
        /// Every clip of the group is cut to at most this many seconds.
        var maxLength: Double?
        /// Its index in `groups` as sent (pointers name it; `order` may play it elsewhere).
        var sentIndex: Int
    }

    enum Count: Sendable, Equatable {
        case exactly(Int)
        /// Every combination, but at most `cap`.
        case all(cap: Int)
    }

    /// The text layer: one text (with `{{placeholders}}`) for every variant, or a list used in turn.
    struct TextLayer: Sendable {
        var texts: [String]
        /// Members of the text asset (`font`, `align`, `box`, `outline`) as sent.
        var asset: [(key: String, value: JSONValue)]
        /// Members of the text clip (`position`, `offset`, `scale`, `opacity`, `fadeIn`, `fadeOut`) as sent.
        var clip: [(key: String, value: JSONValue)]
    }

    /// Groups in playing order (`order` applied).
    var groups: [Group]
    var text: TextLayer?
    /// The timeline `output` object, as sent.
    var output: JSONValue
    var count: Count

    static let keys = ["name", "groups", "order", "text", "output", "count", "cap"]
    static let textAssetKeys: Set<String> = ["font", "align", "box", "outline"]
    static let textClipKeys: Set<String> = ["position", "offset", "scale", "opacity", "fadeIn", "fadeOut"]
    static let maxGroups = 20
    static let maxClips = 100
    /// A pick-k group may not offer more choices than this (C(n, k) grows fast).
    static let maxChoices = 10_000
    /// Placeholders the text layer knows besides the group names.
    static let builtIns: Set<String> = ["VARIANT", "COUNT", "MIX"]

    /// Reads the spec members of `root` (a mix body; `name` is read elsewhere). `maxVariants`
    /// bounds `count` and `cap`.
    static func read(_ root: JSONValue, maxVariants: Int) -> (spec: MixSpec?, problems: [APIError.Detail]) {
        var reader = MixReader()
        guard let top = reader.object(root, at: "", allowed: Set(keys)) else { return (nil, reader.problems) }
        var groups: [Group] = []
        if let list = reader.array(top["groups"], at: "/groups", required: true) {
            if list.isEmpty || list.count > maxGroups { reader.report("/groups", "needs 1 to \(maxGroups) groups") }
            for (index, value) in list.enumerated() {
                if let group = readGroup(value, at: "/groups/\(index)", index: index, &reader) {
                    if groups.contains(where: { $0.name == group.name }) {
                        reader.report("/groups/\(index)/name", "another group is named '\(group.name)'")
                    }
                    groups.append(group)
                }
            }
        }
        if let order = reader.array(top["order"], at: "/order", required: false) {
            var ordered: [Group] = []
            for (index, value) in order.enumerated() {
                guard let name = reader.string(value, at: "/order/\(index)") else { continue }
                if let group = groups.first(where: { $0.name == name }) {
                    if ordered.contains(where: { $0.name == name }) { reader.report("/order/\(index)", "'\(name)' is named twice") }
                    ordered.append(group)
                } else {
                    reader.report("/order/\(index)", "no group is named '\(name)'")
                }
            }
            for group in groups where !ordered.contains(where: { $0.name == group.name }) {
                reader.report("/order", "does not name the group '\(group.name)'")
            }
            groups = ordered
        }
        let text = top["text"].flatMap { readText($0, groupNames: Set(groups.map(\.name)), &reader) }
        let output = top["output"] ?? .object([])
        if case .object = output {} else { reader.report("/output", "expected an object, got \(output.typeName)") }
        var count = Count.all(cap: maxVariants)
        let cap = reader.integer(top["cap"], at: "/cap", in: 1...maxVariants)
        switch top["count"] {
        case nil: if let cap { count = .all(cap: cap) }
        case .string("all")?: count = .all(cap: cap ?? maxVariants)
        case let value?:
            if let n = reader.integer(value, at: "/count", in: 1...maxVariants, expected: "an integer 1...\(maxVariants) or \"all\"") { count = .exactly(n) }
            if cap != nil { reader.report("/cap", "only goes with \"count\": \"all\"") }
        }
        guard reader.problems.isEmpty else { return (nil, reader.problems) }
        return (MixSpec(groups: groups, text: text, output: output, count: count), [])
    }

    private static func readGroup(_ value: JSONValue, at path: String, index: Int, _ reader: inout MixReader) -> Group? {
        guard let members = reader.object(value, at: path, allowed: ["name", "clips", "pick", "optional", "maxLength"]) else { return nil }
        let name = reader.string(members["name"], at: path + "/name", required: true)
        if let name, !Self.isName(name) {
            reader.report(path + "/name", "1 to 64 letters, digits, '_' or '-' (it is also the text layer's {{\(name)}})")
        }
        if let name, builtIns.contains(name) { reader.report(path + "/name", "'\(name)' is a built-in placeholder; use another name") }
        var clips: [Clip] = []
        if let list = reader.array(members["clips"], at: path + "/clips", required: true) {
            if list.isEmpty || list.count > maxClips { reader.report(path + "/clips", "needs 1 to \(maxClips) clips") }
            for (index, clip) in list.enumerated() {
                if let clip = readClip(clip, at: "\(path)/clips/\(index)", &reader) { clips.append(clip) }
            }
        }
        let pick = reader.integer(members["pick"], at: path + "/pick", in: 1...maxClips) ?? 1
        if pick > max(clips.count, 1) { reader.report(path + "/pick", "the group has \(clips.count) clip\(clips.count == 1 ? "" : "s")") }
        if pick <= clips.count, MixGenerator.choose(clips.count, pick) > maxChoices {
            reader.report(path + "/pick", "picking \(pick) of \(clips.count) clips gives more than \(maxChoices) choices")
        }
        let optional = reader.bool(members["optional"], at: path + "/optional") ?? false
        let maxLength = reader.number(members["maxLength"], at: path + "/maxLength", in: 0.001...86_400)
        guard let name else { return nil }
        return Group(name: name, clips: clips, pick: pick, optional: optional, maxLength: maxLength, sentIndex: index)
    }

    private static func readClip(_ value: JSONValue, at path: String, _ reader: inout MixReader) -> Clip? {
        // A bare "asset:ID" is a clip with no in-point or length.
        if case .string = value {
            guard let src = reader.string(value, at: path), let id = assetId(src, at: path, &reader) else { return nil }
            return Clip(assetId: id, trim: 0)
        }
        guard let members = reader.object(value, at: path, allowed: ["src", "trim", "length", "label"]) else { return nil }
        let src = reader.string(members["src"], at: path + "/src", required: true)
        let id = src.flatMap { assetId($0, at: path + "/src", &reader) }
        let trim = reader.number(members["trim"], at: path + "/trim", in: 0...86_400) ?? 0
        let length = reader.number(members["length"], at: path + "/length", in: 0.001...86_400)
        let label = reader.string(members["label"], at: path + "/label")
        if let label, label.unicodeScalars.count > 200 { reader.report(path + "/label", "at most 200 characters") }
        guard let id else { return nil }
        return Clip(assetId: id, trim: trim, length: length, label: label)
    }

    private static func assetId(_ src: String, at path: String, _ reader: inout MixReader) -> String? {
        let id = src.hasPrefix("asset:") ? String(src.dropFirst(6)) : ""
        guard !id.isEmpty, id.count <= 64 else {
            reader.report(path, "expected 'asset:<id>' naming one of your video assets")
            return nil
        }
        return id
    }

    private static func readText(_ value: JSONValue, groupNames: Set<String>, _ reader: inout MixReader) -> TextLayer? {
        let allowed = Set(["text", "texts"]).union(textAssetKeys).union(textClipKeys)
        guard let members = reader.object(value, at: "/text", allowed: allowed) else { return nil }
        var texts: [(String, String)] = []
        switch (members["text"], members["texts"]) {
        case (let one?, nil):
            if let text = reader.string(one, at: "/text/text") { texts = [("/text/text", text)] }
        case (nil, let many?):
            if let list = reader.array(many, at: "/text/texts", required: true) {
                if list.isEmpty || list.count > 1000 { reader.report("/text/texts", "needs 1 to 1000 texts") }
                for (index, item) in list.enumerated() {
                    if let text = reader.string(item, at: "/text/texts/\(index)") { texts.append(("/text/texts/\(index)", text)) }
                }
            }
        case (.some, .some): reader.report("/text/texts", "send either 'text' or 'texts', not both")
        case (nil, nil): reader.report("/text/text", "is required (or 'texts')")
        }
        for (path, text) in texts {
            if text.unicodeScalars.count > 1000 { reader.report(path, "at most 1000 characters") }
            for name in placeholders(in: text) where !builtIns.contains(name) && !groupNames.contains(name) {
                reader.report(path, "{{\(name)}} is neither a group nor one of \(builtIns.sorted().map { "{{\($0)}}" }.joined(separator: ", "))")
            }
        }
        let asset = members.list.filter { textAssetKeys.contains($0.key) }
        let clip = members.list.filter { textClipKeys.contains($0.key) }
        return TextLayer(texts: texts.map(\.1), asset: asset, clip: clip)
    }

    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }

    /// The names of the `{{NAME}}` placeholders of `text`, in order.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `text` with each `{{NAME}}` replaced by `values[NAME]`.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += rest[..<open.lowerBound]
            out += values[name] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

/// Collects problems while walking a JSON value.
struct MixReader {
    var problems: [APIError.Detail] = []

    /// An object's members by key, keeping the list in the order sent.
    struct Members {
        var list: [(key: String, value: JSONValue)]
        subscript(key: String) -> JSONValue? { list.last { $0.key == key }?.value }
    }

    mutating func report(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    mutating func object(_ value: JSONValue, at path: String, allowed: Set<String>) -> Members? {
        guard case .object(let list) = value else {
            report(path, "expected an object, got \(value.typeName)")
            return nil
        }
        for (key, _) in list where !allowed.contains(key) { report(path + "/" + JSONBody.escape(key), "unknown key '\(key)'") }
        return Members(list: list)
    }

    mutating func array(_ value: JSONValue?, at path: String, required: Bool) -> [JSONValue]? {
        switch value {
        case nil:
            if required { report(path, "is required") }
            return nil
        case .array(let items)?: return items
        case let other?:
            report(path, "expected an array, got \(other.typeName)")
            return nil
        }
    }

    mutating func string(_ value: JSONValue?, at path: String, required: Bool = false) -> String? {
        switch value {
        case nil:
            if required { report(path, "is required") }
            return nil
        case .string(let text)?: return text
        case let other?:
            report(path, "expected a string, got \(other.typeName)")
            return nil
        }
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        switch value {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?:
            report(path, "expected a boolean, got \(other.typeName)")
            return nil
        }
    }

    mutating func number(_ value: JSONValue?, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let value else { return nil }
        guard case .number(let number) = value, range.contains(number) else {
            report(path, "expected a number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func integer(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>, expected: String? = nil) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            report(path, "expected \(expected ?? "an integer in \(range.lowerBound)...\(range.upperBound)")")
            return nil
        }
        return Int(number)
    }
}
