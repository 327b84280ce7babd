import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// The outbox on both databases: mail queued with the write that causes it, exclusive claims, leases,
/// retries and dead letters.
struct OutboxTests {
    static let identity = DeskMailIdentity(address: "support@desk.example", name: "Service Desk")
    let t0 = StoreFixture.t0

    @Test func mailIsQueuedInTheTransactionOfTheTicketAndOnlyThen() async throws {
        try await StoreFixture.with { f in
            let tickets = f.tickets
            let effects = StoreFixture.effects(mail: .queued(from: Self.identity))
            let extras = TicketWriteExtras(
                attachments: [NewAttachment(filename: "log.txt", contentType: "text/plain", data: Data("boom".utf8))],
                uploadedBy: f.alice.id,
                receivedMessageID: "first@acme.example"
            )
            let ticket = try await tickets.create(effects: effects, extras: extras) { number in
                let (ticket, event) = try TicketWorkflow()
                    .open(
                        TicketDraft(title: "Printer offline", description: "x", channel: .email),
                        by: f.alice.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: t0
                    )
                return (ticket, [event])
            }
            let outbox = OutboxRepository(f.database)
            let queued = try await outbox.list(status: .pending)
            #expect(queued.count == 1)
            let mail = try JSONDecoder().decode(OutgoingMail.self, from: queued[0].payload)
            #expect(
                mail.to.map(\.address) == ["alice@example.com"] && mail.inReplyTo == "first@acme.example"
                    && queued[0].automatic
            )
            #expect(try await tickets.ticketNumber(receivedMessageID: "first@acme.example") == ticket.number)
            #expect(try await AttachmentRepository(f.database).list(ticketID: ticket.id).map(\.filename) == ["log.txt"])
            #expect(
                try await tickets.events(ticketID: ticket.id, includeInternal: true).map(\.kind) == [
                    .created, .attachmentAdded,
                ]
            )

            // A second delivery of the same mail fails as a whole: no ticket, no file, no mail.
            await #expect(throws: (any Error).self) {
                _ = try await tickets.create(
                    effects: effects,
                    extras: TicketWriteExtras(receivedMessageID: "first@acme.example")
                ) { number in
                    let (ticket, event) = try TicketWorkflow()
                        .open(
                            TicketDraft(title: "Again", description: "x"),
                            by: f.alice.actor,
                            references: TicketReferences(requester: f.alice),
                            number: number,
                            at: t0
                        )
                    return (ticket, [event])
                }
            }
            #expect(try await outbox.list(status: nil).count == 1)
            #expect(try await tickets.highestNumber() == ticket.number)

            // The agent's public reply reaches the requester, threaded under her first message.
            try await tickets.modify(number: ticket.number, effects: effects) { current, scope in
                try TicketWorkflow()
                    .addMessage(
                        to: current,
                        scope: scope,
                        body: "On my way.",
                        isInternal: false,
                        by: f.agent.actor,
                        at: t0.addingTimeInterval(60)
                    )
            }
            let reply = try await outbox.list(status: .pending).first { !$0.automatic }
            let replyMail = try #require(reply.map { try JSONDecoder().decode(OutgoingMail.self, from: $0.payload) })
            #expect(replyMail.text.hasPrefix("On my way.") && replyMail.references.contains("first@acme.example"))

            // Two more mails from Alice: the next reply answers the last and names the first; the one between is not read.
            for (index, id) in ["second@acme.example", "third@acme.example"].enumerated() {
                try await tickets.modify(
                    number: ticket.number,
                    effects: effects,
                    extras: TicketWriteExtras(receivedMessageID: id)
                ) { current, scope in
                    try TicketWorkflow()
                        .addMessage(
                            to: current,
                            scope: scope,
                            body: "Still offline.",
                            isInternal: false,
                            by: f.alice.actor,
                            at: t0.addingTimeInterval(Double(120 + 60 * index))
                        )
                }
            }
            try await tickets.modify(number: ticket.number, effects: effects) { current, scope in
                try TicketWorkflow()
                    .addMessage(
                        to: current,
                        scope: scope,
                        body: "Replaced the fuser.",
                        isInternal: false,
                        by: f.agent.actor,
                        at: t0.addingTimeInterval(300)
                    )
            }
            let last = try await outbox.list(status: .pending)
                .compactMap { try JSONDecoder().decode(OutgoingMail.self, from: $0.payload) }
                .first { $0.text.hasPrefix("Replaced the fuser.") }
            #expect(last?.inReplyTo == "third@acme.example")
            #expect(
                last.map {
                    $0.references.contains("first@acme.example") && $0.references.contains("third@acme.example")
                        && !$0.references.contains("second@acme.example")
                } == true
            )
        }
    }

    @Test func claimsAreExclusiveAndLeasesExpire() async throws {
        try await StoreFixture.with { f in
            let outbox = OutboxRepository(f.database)
            try await outbox.enqueue(
                (0..<40)
                    .map { n in
                        OutboxMessage(
                            key: "k\(n)",
                            channel: .mail,
                            recipient: "r\(n)@example.com",
                            automatic: true,
                            payload: Data("{}".utf8),
                            ticketID: nil,
                            nextAttemptAt: t0,
                            createdAt: t0
                        )
                    }
            )
            // Queuing a key again adds nothing.
            try await outbox.enqueue([
                OutboxMessage(
                    key: "k0",
                    channel: .mail,
                    recipient: "x@example.com",
                    automatic: true,
                    payload: Data(),
                    ticketID: nil,
                    nextAttemptAt: t0,
                    createdAt: t0
                )
            ])
            let second = try await TierdeskDatabase.open(f.database.location, logger: StoreFixture.logger)
            defer { Task { await second.shutdown() } }
            let claimers = [outbox, OutboxRepository(second)]
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, claimer) in claimers.enumerated() {
                    group.addTask {
                        var keys: [String] = []
                        while true {
                            let claim = try await claimer.claim(
                                limit: 3,
                                at: t0.addingTimeInterval(Double(index)),
                                lease: 600
                            )
                            if claim.messages.isEmpty { return keys }
                            keys += claim.messages.map(\.key)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 40 && Set(claimed).count == 40)

            let again = try await outbox.claim(limit: 100, at: t0.addingTimeInterval(599), lease: 600)
            #expect(again.messages.isEmpty)
            // A claim whose holder vanished expires; the old holder can no longer record the outcome.
            let taken = try await outbox.claim(limit: 100, at: t0.addingTimeInterval(700), lease: 60)
            #expect(taken.messages.count == 40 && taken.messages.allSatisfy { $0.attempts == 2 })
            let stale = UUID()
            #expect(try await outbox.markDelivered(taken.messages[0].id, claim: stale, at: t0) == false)
            #expect(
                try await outbox.markDelivered(taken.messages[0].id, claim: taken.token, at: t0.addingTimeInterval(701))
            )
            let (delivered, sending, all) = (
                try await outbox.list(status: .delivered), try await outbox.list(status: .sending),
                try await outbox.list(status: nil)
            )
            #expect(delivered.count == 1 && sending.count == 39 && all.count == 40)
        }
    }

    @Test func failuresBackOffThenDieAndAdminsCanRetry() async throws {
        try await StoreFixture.with { f in
            let outbox = OutboxRepository(f.database)
            let policy = OutboxRetryPolicy(maxAttempts: 2, base: 30, cap: 3600)
            try await outbox.enqueue([
                OutboxMessage(
                    key: "one",
                    channel: .mail,
                    recipient: "r@example.com",
                    automatic: false,
                    payload: Data(),
                    ticketID: nil,
                    nextAttemptAt: t0,
                    createdAt: t0
                )
            ])
            #expect(try await outbox.claim(limit: 1, at: t0, lease: 60, channels: [.webhook]).messages.isEmpty)
            var claim = try await outbox.claim(limit: 1, at: t0, lease: 60)
            #expect(
                try await outbox.markFailed(
                    claim.messages[0],
                    claim: claim.token,
                    failure: .temporary("421 busy"),
                    policy: policy,
                    at: t0
                ) == .pending
            )
            #expect(try await outbox.nextAttemptAt() == t0.addingTimeInterval(30))
            #expect(try await outbox.nextAttemptAt(channels: [.webhook]) == nil)
            #expect(try await outbox.claim(limit: 1, at: t0.addingTimeInterval(29), lease: 60).messages.isEmpty)
            claim = try await outbox.claim(limit: 1, at: t0.addingTimeInterval(30), lease: 60)
            #expect(
                try await outbox.markFailed(
                    claim.messages[0],
                    claim: claim.token,
                    failure: .temporary("421 busy"),
                    policy: policy,
                    at: t0.addingTimeInterval(30)
                ) == .dead
            )
            let dead = try await outbox.list(status: .dead)
            #expect(dead.map(\.lastError) == ["421 busy"])
            #expect(try await outbox.retry(dead[0].id, at: t0.addingTimeInterval(100)) != nil)
            #expect(try await outbox.retry(dead[0].id, at: t0.addingTimeInterval(100)) == nil)
            claim = try await outbox.claim(limit: 1, at: t0.addingTimeInterval(100), lease: 60)
            #expect(claim.messages.map(\.attempts) == [1])
            #expect(try await outbox.automaticCount(to: "R@example.com", since: t0) == 0)
        }
    }
}
