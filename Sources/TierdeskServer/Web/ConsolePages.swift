import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Mustache
import TierdeskCore
import TierdeskStore

/// The agent console: queues per tier with counts and filters, and the ticket page.
struct ConsolePages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let ticketDesk: TicketDesk
    let incidentDesk: IncidentDesk
    let billingDesk: BillingDesk
    let responseTemplates: ResponseTemplateDesk
    let savedViews: SavedViewRepository

    struct QueueLink {
        var tier: String
        var count: String
        var current: Bool
    }

    struct GroupLink {
        var name: String
        var link: String
        var count: String
        var current: Bool
    }

    struct ConsoleView {
        var title: String
        var heading: String
        var user: UserView?
        var notice: String?
        var error: String?
        var queues: [QueueLink]
        var groups: [GroupLink]
        var hasGroups: Bool
        var action: String
        var tierFilter: String?
        /// The status filter is "any": every ticket, not only the open ones.
        var anyStatus: Bool
        var statuses: [OptionView]
        var priorities: [OptionView]
        var group: String
        var q: String
        var mine: Bool
        var tickets: [TicketRowView]
        var hasTickets: Bool
        var nextLink: String?
        /// Whether rows can be ticked for one change to many (``TicketDesk/bulk(_:_:by:)``).
        var selectable = false
        var csrf = ""
        /// This page's address, where a bulk change comes back to.
        var back = "/console"
        var bulkStatuses: [OptionView] = []
        /// The reader's saved views, and the one shown if it is one.
        var views: [SavedViewLink] = []
        var hasViews = false
        var currentView: SavedViewLink?
    }

    struct SavedViewLink {
        var id: String
        var name: String
        var link: String
        var current: Bool
    }

    struct LinkForm: Decodable {
        var csrf: String
        var kind: String
        var target: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", kind, target }
    }

    struct UnlinkForm: Decodable {
        var csrf: String
        var kind: String
        var other: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", kind, other }
    }

    struct SaveViewForm: Decodable {
        var csrf: String
        var name: String
        var address: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", name, address }
    }

    struct TicketPageView {
        var title: String
        var user: UserView?
        var notice: String?
        var error: String?
        var ticket: TicketDetailView
        var clocks: [ClockView]
        var hasClocks: Bool
        var events: [EventView]
        var base: String
        var csrf: String
        var version: Int
        var canChangeStatus: Bool
        var canAssign: Bool
        var statusOptions: [OptionView]
        var ownerOptions: [OptionView]
        var groupValue: String
        /// The escalation form, when the ticket can go up a tier.
        var escalation: EscalationFormView?
        /// The tier the ticket can be returned to.
        var previousTier: String?
        /// Known errors that match the ticket, best first.
        var suggestions: [KnownErrorView]
        var hasSuggestions: Bool
        var canApply: Bool
        var resolutions: [OptionView]
        /// The major incidents that cover the ticket.
        var incidents: [IncidentLink]
        /// Active incidents on the ticket's service that do not cover it yet, offered for linking.
        var incidentOffers: [IncidentLink]
        /// Time, scope and billing, for staff who log time.
        var time: TicketTimeView?
        /// What was typed into a refused form, by ``KeptForm/key(_:_:)``.
        var kept: [String: String] = [:]
        /// Each field's refusal, by the same keys.
        var refusals: [String: String] = [:]
        /// Whether the timeline runs oldest first (newest first unless asked).
        var oldestFirst = false
        /// The files kept with the ticket, oldest first.
        var attachments: [AttachmentView] = []
        var hasAttachments = false
        /// Links to other tickets the reader may see.
        var links: [LinkedTicketView] = []
        var hasLinks = false
        /// Where the history stood when the page was read; the forms send it back.
        var seen = "0"
        /// Who else has the ticket open.
        var colleagues: [ColleagueView] = []
        var hasColleagues = false
        /// The canned responses and macros the reader may use.
        var responseTemplates: [OptionView] = []
        var hasResponseTemplates = false
        /// The most files one form takes.
        var maxFiles = WebForm.maxFiles
        /// Whether the reader may record a data correction made in the supported system (privileged write).
        var canCorrect = false
        /// The workaround form, on an open ticket the reader triages.
        var workaround: WorkaroundFormView?
        /// Who watches the ticket, whether the reader does, and colleagues the reader may add.
        var watchers: [WatcherView] = []
        var isWatching = false
        var watcherOptions: [OptionView] = []
        /// The reader's own id, for "Watch this ticket".
        var readerID = ""
        /// The conversation with the vendor, on a ticket escalated to one.
        var vendorThread: VendorThreadView?
    }

    /// The vendor thread of an L4 ticket: its messages, oldest first, and what may be shared.
    struct VendorThreadView {
        var vendor: String
        var messages: [VendorMessageView]
        var hasMessages: Bool
        var files: [CheckView]
        var hasFiles: Bool
        var hasChecklist: Bool
    }

    struct VendorMessageView {
        var id: String
        var who: String
        var fromVendor: Bool
        var at: String
        var atISO: String
        var body: String
    }

    /// A watcher named on a ticket page, with whether the reader may remove them.
    struct WatcherView {
        var id: String
        var name: String
        var canRemove: Bool
    }

    /// The workaround form: whether the reader may also take the ticket from P3 to P4 with it.
    struct WorkaroundFormView {
        var applied: Bool
        var canDowngrade: Bool
    }

    /// A major incident named on a ticket's page.
    struct IncidentLink {
        var reference: String
        var title: String
        var state: String
        var version: Int

        init(_ incident: MajorIncident) {
            reference = incident.reference
            title = incident.title
            state = IncidentBroadcast.label(incident.state)
            version = incident.version
        }
    }

    /// The escalation form: which gate's fields to show and the choices.
    struct EscalationFormView {
        var nextTier: String
        var fromL1: Bool
        var fromL2: Bool
        var fromL3: Bool
        var vendorOptions: [OptionView]
        var groupOptions: [OptionView]
    }

    struct EscalateForm: Decodable {
        var csrf: String
        var version: Int
        var reason: String
        var tried: String?
        var logExcerpt: String?
        var noEvidenceReason: String?
        var reproductionSteps: String?
        var logExtract: String?
        var reproducedIn: String?
        var rootCause: String?
        var vendor: String?
        var vendorReference: String?
        var impactAmount: String?
        var impactCurrency: String?
        var group: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", version, reason, tried, logExcerpt, noEvidenceReason, reproductionSteps, logExtract,
                reproducedIn, rootCause, vendor, vendorReference, impactAmount, impactCurrency, group
        }

        /// What was typed, to show again if the escalation is refused.
        var kept: KeptForm {
            KeptForm(
                "escalate",
                [
                    "reason": reason, "tried": tried, "logExcerpt": logExcerpt, "noEvidenceReason": noEvidenceReason,
                    "reproductionSteps": reproductionSteps, "logExtract": logExtract, "reproducedIn": reproducedIn,
                    "vendorReference": vendorReference, "impactAmount": impactAmount,
                ]
            )
        }

        /// The request; fields left empty in the form are absent.
        func request() throws -> EscalationRequest {
            func text(_ value: String?) -> String? { value.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } }
            var request = EscalationRequest(
                group: text(group),
                reason: reason,
                tried: text(tried),
                logExcerpt: text(logExcerpt),
                noEvidenceReason: text(noEvidenceReason),
                reproductionSteps: text(reproductionSteps),
                logExtract: text(logExtract),
                reproducedIn: text(reproducedIn),
                vendorReference: text(vendorReference)
            )
            if let cause = text(rootCause) {
                guard let parsed = RootCause(rawValue: cause) else {
                    throw TierdeskError.invalid(field: "rootCause", "is not a root cause")
                }
                request.rootCause = parsed
            }
            if let vendor = text(vendor) {
                guard let id = UUID(uuidString: vendor) else {
                    throw TierdeskError.invalid(field: "vendorId", "is not a vendor")
                }
                request.vendorID = id
            }
            if let amount = text(impactAmount) {
                guard let value = Int(amount.trimmingWhitespace().replacingOccurrences(of: ",", with: "")) else {
                    throw TierdeskError.invalid(
                        field: "businessImpact.amountPerHour",
                        "must be a whole number such as 12000"
                    )
                }
                request.businessImpact = BusinessImpact(
                    amountPerHour: value,
                    currency: (text(impactCurrency) ?? "").trimmingWhitespace().uppercased()
                )
            }
            return request
        }
    }

    /// A reply or note, with the time spent on it when given.
    struct MessageForm: Decodable {
        var csrf: String
        var body: String
        var minutes: String?
        /// Where the history stood when the page was shown (``TicketDesk/historyMark(_:)``).
        var seen: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", body, minutes, seen }

        /// The minutes to log, checked before the message is sent so a bad number loses nothing.
        func minutesSpent() throws -> Int? {
            guard let text = minutes?.trimmingWhitespace(), !text.isEmpty else { return nil }
            guard let value = Int(text), (1...1440).contains(value) else {
                throw TierdeskError.invalid(field: "minutes", "must be a whole number of minutes from 1 to 1440")
            }
            return value
        }
    }

    struct DeescalateForm: Decodable {
        var csrf: String
        var version: Int
        var note: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, note }
    }

    struct StatusForm: Decodable {
        var csrf: String
        var version: Int
        var status: String
        var comment: String?
        var resolution: String?
        var seen: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, status, comment, resolution, seen }
    }

    struct MergeForm: Decodable {
        var csrf: String
        var version: Int
        var into: String
        var seen: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, into, seen }
    }

    struct BulkForm: Decodable {
        var csrf: String
        var tickets: [String]?
        var action: String
        var status: String?
        var priority: String?
        var back: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", tickets, action, status, priority, back }

        func bulkAction() throws -> TicketDesk.BulkAction {
            switch action {
            case "assign": return .assignToMe
            case "merge": return .mergeIntoOldest
            case "status":
                guard let status = status.flatMap(TicketStatus.init(rawValue:)) else {
                    throw TierdeskError.invalid(field: "status", "choose a status")
                }
                return .status(status)
            case "priority":
                guard let priority = priority.flatMap(Priority.init(rawValue:)) else {
                    throw TierdeskError.invalid(field: "priority", "choose a priority")
                }
                return .priority(priority)
            default:
                throw TierdeskError.invalid(field: "action", "choose what to do with the tickets")
            }
        }
    }

    struct PresenceForm: Decodable {
        var csrf: String
        var state: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", state }
    }

    struct AssignForm: Decodable {
        var csrf: String
        var version: Int
        var owner: String?
        var group: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, owner, group }
    }

    static let pageSize = 50

    /// Notices shown after a successful form, by key, so no outside text is echoed.
    static let notices = [
        "replied": "Reply sent.", "noted": "Note added.", "status": "Status changed.", "assigned": "Assignment saved.",
        "opened": "Ticket opened.", "escalated": "Ticket escalated.",
        "deescalated": "Ticket returned to the tier below.", "linked": "Known error linked.",
        "resolvedFromKEDB": "Resolved from the Known Error Database.", "time": "Time logged.",
        "timer": "Timer started.", "scope": "Billing scope saved.", "cost": "Vendor cost recorded.",
        "corrected": "Data correction recorded.", "workaround": "Workaround recorded.",
        "watching": "Watching: you will be notified when others work on it.", "unwatched": "No longer watched.",
        "vendorMessage": "Sent to the vendor.", "forwarded": "The vendor's answer was sent to the customer.",
        "downgraded": "Workaround recorded; the ticket is P4 now.",
        "replied-time": "Reply sent and time logged.", "noted-time": "Note added and time logged.",
        "template": "Canned response sent.",
        "merged": "Merged: this ticket is closed, and the conversation carries on in the one it was merged into.",
        "linked-ticket": "Tickets linked.", "unlinked": "Link removed.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {

        router.get("/console") { request, context in
            try await queuePage(request.uri.queryParameters, context, tier: nil)
        }
        router.get("/console/queue") { request, context in
            guard let raw = request.uri.queryParameters.get("tier"), let tier = Tier(rawValue: raw) else {
                throw Problem(.badRequest, "Choose a queue: tier must be L1, L2, L3 or L4.")
            }
            return try await queuePage(request.uri.queryParameters, context, tier: tier)
        }
        router.post("/console/tickets/:reference/merge") { request, context in
            let form = try await WebForm.decode(MergeForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("merge", ["into": form.into])
            return try await submit(reference, identity, success: "merged", form: "merge", kept: kept) {
                try await refuseIfOthersChanged(reference, since: form.seen, by: identity.actor, doing: "merging")
                _ = try await ticketDesk.merge(
                    reference,
                    into: form.into,
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/link") { request, context in
            let form = try await WebForm.decode(LinkForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("link", ["target": form.target])
            return try await submit(reference, identity, success: "linked-ticket", form: "link", kept: kept) {
                guard let kind = TicketLinkKind(rawValue: form.kind) else {
                    throw TierdeskError.invalid(field: "kind", "choose how the tickets relate")
                }
                _ = try await ticketDesk.link(reference, to: form.target, kind: kind, by: identity.actor)
            }
        }
        router.post("/console/tickets/:reference/unlink") { request, context in
            let form = try await WebForm.decode(UnlinkForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await submit(reference, identity, success: "unlinked") {
                guard let kind = TicketLinkKind(rawValue: form.kind) else {
                    throw TierdeskError.invalid(field: "kind", "is not a kind of link")
                }
                try await ticketDesk.unlink(reference, kind: kind, other: form.other, by: identity.actor)
            }
        }
        router.post("/console/views") { request, context in
            let form = try await WebForm.decode(SaveViewForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            _ = try Self.staff(context)
            do {
                do {
                    try SavedView.validate(name: form.name, address: form.address)
                } catch let failure as ValidationFailure {
                    throw TierdeskError.invalid(failure)
                }
                try await savedViews.save(
                    SavedView(
                        id: UUID.timeOrdered(),
                        personID: identity.actor.personID,
                        name: form.name.trimmingWhitespace(),
                        address: form.address,
                        createdAt: ticketDesk.now
                    )
                )
            } catch let error as TierdeskError {
                let problem = Problem(error)
                let fields = problem.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
                return try await queuePage(
                    at: form.address,
                    context,
                    error: "The view was not saved: \(fields.isEmpty ? problem.detail : fields + ".")",
                    answer: problem.status
                )
            }
            return Response.redirect(to: form.address, type: .normal)
        }
        router.post("/console/views/:id/delete") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            _ = try Self.staff(context)
            guard let id = UUID(uuidString: try context.pathParameter("id")),
                try await savedViews.delete(id, of: identity.actor.personID)
            else { throw TierdeskError.notFound("No such view of yours.") }
            return Response.redirect(to: "/console", type: .normal)
        }
        router.post("/console/bulk") { request, context in
            let form = try await WebForm.decode(BulkForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            do {
                let outcome = try await ticketDesk.bulk(form.tickets ?? [], try form.bulkAction(), by: identity.actor)
                return try await queuePage(
                    at: form.back,
                    context,
                    notice: [
                        outcome.changed.isEmpty
                            ? nil : "Changed \(outcome.changed.count): \(outcome.changed.joined(separator: ", ")).",
                        outcome.unchanged.isEmpty
                            ? nil : "Already so: \(outcome.unchanged.joined(separator: ", ")).",
                    ]
                    .compactMap { $0 }.joined(separator: " ").nilIfEmpty,
                    error: outcome.refused.isEmpty
                        ? nil
                        : "Not changed: "
                            + outcome.refused.map { "\($0.reference): \($0.reason)" }.joined(separator: " ")
                )
            } catch let error as TierdeskError {
                return try await queuePage(
                    at: form.back,
                    context,
                    error: "Nothing was changed: \(error.reason)",
                    answer: Problem(error).status
                )
            }
        }
        router.get("/console/tickets/:reference") { request, context in
            let identity = try Self.staff(context)
            let reference = try context.pathParameter("reference")
            let notice = request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            let oldestFirst = request.uri.queryParameters.get("order") == "oldest"
            // The page's own script fetches it again as the ticket changes, saying what its reader is doing.
            let presence = request.headers[Self.presenceHeader].flatMap(TicketPresence.State.init(rawValue:))
            return try await ticketPage(
                reference,
                identity: identity,
                notice: notice,
                oldestFirst: oldestFirst,
                presence: presence ?? .viewing
            )
        }
        router.post("/console/tickets/:reference/presence") { request, context in
            let form = try await WebForm.decode(PresenceForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            _ = try Self.staff(context)
            guard let state = TicketPresence.State(rawValue: form.state) else {
                throw Problem(.badRequest, "state must be viewing or replying.")
            }
            let (ticket, _) = try await ticketDesk.ticket(try context.pathParameter("reference"), for: identity.actor)
            let others = try await ticketDesk.markPresence(ticket, state: state, by: identity.actor)
            return try PresenceAnswer(others).response()
        }
        router.post("/console/tickets/:reference/reply") { request, context in
            try await message(request, context, isInternal: false)
        }
        router.post("/console/tickets/:reference/note") { request, context in
            try await message(request, context, isInternal: true)
        }
        router.post("/console/tickets/:reference/status") { request, context in
            let form = try await WebForm.decode(StatusForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("status", ["comment": form.comment])
            return try await submit(reference, identity, success: "status", form: "status", kept: kept) {
                try await refuseIfOthersChanged(
                    reference,
                    since: form.seen,
                    by: identity.actor,
                    doing: "changing the status"
                )
                guard let status = TicketStatus(rawValue: form.status) else {
                    throw TierdeskError.invalid(field: "status", "is not a status")
                }
                let comment = form.comment.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
                let resolution = try form.resolution.flatMap { value -> Resolution? in
                    guard !value.isEmpty else { return nil }
                    guard let parsed = Resolution(rawValue: value) else {
                        throw TierdeskError.invalid(field: "resolution", "is not a resolution")
                    }
                    return parsed
                }
                _ = try await ticketDesk.changeStatus(
                    reference,
                    to: status,
                    comment: comment,
                    resolution: resolution,
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/escalate") { request, context in
            let (form, files) = try await WebForm.decodeWithFiles(EscalateForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await submit(reference, identity, success: "escalated", form: "escalate", kept: form.kept) {
                // The files are the evidence the gate counts, so they come first.
                try await ticketDesk.attach(try WebForm.checkedFiles(files), to: reference, by: identity.actor)
                _ = try await ticketDesk.escalate(
                    reference,
                    request: try form.request(),
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/deescalate") { request, context in
            let form = try await WebForm.decode(DeescalateForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("deescalate", ["note": form.note])
            return try await submit(reference, identity, success: "deescalated", form: "deescalate", kept: kept) {
                _ = try await ticketDesk.deescalate(
                    reference,
                    to: nil,
                    note: form.note,
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/assign") { request, context in
            let form = try await WebForm.decode(AssignForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await submit(reference, identity, success: "assigned") {
                var changes = TicketChanges()
                let owner = form.owner.flatMap { $0.isEmpty ? nil : $0 }
                if let owner, UUID(uuidString: owner) == nil {
                    throw TierdeskError.invalid(field: "ownerId", "is not a person")
                }
                changes.ownerID = .some(owner.flatMap(UUID.init(uuidString:)))
                let group = form.group.map { $0.trimmingWhitespace() }
                changes.group = .some(group.flatMap { $0.isEmpty ? nil : $0 })
                _ = try await ticketDesk.update(
                    reference,
                    with: changes,
                    expectedVersion: form.version,
                    by: identity.actor
                )
            }
        }
    }

    /// What a ticket page's script says its reader is doing when it fetches the page again.
    static let presenceHeader = HTTPField.Name("X-Tierdesk-Presence")!

    /// The signed-in member of staff; others are sent to log in or refused.
    static func staff(_ context: TierdeskRequestContext) throws -> Identity {
        guard let identity = context.identity, UserView(identity) != nil else { throw WebRedirect(location: "/login") }
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: identity.actor), notFound: "")
        return identity
    }

    /// The queue page at a console queue's address (where a form on it came from); another address shows all
    /// open tickets.
    private func queuePage(
        at address: String?,
        _ context: TierdeskRequestContext,
        notice: String? = nil,
        error: String? = nil,
        answer: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let valid = address.map { $0.hasPrefix("/console") && !$0.hasPrefix("//") && !$0.contains("\\") } ?? false
        let uri = URI(valid ? address! : "/console")
        let tier = uri.path == "/console/queue" ? uri.queryParameters.get("tier").flatMap(Tier.init(rawValue:)) : nil
        return try await queuePage(
            uri.queryParameters,
            context,
            tier: tier,
            notice: notice,
            error: error,
            answer: answer
        )
    }

    private func queuePage(
        _ parameters: FlatDictionary<Substring, Substring>,
        _ context: TierdeskRequestContext,
        tier: Tier?,
        notice: String? = nil,
        error: String? = nil,
        answer: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let identity = try Self.staff(context)
        var query = TicketQuery()
        query.tier = tier
        // No status means the open tickets; `any` means every ticket (the header's search looks everywhere).
        let anyStatus = parameters.get("status") == "any"
        let status = parameters.get("status").flatMap(TicketStatus.init(rawValue:))
        if let status { query.statuses = [status] } else if !anyStatus { query.openOnly = true }
        let priority = parameters.get("priority").flatMap(Priority.init(rawValue:))
        query.priority = priority
        let group = String((parameters.get("group") ?? "").prefix(TextLimits.label)).trimmingWhitespace()
        if !group.isEmpty { query.group = group }
        let text = String((parameters.get("q") ?? "").prefix(TicketQuery.maxTextLength)).trimmingWhitespace()
        if !text.isEmpty { query.text = text }
        // A search is one ranked page; a queue reads one ticket more to know whether another page follows.
        query.limit = text.isEmpty ? Self.pageSize + 1 : Self.pageSize
        let mine = parameters.get("mine") == "1"
        if mine { query.owner = .person(identity.person.id) }
        query.byDeadline = true
        if let after = parameters.get("after") {
            guard let cursor = DeadlineCursor(String(after)) else {
                throw Problem(.badRequest, "The page to continue from is not one this queue gave out; start again.")
            }
            query.afterDeadline = cursor
        }

        let found = try await ticketDesk.list(query, for: identity.actor)
        let shown = Array(found.prefix(Self.pageSize))
        let (counts, groups) = try await ticketDesk.queueCounts(for: identity.actor)
        let names = try await directory.names(for: shown)
        var nextLink: String?
        if found.count > Self.pageSize, let last = shown.last {
            var items = parameters.map { (String($0.key), String($0.value)) }.filter { $0.0 != "after" }
            items.append(("after", DeadlineCursor(after: last).text))
            nextLink =
                (tier == nil ? "/console?" : "/console/queue?")
                + items.map { "\(Self.escapeQuery($0.0))=\(Self.escapeQuery($0.1))" }.joined(separator: "&")
        }
        let queue = tier.map { "\($0.rawValue) queue" } ?? (group.isEmpty ? "All open tickets" : "Group \(group)")
        let here = Self.address(tier: tier, parameters)
        let views = try await savedViews.views(of: identity.actor.personID)
            .map {
                SavedViewLink(id: $0.id.uuidString, name: $0.name, link: $0.address, current: $0.address == here)
            }
        let heading = text.isEmpty ? queue : "Search results for “\(text)”"
        let view = ConsoleView(
            title: heading,
            heading: heading,
            user: UserView(identity),
            notice: notice,
            error: error,
            queues: Tier.allCases.map {
                QueueLink(tier: $0.rawValue, count: counts[$0]?.text ?? "0", current: $0 == tier)
            },
            groups: groups.map {
                GroupLink(
                    name: $0.group,
                    link: "/console?group=\(Self.escapeQuery($0.group))",
                    count: $0.count.text,
                    current: $0.group == group
                )
            },
            hasGroups: !groups.isEmpty,
            action: tier == nil ? "/console" : "/console/queue",
            tierFilter: tier?.rawValue,
            anyStatus: anyStatus,
            statuses: TicketStatus.allCases.map {
                OptionView(value: $0.rawValue, label: StatusLabel.text($0), selected: $0 == status)
            },
            priorities: Priority.allCases.map {
                OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0 == priority)
            },
            group: group,
            q: text,
            mine: mine,
            tickets: shown.map {
                TicketRowView($0, names: names, linkPrefix: "/console/tickets/", now: ticketDesk.now)
            },
            hasTickets: !shown.isEmpty,
            nextLink: nextLink,
            selectable: !shown.isEmpty,
            csrf: UserView(identity)?.csrf ?? "",
            back: here,
            bulkStatuses: TicketStatus.allCases.filter { $0 != .new }
                .map {
                    OptionView(value: $0.rawValue, label: StatusLabel.text($0), selected: false)
                },
            views: views,
            hasViews: !views.isEmpty,
            currentView: views.first(where: \.current)
        )
        return try Templates.page(templates, "console", view, status: answer)
    }

    func ticketPage(
        _ reference: String,
        identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        kept: KeptForm = KeptForm(),
        oldestFirst: Bool = false,
        presence: TicketPresence.State = .viewing
    ) async throws -> Response {
        // The console's page is for staff whatever brought the reader here (a refused form included).
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: identity.actor), notFound: "")
        let seen = try await ticketDesk.historyMark(reference, for: identity.actor)
        let (ticket, scope, events) = try await ticketDesk.events(reference, for: identity.actor)
        let colleagues = try await ticketDesk.markPresence(ticket, state: presence, by: identity.actor)
        let canned =
            AccessPolicy.allows(.useResponseTemplates, by: identity.actor)
            ? try await responseTemplates.available(to: identity.actor) : []
        // The console is for staff, who see every event, so the timeline's events are the whole history.
        let clocks = ticketDesk.clocks(of: ticket, events: events)
        let agents = try await directory.activeAgents()
        let names = try await directory.names(for: [ticket], extraPeople: events.compactMap(\.actorID))
        guard let user = UserView(identity) else { throw WebRedirect(location: "/login") }
        let suggestions =
            AccessPolicy.allows(.viewKnownErrors, by: identity.actor)
            ? try await ticketDesk.suggestions(for: ticket) : []
        let canEscalate = ticket.status.isOpen && AccessPolicy.allows(.escalateTicket, by: identity.actor, on: scope)
        var escalation: EscalationFormView?
        if canEscalate, let next = ticket.tier.next {
            let groups = try await directory.groups(for: identity.actor).filter { $0.tier == nil || $0.tier == next }
            let vendors = next == .l4 ? try await directory.vendors(for: identity.actor) : []
            escalation = EscalationFormView(
                nextTier: next.rawValue,
                fromL1: ticket.tier == .l1,
                fromL2: ticket.tier == .l2,
                fromL3: ticket.tier == .l3,
                vendorOptions: vendors.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) },
                groupOptions: groups.map { OptionView(value: $0.name, label: $0.name, selected: false) }
            )
        }
        let watchers = try await ticketDesk.watchers(of: ticket)
        let canAssign = AccessPolicy.allows(.assignTicket, by: identity.actor, on: scope)
        let staff = canAssign ? try await directory.activeStaff() : []
        let files = try await ticketDesk.attachments(of: ticket, for: identity.actor)
            .map { AttachmentView($0, reference: ticket.reference) }
        let links = try await ticketDesk.links(of: ticket, for: identity.actor)
            .map {
                LinkedTicketView($0, base: "/console/tickets")
            }
        let view = TicketPageView(
            title: ticket.reference,
            user: user,
            notice: notice,
            error: error,
            ticket: TicketDetailView(ticket, names: names),
            clocks: clocks.map(ClockView.init),
            hasClocks: !clocks.isEmpty,
            events: (oldestFirst ? events : events.reversed()).map { EventView($0, names: names) },
            base: "/console/tickets/\(ticket.reference)",
            csrf: user.csrf,
            version: ticket.version,
            canChangeStatus: AccessPolicy.allows(.changeStatus, by: identity.actor, on: scope),
            canAssign: canAssign,
            statusOptions: StatusLabel.options(selected: ticket.status),
            ownerOptions: agents.map {
                OptionView(
                    value: $0.id.uuidString,
                    label: "\($0.name) (\($0.tier?.rawValue ?? "agent"))",
                    selected: $0.id == ticket.ownerID
                )
            },
            groupValue: ticket.group ?? "",
            escalation: escalation,
            previousTier: canEscalate ? ticket.tier.previous?.rawValue : nil,
            suggestions: suggestions.map(KnownErrorView.init),
            hasSuggestions: !suggestions.isEmpty,
            canApply: ticket.status.isOpen && AccessPolicy.allows(.triageTicket, by: identity.actor, on: scope),
            resolutions: Resolution.allCases.map {
                OptionView(
                    value: $0.rawValue,
                    label: $0.rawValue.replacingOccurrences(of: "_", with: " "),
                    selected: false
                )
            },
            incidents: try await incidentDesk.covering(ticket, actor: identity.actor).map(IncidentLink.init),
            incidentOffers: ticket.status.isOpen
                ? try await incidentDesk.offers(for: ticket, actor: identity.actor).map(IncidentLink.init) : [],
            time: AccessPolicy.allows(.logTime, by: identity.actor)
                ? TicketTimeView(
                    try await billingDesk.ticketTime(ticket, for: identity.actor),
                    canLogTime: true,
                    canChangeScope: AccessPolicy.allows(.changeBillingScope, by: identity.actor, on: scope),
                    canRecordCosts: AccessPolicy.allows(.viewBilling, by: identity.actor)
                ) : nil,
            kept: kept.values,
            refusals: kept.refusals,
            oldestFirst: oldestFirst,
            attachments: files,
            hasAttachments: !files.isEmpty,
            links: links,
            hasLinks: !links.isEmpty,
            seen: String(seen),
            colleagues: colleagues.map(ColleagueView.init),
            hasColleagues: !colleagues.isEmpty,
            responseTemplates: canned.map {
                OptionView(value: $0.id.uuidString, label: $0.name + ($0.isMacro ? " (macro)" : ""), selected: false)
            },
            hasResponseTemplates: !canned.isEmpty,
            canCorrect: AccessPolicy.allows(.privilegedWrite, by: identity.actor, on: scope),
            workaround: ticket.status.isOpen && AccessPolicy.allows(.triageTicket, by: identity.actor, on: scope)
                ? WorkaroundFormView(
                    applied: ticket.workaroundApplied,
                    canDowngrade: ticket.priority == .p3
                        && (ticket.ownerID == identity.actor.personID || identity.actor.has(.admin))
                ) : nil,
            watchers: watchers.map {
                WatcherView(
                    id: $0.id.uuidString,
                    name: $0.name,
                    canRemove: $0.id == identity.actor.personID || canAssign
                )
            },
            isWatching: watchers.contains { $0.id == identity.actor.personID },
            watcherOptions: canAssign
                ? staff.filter { person in !watchers.contains { $0.id == person.id } }
                    .map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) } : [],
            readerID: identity.actor.personID.uuidString,
            vendorThread: try await vendorThread(ticket, events: events, files: files, names: names)
        )
        return try Templates.page(templates, "console_ticket", view, status: status)
    }

    /// The vendor thread's view, on a ticket with a vendor.
    private func vendorThread(_ ticket: Ticket, events: [TicketEvent], files: [AttachmentView], names: NameBook)
        async throws -> VendorThreadView?
    {
        guard let vendorID = ticket.vendorID else { return nil }
        let messages = events.filter { $0.kind == .vendorMessage }
            .map {
                VendorMessageView(
                    id: $0.id.uuidString,
                    who: names.person($0.actorID),
                    fromVendor: !$0.byStaff,
                    at: DisplayTime.text($0.at),
                    atISO: Timestamp.format($0.at),
                    body: $0.body ?? ""
                )
            }
        let shared = try await ticketDesk.attachmentsSharedWithVendor(ticket)
        return VendorThreadView(
            vendor: names.vendors[vendorID] ?? "the vendor",
            messages: messages,
            hasMessages: !messages.isEmpty,
            files: files.map {
                CheckView(value: $0.id, label: $0.name + (shared.contains($0.id) ? " (shared)" : ""), checked: false)
            },
            hasFiles: !files.isEmpty,
            hasChecklist: events.contains { $0.kind == .escalated && $0.after == Tier.l4.rawValue }
        )
    }

    private func message(_ request: Request, _ context: TierdeskRequestContext, isInternal: Bool) async throws
        -> Response
    {
        let (form, files) = try await WebForm.decodeWithFiles(MessageForm.self, from: request)
        let identity = try WebForm.checkedIdentity(context, token: form.csrf)
        let reference = try context.pathParameter("reference")
        let success = (isInternal ? "noted" : "replied") + ((form.minutes ?? "").isEmpty ? "" : "-time")
        let name = isInternal ? "note" : "reply"
        let kept = KeptForm(name, ["body": form.body, "minutes": form.minutes])
        return try await submit(reference, identity, success: success, form: name, kept: kept) {
            try await refuseIfOthersChanged(
                reference,
                since: form.seen,
                by: identity.actor,
                doing: isInternal ? "writing your note" : "writing your reply"
            )
            let minutes = try form.minutesSpent()
            try await ticketDesk.attach(try WebForm.checkedFiles(files), to: reference, by: identity.actor)
            _ = try await ticketDesk.addMessage(reference, body: form.body, isInternal: isInternal, by: identity.actor)
            if let minutes {
                let note = String(form.body.trimmingWhitespace().split(separator: "\n").first ?? "").prefix(200)
                _ = try await billingDesk.logTime(
                    on: reference,
                    BillingDesk.TimeInput(minutes: minutes, note: (isInternal ? "Note: " : "Reply: ") + note),
                    by: identity.actor
                )
            }
        }
    }

    /// Runs a form's change; on success redirects back to the ticket, on a user error shows the page with the
    /// message; for a `form` that keeps what was typed into it (`kept`), with its refusals next to its fields.
    func submit(
        _ reference: String,
        _ identity: Identity,
        success: String,
        form: String = "",
        kept: KeptForm = KeptForm(),
        words: [String: String] = KeptForm.plainWords,
        _ change: () async throws -> Void
    ) async throws -> Response {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: identity.actor), notFound: "")
        return try await WebForm.submit(
            {
                try await change()
                return "/console/tickets/\(reference.uppercased())?notice=\(success)"
            },
            orShow: { problem in
                var kept = kept
                let message = form.isEmpty ? problem.detail : kept.refuse(problem, form: form, words: words)
                return try await ticketPage(
                    reference,
                    identity: identity,
                    error: message,
                    status: problem.status,
                    kept: kept
                )
            }
        )
    }

    /// Refuses a change made from a page others have changed since it was shown (`seen`), naming what they
    /// did; the page then shows it, with the typed text kept and the history marked anew, so sending again
    /// goes through. Forms without `seen` (older pages) are not checked.
    func refuseIfOthersChanged(_ reference: String, since seen: String?, by actor: Actor, doing: String) async throws {
        guard let seen = seen.flatMap({ Int64($0) }) else { return }
        let changes = try await ticketDesk.changesSince(reference, seq: seen, for: actor)
        guard !changes.isEmpty else { return }
        throw TierdeskError.conflict(
            "While you were \(doing), \(try await ticketDesk.describe(changes)). Nothing was sent: read the "
                + "timeline below, then send again if it still fits."
        )
    }

    /// A queue page's own address with its filters, for a bulk change to come back to.
    static func address(tier: Tier?, _ parameters: FlatDictionary<Substring, Substring>) -> String {
        var query: [String] = []
        if let tier { query.append("tier=\(tier.rawValue)") }
        for name in ["status", "priority", "group", "q", "mine"] {
            if let value = parameters.get(name), !value.isEmpty { query.append("\(name)=\(escapeQuery(value))") }
        }
        return (tier == nil ? "/console" : "/console/queue") + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    static func escapeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
