import Foundation
import Hummingbird
import Logging
import Compiler
import Render
import TimelineModel
import Store

/// `/projects/{id}/assets` (streamed upload, list) and `/assets/{id}` (get, delete, content,
/// thumbnail, and the editor's waveform and filmstrip pictures).
struct AssetController {
    let database: AppDatabase
    let blobs: any BlobStore
    let pictures: PictureRenderer
    /// Where uploads are probed, thumbnailed and checked: each may decode a large picture.
    let probes: BlockingWork
    /// File-system work.
    let io: BlockingWork
    let maxUploadBytes: Int64
    /// Largest picture an upload may declare (width × height), checked before decoding.
    let maxPicturePixels: Int
    /// Counts received upload bytes.
    let metrics: AppMetrics

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("projects/:projectId/assets", use: upload)
        group.get("projects/:projectId/assets", use: list)
        group.get("assets/:assetId", use: get)
        group.delete("assets/:assetId", use: delete)
        group.get("assets/:assetId/content", use: content)
        group.head("assets/:assetId/content", use: content)
        group.get("assets/:assetId/thumbnail", use: thumbnail)
        group.get("assets/:assetId/waveform", use: waveform)
        group.get("assets/:assetId/filmstrip", use: filmstrip)
    }

    /// `?width=&height=`: a PNG of the asset's whole sound (transparent around the wave). 404 without sound.
    @Sendable func waveform(_ request: Request, context: AppRequestContext) async throws -> Response {
        let width = try request.queryInteger("width", default: 1600, in: 64...8192)
        let height = try request.queryInteger("height", default: 96, in: 16...1024)
        let asset = try await requireAsset(context)
        return try await cachedPicture(asset, "waveform", missing: "the asset has no sound", name: "waveform-\(width)x\(height).png", contentType: "image/png", request: request, context: context) { source in
            AssetPictures.waveform(source, width: width, height: height)
        }
    }

    /// `?height=&count=`: a JPEG of `count` evenly spaced frames side by side. 404 without a picture.
    @Sendable func filmstrip(_ request: Request, context: AppRequestContext) async throws -> Response {
        let height = try request.queryInteger("height", default: 72, in: 16...720)
        let count = try request.queryInteger("count", default: 10, in: 1...60)
        let asset = try await requireAsset(context)
        return try await cachedPicture(asset, "filmstrip", missing: "the asset has no picture", name: "filmstrip-\(count)x\(height).jpg", contentType: "image/jpeg", request: request, context: context) { source in
            AssetPictures.filmstrip(source, count: count, height: height)
        }
    }

    /// Serves a picture stored next to the asset, drawing and storing it on first request; a 404
    /// naming `what` (and why: `missing`) when the asset has nothing to draw it from.
    private func cachedPicture(
        _ asset: Asset, _ what: String, missing: String, name: String, contentType: String, request: Request, context: AppRequestContext,
        plan: (ResolvedSource) -> RenderPlan?
    ) async throws -> Response {
        let key = try BlobKey(validating: BlobKey.assetPrefix(userId: asset.userId, assetId: asset.id) + name)
        if try await blobs.size(of: key) == nil {
            guard let info = MediaInfo(storedJSON: asset.mediaInfo) else {
                throw APIError.notFound(what)
            }
            let original = try await blobs.localFile(for: BlobKey(validating: asset.storageKey))
            guard let plan = plan(ResolvedSource(path: original.path, info: info)) else {
                throw APIError.notFound("\(what) (\(missing))")
            }
            let bytes = try await pictures.picture(plan, ext: URL(fileURLWithPath: name).pathExtension)
            let file = blobs.scratchDirectory.appendingPathComponent("\(asset.id)-\(UUID().uuidString)-\(name)")
            try await io.run { try bytes.write(to: file) }
            do {
                try await blobs.put(key, movingFile: file)
            } catch {
                try? await io.run { try FileManager.default.removeItem(at: file) }
                throw error
            }
        }
        let file = try await blobs.localFile(for: key)
        return try await FileResponse.serve(path: file.path, contentType: contentType, request: request, context: context, io: io)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let assetId = Identifier.make()
        let scratch = blobs.scratchDirectory
        let upload = scratch.appendingPathComponent("upload-\(assetId)")
        let thumb = scratch.appendingPathComponent("thumb-\(assetId).jpg")
        // Whatever happens, the scratch files go: on success they were moved into the store.
        let removeScratch = { [io, context] in
            do {
                try await io.run {
                    for file in [upload, thumb] where FileManager.default.fileExists(atPath: file.path) {
                        try FileManager.default.removeItem(at: file)
                    }
                }
            } catch {
                context.logger.warning("could not remove an upload's scratch files", metadata: ["asset": "\(assetId)", "error": "\(error)"])
            }
        }
        do {
            let response = try await receive(request, context: context, assetId: assetId, upload: upload, thumb: thumb)
            await removeScratch()
            return response
        } catch {
            await removeScratch()
            throw error
        }
    }

    /// Receives, checks and stores one upload into `upload` (and its thumbnail into `thumb`).
    private func receive(_ request: Request, context: AppRequestContext, assetId: String, upload: URL, thumb: URL) async throws -> Response {
        let userId = try context.userId
        let projectId = try context.parameters.require("projectId")
        guard try await database.project(id: projectId, userId: userId) != nil else { throw APIError.notFound("project") }
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > maxUploadBytes + 64 * 1024 {
            throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "the file is larger than the upload limit of \(maxUploadBytes / 1_048_576) MiB")
        }

        // With S3 the bytes go up while they arrive (multipart), and the one local copy, needed to
        // probe and thumbnail the file, becomes the render cache's copy afterwards.
        let mirror = MirrorSlot()
        let received: UploadReceiver.Received
        do {
            received = try await UploadReceiver(maxBytes: maxUploadBytes, io: io).receive(request, into: upload) { [blobs] filename in
                let key = try BlobKey.assetOriginal(userId: userId, assetId: assetId, ext: Self.fileExtension(filename))
                let writer = try await blobs.streamingWriter(for: key, contentType: FileResponse.contentType(forExtension: key.fileExtension))
                mirror.writer = writer
                return writer
            }
            guard received.size > 0 else {
                throw APIError(status: .badRequest, code: "EMPTY_UPLOAD", message: "the uploaded file is empty")
            }
            metrics.uploaded(bytes: received.size)
        } catch {
            await mirror.writer?.abort()
            throw error
        }
        let ext = Self.fileExtension(received.filename)
        let originalKey = try BlobKey.assetOriginal(userId: userId, assetId: assetId, ext: ext)
        let prefix = BlobKey.assetPrefix(userId: userId, assetId: assetId)
        do {
            if let writer = mirror.writer { _ = try await writer.finish() }
        } catch {
            await mirror.writer?.abort()
            throw error
        }
        // Captions and fonts are known by extension or content and checked by their own readers, never probed as media.
        let uploaded = upload
        if let content = try await probes.run({ UploadedMedia.nonMediaContent(of: uploaded, ext: ext) }) {
            let checked: UploadedMedia.Checked
            do {
                checked = try await UploadedMedia.check(content, path: upload.path, name: Self.displayName(received.filename), on: probes)
            } catch {
                if mirror.writer != nil { await discard(prefix, context: context) }
                throw error
            }
            let asset = Asset(
                id: assetId, userId: userId, projectId: projectId, name: Self.displayName(received.filename),
                kind: content == .font ? .font : .captions, size: received.size, duration: checked.duration, fontFamily: checked.family,
                storageKey: originalKey.rawValue, createdAt: Date())
            return try await store(asset, from: upload, key: originalKey, mirror: mirror, context: context)
        }
        let info: MediaInfo
        do {
            let path = upload.path
            let maxPixels = maxPicturePixels
            info = try await probes.run { try MediaProbe.probe(path: path, maxPixels: maxPixels) }
        } catch let error as RenderError {
            if mirror.writer != nil { await discard(prefix, context: context) }
            let reason: String
            if case .unsupportedMedia(_, let why) = error { reason = why } else { reason = error.description }
            throw UploadRefusal.unreadableMedia(name: Self.displayName(received.filename), reason: reason)
        }

        let kind: Asset.Kind = info.isImage ? .image : (info.hasVideo ? .video : .audio)
        var thumbnailKey: BlobKey?
        if info.hasVideo {
            do {
                let path = upload.path
                try await probes.run { try Thumbnailer.jpeg(path: path, maxWidth: 320).write(to: thumb) }
                let key = try BlobKey.assetThumbnail(userId: userId, assetId: assetId)
                try await blobs.put(key, movingFile: thumb)
                thumbnailKey = key
            } catch let error as StoreError {
                await discard(prefix, context: context)
                throw error
            } catch {
                // A file that probes but cannot be thumbnailed is still usable; the UI shows a placeholder.
                context.logger.warning("thumbnail failed", metadata: ["asset": "\(assetId)", "error": "\(error)"])
            }
        }
        let asset = Asset(
            id: assetId, userId: userId, projectId: projectId, name: Self.displayName(received.filename), kind: kind,
            size: received.size, duration: info.isImage ? nil : info.duration, width: info.width, height: info.height,
            fps: info.fps, hasVideo: info.hasVideo, hasAudio: info.hasAudio,
            mediaInfo: String(decoding: try JSONEncoder().encode(info), as: UTF8.self),
            storageKey: originalKey.rawValue, thumbnailKey: thumbnailKey?.rawValue, createdAt: Date()
        )
        return try await store(asset, from: upload, key: originalKey, mirror: mirror, context: context)
    }

    /// Moves the upload into the store (unless it was mirrored there while arriving) and records
    /// the asset; on failure nothing of it stays.
    private func store(_ asset: Asset, from upload: URL, key: BlobKey, mirror: MirrorSlot, context: AppRequestContext) async throws -> Response {
        do {
            if mirror.writer == nil { try await blobs.put(key, movingFile: upload) }
            try await database.insertAsset(asset)
        } catch {
            await discard(BlobKey.assetPrefix(userId: asset.userId, assetId: asset.id), context: context)
            throw error
        }
        if mirror.writer != nil { await blobs.keepLocalCopy(upload, of: key) }
        return try APIResponse.json(AssetDTO(asset), status: .created, headers: [.location: "/api/v1/assets/\(asset.id)"], context: context)
    }

    /// Deletes what a refused upload stored. The refusal is what the client hears; a failed clean-up
    /// (orphan blobs, costing only space) is logged with the prefix so it can be removed by hand.
    private func discard(_ prefix: String, context: AppRequestContext) async {
        do {
            try await blobs.deleteAll(prefix: prefix)
        } catch {
            context.logger.error("could not delete a refused upload's blobs", metadata: ["prefix": "\(prefix)", "error": "\(error)"])
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let projectId = try context.parameters.require("projectId")
        guard try await database.project(id: projectId, userId: userId) != nil else { throw APIError.notFound("project") }
        let (page, limit) = try request.pageParameters()
        var kind: Asset.Kind?
        if let raw = request.uri.queryParameters["kind"] {
            guard let parsed = Asset.Kind(rawValue: String(raw)) else {
                throw APIError.badRequest("query parameter 'kind' must be one of video, audio, image, font, captions")
            }
            kind = parsed
        }
        let result = try await database.assets(projectId: projectId, userId: userId, kind: kind, page: page, limit: limit)
        return try APIResponse.page(result, context: context, transform: AssetDTO.init)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIResponse.json(AssetDTO(try await requireAsset(context)), context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("assetId")
        let force = try request.queryBool("force", default: false)
        if !force {
            guard try await database.asset(id: id, userId: userId) != nil else { throw APIError.notFound("asset") }
            let src = "asset:" + id
            let records = try await database.timelines(containing: src, userId: userId)
            let uses = try await io.run { AssetUsage.find(src, in: records) }
            if !uses.isEmpty { throw APIError.assetInUse(uses) }
        }
        guard let asset = try await database.deleteAsset(id: id, userId: userId) else { throw APIError.notFound("asset") }
        try await blobs.deleteAll(prefix: BlobKey.assetPrefix(userId: asset.userId, assetId: asset.id))
        return Response(status: .noContent)
    }

    @Sendable func content(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asset = try await requireAsset(context)
        return try await FileResponse.blob(
            BlobKey(validating: asset.storageKey), in: blobs, contentType: nil, downloadName: asset.name,
            request: request, context: context, io: io)
    }

    @Sendable func thumbnail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asset = try await requireAsset(context)
        guard let raw = asset.thumbnailKey else { throw APIError.notFound("thumbnail") }
        return try await FileResponse.blob(
            BlobKey(validating: raw), in: blobs, contentType: "image/jpeg", downloadName: nil, request: request, context: context, io: io)
    }

    private func requireAsset(_ context: AppRequestContext) async throws -> Asset {
        let userId = try context.userId
        let id = try context.parameters.require("assetId")
        guard let asset = try await database.asset(id: id, userId: userId) else { throw APIError.notFound("asset") }
        return asset
    }

    /// The writer an upload is mirrored to, once the receiver has opened it. Used by one request's
    /// task only.
    final class MirrorSlot {
        var writer: (any BlobWriter)?
    }

    /// The file's own name for display: last path component, no control characters, bounded length.
    static func displayName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(255))
        return clean.isEmpty ? "upload" : clean
    }

    /// A safe storage extension: lowercase alphanumerics from the name, else `bin`.
    static func fileExtension(_ filename: String) -> String {
        let ext = URL(fileURLWithPath: displayName(filename)).pathExtension.lowercased()
        guard (1...10).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return "bin" }
        return ext
    }
}
