import Foundation
import Hummingbird
import TimelineModel
import Store

/// `POST /mixes/{id}/variants`: `{seed, count?, dryRun?, webhookUrl?}`. A dry run (the default:
/// rendering costs queue time) answers the planned variants, each with the clips it uses, its
/// duration and its timeline document; `"dryRun": false` renders them as one batch
/// (`GET /batches/{id}`, its events and archive).
struct MixVariantsController {
    let database: AppDatabase
    let mixes: MixController
    let sources: AssetSources
    let queue: RenderQueue
    let documents: BlockingWork
    let preparation: RenderPreparation
    let webhooks: RenderController.WebhookPolicy

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("mixes/:mixId/variants", use: variants)
    }

    @Sendable func variants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let (body, json) = try await JSONBody.read(MixVariantsRequest.self, from: request, context: context)
        let submission = try BatchSubmission(request, bodyHash: json.canonicalHash)
        // A retry answers the batch it queued even if the mix has changed or gone since.
        if body.dryRun == false, let earlier = try await submission.earlier(userId: userId, database: database) {
            return try await BatchSubmission.accepted(earlier, replayed: true, database: database, context: context)
        }
        let record = try await mixes.requireMix(context)
        let seed = try Self.seed(body.seed)
        let webhookUrl = try webhooks.check(body.webhookUrl)
        let mix: MixVariants
        do {
            mix = try await mixes.checked(MixController.members(of: record), userId: userId, name: record.name)
        } catch let error as APIError where error.status == .unprocessableContent {
            // The stored mix was fine when saved; an asset it names has gone since.
            throw APIError(status: .conflict, code: "MIX_INVALID", message: "the mix no longer checks (\(error.message)); edit it first", details: error.details)
        }
        let count = try mix.resolvedCount(body.count?.count(maxVariants: mixes.maxVariants), pointer: "/count")
        let planned = try await documents.run { mix.plan(count: count, seed: seed) }
        if body.dryRun ?? true {
            let answer = MixPlanDTO(mixId: record.id, seed: seed, combinations: mix.generator.combinations, mix: mix, planned: planned)
            return try APIResponse.json(answer, context: context)
        }
        return try await render(record, mix: mix, planned: planned, webhookUrl: webhookUrl, submission: submission, userId: userId, context: context)
    }

    /// Every document through the same checks as any render, then one batch (refused whole).
    private func render(
        _ record: MixRecord, mix: MixVariants, planned: [MixVariants.Planned], webhookUrl: String?, submission: BatchSubmission,
        userId: String, context: AppRequestContext
    ) async throws -> Response {
        let timelines = try await documents.run { () throws -> [Timeline] in
            // Built from checked parts, so a problem here is the generator's; still a 422, never a 500.
            try planned.map { variant in
                guard let reading = try? TimelineDocument.read(TemplateSchema.serialize(variant.document)), reading.issues.isEmpty else {
                    throw APIError.invalid("variant \(variant.index) is not a valid document", details: [.init(path: "/variants/\(variant.index)/document", message: "not a valid timeline")])
                }
                return reading.timeline
            }
        }
        let references = Array(Set(timelines.flatMap(\.sourceReferences))).sorted()
        let resolve = try await sources.resolver(sources: references, userId: userId)
        let preparation = preparation
        let prepared = try await documents.run { () throws -> [RenderPreparation.Prepared] in
            var problems: [APIError.Detail] = []
            var result: [RenderPreparation.Prepared] = []
            for (index, timeline) in timelines.enumerated() {
                do {
                    result.append(try preparation.prepare(timeline, merge: [:], resolve: resolve))
                } catch let error as APIError {
                    let details = error.details.isEmpty ? [APIError.Detail(path: "", message: error.message)] : error.details
                    problems += details.map { .init(path: "/variants/\(index)/document" + $0.path, message: $0.message) }
                }
            }
            guard problems.isEmpty else { throw APIError.invalid("\(problems.count) problem\(problems.count == 1 ? "" : "s") in the variants; nothing was queued", details: problems) }
            return result
        }
        let batchId = Identifier.make()
        let renders = zip(planned, prepared).map { variant, render in
            RenderRecord(
                id: Identifier.make(), userId: userId, format: render.format, document: render.document,
                webhookUrl: nil, workloadHours: render.hours, batchId: batchId, batchIndex: variant.index,
                templateValues: TemplateRenderController.encode(["variant": String(variant.index + 1), "clips": mix.describe(variant)]))
        }
        // The archive can name files by either column (`?name=variant` or `?name=clips`).
        let (batch, created) = try await queue.submitBatch(
            BatchRecord(
                id: batchId, userId: userId, templateId: nil, mixId: record.id, total: renders.count, columns: #"["variant","clips"]"#,
                webhookUrl: webhookUrl, idempotencyKey: submission.key, requestHash: submission.requestHash),
            renders: renders)
        return try await BatchSubmission.accepted(batch, replayed: !created, database: database, context: context)
    }

    /// 0...2^53 (what every JSON reader keeps exact); 0 when not sent.
    static func seed(_ value: Double?) throws -> UInt64 {
        guard let value else { return 0 }
        guard value >= 0, value <= 9_007_199_254_740_992, value.rounded() == value else {
            throw APIError.invalid("'seed' must be an integer 0...2^53", details: [.init(path: "/seed", message: "expected an integer 0...9007199254740992")])
        }
        return UInt64(value)
    }
}

/// `POST /mixes/{id}/variants`.
struct MixVariantsRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case seed, count, dryRun, webhookUrl }
    typealias Keys = CodingKeys
    var seed: Double?
    var count: CountValue?
    var dryRun: Bool?
    var webhookUrl: String?

    /// An integer or `"all"`.
    struct CountValue: Decodable {
        var value: Double?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text == "all" {
                value = nil
            } else {
                value = try container.decode(Double.self)
            }
        }

        func count(maxVariants: Int) throws -> MixSpec.Count {
            guard let value else { return .all(cap: maxVariants) }
            guard value.rounded() == value, value >= 1, value <= Double(maxVariants) else {
                throw APIError.invalid("'count' must be an integer 1...\(maxVariants) or \"all\"", details: [.init(path: "/count", message: "expected an integer 1...\(maxVariants) or \"all\"")])
            }
            return .exactly(Int(value))
        }
    }
}

extension MixVariants {
    /// `hook:Intro A + body:Demo 2`: the clips a variant plays, for archive names and lists.
    func describe(_ variant: Planned) -> String {
        variant.clips.map { "\(spec.groups[$0.group].name):\(clips[$0.group][$0.clip].label)" }.joined(separator: " + ")
    }
}

/// A dry run's answer: the planned variants, nothing queued.
struct MixPlanDTO: Encodable {
    struct Clip: Encodable {
        var group: String
        var src: String
        var label: String
        var start: Double
        var trim: Double
        var length: Double
    }

    struct Variant: Encodable {
        var index: Int
        var clips: [Clip]
        var duration: Double
        var text: String?
        /// The variant as a timeline document: `POST /timelines/frame` previews any frame of it.
        var document: DocumentJSON
    }

    var mixId: String
    var seed: UInt64
    /// Distinct variants the mix can make.
    var combinations: Int
    var count: Int
    var variants: [Variant]

    init(mixId: String, seed: UInt64, combinations: Int, mix: MixVariants, planned: [MixVariants.Planned]) {
        self.mixId = mixId
        self.seed = seed
        self.combinations = combinations
        count = planned.count
        variants = planned.map { variant in
            var startMs = 0
            let clips = variant.clips.map { used -> Clip in
                let clip = mix.clips[used.group][used.clip]
                defer { startMs += clip.lengthMs }
                return Clip(group: mix.spec.groups[used.group].name, src: "asset:" + clip.assetId, label: clip.label,
                            start: Double(startMs) / 1000, trim: clip.trim, length: Double(clip.lengthMs) / 1000)
            }
            return Variant(index: variant.index, clips: clips, duration: Double(variant.durationMs) / 1000, text: variant.text, document: DocumentJSON(value: variant.document))
        }
    }
}
