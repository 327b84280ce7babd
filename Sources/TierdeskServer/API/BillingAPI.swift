import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Plans, contracts, time on tickets, timers, billing scope, vendor costs, balances and statements.
struct BillingAPI {
    let desk: BillingDesk

    func register(_ routes: APIRoutes) {
        let desk = desk

        routes.signedIn(.get, "/api/v1/billing/plans") { _, context in
            let actor = context.identity.actor
            let money = AccessPolicy.allows(.viewBilling, by: actor)
            return try JSONBody.response(try await desk.plans(for: actor).map { PlanDTO($0, showMoney: money) })
        }
        routes.signedIn(.post, "/api/v1/billing/plans") { request, context in
            let input = try await JSONBody.decode(PlanInputDTO.self, from: request)
            let plan = try await desk.save(
                plan: try input.plan(id: UUID(), now: desk.now),
                expectedVersion: nil,
                by: context.identity.actor
            )
            return try JSONBody.response(PlanDTO(plan, showMoney: true), status: .created)
        }
        routes.signedIn(.put, "/api/v1/billing/plans/{planId}") { request, context in
            let id = try context.uuidParameter("planId", what: "plan")
            let input = try await JSONBody.decode(PlanInputDTO.self, from: request)
            guard let version = input.version else {
                throw TierdeskError.invalid(field: "version", "is required to change a plan")
            }
            let plan = try await desk.save(
                plan: try input.plan(id: id, now: desk.now),
                expectedVersion: version,
                by: context.identity.actor
            )
            return try JSONBody.response(PlanDTO(plan, showMoney: true))
        }
        routes.signedIn(.get, "/api/v1/billing/projects") { _, context in
            let lines = try await desk.projects(for: context.identity.actor)
            return try JSONBody.response(lines.map { ProjectDTO($0) })
        }
        routes.signedIn(.get, "/api/v1/billing/contracts") { request, context in
            var organisation: UUID?
            if let text = request.uri.queryParameters.get("organisationId") {
                guard let id = UUID(uuidString: String(text)) else {
                    throw Problem.badRequest(field: "organisationId", "must be a UUID")
                }
                organisation = id
            }
            let contracts = try await desk.contracts(organisation: organisation, for: context.identity.actor)
            return try JSONBody.response(contracts.map { ContractDTO($0) })
        }
        routes.signedIn(.post, "/api/v1/billing/contracts") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(ContractInputDTO.self, from: request)
            let contract = try await desk.add(
                contract: try input.contract(by: actor.personID, now: desk.now),
                by: actor
            )
            return try JSONBody.response(ContractDTO(contract), status: .created)
        }
        routes.signedIn(.get, "/api/v1/billing/settings") { _, context in
            try JSONBody.response(try await desk.billingSettings(for: context.identity.actor))
        }
        routes.signedIn(.put, "/api/v1/billing/settings") { request, context in
            let input = try await JSONBody.decode(BillingSettings.self, from: request)
            return try JSONBody.response(try await desk.save(settings: input, by: context.identity.actor))
        }
        routes.signedIn(.get, "/api/v1/billing/balances") { request, context in
            let (_, months) = try await desk.balances(
                month: request.uri.queryParameters.get("month").map { String($0) },
                for: context.identity.actor
            )
            return try JSONBody.response(months.map { BalanceDTO($0) })
        }

        routes.signedIn(.get, "/api/v1/tickets/{reference}/work") { _, context in
            let (ticket, entries) = try await desk.time(
                on: try context.pathParameter("reference"),
                for: context.identity.actor
            )
            let people = try await desk.people(Set(entries.map(\.personID)))
            return try JSONBody.response(
                entries.map {
                    TimeEntryDTO(.init(work: $0, ticketReference: ticket.reference), person: people[$0.personID])
                }
            )
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/work") { request, context in
            let input = try await JSONBody.decode(NewTimeEntryDTO.self, from: request)
            let logged = try await desk.logTime(
                on: try context.pathParameter("reference"),
                input.input,
                by: context.identity.actor
            )
            let person = try await desk.people([logged.entry.work.personID])[logged.entry.work.personID]
            return try JSONBody.response(
                LoggedTimeDTO(entry: TimeEntryDTO(logged.entry, person: person), balanceWarnings: logged.warnings),
                status: .created
            )
        }
        routes.signedIn(.delete, "/api/v1/oncall/work/{workId}") { _, context in
            try await desk.removeTime(
                try context.uuidParameter("workId", what: "logged time"),
                by: context.identity.actor
            )
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/timer") { _, context in
            guard let running = try await desk.timer(for: context.identity.actor) else {
                return Response(status: .noContent)
            }
            return try JSONBody.response(
                TimerDTO(ticket: running.reference, startedAt: Timestamp.format(running.startedAt))
            )
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/timer") { _, context in
            let reference = try context.pathParameter("reference")
            let started = try await desk.startTimer(on: reference, by: context.identity.actor)
            return try JSONBody.response(
                TimerDTO(ticket: started.reference, startedAt: Timestamp.format(started.startedAt)),
                status: .created
            )
        }
        routes.signedIn(.post, "/api/v1/timer/stop") { request, context in
            let input = try await JSONBody.decode(StopTimerDTO.self, from: request)
            let logged = try await desk.stopTimer(
                note: input.note,
                category: input.category,
                billable: input.billable,
                by: context.identity.actor
            )
            let person = try await desk.people([logged.entry.work.personID])[logged.entry.work.personID]
            return try JSONBody.response(
                LoggedTimeDTO(entry: TimeEntryDTO(logged.entry, person: person), balanceWarnings: logged.warnings),
                status: .created
            )
        }
        routes.signedIn(.delete, "/api/v1/timer") { _, context in
            try await desk.discardTimer(by: context.identity.actor)
            return Response(status: .noContent)
        }
        routes.signedIn(.put, "/api/v1/tickets/{reference}/scope") { request, context in
            let input = try await JSONBody.decode(ScopeInputDTO.self, from: request)
            var project: (String, Int)?
            if input.scope == .project {
                let hours = input.estimateHours ?? 0
                project = (
                    input.projectTitle ?? "", hours.isFinite && abs(hours) < 1e6 ? Int((hours * 60).rounded()) : 0
                )
            }
            let (ticket, scope, newProject) = try await desk.changeScope(
                of: try context.pathParameter("reference"),
                to: input.scope,
                consent: input.consent,
                project: project,
                by: context.identity.actor
            )
            return try JSONBody.response(
                ScopeDTO(
                    ticket: ticket.reference,
                    scope: scope.kind,
                    consent: scope.consent,
                    project: newProject?.reference,
                    version: ticket.version
                )
            )
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/vendor-costs") { request, context in
            let reference = try context.pathParameter("reference")
            let input = try await JSONBody.decode(VendorCostInputDTO.self, from: request)
            guard let amount = Money.minorUnits(input.amount) else {
                throw Problem.badRequest(field: "amount", "must be an amount such as 120.00")
            }
            let cost = try await desk.addVendorCost(
                on: reference,
                amount: amount,
                currency: input.currency,
                note: input.note,
                incurredAt: input.incurredAt,
                by: context.identity.actor
            )
            return try JSONBody.response(
                VendorCostDTO(
                    id: cost.id,
                    ticket: reference.uppercased(),
                    amount: Money.decimal(cost.amount.minor),
                    currency: cost.amount.currency,
                    note: cost.note,
                    incurredAt: Timestamp.format(cost.incurredAt)
                ),
                status: .created
            )
        }

        routes.signedIn(.get, "/api/v1/organisations/{organisationId}/balance") { request, context in
            let month = try await desk.balance(
                of: try context.uuidParameter("organisationId", what: "organisation"),
                month: request.uri.queryParameters.get("month").map { String($0) },
                for: context.identity.actor
            )
            return try JSONBody.response(BalanceDTO(month))
        }
        routes.signedIn(.get, "/api/v1/organisations/{organisationId}/statements/{month}") { _, context in
            let month = try await Self.statement(context, desk)
            return try JSONBody.response(StatementDTO(month.statement))
        }
        routes.signedIn(.get, "/api/v1/organisations/{organisationId}/statements/{month}/csv") { _, context in
            let month = try await Self.statement(context, desk)
            return CSVText.response(
                StatementDTO.csv(month.statement),
                filename: "statement-\(month.month)-\(month.organisation.id.uuidString.prefix(8)).csv"
            )
        }
        routes.signedIn(.post, "/api/v1/organisations/{organisationId}/statements/{month}/close") { _, context in
            let month = try await desk.close(
                try context.uuidParameter("organisationId", what: "organisation"),
                month: try context.pathParameter("month"),
                by: context.identity.actor
            )
            return try JSONBody.response(StatementDTO(month.statement))
        }
    }

    private static func statement(_ context: SignedInContext, _ desk: BillingDesk) async throws -> BillingDesk.Month {
        try await desk.statement(
            of: try context.uuidParameter("organisationId", what: "organisation"),
            month: try context.pathParameter("month"),
            for: context.identity.actor
        )
    }
}
