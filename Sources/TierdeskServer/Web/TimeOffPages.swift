import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/oncall/time-off`: a month of time off in lieu, its CSV, and logging and removing work.
struct TimeOffPages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let timeOffDesk: TimeOffDesk
    let billingDesk: BillingDesk

    struct WorkFormInput: Decodable {
        var csrf: String
        var person: String?
        var ticket: String
        var start: String
        var end: String
        var note: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", person, ticket, start, end, note }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = timeOffDesk
        let billing = billingDesk
        router.get("/console/oncall/time-off") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice: String? =
                switch request.uri.queryParameters.get("notice") {
                case "logged": "The work is logged."
                case "removed": "The logged work is removed."
                default: nil
                }
            return try await page(
                identity,
                desk,
                month: request.uri.queryParameters.get("month").map { String($0) },
                notice: notice
            )
        }
        router.get("/console/oncall/time-off.csv") { request, context in
            let identity = try ConsolePages.staff(context)
            let statement = try await desk.statement(
                month: request.uri.queryParameters.get("month").map { String($0) },
                person: nil,
                for: identity.actor
            )
            return CSVText.response(TimeOffDTO.csv(statement), filename: "time-off-in-lieu-\(statement.month).csv")
        }
        router.post("/console/oncall/time-off/work") { request, context in
            let form = try await WebForm.decode(WorkFormInput.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let zone = try await desk.homeTimeZone()
            var month: String?
            return try await WebForm.submit(
                {
                    let person = form.person.flatMap(UUID.init(uuidString:))
                    var errors: [FieldError] = []
                    let start = LocalDateTime.instant(form.start, in: zone)
                    let end = LocalDateTime.instant(form.end, in: zone)
                    if start == nil {
                        errors.append(
                            FieldError(field: "start", message: "must be a date and time such as 2026-11-17T20:00")
                        )
                    }
                    if end == nil {
                        errors.append(
                            FieldError(field: "end", message: "must be a date and time such as 2026-11-17T23:00")
                        )
                    }
                    guard let start, let end, errors.isEmpty else {
                        throw TierdeskError.invalid(ValidationFailure(errors))
                    }
                    month = CalendarMonth(containing: start, in: zone).description
                    _ = try await billing.logTime(
                        on: form.ticket,
                        BillingDesk.TimeInput(
                            person: person == identity.person.id ? nil : person,
                            start: start,
                            end: end,
                            note: form.note
                        ),
                        by: identity.actor
                    )
                    return "/console/oncall/time-off?month=\(month!)&notice=logged"
                },
                orShow: { problem in
                    try await page(
                        identity,
                        desk,
                        month: month,
                        error: problem.detail,
                        status: problem.status,
                        form: TimeOffPageView.WorkForm(
                            ticket: form.ticket,
                            start: form.start,
                            end: form.end,
                            note: form.note
                        )
                    )
                }
            )
        }
        router.post("/console/oncall/work/:workId/remove") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            try await billing.removeTime(try context.uuidParameter("workId", what: "logged work"), by: identity.actor)
            return Response.redirect(to: "/console/oncall/time-off?notice=removed", type: .normal)
        }
    }

    private func page(
        _ identity: Identity,
        _ desk: TimeOffDesk,
        month: String?,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        form: TimeOffPageView.WorkForm = .init()
    ) async throws -> Response {
        let statement = try await desk.statement(month: month, person: nil, for: identity.actor)
        let staff = try await directory.activeStaff()
        let view = TimeOffPageView(
            statement,
            actor: identity.actor,
            staff: staff,
            user: UserView(identity),
            form: form,
            notice: notice,
            error: error
        )
        return try Templates.page(templates, "time_off", view, status: status)
    }
}
