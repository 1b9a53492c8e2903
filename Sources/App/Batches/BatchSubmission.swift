import Crypto
import Foundation
import Hummingbird
import Store

/// What makes a batch-creating request (`POST /templates/{id}/renders` with rows,
/// `POST /mixes/{id}/variants` rendering) safe to retry: its `Idempotency-Key` and a hash of the
/// request it came with. The same key and request answer the first batch again (202,
/// `Idempotent-Replayed: true`); the key with another request is a 422 `IDEMPOTENCY_KEY_REUSED`,
/// as for `POST /renders`. Keys are per user and shared with renders.
struct BatchSubmission: Sendable {
    var key: String?
    /// SHA-256 of the path and the body's own hash: one key sent to another template or mix is another request.
    var requestHash: String?

    init(_ request: Request, bodyHash: @autoclosure () -> String) throws {
        key = try RenderController.idempotencyKey(request)
        requestHash = key == nil ? nil : Self.hash(request.uri.path + "\n" + bodyHash())
    }

    static func hash(_ text: String) -> String {
        hash(Data(text.utf8))
    }

    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The batch a retry asks for, looked up before the rows are checked again (the template may
    /// have changed since; the retry still answers what was queued). Nil when the key is new.
    func earlier(userId: String, database: AppDatabase) async throws -> BatchRecord? {
        guard let key else { return nil }
        if let batch = try await database.batch(userId: userId, idempotencyKey: key) {
            guard batch.requestHash == requestHash else { throw RenderQueue.Rejection.idempotencyKeyReused }
            return batch
        }
        if try await database.render(userId: userId, idempotencyKey: key) != nil { throw RenderQueue.Rejection.idempotencyKeyReused }
        return nil
    }

    /// The 202 answering a stored batch, marked when it was stored by an earlier request.
    static func accepted(_ batch: BatchRecord, replayed: Bool, database: AppDatabase, context: AppRequestContext) async throws -> Response {
        let counts = try await database.batchCounts(id: batch.id)
        var headers: HTTPFields = [.location: "/api/v1/batches/\(batch.id)"]
        if replayed { headers[.init("Idempotent-Replayed")!] = "true" }
        return try APIResponse.json(BatchSnapshot(batch, counts: counts), status: .accepted, headers: headers, context: context)
    }
}
