import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/oncall` (coverage, open pages, schedules), the signed acknowledgement links of pages
/// (`/pages/<id>/acknowledge`), and the calendar feeds (`/calendar/<token>.ics`).
struct OnCallPages {
    let paging: PagingDesk
    let oncall: OnCallDesk
    let feeds: CalendarFeeds
    let templates: MustacheLibrary

    struct LinkForm: Decodable {
        var person: String
        var signature: String
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/oncall") { request, context in
            let identity = try ConsolePages.staff(context)
            try OnCallDesk.require(.viewOnCall, identity.actor)
            let notice: String? =
                switch request.uri.queryParameters.get("notice") {
                case "acknowledged": "The page is acknowledged; no further step is sent."
                case "resolved": "The page is resolved."
                default: nil
                }
            let board = try await oncall.board(for: identity.actor)
            let view = OnCallPageView(
                user: UserView(identity),
                notice: notice,
                ratio: board.ratio,
                schedules: board.schedules,
                pages: try await paging.list(statuses: [.triggered, .acknowledged], for: identity.actor),
                policies: board.policies,
                canManage: AccessPolicy.allows(.manageOnCall, by: identity.actor)
            )
            return try Templates.page(templates, "oncall", view)
        }
        for (action, notice) in [("acknowledge", "acknowledged"), ("resolve", "resolved")] {
            router.post("/console/pages/:pageId/\(action)") { request, context in
                let form = try await WebForm.decode(CSRFForm.self, from: request)
                let identity = try WebForm.checkedIdentity(context, token: form.csrf)
                let id = try context.uuidParameter("pageId", what: "page")
                if action == "acknowledge" {
                    _ = try await paging.acknowledge(id, by: identity.actor)
                } else {
                    _ = try await paging.resolve(id, by: identity.actor)
                }
                return Response.redirect(to: "/console/oncall?notice=\(notice)", type: .normal)
            }
        }

        router.get("/pages/:pageId/acknowledge") { request, context in
            let (page, person, signature) = try await paging.linked(
                try context.uuidParameter("pageId", what: "page"),
                person: request.uri.queryParameters.get("person"),
                signature: request.uri.queryParameters.get("signature")
            )
            return try await acknowledgePage(page, person: person, signature: signature, heading: "Page", context)
        }
        router.post("/pages/:pageId/acknowledge") { request, context in
            let form = try await WebForm.decode(LinkForm.self, from: request)
            let (page, person, signature, acknowledged) = try await paging.acknowledge(
                linkTo: try context.uuidParameter("pageId", what: "page"),
                person: form.person,
                signature: form.signature
            )
            let heading = acknowledged ? "Acknowledged" : "Page"
            return try await acknowledgePage(page, person: person, signature: signature, heading: heading, context)
        }

        router.get("/calendar/:file") { _, context in
            let file = try context.pathParameter("file")
            guard file.hasSuffix(".ics"), file.count <= 80 else {
                throw Problem(.notFound, "No calendar feed has this address.")
            }
            let text = try await feeds.render(token: String(file.dropLast(4)))
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
    }

    private func acknowledgePage(
        _ page: OnCallPage,
        person: Person,
        signature: String,
        heading: String,
        _ context: TierdeskRequestContext
    ) async throws -> Response {
        let named = try await oncall.withNames([page])
        let view = PageAcknowledgeView(
            user: UserView(context.identity),
            heading: heading,
            severity: page.severity.rawValue,
            pageTitle: page.title,
            ticket: page.ticketID.flatMap { named.references[$0] },
            status: page.status.rawValue,
            acknowledgedBy: page.acknowledgedBy.map { named.people[$0]?.name ?? $0.uuidString },
            canAcknowledge: page.status == .triggered,
            action: "/pages/\(page.id.uuidString.lowercased())/acknowledge",
            person: person.id.uuidString.lowercased(),
            personName: person.name,
            signature: signature
        )
        return try Templates.page(templates, "page_acknowledge", view)
    }
}
