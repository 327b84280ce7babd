import Foundation
import HTTPTypes
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer

/// A customer's data for a data request: its tickets with their public history and files, nothing internal
/// and nothing of other organisations.
struct CustomerExportTests {
    @Test func anOrganisationsExportHoldsItsTicketsPublicHistoryAndFilesOnly() async throws {
        try await ServerFixture.with { f in
            let ours = try await f.openTicket(as: "alice", title: "Label printer offline")
            let theirs = try await f.openTicket(as: "carol", title: "Globex VPN down")
            let upload = try await f.call(
                .post,
                "/api/v1/tickets/\(ours)/attachments?filename=..%2F..%2Fprinter.log",
                as: "alice",
                body: ByteBuffer(string: "paper jam at 09:14"),
                headers: [.contentType: "application/octet-stream"]
            )
            #expect(upload.status == .created, "\(upload.text)")
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(ours)/notes",
                as: "lena",
                json: #"{"body":"internal: customer is difficult"}"#
            )
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(ours)/replies",
                as: "lena",
                json: #"{"body":"We are on it."}"#
            )
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await f.components.customerExport.write(organisationNamed: "acme", to: folder)
            #expect(result.tickets == 1 && result.files == 1 && result.bytes == 18)
            let tickets = try String(contentsOf: folder.appendingPathComponent("tickets.json"), encoding: .utf8)
            #expect(tickets.contains(ours) && tickets.contains("We are on it."))
            #expect(!tickets.contains(theirs) && !tickets.contains("customer is difficult"))
            let people = try String(contentsOf: folder.appendingPathComponent("people.json"), encoding: .utf8)
            #expect(people.contains("alice@example.com") && !people.contains("carol@example.com"))
            let stored = try FileManager.default.contentsOfDirectory(
                atPath: folder.appendingPathComponent("files/\(ours)").path
            )
            #expect(stored.count == 1 && stored[0].hasSuffix("-printer.log"))
            // A second export never writes over the first; an unknown name lists the known ones.
            await #expect(throws: TierdeskError.self) {
                _ = try await f.components.customerExport.write(organisationNamed: "Acme", to: folder)
            }
            do {
                _ = try await f.components.customerExport.write(organisationNamed: "Initech", to: folder)
            } catch let error as TierdeskError {
                #expect(error.reason.contains("Acme, Globex"))
            }
        }
    }
}
