import Foundation
import Hummingbird
import TimelineModel
import Store

/// `/templates`: save a timeline (or a document) as a template with a typed field schema, list,
/// read, edit the schema, delete. Rendering is `TemplateRenderController`.
struct TemplateController {
    let database: AppDatabase
    /// Parsing documents and deriving schemas.
    let documents: BlockingWork

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("templates", use: create)
        group.get("templates", use: list)
        group.get("templates/:templateId", use: get)
        group.patch("templates/:templateId", use: patch)
        group.delete("templates/:templateId", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (body, raw) = try await JSONBody.read(TemplateCreateRequest.self, from: request, context: context)
        let name = try Self.validName(body.name) ?? "Untitled template"
        var projectId: String?
        var timelineId: String?
        let data: Data
        switch (try JSONBody.bounded(body.timelineId, "timelineId", maxLength: 64), body.document?.data) {
        case (let id?, nil):
            guard let timeline = try await database.timeline(id: id, userId: userId) else { throw APIError.notFound("timeline") }
            data = Data(timeline.document.utf8)
            projectId = timeline.projectId
            timelineId = id
        case (nil, let document?):
            // `RawJSON` went through JSONSerialization, which forgets key order; the body as sent keeps it.
            if case .object(let members)? = try? JSONParser.parse(raw.bytes), let value = members.last(where: { $0.key == "document" })?.value {
                data = TemplateSchema.serialize(value)
            } else {
                data = document
            }
        case (.some, .some):
            throw APIError.invalid("send either 'timelineId' or 'document', not both", details: [.init(path: "/document", message: "conflicts with /timelineId")])
        case (nil, nil):
            throw APIError.invalid("'timelineId' or 'document' is required", details: [.init(path: "/timelineId", message: "is required")])
        }
        let (document, fields) = try await documents.run { try Self.schema(of: data) }
        let record = try await database.insertTemplate(TemplateRecord(
            id: Identifier.make(), userId: userId, projectId: projectId, timelineId: timelineId, name: name,
            document: document, fields: fields.storedJSON()))
        return try APIResponse.json(try await dto(record), status: .created, headers: [.location: "/api/v1/templates/\(record.id)"], context: context)
    }

    /// The compact document text and its derived fields; a 422 when placeholders conflict or the
    /// document is broken in places no value could mend (checked with stand-in values).
    static func schema(of data: Data) throws -> (document: String, fields: [TemplateField]) {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(data)
        } catch {
            throw APIError.invalid("the document is not JSON", details: [.init(path: "/document", message: error.message)])
        }
        let (fields, conflicts) = TemplateSchema.derive(parsed)
        guard conflicts.isEmpty else {
            throw APIError.invalid("placeholders conflict", details: conflicts.map { .init(path: "/document" + $0.path, message: $0.message) })
        }
        let (root, numbers) = TemplateSchema.normalizingMerge(parsed, fields: fields)
        guard numbers.isEmpty else {
            throw APIError.invalid("the document has \(numbers.count) problem\(numbers.count == 1 ? "" : "s")", details: numbers.map { .init(path: "/document" + $0.path, message: $0.message) })
        }
        var standIns: [String: String] = [:]
        for field in fields {
            switch field.type {
            case .text: standIns[field.name] = field.default?.text ?? "text"
            case .color: standIns[field.name] = "#000000"
            case .number: standIns[field.name] = field.default.flatMap { Double($0.text) == nil ? nil : $0.text } ?? "1"
            case .asset: standIns[field.name] = "asset:placeholder"
            }
        }
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let reading = try TimelineDocument.read(TemplateSchema.serialize(TemplateSchema.fill(root, fields: byName, values: standIns)))
        // Problems where a placeholder stands depend on the values; the rest are the template's.
        let own = reading.issues.map { TemplateRendering.attribute($0.path, $0.message, fields: fields, prefix: "") }
            .filter { $0.path.hasPrefix("/document") }
        guard own.isEmpty else { throw APIError.invalid("the document has \(own.count) problem\(own.count == 1 ? "" : "s")", details: own) }
        return (String(decoding: TemplateSchema.serialize(root), as: UTF8.self), fields)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (page, limit) = try request.pageParameters()
        let result = try await database.templates(userId: userId, page: page, limit: limit)
        let items = try await documents.run { try result.items.map(TemplateDTO.init) }
        return try APIResponse.page(Page(items: items, page: result.page, limit: result.limit, total: result.total), context: context) { $0 }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIResponse.json(try await dto(try await requireTemplate(context)), context: context)
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let current = try await requireTemplate(context)
        let body = try await JSONBody.read(TemplatePatchRequest.self, from: request, context: context).value
        let name = try Self.validName(body.name)
        var fields: String?
        if let definitions = body.fields {
            var edited = [TemplateField](storedJSON: current.fields)
            var problems: [APIError.Detail] = []
            for (index, definition) in definitions.enumerated() {
                let path = "/fields/\(index)"
                guard let at = edited.firstIndex(where: { $0.name == definition.name }) else {
                    problems.append(.init(path: path + "/name", message: "the document has no placeholder {{\(definition.name)}}"))
                    continue
                }
                let field = TemplateField(
                    name: definition.name, type: definition.type, kind: definition.kind, default: Self.normalized(definition.default, type: definition.type),
                    required: definition.required ?? false, maxLength: definition.maxLength, pattern: definition.pattern,
                    min: definition.min, max: definition.max, usedAt: edited[at].usedAt)
                let issues = try await Self.problems(of: field, userId: userId, database: database)
                problems += issues.map { .init(path: path + $0.path, message: $0.message) }
                edited[at] = field
            }
            guard problems.isEmpty else { throw APIError.invalid("the fields have \(problems.count) problem\(problems.count == 1 ? "" : "s")", details: problems) }
            fields = edited.storedJSON()
        }
        guard let record = try await database.updateTemplate(id: current.id, userId: userId, name: name, fields: fields) else {
            throw APIError.notFound("template")
        }
        return try APIResponse.json(try await dto(record), context: context)
    }

    /// What is wrong with an edited field: rules that do not fit its type, and a default that
    /// breaks its own rules. Paths are relative to the field.
    static func problems(of field: TemplateField, userId: String, database: AppDatabase) async throws -> [APIError.Detail] {
        var problems: [APIError.Detail] = []
        if field.type == .asset, field.kind == nil { problems.append(.init(path: "/kind", message: "an asset field needs a kind: video, audio, image, font or captions")) }
        if field.type != .asset, field.kind != nil { problems.append(.init(path: "/kind", message: "only asset fields have a kind")) }
        if field.type != .text, field.maxLength != nil || field.pattern != nil {
            problems.append(.init(path: field.maxLength != nil ? "/maxLength" : "/pattern", message: "only text fields have maxLength and pattern"))
        }
        if field.type != .number, field.min != nil || field.max != nil {
            problems.append(.init(path: field.min != nil ? "/min" : "/max", message: "only number fields have min and max"))
        }
        if let maxLength = field.maxLength, maxLength < 0 { problems.append(.init(path: "/maxLength", message: "must be 0 or more")) }
        if let min = field.min, let max = field.max, min > max { problems.append(.init(path: "/min", message: "is larger than max")) }
        if let pattern = field.pattern {
            if pattern.unicodeScalars.count > 1000 {
                problems.append(.init(path: "/pattern", message: "is longer than 1000 characters"))
            } else if (try? NSRegularExpression(pattern: pattern)) == nil {
                problems.append(.init(path: "/pattern", message: "is not a valid regular expression"))
            }
        }
        guard problems.isEmpty, let value = field.default else { return problems }
        var kinds: [String: Asset.Kind] = [:]
        if field.type == .asset, case .string(let text) = value {
            let id = TemplateValues.assetId(text)
            if id.count <= 64, let asset = try await database.asset(id: id, userId: userId) { kinds[id] = asset.kind }
        }
        if case .failure(let problem) = TemplateValues(fields: [field], assetKinds: kinds).check(value, field) {
            problems.append(.init(path: "/default", message: problem.message))
        }
        return problems
    }

    /// A number field's default as a JSON number whether it was sent as `48` or `"48"` (a text
    /// that is not a finite number stays as sent, for `problems(of:)` to refuse at `/default`).
    static func normalized(_ value: TemplateValue?, type: TemplateField.FieldType) -> TemplateValue? {
        guard type == .number, case .string(let text)? = value, let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
            return value
        }
        return .number(number)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("templateId")
        guard try await database.deleteTemplate(id: id, userId: userId) else { throw APIError.notFound("template") }
        return Response(status: .noContent)
    }

    static func validName(_ name: String?) throws -> String? {
        try JSONBody.bounded(name, "name", maxLength: 200).map(ProjectController.validName)
    }

    private func requireTemplate(_ context: AppRequestContext) async throws -> TemplateRecord {
        let userId = try context.userId
        let id = try context.parameters.require("templateId")
        guard let record = try await database.template(id: id, userId: userId) else { throw APIError.notFound("template") }
        return record
    }

    private func dto(_ record: TemplateRecord) async throws -> TemplateDTO {
        try await documents.run { try TemplateDTO(record) }
    }
}
