import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Routes shared by the console and the portal: start page, health, style sheet, error pages.
struct WebPages {
    let templates: MustacheLibrary
    let directory: DirectoryRepository
    let stylesheet: String

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/") { _, context in
            guard let identity = context.identity else { return Response.redirect(to: "/login", type: .normal) }
            return Response.redirect(to: identity.actor.isStaff ? "/console" : "/portal", type: .normal)
        }
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let css = stylesheet
        router.get("/static/tierdesk.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: css)))
        }
    }

    /// A readable page for a problem; redirects instead when the problem is "sign in first".
    static func errorPage(_ problem: Problem, context: TierdeskRequestContext, templates: MustacheLibrary) throws -> Response {
        if problem.status == .unauthorized { return .redirect(to: "/login", type: .normal) }
        let heading = problem.status == .notFound ? "Not found" : problem.title
        let view = ErrorView(title: heading, heading: heading, message: problem.detail, user: UserView(context.identity))
        return try Templates.page(templates, "error", view, status: problem.status)
    }

    /// Names for everything a list of tickets mentions.
    static func names(for tickets: [Ticket], extraPeople: [UUID] = [], directory: DirectoryRepository) async throws -> NameBook {
        var book = NameBook()
        let organisations = Set(tickets.map(\.organisationID))
        for organisation in try await directory.organisations() where organisations.contains(organisation.id) {
            book.organisations[organisation.id] = organisation.name
        }
        let services = Set(tickets.compactMap(\.serviceID))
        if !services.isEmpty {
            for service in try await directory.services() where services.contains(service.id) {
                book.services[service.id] = service.name
            }
        }
        if tickets.contains(where: { $0.vendorID != nil }) {
            for vendor in try await directory.vendors() { book.vendors[vendor.id] = vendor.name }
        }
        let people = Set(tickets.flatMap { [$0.requesterID, $0.ownerID].compactMap { $0 } } + extraPeople)
        for person in try await directory.people(ids: people) {
            book.people[person.id] = person.name
        }
        return book
    }
}

