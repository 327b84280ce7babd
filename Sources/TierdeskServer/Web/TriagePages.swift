import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/triage`: the weekly triage board with bulk assignment and the week's report.
struct TriagePages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let triageDesk: TriageDesk

    struct BoardView {
        var title = "Triage"
        var user: UserView?
        var notice: String?
        var error: String?
        var week: String
        var operationsOwner: String
        var tickets: [TicketRowView]
        var hasTickets: Bool
        var owners: [OptionView]
        var csrf: String
        var report: ReportView
    }

    struct ReportView {
        var week: String
        var opened: Int
        var taken: [String]
        var hasTaken: Bool
        var stillUnowned: Int
    }

    struct AssignForm: Decodable {
        var csrf: String
        var owner: String
        var tickets: [String]?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", owner, tickets }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let triage = triageDesk
        router.get("/console/triage") { request, context in
            let identity = try ConsolePages.staff(context)
            let week = try TriageAPI.week(request.uri.queryParameters.get("week"), desk: triage)
            return try await page(
                identity,
                triage,
                week: week,
                notice: request.uri.queryParameters.get("assigned").map { "\($0.prefix(4)) ticket(s) assigned." }
            )
        }
        router.post("/console/triage/assign") { request, context in
            let form = try await WebForm.decode(AssignForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let week = triage.currentWeek()
            return try await WebForm.submit(
                {
                    guard let owner = UUID(uuidString: form.owner) else {
                        throw TierdeskError.invalid(field: "ownerId", "choose who takes the tickets")
                    }
                    let outcomes = try await triage.assign(form.tickets ?? [], to: owner, by: identity.actor)
                    if let refused = outcomes.first(where: { $0.kind == .refused }) {
                        throw TierdeskError.invalid(
                            field: "tickets",
                            "\(refused.reference): \(refused.detail ?? "refused")"
                        )
                    }
                    return "/console/triage?assigned=\(outcomes.count { $0.kind == .assigned })"
                },
                orShow: { problem in
                    try await page(identity, triage, week: week, error: problem.detail, status: problem.status)
                }
            )
        }
    }

    private func page(
        _ identity: Identity,
        _ triage: TriageDesk,
        week: IsoWeek,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let owner = try await triage.operationsOwner(for: week)
        let report = try await triage.report(week, owner: owner, for: identity.actor)
        let board = report.stillUnowned
        let agents = try await directory.activeAgents()
        let names = try await directory.names(
            for: board,
            extraPeople: report.taken.map(\.ownerID) + (report.operationsOwner.map { [$0] } ?? [])
        )
        let user = UserView(identity)
        let view = BoardView(
            user: user,
            notice: notice,
            error: error,
            week: week.description,
            operationsOwner: owner.map { owner in
                names.person(owner.personID) + (owner.scheduleName.map { " (primary of \($0))" } ?? "")
            } ?? "nobody yet",
            tickets: board.map {
                TicketRowView($0, names: names, linkPrefix: "/console/tickets/", now: triage.clock.now())
            },
            hasTickets: !board.isEmpty,
            owners: agents.map {
                OptionView(
                    value: $0.id.uuidString,
                    label: "\($0.name) (\($0.tier?.rawValue ?? "agent"))",
                    selected: $0.id == identity.person.id
                )
            },
            csrf: user?.csrf ?? "",
            report: ReportView(
                week: week.description,
                opened: report.opened.count,
                taken: report.taken.map {
                    "\(TicketReference.format($0.ticketNumber)) → \(names.person($0.ownerID)) (\(DisplayTime.text($0.at)))"
                },
                hasTaken: !report.taken.isEmpty,
                stillUnowned: board.count
            )
        )
        return try Templates.page(templates, "triage", view, status: status)
    }
}
