import Foundation
import GRDB

extension AppDatabase {
    /// Records an uploaded asset and returns it as stored (dates at database precision).
    /// Throws `StoreError.notFound("project")` unless the project exists and belongs to `asset.userId`.
    @discardableResult
    public func insertAsset(_ asset: Asset) async throws -> Asset {
        try await write { db in
            guard try Project.filter(id: asset.projectId).owned(by: asset.userId).isEmpty(db) == false else {
                throw StoreError.notFound("project")
            }
            // Read back so `createdAt` comes back at the precision the database keeps.
            return try asset.insertAndFetch(db)
        }
    }

    /// The assets of one of the user's projects, oldest first, optionally of one kind.
    public func assets(
        projectId: String, userId: String, kind: Asset.Kind? = nil, page: Int = 1, limit: Int = 50
    ) async throws -> Page<Asset> {
        var request = Asset.all().owned(by: userId).inProject(projectId)
        if let kind {
            request = request.filter(kind: kind)
        }
        return try await self.page(request.oldestFirst(), page: page, limit: limit)
    }

    /// One of the user's assets; nil when absent or someone else's.
    public func asset(id: String, userId: String) async throws -> Asset? {
        try await read { db in try Asset.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// Deletes one of the user's assets and returns the row as it was (its blobs are the caller's to
    /// delete); nil when absent or someone else's.
    public func deleteAsset(id: String, userId: String) async throws -> Asset? {
        try await write { db in
            guard let asset = try Asset.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            try asset.delete(db)
            return asset
        }
    }

    /// Records (or clears, with nil) the blob key of an asset's thumbnail.
    /// Throws `StoreError.notFound("asset")` when the asset is gone.
    public func setThumbnailKey(assetId: String, key: String?) async throws {
        try await write { db in
            let changed = try Asset.filter(id: assetId).updateAll(db) { $0.thumbnailKey.set(to: key) }
            guard changed == 1 else { throw StoreError.notFound("asset") }
        }
    }
}
