import Foundation
import Hummingbird
import MultipartKit
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

        if let boundary = Self.multipartBoundary(request.headers[.contentType]) {
            let filename = try await receiveMultipart(request.body, boundary: boundary, sink: sink)
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

    private func receiveMultipart(_ body: RequestBody, boundary: String, sink: FileSink) async throws -> String {
        let parser = MultipartParser(boundary: boundary)
        let part = PartState()
        parser.onHeader = { name, value in part.header(name: name, value: value) }
        parser.onBody = { buffer in
            guard part.isFile else { return }
            part.pending.append(buffer)
        }
        parser.onPartComplete = { part.complete() }

        var guardrail = MultipartHeaderGuard(boundary: boundary)
        for try await chunk in body {
            guard guardrail.isSafe(chunk) else {
                throw APIError.badRequest("malformed multipart body: a part's header name is not ASCII")
            }
            do {
                try parser.execute(chunk)
            } catch {
                throw APIError.badRequest("malformed multipart body")
            }
            if let error = part.error { throw error }
            if let filename = part.filename { try await sink.named(filename) }
            for buffer in part.pending { try await sink.write(buffer) }
            part.pending.removeAll(keepingCapacity: true)
        }
        guard let filename = part.completedFilename else {
            throw APIError.badRequest(part.sawFile ? "the upload ended before the file was complete" : "multipart body has no 'file' field")
        }
        return filename
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
            // RFC 2046: 1 to 70 characters. MultipartParser traps on an empty boundary.
            guard (1...70).contains(value.count) else { return nil }
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

/// What the multipart parser has told us about the part being read.
private final class PartState {
    var headers: [String: String] = [:]
    var pending: [ByteBuffer] = []
    var isFile = false
    var sawFile = false
    var filename: String?
    var completedFilename: String?
    var error: APIError?

    func header(name: String, value: String) {
        headers[name.lowercased()] = value
        guard name.lowercased() == "content-disposition" else { return }
        let parameters = Self.parameters(value)
        guard parameters["name"] == "file" else { return }
        if sawFile {
            error = .badRequest("send one file per request")
            return
        }
        isFile = true
        sawFile = true
        filename = parameters["filename"] ?? "upload"
    }

    func complete() {
        if isFile { completedFilename = filename }
        isFile = false
        headers = [:]
    }

    /// `form-data; name="file"; filename="a.mp4"` → ["name": "file", "filename": "a.mp4"].
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            var v = pair[1]
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            result[pair[0].lowercased()] = v
        }
        return result
    }
}
