import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Measures "who is on call" over many schedules with a year of overrides each (pure Core, one core),
/// and the delay from a Sev1 ticket's creation over HTTP to its first page arriving at a real webhook.
struct OnCallBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oncall",
        abstract:
            "Measure who-is-on-call lookups per schedule and the delay from a Sev1 ticket to its first outbound page.",
        discussion:
            "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL."
    )

    @Option(help: "Schedules to look up.") var schedules = 1_000
    @Option(help: "Overrides per schedule, spread over a year.") var overrides = 365
    @Option(help: "Lookups per schedule.") var lookups = 100
    @Option(help: "Sev1 tickets paged one after another.") var pages = 50

    func run() async throws {
        try lookup()
        try await paging()
    }

    private func lookup() throws {
        let zones = [
            "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo", "UTC",
        ]
        .map { TimeZone(identifier: $0)! }
        let year = Date(timeIntervalSince1970: 1_767_225_600)
        let people = (0..<40).map { _ in UUID() }
        let office = Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri]
                .map { ($0, [OpeningWindow(start: 480, end: 1080)]) }
        )
        let all: [OnCallSchedule] = (0..<schedules)
            .map { index in
                let members = (0..<5).map { people[(index + $0 * 7) % people.count] }
                let layers = [
                    RotationLayer(
                        name: "Primary",
                        role: .primary,
                        members: members,
                        startsOn: LocalDate("2025-12-29")!,
                        handoffDay: .mon,
                        handoffMinutes: 540
                    ),
                    RotationLayer(
                        name: "Secondary",
                        role: .secondary,
                        members: members.reversed(),
                        startsOn: LocalDate("2025-12-29")!,
                        handoffDay: .wed,
                        handoffMinutes: 600
                    ),
                    RotationLayer(
                        name: "Office",
                        role: .secondary,
                        members: [people[index % people.count]],
                        startsOn: LocalDate("2025-12-29")!,
                        handoffDay: .mon,
                        handoffMinutes: 480,
                        supportHours: office
                    ),
                ]
                let covers = (0..<overrides)
                    .map { day in
                        let start = year.addingTimeInterval(Double(day) * 365 * 86_400 / Double(overrides))
                        return OnCallOverride(
                            role: day % 3 == 0 ? .secondary : .primary,
                            personID: people[(index + day) % people.count],
                            start: start,
                            end: start.addingTimeInterval(8 * 3600),
                            createdAt: year
                        )
                    }
                return OnCallSchedule(
                    id: UUID(),
                    name: "S\(index)",
                    timeZone: zones[index % zones.count],
                    layers: layers,
                    overrides: covers
                )
            }
        var found = 0
        let began = ContinuousClock.now
        for round in 0..<lookups {
            let instant = year.addingTimeInterval(Double(round) * 314_159.0)
            for schedule in all {
                let pair = schedule.onCall(at: instant)
                if pair.primary != nil { found += 1 }
                if pair.secondary != nil { found += 1 }
            }
        }
        let elapsed = ContinuousClock.now - began
        let perSchedule = elapsed / (schedules * lookups)
        print(
            "who is on call: \(schedules) schedules × \(lookups) instants, \(overrides) overrides each, 3 layers, 6 time zones"
        )
        print(
            String(
                format: "  %.2f µs per schedule (primary and secondary), target ≤ 1000 µs; %d roles filled",
                perSchedule.seconds * 1e6,
                found
            )
        )
    }

    private func paging() async throws {
        let arrivals = AsyncStream.makeStream(of: Date.self)
        let router = Router()
        router.post("/page") { _, _ -> HTTPResponse.Status in
            arrivals.continuation.yield(Date())
            return .noContent
        }
        let receiverPort = PortBox()
        let receiver = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await receiverPort.set($0.localAddress?.port ?? 0) }
        )
        let receiverTask = Task { try await receiver.runService() }
        defer { receiverTask.cancel() }
        try await InProcessServer.with { server in
            let database = server.components.database
            let directory = CommandLineDirectory(server.components)
            let agent = try await directory.addPerson(
                email: "oncall@example.com",
                name: "On Call",
                roles: [.agent],
                tier: .l1,
                organisation: nil,
                vendor: nil,
                password: nil
            )
            let token = try await directory.issueToken(email: agent.email, name: "bench")
            let oncall = OnCallRepository(database)
            let spec = OnCallScheduleSpec(
                name: "Bench",
                timeZone: "Europe/Berlin",
                layers: [.init(role: .primary, members: [agent.id], startsOn: "2025-12-29")]
            )
            let schedule = try spec.schedule(id: UUID())
            try await oncall.saveSchedule(
                id: schedule.id,
                spec: spec,
                coverage: schedule.coverage(in: Date()..<Date().addingTimeInterval(86_400)),
                at: Date(),
                replacing: false
            )
            let policy = try EscalationPolicySpec(name: "Sev1", steps: [.init(scheduleId: schedule.id, waitMinutes: 5)])
                .policy(id: UUID())
            try await oncall.savePolicy(policy, at: Date(), replacing: false)
            try await SettingsRepository(database)
                .save(PagingSettings(sev1PolicyId: policy.id, allowPrivateTargets: true))
            try await oncall.setContacts(
                [ContactMethod(kind: .webhook, address: "http://127.0.0.1:\(await receiverPort.wait())/page")],
                of: agent.id,
                at: Date()
            )
            var delays: [Double] = []
            var iterator = arrivals.stream.makeAsyncIterator()
            let client = HTTPClient()
            for index in 0..<pages {
                var request = HTTPClientRequest(url: server.base + "/api/v1/tickets")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(
                    ByteBuffer(
                        string: #"{"title": "Line \#(index) halted", "description": "PLC down", "severity": "Sev1"}"#
                    )
                )
                let sent = Date()
                let response = try await client.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                guard response.status == .created else {
                    try await client.shutdown()
                    throw BenchError("ticket creation failed")
                }
                guard let arrived = await iterator.next() else { break }
                delays.append(arrived.timeIntervalSince(sent) * 1000)
            }
            try await client.shutdown()
            delays.sort()
            print("Sev1 ticket → first page at a webhook: \(delays.count) tickets on \(server.engine)")
            print(
                String(
                    format: "  median %.1f ms, p95 %.1f ms, max %.1f ms (target ≤ 1000 ms)",
                    delays[delays.count / 2],
                    delays[min(delays.count - 1, delays.count * 95 / 100)],
                    delays.last ?? 0
                )
            )
        }
    }
}
