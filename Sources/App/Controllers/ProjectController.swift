import Foundation
import Hummingbird
import Store

/// `/projects`: create, list (with search), get, rename, delete.
struct ProjectController {
    let database: AppDatabase
    let blobs: any BlobStore
    let queue: RenderQueue

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("projects", use: list)
        group.post("projects", use: create)
        group.get("projects/:projectId", use: get)
        group.patch("projects/:projectId", use: rename)
        group.delete("projects/:projectId", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (page, limit) = try request.pageParameters()
        let search = request.uri.queryParameters["search"].map(String.init)
        let result = try await database.projects(userId: userId, search: search, page: page, limit: limit)
        return try APIResponse.page(result, context: context, transform: ProjectDTO.init)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let name = try await JSONBody.read(ProjectRequest.self, from: request, context: context).value.validName()
        let project = try await database.createProject(userId: userId, name: name)
        return try APIResponse.json(ProjectDTO(project), status: .created, headers: [.location: "/api/v1/projects/\(project.id)"], context: context)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("projectId")
        guard let project = try await database.project(id: id, userId: userId) else { throw APIError.notFound("project") }
        return try APIResponse.json(ProjectDTO(project), context: context)
    }

    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("projectId")
        let name = try await JSONBody.read(ProjectRequest.self, from: request, context: context).value.validName()
        guard let project = try await database.renameProject(id: id, userId: userId, name: name) else { throw APIError.notFound("project") }
        return try APIResponse.json(ProjectDTO(project), context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("projectId")
        guard try await database.project(id: id, userId: userId) != nil else { throw APIError.notFound("project") }
        // Its waiting and running renders stop first: one finishing after its row is gone would
        // leave an output file that nothing refers to.
        var active: [String] = []
        for status in [RenderRecord.Status.queued, .rendering] {
            active += try await database.renders(userId: userId, projectId: id, status: status, limit: 1000).items.map(\.id)
        }
        await queue.stop(active)
        guard let deleted = try await database.deleteProject(id: id, userId: userId) else { throw APIError.notFound("project") }
        // Rows are gone first (one transaction); blobs after, so a crash here leaves orphan files, never dangling rows.
        for asset in deleted.assets {
            try await blobs.deleteAll(prefix: BlobKey.assetPrefix(userId: asset.userId, assetId: asset.id))
        }
        for render in deleted.renders {
            if let key = render.outputKey { try await blobs.delete(BlobKey(validating: key)) }
        }
        return Response(status: .noContent)
    }

    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw APIError.invalid("'name' must not be empty", details: [.init(path: "/name", message: "must not be empty")])
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalid("'name' must not contain control characters", details: [.init(path: "/name", message: "contains control characters")])
        }
        return name
    }
}
