import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// The alert endpoints through the real router: tokens per source, the intake settings, the three
/// payloads, and what staff and requesters see.
struct AlertIntakeTests {
    static func post(_ f: ServerFixture, _ source: String, _ json: String, token: String?) async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await f.call(
            .post,
            "/api/v1/integrations/\(source)",
            body: ByteBuffer(string: json),
            headers: headers
        )
    }

    static func alertmanager(
        _ status: String,
        fingerprint: String,
        severity: String = "critical",
        service: String = "MES",
        startsAt: String = "2026-09-21T10:00:00Z",
        endsAt: String = "0001-01-01T00:00:00Z"
    ) -> String {
        """
        {"version":"4","status":"\(status)","receiver":"tierdesk","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","truncatedAlerts":0,"groupKey":"{}",
         "alerts":[{"status":"\(status)","labels":{"alertname":"LineStopped","severity":"\(severity)","service":"\(service)"},"annotations":{"summary":"Line 3 <b>stopped</b>"},
                    "startsAt":"\(startsAt)","endsAt":"\(endsAt)","generatorURL":"http://prom/graph","fingerprint":"\(fingerprint)"}]}
        """
    }

    /// Sets the intake up with Omar (L2 agent) as reporter.
    static func setUp(_ f: ServerFixture, onResolve: String = "close") async throws {
        let settings =
            #"{"reporterId":"\#(f.people["omar"]!.id.uuidString)","severityLabel":"severity","severities":{"critical":"Sev1","warning":"Sev3"},"defaultSeverity":"Sev3","serviceLabel":"service","onResolve":"\#(onResolve)"}"#
        let saved = try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: settings)
        #expect(saved.status == .ok)
    }

    @Test func eachSourceHasItsOwnTokenAndNothingIsTakenBeforeSetUp() async throws {
        try await ServerFixture.with { f in
            let (_, am) = try await f.components.settingsDesk.createIntegration(kind: .alertmanager, name: "prod")
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let body = Self.alertmanager("firing", fingerprint: "f1")
            #expect(try await Self.post(f, "alertmanager", body, token: nil).status == .unauthorized)
            #expect(try await Self.post(f, "alertmanager", body, token: f.tokens["admin"]).status == .unauthorized)
            #expect(try await Self.post(f, "alertmanager", body, token: gate).status == .unauthorized)
            #expect(try await Self.post(f, "grafana", body, token: am).status == .unauthorized)
            // Until a reporter is set the source is asked to send again later, and nothing is stored.
            let early = try await Self.post(f, "alertmanager", body, token: am)
            #expect(early.status == .serviceUnavailable && early.text.contains("reporterId"))
            #expect(try await f.components.alerts.list().isEmpty)

            // The settings: admins only, and the reporter must be an active agent.
            #expect(try await f.call(.get, "/api/v1/settings/alert-intake", as: "lena").status == .forbidden)
            let alice =
                #"{"reporterId":"\#(f.people["alice"]!.id.uuidString)","severityLabel":"severity","severities":{},"defaultSeverity":"Sev3","serviceLabel":"service","onResolve":"close"}"#
            let refused = try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: alice)
            #expect(try refused.problemFields() == ["reporterId"])
            #expect(refused.text.contains("Only agents and managers may open tickets for other people"))
            let bad =
                #"{"severityLabel":"","severities":{"Critical":"Sev1"},"defaultSeverity":"Sev3","serviceLabel":"service","onResolve":"close"}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: bad).problemFields() == [
                    "severityLabel", "severities",
                ]
            )
            let unknown =
                #"{"severityLabel":"severity","severities":{},"defaultSeverity":"Sev9","serviceLabel":"service","onResolve":"close"}"#
            let sev9 = try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: unknown)
            #expect(sev9.status == .badRequest && sev9.text.contains("must be one of Sev1, Sev2, Sev3 (got Sev9)"))
            try await Self.setUp(f)
            #expect(try await Self.post(f, "alertmanager", body, token: am).status == .ok)
            #expect(
                try await Self.post(f, "alertmanager", Self.alertmanager("pending", fingerprint: "f2"), token: am)
                    .problemFields() == ["alerts[0].status"]
            )
            #expect(
                try await Self
                    .post(
                        f,
                        "alertmanager",
                        body.replacingOccurrences(of: #""version":"4""#, with: #""version":"3""#),
                        token: am
                    )
                    .problemFields() == ["version"]
            )
        }
    }

    @Test func alertmanagerOpensCountsAndResolvesOneTicket() async throws {
        try await ServerFixture.with { f in
            let (_, am) = try await f.components.settingsDesk.createIntegration(kind: .alertmanager, name: "prod")
            let service = try await f.call(
                .post,
                "/api/v1/services",
                as: "admin",
                json: #"{"name":"MES","supportModel":"internal"}"#
            )
            let serviceID = try #require(try service.json()["id"] as? String)
            try await Self.setUp(f)
            let firing = Self.alertmanager("firing", fingerprint: "4f9a0c1e22d7b3aa")
            let first = try await Self.post(f, "alertmanager", firing, token: am)
            let reference = try #require(try first.decoded(as: AlertWebhookResultDTO.self).alerts.first?.ticket)
            for _ in 0..<3 { _ = try await Self.post(f, "alertmanager", firing, token: am) }
            let repeated = try await Self.post(f, "alertmanager", firing, token: am)
            #expect(try repeated.decoded(as: AlertWebhookResultDTO.self).alerts.first?.outcome == .repeated)

            let ticket = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena").decoded(as: TicketDTO.self)
            #expect(ticket.severity == "Sev1" && ticket.type == "alert" && ticket.channel == "monitoring")
            #expect(ticket.serviceId?.uuidString == serviceID && ticket.tier == "L2")
            #expect(ticket.title == "[Alertmanager] LineStopped: Line 3 <b>stopped</b>")
            let listed = try await f.call(.get, "/api/v1/alerts?ticket=\(reference)", as: "lena")
                .decoded(as: [AlertDTO].self)
            #expect(listed.count == 1 && listed[0].count == 5 && listed[0].status == .firing)
            #expect(try await f.call(.get, "/api/v1/alerts", as: "alice").status == .forbidden)
            #expect(try await f.call(.get, "/api/v1/alerts?status=open", as: "lena").problemFields() == ["status"])
            // The reporter's own ticket is internal: a customer sees none of it.
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)", as: "alice").status == .notFound)

            let resolved = Self.alertmanager(
                "resolved",
                fingerprint: "4f9a0c1e22d7b3aa",
                endsAt: "2026-09-21T10:20:00Z"
            )
            func outcome(_ body: String) async throws -> AlertRepository.Outcome.Kind? {
                try await Self.post(f, "alertmanager", body, token: am).decoded(as: AlertWebhookResultDTO.self)
                    .alerts.first?
                    .outcome
            }
            #expect(try await outcome(resolved) == .resolved)
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena").decoded(as: TicketDTO.self).status
                    == "resolved"
            )
            // Alertmanager sends the resolution again on its next cycle: nothing changes.
            #expect(try await outcome(resolved) == .ignored)
        }
    }

    @Test func grafanaAndGenericEvents() async throws {
        try await ServerFixture.with { f in
            let (_, grafana) = try await f.components.settingsDesk.createIntegration(kind: .grafana, name: "grafana")
            let (_, events) = try await f.components.settingsDesk.createIntegration(kind: .events, name: "scripts")
            try await Self.setUp(f, onResolve: "annotate")
            let body = """
                {"receiver":"tierdesk","status":"firing","orgId":1,"version":"1","title":"[FIRING:1] Disk","state":"alerting","message":"m","groupKey":"{}","truncatedAlerts":0,
                 "alerts":[{"status":"firing","labels":{"alertname":"Disk","grafana_folder":"Infra","severity":"warning"},"annotations":{"description":"Disk 95 %"},
                 "startsAt":"2026-09-21T10:00:00+02:00","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://g/alerting","fingerprint":"","dashboardURL":"http://g/d/1","valueString":"[ var='A' value=95 ]"}]}
                """
            let opened = try await Self.post(f, "grafana", body, token: grafana)
            let outcome = try #require(try opened.decoded(as: AlertWebhookResultDTO.self).alerts.first)
            #expect(outcome.outcome == .opened && outcome.key.hasPrefix("labels-"))
            let reference = try #require(outcome.ticket)
            let description = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena")
                .decoded(as: TicketDTO.self).description
            #expect(
                description.contains("Disk 95 %") && description.contains("Values: [ var='A' value=95 ]")
                    && description.contains("Link: http://g/d/1")
            )

            let trigger =
                #"{"event_action":"trigger","dedup_key":"backup-db-1","payload":{"summary":"Backup failed","source":"db-1","severity":"critical","custom_details":{"exit":2}}}"#
            let first = try await Self.post(f, "events", trigger, token: events)
            #expect(first.status == .accepted)
            let result = try first.decoded(as: AlertEventResultDTO.self)
            #expect(result.status == "success" && result.dedupKey == "backup-db-1" && result.outcome == .opened)
            let ticket = try #require(result.ticket)
            func event(_ body: String) async throws -> AlertRepository.Outcome.Kind {
                try await Self.post(f, "events", body, token: events).decoded(as: AlertEventResultDTO.self).outcome
            }
            #expect(try await event(trigger) == .repeated)
            #expect(try await event(#"{"event_action":"acknowledge","dedup_key":"backup-db-1"}"#) == .acknowledged)
            #expect(try await event(#"{"event_action":"resolve","dedup_key":"backup-db-1"}"#) == .resolved)
            // Annotating leaves the ticket to the agents.
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(ticket)", as: "lena").decoded(as: TicketDTO.self).status
                    == "new"
            )
            let history = try await f.call(.get, "/api/v1/tickets/\(ticket)/events", as: "lena").text
            #expect(
                history.contains("Events API reports the alert acknowledged.")
                    && history.contains("Events API reports the alert resolved at")
            )
            // A trigger without a key gets one back; bad events name their fields.
            let keyless =
                try await Self.post(
                    f,
                    "events",
                    #"{"event_action":"trigger","payload":{"summary":"x","source":"y","severity":"info"}}"#,
                    token: events
                )
                .json()
            #expect((keyless["dedup_key"] as? String)?.count == 36)
            let bad = try await Self.post(f, "events", #"{"event_action":"resolve","payload":{}}"#, token: events)
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType] == "application/problem+json")
            #expect(try bad.problemFields() == ["dedup_key"])
        }
    }
}
