import Foundation
import Hummingbird
import Logging
import Compiler
import Render
import TimelineModel
import Store

/// Everything a running server is made of, built once by `buildApplication` (tests call it too).
struct AppServices: Sendable {
    let database: AppDatabase
    let blobs: any BlobStore
    let events: RenderEvents
    let queue: RenderQueue
    let webhooks: WebhookDispatcher
    let pictures: PictureRenderer
    let segments: SegmentRenderer
    let lanes: WorkLanes
    let accounts: Accounts
    let metrics: AppMetrics
}

/// Opens storage and the database, wires controllers, and returns the application.
func buildApplication(config: AppConfig, logger: Logger = Logger(label: "cutroom")) async throws -> some ApplicationProtocol {
    let services = try await makeServices(config: config, logger: logger)
    return makeApplication(config: config, services: services, router: buildRouter(config: config, services: services), logger: logger)
}

/// The server around a router; tests build the router themselves to read its route table.
func makeApplication(config: AppConfig, services: AppServices, router: Router<AppRequestContext>, logger: Logger) -> some ApplicationProtocol {
    let counter = ConnectionCounter()
    let limits = config.connectionLimits
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ConnectionGuard(limits: limits, counter: counter)],
            idleTimeout: .seconds(Int64(config.idleTimeoutSeconds))
        )),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "cutroom"),
        services: [services.webhooks, services.events, services.queue] + makeMetricsListener(config: config, services: services, logger: logger),
        logger: logger
    )
}

func makeServices(config: AppConfig, logger: Logger) async throws -> AppServices {
    let lanes = WorkLanes(renderConcurrency: config.renderConcurrency, probeConcurrency: config.probeConcurrency)
    let metrics = AppMetrics()
    let blobs = MeteredBlobStore(
        base: try await makeBlobStore(config: config, io: lanes.io, logger: logger),
        backend: { if case .s3 = config.storage { "s3" } else { "local" } }(), metrics: metrics)
    let path = URL(fileURLWithPath: config.databasePath).standardizedFileURL.path
    let database = try await lanes.io.run { try AppDatabase(path: path) }
    let events = try await RenderEvents(database: database)
    let settings = RenderQueue.Settings(
        concurrency: config.renderConcurrency, capacity: config.queueCapacity,
        userRenders: config.userQueueRenders, userHours: Double(config.userQueueHours),
        shutdownGrace: .seconds(config.shutdownGraceSeconds), renderTimeout: .seconds(config.renderTimeoutSeconds),
        storageRetries: config.storageRetries, storageRetryDelay: .milliseconds(config.storageRetryMilliseconds),
        maxAttempts: config.renderAttempts
    )
    let webhooks = WebhookDispatcher(
        database: database,
        settings: .init(secret: config.webhookSecret, allowPrivateTargets: config.webhookAllowPrivate,
                        firstBackoff: .milliseconds(config.webhookBackoffMilliseconds)),
        io: lanes.io, logger: logger
    )
    let queue = RenderQueue(database: database, blobs: blobs, events: events, webhooks: webhooks, settings: settings, lanes: lanes, logger: logger, metrics: metrics)
    let pictures = PictureRenderer(scratch: blobs.scratchDirectory, lane: lanes.pictures)
    let previewDirectory = URL(fileURLWithPath: config.previewCacheDirectory, isDirectory: true).standardizedFileURL
    let previewBytes = config.previewCacheBytes
    let segments = SegmentRenderer(
        cache: try await lanes.io.run { try BlobCache(directory: previewDirectory, maxBytes: previewBytes) }, lane: lanes.previews,
        metrics: metrics)
    let publicOrigin = PublicOrigin(publicURL: config.publicURL, bindHost: config.host)
    let accounts = Accounts(
        database: database, passwords: Passwords(lane: lanes.passwords, cost: UInt8(config.bcryptCost)), limiter: LoginLimiter(),
        secureCookies: publicOrigin.isSecure, publicOrigin: publicOrigin.origin)
    try await database.deleteExpiredCredentials(now: Date())
    try await accounts.bootstrap(email: config.adminEmail, password: config.adminPassword,
                                 url: publicOrigin.origin ?? "http://\(config.host == "0.0.0.0" ? "127.0.0.1" : config.host):\(config.port)", logger: logger)
    // In the background: listing a large bucket must not delay the start.
    let startedAt = Date()
    Task { await OrphanSweep.run(database: database, blobs: blobs, startedAt: startedAt, logger: logger) }
    return AppServices(
        database: database, blobs: blobs, events: events, queue: queue, webhooks: webhooks, pictures: pictures, segments: segments, lanes: lanes,
        accounts: accounts, metrics: metrics)
}

/// The one place the storage backend is chosen. S3 is checked (reachable, writable) before the
/// server starts, so a wrong key or bucket stops it with the reason instead of failing uploads later.
func makeBlobStore(config: AppConfig, io: BlockingWork, logger: Logger) async throws -> any BlobStore {
    let root = URL(fileURLWithPath: config.storageDirectory, isDirectory: true).standardizedFileURL
    switch config.storage {
    case .local:
        return try await io.run {
            let blobs = try LocalBlobStore(root: root)
            // Scratch files of an interrupted process (half uploads, partial renders) are never referenced.
            try blobs.removeStaleScratchFiles(olderThan: 0)
            return blobs
        }
    case .s3(let settings):
        let scratch = root.appendingPathComponent(".tmp", isDirectory: true)
        try await io.run {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try LocalBlobStore.removeStaleFiles(in: scratch, olderThan: 0)
        }
        let client = S3Client(configuration: .init(
            bucket: settings.bucket, endpoint: settings.endpoint, region: settings.region,
            credentials: .init(accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, sessionToken: settings.sessionToken),
            addressing: settings.addressing == "virtual" ? .virtualHost : .path
        ))
        let cacheDirectory = URL(fileURLWithPath: config.cacheDirectory, isDirectory: true).standardizedFileURL
        let cacheBytes = config.cacheBytes
        let cache = try await io.run { try BlobCache(directory: cacheDirectory, maxBytes: cacheBytes) }
        let blobs = try S3BlobStore(client: client, cache: cache, scratchDirectory: scratch)
        do {
            try await blobs.checkReady()
        } catch {
            throw StartupError(message: "S3 bucket '\(settings.bucket)' at \(settings.endpoint.absoluteString) is not usable: \(AppConfig.describeStorage(error))")
        }
        // Uploads interrupted by a dead S3 or process leave parts that cost storage; a day is far
        // beyond any live upload, so another server sharing the bucket is never disturbed.
        do {
            let aborted = try await blobs.abortStaleUploads(olderThan: 24 * 3600)
            if aborted > 0 { logger.info("aborted stale multipart uploads", metadata: ["count": "\(aborted)"]) }
        } catch {
            logger.warning("could not list stale multipart uploads", metadata: ["error": "\(error)"])
        }
        logger.info("storage: S3", metadata: ["bucket": "\(settings.bucket)", "endpoint": "\(settings.endpoint.absoluteString)"])
        return blobs
    }
}

/// The server cannot start, and why.
struct StartupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension AppConfig {
    static func describeStorage(_ error: any Error) -> String {
        (error as? StoreError)?.description ?? String(describing: error)
    }
}

func buildRouter(config: AppConfig, services: AppServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let mediaSources: [String]
    if case .s3(let s3) = config.storage, let scheme = s3.endpoint.scheme, let host = s3.endpoint.host {
        // Downloads redirect to presigned URLs: the page shows pictures and media from the bucket.
        mediaSources = [s3.addressing == "virtual" ? "\(scheme)://*.\(host)\(s3.endpoint.port.map { ":\($0)" } ?? "")"
                                                   : "\(scheme)://\(host)\(s3.endpoint.port.map { ":\($0)" } ?? "")"]
    } else {
        mediaSources = []
    }
    router.add(middleware: AccessLogMiddleware(metrics: services.metrics))
    router.add(middleware: BrowserBoundaryMiddleware(publicOrigin: PublicOrigin(publicURL: config.publicURL, bindHost: config.host), mediaSources: mediaSources))
    router.add(middleware: FileMiddleware(
        config.webDirectory,
        cacheControl: .init([(MediaType(type: .any), [.noCache])]),
        searchForIndexHtml: true
    ))
    // Two groups on one prefix: the public routes, and everything else behind a sign-in.
    let open = router.group("api/v1").add(middleware: ErrorMiddleware())
    let api = router.group("api/v1")
        .add(middleware: ErrorMiddleware())
        .add(middleware: AuthMiddleware(database: services.database))
    let io = services.lanes.io
    let sources = AssetSources(database: services.database, blobs: services.blobs)
    HealthController(database: services.database, blobs: services.blobs, queue: services.queue, io: io,
                     concurrency: config.renderConcurrency, capacity: config.queueCapacity).addRoutes(to: open)
    DocsController().addRoutes(to: open)
    MetricsController(metrics: services.metrics, queue: services.queue, events: services.events,
                      access: MetricsController.access(for: config, onOwnListener: false)).addRoutes(to: router)
    let auth = AuthController(accounts: services.accounts)
    auth.addPublicRoutes(to: open)
    auth.addRoutes(to: api)
    TokenController(database: services.database).addRoutes(to: api)
    UserController(accounts: services.accounts, blobs: services.blobs, queue: services.queue, segments: services.segments).addRoutes(to: api)
    ProjectController(database: services.database, blobs: services.blobs, queue: services.queue).addRoutes(to: api)
    AssetController(database: services.database, blobs: services.blobs, pictures: services.pictures, probes: services.lanes.probes, io: io,
                    maxUploadBytes: config.maxUploadBytes, maxPicturePixels: config.maxPicturePixels, metrics: services.metrics).addRoutes(to: api)
    TimelineController(database: services.database, sources: sources, pictures: services.pictures, io: io, documents: services.lanes.documents).addRoutes(to: api)
    SegmentController(database: services.database, sources: sources, segments: services.segments, documents: services.lanes.documents, io: io).addRoutes(to: api)
    let preparation = RenderPreparation(maxRenderHours: Double(config.maxRenderHours))
    RenderController(database: services.database, blobs: services.blobs, sources: sources, queue: services.queue,
                     events: services.events, io: io, documents: services.lanes.documents, webhooks: .init(enabled: config.webhookSecret != nil, allowPrivate: config.webhookAllowPrivate),
                     preparation: preparation).addRoutes(to: api)
    TemplateController(database: services.database, documents: services.lanes.documents).addRoutes(to: api)
    TemplateRenderController(
        database: services.database, queue: services.queue,
        rendering: TemplateRendering(database: services.database, sources: sources, documents: services.lanes.documents, preparation: preparation),
        webhooks: .init(enabled: config.webhookSecret != nil, allowPrivate: config.webhookAllowPrivate), maxBatchRows: config.batchMaxRows
    ).addRoutes(to: api)
    BatchController(database: services.database, blobs: services.blobs, queue: services.queue, events: services.events, io: io).addRoutes(to: api)
    let mixes = MixController(database: services.database, maxVariants: config.batchMaxRows)
    mixes.addRoutes(to: api)
    MixVariantsController(
        database: services.database, mixes: mixes, sources: sources, queue: services.queue, documents: services.lanes.documents,
        preparation: preparation, webhooks: .init(enabled: config.webhookSecret != nil, allowPrivate: config.webhookAllowPrivate)
    ).addRoutes(to: api)
    // Unknown API paths answer with the error envelope, not the static-file 404.
    api.on("**", method: .get) { _, _ -> Response in throw APIError.notFound("route") }
    // Last: router middleware added now wraps only the not-found answer.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ("\($0.method)", "\($0.path)") }))
    return router
}
