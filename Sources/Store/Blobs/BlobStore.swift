import Foundation
import NIOCore

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

    /// The media type of a stored file by its extension (for S3's Content-Type and HTTP responses).
    public static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "mp4", "m4v": return "video/mp4"
        case "mov": return "video/quicktime"
        case "webm": return "video/webm"
        case "mkv": return "video/x-matroska"
        case "avi": return "video/x-msvideo"
        case "mp3": return "audio/mpeg"
        case "wav": return "audio/wav"
        case "m4a", "aac": return "audio/mp4"
        case "ogg", "oga", "opus": return "audio/ogg"
        case "flac": return "audio/flac"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        default: return "application/octet-stream"
        }
    }

    /// The extension of the key's last segment (`mp4`), or empty.
    public var fileExtension: String {
        guard let last = rawValue.split(separator: "/").last, let dot = last.lastIndex(of: ".") else { return "" }
        return String(last[last.index(after: dot)...])
    }

    /// `users/{userId}/assets/{assetId}/original.{ext}`
    public static func assetOriginal(userId: String, assetId: String, ext: String) throws(StoreError) -> BlobKey {
        try BlobKey(validating: "users/\(userId)/assets/\(assetId)/original.\(ext)")
    }

    /// `users/{userId}/assets/{assetId}/thumb.jpg`
    public static func assetThumbnail(userId: String, assetId: String) throws(StoreError) -> BlobKey {
        try BlobKey(validating: "users/\(userId)/assets/\(assetId)/thumb.jpg")
    }

    /// `users/{userId}/`: everything stored for one user.
    public static func userPrefix(userId: String) -> String {
        "users/\(userId)/"
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

/// Where files live: the local `./storage` tree, or an S3 bucket. Every method is safe to call
/// from any task; implementations do blocking file work off the cooperative pool.
public protocol BlobStore: Sendable {
    /// Moves (or uploads and then deletes) a finished local file into the store under `key`.
    /// The key becomes visible only when the file is complete.
    func put(_ key: BlobKey, movingFile file: URL) async throws
    /// A streamed write of `key` whose bytes arrive in chunks (an upload being received), or nil
    /// when the store takes whole files better (`put(_:movingFile:)`, a rename for local disk).
    func streamingWriter(for key: BlobKey, contentType: String?) async throws -> (any BlobWriter)?
    /// Hands over a local file holding the bytes of `key` (already stored) so that later reads
    /// need not fetch them again. The store takes the file (moves or deletes it).
    func keepLocalCopy(_ file: URL, of key: BlobKey) async
    /// A local file holding the blob's bytes, for libav to read or the server to stream: the file
    /// itself for local disk, a cached download for S3. Throws `StoreError.notFound` when absent.
    func localFile(for key: BlobKey) async throws -> URL
    /// A URL a browser can fetch the blob from directly (presigned, valid for `expires`), or nil
    /// when the server must send the bytes itself. `contentDisposition`, when given, is the
    /// `Content-Disposition` the answer carries (so a download keeps its name).
    func downloadURL(for key: BlobKey, expires: Duration, contentDisposition: String?) async throws -> URL?
    /// Size in bytes, or nil when absent.
    func size(of key: BlobKey) async throws -> Int64?
    /// Removes one blob; absent is not an error.
    func delete(_ key: BlobKey) async throws
    /// Removes every blob whose key starts with `prefix` (which must end in `/`).
    func deleteAll(prefix: String) async throws
    /// Every blob whose key starts with `prefix` (which must end in `/`), with when it was last
    /// written where the store says. Nothing in progress (scratch, multipart uploads) is listed.
    func list(prefix: String) async throws -> [StoredBlob]
    /// Checks at start that the store can be read and written; throws a `StoreError` saying why not.
    func checkReady() async throws
    /// A quick read-only check that the store answers, for `/health`: one try that gives up after
    /// `timeout` (a dead or hanging service must not make the caller wait), throwing a `StoreError`.
    func checkReachable(timeout: Duration) async throws
    /// A folder on local disk for work in progress (uploads being received, renders being written),
    /// on the same file system as the store where possible so `put` is a rename.
    var scratchDirectory: URL { get }
}

/// One listed blob.
public struct StoredBlob: Sendable, Equatable {
    public var key: String
    public var modified: Date?

    public init(key: String, modified: Date?) {
        self.key = key
        self.modified = modified
    }
}

/// A blob being written chunk by chunk. Nothing is visible under its key until `finish` returns;
/// after a failure or `abort`, nothing is stored and nothing is left behind.
public protocol BlobWriter: Sendable {
    /// Appends `bytes`; may wait while earlier bytes are sent (back-pressure).
    func write(_ bytes: ByteBuffer) async throws
    /// Stores everything written; returns the size.
    func finish() async throws -> Int64
    /// Discards everything written so far. Never throws: a failure is logged by the store's caller.
    func abort() async
}

extension BlobStore {
    /// Whole files only.
    public func streamingWriter(for key: BlobKey, contentType: String?) async throws -> (any BlobWriter)? { nil }
    /// The bytes are served from the store itself: the extra copy is not needed.
    public func keepLocalCopy(_ file: URL, of key: BlobKey) async { try? FileManager.default.removeItem(at: file) }
    /// The server sends the bytes.
    public func downloadURL(for key: BlobKey, expires: Duration, contentDisposition: String?) async throws -> URL? { nil }
    /// Nothing to check beyond what opening the store did.
    public func checkReady() async throws {}
    /// Local disk: the caller checks the folders itself.
    public func checkReachable(timeout: Duration) async throws {}
}
