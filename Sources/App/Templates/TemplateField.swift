import Foundation
import TimelineModel

/// One field of a template's schema: what a `{{NAME}}` placeholder takes and the rules its
/// values must pass.
struct TemplateField: Codable, Sendable, Equatable {
    enum FieldType: String, Codable, Sendable, CaseIterable { case text, color, number, asset }
    /// What an asset field's value must be (the `Asset.Kind` its placeholder stands in for).
    enum AssetKind: String, Codable, Sendable, CaseIterable { case video, audio, image, font, captions }

    var name: String
    var type: FieldType
    /// For `asset` fields only.
    var kind: AssetKind?
    var `default`: TemplateValue?
    var required: Bool
    var maxLength: Int?
    /// A regular expression the whole text must match (text fields).
    var pattern: String?
    var min: Double?
    var max: Double?
    /// Where the placeholder stands in the document (JSON Pointers); derived, not editable.
    var usedAt: [String]
}

/// A value of a field as sent: JSON strings and numbers (CSV cells are strings).
enum TemplateValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        }
    }

    /// False for a number JSON cannot hold (an overflowing literal read as infinity).
    var isFinite: Bool {
        if case .number(let number) = self { return number.isFinite }
        return true
    }

    /// The value as the text a placeholder is replaced with.
    var text: String {
        switch self {
        case .string(let text): return text
        case .number(let number): return formatNumber(number)
        }
    }
}

extension [TemplateField] {
    /// The schema as stored (JSON text).
    func storedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    init(storedJSON: String) {
        self = (try? JSONDecoder().decode([TemplateField].self, from: Data(storedJSON.utf8))) ?? []
    }
}
