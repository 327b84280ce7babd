import Foundation
import TierdeskCore

/// Turns one due step of a page into outbox messages: one per person notified and contact method, each
/// with a key made of page, step, person and method, so the same step is never queued twice.
public struct PageMessenger: Sendable {
    public let identity: DeskMailIdentity
    /// The signed link that acknowledges a page as a person.
    public let acknowledgeURL: @Sendable (_ page: UUID, _ person: UUID) -> String

    public init(
        identity: DeskMailIdentity,
        acknowledgeURL: @escaping @Sendable (_ page: UUID, _ person: UUID) -> String
    ) {
        self.identity = identity
        self.acknowledgeURL = acknowledgeURL
    }

    /// The messages and history of notifying `recipients` at `step`.
    func notify(
        _ page: OnCallPage,
        step: Int,
        recipients: [UUID],
        people: [UUID: Person],
        contacts: [UUID: [ContactMethod]],
        settings: PagingSettings,
        ticketReference: String?,
        at now: Date
    ) throws -> (messages: [OutboxMessage], events: [PageEvent]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let domain = identity.threading.domain
        var messages: [OutboxMessage] = []
        var events: [PageEvent] = []
        for personID in recipients {
            // The dispatch names only people it read and found active.
            guard let person = people[personID] else { continue }
            let notice = PageNotice(
                page: page,
                ticketReference: ticketReference,
                step: step,
                acknowledgeURL: acknowledgeURL(page.id, personID)
            )
            // Text messages and calls need the gateway; without one, and with nothing else set, the person's e-mail.
            let configured = contacts[personID] ?? []
            let unusable = configured.filter { ($0.kind == .sms || $0.kind == .voice) && settings.gatewayUrl == nil }
            for method in unusable {
                events.append(
                    PageEvent(
                        pageID: page.id,
                        at: now,
                        kind: .skipped,
                        step: step,
                        personID: personID,
                        detail: "\(method.kind.rawValue): no SMS/voice gateway is configured"
                    )
                )
            }
            let usable = configured.filter { !unusable.contains($0) }
            let methods = usable.isEmpty ? [ContactMethod(kind: .email, address: person.email)] : usable
            var used: [String] = []
            for (index, method) in methods.enumerated() {
                let key = "page-\(page.id.uuidString.lowercased())-\(step)-\(personID.uuidString.lowercased())-\(index)"
                switch method.kind {
                case .email:
                    let mail = notice.mail(
                        to: MailAddress(name: person.name, address: method.address),
                        from: identity,
                        messageID: "\(key)@\(domain)",
                        at: now
                    )
                    messages.append(
                        try .mail(mail, key: key, automatic: true, ticketID: page.ticketID, pageID: page.id, at: now)
                    )
                case .webhook:
                    messages.append(
                        try request(
                            PageRequest(
                                url: method.address,
                                body: try encoder.encode(notice),
                                allowPrivateTargets: settings.allowPrivateTargets
                            ),
                            recipient: method.address,
                            key: key,
                            page: page,
                            at: now
                        )
                    )
                case .sms, .voice:
                    guard let gateway = settings.gatewayUrl else { continue }
                    let body = try encoder.encode(notice.gatewayRequest(kind: method.kind, to: method.address))
                    messages.append(
                        try request(
                            PageRequest(url: gateway, body: body, allowPrivateTargets: settings.allowPrivateTargets),
                            recipient: "\(method.kind.rawValue):\(method.address)",
                            key: key,
                            page: page,
                            at: now
                        )
                    )
                }
                used.append(method.kind.rawValue)
            }
            if !used.isEmpty {
                events.append(
                    PageEvent(
                        pageID: page.id,
                        at: now,
                        kind: .notified,
                        step: step,
                        personID: personID,
                        detail: used.joined(separator: ", ")
                    )
                )
            }
        }
        return (messages, events)
    }

    private func request(_ request: PageRequest, recipient: String, key: String, page: OnCallPage, at now: Date) throws
        -> OutboxMessage
    {
        OutboxMessage(
            key: key,
            channel: .page,
            recipient: String(recipient.prefix(500)),
            automatic: true,
            payload: try JSONEncoder().encode(request),
            ticketID: page.ticketID,
            pageID: page.id,
            nextAttemptAt: now,
            createdAt: now
        )
    }
}
