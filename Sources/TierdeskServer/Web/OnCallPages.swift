import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/console/oncall` (coverage, open pages, schedules), the signed acknowledgement links of pages
/// (`/pages/<id>/acknowledge`), and the calendar feeds (`/calendar/<token>.ics`).
enum OnCallPages {
    struct LinkForm: Decodable {
        var person: String
        var signature: String
    }

    static func register(_ router: Router<TierdeskRequestContext>, _ environment: TierdeskEnvironment) {
        router.get("/console/oncall") { request, context in
            let identity = try ConsolePages.staff(context)
            try OnCallDesk.require(.viewOnCall, identity.actor)
            let notice: String? = switch request.uri.queryParameters.get("notice") {
            case "acknowledged": "The page is acknowledged; no further step is sent."
            case "resolved": "The page is resolved."
            default: nil
            }
            let desk = environment.oncallDesk
            let stored = try await environment.oncall.storedSchedules()
            let view = OnCallPageView(user: UserView(identity), notice: notice, ratio: ScheduleCoverage.combinedRatio(stored.compactMap(\.coverage)),
                                      schedules: try await desk.schedulesAt(stored, now: environment.clock.now()),
                                      pages: try await desk.withNames(try await environment.pages.list(statuses: [.triggered, .acknowledged])),
                                      policies: try await environment.oncall.policies(), canManage: AccessPolicy.allows(.manageOnCall, by: identity.actor))
            return try Templates.page(environment.templates, "oncall", view)
        }
        for (action, notice) in [("acknowledge", "acknowledged"), ("resolve", "resolved")] {
            router.post("/console/pages/:pageId/\(action)") { request, context in
                let form = try await WebForm.decode(CSRFForm.self, from: request)
                let identity = try WebForm.checkedIdentity(context, token: form.csrf)
                try OnCallDesk.require(.respondToPages, identity.actor)
                let id = try context.uuidParameter("pageId", what: "page")
                let now = environment.clock.now()
                let outcome = action == "acknowledge" ? try await environment.pages.acknowledge(id, by: identity.person.id, at: now)
                                                      : try await environment.pages.resolve(id, by: identity.person.id, at: now)
                if outcome == .notFound { throw Problem(.notFound, "No page has the id \(id.uuidString).") }
                environment.pagingWakeUps.signal()
                return Response.redirect(to: "/console/oncall?notice=\(notice)", type: .normal)
            }
        }

        router.get("/pages/:pageId/acknowledge") { request, context in
            let (page, person, signature) = try await signedLink(request.uri.queryParameters.get("person"), request.uri.queryParameters.get("signature"), context, environment)
            return try await acknowledgePage(page, person: person, signature: signature, heading: "Page", context, environment)
        }
        router.post("/pages/:pageId/acknowledge") { request, context in
            let form = try await WebForm.decode(LinkForm.self, from: request)
            let (page, person, signature) = try await signedLink(form.person, form.signature, context, environment)
            let (heading, current) = switch try await environment.pages.acknowledge(page.id, by: person.id, at: environment.clock.now()) {
            case .changed(let changed): ("Acknowledged", changed)
            case .unchanged(let unchanged): ("Page", unchanged)
            case .notFound: ("Page", page)
            }
            if heading == "Acknowledged" { environment.pagingWakeUps.signal() }
            return try await acknowledgePage(current, person: person, signature: signature, heading: heading, context, environment)
        }

        router.get("/calendar/:file") { _, context in
            let file = try context.pathParameter("file")
            guard file.hasSuffix(".ics"), file.count <= 80 else { throw Problem(.notFound, "No calendar feed has this address.") }
            guard let subject = try await environment.oncall.feedSubject(tokenHash: Secrets.hash(String(file.dropLast(4)))) else {
                throw Problem(.notFound, "No calendar feed has this address; it may have been replaced by a newer one.")
            }
            let text = try await CalendarFeeds.render(subject, environment)
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// The page and person of a link, if its signature holds; a wrong or altered link is refused.
    private static func signedLink(_ personText: String?, _ signature: String?, _ context: TierdeskRequestContext, _ environment: TierdeskEnvironment) async throws -> (OnCallPage, Person, String) {
        let pageID = try context.uuidParameter("pageId", what: "page")
        guard let personID = personText.flatMap(UUID.init(uuidString:)), let signature, environment.pageLinks.verify(page: pageID, person: personID, signature: signature) else {
            throw Problem(.forbidden, "This acknowledgement link is not valid. Use the link from the page exactly as it was sent, or acknowledge in the console.")
        }
        guard let page = try await environment.pages.find(pageID), let person = try await environment.directory.person(personID) else {
            throw Problem(.notFound, "This page no longer exists.")
        }
        return (page, person, signature)
    }

    private static func acknowledgePage(_ page: OnCallPage, person: Person, signature: String, heading: String, _ context: TierdeskRequestContext, _ environment: TierdeskEnvironment) async throws -> Response {
        let named = try await environment.oncallDesk.withNames([page])
        let view = PageAcknowledgeView(user: UserView(context.identity), heading: heading, severity: page.severity.rawValue, pageTitle: page.title, ticket: page.ticketID.flatMap { named.references[$0] },
                                       status: page.status.rawValue, acknowledgedBy: page.acknowledgedBy.map { named.people[$0]?.name ?? $0.uuidString }, canAcknowledge: page.status == .triggered,
                                       action: "/pages/\(page.id.uuidString.lowercased())/acknowledge", person: person.id.uuidString.lowercased(), personName: person.name, signature: signature)
        return try Templates.page(environment.templates, "page_acknowledge", view)
    }
}
