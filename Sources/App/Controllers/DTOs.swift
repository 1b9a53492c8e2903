import Foundation
import Render
import Store

/// A project as the API shows it.
struct ProjectDTO: Encodable {
    var id: String
    var name: String
    var createdAt: Date
    var updatedAt: Date

    init(_ project: Project) {
        id = project.id
        name = project.name
        createdAt = project.createdAt
        updatedAt = project.updatedAt
    }
}

/// An asset as the API shows it (DESIGN.md's shape plus codec details).
struct AssetDTO: Encodable {
    var id: String
    var projectId: String
    var name: String
    var kind: String
    var size: Int64
    var duration: Double?
    var width: Int?
    var height: Int?
    var fps: Double?
    var hasVideo: Bool
    var hasAudio: Bool
    var src: String
    var contentUrl: String
    var thumbnailUrl: String?
    var videoCodec: String?
    var audioCodec: String?
    var createdAt: Date

    init(_ asset: Asset) {
        id = asset.id
        projectId = asset.projectId
        name = asset.name
        kind = asset.kind.rawValue
        size = asset.size
        duration = asset.duration
        width = asset.width
        height = asset.height
        fps = asset.fps
        hasVideo = asset.hasVideo
        hasAudio = asset.hasAudio
        src = "asset:\(asset.id)"
        contentUrl = "/api/v1/assets/\(asset.id)/content"
        thumbnailUrl = asset.thumbnailKey == nil ? nil : "/api/v1/assets/\(asset.id)/thumbnail"
        let info = asset.mediaInfo.flatMap { try? JSONDecoder().decode(MediaInfo.self, from: Data($0.utf8)) }
        videoCodec = info?.videoCodec
        audioCodec = info?.audioCodec
        createdAt = asset.createdAt
    }
}

/// A timeline as the API shows it; `document` is the JSON object itself, not a string.
struct TimelineDTO: Encodable {
    var id: String
    var projectId: String
    var name: String
    var version: Int
    var document: RawJSON
    var createdAt: Date
    var updatedAt: Date

    init(_ record: TimelineRecord) {
        id = record.id
        projectId = record.projectId
        name = record.name
        version = record.version
        document = RawJSON(record.document)
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// JSON text stored verbatim, encoded as the JSON value it holds.
struct RawJSON: Encodable {
    let text: String
    init(_ text: String) { self.text = text }

    func encode(to encoder: any Encoder) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        try value.encode(to: encoder)
    }
}

/// A generic JSON value, so stored documents round-trip through the encoder unchanged.
enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers go out as integers so `1920` does not come back as `1920.0`.
            if value.rounded() == value, abs(value) < 9e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
