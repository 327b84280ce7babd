import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/console/reports`: the operating model's checklist and figures of a period, with charts, and the tickets
/// behind every number (`/console/reports/tickets`, also as CSV); a customer's SLA report of a month, printable
/// from the console (`/console/reports/customer`) and in the portal for its requesters (`/portal/sla-report`).
struct ReportPages {
    let templates: MustacheLibrary
    let reportDesk: ReportDesk

    /// Starting or stopping the weekly digest.
    struct DigestForm: Decodable {
        var csrf: String
        var subscribed: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", subscribed }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = reportDesk
        router.get("/console/reports") { request, context in
            let identity = try ConsolePages.staff(context)
            let report = try await ReportParameters.report(
                request,
                for: identity.actor,
                from: desk,
                detail: .numbers
            )
            let figures = report.operating.figures(for: report.period)
            let onCall = try await desk.onCallFigures(report, for: identity.actor)
            let names = try await desk.names(
                people: Set(figures.correctors.compactMap(\.personID) + onCall.people.map(\.personID))
            )
            var view = ReportPageView(
                report,
                figures: figures,
                onCall: onCall,
                incidents: try await desk.incidentFigures(report),
                names: names,
                form: ReportFilterForm(report, names: names),
                user: UserView(identity)
            )
            if identity.actor.has(.manager) {
                view.digest = ReportPageView.Digest(subscribed: try await desk.digestSubscription(for: identity.actor))
            }
            view.notice =
                switch request.uri.queryParameters.get("notice") {
                case "digest-on": "You will get the weekly digest every Monday."
                case "digest-off": "The weekly digest is stopped."
                default: nil
                }
            return try Templates.page(templates, "reports", view)
        }
        router.post("/console/reports/digest") { request, context in
            let form = try await WebForm.decode(DigestForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let subscribed = form.subscribed == "true"
            try await desk.setDigest(subscribed, for: identity.actor)
            return Response.redirect(to: "/console/reports?notice=digest-\(subscribed ? "on" : "off")", type: .normal)
        }
        router.get("/console/reports/tickets") { request, context in
            let identity = try ConsolePages.staff(context)
            let parameters = request.uri.queryParameters
            let page = try ReportParameters.page(parameters)
            let list = try await desk.tickets(
                try ReportParameters.parse(parameters),
                slice: try ReportParameters.slice(parameters),
                page: page,
                for: identity.actor
            )
            let view = ReportTicketsPageView(
                list,
                names: try await desk.names(people: []),
                user: UserView(identity),
                page: page
            )
            return try Templates.page(templates, "report_tickets", view)
        }
        router.get("/console/reports/customer") { request, context in
            let identity = try ConsolePages.staff(context)
            let asked = try ReportParameters.customer(request.uri.queryParameters)
            guard let organisation = asked.organisation else {
                let names = try await desk.names(people: [])
                let view = CustomerChooserView(
                    user: UserView(identity),
                    organisations: names.organisations.sorted { $0.value < $1.value }
                        .map {
                            OptionView(value: $0.key.uuidString, label: $0.value, selected: false)
                        }
                )
                return try Templates.page(templates, "customer_chooser", view)
            }
            let view = try await desk.customerReport(
                organisation: organisation,
                month: asked.month,
                timeZone: asked.timeZone,
                for: identity.actor
            )
            return try Templates.page(
                templates,
                "customer_report",
                CustomerReportPageView(
                    view,
                    base: "/console/reports/customer?organisation=\(organisation.uuidString)",
                    user: UserView(identity)
                )
            )
        }
        router.get("/portal/sla-report") { request, context in
            let (identity, user) = try PortalPages.signedIn(context)
            let asked = try ReportParameters.customer(request.uri.queryParameters)
            let view = try await desk.customerReport(
                organisation: nil,
                month: asked.month,
                timeZone: asked.timeZone,
                for: identity.actor
            )
            return try Templates.page(
                templates,
                "customer_report",
                CustomerReportPageView(view, base: "/portal/sla-report", user: user)
            )
        }
        router.get("/console/reports/tickets.csv") { request, context in
            let identity = try ConsolePages.staff(context)
            let list = try await desk.allTickets(
                try ReportParameters.parse(request.uri.queryParameters),
                slice: try ReportParameters.slice(request.uri.queryParameters),
                for: identity.actor
            )
            return CSVText.response(
                ReportTicketsDTO.csv(ReportTicketsDTO(list, names: try await desk.names(people: []))),
                filename: "tickets-\(list.slice.name.replacingOccurrences(of: ":", with: "-"))-\(list.period.label).csv"
            )
        }
    }
}
