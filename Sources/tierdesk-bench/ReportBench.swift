import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Times the managers' reports over real HTTP on a realistic data set, once the reports' projection is built
/// (timed too): the checklist, the figures, the console's checklist page and the data corrections of a month
/// and of a year; drill-downs of a month (a narrow number, also as CSV, and the month's whole inflow, first
/// page) and a customer's SLA report.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract:
            "Time the report API and pages (checklist, figures, drill-down, customer report) on a seeded data set."
    )

    @OptionGroup var data: DataSetOptions
    @Option(help: "Timed calls of each kind.") var repeats = 10
    @OptionGroup var kept: KeepOption

    func run() async throws {
        try await InProcessServer.with(keeping: kept.keep) { server in
            let now = Date()
            let directory = DirectoryRepository(server.components.database)
            try await server.seedUnlessKept(data, bench: "reports")
            // The projection the reports add up, built as a fresh desk (or a release that changes it) would.
            let began = ContinuousClock.now
            let derived = try await server.components.catchUpReportProjection(at: Date())
            print(
                String(
                    format: "reports (%@): projection of %d tickets built in %.1f s",
                    server.engine,
                    derived,
                    (ContinuousClock.now - began).seconds
                )
            )
            let email = "manager-\(UUID().uuidString.prefix(8).lowercased())@bench.example"
            let (password, token) = try await server.addStaff(
                email: email,
                name: "Bench Manager",
                role: .manager,
                tier: nil
            )
            let organisation = try await directory.organisations()
                .first { $0.id != Organisation.internalID }
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            let month = ReportPeriod.containing(now, kind: .month, in: berlin).previous.label
            let year = ReportPeriod.last(365, endingAt: now, in: berlin).label
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
            )
            do {
                let cookie = try await QueueBench.logIn(client, server.base, email: email, password: password)
                let api = ("Authorization", "Bearer \(token)")
                let console = ("Cookie", cookie)
                for (name, period) in [("month", month), ("year", year)] {
                    var calls = [
                        ("checklist", "/api/v1/reports/checklist?period=\(period)&tz=Europe/Berlin", api),
                        ("figures", "/api/v1/reports/figures?period=\(period)&tz=Europe/Berlin", api),
                        ("console page", "/console/reports?period=\(period)&tz=Europe/Berlin", console),
                        ("corrections", "/api/v1/reports/corrections?period=\(period)&tz=Europe/Berlin", api),
                    ]
                    if name == "month" {
                        calls += [
                            (
                                "drill-down (narrow)",
                                "/api/v1/reports/tickets?slice=escalated-to-L3:without-evidence&period=\(period)"
                                    + "&tz=Europe/Berlin", api
                            ),
                            (
                                "drill-down (inflow, first page)",
                                "/api/v1/reports/tickets?slice=opened&period=\(period)&tz=Europe/Berlin", api
                            ),
                            (
                                "drill-down (narrow) as CSV",
                                "/api/v1/reports/tickets.csv?slice=escalated-to-L3:without-evidence&period=\(period)"
                                    + "&tz=Europe/Berlin", api
                            ),
                        ]
                        if let organisation {
                            calls.append(
                                (
                                    "customer report",
                                    "/api/v1/reports/customer?organisation=\(organisation.id.uuidString)"
                                        + "&month=\(period)&tz=Europe/Berlin", api
                                )
                            )
                        }
                    }
                    for (label, path, header) in calls {
                        var samples: [Double] = []
                        for _ in 0..<repeats {
                            var request = HTTPClientRequest(url: server.base + path)
                            request.headers.add(name: header.0, value: header.1)
                            let began = ContinuousClock.now
                            let response = try await client.execute(request, timeout: .seconds(600))
                            _ = try await response.body.collect(upTo: 1 << 26)
                            guard response.status == .ok else {
                                throw BenchError("\(path) answered \(response.status)")
                            }
                            samples.append((ContinuousClock.now - began).seconds)
                        }
                        samples.sort()
                        // Written at once, not buffered, so a long run shows each figure as it comes.
                        FileHandle.standardOutput.write(
                            String(
                                format: "%@ %@ (%@): p50 %.0f ms, p95 %.0f ms over %d calls\n",
                                name,
                                label,
                                period,
                                samples[samples.count / 2] * 1000,
                                samples[min(samples.count - 1, samples.count * 95 / 100)] * 1000,
                                samples.count
                            )
                            .data(using: .utf8)!
                        )
                    }
                }
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
