import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Store

/// POSTs a render's terminal event (or a batch's end) to its `webhookUrl`, signed with HMAC-SHA256, retrying with
/// exponential backoff, and records every attempt on the render row.
///
/// Signature: `X-Cutroom-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Cutroom-Timestamp>.<body>")>`.
/// Redirects are never followed, and loopback/private/link-local targets are refused unless allowed,
/// so a webhook URL cannot be used to reach the server's own network.
actor WebhookDispatcher: Service {
    struct Settings: Sendable {
        var secret: String?
        var allowPrivateTargets = false
        var attempts = 5
        var firstBackoff: Duration = .seconds(1)
        var timeout: Duration = .seconds(10)
    }

    /// One delivery attempt as stored in `render.webhookDeliveries`.
    struct Attempt: Codable, Sendable, Equatable {
        var attempt: Int
        var at: Date
        var status: Int?
        var error: String?
    }

    private let database: AppDatabase
    private let settings: Settings
    private let logger: Logger
    private let client: HTTPClient
    /// Where host names are resolved.
    private let io: BlockingWork
    private var inFlight: [UUID: Task<Void, Never>] = [:]

    init(database: AppDatabase, settings: Settings, io: BlockingWork, logger: Logger) {
        self.database = database
        self.io = io
        self.settings = settings
        self.logger = logger
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    var isEnabled: Bool { settings.secret != nil }

    /// Checks a submitted URL: http(s), a host, and (unless allowed) not a private address literal.
    /// Host names are resolved again at delivery time.
    static func validate(_ raw: String, allowPrivate: Bool) -> String? {
        guard raw.count <= 2048, let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            return "must be an absolute http or https URL"
        }
        if !allowPrivate, NetworkAddress.isPrivate(host: host) {
            return "points at a loopback or private address, which webhooks may not reach"
        }
        return nil
    }

    /// Starts delivering a terminal event; returns at once.
    func deliver(kind: RenderEvent.Kind, snapshot: RenderSnapshot, to url: String) {
        struct Payload: Encodable {
            var event: String
            var render: RenderSnapshot
        }
        guard let body = try? APIResponse.encoder.encode(Payload(event: kind.rawValue, render: snapshot)) else { return }
        let id = snapshot.id
        start(event: kind.rawValue, body: body, url: url, subject: "render \(id)") { attempt in
            await self.record(attempt, renderId: id)
        }
    }

    /// Starts delivering a batch's one `batch.finished` event; returns at once.
    func deliver(batch snapshot: BatchSnapshot, to url: String) {
        struct Payload: Encodable {
            var event = "batch.finished"
            var batch: BatchSnapshot
        }
        guard let body = try? APIResponse.encoder.encode(Payload(batch: snapshot)) else { return }
        let id = snapshot.id
        start(event: "batch.finished", body: body, url: url, subject: "batch \(id)") { attempt in
            await self.record(attempt, batchId: id)
        }
    }

    private func start(event: String, body: Data, url: String, subject: String, record: @escaping @Sendable (Attempt) async -> Void) {
        guard let secret = settings.secret else { return }
        let token = UUID()
        inFlight[token] = Task {
            await self.send(event: event, body: body, url: url, secret: secret, subject: subject, record: record)
            self.finished(token)
        }
    }

    private func finished(_ token: UUID) { inFlight[token] = nil }

    private func send(event: String, body: Data, url: String, secret: String, subject: String, record: @Sendable (Attempt) async -> Void) async {
        let delivery = Identifier.make()
        var backoff = settings.firstBackoff
        for attempt in 1...settings.attempts {
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let signature = Self.signature(secret: secret, timestamp: timestamp, body: body)
            var outcome = Attempt(attempt: attempt, at: Date())
            do {
                if !settings.allowPrivateTargets, let host = URL(string: url)?.host, try await NetworkAddress.resolvesPrivate(host: host, on: io) {
                    outcome.error = "refused: the host resolves to a loopback or private address"
                    await record(outcome)
                    return
                }
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "cutroom-webhook/1")
                request.headers.add(name: "X-Cutroom-Event", value: event)
                request.headers.add(name: "X-Cutroom-Delivery", value: delivery)
                request.headers.add(name: "X-Cutroom-Timestamp", value: timestamp)
                request.headers.add(name: "X-Cutroom-Signature", value: "sha256=\(signature)")
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await client.execute(request, timeout: .seconds(settings.timeout.components.seconds))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                outcome.status = Int(response.status.code)
                if (200..<300).contains(response.status.code) {
                    await record(outcome)
                    return
                }
                outcome.error = (300..<400).contains(response.status.code) ? "redirects are not followed" : "HTTP \(response.status.code)"
            } catch {
                outcome.error = String(describing: error)
            }
            await record(outcome)
            guard attempt < settings.attempts, !Task.isCancelled else { break }
            try? await Task.sleep(for: backoff)
            backoff *= 2
        }
        logger.warning("webhook delivery gave up", metadata: ["subject": "\(subject)", "url": "\(url)"])
    }

    /// Adds one attempt to the batch's delivery log (a failed write is logged, never thrown).
    private func record(_ attempt: Attempt, batchId: String) async {
        do {
            _ = try await database.updateBatch(id: batchId) { row in
                row.webhookDeliveries = Self.appending(attempt, to: row.webhookDeliveries)
            }
        } catch {
            logger.error("could not record a webhook delivery", metadata: ["batch": "\(batchId)", "attempt": "\(attempt.attempt)", "error": "\(error)"])
        }
    }

    static func appending(_ attempt: Attempt, to stored: String?) -> String? {
        var attempts = (stored.flatMap { try? JSONDecoder.api.decode([Attempt].self, from: Data($0.utf8)) }) ?? []
        attempts.append(attempt)
        return (try? APIResponse.encoder.encode(attempts)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Adds one attempt to the render's delivery log. A failed write is logged (the delivery itself
    /// went on regardless), never thrown: nobody waits for a webhook.
    private func record(_ attempt: Attempt, renderId: String) async {
        do {
            _ = try await database.updateRender(id: renderId) { row in
                row.webhookDeliveries = Self.appending(attempt, to: row.webhookDeliveries)
            }
        } catch {
            logger.error("could not record a webhook delivery", metadata: ["render.id": "\(renderId)", "attempt": "\(attempt.attempt)", "error": "\(error)"])
        }
    }

    static func signature(secret: String, timestamp: String, body: Data) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Lets deliveries under way finish (their backoff is cut short), then closes the client.
    func run() async throws {
        try? await gracefulShutdown()
        for task in inFlight.values { task.cancel() }
        for task in inFlight.values { await task.value }
        try await client.shutdown()
    }
}
