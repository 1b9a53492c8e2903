import Foundation
import Hummingbird
import Store

/// `POST /templates/{id}/renders`: `{values}` renders one video; `{rows}` (or a `text/csv` body
/// whose header row names the fields) queues a batch. Every value is checked first; `dryRun`
/// checks only (nothing is queued, no share of the queue is used).
struct TemplateRenderController {
    let database: AppDatabase
    let queue: RenderQueue
    let rendering: TemplateRendering
    let webhooks: RenderController.WebhookPolicy
    /// The most rows one batch may have (CUTROOM_BATCH_MAX_ROWS).
    let maxBatchRows: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("templates/:templateId/renders", use: render)
    }

    @Sendable func render(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try context.userId
        let id = try context.parameters.require("templateId")
        let body = try await Self.readBody(request, context: context)
        let submission = try BatchSubmission(request, bodyHash: body.hash)
        // A retry answers the batch it queued even if the template has changed or gone since.
        if body.rows != nil, body.values == nil, body.dryRun != true, let earlier = try await submission.earlier(userId: userId, database: database) {
            return try await BatchSubmission.accepted(earlier, replayed: true, database: database, context: context)
        }
        guard let template = try await database.template(id: id, userId: userId) else { throw APIError.notFound("template") }
        switch (body.values, body.rows) {
        case (let values?, nil):
            return try await renderOne(template, values: values, known: body.problems, dryRun: body.dryRun ?? false, webhookUrl: try webhooks.check(body.webhookUrl), submission: submission, userId: userId, context: context)
        case (nil, let rows?):
            return try await renderBatch(template, rows: rows, known: body.problems, columns: body.columns, dryRun: body.dryRun ?? false, webhookUrl: try webhooks.check(body.webhookUrl), submission: submission, userId: userId, context: context)
        case (.some, .some):
            throw APIError.invalid("send either 'values' (one render) or 'rows' (a batch), not both", details: [.init(path: "/rows", message: "conflicts with /values")])
        case (nil, nil):
            throw APIError.invalid("'values' or 'rows' is required", details: [.init(path: "/values", message: "is required")])
        }
    }

    private func renderOne(
        _ template: TemplateRecord, values: [String: TemplateValue], known: [Int: [APIError.Detail]], dryRun: Bool, webhookUrl: String?,
        submission: BatchSubmission, userId: String, context: AppRequestContext
    ) async throws -> Response {
        let row = try await rendering.prepare(template, rows: [values], known: known, userId: userId) { _ in "/values" }[0]
        if dryRun {
            struct Valid: Encodable { var valid = true; var values: [String: String] }
            return try APIResponse.json(Valid(values: row.values), context: context)
        }
        let record = RenderRecord(
            id: Identifier.make(), userId: userId, projectId: template.projectId, format: row.prepared.format,
            document: row.prepared.document, idempotencyKey: submission.key, requestHash: submission.requestHash,
            webhookUrl: webhookUrl, workloadHours: row.prepared.hours,
            templateId: template.id, templateValues: Self.encode(row.values))
        let (stored, created) = try await queue.submit(record)
        let position = await queue.queuePosition(of: stored.id)
        var headers: HTTPFields = [.location: "/api/v1/renders/\(stored.id)"]
        if !created { headers[.init("Idempotent-Replayed")!] = "true" }
        return try APIResponse.json(RenderSnapshot(stored, queuePosition: position), status: .accepted, headers: headers, context: context)
    }

    static func encode(_ values: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// What a request asked for, from a JSON body or a CSV upload.
    struct Body {
        var values: [String: TemplateValue]?
        var rows: [[String: TemplateValue]]?
        /// Problems found reading each row (index 0 for `values`), relative to the row.
        var problems: [Int: [APIError.Detail]] = [:]
        /// Column names in the order sent (CSV header, or first appearance in JSON rows).
        var columns: [String] = []
        var dryRun: Bool?
        var webhookUrl: String?
        /// What a retry with the same `Idempotency-Key` must repeat.
        var hash: String
    }

    /// A `text/csv` body is a batch (`?dryRun=true` and `?webhookUrl=` in the query); anything else
    /// goes through the strict JSON reader.
    static func readBody(_ request: Request, context: AppRequestContext) async throws -> Body {
        let media = request.headers[.contentType]?.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        if media == "text/csv" {
            let data: Data
            do {
                data = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw APIError(status: .contentTooLarge, code: "TOO_LARGE", message: "the CSV is larger than \(context.maxUploadSize / 1_048_576) MiB")
            }
            let table = try CSVTable.parse(data)
            let query = request.uri.queryParameters
            let dryRun = query["dryRun"].map { $0 == "true" || $0 == "1" }
            let webhookUrl = query["webhookUrl"].map(String.init)
            let hash = BatchSubmission.hash("text/csv\n\(webhookUrl ?? "")\n" + BatchSubmission.hash(data))
            return Body(rows: table.rows, problems: table.problems, columns: table.header, dryRun: dryRun, webhookUrl: webhookUrl, hash: hash)
        }
        let (dto, json) = try await JSONBody.read(TemplateRenderRequest.self, from: request, context: context)
        var columns: [String] = []
        var seen: Set<String> = []
        for row in dto.rows ?? [] {
            for key in row.values.keys.sorted() where seen.insert(key).inserted { columns.append(key) }
        }
        var problems: [Int: [APIError.Detail]] = [:]
        for (index, row) in (dto.rows ?? dto.values.map { [$0] } ?? []).enumerated() where !row.problems.isEmpty { problems[index] = row.problems }
        return Body(
            values: dto.values?.values, rows: dto.rows?.map(\.values), problems: problems, columns: columns, dryRun: dto.dryRun,
            webhookUrl: dto.webhookUrl, hash: "application/json\n" + json.canonicalHash)
    }
}

extension TemplateRenderController {
    /// Checks every row (refusing the whole batch with every problem), then stores the batch and
    /// its renders at once and hands it to the queue's feeder.
    func renderBatch(
        _ template: TemplateRecord, rows: [[String: TemplateValue]], known: [Int: [APIError.Detail]], columns: [String], dryRun: Bool,
        webhookUrl: String?, submission: BatchSubmission, userId: String, context: AppRequestContext
    ) async throws -> Response {
        guard !rows.isEmpty else { throw APIError.invalid("'rows' is empty", details: [.init(path: "/rows", message: "needs at least one row")]) }
        guard rows.count <= maxBatchRows else {
            throw APIError.invalid("a batch has at most \(maxBatchRows) rows (CUTROOM_BATCH_MAX_ROWS); this one has \(rows.count)", details: [.init(path: "/rows", message: "at most \(maxBatchRows) rows")])
        }
        let prepared = try await rendering.prepare(template, rows: rows, known: known, userId: userId) { "/rows/\($0)" }
        if dryRun {
            struct Valid: Encodable { var valid = true; var rows: Int }
            return try APIResponse.json(Valid(rows: prepared.count), context: context)
        }
        let batchId = Identifier.make()
        let renders = prepared.enumerated().map { index, row in
            RenderRecord(
                id: Identifier.make(), userId: userId, projectId: template.projectId, format: row.prepared.format,
                document: row.prepared.document, workloadHours: row.prepared.hours, templateId: template.id,
                batchId: batchId, batchIndex: index, templateValues: Self.encode(row.values))
        }
        let columnsJSON = (try? JSONEncoder().encode(columns)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let (batch, created) = try await queue.submitBatch(
            BatchRecord(
                id: batchId, userId: userId, templateId: template.id, total: renders.count, columns: columnsJSON, webhookUrl: webhookUrl,
                idempotencyKey: submission.key, requestHash: submission.requestHash),
            renders: renders)
        return try await BatchSubmission.accepted(batch, replayed: !created, database: database, context: context)
    }
}
