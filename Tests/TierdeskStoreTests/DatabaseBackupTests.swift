import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// The figures that compare a restore with its source: the same data gives the same counts and event
/// checksum on SQLite and PostgreSQL, and any changed event changes the checksum.
@Suite struct DatabaseBackupTests {
    @Test func countsAndTheEventChecksumFollowTheDataAndNothingElse() async throws {
        try await StoreFixture.with { f in
            let backup = DatabaseBackup(f.database)
            let empty = try await backup.summary()
            #expect(empty.counts.first { $0.table == "tickets" }?.rows == 0)
            // Fixed ids and instants: the checksum below is the same on both engines.
            var histories: [TicketRepository.History] = []
            for number in 1...3 {
                var history = ReportStoreTests.history(
                    f,
                    number: 5000 + number,
                    created: StoreFixture.t0.addingTimeInterval(Double(number) * 3600),
                    closedAt: nil
                )
                history.ticket.id = UUID(uuidString: "00000000-0000-4000-8000-00000000000\(number)")!
                for index in history.events.indices {
                    history.events[index].ticketID = history.ticket.id
                    history.events[index].id = UUID(uuidString: "00000000-0000-4000-8000-0000000001\(number)\(index)")!
                }
                histories.append(history)
            }
            try await f.tickets.importHistories(histories)
            let filled = try await backup.summary()
            #expect(filled.counts.first { $0.table == "tickets" }?.rows == 3)
            #expect(
                filled.counts.first { $0.table == "ticket_events" }?.rows == histories.map(\.events.count).reduce(0, +)
            )
            #expect(filled.eventChecksum != empty.eventChecksum)
            #expect(try await backup.summary() == filled)
            // Computed on SQLite and PostgreSQL alike.
            #expect(String(filled.eventChecksum, radix: 16) == "6fcefe0f1f88bd95")
            #expect(try await backup.integrityCheck() == "ok")
            #expect(try await backup.isEmpty() == false)
        }
    }
}
