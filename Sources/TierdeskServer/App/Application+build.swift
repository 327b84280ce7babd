import Hummingbird
import Logging
import ServiceLifecycle
import TierdeskCore
import TierdeskStore

/// The composition root: builds the router with every controller, each given only the desks and parts it
/// uses, and the background jobs; used by `tierdesk serve`, the benchmark and the tests.
public func buildApplication(
    _ components: AppComponents,
    host: String = "127.0.0.1",
    port: Int = 8080,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let (router, _) = buildRouter(components)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "Tierdesk"),
        services: buildJobs(components),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: components.logger
    )
}

/// The router with every route of the API and the web pages. Returns the API routes as registered, in the
/// OpenAPI spelling, so a test can compare them with the document.
func buildRouter(_ c: AppComponents) -> (Router<TierdeskRequestContext>, [String]) {
    let router = Router(context: TierdeskRequestContext.self)
    let table = APIRouteTable()
    router.add(middleware: RequestMetricsMiddleware(metrics: c.metrics))
    router.add(middleware: NoStoreMiddleware())
    router.add(middleware: ClientAddressMiddleware(proxies: c.trustedProxies))
    // Authentication runs first so that error pages know who is signed in; its own refusals are problems.
    router.add(middleware: AuthenticationMiddleware(sessions: c.sessionDesk, notifications: c.notifications))
    router.add(middleware: ErrorMiddleware(templates: c.templates, routes: table))
    router.add(middleware: QueryTextMiddleware())
    let routes = APIRoutes(router: router, table: table)
    let integrationAuth = IntegrationAuth(settings: c.settingsDesk)
    AlertsAPI(integrationAuth: integrationAuth, desk: c.alertIntakeDesk).register(routes)
    AttachmentsAPI(desk: c.ticketDesk).register(routes)
    DirectoryAPI(desk: c.directoryDesk).register(routes)
    EscalationsAPI(ticketDesk: c.ticketDesk, settings: c.settingsDesk).register(routes)
    IntegrationsAPI(desk: c.settingsDesk).register(routes)
    KnownErrorsAPI(ticketDesk: c.ticketDesk, knownErrorDesk: c.knownErrorDesk).register(routes)
    MailAPI(integrationAuth: integrationAuth, mailIntakeDesk: c.mailIntakeDesk, metrics: c.metrics).register(routes)
    MetaAPI(openAPIDocument: c.openAPIDocument).register(routes)
    NotificationsAPI(desk: c.notificationDesk).register(routes)
    OnCallAPI(desk: c.oncallDesk).register(routes)
    PagesAPI(desk: c.pagingDesk).register(routes)
    SLASettingsAPI(slaSettingsDesk: c.slaSettingsDesk).register(routes)
    SettingsAPI(settings: c.settingsDesk, directory: c.directoryDesk).register(routes)
    SupportGroupsAPI(desk: c.directoryDesk).register(routes)
    TicketsAPI(ticketDesk: c.ticketDesk).register(routes)
    TimeOffAPI(timeOffDesk: c.timeOffDesk).register(routes)
    BillingAPI(desk: c.billingDesk).register(routes)
    ReportsAPI(reportDesk: c.reportDesk).register(routes)
    IncidentsAPI(desk: c.incidentDesk).register(routes)
    ChatAPI(desk: c.chatIntakeDesk, clock: c.clock).register(routes)
    TriageAPI(triageDesk: c.triageDesk).register(routes)
    WebhooksAPI(desk: c.webhookDesk).register(routes)
    SLAPreviewAPI.register(routes)
    let console = ConsolePages(
        templates: c.templates,
        directory: c.directoryDesk,
        ticketDesk: c.ticketDesk,
        incidentDesk: c.incidentDesk,
        billingDesk: c.billingDesk,
        responseTemplates: c.responseTemplateDesk,
        savedViews: SavedViewRepository(c.database)
    )
    console.register(router)
    TemplatePages(console: console, templates: c.templates, desk: c.responseTemplateDesk).register(router)
    TicketRecordPages(console: console, ticketDesk: c.ticketDesk).register(router)
    VendorThreadPages(console: console, ticketDesk: c.ticketDesk).register(router)
    BillingPages(templates: c.templates, console: console, directory: c.directoryDesk, billingDesk: c.billingDesk)
        .register(router)
    KnownErrorPages(
        console: console,
        templates: c.templates,
        ticketDesk: c.ticketDesk,
        knownErrorDesk: c.knownErrorDesk
    )
    .register(router)
    let login = LoginPages(sessions: c.sessionDesk, templates: c.templates, secureCookies: c.secureCookies)
    login.register(router)
    InvitationPages(templates: c.templates, desk: c.invitationDesk, login: login).register(router)
    AdminPages(templates: c.templates).register(router)
    AdminPeoplePages(templates: c.templates, directory: c.directoryDesk, invitations: c.invitationDesk)
        .register(router)
    AdminDirectoryPages(templates: c.templates, directory: c.directoryDesk).register(router)
    AdminSettingsPages(templates: c.templates, directory: c.directoryDesk, settings: c.settingsDesk).register(router)
    AdminChannelPages(templates: c.templates, webhooks: c.webhookDesk, settings: c.settingsDesk).register(router)
    AdminTriageRulePages(templates: c.templates, directory: c.directoryDesk, triageDesk: c.triageDesk).register(router)
    NotificationPages(desk: c.notificationDesk, templates: c.templates).register(router)
    LivePages(feed: c.liveFeed, directory: c.directory).register(router)
    OnCallEditorPages(desk: c.oncallDesk, directory: c.directoryDesk, templates: c.templates).register(router)
    OnCallPages(paging: c.pagingDesk, oncall: c.oncallDesk, feeds: c.calendarFeeds, templates: c.templates)
        .register(router)
    PortalPages(templates: c.templates, directory: c.directoryDesk, ticketDesk: c.ticketDesk).register(router)
    PortalKnowledgePages(templates: c.templates, desk: c.knownErrorDesk).register(router)
    PortalSettingsPages(templates: c.templates, desk: c.notificationDesk).register(router)
    SLAPages(templates: c.templates, directory: c.directoryDesk, slaSettingsDesk: c.slaSettingsDesk).register(router)
    TimeOffPages(
        templates: c.templates,
        directory: c.directoryDesk,
        timeOffDesk: c.timeOffDesk,
        billingDesk: c.billingDesk
    )
    .register(router)
    ReportPages(templates: c.templates, reportDesk: c.reportDesk).register(router)
    StatusPages(templates: c.templates, desk: c.incidentDesk).register(router)
    IncidentPages(templates: c.templates, desk: c.incidentDesk).register(router)
    IncidentSettingsPages(templates: c.templates, desk: c.incidentDesk).register(router)
    TriagePages(templates: c.templates, directory: c.directoryDesk, triageDesk: c.triageDesk).register(router)
    WebPages(templates: c.templates, stylesheet: c.stylesheet, script: c.script, database: c.database).register(router)
    MetricsRoutes(
        metrics: c.metrics,
        backlog: BacklogRepository(c.database),
        database: c.database,
        clock: c.clock,
        token: c.metricsToken
    )
    .register(router)
    return (router, routes.registered)
}

/// The background jobs, each on the one ``JobLoop`` (the outbox job owns the outbound HTTP client), and on
/// PostgreSQL the ``ChangeListener`` that hears other instances' changes.
func buildJobs(_ c: AppComponents) -> [any ServiceLifecycle.Service] {
    let outbox = OutboxJob(
        desk: c.outboxDesk,
        mail: c.mail,
        clock: c.clock,
        lease: c.outboxLease,
        policy: OutboxRetryPolicy(),
        webhookClient: WebhookClient(http: OutboundHTTP()),
        logger: c.logger
    )
    var services: [any ServiceLifecycle.Service] = [
        JobLoop(
            SLATimerJob(desk: c.ticketDesk, logger: c.logger),
            clock: c.clock,
            wakeUps: c.slaWakeUps,
            sleep: c.timerSleep,
            logger: c.logger
        ),
        JobLoop(outbox, clock: c.clock, wakeUps: c.outboxWakeUps, sleep: c.timerSleep, logger: c.logger),
        JobLoop(
            PagingJob(desk: c.pagingDesk),
            clock: c.clock,
            wakeUps: c.pagingWakeUps,
            sleep: c.timerSleep,
            logger: c.logger
        ),
        JobLoop(
            CoverageJob(oncall: c.oncallDesk, logger: c.logger),
            clock: c.clock,
            sleep: c.timerSleep,
            logger: c.logger
        ),
        JobLoop(
            IncidentJob(desk: c.incidentDesk, logger: c.logger),
            clock: c.clock,
            sleep: c.timerSleep,
            logger: c.logger
        ),
        JobLoop(
            ReportProjectionJob(desk: c.reportDesk, metrics: c.metrics, logger: c.logger),
            clock: c.clock,
            sleep: c.timerSleep,
            logger: c.logger
        ),
        JobLoop(
            ReportMailJob(desk: c.reportDesk, logger: c.logger),
            clock: c.clock,
            sleep: c.timerSleep,
            logger: c.logger
        ),
    ]
    let feed = ChangeFeed(c.database)
    if feed.isShared { services.append(ChangeListener(feed: feed, caches: c.sharedCaches, logger: c.logger)) }
    services.append(c.liveFeed)
    return services
}

/// The API routes the server registers, in OpenAPI spelling (`GET /api/v1/tickets/{reference}`).
public func registeredAPIRoutes(_ components: AppComponents) -> [String] {
    buildRouter(components).1
}
