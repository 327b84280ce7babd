import Foundation
import Hummingbird
import TierdeskCore

/// The managers' reports (`/api/v1/reports/…`): the checklist, the figures of a period, the tickets behind
/// each number and the audit list of data corrections, as JSON and CSV.
struct ReportsAPI {
    let reportDesk: ReportDesk

    func register(_ routes: APIRoutes) {
        let desk = reportDesk

        routes.signedIn(.get, "/api/v1/reports/checklist") { request, context in
            let report = try await ReportParameters.report(request, for: context.actor, from: desk, detail: .numbers)
            return try JSONBody.response(ChecklistDTO(report))
        }
        routes.signedIn(.get, "/api/v1/reports/checklist.csv") { request, context in
            let report = try await ReportParameters.report(request, for: context.actor, from: desk, detail: .numbers)
            return CSVText.response(
                ChecklistDTO.csv(ChecklistDTO(report)),
                filename: "checklist-\(report.period.label).csv"
            )
        }
        routes.signedIn(.get, "/api/v1/reports/figures") { request, context in
            let report = try await ReportParameters.report(
                request,
                for: context.actor,
                from: desk,
                detail: .numbers
            )
            let figures = report.operating.figures(for: report.period)
            let onCall = try await desk.onCallFigures(report, for: context.actor)
            let names = try await desk.names(
                people: Set(figures.correctors.compactMap(\.personID) + onCall.people.map(\.personID))
            )
            let incidents = try await desk.incidentFigures(report)
            return try JSONBody.response(
                ReportFiguresDTO(report, figures, onCall: onCall, incidents: incidents, names: names)
            )
        }
        routes.signedIn(.get, "/api/v1/reports/tickets") { request, context in
            let list = try await desk.tickets(
                try ReportParameters.parse(request.uri.queryParameters),
                slice: try ReportParameters.slice(request.uri.queryParameters),
                page: try ReportParameters.page(request.uri.queryParameters),
                for: context.actor
            )
            return try JSONBody.response(ReportTicketsDTO(list, names: try await desk.names(people: [])))
        }
        routes.signedIn(.get, "/api/v1/reports/tickets.csv") { request, context in
            let list = try await desk.allTickets(
                try ReportParameters.parse(request.uri.queryParameters),
                slice: try ReportParameters.slice(request.uri.queryParameters),
                for: context.actor
            )
            return CSVText.response(
                ReportTicketsDTO.csv(ReportTicketsDTO(list, names: try await desk.names(people: []))),
                filename: "tickets-\(list.slice.name.replacingOccurrences(of: ":", with: "-"))-\(list.period.label).csv"
            )
        }
        routes.signedIn(.get, "/api/v1/reports/customer") { request, context in
            let asked = try ReportParameters.customer(request.uri.queryParameters)
            let view = try await desk.customerReport(
                organisation: asked.organisation,
                month: asked.month,
                timeZone: asked.timeZone,
                for: context.actor
            )
            return try JSONBody.response(CustomerReportDTO(view))
        }
        routes.signedIn(.get, "/api/v1/reports/digest") { _, context in
            try JSONBody.response(
                DigestSubscriptionDTO(subscribed: try await desk.digestSubscription(for: context.actor))
            )
        }
        routes.signedIn(.put, "/api/v1/reports/digest") { request, context in
            let input = try await JSONBody.decode(DigestSubscriptionDTO.self, from: request)
            try await desk.setDigest(input.subscribed, for: context.actor)
            return try JSONBody.response(DigestSubscriptionDTO(subscribed: input.subscribed))
        }
        routes.signedIn(.get, "/api/v1/reports/corrections") { request, context in
            let parameters = request.uri.queryParameters
            let list = try await desk.corrections(
                try ReportParameters.parse(parameters),
                after: try ReportParameters.correctionCursor(parameters),
                limit: try ReportParameters.limit(parameters),
                for: context.actor
            )
            let names = try await desk.names(people: Set(list.page.corrections.compactMap(\.actorID)))
            return try JSONBody.response(CorrectionsDTO(list, names: names))
        }
        routes.signedIn(.get, "/api/v1/reports/corrections.csv") { request, context in
            let list = try await desk.allCorrections(
                try ReportParameters.parse(request.uri.queryParameters),
                for: context.actor
            )
            let names = try await desk.names(people: Set(list.page.corrections.compactMap(\.actorID)))
            return CSVText.response(
                CorrectionsDTO.csv(CorrectionsDTO(list, names: names)),
                filename: "corrections-\(list.period.label).csv"
            )
        }
    }
}

/// The query parameters of every report, on the API and in the console.
enum ReportParameters {
    /// The report the request's parameters ask for, as `actor` may see it.
    /// The report with the `detail` the caller shows.
    static func report(_ request: Request, for actor: Actor, from desk: ReportDesk, detail: ReportDesk.Detail)
        async throws -> ReportDesk.Report
    {
        try await desk.report(try parse(request.uri.queryParameters), for: actor, detail: detail)
    }

    static func parse(_ parameters: Parameters) throws -> ReportDesk.Request {
        var request = ReportDesk.Request()
        request.period = try parameters.text("period", maxCharacters: 40).flatMap { $0.isEmpty ? nil : $0 }
        if let raw = parameters.get("kind"), !raw.isEmpty {
            let kind = try TicketListParameters.value(ReportPeriod.Kind.self, raw, "kind")
            guard kind != .custom else {
                throw Problem.badRequest(
                    field: "kind",
                    "must be day, week or month; a custom period is given as period"
                )
            }
            request.periodKind = kind
        }
        request.timeZone = try parameters.text("tz", maxCharacters: 64).flatMap { $0.isEmpty ? nil : $0 }
        var filter = ReportFilter()
        if let raw = parameters.get("organisation"), !raw.isEmpty {
            filter.organisationID = try TicketListParameters.uuid(raw, "organisation")
        }
        if let raw = parameters.get("service"), !raw.isEmpty {
            filter.serviceID = try TicketListParameters.uuid(raw, "service")
        }
        filter.group = try parameters.text("group", maxCharacters: 120).flatMap { $0.isEmpty ? nil : $0 }
        if let raw = parameters.get("tier"), !raw.isEmpty {
            filter.tier = try TicketListParameters.value(Tier.self, raw, "tier")
        }
        if let raw = parameters.get("priority"), !raw.isEmpty {
            filter.priority = try TicketListParameters.value(Priority.self, raw, "priority")
        }
        if let raw = parameters.get("severity"), !raw.isEmpty {
            filter.severity = try TicketListParameters.value(Severity.self, raw, "severity")
        }
        if let raw = parameters.get("channel"), !raw.isEmpty {
            filter.channel = try TicketListParameters.value(Channel.self, raw, "channel")
        }
        request.filter = filter
        return request
    }

    /// The parameters of a customer report: organisation, month and time zone, each nil when absent or empty.
    static func customer(_ parameters: Parameters) throws -> (organisation: UUID?, month: String?, timeZone: String?) {
        (
            try parameters.get("organisation")
                .flatMap {
                    $0.isEmpty ? nil : try TicketListParameters.uuid($0, "organisation")
                },
            try parameters.text("month", maxCharacters: 40).flatMap { $0.isEmpty ? nil : $0 },
            try parameters.text("tz", maxCharacters: 64).flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// The `slice` parameter: which figure's tickets to list.
    /// The page of a list of tickets: `cursor` (the `nextCursor` of the page before) and `limit`.
    static func page(_ parameters: Parameters) throws -> ReportDesk.Page {
        var page = ReportDesk.Page()
        page.limit = try limit(parameters)
        if let raw = parameters.get("cursor") {
            guard raw.count <= 18, raw.first != "0", raw.allSatisfy({ $0.isASCII && $0.isNumber }),
                let before = Int(raw)
            else {
                throw Problem.badRequest(field: "cursor", "must be the nextCursor of the page before")
            }
            page.before = before
        }
        return page
    }

    /// The `limit` of a page of a list: 1–``ReportDesk/Page/maxLimit``, ``ReportDesk/Page/defaultLimit`` when
    /// absent.
    static func limit(_ parameters: Parameters) throws -> Int {
        try parameters.int("limit", in: 1...ReportDesk.Page.maxLimit, default: ReportDesk.Page.defaultLimit)
    }

    /// The `cursor` of a page of the data corrections: the `nextCursor` of the page before.
    static func correctionCursor(_ parameters: Parameters) throws -> CorrectionCursor? {
        guard let raw = parameters.get("cursor") else { return nil }
        guard let cursor = CorrectionCursor(text: raw) else {
            throw Problem.badRequest(field: "cursor", "must be the nextCursor of the page before")
        }
        return cursor
    }

    static func slice(_ parameters: Parameters) throws -> ReportSlice {
        guard let raw = parameters.get("slice") else {
            throw Problem.badRequest(field: "slice", "is required: name the figure to list, e.g. resolved:L1")
        }
        guard let slice = ReportSlice(name: raw) else {
            throw Problem.badRequest(
                field: "slice",
                "is not a figure of the reports (e.g. opened, resolved:L1, sev1:late, clock:resolution:breached)"
            )
        }
        return slice
    }
}
