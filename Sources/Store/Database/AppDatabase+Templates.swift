import Foundation
import GRDB

extension AppDatabase {
    /// Saves a new template. Throws `StoreError.notFound("project")` or `("timeline")` when a
    /// referenced project or timeline is not the user's.
    public func insertTemplate(_ template: TemplateRecord) async throws -> TemplateRecord {
        try await write { db in
            if let projectId = template.projectId, try Project.filter(id: projectId).owned(by: template.userId).isEmpty(db) {
                throw StoreError.notFound("project")
            }
            if let timelineId = template.timelineId, try TimelineRecord.filter(id: timelineId).owned(by: template.userId).isEmpty(db) {
                throw StoreError.notFound("timeline")
            }
            var stored = template
            let now = Date.databaseNow()
            stored.createdAt = now
            stored.updatedAt = now
            try stored.insert(db)
            return stored
        }
    }

    /// The user's templates, most recently edited first.
    public func templates(userId: String, page: Int = 1, limit: Int = 50) async throws -> Page<TemplateRecord> {
        let request = TemplateRecord.all().owned(by: userId).order(TemplateRecord.Columns.updatedAt.desc, TemplateRecord.Columns.id.desc)
        return try await self.page(request, page: page, limit: limit)
    }

    /// One of the user's templates; nil when absent or someone else's.
    public func template(id: String, userId: String) async throws -> TemplateRecord? {
        try await read { db in try TemplateRecord.filter(id: id).owned(by: userId).fetchOne(db) }
    }

    /// Changes one of the user's templates (name and fields) and stamps `updatedAt`; nil when absent
    /// or someone else's.
    public func updateTemplate(id: String, userId: String, name: String?, fields: String?) async throws -> TemplateRecord? {
        try await write { db in
            guard var template = try TemplateRecord.filter(id: id).owned(by: userId).fetchOne(db) else { return nil }
            try template.updateChanges(db) {
                if let name { $0.name = name }
                if let fields { $0.fields = fields }
                $0.updatedAt = .databaseNow()
            }
            return template
        }
    }

    /// Deletes one of the user's templates (its renders and batches keep their documents and lose
    /// only the link). False when absent or someone else's.
    public func deleteTemplate(id: String, userId: String) async throws -> Bool {
        try await write { db in try TemplateRecord.filter(id: id).owned(by: userId).deleteAll(db) > 0 }
    }
}
