import Foundation
import NIOCore

/// Blobs as objects in an S3 bucket (AWS or any S3-compatible service), under the same keys as
/// the local store. Objects over `partSize` go up as multipart uploads, part by part, aborted on
/// failure; reads for the engine go through a local `BlobCache`; downloads are presigned URLs.
public struct S3BlobStore: BlobStore {
    /// The S3 calls, signed and retried.
    public let client: S3Client
    /// Local copies of sources for the engine.
    public let cache: BlobCache
    /// Local folder for uploads being received and renders being written.
    public let scratchDirectory: URL
    /// Size of one multipart part, and the largest object sent in a single PutObject (16 MiB).
    public let partSize: Int

    /// A store over `client`'s bucket, with `scratchDirectory` created if needed.
    public init(client: S3Client, cache: BlobCache, scratchDirectory: URL, partSize: Int = 16 << 20) throws {
        do {
            try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io("cannot create the scratch folder \(scratchDirectory.path): \(error)")
        }
        self.client = client
        self.cache = cache
        self.scratchDirectory = scratchDirectory
        // S3 refuses parts under 5 MiB (except the last).
        self.partSize = max(5 << 20, partSize)
    }

    public func put(_ key: BlobKey, movingFile file: URL) async throws {
        guard let handle = try? FileHandle(forReadingFrom: file) else { throw StoreError.io("cannot read \(file.path)") }
        let writer = S3ObjectWriter(client: client, key: key.rawValue, contentType: Self.contentType(of: key), partSize: partSize)
        do {
            defer { try? handle.close() }
            while true {
                // Reads block, but one part at a time from a local disk, like FileIO's own reads.
                let chunk = try handle.read(upToCount: partSize) ?? Data()
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            _ = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        try? FileManager.default.removeItem(at: file)
    }

    public func streamingWriter(for key: BlobKey, contentType: String?) async throws -> (any BlobWriter)? {
        S3ObjectWriter(client: client, key: key.rawValue, contentType: contentType ?? Self.contentType(of: key), partSize: partSize)
    }

    public func keepLocalCopy(_ file: URL, of key: BlobKey) async {
        await cache.adopt(file, as: key)
    }

    public func localFile(for key: BlobKey) async throws -> URL {
        let client = client
        return try await cache.file(for: key) { temporary in
            try await client.download(key.rawValue, to: temporary)
        }
    }

    public func downloadURL(for key: BlobKey, expires: Duration, contentDisposition: String?) async throws -> URL? {
        guard let url = client.presignedGetURL(key.rawValue, expires: Int(expires.components.seconds), contentDisposition: contentDisposition) else {
            throw StoreError.io("cannot build a download URL for \(key)")
        }
        return url
    }

    public func size(of key: BlobKey) async throws -> Int64? {
        try await client.headObject(key.rawValue)
    }

    public func delete(_ key: BlobKey) async throws {
        try await client.deleteObject(key.rawValue)
        await cache.remove(prefix: key.rawValue)
    }

    public func list(prefix: String) async throws -> [StoredBlob] {
        guard prefix.hasSuffix("/") else { throw StoreError.invalidKey(prefix) }
        _ = try BlobKey(validating: String(prefix.dropLast()))
        return try await client.listObjectsWithDates(prefix: prefix).map { StoredBlob(key: $0.key, modified: $0.modified) }
    }

    public func deleteAll(prefix: String) async throws {
        guard prefix.hasSuffix("/") else { throw StoreError.invalidKey(prefix) }
        _ = try BlobKey(validating: String(prefix.dropLast()))
        await cache.remove(prefix: prefix)
        for key in try await client.listObjects(prefix: prefix) {
            try await client.deleteObject(key)
        }
    }

    /// Reaches the bucket, then writes, reads back and deletes a small object, so a wrong key, a
    /// read-only policy or a missing bucket stop the server at start rather than the first upload.
    public func checkReady() async throws {
        try await client.headBucket()
        let key = "cutroom-check/\(UUID().uuidString).txt"
        let payload = "cutroom can write here"
        try await client.putObject(key, body: ByteBuffer(string: payload), contentType: "text/plain")
        let back = try await client.getObject(key)
        try await client.deleteObject(key)
        guard String(buffer: back) == payload else {
            throw StoreError.refused("the bucket \(client.configuration.bucket) returned other bytes than were written")
        }
    }

    public func checkReachable(timeout: Duration) async throws {
        try await client.headBucket(timeout: timeout)
    }

    /// Aborts multipart uploads under `users/` started more than `age` ago: parts of uploads whose
    /// abort could not reach S3 (it was down) or whose process died. Returns how many went.
    @discardableResult
    public func abortStaleUploads(olderThan age: TimeInterval) async throws -> Int {
        let cutoff = Date().addingTimeInterval(-age)
        var aborted = 0
        for upload in try await client.listMultipartUploads(prefix: "users/") where (upload.initiated ?? .distantPast) <= cutoff {
            try await client.abortMultipartUpload(upload.key, uploadId: upload.uploadId)
            aborted += 1
        }
        return aborted
    }

    static func contentType(of key: BlobKey) -> String {
        BlobKey.contentType(forExtension: key.fileExtension)
    }
}

/// Writes one object: bytes are gathered into parts of `partSize`; the first full part starts a
/// multipart upload and each part is sent as it fills (one part in memory at a time), so the
/// writer's caller waits while S3 is slow. An object smaller than a part is one PutObject.
/// Any failure aborts the multipart upload so no orphan parts stay in the bucket.
actor S3ObjectWriter: BlobWriter {
    let client: S3Client
    let key: String
    let contentType: String
    let partSize: Int

    private var buffer = ByteBuffer()
    private var uploadId: String?
    private var etags: [String] = []
    private var size: Int64 = 0
    private var done = false

    init(client: S3Client, key: String, contentType: String, partSize: Int) {
        self.client = client
        self.key = key
        self.contentType = contentType
        self.partSize = partSize
    }

    func write(_ bytes: ByteBuffer) async throws {
        guard !done else { throw StoreError.io("write to \(key) after it was finished") }
        var bytes = bytes
        size += Int64(bytes.readableBytes)
        while bytes.readableBytes > 0 {
            let room = partSize - buffer.readableBytes
            var slice = bytes.readSlice(length: min(room, bytes.readableBytes)) ?? ByteBuffer()
            buffer.writeBuffer(&slice)
            if buffer.readableBytes >= partSize { try await sendPart() }
        }
    }

    func finish() async throws -> Int64 {
        guard !done else { return size }
        if uploadId == nil {
            try await client.putObject(key, body: buffer, contentType: contentType)
        } else {
            if buffer.readableBytes > 0 { try await sendPart() }
            guard let uploadId else { throw StoreError.io("multipart upload of \(key) lost its id") }
            try await client.completeMultipartUpload(key, uploadId: uploadId, etags: etags)
        }
        done = true
        buffer = ByteBuffer()
        return size
    }

    func abort() async {
        guard !done else { return }
        done = true
        buffer = ByteBuffer()
        if let uploadId { try? await client.abortMultipartUpload(key, uploadId: uploadId) }
    }

    private func sendPart() async throws {
        if uploadId == nil { uploadId = try await client.createMultipartUpload(key, contentType: contentType) }
        guard let uploadId else { return }
        let part = buffer
        buffer = ByteBuffer()
        buffer.reserveCapacity(partSize)
        etags.append(try await client.uploadPart(key, uploadId: uploadId, number: etags.count + 1, body: part))
    }
}
