import Foundation
import Testing

@testable import TierdeskCore

/// The incident cadence, the subscribers' shapes, the review's checks and the status page, on fixed
/// instants with hand-computed expectations.
struct MajorIncidentTests {
    static let t0 = Timestamp.parse("2026-03-29T00:30:00Z")!  // 01:30 in Berlin, half an hour before DST
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let mes = Service(id: UUID(), name: "MES", supportModel: .tiered, createdAt: t0)
    static let scanners = Service(id: UUID(), name: "Scanners", supportModel: .swarm, createdAt: t0)

    static func incident(_ severity: Severity = .sev1, due: Date? = nil) -> MajorIncident {
        MajorIncident(
            number: 3,
            title: "Acme line 3: TD-1001",
            publicTitle: "Production orders delayed",
            severity: severity,
            origin: .manual,
            serviceIDs: [mes.id],
            organisationIDs: [UUID()],
            leadID: UUID(),
            commsLeadID: UUID(),
            declaredAt: t0,
            declaredBy: nil,
            nextUpdateDue: due ?? t0.addingTimeInterval(3600)
        )
    }

    @Test func aDeadlineIsRemindedOnceThenMissedOnceAndEveryIntervalWithoutAnUpdateCounts() {
        let policy = IncidentPolicy()  // Sev1 every 60 min, reminder 10 min before
        var incident = Self.incident()
        let deadline = Self.t0.addingTimeInterval(3600)
        #expect(IncidentCadence.due(incident, policy: policy, at: Self.t0.addingTimeInterval(49 * 60)) == nil)
        #expect(
            IncidentCadence.due(incident, policy: policy, at: Self.t0.addingTimeInterval(50 * 60))
                == .reminder(deadline: deadline)
        )
        incident.remindedFor = deadline
        #expect(IncidentCadence.due(incident, policy: policy, at: Self.t0.addingTimeInterval(55 * 60)) == nil)
        #expect(IncidentCadence.nextCheck(incident, policy: policy) == deadline)
        // Checked 2 h 30 min late: the 01:30, 02:30 and 03:30 UTC deadlines passed, three misses, one page,
        // and the next deadline is the first boundary after now (04:30 UTC).
        let late = deadline.addingTimeInterval(2.5 * 3600)
        #expect(IncidentCadence.due(incident, policy: policy, at: late) == .missed(deadline: deadline))
        let after = IncidentCadence.afterMiss(incident, deadline: deadline, policy: policy, at: late)
        #expect(after.missedUpdates == 3)
        #expect(after.nextUpdateDue == deadline.addingTimeInterval(3 * 3600))
        #expect(IncidentCadence.due(after, policy: policy, at: late) == nil)
        // A resolved incident owes nothing.
        var resolved = after
        resolved.state = .resolved
        #expect(IncidentCadence.due(resolved, policy: policy, at: late.addingTimeInterval(86_400)) == nil)
        // Sev2 runs every four hours; an update after now moves the deadline one interval on.
        #expect(
            IncidentCadence.nextDeadline(after: Self.t0, state: .identified, severity: .sev2, policy: policy)
                == Self.t0.addingTimeInterval(4 * 3600)
        )
        #expect(IncidentCadence.nextDeadline(after: Self.t0, state: .resolved, severity: .sev1, policy: policy) == nil)
    }

    @Test func theImpactCountsTheLargestHourlyFigurePerCurrencyOverTheDisruption() {
        var incident = Self.incident()
        incident.resolvedAt = Self.t0.addingTimeInterval(90 * 60)  // 1.5 hours
        func ticket(_ amount: Int?, _ currency: String = "EUR") -> Ticket {
            var ticket = Ticket(
                id: UUID(),
                number: 1,
                type: .incident,
                channel: .phone,
                title: "t",
                description: "d",
                requesterID: UUID(),
                organisationID: incident.organisationIDs[0],
                serviceID: nil,
                impact: .high,
                urgency: .high,
                priority: .p1,
                severity: .sev1,
                status: .new,
                tier: .l1,
                group: nil,
                ownerID: nil,
                vendorID: nil,
                workaroundApplied: false,
                requestedBy: nil,
                version: 1,
                createdAt: Self.t0,
                updatedAt: Self.t0
            )
            ticket.businessImpact = amount.map { BusinessImpact(amountPerHour: $0, currency: currency) }
            return ticket
        }
        let impact = IncidentImpact(
            incident: incident,
            tickets: [ticket(12_000), ticket(8_000), ticket(500, "GBP"), ticket(nil)],
            at: Self.t0.addingTimeInterval(86_400)
        )
        #expect(impact.seconds == 5400 && impact.tickets == 4 && impact.organisations == 1)
        #expect(
            impact.costs == [
                .init(currency: "EUR", perHour: 12_000, total: 18_000),
                .init(currency: "GBP", perHour: 500, total: 750),
            ]
        )
    }

    @Test func thePolicyRefusesIntervalsAndTemplatesThatCannotWork() {
        var policy = IncidentPolicy()
        policy.sev1UpdateMinutes = 2
        policy.reminderMinutes = 300
        policy.templates.monitoring = " "
        #expect(throws: ValidationFailure.self) { try policy.checked() }
        do {
            _ = try policy.checked()
        } catch {
            #expect(error.errors.map(\.field) == ["sev1UpdateMinutes", "reminderMinutes", "templates.monitoring"])
        }
        #expect(IncidentPolicy().reviewRequired(.sev1) && !IncidentPolicy().reviewRequired(.sev2))
    }

    @Test func subscribersAreMatchedByServiceAndOrganisationAndTheirTargetsChecked() throws {
        let incident = Self.incident()
        let everyone = IncidentSubscriber(
            kind: .email,
            target: "ops@x.example",
            serviceID: nil,
            organisationID: nil,
            createdAt: Self.t0
        )
        var mes = everyone
        mes.serviceID = Self.mes.id
        var scanners = everyone
        scanners.serviceID = Self.scanners.id
        var otherOrganisation = mes
        otherOrganisation.organisationID = UUID()
        #expect(everyone.receives(incident) && mes.receives(incident))
        #expect(!scanners.receives(incident) && !otherOrganisation.receives(incident))
        #expect(throws: FieldError.self) {
            try IncidentSubscriber.checkedTarget("http://10.0.0.5/hook", kind: .slack, allowPrivateTargets: false)
        }
        #expect(throws: FieldError.self) {
            try IncidentSubscriber.checkedTarget("ops at example", kind: .email, allowPrivateTargets: false)
        }
        #expect(
            try IncidentSubscriber.checkedTarget(
                " https://hooks.slack.com/services/T/B/X ",
                kind: .slack,
                allowPrivateTargets: false
            )
                == "https://hooks.slack.com/services/T/B/X"
        )
    }

    @Test func everyChannelCarriesOnlyThePublicTextInItsOwnShape() throws {
        let incident = Self.incident()
        let update = IncidentUpdate(
            incidentID: incident.id,
            at: Self.t0.addingTimeInterval(600),
            authorID: UUID(),
            state: .identified,
            message: "Orders <stuck> & replayed",
            noChange: false,
            nextUpdateDue: Self.t0.addingTimeInterval(4200)  // 01:40 UTC = 03:40 CEST, after the change at 01:00 UTC
        )
        let broadcast = IncidentBroadcast(
            incident: incident,
            update: update,
            services: ["MES"],
            statusURL: "https://desk.example/status",
            timeZone: Self.berlin
        )
        #expect(broadcast.headline == "[Identified] Production orders delayed (MES)")
        #expect(broadcast.local(update.nextUpdateDue!) == "2026-03-29 03:40 CEST")
        #expect(broadcast.mailText.contains("Next update by 2026-03-29 03:40 CEST."))
        let slack = try JSONDecoder().decode(IncidentBroadcast.SlackMessage.self, from: broadcast.body(for: .slack))
        #expect(slack.blocks.map(\.type) == ["header", "section", "context"])
        #expect(slack.blocks[1].text?.text == "Orders &lt;stuck&gt; &amp; replayed")
        let teams = try JSONDecoder().decode(IncidentBroadcast.TeamsMessage.self, from: broadcast.body(for: .teams))
        #expect(teams.type == "message" && teams.attachments.count == 1)
        #expect(teams.attachments[0].content.schema == "http://adaptivecards.io/schemas/adaptive-card.json")
        #expect(teams.attachments[0].content.body[1].text == "Orders <stuck> & replayed")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let hook = try decoder.decode(IncidentBroadcast.WebhookBody.self, from: broadcast.body(for: .webhook))
        #expect(hook.incident.reference == "INC-3" && hook.incident.title == "Production orders delayed")
        for kind in [IncidentSubscriber.Kind.slack, .teams, .webhook] {
            let text = String(decoding: try broadcast.body(for: kind), as: UTF8.self)
            #expect(!text.contains("Acme") && !text.contains("TD-1001"), "\(kind) carries the internal title")
        }
    }

    @Test func aReviewNeedsItsThreeCoreFieldsAndWellFormedActionItems() throws {
        let bad = PostIncidentReview(
            summary: " ",
            impact: "Line 3 halted 70 min",
            rootCause: "",
            actionItems: [.init(title: "", due: "next week", ticket: "INC-1")]
        )
        do {
            _ = try bad.checked()
            Issue.record("an incomplete review was accepted")
        } catch {
            #expect(
                error.errors.map(\.field) == [
                    "summary", "rootCause", "actionItems[0].title", "actionItems[0].due", "actionItems[0].ticket",
                ]
            )
        }
        let good = try PostIncidentReview(
            summary: " Firmware ",
            impact: "Line 3",
            rootCause: "Push",
            actionItems: [.init(title: "Stage it", due: "2026-04-30", ticket: "td-12")],
            knownError: " ke-3 "
        )
        .checked()
        #expect(good.summary == "Firmware" && good.actionItems[0].ticket == "TD-12" && good.knownError == "KE-3")
        #expect(good.customerText == "Firmware")
    }

    @Test func theStatusPageShowsOnlyUpdatedIncidentsAndTheWorstImpactOfEachLocalDay() {
        let now = Timestamp.parse("2026-03-30T10:00:00Z")!
        var sev1 = Self.incident()  // declared 2026-03-29 01:30 CET
        sev1.state = .resolved
        sev1.resolvedAt = Timestamp.parse("2026-03-29T23:30:00Z")!  // 01:30 CEST on the 30th
        var quiet = Self.incident(.sev2)
        quiet.number = 4
        let update = IncidentUpdate(
            incidentID: sev1.id,
            at: Self.t0.addingTimeInterval(300),
            authorID: nil,
            state: .resolved,
            message: "Fixed",
            noChange: false,
            nextUpdateDue: nil
        )
        let page = StatusPage(
            incidents: [sev1, quiet],
            updates: [sev1.id: [update]],
            services: [Self.scanners, Self.mes],
            now: now,
            zone: Self.berlin
        )
        // The Sev2 incident has said nothing yet, so the page does not show it.
        #expect(page.recent.map(\.reference) == ["INC-3"])
        #expect(page.current.map(\.title) == ["Production orders delayed"])  // resolved within the last day
        #expect(page.services.map(\.name) == ["MES", "Scanners"])
        let mes = page.services[0].days
        #expect(mes.count == 90 && mes.last?.date == LocalDate(year: 2026, month: 3, day: 30))
        #expect(mes[87].impact == .none && mes[88].impact == .major && mes[89].impact == .major)
        #expect(page.services[1].days.allSatisfy { $0.impact == .none })
        #expect(page.services[0].impact == .none)
    }
}

/// When SLA notifications leave the console: quiet hours hold all but Sev1 until they end.
struct NotificationPreferencesTests {
    static let quiet = NotificationPreferences(
        timeZone: "Europe/Berlin",
        quietHours: .init(start: "22:00", end: "07:00")
    )

    @Test func quietHoursOverMidnightEndOnTheLocalClockAcrossTheChangeToSummerTime() {
        // 23:30 CET on Saturday 28 March; clocks go forward at 02:00, so 07:00 CEST is 05:00 UTC.
        let late = Timestamp.parse("2026-03-28T22:30:00Z")!
        #expect(Self.quiet.deliveryTime(for: .sev2, at: late) == Timestamp.parse("2026-03-29T05:00:00Z")!)
        #expect(Self.quiet.deliveryTime(for: .sev3, at: late) == Timestamp.parse("2026-03-29T05:00:00Z")!)
        #expect(Self.quiet.deliveryTime(for: .sev1, at: late) == late)
        // 03:30 CEST, after midnight: the same morning's 07:00.
        let early = Timestamp.parse("2026-03-29T01:30:00Z")!
        #expect(Self.quiet.deliveryTime(for: .sev3, at: early) == Timestamp.parse("2026-03-29T05:00:00Z")!)
        // 08:00 CEST is outside: at once.
        let morning = Timestamp.parse("2026-03-29T06:00:00Z")!
        #expect(Self.quiet.deliveryTime(for: .sev3, at: morning) == morning)
        // Quiet hours within one day: 12:15 CEST waits for 13:00 CEST.
        let lunch = NotificationPreferences(timeZone: "Europe/Berlin", quietHours: .init(start: "12:00", end: "13:00"))
        #expect(
            lunch.deliveryTime(for: .sev2, at: Timestamp.parse("2026-07-01T10:15:00Z")!)
                == Timestamp.parse("2026-07-01T11:00:00Z")!
        )
        #expect(NotificationPreferences().deliveryTime(for: .sev3, at: late) == late)
    }

    @Test func preferencesNameEveryFieldThatIsWrong() {
        let bad = NotificationPreferences(
            chatWebhook: "http://192.168.1.5/hook",
            timeZone: "Mars/Base",
            quietHours: .init(start: "7:00", end: "25:00")
        )
        do {
            _ = try bad.checked(allowPrivateTargets: false)
            Issue.record("bad preferences were accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["chatWebhook", "timeZone", "quietHours.start", "quietHours.end"])
        }
        do {
            _ = try NotificationPreferences(quietHours: .init(start: "22:00", end: "07:00"))
                .checked(allowPrivateTargets: false)
            Issue.record("quiet hours without a time zone were accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["timeZone"])
        }
        let blank = try? NotificationPreferences(chatWebhook: "  ").checked(allowPrivateTargets: false)
        #expect(blank?.chatWebhook == nil)
    }
}
