import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// The customer portal: a requester's (or vendor contact's) tickets, opening a ticket, replying.
struct PortalPages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let ticketDesk: TicketDesk

    struct ListView {
        var title = "My tickets"
        var heading: String
        var user: UserView?
        var notice: String?
        var error: String?
        var tickets: [TicketRowView]
        var hasTickets: Bool
        var nextLink: String?
        /// All, open, waiting for the requester, resolved; absent on a search's results.
        var filters: [PortalFilter.FilterLink] = []
        var hasFilters = false
    }

    struct NewTicketView {
        var title = "Open a ticket"
        var user: UserView?
        var notice: String?
        var error: String?
        var csrf: String
        var titleValue: String
        var descriptionValue: String
        var isRequest: Bool
        var neededByValue: String
        var services: [OptionView]
        /// The most files one form takes.
        var maxFiles = WebForm.maxFiles
        /// The refusal of the files, next to their input.
        var filesError: String?
    }

    struct TicketView {
        var title: String
        var user: UserView?
        var notice: String?
        var error: String?
        var ticket: TicketDetailView
        var events: [EventView]
        var base: String
        var csrf: String
        var canReply: Bool
        /// Documented workarounds (articles L1 may apply) that match an open ticket.
        var suggestions: [KnownErrorView]
        var hasSuggestions: Bool
        /// A refused reply's text, shown again.
        var replyValue = ""
        /// The refusal of the reply, next to its box.
        var replyError: String?
        /// Whether the conversation runs oldest first (newest first unless asked).
        var oldestFirst = false
        var attachments: [AttachmentView] = []
        var hasAttachments = false
        /// A vendor contact reads the vendor thread only: no description, no suggestions.
        var isVendor = false
        var maxFiles = WebForm.maxFiles
    }

    struct NewTicketForm: Decodable {
        var csrf: String
        var title: String
        var description: String
        var service: String?
        /// `service_request` for "I need something"; a fault otherwise.
        var kind: String?
        /// The day a request is needed by (`2026-12-20`), read at close of business in the desk's time zone.
        var neededBy: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", title, description, service, kind, neededBy }
    }

    static let pageSize = 50

    func register(_ router: Router<TierdeskRequestContext>) {

        router.get("/portal") { request, context in
            let (identity, user) = try Self.signedIn(context)
            let parameters = request.uri.queryParameters
            let text = String((parameters.get("q") ?? "").prefix(TicketQuery.maxTextLength)).trimmingWhitespace()
            var query = TicketQuery()
            // A search is one ranked page; the list reads one ticket more to know whether another page follows.
            query.limit = text.isEmpty ? Self.pageSize + 1 : Self.pageSize
            if !text.isEmpty { query.text = text }
            let filter = PortalFilter(parameters.get("show"))
            filter.apply(to: &query)
            if let before = parameters.get("before").flatMap(Int.init) { query.beforeNumber = before }
            let found = try await ticketDesk.list(query, for: identity.actor)
            let page = Array(found.prefix(Self.pageSize))
            let names = try await directory.names(for: page)
            let show = filter == .all ? "" : "show=\(filter.rawValue)&"
            let next = found.count > Self.pageSize ? page.last.map { "/portal?\(show)before=\($0.number)" } : nil
            let notice = parameters.get("notice").flatMap { ConsolePages.notices[$0] }
            let view = ListView(
                heading: text.isEmpty ? "Tickets of \(identity.person.name)" : "Search results for “\(text)”",
                user: user,
                notice: notice,
                tickets: page.map {
                    TicketRowView(
                        $0,
                        names: names,
                        linkPrefix: "/portal/tickets/",
                        now: ticketDesk.now,
                        forCustomer: true
                    )
                },
                hasTickets: !page.isEmpty,
                nextLink: next,
                filters: text.isEmpty ? PortalFilter.links(chosen: filter) : [],
                hasFilters: text.isEmpty
            )
            return try Templates.page(templates, "portal", view)
        }

        router.get("/portal/new") { _, context in
            let (_, user) = try Self.signedIn(context)
            return try await newTicketPage(user: user)
        }

        router.post("/portal/tickets") { request, context in
            let (form, uploads) = try await WebForm.decodeWithFiles(NewTicketForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let service = form.service.flatMap(UUID.init(uuidString:))
            return try await WebForm.submit(
                {
                    // Checked before the ticket is opened, so a bad file opens nothing.
                    let files = try WebForm.checkedFiles(uploads)
                    var draft = TicketDraft(
                        title: form.title,
                        description: form.description,
                        type: form.kind == TicketType.serviceRequest.rawValue ? .serviceRequest : nil,
                        channel: .portal,
                        serviceID: service
                    )
                    let day = (form.neededBy ?? "").trimmingWhitespace()
                    if !day.isEmpty {
                        guard let date = LocalDate(day) else {
                            throw TierdeskError.invalid(field: "neededBy", "must be a date such as 2026-12-20")
                        }
                        let zone = try await ticketDesk.billingTerms.value(at: ticketDesk.now).zone
                        draft.requestedBy = NoticeRule.instant(neededBy: date, in: zone)
                    }
                    let ticket = try await ticketDesk.open(draft, by: identity.person)
                    try await ticketDesk.attach(files, to: ticket.reference, by: identity.actor)
                    return "/portal/tickets/\(ticket.reference)?notice=opened"
                },
                orShow: { problem in
                    try await newTicketPage(
                        user: UserView(identity)!,
                        form: form,
                        error: problem.detail,
                        filesError: problem.errors.first { $0.field == "files" }.map { KeptForm.sentence($0.message) },
                        status: problem.status
                    )
                }
            )
        }

        router.get("/portal/tickets/:reference") { request, context in
            let (identity, _) = try Self.signedIn(context)
            let notice = request.uri.queryParameters.get("notice").flatMap { ConsolePages.notices[$0] }
            return try await ticketPage(
                try context.pathParameter("reference"),
                identity: identity,
                notice: notice,
                oldestFirst: request.uri.queryParameters.get("order") == "oldest"
            )
        }

        router.post("/portal/tickets/:reference/reply") { request, context in
            let (form, uploads) = try await WebForm.decodeWithFiles(BodyForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    try await ticketDesk.attach(try WebForm.checkedFiles(uploads), to: reference, by: identity.actor)
                    _ = try await ticketDesk.addMessage(
                        reference,
                        body: form.body,
                        isInternal: false,
                        by: identity.actor
                    )
                    return "/portal/tickets/\(reference.uppercased())?notice=replied"
                },
                orShow: { problem in
                    var kept = KeptForm("reply", ["body": form.body])
                    let message = kept.refuse(problem, form: "reply")
                    return try await ticketPage(
                        reference,
                        identity: identity,
                        error: message,
                        status: problem.status,
                        reply: (form.body, kept.refusals["replyBody"] ?? kept.refusals["replyFiles"])
                    )
                }
            )
        }
    }

    /// Portal pages are for people who are not staff; staff are sent to the console.
    static func signedIn(_ context: TierdeskRequestContext) throws -> (Identity, UserView) {
        guard let identity = context.identity, let user = UserView(identity) else {
            throw WebRedirect(location: "/login")
        }
        if identity.actor.isStaff { throw WebRedirect(location: "/console") }
        return (identity, user)
    }

    private func newTicketPage(
        user: UserView,
        form: NewTicketForm? = nil,
        error: String? = nil,
        filesError: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let services = try await directory.services().filter { $0.supportModel != .internal }
        let chosen = form?.service.flatMap(UUID.init(uuidString:))
        let view = NewTicketView(
            user: user,
            error: error,
            csrf: user.csrf,
            titleValue: form?.title ?? "",
            descriptionValue: form?.description ?? "",
            isRequest: form?.kind == TicketType.serviceRequest.rawValue,
            neededByValue: form?.neededBy ?? "",
            services: services.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: $0.id == chosen) },
            filesError: filesError
        )
        return try Templates.page(templates, "portal_new", view, status: status)
    }

    private func ticketPage(
        _ reference: String,
        identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        reply: (text: String, error: String?) = ("", nil),
        oldestFirst: Bool = false
    ) async throws -> Response {
        let (ticket, scope, events, files) = try await ticketDesk.conversation(reference, for: identity.actor)
        let fileViews = files.map { AttachmentView($0, reference: ticket.reference) }
        let names = try await directory.names(for: [ticket], extraPeople: events.compactMap(\.actorID))
        let user = UserView(identity)!
        let isVendor = TicketAudience.of(identity.actor).isVendor
        let suggestions =
            ticket.status.isOpen && !isVendor
            ? try await ticketDesk.suggestions(for: ticket).filter { $0.lowestTier == .l1 && $0.isPublic } : []
        let view = TicketView(
            title: ticket.reference,
            user: user,
            notice: notice,
            error: error,
            ticket: TicketDetailView(ticket, names: names),
            events: (oldestFirst ? events : events.reversed()).map { EventView.forCustomer($0, names: names) },
            base: "/portal/tickets/\(ticket.reference)",
            csrf: user.csrf,
            canReply: ticket.status != .closed && AccessPolicy.allows(.replyPublicly, by: identity.actor, on: scope),
            suggestions: suggestions.map(KnownErrorView.init),
            hasSuggestions: !suggestions.isEmpty,
            replyValue: reply.text,
            replyError: reply.error,
            oldestFirst: oldestFirst,
            attachments: fileViews,
            hasAttachments: !fileViews.isEmpty,
            isVendor: isVendor
        )
        return try Templates.page(templates, "portal_ticket", view, status: status)
    }
}
