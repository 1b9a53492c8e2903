import Foundation
import Hummingbird
import Store

/// `/batches`: the caller's batches; `/batches/{id}`: counts per status, cancel, retry the failed, and the ZIP of the outputs.
/// Its event stream is `BatchController+Events.swift`.
struct BatchController {
    let database: AppDatabase
    let blobs: any BlobStore
    let queue: RenderQueue
    let events: RenderEvents
    /// Reading output files for the archive.
    let io: BlockingWork

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("batches", use: list)
        group.get("batches/:batchId", use: get)
        group.get("batches/:batchId/events", use: stream)
        group.post("batches/:batchId/cancel", use: cancel)
        group.post("batches/:batchId/retry", use: retry)
        group.get("batches/:batchId/archive", use: archive)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIResponse.json(try await snapshot(try await requireBatch(context)), context: context)
    }

    /// The caller's batches, newest first, each with its counts; `?templateId=` and `?mixId=`
    /// filter (another user's ids match nothing, as unknown ones).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (page, limit) = try request.pageParameters()
        let query = request.uri.queryParameters
        let result = try await database.batches(
            userId: userId, templateId: query["templateId"].map(String.init), mixId: query["mixId"].map(String.init), page: page, limit: limit)
        let counts = try await database.batchCounts(ids: result.items.map(\.id))
        return try APIResponse.page(result, context: context) { BatchSnapshot($0, counts: counts[$0.id] ?? [:]) }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await requireBatch(context)
        guard try await queue.cancelBatch(batch.id) else {
            throw APIError(status: .conflict, code: "ALREADY_FINISHED", message: "every render of the batch has already ended")
        }
        return try APIResponse.json(try await snapshot(try await database.batch(id: batch.id) ?? batch), status: .accepted, context: context)
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await requireBatch(context)
        guard try await queue.retryBatch(batch) > 0 else {
            throw APIError(status: .conflict, code: "NOTHING_TO_RETRY", message: "no render of the batch failed or was cancelled")
        }
        return try APIResponse.json(try await snapshot(try await database.batch(id: batch.id) ?? batch), status: .accepted, context: context)
    }

    func snapshot(_ batch: BatchRecord) async throws -> BatchSnapshot {
        BatchSnapshot(batch, counts: try await database.batchCounts(id: batch.id))
    }

    func requireBatch(_ context: AppRequestContext) async throws -> BatchRecord {
        let userId = try context.userId
        let id = try context.parameters.require("batchId")
        guard let batch = try await database.batch(id: id, userId: userId) else { throw APIError.notFound("batch") }
        return batch
    }

    /// `?name=COLUMN`: a ZIP of the finished outputs in row order, each named by its row's value in
    /// that column (sanitised, made unique), streamed file by file from the blob store: the archive
    /// is never held whole in memory or on disk.
    @Sendable func archive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batch = try await requireBatch(context)
        let column = request.uri.queryParameters["name"].map(String.init)
        if let column {
            let columns = (try? JSONDecoder().decode([String].self, from: Data(batch.columns.utf8))) ?? []
            guard columns.contains(column) else {
                throw APIError.badRequest("query parameter 'name' must be one of the batch's columns: \(columns.joined(separator: ", "))")
            }
        }
        guard (try await database.batchCounts(id: batch.id))[.completed] ?? 0 > 0 else {
            throw APIError(status: .notFound, code: "NOT_READY", message: "no render of the batch has finished yet")
        }
        let (database, blobs, io, batchId) = (database, blobs, io, batch.id)
        let headers: HTTPFields = [
            .contentType: "application/zip",
            .contentDisposition: "attachment; filename=\"batch-\(batch.id).zip\"",
            .cacheControl: "no-store",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var zip = ZipStream()
            var names = ArchiveNames()
            var after = -1
            while true {
                let page = try await database.batchRenders(id: batchId, status: .completed, after: after, limit: 100)
                guard let last = page.last else { break }
                after = last.batchIndex ?? Int.max
                for render in page {
                    guard let raw = render.outputKey else { continue }
                    let file = try await blobs.localFile(for: try BlobKey(validating: raw))
                    let handle = try await io.run { try FileHandle(forReadingFrom: file) }
                    defer { try? handle.close() }
                    let size = try await io.run { try handle.seekToEnd() }
                    try await io.run { try handle.seek(toOffset: 0) }
                    let base = column.flatMap { Self.value(of: $0, in: render) } ?? ""
                    let name = names.unique(base, fallback: "render-\((render.batchIndex ?? 0) + 1)", ext: render.format)
                    try await writer.write(zip.begin(name: name, size: size))
                    var crc = CRC32()
                    var written: UInt64 = 0
                    while true {
                        let chunk = try await io.run { try handle.read(upToCount: 1 << 20) ?? Data() }
                        if chunk.isEmpty { break }
                        chunk.withUnsafeBytes { crc.update($0) }
                        written += UInt64(chunk.count)
                        zip.wrote(chunk.count)
                        try await writer.write(ByteBuffer(data: chunk))
                    }
                    try await writer.write(zip.end(crc: crc.value, size: written))
                }
            }
            try await writer.write(zip.finish())
            try await writer.finish(nil)
        })
    }

    /// A row's value in `column`, from the values it was rendered with.
    static func value(of column: String, in render: RenderRecord) -> String? {
        guard let text = render.templateValues,
              let values = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return nil }
        return values[column]
    }
}

/// File names inside an archive: no path separators, control characters or characters Windows
/// refuses, no leading dots, at most 100 characters, and unique (case-insensitively) by a ` (2)` suffix.
struct ArchiveNames {
    private var used: Set<String> = []

    static func sanitize(_ name: String) -> String {
        let refused = Set("/\\:*?\"<>|")
        var cleaned = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        cleaned = String(cleaned.map { refused.contains($0) ? "_" : $0 })
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        return String(cleaned.prefix(100)).trimmingCharacters(in: .whitespaces)
    }

    mutating func unique(_ name: String, fallback: String, ext: String) -> String {
        var base = Self.sanitize(name)
        if base.isEmpty { base = fallback }
        var candidate = "\(base).\(ext)"
        var n = 2
        while !used.insert(candidate.lowercased()).inserted {
            candidate = "\(base) (\(n)).\(ext)"
            n += 1
        }
        return candidate
    }
}
