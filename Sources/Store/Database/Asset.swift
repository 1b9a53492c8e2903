import Foundation
import GRDB

/// An uploaded media file (or font, or captions) in a project.
public struct Asset: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    /// What an asset is used as on a timeline.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case video, audio, image, font, captions
    }

    public var id: String
    public var userId: String
    public var projectId: String
    /// The name it was uploaded with.
    public var name: String
    public var kind: Kind
    /// Bytes.
    public var size: Int64
    /// Seconds; nil for stills, fonts and captions.
    public var duration: Double?
    public var width: Int?
    public var height: Int?
    public var fps: Double?
    public var hasVideo: Bool
    public var hasAudio: Bool
    /// What the probe found, as JSON text the store does not read.
    public var mediaInfo: String?
    /// The family name of a font asset, as the font file gives it.
    public var fontFamily: String?
    /// Blob key of the original file.
    public var storageKey: String
    /// Blob key of the thumbnail, once made.
    public var thumbnailKey: String?
    public var createdAt: Date

    public init(
        id: String, userId: String, projectId: String, name: String, kind: Kind, size: Int64,
        duration: Double? = nil, width: Int? = nil, height: Int? = nil, fps: Double? = nil,
        hasVideo: Bool = false, hasAudio: Bool = false, mediaInfo: String? = nil, fontFamily: String? = nil,
        storageKey: String, thumbnailKey: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.projectId = projectId
        self.name = name
        self.kind = kind
        self.size = size
        self.duration = duration
        self.width = width
        self.height = height
        self.fps = fps
        self.hasVideo = hasVideo
        self.hasAudio = hasAudio
        self.mediaInfo = mediaInfo
        self.fontFamily = fontFamily
        self.storageKey = storageKey
        self.thumbnailKey = thumbnailKey
        self.createdAt = createdAt
    }

    public static let databaseTableName = "asset"

    /// The table's columns, for building requests.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let userId = Column(CodingKeys.userId)
        public static let projectId = Column(CodingKeys.projectId)
        public static let name = Column(CodingKeys.name)
        public static let kind = Column(CodingKeys.kind)
        public static let size = Column(CodingKeys.size)
        public static let duration = Column(CodingKeys.duration)
        public static let width = Column(CodingKeys.width)
        public static let height = Column(CodingKeys.height)
        public static let fps = Column(CodingKeys.fps)
        public static let hasVideo = Column(CodingKeys.hasVideo)
        public static let hasAudio = Column(CodingKeys.hasAudio)
        public static let mediaInfo = Column(CodingKeys.mediaInfo)
        public static let fontFamily = Column(CodingKeys.fontFamily)
        public static let storageKey = Column(CodingKeys.storageKey)
        public static let thumbnailKey = Column(CodingKeys.thumbnailKey)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}

extension Asset.Kind: DatabaseValueConvertible {}

extension DerivableRequest<Asset> {
    /// Assets of one user.
    public func owned(by userId: String) -> Self {
        filter { $0.userId == userId }
    }

    /// Assets of one project.
    public func inProject(_ projectId: String) -> Self {
        filter { $0.projectId == projectId }
    }

    /// Assets of one kind.
    public func filter(kind: Asset.Kind) -> Self {
        filter { $0.kind == kind }
    }

    /// In upload order.
    public func oldestFirst() -> Self {
        order { [$0.createdAt, $0.id] }
    }
}
