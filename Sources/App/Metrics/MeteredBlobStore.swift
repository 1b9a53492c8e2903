import Foundation
import NIOCore
import Store

/// A `BlobStore` that counts its backend's failures (`cutroom_storage_errors_total`) and otherwise
/// passes every call through. The store itself stays free of the server's metrics.
struct MeteredBlobStore: BlobStore {
    let base: any BlobStore
    /// `local` or `s3`: the metric's `backend` label.
    let backend: String
    let metrics: AppMetrics

    func put(_ key: BlobKey, movingFile file: URL) async throws {
        try await counted("put") { try await base.put(key, movingFile: file) }
    }

    func streamingWriter(for key: BlobKey, contentType: String?) async throws -> (any BlobWriter)? {
        try await counted("put") { try await base.streamingWriter(for: key, contentType: contentType) }
            .map { MeteredBlobWriter(base: $0, store: self) }
    }

    func keepLocalCopy(_ file: URL, of key: BlobKey) async {
        await base.keepLocalCopy(file, of: key)
    }

    func localFile(for key: BlobKey) async throws -> URL {
        try await counted("get") { try await base.localFile(for: key) }
    }

    func downloadURL(for key: BlobKey, expires: Duration, contentDisposition: String?) async throws -> URL? {
        try await counted("get") { try await base.downloadURL(for: key, expires: expires, contentDisposition: contentDisposition) }
    }

    func size(of key: BlobKey) async throws -> Int64? {
        try await counted("head") { try await base.size(of: key) }
    }

    func delete(_ key: BlobKey) async throws {
        try await counted("delete") { try await base.delete(key) }
    }

    func deleteAll(prefix: String) async throws {
        try await counted("delete") { try await base.deleteAll(prefix: prefix) }
    }

    func list(prefix: String) async throws -> [StoredBlob] {
        try await counted("list") { try await base.list(prefix: prefix) }
    }

    func checkReady() async throws {
        try await counted("check") { try await base.checkReady() }
    }

    func checkReachable(timeout: Duration) async throws {
        try await counted("check") { try await base.checkReachable(timeout: timeout) }
    }

    var scratchDirectory: URL { base.scratchDirectory }

    func counted<T>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch {
            if Self.isFailure(error) { metrics.storageError(backend: backend, operation: operation) }
            throw error
        }
    }

    /// Answers about the request (absent, a bad key, a stale version) are not the backend failing.
    static func isFailure(_ error: any Error) -> Bool {
        switch error as? StoreError {
        case .notFound, .invalidKey, .versionConflict: return false
        default: return !(error is CancellationError)
        }
    }
}

/// A streamed upload's writer whose failures count as the store's `put` errors.
struct MeteredBlobWriter: BlobWriter {
    let base: any BlobWriter
    let store: MeteredBlobStore

    func write(_ bytes: ByteBuffer) async throws {
        try await store.counted("put") { try await base.write(bytes) }
    }

    func finish() async throws -> Int64 {
        try await store.counted("put") { try await base.finish() }
    }

    func abort() async {
        await base.abort()
    }
}
