import Foundation
import Logging
import Store

/// At start, removes files whose asset or render row is gone (a crash between deleting a row and
/// its files, or between storing a file and its row). Only under users this database knows, so a
/// bucket shared with another server is never touched, and only files written before this process
/// started, so an upload or render finishing meanwhile is never taken for an orphan.
enum OrphanSweep {
    static func run(database: AppDatabase, blobs: any BlobStore, startedAt: Date, logger: Logger) async {
        do {
            let owners = try await database.blobOwners()
            var removed: Set<String> = []
            for blob in try await blobs.list(prefix: "users/") {
                guard let modified = blob.modified, modified < startedAt,
                      let folder = orphanFolder(of: blob.key, owners: owners), !removed.contains(folder) else { continue }
                try await blobs.deleteAll(prefix: folder)
                removed.insert(folder)
            }
            if !removed.isEmpty { logger.info("removed orphaned files", metadata: ["folders": "\(removed.count)"]) }
        } catch {
            logger.warning("could not sweep orphaned files", metadata: ["error": "\(error)"])
        }
    }

    /// `users/u/assets/a/` or `users/u/renders/r/` when `key` lies in such a folder of a known user
    /// whose row is gone; nil for anything else.
    static func orphanFolder(of key: String, owners: (users: Set<String>, assets: Set<String>, renders: Set<String>)) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "users", owners.users.contains(String(parts[1])) else { return nil }
        let owned = "\(parts[1])/\(parts[3])"
        switch parts[2] {
        case "assets": return owners.assets.contains(owned) ? nil : "users/\(parts[1])/assets/\(parts[3])/"
        case "renders": return owners.renders.contains(owned) ? nil : "users/\(parts[1])/renders/\(parts[3])/"
        default: return nil
        }
    }
}
