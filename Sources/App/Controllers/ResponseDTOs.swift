import Foundation
import Compiler
import Render
import TimelineModel
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
    /// Font assets: the family the font names itself.
    var fontFamily: String?
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
        let info = MediaInfo(storedJSON: asset.mediaInfo)
        videoCodec = info?.videoCodec
        audioCodec = info?.audioCodec
        fontFamily = asset.fontFamily
        createdAt = asset.createdAt
    }
}

/// A timeline as the API shows it; `document` is the timeline object itself, not a string.
struct TimelineDTO: Encodable, Sendable {
    var id: String
    var projectId: String
    var name: String
    var version: Int
    var document: Timeline
    var createdAt: Date
    var updatedAt: Date

    /// Stored documents were written canonical by this server, so decoding them again cannot fail
    /// unless the database was edited by hand; that is reported, never hidden.
    init(_ record: TimelineRecord) throws {
        id = record.id
        projectId = record.projectId
        name = record.name
        version = record.version
        document = try TimelineDocument.decode(Data(record.document.utf8))
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
