import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

@main
struct TierdeskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierdesk-bench",
        abstract: "Reproducible performance figures for Tierdesk.",
        subcommands: [
            HTTPBench.self, SLABench.self, TriageBench.self, MailBench.self, AlertBench.self, OnCallBench.self,
            SeedBench.self, ReportBench.self, QueueBench.self, SearchBench.self,
        ],
        defaultSubcommand: HTTPBench.self
    )
}

/// Starts Tierdesk in-process on a scratch database and measures ticket creation and reads over real HTTP,
/// with `wrk` (Debian package `wrk`) as the load generator in a second process.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract:
            "Measure tickets created per second (POST /api/v1/tickets) and reads per second (GET /api/v1/tickets/{reference}).",
        discussion:
            "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL. Needs wrk (apt-get install wrk)."
    )

    @OptionGroup var load: WrkOptions

    func run() async throws {
        let wrk = try load.generator()
        try await InProcessServer.with { server in
            let directory = CommandLineDirectory(server.components)
            let organisation = try await directory.addOrganisation(name: "Bench Org", sharesTickets: false)
            let requester = try await directory.addPerson(
                email: "bench@example.com",
                name: "Bench Requester",
                roles: [.requester],
                tier: nil,
                organisation: organisation.name,
                vendor: nil,
                password: nil
            )
            let token = try await directory.issueToken(email: requester.email, name: "bench")
            let create = try server.script(
                "create.lua",
                """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"title": "Scanner unresponsive at goods receipt", "description": "Handheld GR-04 froze; battery replaced, still frozen. Wi-Fi profile looks fine."}'
                """
            )
            let created = try wrk.run(server.base + "/api/v1/tickets", token: token, script: create)
            let last = try await TicketRepository(server.components.database).highestNumber()
            let read = try server.script(
                "read.lua",
                """
                request = function()
                  return wrk.format("GET", "/api/v1/tickets/TD-" .. math.random(1001, \(last)))
                end
                """
            )
            let reads = try wrk.run(server.base + "/api/v1/tickets/TD-1001", token: token, script: read)
            print("Tierdesk benchmark — \(server.engine), \(wrk.description)")
            print(created.line("POST /api/v1/tickets", unit: "creates/s"))
            print(reads.line("GET /api/v1/tickets/{reference}", unit: "reads/s") + " over \(last - 1000) tickets")
            print("server peak memory (VmHWM): \(Self.peakMemoryMiB()) MiB")
        }
    }

    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}
