import Foundation
import Testing

@testable import TierdeskCore

/// Editable SLA settings: which policy a ticket follows, what is refused, and that edits keep time used.
@Suite struct SLAConfigurationTests {
    static let service = UUID()
    static let organisation = UUID()

    static func ticket(service: UUID? = nil, organisation: UUID = UUID(), priority: Priority = .p3) -> Ticket {
        var ticket = TicketClocksTests.ticket(
            priority: priority,
            severity: Severity(derivedFrom: priority),
            status: .inProgress
        )
        ticket.serviceID = service
        ticket.organisationID = organisation
        return ticket
    }

    static func policy(
        _ name: String,
        _ scope: SLAScope,
        resolution minutes: Int,
        calendar: String = SLAPolicy.officeCalendarName
    ) -> SLAPolicy {
        SLAPolicy(
            name: name,
            scope: scope,
            targets: [.p3: [.resolution: SLATarget(minutes: minutes, calendar: calendar)]]
        )
    }

    @Test func serviceBeatsOrganisationBeatsDefault() throws {
        let configuration = try SLAConfiguration.standard
            .setting(policy: Self.policy("mes", .service(Self.service), resolution: 60))
            .setting(policy: Self.policy("acme", .organisation(Self.organisation), resolution: 120))
        #expect(
            configuration.policy(for: Self.ticket(service: Self.service, organisation: Self.organisation)).name == "mes"
        )
        #expect(configuration.policy(for: Self.ticket(organisation: Self.organisation)).name == "acme")
        #expect(configuration.policy(for: Self.ticket(service: UUID())).name == "standard")
        #expect(configuration.policies.map(\.name) == ["standard", "acme", "mes"])
        #expect(configuration.policy(named: "mes")?.calendars.keys.sorted() == ["office"])
    }

    @Test func invalidSettingsNameEveryField() throws {
        func fields(_ build: () throws -> SLAConfiguration) -> [String] {
            do {
                _ = try build()
                return []
            } catch let failure as ValidationFailure {
                return failure.errors.map(\.field).sorted()
            } catch {
                return ["unexpected \(error)"]
            }
        }
        #expect(
            fields {
                try SLAConfiguration.standard.setting(
                    policy: Self.policy("bad", .service(Self.service), resolution: 0, calendar: "nights")
                )
            }
                == ["policies.bad.targets.P3.resolution.calendar", "policies.bad.targets.P3.resolution.minutes"]
        )
        #expect(
            fields { try SLAConfiguration.standard.setting(policy: Self.policy("second", .everyone, resolution: 60)) }
                == ["policies.standard.scope"]
        )
        #expect(fields { try SLAConfiguration.standard.removing(policy: "standard") } == ["policies"])
        #expect(fields { try SLAConfiguration.standard.removing(calendar: "office") } == ["name"])
        #expect(
            fields { try SLAConfiguration.standard.setting(calendar: .twentyFourSeven, named: "24x7") } == [
                "calendars.24x7"
            ]
        )
        #expect(
            fields { try SLAConfiguration.standard.setting(calendar: .twentyFourSeven, named: "a b/c") } == [
                "calendars.a b/c"
            ]
        )
        var paused = Self.policy("paused", .service(Self.service), resolution: 60)
        paused.pausingStatuses = [.resolved]
        paused.warningShare = 1
        #expect(
            fields { try SLAConfiguration.standard.setting(policy: paused) } == [
                "policies.paused.pausingStatuses", "policies.paused.warningShare",
            ]
        )
    }

    @Test func specsReadBackTheSameSettings() throws {
        let configuration = try SLAConfiguration.standard
            .setting(calendar: SLAPolicy.standardOffice, named: "plant-berlin")
            .setting(policy: Self.policy("mes", .service(Self.service), resolution: 90, calendar: "plant-berlin"))
        let data = try JSONEncoder().encode(SLAConfigurationSpec(configuration))
        #expect(try JSONDecoder().decode(SLAConfigurationSpec.self, from: data).configuration() == configuration)

        let spec = SLAPolicySpec(
            scope: .init(serviceId: Self.service, organisationId: Self.organisation),
            targets: ["P9": [:], "P1": ["soon": SLATarget(minutes: 5, calendar: "24x7")]],
            pausingStatuses: ["sleeping"],
            warningShare: nil,
            escalation: ["later": [], "breach": ["shout"]]
        )
        do {
            _ = try spec.policy(named: "x")
            Issue.record("an invalid policy was accepted")
        } catch {
            #expect(
                error.errors.map(\.field).sorted() == [
                    "policy.escalation.breach[0]", "policy.escalation.later", "policy.pausingStatuses[0]",
                    "policy.scope", "policy.targets.P1.soon", "policy.targets.P9",
                ]
            )
        }
    }

    /// GLPI #6902 / #15605: changing the SLA must not lose the time a pause kept off the clock.
    @Test func aNewPolicyKeepsTimeUsedAndPaused() throws {
        var ticket = Self.ticket()
        ticket.status = .inProgress
        // Created Monday 08:00 CET; paused 10:00–15:00 CET; so by 17:00 CET four working hours are used.
        let events = [
            TicketClocksTests.status(.new, .pendingCustomer, "2026-03-02T09:00:00Z"),
            TicketClocksTests.status(.pendingCustomer, .inProgress, "2026-03-02T14:00:00Z"),
        ]
        let before =
            TicketClocks.clocks(
                for: ticket,
                events: events,
                policy: .standard,
                now: TicketClocksTests.at("2026-03-02T15:00:00Z")
            )
            .first { $0.kind == .resolution }
        // 9 working hours: 2 before the pause, 2 after it on Monday, 5 on Tuesday → Tuesday 13:00 CET.
        #expect(before?.due == TicketClocksTests.at("2026-03-03T12:00:00Z"))
        let longer = try SLAConfiguration.standard.setting(policy: Self.policy("standard", .everyone, resolution: 600))
            .policy(for: ticket)
        let after =
            TicketClocks.clocks(
                for: ticket,
                events: events,
                policy: longer,
                now: TicketClocksTests.at("2026-03-02T15:00:00Z")
            )
            .first { $0.kind == .resolution }
        // One more working hour, and the five paused hours still do not count.
        #expect(after?.due == TicketClocksTests.at("2026-03-03T13:00:00Z"))
    }
}

/// Hierarchical escalation when alarms fire.
@Suite struct SLAEscalationTests {
    static let owner = UUID(), lead = UUID(), managerA = UUID(), managerB = UUID()
    static let contacts = SLAEscalationContacts(groupLead: lead, managers: [managerA, managerB])
    static let now = TicketClocksTests.at("2026-03-03T13:00:00Z")

    static func alarm(_ level: SLAAlarm.Level) -> SLAAlarm {
        SLAAlarm(clock: .resolution, level: level, due: now, fireAt: now)
    }

    @Test func notificationsClimbTheHierarchyWithoutRepeats() {
        var ticket = SLAConfigurationTests.ticket()
        ticket.ownerID = Self.owner
        let warning = SLAEscalation.escalate(
            ticket,
            alarm: Self.alarm(.warning),
            actions: [.notifyOwner],
            contacts: Self.contacts,
            alreadyTaken: [],
            at: Self.now
        )
        #expect(warning.recipients == [Self.owner])
        #expect(warning.ticket == ticket)
        #expect(warning.events.map(\.kind) == [.slaAlarm])
        let breach = SLAEscalation.escalate(
            ticket,
            alarm: Self.alarm(.breach),
            actions: [.notifyOwner, .notifyGroupLead, .notifyManagers, .notifyOwner],
            contacts: Self.contacts,
            alreadyTaken: [],
            at: Self.now
        )
        #expect(breach.recipients == [Self.owner, Self.lead, Self.managerA, Self.managerB])
        #expect(breach.events[0].body == "notified 4 people")
        // Nobody owns it: the group lead hears of it; without a group lead, nobody is invented.
        ticket.ownerID = nil
        #expect(
            SLAEscalation.escalate(
                ticket,
                alarm: Self.alarm(.warning),
                actions: [.notifyOwner],
                contacts: Self.contacts,
                alreadyTaken: [],
                at: Self.now
            )
            .recipients == [Self.lead]
        )
        #expect(
            SLAEscalation.escalate(
                ticket,
                alarm: Self.alarm(.warning),
                actions: [.notifyOwner, .notifyGroupLead],
                contacts: SLAEscalationContacts(groupLead: nil, managers: []),
                alreadyTaken: [],
                at: Self.now
            )
            .recipients.isEmpty
        )
    }

    @Test func raisingAndReassigningHappenOncePerClockAndLevel() {
        var ticket = SLAConfigurationTests.ticket(priority: .p3)
        ticket.ownerID = Self.owner
        let first = SLAEscalation.escalate(
            ticket,
            alarm: Self.alarm(.breach),
            actions: [.raisePriority, .reassignToGroupLead],
            contacts: Self.contacts,
            alreadyTaken: [],
            at: Self.now
        )
        #expect(first.ticket.priority == .p2 && first.ticket.severity == .sev2 && first.ticket.ownerID == Self.lead)
        #expect(first.ticket.version == ticket.version + 1 && first.ticket.updatedAt == Self.now)
        #expect(
            first.events.map { "\($0.kind.rawValue) \($0.field ?? "") \($0.before ?? "") → \($0.after ?? "")" } == [
                "sla_alarm resolution \(Timestamp.format(Self.now)) → breach",
                "field_changed priority P3 → P2",
                "field_changed severity Sev3 → Sev2",
                "assigned ownerId \(Self.owner.uuidString) → \(Self.lead.uuidString)",
            ]
        )
        #expect(
            first.events.dropFirst().allSatisfy { $0.actorID == nil && $0.body == "SLA escalation: resolution breach" }
        )
        #expect(first.taken == ["resolution breach raisePriority", "resolution breach reassignToGroupLead"])
        // The raised ticket breaches again (a new deadline): the one-off actions are not repeated.
        let again = SLAEscalation.escalate(
            first.ticket,
            alarm: SLAAlarm(
                clock: .resolution,
                level: .breach,
                due: Self.now.addingTimeInterval(60),
                fireAt: Self.now.addingTimeInterval(60)
            ),
            actions: [.raisePriority, .reassignToGroupLead],
            contacts: Self.contacts,
            alreadyTaken: first.taken,
            at: Self.now.addingTimeInterval(60)
        )
        #expect(again.ticket == first.ticket && again.events.count == 1)
        // A warning is another level: it may raise once of its own; P1 cannot go higher.
        var urgent = ticket
        urgent.priority = .p1
        urgent.severity = .sev1
        #expect(
            SLAEscalation.escalate(
                urgent,
                alarm: Self.alarm(.warning),
                actions: [.raisePriority],
                contacts: Self.contacts,
                alreadyTaken: [],
                at: Self.now
            )
            .ticket == urgent
        )
    }
}

/// Holidays from iCalendar files.
@Suite struct HolidayImportTests {
    @Test func readsDatesRangesYearlyEventsAndSaysWhatItSkipped() throws {
        let text = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Holidays//EN",
            "BEGIN:VEVENT", "UID:1", "DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261227", "SUMMARY:Christmas",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:2", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY", "SUMMARY:New Year",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:3", "DTSTART:20261003T000000", "DURATION:P1D", "SUMMARY:Day of German", " Unity",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:4", "DTSTART;VALUE=DATE:20261126", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
            "SUMMARY:Thanksgiving\\, US", "END:VEVENT",
            "BEGIN:VEVENT", "UID:5", "SUMMARY:No date", "END:VEVENT",
            "END:VCALENDAR",
        ]
        .joined(separator: "\r\n")
        let result = try HolidayImport.parse(text)
        #expect(result.dates == [LocalDate("2026-12-25")!, LocalDate("2026-12-26")!, LocalDate("2026-10-03")!])
        #expect(result.yearly == [BusinessCalendar.MonthDay(month: 1, day: 1)])
        #expect(result.skipped.map(\.summary) == ["Thanksgiving, US", "No date"])
        #expect(result.skipped[0].reason.hasPrefix("repeats by a rule other than every year"))
    }

    @Test func refusesWhatIsNotAnICalendarFile() {
        #expect(
            throws: ValidationFailure(
                field: "file",
                message: "is not an iCalendar file: it must start with BEGIN:VCALENDAR"
            )
        ) {
            _ = try HolidayImport.parse("Date,Name\n2026-12-25,Christmas\n")
        }
    }
}
