import Foundation
import Compiler
import TimelineModel
import Store

/// Turns a template and sets of values into checked render rows: values against the schema, then
/// the filled documents through the same checks as any render (`RenderPreparation`). A problem
/// found in a filled document where a placeholder stood is reported at that value's pointer.
struct TemplateRendering: Sendable {
    let database: AppDatabase
    let sources: AssetSources
    let documents: BlockingWork
    let preparation: RenderPreparation

    struct Row: Sendable {
        var prepared: RenderPreparation.Prepared
        /// The text each placeholder was replaced with.
        var values: [String: String]
    }

    /// Checks every set of values; `pointer(index)` is where row `index`'s values are (`/values`,
    /// `/rows/3`). `known` holds problems found while reading the rows (a CSV row's missing or
    /// extra cells, a value of the wrong JSON type), relative to the row: its other values are
    /// still checked. Throws one 422 listing every problem of every row; nothing is half-accepted.
    func prepare(
        _ template: TemplateRecord, rows: [[String: TemplateValue]], known: [Int: [APIError.Detail]] = [:], userId: String,
        pointer: @escaping @Sendable (Int) -> String
    ) async throws -> [Row] {
        let fields = [TemplateField](storedJSON: template.fields)
        var kinds: [String: Asset.Kind] = [:]
        for id in TemplateValues.assetIds(in: rows, fields: fields) where !id.isEmpty && id.count <= 64 {
            if let asset = try await database.asset(id: id, userId: userId) { kinds[id] = asset.kind }
        }
        let checker = TemplateValues(fields: fields, assetKinds: kinds)
        let text = template.document
        // First pass: values, filling, reading the filled documents.
        let read = try await documents.run { () throws -> [(timeline: Timeline?, values: [String: String], problems: [APIError.Detail])] in
            let root = try JSONParser.parse(Data(text.utf8))
            let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            return rows.enumerated().map { index, row in
                let prefix = pointer(index)
                let early = (known[index] ?? []).map { APIError.Detail(path: prefix + $0.path, message: $0.message) }
                let reported = Set(early.map(\.path))
                // A value refused while reading is absent from the row: not "is required" as well.
                let (values, checked) = checker.check(row, prefix: prefix)
                let problems = early + checked.filter { !reported.contains($0.path) }
                guard problems.isEmpty else { return (nil, values, problems) }
                let filled = TemplateSchema.serialize(TemplateSchema.fill(root, fields: byName, values: values))
                do {
                    let reading = try TimelineDocument.read(filled)
                    let issues = reading.issues.map { Self.attribute($0.path, $0.message, fields: fields, prefix: prefix) }
                    return (issues.isEmpty ? reading.timeline : nil, values, issues)
                } catch {
                    return (nil, values, [.init(path: prefix, message: "the filled document is not JSON: \(error)")])
                }
            }
        }
        var problems = read.flatMap(\.problems)
        guard problems.isEmpty else { throw Self.refusal(problems, rows: rows.count) }
        // Second pass: one lookup of every source the filled documents name, then the render checks.
        var references: [String] = []
        for entry in read { references += entry.timeline?.sourceReferences ?? [] }
        let resolve = try await sources.resolver(sources: references, userId: userId)
        let preparation = preparation
        let prepared = try await documents.run { () -> [Result<RenderPreparation.Prepared, APIError>] in
            read.map { entry in
                do {
                    return .success(try preparation.prepare(entry.timeline!, merge: [:], resolve: resolve))
                } catch let error as APIError {
                    return .failure(error)
                } catch {
                    return .failure(APIError.invalid("\(error)", details: []))
                }
            }
        }
        var result: [Row] = []
        for (index, outcome) in prepared.enumerated() {
            switch outcome {
            case .success(let render): result.append(Row(prepared: render, values: read[index].values))
            case .failure(let error):
                let details = error.details.isEmpty ? [APIError.Detail(path: "", message: error.message)] : error.details
                problems += details.map { Self.attribute($0.path, $0.message, fields: fields, prefix: pointer(index)) }
            }
        }
        guard problems.isEmpty else { throw Self.refusal(problems, rows: rows.count) }
        return result
    }

    /// A problem at `path` of a filled document belongs to the value whose placeholder stood there;
    /// anywhere else it is the template's own, reported at `/document…`.
    static func attribute(_ path: String, _ message: String, fields: [TemplateField], prefix: String) -> APIError.Detail {
        for field in fields where field.usedAt.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            return .init(path: prefix + "/" + JSONBody.escape(field.name), message: message)
        }
        return .init(path: "/document" + path, message: message)
    }

    static func refusal(_ problems: [APIError.Detail], rows: Int) -> APIError {
        let message = rows == 1
            ? "the values have \(problems.count) problem\(problems.count == 1 ? "" : "s")"
            : "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the rows; nothing was queued"
        return APIError.invalid(message, details: problems)
    }
}
