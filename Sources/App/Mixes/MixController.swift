import Foundation
import Hummingbird
import TimelineModel
import Store

/// `/mixes`: save, list, read, edit and delete mixes (groups of the caller's video clips and the
/// rules that cut them into variants). Generating and rendering is `MixVariantsController`.
struct MixController {
    let database: AppDatabase
    /// The most variants one mix may ask for (CUTROOM_BATCH_MAX_ROWS: they render as one batch).
    let maxVariants: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("mixes", use: create)
        group.get("mixes", use: list)
        group.get("mixes/:mixId", use: get)
        group.patch("mixes/:mixId", use: patch)
        group.delete("mixes/:mixId", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let members = try await Self.readObject(request, context: context)
        let name = try Self.name(members) ?? "Untitled mix"
        let spec = members.filter { $0.key != "name" }
        _ = try await checked(spec, userId: userId, name: name)
        let record = try await database.insertMix(MixRecord(
            id: Identifier.make(), userId: userId, name: name, spec: String(decoding: TemplateSchema.serialize(.object(spec)), as: UTF8.self)))
        return try APIResponse.json(try await dto(record), status: .created, headers: [.location: "/api/v1/mixes/\(record.id)"], context: context)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (page, limit) = try request.pageParameters()
        let result = try await database.mixes(userId: userId, page: page, limit: limit)
        var items: [MixDTO] = []
        for record in result.items { items.append(try await dto(record)) }
        return try APIResponse.page(Page(items: items, page: result.page, limit: result.limit, total: result.total), context: context) { $0 }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIResponse.json(try await dto(try await requireMix(context)), context: context)
    }

    /// Members sent replace the stored ones (`null` removes an optional one, e.g. `"text": null`);
    /// the result is checked whole.
    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let current = try await requireMix(context)
        let members = try await Self.readObject(request, context: context)
        let name = try Self.name(members)
        var spec = Self.members(of: current)
        for (key, value) in members where key != "name" {
            spec.removeAll { $0.key == key }
            if case .null = value { continue }
            spec.append((key, value))
        }
        _ = try await checked(spec, userId: userId, name: name ?? current.name)
        guard let record = try await database.updateMix(
            id: current.id, userId: userId, name: name, spec: String(decoding: TemplateSchema.serialize(.object(spec)), as: UTF8.self)) else {
            throw APIError.notFound("mix")
        }
        return try APIResponse.json(try await dto(record), context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("mixId")
        guard try await database.deleteMix(id: id, userId: userId) else { throw APIError.notFound("mix") }
        return Response(status: .noContent)
    }

    /// Reads, checks and measures a spec: the members, the caller's assets, output and text style.
    /// One 422 lists every problem.
    func checked(_ members: [(key: String, value: JSONValue)], userId: String, name: String) async throws -> MixVariants {
        let (spec, problems) = MixSpec.read(.object(members), maxVariants: maxVariants)
        guard let spec else { throw Self.refusal(problems) }
        var all = MixVariants.styleProblems(of: spec)
        var clips: [[MixVariants.Clip]] = []
        var assets: [String: Asset?] = [:]
        for group in spec.groups {
            var measured: [MixVariants.Clip] = []
            for (c, clip) in group.clips.enumerated() {
                let path = "/groups/\(group.sentIndex)/clips/\(c)"
                if assets[clip.assetId] == nil { assets[clip.assetId] = .some(try await database.asset(id: clip.assetId, userId: userId)) }
                guard let asset = assets[clip.assetId] ?? nil else {
                    all.append(.init(path: path + "/src", message: "no asset '\(clip.assetId)' of yours"))
                    continue
                }
                guard asset.kind == .video, asset.hasVideo, let duration = asset.duration else {
                    all.append(.init(path: path + "/src", message: "'\(clip.assetId)' is \(asset.kind == .audio || asset.kind == .image ? "an" : "a") \(asset.kind.rawValue) asset; a mix's clips are videos"))
                    continue
                }
                guard clip.trim < duration else {
                    all.append(.init(path: path + "/trim", message: "the source is \(duration) s long"))
                    continue
                }
                if let length = clip.length, clip.trim + length > duration + 0.0005 {
                    all.append(.init(path: path + "/length", message: "trim + length runs past the end of the \(duration) s source"))
                    continue
                }
                var seconds = clip.length ?? (duration - clip.trim)
                if let cap = group.maxLength { seconds = min(seconds, cap) }
                let lengthMs = Int((seconds * 1000).rounded(.down))
                guard lengthMs > 0 else {
                    all.append(.init(path: path + "/trim", message: "leaves less than a millisecond of the source"))
                    continue
                }
                measured.append(.init(assetId: clip.assetId, trim: clip.trim, lengthMs: lengthMs, label: clip.label ?? asset.name))
            }
            clips.append(measured)
        }
        guard all.isEmpty else { throw Self.refusal(all) }
        let variants = MixVariants(spec: spec, name: name, clips: clips)
        _ = try variants.resolvedCount(nil, pointer: "/count")
        return variants
    }

    static func refusal(_ problems: [APIError.Detail]) -> APIError {
        APIError.invalid("the mix has \(problems.count) problem\(problems.count == 1 ? "" : "s")", details: problems)
    }

    /// The body as one JSON object, through the strict reader's size and media-type checks.
    static func readObject(_ request: Request, context: AppRequestContext) async throws -> [(key: String, value: JSONValue)] {
        let data = try await JSONBody.collect(request, context: context, named: "request body")
        guard !data.isEmpty else { throw APIError.malformed("request body is empty; expected a JSON object") }
        guard let root = try? JSONParser.parse(data) else { throw APIError.malformed("request body is not valid JSON") }
        guard case .object(let members) = root else { throw APIError.malformed("request body must be a JSON object") }
        return members
    }

    static func name(_ members: [(key: String, value: JSONValue)]) throws -> String? {
        switch members.last(where: { $0.key == "name" })?.value {
        case nil: return nil
        case .string(let text)?: return try TemplateController.validName(text)
        case let other?: throw APIError.invalid("'name' must be a string", details: [.init(path: "/name", message: "expected a string, got \(other.typeName)")])
        }
    }

    static func members(of record: MixRecord) -> [(key: String, value: JSONValue)] {
        guard case .object(let members)? = try? JSONParser.parse(Data(record.spec.utf8)) else { return [] }
        return members
    }

    func requireMix(_ context: AppRequestContext) async throws -> MixRecord {
        let userId = try context.userId
        let id = try context.parameters.require("mixId")
        guard let record = try await database.mix(id: id, userId: userId) else { throw APIError.notFound("mix") }
        return record
    }

    /// A stored mix as the API shows it, with its number of distinct variants as it stands now
    /// (nil when an asset it names has since been deleted).
    private func dto(_ record: MixRecord) async throws -> MixDTO {
        let members = Self.members(of: record)
        let combinations = try? await checked(members, userId: record.userId, name: record.name).generator.combinations
        return MixDTO(record, members: members, combinations: combinations)
    }
}

/// A mix as the API shows it: the spec members as sent, plus its id, name and times.
struct MixDTO: Encodable {
    var id: String
    var name: String
    var groups: DocumentJSON?
    var order: DocumentJSON?
    var text: DocumentJSON?
    var output: DocumentJSON?
    var count: DocumentJSON?
    var cap: DocumentJSON?
    /// Distinct variants the mix can make; nil when it no longer checks (an asset was deleted).
    var combinations: Int?
    var createdAt: Date
    var updatedAt: Date

    init(_ record: MixRecord, members: [(key: String, value: JSONValue)], combinations: Int?) {
        func member(_ key: String) -> DocumentJSON? { members.last { $0.key == key }.map { DocumentJSON(value: $0.value) } }
        id = record.id
        name = record.name
        groups = member("groups")
        order = member("order")
        text = member("text")
        output = member("output")
        count = member("count")
        cap = member("cap")
        self.combinations = combinations
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
