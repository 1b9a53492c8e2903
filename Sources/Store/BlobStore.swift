import Foundation

/// A storage key such as `users/{userId}/assets/{assetId}/original.mp4`.
/// Built only through the validating initializer or the layout helpers, so a key can never
/// hold `..`, an absolute path, a backslash or a control character, and never escapes the root.
public struct BlobKey: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Throws `StoreError.invalidKey` for anything that is not a plain relative path of safe segments.
    public init(validating raw: String) throws(StoreError) {
        let segments = raw.split(separator: "/", omittingEmptySubsequences: false)
        guard !raw.isEmpty, raw.utf8.count <= 1024, !segments.isEmpty else { throw .invalidKey(raw) }
        for segment in segments {
            guard !segment.isEmpty, segment != ".", segment != ".." else { throw .invalidKey(raw) }
            for scalar in segment.unicodeScalars {
                let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_" || scalar == "."
                guard ok else { throw .invalidKey(raw) }
            }
        }
        rawValue = raw
    }

    public var description: String { rawValue }

    /// `users/{userId}/assets/{assetId}/original.{ext}`
    public static func assetOriginal(userId: String, assetId: String, ext: String) throws(StoreError) -> BlobKey {
        try BlobKey(validating: "users/\(userId)/assets/\(assetId)/original.\(ext)")
    }

    /// `users/{userId}/assets/{assetId}/thumb.jpg`
    public static func assetThumbnail(userId: String, assetId: String) throws(StoreError) -> BlobKey {
        try BlobKey(validating: "users/\(userId)/assets/\(assetId)/thumb.jpg")
    }

    /// `users/{userId}/assets/{assetId}/`: everything stored for one asset.
    public static func assetPrefix(userId: String, assetId: String) -> String {
        "users/\(userId)/assets/\(assetId)/"
    }

    /// `users/{userId}/renders/{renderId}/output.{ext}`
    public static func renderOutput(userId: String, renderId: String, ext: String) throws(StoreError) -> BlobKey {
        try BlobKey(validating: "users/\(userId)/renders/\(renderId)/output.\(ext)")
    }
}

/// Where files live: the local `./storage` tree, or (later) S3. Every method is safe to call
/// from any task; implementations do blocking file work off the cooperative pool.
public protocol BlobStore: Sendable {
    /// Moves (or uploads and then deletes) a finished local file into the store under `key`.
    /// The key becomes visible only when the file is complete.
    func put(_ key: BlobKey, movingFile file: URL) async throws
    /// A local file holding the blob's bytes, for libav to read or the server to stream.
    /// Throws `StoreError.notFound` when absent.
    func localFile(for key: BlobKey) async throws -> URL
    /// Size in bytes, or nil when absent.
    func size(of key: BlobKey) async throws -> Int64?
    /// Removes one blob; absent is not an error.
    func delete(_ key: BlobKey) async throws
    /// Removes every blob whose key starts with `prefix` (which must end in `/`).
    func deleteAll(prefix: String) async throws
    /// A folder on local disk for work in progress (uploads being received, renders being written),
    /// on the same file system as the store where possible so `put` is a rename.
    var scratchDirectory: URL { get }
}
