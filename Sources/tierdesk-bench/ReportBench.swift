import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Times the managers' reports over real HTTP on a realistic data set: the checklist and the figures of a
/// month and of a year, as a manager asks for them, once the reports' projection is built (timed too).
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Time the report API (checklist and figures of a month and of a year) on a seeded data set."
    )

    @OptionGroup var data: DataSetOptions
    @Option(help: "Timed calls of each kind.") var repeats = 10

    func run() async throws {
        try await InProcessServer.with { server in
            let now = Date()
            let (written, seconds) = try await Seeding.seed(
                data.dataSet(now: now),
                into: server.components.database
            )
            print(String(format: "reports (%@): seeded %d tickets in %.1f s", server.engine, written.tickets, seconds))
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
            let (_, token) = try await server.addStaff(
                email: "manager@bench.example",
                name: "Bench Manager",
                role: .manager,
                tier: nil
            )
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            let month = ReportPeriod.containing(now, kind: .month, in: berlin).previous.label
            let year = ReportPeriod.last(365, endingAt: now, in: berlin).label
            let client = HTTPClient()
            do {
                for (name, period) in [("month", month), ("year", year)] {
                    // The checklist and figures, then the tickets behind one narrow number (a drill-down).
                    let drill = "tickets?slice=escalated-to-L3:without-evidence&"
                    for path in ["checklist?", "figures?"] + (name == "month" ? [drill] : []) {
                        var samples: [Double] = []
                        for _ in 0..<repeats {
                            var request = HTTPClientRequest(
                                url: server.base + "/api/v1/reports/\(path)period=\(period)&tz=Europe/Berlin"
                            )
                            request.headers.add(name: "Authorization", value: "Bearer \(token)")
                            let began = ContinuousClock.now
                            let response = try await client.execute(request, timeout: .seconds(600))
                            _ = try await response.body.collect(upTo: 1 << 24)
                            guard response.status == .ok else {
                                throw BenchError("\(path) answered \(response.status)")
                            }
                            samples.append((ContinuousClock.now - began).seconds)
                        }
                        samples.sort()
                        print(
                            String(
                                format: "%@ %@ (%@): p50 %.0f ms, p95 %.0f ms over %d calls",
                                name,
                                String(path.dropLast()),
                                period,
                                samples[samples.count / 2] * 1000,
                                samples[min(samples.count - 1, samples.count * 95 / 100)] * 1000,
                                samples.count
                            )
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
