import Hummingbird
import Logging
import ServiceLifecycle
import TierdeskCore
import TierdeskStore

/// Builds the router with every route of the API and the web pages. Returns the API routes as registered,
/// in the OpenAPI spelling, so a test can compare them with the document.
func buildRouter(_ environment: TierdeskEnvironment) -> (Router<TierdeskRequestContext>, [String]) {
    let router = Router(context: TierdeskRequestContext.self)
    let table = APIRouteTable()
    router.add(middleware: NoStoreMiddleware())
    router.add(middleware: ClientAddressMiddleware(proxies: environment.trustedProxies))
    // Authentication runs first so that error pages know who is signed in; its own refusals are problems.
    router.add(middleware: AuthenticationMiddleware(environment: environment))
    router.add(middleware: ErrorMiddleware(environment: environment, routes: table))
    router.add(middleware: QueryTextMiddleware())
    let routes = APIRoutes(router: router, table: table)
    MetaAPI.register(routes, environment)
    TicketsAPI.register(routes, environment)
    DirectoryAPI.register(routes, environment)
    SettingsAPI.register(routes, environment)
    SLAPreviewAPI.register(routes, environment)
    SLASettingsAPI.register(routes, environment)
    EscalationsAPI.register(routes, environment)
    KnownErrorsAPI.register(routes, environment)
    TriageAPI.register(routes, environment)
    SupportGroupsAPI.register(routes, environment)
    NotificationsAPI.register(routes, environment)
    MailAPI.register(routes, environment)
    IntegrationsAPI.register(routes, environment)
    AlertsAPI.register(routes, environment)
    WebhooksAPI.register(routes, environment)
    OnCallAPI.register(routes, environment)
    PagesAPI.register(routes, environment)
    TimeOffAPI.register(routes, environment)
    WebPages.register(router, environment)
    LoginPages.register(router, environment)
    ConsolePages.register(router, environment)
    PortalPages.register(router, environment)
    NotificationPages.register(router, environment)
    SLAPages.register(router, environment)
    KnownErrorPages.register(router, environment)
    TriagePages.register(router, environment)
    OnCallPages.register(router, environment)
    TimeOffPages.register(router, environment)
    OnCallEditorPages.register(router, environment)
    return (router, routes.registered)
}

/// The one application builder, used by `tierdesk serve`, the benchmark and the tests.
public func buildApplication(environment: TierdeskEnvironment, host: String = "127.0.0.1", port: Int = 8080, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let (router, _) = buildRouter(environment)
    let e = environment
    let http = OutboundHTTP()
    let jobs: [any ServiceLifecycle.Service] = [
        http,
        JobLoop(
            SLATimerJob(alarms: e.slaAlarms, sla: e.sla, tickets: e.tickets, effects: e.ticketEffects, logger: e.logger),
            clock: e.clock, wakeUps: e.slaWakeUps, sleep: e.timerSleep, logger: e.logger),
        JobLoop(
            OutboxJob(
                outbox: e.outbox, mail: e.mail, webhooks: e.webhooks, settings: e.settings, clock: e.clock,
                lease: e.outboxLease, policy: OutboxRetryPolicy(), webhookClient: WebhookClient(http: http),
                logger: e.logger),
            clock: e.clock, wakeUps: e.outboxWakeUps, sleep: e.timerSleep, logger: e.logger),
        JobLoop(PagingJob(pages: e.pages), clock: e.clock, wakeUps: e.pagingWakeUps, sleep: e.timerSleep, logger: e.logger),
        JobLoop(CoverageJob(oncall: e.oncallDesk, logger: e.logger), clock: e.clock, sleep: e.timerSleep, logger: e.logger),
    ]
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "Tierdesk"),
        services: jobs,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: environment.logger
    )
}

/// The API routes the server registers, in OpenAPI spelling (`GET /api/v1/tickets/{reference}`).
public func registeredAPIRoutes(environment: TierdeskEnvironment) -> [String] {
    buildRouter(environment).1
}
