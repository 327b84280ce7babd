import Foundation
import Hummingbird
import TierdeskCore

/// `/api/v1/tickets…`: open, read, list, change, reply, note, correct, attach.
struct TicketsAPI {
    let ticketDesk: TicketDesk

    func register(_ routes: APIRoutes) {

        routes.signedIn(.get, "/api/v1/tickets") { request, context in
            let actor = context.identity.actor
            var query = try TicketListParameters.parse(request.uri.queryParameters, actor: actor)
            let pageSize = query.limit
            let searching = query.text != nil
            if !searching { query.limit = pageSize + 1 }
            let found = try await ticketDesk.list(query, for: actor)
            let page = Array(found.prefix(pageSize))
            let next =
                !searching && found.count > pageSize
                ? page.last.map { TicketListParameters.cursor(after: $0.number) } : nil
            let audience = TicketAudience.of(actor)
            return try JSONBody.response(
                TicketPageDTO(items: page.map { TicketDTO($0).seen(by: audience) }, nextCursor: next)
            )
        }

        routes.signedIn(.post, "/api/v1/tickets") { request, context in
            let caller = context.identity.person
            let input = try await JSONBody.decode(NewTicketDTO.self, from: request)
            let ticket = try await ticketDesk.open(input.draft, by: caller)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/tickets/\(ticket.reference)"
            return try JSONBody.response(TicketDTO(ticket), status: .created, headers: headers)
        }

        routes.signedIn(.get, "/api/v1/tickets/{reference}") { _, context in
            let actor = context.identity.actor
            let (ticket, _) = try await ticketDesk.ticket(try context.pathParameter("reference"), for: actor)
            return try JSONBody.response(TicketDTO(ticket).seen(by: TicketAudience.of(actor)))
        }

        routes.signedIn(.patch, "/api/v1/tickets/{reference}") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(TicketUpdateDTO.self, from: request)
            let ticket = try await ticketDesk.update(
                try context.pathParameter("reference"),
                with: input.changes,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }

        routes.signedIn(.post, "/api/v1/tickets/{reference}/status") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(StatusChangeDTO.self, from: request)
            let ticket = try await ticketDesk.changeStatus(
                try context.pathParameter("reference"),
                to: input.status,
                comment: input.comment,
                resolution: input.resolution,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }

        routes.signedIn(.post, "/api/v1/tickets/{reference}/merge") { request, context in
            let input = try await JSONBody.decode(MergeDTO.self, from: request)
            let merge = try await ticketDesk.merge(
                try context.pathParameter("reference"),
                into: input.into,
                expectedVersion: input.version,
                by: context.identity.actor
            )
            return try JSONBody.response(
                MergedDTO(duplicate: TicketDTO(merge.duplicate), survivor: TicketDTO(merge.survivor))
            )
        }

        for (path, isInternal) in [
            ("/api/v1/tickets/{reference}/replies", false), ("/api/v1/tickets/{reference}/notes", true),
        ] {
            routes.signedIn(.post, path) { request, context in
                let actor = context.identity.actor
                let reference = try context.pathParameter("reference")
                let input = try await JSONBody.decode(MessageBodyDTO.self, from: request)
                let event = try await ticketDesk.addMessage(
                    reference,
                    body: input.body,
                    isInternal: isInternal,
                    by: actor
                )
                return try JSONBody.response(EventDTO(event, reference: reference.uppercased()), status: .created)
            }
        }

        routes.signedIn(.post, "/api/v1/tickets/{reference}/corrections") { request, context in
            let actor = context.identity.actor
            let reference = try context.pathParameter("reference")
            let input = try await JSONBody.decode(DataCorrectionDTO.self, from: request)
            let event = try await ticketDesk.recordCorrection(
                reference,
                target: input.target,
                change: input.change,
                reason: input.reason,
                by: actor
            )
            return try JSONBody.response(EventDTO(event, reference: reference.uppercased()), status: .created)
        }

        routes.signedIn(.get, "/api/v1/tickets/{reference}/events") { _, context in
            let actor = context.identity.actor
            let (ticket, _, events) = try await ticketDesk.events(try context.pathParameter("reference"), for: actor)
            return try JSONBody.response(events.map { EventDTO($0, reference: ticket.reference) })
        }

        routes.signedIn(.get, "/api/v1/tickets/{reference}/sla") { _, context in
            let actor = context.identity.actor
            let (ticket, clocks) = try await ticketDesk.clocks(try context.pathParameter("reference"), for: actor)
            return try JSONBody.response(
                SLAClocksDTO(reference: ticket.reference, clocks: clocks.map(SLAClockDTO.init))
            )
        }

    }
}

/// Query parameters of the ticket list.
enum TicketListParameters {
    static func parse(_ parameters: Parameters, actor: Actor) throws -> TicketQuery {
        var query = TicketQuery()
        if let raw = parameters.get("status") {
            query.statuses = try raw.split(separator: ",").map { try value(TicketStatus.self, String($0), "status") }
        }
        if let raw = parameters.get("tier") { query.tier = try value(Tier.self, raw, "tier") }
        if let raw = parameters.get("priority") { query.priority = try value(Priority.self, raw, "priority") }
        if let raw = parameters.get("owner") {
            switch raw {
            case "me": query.owner = .person(actor.personID)
            case "none": query.owner = .nobody
            default: query.owner = .person(try uuid(raw, "owner", hint: "a person id, me or none"))
            }
        }
        if let raw = parameters.get("organisation") { query.organisationID = try uuid(raw, "organisation") }
        if let raw = parameters.get("service") { query.serviceID = try uuid(raw, "service") }
        if let text = try parameters.text("q", maxCharacters: TicketQuery.maxTextLength)?.trimmingWhitespace(),
            !text.isEmpty
        {
            query.text = text
        }
        query.limit = try parameters.int("limit", in: 1...TicketQuery.maxLimit, default: query.limit)
        if let raw = parameters.get("cursor") {
            guard raw.hasPrefix("n"), let number = Int(raw.dropFirst()), number > 0 else {
                throw Problem.badRequest(
                    field: "cursor",
                    "is not a cursor this server issued; use nextCursor from the previous page"
                )
            }
            // A search is one ranked page: with q there is nothing to continue, so the cursor is not used.
            if query.text == nil { query.beforeNumber = number }
        }
        return query
    }

    /// An opaque-looking cursor: the next page starts below this ticket number.
    static func cursor(after number: Int) -> String { "n\(number)" }

    static func value<E: RawRepresentable<String> & CaseIterable>(
        _ type: E.Type,
        _ raw: String,
        _ field: String
    ) throws -> E {
        guard let value = E(rawValue: raw) else {
            throw Problem.badRequest(
                field: field,
                "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return value
    }

    static func uuid(_ raw: String, _ field: String, hint: String = "an id") throws -> UUID {
        guard let id = UUID(uuidString: raw) else { throw Problem.badRequest(field: field, "must be \(hint)") }
        return id
    }
}
