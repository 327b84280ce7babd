import Foundation
import Logging
import Mustache
import TierdeskCore
import TierdeskStore

/// The composition root's parts: the repositories, caches and wake-ups of one process, built once from a
/// ``TierdeskConfiguration``. Only the root sees it: it builds each desk from exactly the parts the desk
/// uses, hands each controller its desks, and each job its repositories. No desk, controller or job holds it.
public struct AppComponents: Sendable {
    public let database: TierdeskDatabase
    public private(set) var clock: any Clock
    public let logger: Logger
    /// Set `Secure` on cookies; on when Tierdesk is served over TLS.
    public let secureCookies: Bool
    let passwords: Passwords
    let templates: MustacheLibrary
    let tickets: TicketRepository
    /// What every ticket write causes: deadline and alarms, mail, webhooks, pages.
    let ticketEffects: TicketWriteEffects
    let directory: DirectoryRepository
    let credentials: CredentialRepository
    let attachments: AttachmentRepository
    let settings: SettingsRepository
    /// A hash of a random secret, checked when an e-mail is unknown so that timing does not reveal accounts.
    let unknownAccountHash: String
    let openAPIDocument: String
    /// The SLA calendars and policies in force; also the planner of every ticket write.
    let sla: SLASettings
    let slaAlarms: SLAAlarmRepository
    let notifications: NotificationRepository
    let groups: SupportGroupRepository
    let knownErrors: KnownErrorRepository
    let identities = TokenCache<Person>()
    let integrationTokens = TokenCache<Integration>()
    /// Ticket changes wake the SLA timer.
    let slaWakeUps = WakeUps()
    /// Queued messages wake the outbox sender.
    let outboxWakeUps = WakeUps()
    let outbox: OutboxRepository
    let integrations: IntegrationRepository
    let alerts: AlertRepository
    let webhooks: WebhookRepository
    let oncall: OnCallRepository
    let pages: PageRepository
    let timeEntries: TimeEntryRepository
    let billing: BillingRepository
    /// Contracts, plans and billing settings in force.
    let billingTerms: SettingCache<BillingTerms>
    let reports: ReportRepository
    let incidents: IncidentRepository
    /// The web address links in mail, chat and pages point to.
    let baseURL: String
    /// Pages started or stopped wake the paging service.
    let pagingWakeUps = WakeUps()
    let pageLinks: PageLinks
    /// Outgoing mail; nil when no SMTP relay is configured (then no mail is queued).
    let mail: MailConfiguration?
    /// How long a claim on outbox messages lasts before another sender may take them over.
    let outboxLease: TimeInterval
    /// How background jobs wait; tests pass one that waits until cancelled.
    let timerSleep: @Sendable (Duration) async throws -> Void
    /// Ticket changes for the console's live pages.
    let liveFeed: LiveFeed
    let priorityMatrix: SettingCache<PriorityMatrix>
    let escalationGates: SettingCache<EscalationGateSettings>
    let triage: SettingCache<TriageSetup>
    let alertIntake: SettingCache<AlertIntakeInputs>
    let mailIntake: SettingCache<MailIntakeSettings>
    let stylesheet: String
    /// The pages' one script: times read relative to now in the reader's time zone.
    let script: String
    /// Proxies whose `X-Forwarded-For` names the client.
    let trustedProxies: TrustedProxies
    /// Requests, mail intake and queue depths, served at `/metrics`.
    public let metrics = TierdeskMetrics()
    /// The token a remote scraper of `/metrics` sends; without one only loopback scrapers are served.
    let metricsToken: String?
    /// One sender's new mail tickets are counted and opened one at a time, so parallel deliveries cannot
    /// all slip under the hourly limit.
    let mailSenders = KeyedLocks()

    public init(_ configuration: TierdeskConfiguration) async throws {
        let database = configuration.database
        let clock = configuration.clock
        let mail = configuration.mail
        timerSleep = configuration.jobSleep
        trustedProxies = configuration.trustedProxies
        metricsToken = configuration.metricsToken
        self.database = database
        self.clock = clock
        logger = configuration.logger
        secureCookies = configuration.secureCookies
        let bcryptCost = configuration.bcryptCost
        let baseURL = configuration.baseURL
        let outboxLease = configuration.outboxLease
        passwords = Passwords(cost: bcryptCost)
        templates = try await Templates.load()
        openAPIDocument = try OpenAPIDocument.load()
        stylesheet = try ResourceFiles.text("Static/tierdesk.css")
        script = try ResourceFiles.text("Static/tierdesk.js")
        let settings = SettingsRepository(database)
        self.settings = settings
        priorityMatrix = SettingCache { try await settings.priorityMatrix() }
        escalationGates = SettingCache { try await settings.escalationGates() }
        mailIntake = SettingCache { try await settings.mailIntake() }
        let billing = BillingRepository(database)
        self.billing = billing
        let sla = try await SLASettings(settings, billing: billing, at: clock.now())
        self.sla = sla
        billingTerms = SettingCache { try await BillingTerms.load(settings, billing, calendars: sla.current.calendars) }
        self.mail = mail
        self.outboxLease = outboxLease
        let outboxWakeUps = outboxWakeUps
        let pagingWakeUps = pagingWakeUps
        _ = try await settings.pagingSecret(candidate: Secrets.token(prefix: "pgsec_"))
        let base = (baseURL ?? mail?.identity.baseURL ?? "http://127.0.0.1:8080")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let links = PageLinks(key: try await settings.pageLinkKey(candidate: Secrets.token()), baseURL: base)
        pageLinks = links
        self.baseURL = base
        let pager = PageMessenger(
            identity: mail?.identity
                ?? DeskMailIdentity(address: "oncall@tierdesk.invalid", name: "Tierdesk on call", baseURL: base),
            acknowledgeURL: { links.acknowledgeURL(page: $0, person: $1) }
        )
        ticketEffects = TicketWriteEffects(
            planner: sla,
            mail: mail.map { .queued(from: $0.identity) } ?? .noRelay,
            pager: pager,
            queued: {
                outboxWakeUps.signal()
                pagingWakeUps.signal()
            }
        )
        pages = PageRepository(database, messenger: pager, queued: { outboxWakeUps.signal() })
        tickets = TicketRepository(database)
        liveFeed = LiveFeed(tickets: tickets, sleep: configuration.jobSleep, logger: configuration.logger)
        slaAlarms = SLAAlarmRepository(database)
        outbox = OutboxRepository(database)
        integrations = IntegrationRepository(database)
        alerts = AlertRepository(database)
        webhooks = WebhookRepository(database)
        oncall = OnCallRepository(database)
        timeEntries = TimeEntryRepository(database)
        reports = ReportRepository(database)
        incidents = IncidentRepository(
            database,
            messenger: pager,
            queued: {
                outboxWakeUps.signal()
                pagingWakeUps.signal()
            }
        )
        notifications = NotificationRepository(database)
        groups = SupportGroupRepository(database)
        knownErrors = KnownErrorRepository(database)
        triage = SettingCache { [knownErrors] in try await TriageSetup.load(settings, knownErrors) }
        directory = DirectoryRepository(database)
        alertIntake = SettingCache { [directory] in try await AlertIntakeInputs.load(settings, directory) }
        credentials = CredentialRepository(database)
        attachments = AttachmentRepository(database)
        unknownAccountHash = try await passwords.hash(Secrets.token())
    }

    /// The same parts reading another clock (demo data is written at instants in the past).
    func with(clock: any Clock) -> AppComponents {
        var copy = self
        copy.clock = clock
        return copy
    }
}

extension AppComponents {
    /// What this instance caches of data other instances may change.
    var sharedCaches: SharedCaches {
        SharedCaches(
            settings: [priorityMatrix, escalationGates, triage, alertIntake, mailIntake, billingTerms],
            sla: sla,
            identities: identities,
            integrationTokens: integrationTokens,
            slaWakeUps: slaWakeUps
        )
    }
}
