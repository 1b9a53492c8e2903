import GRDB

extension AppDatabase {
    /// What the start-up sweep keeps: every user id, and `userId/assetId` and `userId/renderId` of
    /// every asset and render row. A blob under a known user with neither row is an orphan.
    public func blobOwners() async throws -> (users: Set<String>, assets: Set<String>, renders: Set<String>) {
        try await read { db in
            let users = try Set(String.fetchAll(db, sql: "SELECT id FROM user"))
            let assets = try Set(String.fetchAll(db, sql: "SELECT userId || '/' || id FROM asset"))
            let renders = try Set(String.fetchAll(db, sql: "SELECT userId || '/' || id FROM render"))
            return (users, assets, renders)
        }
    }
}
