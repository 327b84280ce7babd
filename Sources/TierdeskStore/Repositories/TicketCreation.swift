import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// New tickets as they are committed in groups (see ``GroupCommit``): one counter update and four
/// statements serve a whole batch, and a ticket whose rules refuse it takes no number.
enum TicketCreation {
    typealias Build = @Sendable (_ number: Int) throws -> PreparedTicket

    /// A new ticket as it is stored: its events, its first alarms, what comes with it and what it causes.
    struct PreparedTicket {
        var ticket: Ticket
        var events: [TicketEvent]
        var alarms: [SLAAlarm]
        var extras: TicketWriteExtras
        var effects: TicketWriteEffects
    }

    /// Most tickets in one transaction (SQLite allows 32,766 bound values; a ticket row has 31).
    static let maxBatch = 256

    /// Numbers the tickets from the counter (locked on PostgreSQL), runs each build, stores the successes.
    /// Also returns what to wake once the transaction has committed: the senders of queued mail and webhooks.
    static func store(_ builds: [Build], on sql: any SQLDatabase) async throws -> (
        [Result<Ticket, any Error>], [@Sendable () -> Void]
    ) {
        guard
            let last = try await sql.select().column("value").from("counters").where("name", .equal, "ticket")
                .lockingClause(SQLLockingClause.update)
                .first(decodingColumn: "value", as: Int.self)
        else { throw TierdeskError.conflict("The ticket counter is missing; run the migrations.") }
        var next = last
        var results: [Result<Ticket, any Error>] = []
        var tickets: [TicketRow] = []
        var events: [TicketEvent] = []
        var alarms: [(UUID, [SLAAlarm])] = []
        var prepared: [PreparedTicket] = []
        for build in builds {
            do {
                let item = try build(next + 1)
                next += 1
                tickets.append(TicketRow(item.ticket))
                events += item.events
                if !item.alarms.isEmpty { alarms.append((item.ticket.id, item.alarms)) }
                prepared.append(item)
                results.append(.success(item.ticket))
            } catch {
                results.append(.failure(error))
            }
        }
        guard !tickets.isEmpty else { return (results, []) }
        try await sql.update("counters").set("value", to: next).where("name", .equal, "ticket").run()
        try await TicketRepository.insert(tickets, on: sql)
        var writes: [TicketWriteEffects.Write] = []
        for item in prepared {
            let added = try await item.extras.store(ticket: item.ticket, at: item.ticket.createdAt, on: sql)
            events += added
            writes.append(.init(ticket: item.ticket, events: item.events + added, extras: item.extras))
        }
        try await TicketRepository.insert(events, on: sql)
        try await SLAAlarmRepository.insert(alarms, on: sql)
        // One creation queue serves one database, whose desks share one set of effects; each ticket still
        // carries its own, so the first one's enqueue covers the batch.
        guard let effects = prepared.first?.effects, try await effects.enqueue(writes, on: sql) else {
            return (results, [])
        }
        return (results, [effects.queued])
    }
}
