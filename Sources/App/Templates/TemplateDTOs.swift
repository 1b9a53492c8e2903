import Foundation
import TimelineModel
import Store

/// `POST /templates`: `{name?, timelineId}` or `{name?, document}`.
struct TemplateCreateRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, timelineId, document }
    typealias Keys = CodingKeys
    var name: String?
    var timelineId: String?
    var document: RawJSON?
}

/// `PATCH /templates/{id}`: `{name?, fields?}`; each field sent replaces that field's definition.
struct TemplatePatchRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, fields }
    typealias Keys = CodingKeys
    var name: String?
    var fields: [FieldDefinition]?
}

/// A field's editable definition (everything but `usedAt`); unknown keys are refused.
struct FieldDefinition: Decodable, Sendable {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, type, kind, `default`, required, maxLength, pattern, min, max }
    var name: String
    var type: TemplateField.FieldType
    var kind: TemplateField.AssetKind?
    var `default`: TemplateValue?
    var required: Bool?
    var maxLength: Int?
    var pattern: String?
    var min: Double?
    var max: Double?

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let allowed = Set(CodingKeys.allCases.map(\.stringValue))
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [unknown], debugDescription: "unknown key"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(TemplateField.FieldType.self, forKey: .type)
        kind = try container.decodeIfPresent(TemplateField.AssetKind.self, forKey: .kind)
        `default` = try container.decodeIfPresent(TemplateValue.self, forKey: .default)
        required = try container.decodeIfPresent(Bool.self, forKey: .required)
        maxLength = try container.decodeIfPresent(Int.self, forKey: .maxLength)
        pattern = try container.decodeIfPresent(String.self, forKey: .pattern)
        min = try container.decodeIfPresent(Double.self, forKey: .min)
        max = try container.decodeIfPresent(Double.self, forKey: .max)
    }
}

/// `POST /templates/{id}/renders`: `{values}` renders one; `{rows}` makes a batch; `dryRun` checks only.
struct TemplateRenderRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case values, rows, dryRun, webhookUrl }
    typealias Keys = CodingKeys
    var values: TemplateRow?
    var rows: [TemplateRow]?
    var dryRun: Bool?
    var webhookUrl: String?
}

/// One set of values as sent, read leniently: a row that is not an object, or a value that is
/// neither a string nor a finite number, is kept as a problem instead of failing the whole body,
/// so every row's other values are still checked and one 422 lists every bad row and field.
struct TemplateRow: Decodable, Sendable {
    var values: [String: TemplateValue] = [:]
    /// What is wrong, at pointers relative to the row (`""` the row itself, `/TITLE` one value).
    var problems: [APIError.Detail] = []

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        // Never throws: a failed element would stop an array's decoding at that element.
        guard let container = try? decoder.container(keyedBy: Key.self) else {
            problems = [.init(path: "", message: "expected an object of values")]
            return
        }
        for key in container.allKeys {
            if let value = try? container.decode(TemplateValue.self, forKey: key), value.isFinite {
                values[key.stringValue] = value
            } else {
                problems.append(.init(path: "/" + JSONBody.escape(key.stringValue), message: "expected a string or a finite number"))
            }
        }
        problems.sort { $0.path < $1.path }
    }
}

/// A template as the API shows it.
struct TemplateDTO: Encodable {
    var id: String
    var name: String
    var projectId: String?
    var timelineId: String?
    var fields: [TemplateField]
    var document: DocumentJSON
    var createdAt: Date
    var updatedAt: Date

    init(_ record: TemplateRecord) throws {
        id = record.id
        name = record.name
        projectId = record.projectId
        timelineId = record.timelineId
        fields = [TemplateField](storedJSON: record.fields)
        document = DocumentJSON(value: try JSONParser.parse(Data(record.document.utf8)))
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// A stored document sent back as JSON (not as a string).
struct DocumentJSON: Encodable {
    var value: JSONValue

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number.isFinite ? number : (number < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude))
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(DocumentJSON(value: item)) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, member) in members { try container.encode(DocumentJSON(value: member), forKey: Key(stringValue: key)) }
        }
    }
}
