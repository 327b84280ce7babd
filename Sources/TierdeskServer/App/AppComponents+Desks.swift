import TierdeskCore
import TierdeskStore

/// Each desk built from exactly the parts it uses. Desks are small values, so they are made where they are
/// handed out; a desk made after ``AppComponents/with(clock:)`` reads that clock.
extension AppComponents {
    var ticketDesk: TicketDesk {
        TicketDesk(
            clock: clock,
            tickets: tickets,
            slaAlarms: slaAlarms,
            directory: directory,
            attachments: attachments,
            sla: sla,
            groups: groups,
            knownErrors: knownErrors,
            slaWakeUps: slaWakeUps,
            priorityMatrix: priorityMatrix,
            escalationGates: escalationGates,
            triage: triage,
            billingTerms: billingTerms,
            ticketEffects: ticketEffects
        )
    }

    var billingDesk: BillingDesk {
        BillingDesk(
            clock: clock,
            logger: logger,
            billing: billing,
            timeEntries: timeEntries,
            directory: directory,
            settings: settings,
            tickets: tickets,
            sla: sla,
            terms: billingTerms,
            slaWakeUps: slaWakeUps,
            outboxWakeUps: outboxWakeUps,
            ticketDesk: ticketDesk,
            mailIdentity: mail?.identity
        )
    }

    var directoryDesk: DirectoryDesk {
        DirectoryDesk(
            clock: clock,
            passwords: passwords,
            directory: directory,
            credentials: credentials,
            identities: identities,
            integrations: integrations,
            groups: groups
        )
    }

    var knownErrorDesk: KnownErrorDesk {
        KnownErrorDesk(clock: clock, tickets: tickets, directory: directory, knownErrors: knownErrors)
    }

    var mailIntakeDesk: MailIntakeDesk {
        MailIntakeDesk(
            clock: clock,
            tickets: tickets,
            directory: directory,
            outbox: outbox,
            mail: mail,
            mailIntake: mailIntake,
            mailSenders: mailSenders,
            ticketDesk: ticketDesk,
            directoryDesk: directoryDesk
        )
    }

    var alertIntakeDesk: AlertIntakeDesk {
        AlertIntakeDesk(
            clock: clock,
            slaWakeUps: slaWakeUps,
            alerts: alerts,
            alertIntake: alertIntake,
            settings: settings,
            directory: directory,
            groups: groups,
            ticketEffects: ticketEffects,
            ticketDesk: ticketDesk
        )
    }

    var slaSettingsDesk: SLASettingsDesk {
        SLASettingsDesk(
            clock: clock,
            logger: logger,
            tickets: tickets,
            directory: directory,
            settings: settings,
            sla: sla,
            slaWakeUps: slaWakeUps
        )
    }

    var timeOffDesk: TimeOffDesk {
        TimeOffDesk(
            clock: clock,
            directory: directory,
            settings: settings,
            sla: sla,
            oncallDesk: oncallDesk,
            pages: pages,
            timeEntries: timeEntries
        )
    }

    var reportDesk: ReportDesk {
        ReportDesk(
            clock: clock,
            reports: reports,
            sla: sla,
            directory: directory,
            settings: settings,
            oncall: oncall,
            outbox: outbox,
            timeOff: timeOffDesk,
            incidents: incidents,
            billing: billingDesk,
            mailIdentity: mail?.identity
        )
    }

    var incidentDesk: IncidentDesk {
        IncidentDesk(
            clock: clock,
            incidents: incidents,
            settings: settings,
            directory: directory,
            pages: pages,
            tickets: tickets,
            ticketDesk: ticketDesk,
            timeOff: timeOffDesk,
            notifications: notifications,
            knownErrors: knownErrors,
            mailIdentity: mail?.identity,
            baseURL: baseURL
        )
    }

    /// A customer organisation's data for a data request (`tierdesk export`).
    public var customerExport: CustomerExport {
        CustomerExport(directory: directory, tickets: tickets, attachments: attachments)
    }

    var chatIntakeDesk: ChatIntakeDesk {
        ChatIntakeDesk(clock: clock, settings: settings, directory: directory, ticketDesk: ticketDesk)
    }

    var triageDesk: TriageDesk {
        TriageDesk(
            clock: clock,
            tickets: tickets,
            directory: directory,
            settings: settings,
            oncall: oncall,
            knownErrors: knownErrors,
            groups: groups,
            triage: triage,
            ticketDesk: ticketDesk
        )
    }

    var sessionDesk: SessionDesk {
        SessionDesk(
            clock: clock,
            passwords: passwords,
            directory: directory,
            credentials: credentials,
            identities: identities,
            unknownAccountHash: unknownAccountHash
        )
    }

    var oncallDesk: OnCallDesk {
        OnCallDesk(
            clock: clock,
            pageLinks: pageLinks,
            oncall: oncall,
            pages: pages,
            directory: directory,
            settings: settings
        )
    }

    var pagingDesk: PagingDesk {
        PagingDesk(
            clock: clock,
            pages: pages,
            oncall: oncall,
            settings: settings,
            directory: directory,
            pageLinks: pageLinks,
            pagingWakeUps: pagingWakeUps,
            oncallDesk: oncallDesk,
            ticketDesk: ticketDesk
        )
    }

    var calendarFeeds: CalendarFeeds {
        CalendarFeeds(clock: clock, directory: directory, oncall: oncall)
    }

    var outboxDesk: OutboxDesk {
        OutboxDesk(clock: clock, outbox: outbox, webhooks: webhooks, settings: settings)
    }

    var notificationDesk: NotificationDesk {
        NotificationDesk(clock: clock, notifications: notifications, settings: settings)
    }

    var webhookDesk: WebhookDesk {
        WebhookDesk(clock: clock, webhooks: webhooks)
    }

    var settingsDesk: SettingsDesk {
        SettingsDesk(
            clock: clock,
            settings: settings,
            directory: directory,
            integrations: integrations,
            integrationTokens: integrationTokens,
            outbox: outbox,
            outboxWakeUps: outboxWakeUps,
            priorityMatrix: priorityMatrix,
            escalationGates: escalationGates,
            mailIntake: mailIntake
        )
    }

    var commandLineDirectory: CommandLineDirectory {
        CommandLineDirectory(
            clock: clock,
            directory: directory,
            directoryDesk: directoryDesk,
            settingsDesk: settingsDesk
        )
    }
}

extension AppComponents {
    /// Brings another desk's data over (`tierdesk import`).
    public var importDesk: ImportDesk {
        ImportDesk(
            clock: clock,
            logger: logger,
            imports: ImportRepository(database),
            directory: directory,
            groups: groups,
            planner: sla,
            priorityMatrix: { [settings] in try await settings.priorityMatrix() }
        )
    }
}

extension AppComponents {
    var responseTemplateDesk: ResponseTemplateDesk {
        ResponseTemplateDesk(
            clock: clock,
            templates: ResponseTemplateRepository(database),
            directory: directory,
            ticketDesk: ticketDesk
        )
    }
}

extension AppComponents {
    var invitationDesk: InvitationDesk {
        InvitationDesk(
            clock: clock,
            passwords: passwords,
            directoryDesk: directoryDesk,
            invitations: InvitationRepository(database),
            outboxWakeUps: outboxWakeUps,
            mailIdentity: mail?.identity,
            baseURL: baseURL
        )
    }
}
