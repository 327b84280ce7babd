import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Queues the mail that ticket writes cause (see ``TicketMailPlanner``), inside the writes' transaction.
struct TicketMailer: Sendable {
    let identity: DeskMailIdentity

    /// Plans and queues the mail of several writes with one lookup of the people involved (see ``TicketWriteEffects``).
    /// Says whether anything was queued.
    func enqueue(_ writes: [TicketWriteEffects.Write], on sql: any SQLDatabase) async throws -> Bool {
        let writes = writes.filter { TicketMailPlanner.mayMail($0.events) }
        guard !writes.isEmpty else { return false }
        var ids = Set<UUID>()
        var groups = Set<String>()
        for write in writes {
            ids.insert(write.ticket.requesterID)
            if let owner = write.ticket.ownerID { ids.insert(owner) }
            for event in write.events {
                if let actor = event.actorID { ids.insert(actor) }
                if event.kind == .assigned, let after = event.after.flatMap(UUID.init(uuidString:)) {
                    ids.insert(after)
                }
            }
            if write.events.contains(where: { $0.kind == .escalated }), let group = write.ticket.group {
                groups.insert(group)
            }
        }
        var leads: [String: UUID] = [:]
        if !groups.isEmpty {
            for row in try await sql.select().columns("name", "lead_id").from("support_groups")
                .where("name", .in, Array(groups)).all()
            {
                if let lead = try row.decode(column: "lead_id", as: UUID?.self) {
                    leads[try row.decode(column: "name", as: String.self)] = lead
                    ids.insert(lead)
                }
            }
        }
        let people = try await DirectoryRepository.people(ids: ids, on: sql as! any Database)
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Staff writing in a vendor thread: the vendor's contacts get it by mail.
        let vendors = Set(
            writes.flatMap { write in
                write.events.filter { $0.kind == .vendorMessage && $0.byStaff }
                    .compactMap { $0.after.flatMap(UUID.init(uuidString:)) }
            }
        )
        let contacts = Dictionary(
            grouping: try await DirectoryRepository.vendorContacts(of: vendors, on: sql as! any Database),
            by: { $0.vendorID! }
        )

        let earlier = writes.filter { write in !write.events.contains { $0.kind == .created } }.map(\.ticket.id)
        let received = try await Self.receivedMessageIDs(ticketIDs: earlier, on: sql)
        var messages: [OutboxMessage] = []
        for write in writes {
            var inbound = received[write.ticket.id] ?? []
            if let received = write.extras.receivedMessageID, !inbound.contains(received) { inbound.append(received) }
            let context = TicketMailContext(
                ticket: write.ticket,
                events: write.events,
                people: byID,
                groupLeads: leads,
                inboundMessageIDs: inbound,
                mayAnswerAutomatically: write.extras.mayAnswerAutomatically,
                vendorContacts: write.ticket.vendorID.flatMap { contacts[$0] } ?? []
            )
            for planned in TicketMailPlanner.plan(context, identity: identity) {
                messages.append(
                    try .mail(
                        planned.mail,
                        key: planned.key,
                        automatic: planned.automatic,
                        ticketID: write.ticket.id,
                        at: write.events.last?.at ?? planned.mail.date
                    )
                )
            }
        }
        try await OutboxRepository.insert(messages, on: sql)
        return !messages.isEmpty
    }

    /// The first and the last Message-ID of the mail each ticket received (all that threading uses), oldest
    /// first, in one query for all of them; a ticket's other mail is not read.
    static func receivedMessageIDs(ticketIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [String]] {
        guard !ticketIDs.isEmpty else { return [:] }
        let query: SQLQueryString = """
            SELECT ticket_id, message_id FROM (
              SELECT ticket_id, message_id, received_at,
                ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY received_at, message_id) AS from_first,
                ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY received_at DESC, message_id DESC) AS from_last
              FROM mail_receipts WHERE ticket_id IN \(SQLBind.group(ticketIDs))
            ) ends WHERE from_first = 1 OR from_last = 1 ORDER BY ticket_id, received_at, message_id
            """
        var received: [UUID: [String]] = [:]
        for row in try await sql.raw(query).all() {
            received[try row.decode(column: "ticket_id", as: UUID.self), default: []]
                .append(try row.decode(column: "message_id", as: String.self))
        }
        return received
    }
}
