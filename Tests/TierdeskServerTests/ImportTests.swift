import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// `tierdesk import` from Zammad (its recorded API answers, served over real HTTP on loopback) and from CSV
/// files, on the test database of the run (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL). The end
/// to end import from a real Request Tracker is Tests/import/rt.py.
struct ImportTests {
    /// Zammad's API as recorded in Fixtures/zammad: each GET answers with the file at its path; a page after
    /// the first is empty, as Zammad's are past the end. `failing` makes one path answer 503.
    final class ZammadFixtureServer: Sendable {
        static let token = "zammad-test-token"
        static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/zammad")
        private let task: Task<Void, any Error>
        private let failingPath = NIOLockedValueBox<String?>(nil)
        let port: Int

        init() async throws {
            let router = Router()
            router.get("**") { [failingPath] request, _ -> Response in
                guard request.headers[.authorization] == "Token token=\(Self.token)" else {
                    return Response(status: .unauthorized)
                }
                var path = String(request.uri.path.dropFirst())
                if path == failingPath.withLockedValue({ $0 }) { return Response(status: .serviceUnavailable) }
                if (request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1) > 1 {
                    return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "[]")))
                }
                if path == "api/v1/tags", let id = request.uri.queryParameters["o_id"] { path += "/\(id)" }
                let plain = Self.folder.appendingPathComponent(path)
                guard
                    let data = (try? Data(contentsOf: plain.appendingPathExtension("json")))
                        ?? (try? Data(contentsOf: plain))
                else { return Response(status: .notFound) }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }
            )
            task = Task { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            port = await iterator.next() ?? 0
        }

        var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

        func fail(_ path: String?) {
            failingPath.withLockedValue { $0 = path }
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }

        func file(_ path: String) throws -> Data {
            try Data(contentsOf: Self.folder.appendingPathComponent(path))
        }
    }

    /// The import desk of `f` on a clock after the fixture's history (Zammad's tickets run to late November).
    static func desk(_ f: ServerFixture, now: Date = Timestamp.parse("2026-12-01T09:00:00Z")!) -> ImportDesk {
        let desk = f.components.importDesk
        return ImportDesk(
            clock: FixedClock(now),
            logger: desk.logger,
            imports: desk.imports,
            directory: desk.directory,
            groups: desk.groups,
            planner: desk.planner,
            priorityMatrix: desk.priorityMatrix
        )
    }

    static let options = ImportOptions(defaultOrganisation: "Walk-in customers")

    /// Ticket id in Tierdesk of each Zammad ticket imported.
    static func mapped(_ f: ServerFixture, _ source: any ImportSource) async throws -> [String: UUID] {
        try await ImportRepository(f.components.database).mappings(source: source.name, kind: .ticket)
    }

    @Test func aZammadDeskComesOverWithItsPeopleTicketsArticlesAndFilesOnceOnly() async throws {
        let server = try await ZammadFixtureServer()
        try await ServerFixture.with { f in
            let source = ZammadSource(url: server.url, token: ZammadFixtureServer.token)
            let dry = try await Self.desk(f)
                .run(
                    source,
                    options: {
                        var o = Self.options
                        o.dryRun = true
                        return o
                    }()
                )
            #expect(dry.tickets.created == 6 && dry.people.created == 7 && dry.files == 2)
            #expect(try await Self.mapped(f, source).isEmpty, "a dry run stores nothing")
            #expect(try await f.components.directory.person(email: "priya.raman@contoso.example") == nil)

            let report = try await Self.desk(f).run(source, options: Self.options)
            #expect(report.organisations.created == 4 && report.people.created == 7 && report.groups.created == 3)
            #expect(report.tickets.created == 6 && report.tickets.failed == 0 && report.files == 2)
            let tickets = try await Self.mapped(f, source)
            #expect(tickets.count == 6)

            // Ticket 12: open in the 2nd Level group, Priya's (Contoso) request with her log file, an internal
            // note, and an HTML reply reduced to text.
            let vpn = try #require(try await f.components.tickets.find(id: tickets["12"]!))
            #expect(vpn.title == "VPN disconnects after 10 minutes" && vpn.status == .inProgress && vpn.priority == .p2)
            #expect(vpn.group == "2nd Level" && vpn.tags == ["network", "vpn"])
            let priya = try #require(try await f.components.directory.person(email: "priya.raman@contoso.example"))
            #expect(vpn.requesterID == priya.id && vpn.organisationID == priya.organisationID)
            #expect(abs(vpn.createdAt.timeIntervalSince(Timestamp.parse("2026-10-12T07:41:09.301Z")!)) < 0.001)
            let events = try await f.components.tickets.events(ticketID: vpn.id, includeInternal: true)
            #expect(events.filter { $0.kind == .internalNote }.count == 1)
            #expect(!events.contains { ($0.body ?? "").contains("<") }, "HTML arrives as text")
            let files = try await f.components.attachments.list(ticketID: vpn.id)
            #expect(
                files.map(\.filename) == ["vpn-client.log"]
                    && abs(files[0].createdAt.timeIntervalSince(vpn.createdAt)) < 0.001
            )
            let (_, data) = try #require(try await f.components.attachments.file(files[0].id, ticketID: vpn.id))
            #expect(data == (try server.file("api/v1/ticket_attachment/12/104/201")))

            // Ticket 14 (pending reminder) carries a PNG byte for byte; its script is gone from the text.
            let billing = try #require(try await f.components.tickets.find(id: tickets["14"]!))
            #expect(billing.status == .onHold)
            let png = try await f.components.attachments.list(ticketID: billing.id)
            let (_, pngData) = try #require(try await f.components.attachments.file(png[0].id, ticketID: billing.id))
            #expect(pngData == (try server.file("api/v1/ticket_attachment/14/109/202")))
            #expect(!billing.description.contains("alert(1)") && !billing.description.contains("<script"))

            // Ticket 16 has no organisation: its requester joins the named default one.
            let walkIn = try #require(try await f.components.tickets.find(id: tickets["16"]!))
            let organisation = try await f.components.directory.organisation(walkIn.organisationID)
            #expect(organisation?.name == "Walk-in customers" && walkIn.ownerID == nil)

            // Open tickets have deadlines from their history; alarms already past count as fired.
            #expect(vpn.nextDeadline != nil)
            let alarms = try await f.components.slaAlarms.alarms(ticketID: vpn.id)
            #expect(
                !alarms.isEmpty
                    && alarms.allSatisfy {
                        $0.alarm.fireAt > Timestamp.parse("2026-12-01T09:00:00Z")! || $0.firedAt != nil
                    }
            )

            let again = try await Self.desk(f).run(source, options: Self.options)
            #expect(again.tickets.created == 0 && again.tickets.skipped == 6 && again.people.created == 0)
            #expect(again.organisations.created == 0 && again.groups.created == 0)
            #expect(try await Self.mapped(f, source) == tickets)
        }
        await server.stop()
    }

    @Test func anImportThatStopsResumesWithoutDuplicatesAndARefusedTokenIsNamed() async throws {
        let server = try await ZammadFixtureServer()
        try await ServerFixture.with { f in
            let wrong = ZammadSource(url: server.url, token: "nope")
            do {
                _ = try await Self.desk(f).run(wrong, options: Self.options)
                Issue.record("a refused token stops the import")
            } catch let error as ImportSourceError {
                #expect(error.description.contains("401") && error.description.contains("token"))
                #expect(!error.description.contains("nope"))
            }

            let source = ZammadSource(url: server.url, token: ZammadFixtureServer.token)
            server.fail("api/v1/ticket_articles/by_ticket/14")
            await #expect(throws: ImportSourceError.self) {
                _ = try await Self.desk(f).run(source, options: Self.options)
            }
            #expect(try await Self.mapped(f, source).keys.sorted() == ["11", "12", "13"])
            server.fail(nil)
            let resumed = try await Self.desk(f).run(source, options: Self.options)
            #expect(resumed.tickets.created == 3 && resumed.tickets.skipped == 3)
            let page = try await f.call(.get, "/api/v1/tickets?limit=100", as: "admin")
            #expect((try page.json()["items"] as? [Any])?.count == 6)
        }
        await server.stop()
    }

    @Test func aCSVFileComesOverWithItsColumnsAndAMalformedOneIsRefusedByLine() async throws {
        let csv = """
            id,title,description,requester_email,requester_name,organisation,status,priority,owner_email,owner_name,group,created_at,updated_at,tags,reply,asset,refers_to
            A-1,"Label printer, line 4","Prints blank labels.
            Since Monday.",sam@brightcart.example,Sam Ortiz,BrightCart,resolved,P2,lena@example.com,Lena,Service Desk,2026-11-02T08:00:00Z,2026-11-03T10:30:00Z,printer;labels,"Replaced the ribbon.",PRN-0042,
            A-2,VPN drops,,kim@brightcart.example,,BrightCart,open,,,,,2026-11-20T09:00:00Z,,,,,A-1;A-9
            """
        try await ServerFixture.with { f in
            let source = try CSVImportSource(data: Data(csv.utf8), name: "legacy.csv")
            let report = try await Self.desk(f).run(source, options: Self.options)
            #expect(report.tickets.created == 2 && report.organisations.created == 1 && report.groups.created == 1)
            #expect(report.people.skipped == 1, "Lena is on the desk already")
            let brightcart = try await f.components.directory.organisations().first { $0.name == "BrightCart" }
            #expect(brightcart?.sharesTickets == false, "an organisation the file names keeps its tickets private")
            let tickets = try await Self.mapped(f, source)
            let printer = try #require(try await f.components.tickets.find(id: tickets["A-1"]!))
            #expect(
                printer.title == "Label printer, line 4" && printer.description == "Prints blank labels.\nSince Monday."
            )
            #expect(printer.status == .resolved && printer.priority == .p2 && printer.ownerID == f.people["lena"]!.id)
            #expect(printer.attributes["asset"] == "PRN-0042" && printer.tags == ["labels", "printer"])
            let events = try await f.components.tickets.events(ticketID: printer.id, includeInternal: true)
            let reply = try #require(events.first { $0.kind == .publicReply })
            #expect(reply.body == "Replaced the ribbon." && reply.actorID == f.people["lena"]!.id && reply.byStaff)
            #expect(events.last?.kind == .statusChanged && events.last?.after == "resolved")
            let vpn = try #require(try await f.components.tickets.find(id: tickets["A-2"]!))
            #expect(vpn.status == .inProgress && vpn.priority == .p3 && vpn.nextDeadline != nil)

            // A-2 refers to A-1; A-9 is not in the file, which the report says.
            #expect(report.links.created == 1 && report.links.failed == 1)
            #expect(report.problems.contains("ticket A-2: its link to A-9 leaves the import"))
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(printer.reference)").text
            #expect(page.contains("Referred to by <a href=\"/console/tickets/\(vpn.reference)\">\(vpn.reference)</a>"))
            let other = try await browser.send(.get, "/console/tickets/\(vpn.reference)").text
            #expect(other.contains("Refers to <a href=\"/console/tickets/\(printer.reference)\">"))

            let again = try await Self.desk(f).run(source, options: Self.options)
            #expect(again.tickets.created == 0 && again.tickets.skipped == 2)
        }
        for (bad, reason) in [
            ("id,title\n1,x\n", "requester_email, created_at"),
            ("id,title,requester_email,created_at\n1,\"open,a@b.example,2026-11-02T08:00:00Z\n", "not closed"),
            (
                "id,title,requester_email,created_at\n1,x,a@b.example,2026-11-02T08:00:00Z\n1,y,a@b.example,2026-11-02T08:00:00Z\n",
                "line 3 repeats the id 1"
            ),
            ("id,title,requester_email,created_at\n1,x,a@b.example\n", "line 2 has 3 fields"),
        ] {
            do {
                _ = try CSVImportSource(data: Data(bad.utf8), name: "bad.csv")
                Issue.record("\(bad) is refused")
            } catch let error as ImportSourceError {
                #expect(error.description.contains(reason), "\(error.description)")
            }
        }
    }
}
