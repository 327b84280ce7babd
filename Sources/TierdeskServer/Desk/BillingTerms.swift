import Foundation
import TierdeskCore
import TierdeskStore

/// The contracts and plans in force, as ticket writes and statements read them: which plan an
/// organisation was contracted to at an instant, in the desk's home time zone.
struct BillingTerms: Sendable {
    var contracts: [UUID: [SupportContract]]
    var plans: [UUID: SupportPlan]
    /// Days and months of contracts and statements are read here: the working-hours calendar's zone.
    var zone: TimeZone
    var settings: BillingSettings

    static func load(
        _ settings: SettingsRepository,
        _ billing: BillingRepository,
        calendars: [String: BusinessCalendar]
    )
        async throws -> BillingTerms
    {
        let name = try await settings.paging().workingHoursCalendarName
        return BillingTerms(
            contracts: Dictionary(grouping: try await billing.contracts(), by: \.organisationID),
            plans: Dictionary(uniqueKeysWithValues: try await billing.plans().map { ($0.id, $0) }),
            zone: (calendars[name] ?? SLAPolicy.standardOffice).timeZone,
            settings: try await settings.billing()
        )
    }

    /// The contract in force for an organisation at an instant, with its plan.
    func terms(for organisation: UUID, at instant: Date) -> (contract: SupportContract, plan: SupportPlan)? {
        guard
            let contract = SupportContract.inForce(
                on: LocalDate(containing: instant, in: zone),
                among: contracts[organisation] ?? []
            ), let plan = plans[contract.planID]
        else { return nil }
        return (contract, plan)
    }

    /// The contract that governs an organisation's month: the one in force on its last day.
    func terms(for organisation: UUID, month: CalendarMonth) -> (contract: SupportContract, plan: SupportPlan)? {
        let end = month.range(in: zone).upperBound.addingTimeInterval(-1)
        return terms(for: organisation, at: end)
    }

    /// The SLA policies the contracts bring.
    var policies: ContractPolicies {
        ContractPolicies(contracts: contracts.values.flatMap { $0 }, plans: plans, zone: zone)
    }

    /// Applies the notice rule to a ticket as it opens, with its organisation's plan (two weeks without one).
    func applyNotice(to ticket: Ticket, at now: Date) -> (Ticket, [TicketEvent]) {
        NoticeRule.apply(
            to: ticket,
            noticeDays: terms(for: ticket.organisationID, at: now)?.plan.noticeDays ?? NoticeRule.standardDays,
            template: settings.shortNoticeReply,
            in: zone,
            at: now
        )
    }
}
