import Foundation
import Testing

@testable import TierdeskCore

/// Alert intake in the Core: time stamps, the three payloads, the decision table, severity and ticket text.
struct AlertTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func timeStampsAreTakenAsSourcesWriteThem() {
        #expect(Timestamp.parse("2026-09-21T10:00:00Z") == Date(timeIntervalSince1970: 1_789_984_800))
        #expect(
            abs(
                Timestamp.parse("2026-09-21T10:00:00.123456789Z")!
                    .timeIntervalSince(Timestamp.parse("2026-09-21T10:00:00Z")!) - 0.123456789
            ) < 1e-6
        )
        #expect(Timestamp.parse("2026-09-21T12:00:00+02:00") == Timestamp.parse("2026-09-21T10:00:00Z"))
        #expect(Timestamp.parse("2026-09-21T05:30:00-04:30") == Timestamp.parse("2026-09-21T10:00:00Z"))
        #expect(
            AlertGroupWebhook.instant("0001-01-01T00:00:00Z") == nil
                && AlertGroupWebhook.instant("2026-09-21T10:00:00Z") != nil
        )
        for bad in [
            "", "2026-02-30T10:00:00Z", "2026-09-21 10:00:00", "2026-09-21T10:00:00", "2026-09-21T10:00:00.Z",
            "2026-09-21T25:00:00Z", "2026-09-21T10:00:00Zjunk",
        ] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }

    static let alertmanagerBody = """
        {"version":"4","groupKey":"{}:{alertname=\\"HighErrorRate\\"}","truncatedAlerts":0,"status":"firing","receiver":"tierdesk",
         "groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093",
         "alerts":[
          {"status":"firing","labels":{"alertname":"HighErrorRate","severity":"critical","service":"MES"},
           "annotations":{"summary":"5xx above 5 %","description":"Line 3 cannot book."},
           "startsAt":"2026-09-21T10:00:00.123Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom:9090/graph","fingerprint":"a1b2c3d4e5f60718"},
          {"status":"resolved","labels":{"alertname":"DiskFull","severity":"warning"},"annotations":{},
           "startsAt":"2026-09-21T09:00:00Z","endsAt":"2026-09-21T09:30:00Z","generatorURL":"","fingerprint":""}
         ]}
        """

    @Test func alertmanagerWebhookBecomesSignals() throws {
        let webhook = try JSONDecoder().decode(AlertGroupWebhook.self, from: Data(Self.alertmanagerBody.utf8))
        let signals = try webhook.signals(from: .alertmanager)
        #expect(signals.count == 2)
        #expect(
            signals[0].key == "a1b2c3d4e5f60718" && signals[0].action == .trigger
                && signals[0].summary == "HighErrorRate: 5xx above 5 %"
        )
        #expect(
            signals[0].startedAt == Timestamp.parse("2026-09-21T10:00:00.123Z") && signals[0].endedAt == nil
                && signals[0].link == "http://prom:9090/graph"
        )
        // Without a fingerprint the labels make the key, the same for the same labels in any order.
        #expect(
            signals[1].key.hasPrefix("labels-")
                && signals[1].key
                    == AlertKey.make(given: nil, labels: ["severity": "warning", "alertname": "DiskFull"])
        )
        #expect(signals[1].key != AlertKey.make(given: nil, labels: ["alertname": "DiskFull"]))
        #expect(signals[1].action == .resolve && signals[1].endedAt == Timestamp.parse("2026-09-21T09:30:00Z"))
    }

    @Test func badAlertsAreNamedByIndex() throws {
        let body =
            #"{"alerts":[{"status":"firing","labels":{}},{"status":"pending","labels":{}},{"status":"firing","labels":{},"startsAt":"yesterday"}]}"#
        let webhook = try JSONDecoder().decode(AlertGroupWebhook.self, from: Data(body.utf8))
        let failure = try #require(throws: ValidationFailure.self) { try webhook.signals(from: .grafana) }
        #expect(failure.errors.map(\.field) == ["alerts[1].status", "alerts[2].startsAt"])
        let many = AlertGroupWebhook(
            alerts: Array(repeating: webhook.alerts[0], count: AlertGroupWebhook.maxAlerts + 1)
        )
        #expect(throws: ValidationFailure.self) { try many.signals(from: .alertmanager) }
    }

    @Test func eventsFollowTheEventsAPIShape() throws {
        func event(_ json: String) throws -> AlertEvent {
            try JSONDecoder().decode(AlertEvent.self, from: Data(json.utf8))
        }
        let trigger = try event(
            #"{"event_action":"trigger","payload":{"summary":"Disk 95 %","source":"db-1","severity":"Error","custom_details":{"free":"5 %","volumes":["/var",{"name":"/data"}]}}}"#
        )
        let signal = try trigger.signal(generatedKey: "generated")
        #expect(
            signal.key == "generated" && signal.action == .trigger
                && signal.labels == ["severity": "error", "source": "db-1"]
        )
        #expect(signal.details == "free: 5 %\nvolumes:\n  - /var\n  -\n    name: /data")
        let failure = try #require(throws: ValidationFailure.self) {
            try event(#"{"event_action":"trigger","payload":{"severity":"huge","timestamp":"soon"}}"#)
                .signal(generatedKey: "g")
        }
        #expect(
            failure.errors.map(\.field) == [
                "payload.summary", "payload.source", "payload.severity", "payload.timestamp",
            ]
        )
        let resolve = try #require(throws: ValidationFailure.self) {
            try event(#"{"event_action":"resolve"}"#).signal(generatedKey: "g")
        }
        #expect(resolve.errors.map(\.field) == ["dedup_key"])
        #expect(throws: ValidationFailure.self) {
            try event(#"{"event_action":"snooze","dedup_key":"k"}"#).signal(generatedKey: "g")
        }
        #expect(try event(#"{"event_action":"acknowledge","dedup_key":"k"}"#).signal(generatedKey: "g").key == "k")
    }

    private func state(_ status: AlertState.Status, open: Bool = true, started: Date? = nil, resolved: Date? = nil)
        -> AlertState
    {
        AlertState(
            source: .alertmanager,
            key: "k",
            status: status,
            ticketNumber: 7,
            ticketOpen: open,
            startedAt: started,
            resolvedAt: resolved,
            count: 1,
            firstSeen: t0,
            lastSeen: t0,
            summary: "s"
        )
    }

    private func signal(_ action: AlertSignal.Action, started: Date? = nil) -> AlertSignal {
        AlertSignal(source: .alertmanager, key: "k", action: action, summary: "s", startedAt: started)
    }

    @Test func decisionsCoverRepeatsLateFiringsAndEarlyResolutions() {
        let s0 = t0
        let s1 = t0.addingTimeInterval(3600)
        let r0 = t0.addingTimeInterval(600)
        #expect(AlertDecision.decide(signal(.trigger, started: s0), state: nil) == .open)
        #expect(AlertDecision.decide(signal(.trigger, started: s0), state: state(.firing, started: s0)) == .repeated)
        #expect(
            AlertDecision.decide(signal(.trigger, started: s0), state: state(.acknowledged, started: s0)) == .repeated
        )
        // The ticket was resolved by hand while the alert still fires: the same episode only counts, a new one opens.
        #expect(
            AlertDecision.decide(signal(.trigger, started: s0), state: state(.firing, open: false, started: s0))
                == .repeated
        )
        #expect(
            AlertDecision.decide(signal(.trigger, started: s1), state: state(.firing, open: false, started: s0))
                == .open
        )
        #expect(AlertDecision.decide(signal(.trigger), state: state(.firing, open: false)) == .open)
        // After a resolution: a late copy of the same episode is ignored, a new episode opens or re-fires.
        guard
            case .ignore = AlertDecision.decide(
                signal(.trigger, started: s0),
                state: state(.resolved, open: false, started: s0, resolved: r0)
            )
        else {
            Issue.record("late firing not ignored")
            return
        }
        #expect(
            AlertDecision.decide(
                signal(.trigger, started: s1),
                state: state(.resolved, open: false, started: s0, resolved: r0)
            ) == .open
        )
        #expect(
            AlertDecision.decide(
                signal(.trigger, started: s1),
                state: state(.resolved, open: true, started: s0, resolved: r0)
            ) == .refired
        )
        // Resolutions: before any firing they are remembered; twice, or for an earlier episode, ignored.
        #expect(AlertDecision.decide(signal(.resolve, started: s0), state: nil) == .rememberResolved)
        #expect(AlertDecision.decide(signal(.resolve, started: s0), state: state(.firing, started: s0)) == .resolve)
        #expect(AlertDecision.decide(signal(.resolve), state: state(.acknowledged, started: s0)) == .resolve)
        #expect(
            AlertDecision.decide(signal(.resolve, started: s0), state: state(.resolved, started: s0, resolved: r0))
                == .ignore("already resolved")
        )
        #expect(
            AlertDecision.decide(signal(.resolve, started: s0), state: state(.firing, started: s1))
                == .ignore("the resolution of an earlier episode")
        )
        // Episodes compare to the millisecond: a start read back from a database a few microseconds off is the same episode.
        let sent = Date(timeIntervalSince1970: 1_790_000_000.550732)
        let stored = state(.firing, started: Date(timeIntervalSince1970: 1_790_000_000.551))
        #expect(signal(.resolve, started: sent).startedAt == Date(timeIntervalSince1970: 1_790_000_000.551))
        #expect(AlertDecision.decide(signal(.resolve, started: sent), state: stored) == .resolve)
        #expect(
            AlertDecision.decide(
                signal(.trigger, started: sent),
                state: state(.firing, open: false, started: Date(timeIntervalSince1970: 1_790_000_000.5510004))
            ) == .repeated
        )
        // Acknowledgements only for a firing alert with an open ticket.
        #expect(AlertDecision.decide(signal(.acknowledge), state: state(.firing)) == .acknowledge)
        #expect(AlertDecision.decide(signal(.acknowledge), state: nil) != .acknowledge)
        #expect(AlertDecision.decide(signal(.acknowledge), state: state(.acknowledged)) != .acknowledge)
    }

    @Test func severityComesFromTheMappedLabel() throws {
        var settings = AlertIntakeSettings()
        #expect(settings.severity(of: ["severity": "Critical "]) == .sev1)
        #expect(settings.severity(of: ["severity": "error"]) == .sev2)
        #expect(settings.severity(of: ["severity": "whatever"]) == .sev3)
        #expect(settings.severity(of: [:]) == .sev3)
        settings.severityLabel = "priority"
        settings.severities = ["p1": .sev1]
        settings.defaultSeverity = .sev2
        #expect(settings.severity(of: ["priority": "P1", "severity": "info"]) == .sev1)
        #expect(settings.severity(of: ["severity": "critical"]) == .sev2)
        settings.severities = ["P1": .sev1]
        settings.serviceLabel = " "
        let failure = try #require(throws: ValidationFailure.self) { try settings.validate() }
        #expect(failure.errors.map(\.field) == ["serviceLabel", "severities"])
    }

    @Test func ticketTextIsEscapedAndCut() {
        let signal = AlertSignal(
            source: .grafana,
            key: "k\u{7}",
            action: .trigger,
            summary: "Disk\r\nBcc: evil@example.com\u{0}full",
            details: "line 1\n\u{1b}[31mred\u{0}",
            labels: ["note": String(repeating: "x", count: 5000), "team\n": "ops"],
            link: "http://grafana/d/1"
        )
        let title = AlertText.title(signal)
        #expect(title == "[Grafana] Disk Bcc: evil@example.com full")
        let description = AlertText.description(signal)
        #expect(!description.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{1b}" || $0 == "\u{7}" || $0 == "\r" })
        #expect(
            description.contains("  team = ops") && description.contains("x…")
                && !description.contains(String(repeating: "x", count: 1001))
        )
        #expect(AlertText.line(String(repeating: "y", count: 400), max: TextLimits.title).count == TextLimits.title)
    }

    @Test func alertsActOnlyAsAnActiveAgent() throws {
        let requester = Person(
            id: UUID(),
            email: "r@example.com",
            name: "R",
            roles: [.requester],
            organisationID: UUID(),
            createdAt: t0
        )
        #expect(throws: TierdeskError.self) {
            _ = try AlertTicketing(
                workflow: TicketWorkflow(),
                rules: TriageRules(rules: []),
                articles: [:],
                settings: AlertIntakeSettings(),
                reporter: requester,
                services: [:],
                now: t0
            )
        }
        let agent = Person(
            id: UUID(),
            email: "a@example.com",
            name: "A",
            roles: [.agent],
            tier: .l1,
            active: false,
            createdAt: t0
        )
        #expect(throws: TierdeskError.self) {
            _ = try AlertTicketing(
                workflow: TicketWorkflow(),
                rules: TriageRules(rules: []),
                articles: [:],
                settings: AlertIntakeSettings(),
                reporter: agent,
                services: [:],
                now: t0
            )
        }
    }
}
