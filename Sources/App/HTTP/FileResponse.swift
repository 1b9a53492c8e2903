import Foundation
import Hummingbird
import Store

/// Serves a local file with `Range` support (one range), content type and cache headers.
enum FileResponse {
    /// How long a presigned download link stays valid.
    static let downloadLifetime: Duration = .seconds(15 * 60)

    /// 302 to a blob's presigned URL; not cached, since the link expires.
    static func redirect(to url: URL) -> Response {
        Response(status: .found, headers: [.location: url.absoluteString, .cacheControl: "no-store"])
    }

    /// A stored blob: a 302 to its presigned URL where the store has them (S3), else the local file
    /// with ranges. `contentType` nil: by the file's extension.
    static func blob(
        _ key: BlobKey, in blobs: any BlobStore, contentType: String?, downloadName: String?,
        request: Request, context: AppRequestContext, io: BlockingWork
    ) async throws -> Response {
        if let url = try await blobs.downloadURL(for: key, expires: downloadLifetime, contentDisposition: downloadName.map(contentDisposition)) {
            return redirect(to: url)
        }
        let file = try await blobs.localFile(for: key)
        return try await serve(
            path: file.path, contentType: contentType ?? Self.contentType(forExtension: file.pathExtension),
            request: request, context: context, io: io, downloadName: downloadName)
    }

    static func serve(
        path: String, contentType: String, request: Request, context: AppRequestContext, io: BlockingWork,
        cacheControl: String = "private, max-age=3600", downloadName: String? = nil
    ) async throws -> Response {
        let attributes = try? await io.run { () throws -> (size: Int64?, modified: Date?) in
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return ((attributes[.size] as? NSNumber)?.int64Value, attributes[.modificationDate] as? Date)
        }
        guard let size = attributes?.size else { throw APIError.notFound("file") }
        var headers: HTTPFields = [
            .contentType: contentType,
            .acceptRanges: "bytes",
            .cacheControl: cacheControl,
        ]
        if let modified = attributes?.modified {
            headers[.eTag] = "\"\(size)-\(Int(modified.timeIntervalSince1970 * 1000))\""
        }
        if let downloadName { headers[.contentDisposition] = contentDisposition(downloadName) }
        let io = FileIO()
        if let rangeHeader = request.headers[.range] {
            guard let range = parseRange(rangeHeader, size: size) else {
                headers[.contentRange] = "bytes */\(size)"
                throw APIError(status: .rangeNotSatisfiable, code: "RANGE_NOT_SATISFIABLE", message: "range '\(rangeHeader)' is outside the \(size)-byte file", headers: headers)
            }
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            if request.method == .head { return Response(status: .partialContent, headers: headers) }
            let body = try await io.loadFile(path: path, range: Int(range.lowerBound)...Int(range.upperBound), context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        headers[.contentLength] = String(size)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        let body = try await io.loadFile(path: path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `inline; filename="..."` with the characters that could break the header removed.
    static func contentDisposition(_ name: String) -> String {
        "inline; filename=\"\(name.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline })\""
    }

    /// One `bytes=` range (`a-b`, `a-`, `-n`), clamped to the file; nil when unsatisfiable or malformed.
    static func parseRange(_ header: String, size: Int64) -> ClosedRange<Int64>? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes="), size > 0 else { return nil }
        let spec = trimmed.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let startText = spec[spec.startIndex..<dash].trimmingCharacters(in: .whitespaces)
        let endText = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if startText.isEmpty {
            guard let suffix = Int64(endText), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int64(startText), start >= 0, start < size else { return nil }
        if endText.isEmpty { return start...(size - 1) }
        guard let end = Int64(endText), end >= start else { return nil }
        return start...min(end, size - 1)
    }

    /// Content type for a stored media file by its extension.
    static func contentType(forExtension ext: String) -> String {
        BlobKey.contentType(forExtension: ext)
    }
}
