import Foundation
import GRDB

extension AppDatabase {
    /// Saves a new timeline at version 1. Throws `StoreError.notFound("project")` unless the project
    /// exists and is the user's.
    public func createTimeline(projectId: String, userId: String, name: String, document: String) async throws -> TimelineRecord {
        try await write { db in
            guard try Project.filter(id: projectId).owned(by: userId).isEmpty(db) == false else {
                throw StoreError.notFound("project")
            }
            let now = Date.databaseNow()
            let timeline = TimelineRecord(
                id: Identifier.make(), userId: userId, projectId: projectId, name: name, version: 1,
                document: document, createdAt: now, updatedAt: now)
            try timeline.insert(db)
            return timeline
        }
    }

    /// The timelines of one of the user's projects, most recently edited first.
    public func timelines(projectId: String, userId: String, page: Int = 1, limit: Int = 50) async throws -> Page<TimelineRecord> {
        let request = TimelineRecord.all().owned(by: userId).inProject(projectId).recentlyUpdatedFirst()
        return try await self.page(request, page: page, limit: limit)
    }

    /// One of the user's timelines; nil when absent or someone else's.
    public func timeline(id: String, userId: String) async throws -> TimelineRecord? {
        try await read { db in try TimelineRecord.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// Replaces a timeline's document (and name, when given) if it is still at `expectedVersion`,
    /// and bumps the version. Throws `StoreError.notFound("timeline")` when absent or someone
    /// else's, `StoreError.versionConflict` when another write got there first.
    public func updateTimeline(
        id: String, userId: String, expectedVersion: Int, name: String? = nil, document: String
    ) async throws -> TimelineRecord {
        try await write { db in
            guard var timeline = try TimelineRecord.filter(id: id).owned(by: userId).fetchOne(db) else {
                throw StoreError.notFound("timeline")
            }
            guard timeline.version == expectedVersion else {
                throw StoreError.versionConflict(expected: expectedVersion, current: timeline.version)
            }
            try timeline.updateChanges(db) {
                if let name { $0.name = name }
                $0.document = document
                $0.version += 1
                $0.updatedAt = .databaseNow()
            }
            return timeline
        }
    }

    /// Deletes one of the user's timelines (renders made from it keep their own copy of the document
    /// and lose only the link). False when absent or someone else's.
    public func deleteTimeline(id: String, userId: String) async throws -> Bool {
        try await write { db in
            try TimelineRecord.filter(id: id).owned(by: userId).deleteAll(db) > 0
        }
    }

    /// The user's timelines whose document contains `text` (a cheap first pass, case-insensitive
    /// like LIKE: the caller reads the documents to find where).
    public func timelines(containing text: String, userId: String) async throws -> [TimelineRecord] {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return try await read { db in
            try TimelineRecord.all().owned(by: userId)
                .filter(sql: "document LIKE ? ESCAPE '\\'", arguments: ["%" + escaped + "%"])
                .order(TimelineRecord.Columns.id)
                .fetchAll(db)
        }
    }
}
