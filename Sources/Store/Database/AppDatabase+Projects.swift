import Foundation
import GRDB

/// What deleting a project removed from the database, so the caller can delete the matching blobs.
public struct DeletedProject: Sendable, Hashable {
    public var project: Project
    /// The project's assets as they were: their `storageKey` and `thumbnailKey` blobs are now orphans.
    public var assets: [Asset]
    /// The project's renders as they were: their `outputKey` blobs are now orphans, and any that were
    /// queued or rendering should be stopped.
    public var renders: [RenderRecord]

    public init(project: Project, assets: [Asset], renders: [RenderRecord]) {
        self.project = project
        self.assets = assets
        self.renders = renders
    }
}

extension AppDatabase {
    /// The single built-in user of a local installation (id `local`), created on first call.
    public func ensureLocalUser() async throws -> User {
        try await write { db in
            if let user = try User.fetchOne(db, id: User.localUserId) {
                return user
            }
            let user = User(
                id: User.localUserId, email: "local@cutroom.invalid", name: "Local user",
                createdAt: .databaseNow())
            try user.insert(db)
            return user
        }
    }

    /// A user by id.
    public func user(id: String) async throws -> User? {
        try await read { db in try User.fetchOne(db, id: id) }
    }

    /// Creates an empty project. Throws `StoreError.notFound("user")` for an unknown user.
    public func createProject(userId: String, name: String) async throws -> Project {
        try await write { db in
            guard try User.exists(db, id: userId) else { throw StoreError.notFound("user") }
            let now = Date.databaseNow()
            let project = Project(id: Identifier.make(), userId: userId, name: name, createdAt: now, updatedAt: now)
            try project.insert(db)
            return project
        }
    }

    /// The user's projects, newest first; `search` keeps those whose name contains it, ignoring case.
    public func projects(userId: String, search: String? = nil, page: Int = 1, limit: Int = 50) async throws -> Page<Project> {
        var request = Project.all().owned(by: userId)
        if let search, !search.isEmpty {
            request = request.matching(search: search)
        }
        return try await self.page(request.newestFirst(), page: page, limit: limit)
    }

    /// One of the user's projects; nil when absent or someone else's.
    public func project(id: String, userId: String) async throws -> Project? {
        try await read { db in try Project.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// Renames one of the user's projects; nil when absent or someone else's.
    public func renameProject(id: String, userId: String, name: String) async throws -> Project? {
        try await write { db in
            guard var project = try Project.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            try project.updateChanges(db) {
                $0.name = name
                $0.updatedAt = .databaseNow()
            }
            return project
        }
    }

    /// Deletes one of the user's projects with its assets, timelines and renders (by cascade), and
    /// returns what was removed; nil when absent or someone else's.
    public func deleteProject(id: String, userId: String) async throws -> DeletedProject? {
        try await write { db in
            guard let project = try Project.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            let assets = try Asset.all().inProject(id).oldestFirst().fetchAll(db)
            let renders = try RenderRecord.all().inProject(id).inQueueOrder().fetchAll(db)
            try project.delete(db)
            return DeletedProject(project: project, assets: assets, renders: renders)
        }
    }
}
