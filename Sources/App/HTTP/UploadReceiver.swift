import Foundation
import Hummingbird
import Store

/// Streams an upload body to a local file chunk by chunk, never holding the file in memory.
/// Accepts `multipart/form-data` with a `file` field, or a raw body with `?filename=`.
/// With a `mirror`, each chunk also goes to a blob writer (an S3 multipart upload) as it arrives.
struct UploadReceiver {
    struct Received {
        var filename: String
        var size: Int64
    }

    /// Opens the writer the bytes are mirrored to, once the file's name is known; nil: no mirror.
    typealias Mirror = (_ filename: String) async throws -> (any BlobWriter)?

    let maxBytes: Int64
    /// Where the file is created and written.
    let io: BlockingWork

    func receive(_ request: Request, into file: URL, mirror: Mirror? = nil) async throws -> Received {
        let opened = try? await io.run { () -> FileHandle? in
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else { return nil }
            return try FileHandle(forWritingTo: file)
        }
        guard let handle = opened ?? nil else {
            throw APIError(status: .internalServerError, code: "STORAGE_ERROR", message: "cannot create a temporary upload file")
        }
        defer { try? handle.close() }
        let sink = FileSink(handle: handle, maxBytes: maxBytes, io: io, openMirror: mirror)

        if let stream = Self.multipartBoundary(request.headers[.contentType]).flatMap({ MultipartStream(boundary: $0) }) {
            let filename = try await receiveMultipart(request.body, stream: stream, sink: sink)
            try await sink.flush()
            return Received(filename: filename, size: sink.written)
        }
        if let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/") {
            throw APIError.badRequest("multipart upload without a usable boundary parameter")
        }
        guard let filename = request.uri.queryParameters["filename"].map(String.init), !filename.isEmpty else {
            throw APIError.badRequest("send multipart/form-data with a 'file' field, or a raw body with ?filename=")
        }
        try await sink.named(filename)
        for try await chunk in request.body {
            try await sink.write(chunk)
        }
        try await sink.flush()
        return Received(filename: filename, size: sink.written)
    }

    private func receiveMultipart(_ body: RequestBody, stream: MultipartStream, sink: FileSink) async throws -> String {
        var stream = stream
        var output = MultipartStream.Output()
        do {
            for try await chunk in body {
                output.reset()
                try stream.feed(chunk, into: &output)
                if let filename = output.filename { try await sink.named(filename) }
                for bytes in output.fileBytes { try await sink.write(bytes) }
            }
            return try stream.finish()
        } catch let failure as MultipartStream.Failure {
            switch failure {
            case .malformed(let message):
                throw APIError.badRequest(message)
            case .tooMuchBesidesTheFile(let limit):
                throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "a multipart body may carry at most \(limit / 1024) KiB besides the file")
            }
        }
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, unquoted; nil otherwise.
    static func multipartBoundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

/// Writes chunks to the upload file (and the mirror) and enforces the size limit as bytes arrive.
private final class FileSink {
    let handle: FileHandle
    let maxBytes: Int64
    let io: BlockingWork
    let openMirror: UploadReceiver.Mirror?
    private var mirrorOpened = false
    private(set) var mirror: (any BlobWriter)?
    private(set) var written: Int64 = 0
    /// Received bytes not yet in the file.
    private var unwritten = ByteBuffer()
    static let batchBytes = 1 << 20

    init(handle: FileHandle, maxBytes: Int64, io: BlockingWork, openMirror: UploadReceiver.Mirror?) {
        self.handle = handle
        self.maxBytes = maxBytes
        self.io = io
        self.openMirror = openMirror
    }

    /// The file's name is known: opens the mirror (once).
    func named(_ filename: String) async throws {
        guard !mirrorOpened, let openMirror else { return }
        mirrorOpened = true
        mirror = try await openMirror(filename)
    }

    func write(_ buffer: ByteBuffer) async throws {
        written += Int64(buffer.readableBytes)
        guard written <= maxBytes else {
            throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "the file is larger than the upload limit of \(maxBytes / 1_048_576) MiB")
        }
        var chunk = buffer
        unwritten.writeBuffer(&chunk)
        if unwritten.readableBytes >= Self.batchBytes { try await flush() }
        try await mirror?.write(buffer)
    }

    /// Writes what has arrived since the last write, in one call on the `io` lane (one hop per
    /// `batchBytes`, not per network chunk).
    func flush() async throws {
        guard unwritten.readableBytes > 0 else { return }
        let batch = unwritten
        unwritten.clear()
        do {
            let handle = handle
            try await io.run { try batch.withUnsafeReadableBytes { try handle.write(contentsOf: $0) } }
        } catch {
            throw APIError(status: .init(code: 507, reasonPhrase: "Insufficient Storage"), code: "STORAGE_ERROR", message: "could not write the upload: \(error.localizedDescription)")
        }
    }
}
