import Foundation
import GRDB

extension AppDatabase {
    /// Saves a new mix.
    public func insertMix(_ mix: MixRecord) async throws -> MixRecord {
        try await write { db in
            var stored = mix
            let now = Date.databaseNow()
            stored.createdAt = now
            stored.updatedAt = now
            try stored.insert(db)
            return stored
        }
    }

    /// The user's mixes, most recently edited first.
    public func mixes(userId: String, page: Int = 1, limit: Int = 50) async throws -> Page<MixRecord> {
        let request = MixRecord.all().owned(by: userId).order(MixRecord.Columns.updatedAt.desc, MixRecord.Columns.id.desc)
        return try await self.page(request, page: page, limit: limit)
    }

    /// One of the user's mixes; nil when absent or someone else's.
    public func mix(id: String, userId: String) async throws -> MixRecord? {
        try await read { db in try MixRecord.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// Changes one of the user's mixes and stamps `updatedAt`; nil when absent or someone else's.
    public func updateMix(id: String, userId: String, name: String?, spec: String?) async throws -> MixRecord? {
        try await write { db in
            guard var mix = try MixRecord.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            try mix.updateChanges(db) {
                if let name { $0.name = name }
                if let spec { $0.spec = spec }
                $0.updatedAt = .databaseNow()
            }
            return mix
        }
    }

    /// Deletes one of the user's mixes (batches rendered from it keep their renders). False when
    /// absent or someone else's.
    public func deleteMix(id: String, userId: String) async throws -> Bool {
        try await write { db in try MixRecord.filter(id: id).owned(by: userId).deleteAll(db) > 0 }
    }
}
