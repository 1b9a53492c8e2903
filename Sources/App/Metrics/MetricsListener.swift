import Hummingbird
import Logging
import ServiceLifecycle

/// The second listener that serves only `/metrics` when `CUTROOM_METRICS_ADDRESS` is set.
func makeMetricsListener(config: AppConfig, services: AppServices, logger: Logger) -> [any Service] {
    guard let address = config.metricsAddress else { return [] }
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: AccessLogMiddleware(metrics: services.metrics))
    MetricsController(metrics: services.metrics, queue: services.queue, events: services.events,
                      access: MetricsController.access(for: config, onOwnListener: true)).addRoutes(to: router)
    return [Application(
        router: router,
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: "cutroom-metrics"),
        logger: logger
    )]
}
