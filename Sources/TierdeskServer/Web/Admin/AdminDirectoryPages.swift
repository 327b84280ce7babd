import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/admin/directory`: organisations (whether colleagues see each other's tickets), services (their
/// support model; their calendar and targets are SLA policies), vendors and support groups.
struct AdminDirectoryPages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk

    struct NameForm: Decodable {
        var csrf: String
        var name: String
        var sharesTickets: String?
        var supportModel: String?
        var tier: String?
        var lead: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", name, sharesTickets, supportModel, tier, lead }

        func model() throws -> SupportModel {
            guard let model = supportModel.flatMap(SupportModel.init(rawValue:)) else {
                throw TierdeskError.invalid(field: "supportModel", "choose a support model")
            }
            return model
        }
    }

    static let notices = [
        "organisation": "Organisation saved.", "service": "Service saved.", "vendor": "Vendor added.",
        "group": "Group saved.", "group-removed": "Group removed.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        let directory = directory
        router.get("/console/admin/directory") { request, context in
            let identity = try AdminPages.admin(context)
            return try await page(
                identity,
                notice: request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            )
        }
        post(router, "/console/admin/organisations") { form, identity in
            _ = try await directory.createOrganisation(
                name: form.name,
                sharesTickets: form.sharesTickets == "1",
                by: identity.actor
            )
            return "organisation"
        }
        post(router, "/console/admin/organisations/:id") { form, identity, id in
            _ = try await directory.updateOrganisation(
                id,
                name: form.name,
                sharesTickets: form.sharesTickets == "1",
                by: identity.actor
            )
            return "organisation"
        }
        post(router, "/console/admin/services") { form, identity in
            _ = try await directory.createService(name: form.name, supportModel: try form.model(), by: identity.actor)
            return "service"
        }
        post(router, "/console/admin/services/:id") { form, identity, id in
            _ = try await directory.updateService(
                id,
                name: form.name,
                supportModel: try form.model(),
                by: identity.actor
            )
            return "service"
        }
        post(router, "/console/admin/vendors") { form, identity in
            _ = try await directory.createVendor(name: form.name, by: identity.actor)
            return "vendor"
        }
        post(router, "/console/admin/groups") { form, identity in
            let tier = try form.tier.flatMap { $0.isEmpty ? nil : $0 }
                .map { text in
                    guard let tier = Tier(rawValue: text) else {
                        throw TierdeskError.invalid(field: "tier", "choose a tier from the list")
                    }
                    return tier
                }
            let lead = try form.lead.flatMap { $0.isEmpty ? nil : $0 }
                .map { text in
                    guard let id = UUID(uuidString: text) else {
                        throw TierdeskError.invalid(field: "leadId", "choose a lead from the list")
                    }
                    return id
                }
            _ = try await directory.saveGroup(
                named: form.name.trimmingWhitespace(),
                tier: tier,
                leadID: lead,
                by: identity.actor
            )
            return "group"
        }
        post(router, "/console/admin/groups/remove") { form, identity in
            try await directory.deleteGroup(named: form.name, by: identity.actor)
            return "group-removed"
        }
    }

    /// A form of this page: checked, applied, and back to the page with a notice, or the page with the refusal.
    private func post(
        _ router: Router<TierdeskRequestContext>,
        _ path: RouterPath,
        _ change: @escaping @Sendable (NameForm, Identity) async throws -> String
    ) {
        router.post(path) { request, context in
            let form = try await WebForm.decode(NameForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            return try await WebForm.submit(
                { "/console/admin/directory?notice=" + (try await change(form, identity)) },
                orShow: { problem in
                    try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
                }
            )
        }
    }

    /// A form that changes one record, named by the address's `:id`.
    private func post(
        _ router: Router<TierdeskRequestContext>,
        _ path: RouterPath,
        _ change: @escaping @Sendable (NameForm, Identity, UUID) async throws -> String
    ) {
        router.post(path) { request, context in
            let form = try await WebForm.decode(NameForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            let id = try context.uuidParameter("id", what: "record")
            return try await WebForm.submit(
                { "/console/admin/directory?notice=" + (try await change(form, identity, id)) },
                orShow: { problem in
                    try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
                }
            )
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let organisations = try await directory.organisations(for: identity.actor)
        let services = try await directory.services()
        let vendors = try await directory.vendors(for: identity.actor)
        let groups = try await directory.groups(for: identity.actor)
        let staff = try await directory.activeStaff()
        let people = try await directory.people(role: .requester, for: identity.actor)
        let counts = Dictionary(grouping: people.compactMap(\.organisationID), by: { $0 }).mapValues(\.count)
        let names = Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0.name) })
        let user = UserView(identity)
        let view = AdminDirectoryView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            organisations: organisations.map {
                OrganisationRowView(
                    id: $0.id.uuidString,
                    name: $0.name,
                    sharesTickets: $0.sharesTickets,
                    people: counts[$0.id] ?? 0
                )
            },
            services: services.map {
                ServiceRowView(
                    id: $0.id.uuidString,
                    name: $0.name,
                    models: SupportModelWords.options(selected: $0.supportModel),
                    entryTier: $0.supportModel.entryTier.rawValue
                )
            },
            vendors: vendors.map(\.name),
            groups: groups.map {
                GroupRowView(
                    name: $0.name,
                    tier: $0.tier?.rawValue ?? "any",
                    lead: $0.leadID.flatMap { names[$0] } ?? ""
                )
            },
            supportModels: SupportModelWords.options(selected: .tiered),
            tiers: [OptionView(value: "", label: "any", selected: true)]
                + Tier.allCases.map { OptionView(value: $0.rawValue, label: $0.rawValue, selected: false) },
            leads: [OptionView(value: "", label: "none", selected: true)]
                + staff.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) }
        )
        return try Templates.page(templates, "admin_directory", view, status: status)
    }
}
