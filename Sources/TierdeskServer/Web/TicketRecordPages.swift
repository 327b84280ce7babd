import Foundation
import Hummingbird
import TierdeskCore

/// A ticket page's records of work done outside Tierdesk: a data correction made in the supported system
/// (privileged, audited), and a workaround that keeps the business running, with which the ticket's owner
/// may take a P3 down to P4; and who watches the ticket.
struct TicketRecordPages {
    let console: ConsolePages
    let ticketDesk: TicketDesk

    struct CorrectionForm: Decodable {
        var csrf: String
        var target: String
        var change: String
        var reason: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", target, change, reason }
    }

    struct WorkaroundForm: Decodable {
        var csrf: String
        var version: Int
        var description: String
        var downgrade: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, description, downgrade }
    }

    struct WatchForm: Decodable {
        var csrf: String
        var person: String
        var watch: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", person, watch }
    }

    /// The refusals these forms word themselves.
    static let words = [
        "target": "Name the record you changed, such as order 4711 in the ERP.",
        "change": "Say what you changed: the value before and after.",
        "reason": "Say why the data had to be corrected.",
        "description": "Describe the workaround so the next person can apply it.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = ticketDesk
        router.post("/console/tickets/:reference/correction") { request, context in
            let form = try await WebForm.decode(CorrectionForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("correction", ["target": form.target, "change": form.change, "reason": form.reason])
            return try await console.submit(
                reference,
                identity,
                success: "corrected",
                form: "correction",
                kept: kept,
                words: Self.words
            ) {
                _ = try await desk.recordCorrection(
                    reference,
                    target: form.target,
                    change: form.change,
                    reason: form.reason,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/watchers") { request, context in
            let form = try await WebForm.decode(WatchForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let watching = form.watch == "1"
            return try await console.submit(reference, identity, success: watching ? "watching" : "unwatched") {
                guard let person = UUID(uuidString: form.person) else {
                    throw TierdeskError.invalid(field: "watcher", "choose a colleague from the list")
                }
                try await desk.setWatching(reference, personID: person, watching: watching, by: identity.actor)
            }
        }
        router.post("/console/tickets/:reference/workaround") { request, context in
            let form = try await WebForm.decode(WorkaroundForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let downgrade = form.downgrade == "1"
            return try await console.submit(
                reference,
                identity,
                success: downgrade ? "downgraded" : "workaround",
                form: "workaround",
                kept: KeptForm("workaround", ["description": form.description]),
                words: Self.words
            ) {
                _ = try await desk.applyWorkaround(
                    reference,
                    description: form.description,
                    downgrade: downgrade,
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
    }
}
