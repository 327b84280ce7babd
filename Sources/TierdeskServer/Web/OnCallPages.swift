import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/oncall` (coverage, open pages, schedules), the signed acknowledgement links of pages
/// (`/pages/<id>/acknowledge`), and the calendar feeds (`/calendar/<token>.ics`).
struct OnCallPages {
    let feeds: CalendarFeeds
    let clock: any Clock
    let templates: MustacheLibrary
    let directory: DirectoryRepository
    let oncall: OnCallRepository
    let oncallDesk: OnCallDesk
    let pages: PageRepository
    let pagingWakeUps: WakeUps
    let pageLinks: PageLinks

    struct LinkForm: Decodable {
        var person: String
        var signature: String
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/oncall") { request, context in
            let identity = try ConsolePages.staff(context)
            try OnCallDesk.require(.viewOnCall, identity.actor)
            let notice: String? = switch request.uri.queryParameters.get("notice") {
            case "acknowledged": "The page is acknowledged; no further step is sent."
            case "resolved": "The page is resolved."
            default: nil
            }
            let desk = oncallDesk
            let stored = try await oncall.storedSchedules()
            let view = OnCallPageView(user: UserView(identity), notice: notice, ratio: ScheduleCoverage.combinedRatio(stored.compactMap(\.coverage)),
                                      schedules: try await desk.schedulesAt(stored, now: clock.now()),
                                      pages: try await desk.withNames(try await pages.list(statuses: [.triggered, .acknowledged])),
                                      policies: try await oncall.policies(), canManage: AccessPolicy.allows(.manageOnCall, by: identity.actor))
            return try Templates.page(templates, "oncall", view)
        }
        for (action, notice) in [("acknowledge", "acknowledged"), ("resolve", "resolved")] {
            router.post("/console/pages/:pageId/\(action)") { request, context in
                let form = try await WebForm.decode(CSRFForm.self, from: request)
                let identity = try WebForm.checkedIdentity(context, token: form.csrf)
                try OnCallDesk.require(.respondToPages, identity.actor)
                let id = try context.uuidParameter("pageId", what: "page")
                let now = clock.now()
                let outcome = action == "acknowledge" ? try await pages.acknowledge(id, by: identity.person.id, at: now)
                                                      : try await pages.resolve(id, by: identity.person.id, at: now)
                if outcome == .notFound { throw Problem(.notFound, "No page has the id \(id.uuidString).") }
                pagingWakeUps.signal()
                return Response.redirect(to: "/console/oncall?notice=\(notice)", type: .normal)
            }
        }

        router.get("/pages/:pageId/acknowledge") { request, context in
            let (page, person, signature) = try await signedLink(request.uri.queryParameters.get("person"), request.uri.queryParameters.get("signature"), context)
            return try await acknowledgePage(page, person: person, signature: signature, heading: "Page", context)
        }
        router.post("/pages/:pageId/acknowledge") { request, context in
            let form = try await WebForm.decode(LinkForm.self, from: request)
            let (page, person, signature) = try await signedLink(form.person, form.signature, context)
            let (heading, current) = switch try await pages.acknowledge(page.id, by: person.id, at: clock.now()) {
            case .changed(let changed): ("Acknowledged", changed)
            case .unchanged(let unchanged): ("Page", unchanged)
            case .notFound: ("Page", page)
            }
            if heading == "Acknowledged" { pagingWakeUps.signal() }
            return try await acknowledgePage(current, person: person, signature: signature, heading: heading, context)
        }

        router.get("/calendar/:file") { _, context in
            let file = try context.pathParameter("file")
            guard file.hasSuffix(".ics"), file.count <= 80 else { throw Problem(.notFound, "No calendar feed has this address.") }
            guard let subject = try await oncall.feedSubject(tokenHash: Secrets.hash(String(file.dropLast(4)))) else {
                throw Problem(.notFound, "No calendar feed has this address; it may have been replaced by a newer one.")
            }
            let text = try await feeds.render(subject)
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// The page and person of a link, if its signature holds; a wrong or altered link is refused.
    private func signedLink(_ personText: String?, _ signature: String?, _ context: TierdeskRequestContext) async throws -> (OnCallPage, Person, String) {
        let pageID = try context.uuidParameter("pageId", what: "page")
        guard let personID = personText.flatMap(UUID.init(uuidString:)), let signature, pageLinks.verify(page: pageID, person: personID, signature: signature) else {
            throw Problem(.forbidden, "This acknowledgement link is not valid. Use the link from the page exactly as it was sent, or acknowledge in the console.")
        }
        guard let page = try await pages.find(pageID), let person = try await directory.person(personID) else {
            throw Problem(.notFound, "This page no longer exists.")
        }
        return (page, person, signature)
    }

    private func acknowledgePage(_ page: OnCallPage, person: Person, signature: String, heading: String, _ context: TierdeskRequestContext) async throws -> Response {
        let named = try await oncallDesk.withNames([page])
        let view = PageAcknowledgeView(user: UserView(context.identity), heading: heading, severity: page.severity.rawValue, pageTitle: page.title, ticket: page.ticketID.flatMap { named.references[$0] },
                                       status: page.status.rawValue, acknowledgedBy: page.acknowledgedBy.map { named.people[$0]?.name ?? $0.uuidString }, canAcknowledge: page.status == .triggered,
                                       action: "/pages/\(page.id.uuidString.lowercased())/acknowledge", person: person.id.uuidString.lowercased(), personName: person.name, signature: signature)
        return try Templates.page(templates, "page_acknowledge", view)
    }
}
