import Foundation
import Testing

@testable import TierdeskCore

/// Every role × action × ownership case, against a specification written out here independently of the policy.
@Suite struct AccessPolicyMatrixTests {
    enum Persona: String, CaseIterable {
        case requester, agentL1, agentL2, agentL3, vendor, manager, admin
    }

    enum Ownership: String, CaseIterable {
        case ownTicket, sameOrganisationShared, sameOrganisationPrivate, otherOrganisation, escalatedToOwnVendor,
            escalatedToOtherVendor
    }

    static let me = UUID()
    static let colleague = UUID()
    static let stranger = UUID()
    static let organisationA = UUID()
    static let organisationB = UUID()
    static let vendorV = UUID()
    static let vendorW = UUID()

    static func actor(_ persona: Persona) -> Actor {
        switch persona {
        case .requester: Actor(personID: me, roles: [.requester], organisationID: organisationA)
        case .agentL1: Actor(personID: me, roles: [.agent], tier: .l1)
        case .agentL2: Actor(personID: me, roles: [.agent], tier: .l2)
        case .agentL3: Actor(personID: me, roles: [.agent], tier: .l3)
        case .vendor: Actor(personID: me, roles: [.vendor], vendorID: vendorV)
        case .manager: Actor(personID: me, roles: [.manager])
        case .admin: Actor(personID: me, roles: [.admin])
        }
    }

    static func scope(_ ownership: Ownership) -> TicketScope {
        switch ownership {
        case .ownTicket:
            TicketScope(requesterID: me, organisationID: organisationA, organisationSharesTickets: false, vendorID: nil)
        case .sameOrganisationShared:
            TicketScope(
                requesterID: colleague,
                organisationID: organisationA,
                organisationSharesTickets: true,
                vendorID: nil
            )
        case .sameOrganisationPrivate:
            TicketScope(
                requesterID: colleague,
                organisationID: organisationA,
                organisationSharesTickets: false,
                vendorID: nil
            )
        case .otherOrganisation:
            TicketScope(
                requesterID: stranger,
                organisationID: organisationB,
                organisationSharesTickets: true,
                vendorID: nil
            )
        case .escalatedToOwnVendor:
            TicketScope(
                requesterID: stranger,
                organisationID: organisationB,
                organisationSharesTickets: false,
                vendorID: vendorV
            )
        case .escalatedToOtherVendor:
            TicketScope(
                requesterID: stranger,
                organisationID: organisationB,
                organisationSharesTickets: false,
                vendorID: vendorW
            )
        }
    }

    /// Which tickets each persona may know about.
    static func sees(_ persona: Persona, _ ownership: Ownership) -> Bool {
        switch persona {
        case .requester: ownership == .ownTicket || ownership == .sameOrganisationShared
        case .vendor: ownership == .escalatedToOwnVendor
        case .agentL1, .agentL2, .agentL3, .manager, .admin: true
        }
    }

    /// What each persona may do with a ticket it sees.
    static let ticketActions: [Persona: Set<Action>] = {
        let conversation: Set<Action> = [.viewTicket, .replyPublicly, .uploadAttachment]
        let l1 = conversation.union([
            .addInternalNote, .viewInternalNotes, .triageTicket, .changeStatus, .assignTicket, .escalateTicket,
            .changeBillingScope,
        ])
        return [
            .requester: conversation,
            .vendor: conversation,
            .agentL1: l1,
            .agentL2: l1.union([.privilegedWrite]),
            .agentL3: l1.union([.privilegedWrite]),
            .manager: conversation.union([.addInternalNote, .viewInternalNotes, .assignTicket, .changeBillingScope]),
            .admin: Set(Action.allCases.filter(\.needsTicket)),
        ]
    }()

    /// What each persona may do without a particular ticket.
    static let globalActions: [Persona: Set<Action>] = {
        let staff: Set<Action> = [
            .createTicket, .createTicketForOthers, .viewAllQueues, .viewDirectory, .manageOwnTokens, .viewKnownErrors,
            .viewOnCall, .respondToPages, .viewIncidents, .runIncidents, .receiveNotifications, .logTime,
            .useResponseTemplates,
        ]
        let agent = staff.union([.writeKnownErrors])
        return [
            .requester: [.createTicket, .manageOwnTokens],
            .vendor: [.manageOwnTokens],
            .agentL1: agent,
            .agentL2: agent,
            .agentL3: agent,
            .manager: staff.union([
                .viewReports, .manageOnCall, .manageIncidentSubscribers, .viewBilling, .manageSharedTemplates,
            ]),
            .admin: Set(Action.allCases.filter { !$0.needsTicket }),
        ]
    }()

    @Test(arguments: Persona.allCases)
    func ticketActionsForEveryOwnership(persona: Persona) {
        let actor = Self.actor(persona)
        var checked = 0
        for action in Action.allCases where action.needsTicket {
            for ownership in Ownership.allCases {
                let decision = AccessPolicy.decide(action, by: actor, on: Self.scope(ownership))
                if !Self.sees(persona, ownership) {
                    #expect(
                        decision == .hidden,
                        "\(persona) \(action) on \(ownership): a ticket one may not see must be hidden (404), got \(decision)"
                    )
                } else if Self.ticketActions[persona]!.contains(action) {
                    #expect(
                        decision == .allowed,
                        "\(persona) \(action) on \(ownership) should be allowed, got \(decision)"
                    )
                } else {
                    guard case .forbidden(let reason) = decision else {
                        Issue.record("\(persona) \(action) on \(ownership) should be forbidden, got \(decision)")
                        continue
                    }
                    #expect(!reason.isEmpty)
                }
                checked += 1
            }
        }
        #expect(checked == Action.allCases.filter(\.needsTicket).count * Ownership.allCases.count)
    }

    @Test(arguments: Persona.allCases)
    func globalActions(persona: Persona) {
        let actor = Self.actor(persona)
        for action in Action.allCases where !action.needsTicket {
            let decision = AccessPolicy.decide(action, by: actor)
            if Self.globalActions[persona]!.contains(action) {
                #expect(decision == .allowed, "\(persona) \(action) should be allowed, got \(decision)")
            } else {
                #expect(
                    decision != .allowed && decision != .hidden,
                    "\(persona) \(action) should be forbidden, got \(decision)"
                )
            }
        }
    }

    @Test func ticketActionWithoutTicketIsHidden() {
        #expect(AccessPolicy.decide(.viewTicket, by: Self.actor(.admin)) == .hidden)
    }

    @Test(arguments: Persona.allCases)
    func pagingContactsAreOwnOrAnAdmins(persona: Persona) {
        let actor = Self.actor(persona)
        let staff = persona != .requester && persona != .vendor
        #expect((AccessPolicy.decidePagingContacts(of: Self.me, by: actor) == .allowed) == staff, "\(persona) own")
        #expect(
            (AccessPolicy.decidePagingContacts(of: Self.colleague, by: actor) == .allowed) == (persona == .admin),
            "\(persona) colleague"
        )
    }

    @Test(arguments: Persona.allCases)
    func timeOffIsOwnOrAManagersOrAnAdmins(persona: Persona) {
        let actor = Self.actor(persona)
        let staff = persona != .requester && persona != .vendor
        let everyone = persona == .manager || persona == .admin
        #expect((AccessPolicy.decideTimeOff(of: Self.me, by: actor) == .allowed) == staff, "\(persona) own")
        #expect(
            (AccessPolicy.decideTimeOff(of: Self.colleague, by: actor) == .allowed) == everyone,
            "\(persona) colleague"
        )
        #expect((AccessPolicy.decideTimeOff(of: nil, by: actor) == .allowed) == everyone, "\(persona) everyone")
    }

    @Test func severalRolesCombine() {
        let both = Actor(personID: Self.me, roles: [.requester, .manager], organisationID: Self.organisationA)
        #expect(AccessPolicy.decide(.viewTicket, by: both, on: Self.scope(.otherOrganisation)) == .allowed)
        #expect(AccessPolicy.decide(.viewReports, by: both) == .allowed)
    }

    @Test(arguments: Persona.allCases)
    func listVisibilityAgreesWithSingleView(persona: Persona) {
        let actor = Self.actor(persona)
        for shares in [false, true] {
            let visibility = AccessPolicy.visibility(for: actor, organisationSharesTickets: shares)
            for ownership in Ownership.allCases {
                var scope = Self.scope(ownership)
                if scope.organisationID == Self.organisationA { scope.organisationSharesTickets = shares }
                let listed: Bool =
                    switch visibility {
                    case .all: true
                    case .requester(let person, let organisation):
                        scope.requesterID == person || scope.organisationID == organisation
                    case .vendor(let vendor): scope.vendorID == vendor
                    case .nothing: false
                    }
                #expect(
                    listed == AccessPolicy.allows(.viewTicket, by: actor, on: scope),
                    "\(persona) shares=\(shares) \(ownership)"
                )
            }
        }
    }
}
