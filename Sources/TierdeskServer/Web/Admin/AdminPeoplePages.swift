import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/admin/people`: everyone who may use Tierdesk, inviting someone by mail (a single-use link to
/// choose a password), and changing a person's roles, tier, organisation or vendor, or deactivating them.
struct AdminPeoplePages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let invitations: InvitationDesk

    static let notices = ["saved": "Saved.", "deactivated": "Deactivated: they can no longer log in."]

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/admin/people") { request, context in
            let identity = try AdminPages.admin(context)
            return try await listPage(identity, form: PersonForm(), notice: Self.notice(request))
        }
        router.post("/console/admin/people") { request, context in
            let form = try await WebForm.decode(PersonForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            do {
                let person = try form.person(nil, at: directory.now)
                let sent = try await invitations.invite(person, by: identity.actor)
                return try await listPage(
                    identity,
                    form: PersonForm(),
                    notice: sent.mailed
                        ? "\(sent.person.name) is invited: the link is in the mail to \(sent.person.email)."
                        : "\(sent.person.name) is invited. No mail relay is set up: pass them the link below.",
                    invited: InvitedView(sent)
                )
            } catch let error as TierdeskError {
                let problem = Problem(error)
                var kept = KeptForm()
                let message = kept.refuse(problem, form: "person", words: [:])
                return try await listPage(
                    identity,
                    form: form,
                    error: message,
                    refusals: kept.refusals,
                    status: problem.status
                )
            }
        }
        router.get("/console/admin/people/:id") { request, context in
            let identity = try AdminPages.admin(context)
            let person = try await directory.person(
                try context.uuidParameter("id", what: "person"),
                for: identity.actor
            )
            return try await personPage(identity, person, form: PersonForm(person), notice: Self.notice(request))
        }
        router.post("/console/admin/people/:id") { request, context in
            let form = try await WebForm.decode(PersonForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            let person = try await directory.person(
                try context.uuidParameter("id", what: "person"),
                for: identity.actor
            )
            return try await WebForm.submit(
                {
                    let changed = try form.person(person, at: directory.now)
                    if changed.id == identity.person.id, !changed.active || !changed.roles.contains(.admin) {
                        throw TierdeskError.invalid(
                            field: "roles",
                            "you cannot take away your own admin role or deactivate yourself; ask another admin"
                        )
                    }
                    _ = try await directory.save(changed, password: nil)
                    let notice = person.active && !changed.active ? "deactivated" : "saved"
                    return "/console/admin/people/\(person.id.uuidString)?notice=\(notice)"
                },
                orShow: { problem in
                    var kept = KeptForm()
                    let message = kept.refuse(problem, form: "person", words: [:])
                    return try await personPage(
                        identity,
                        person,
                        form: form,
                        error: message,
                        refusals: kept.refusals,
                        status: problem.status
                    )
                }
            )
        }
        router.post("/console/admin/people/:id/invite") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            let person = try await directory.person(
                try context.uuidParameter("id", what: "person"),
                for: identity.actor
            )
            do {
                let sent = try await invitations.invite(person, by: identity.actor)
                return try await personPage(
                    identity,
                    person,
                    form: PersonForm(person),
                    notice: sent.mailed
                        ? "A new link is in the mail to \(person.email); earlier links no longer work."
                        : "A new link is below; earlier links no longer work.",
                    invited: InvitedView(sent)
                )
            } catch let error as TierdeskError {
                return try await personPage(
                    identity,
                    person,
                    form: PersonForm(person),
                    error: Problem(error).detail,
                    status: Problem(error).status
                )
            }
        }
    }

    private static func notice(_ request: Request) -> String? {
        request.uri.queryParameters.get("notice").flatMap { notices[$0] }
    }

    private func listPage(
        _ identity: Identity,
        form: PersonForm,
        notice: String? = nil,
        error: String? = nil,
        invited: InvitedView? = nil,
        refusals: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let people = try await directory.people(role: nil, for: identity.actor)
        let organisations = try await directory.organisations(for: identity.actor)
        let vendors = try await directory.vendors(for: identity.actor)
        let names = Dictionary(
            uniqueKeysWithValues: organisations.map { ($0.id, $0.name) } + vendors.map { ($0.id, $0.name) }
        )
        let pending = try await invitations.pending()
        let withoutPassword = try await directory.peopleWithoutPassword(for: identity.actor)
        let user = UserView(identity)
        let view = AdminPeopleView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            people: people.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
                .map {
                    PersonRowView(
                        $0,
                        names: names,
                        invitedUntil: pending[$0.id],
                        hasPassword: !withoutPassword.contains($0.id)
                    )
                },
            invited: invited,
            form: PersonFormView(
                form,
                action: "/console/admin/people",
                button: "Invite",
                organisations: organisations,
                vendors: vendors,
                editing: false,
                refusals: refusals
            )
        )
        return try Templates.page(templates, "admin_people", view, status: status)
    }

    private func personPage(
        _ identity: Identity,
        _ person: Person,
        form: PersonForm,
        notice: String? = nil,
        error: String? = nil,
        invited: InvitedView? = nil,
        refusals: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let organisations = try await directory.organisations(for: identity.actor)
        let vendors = try await directory.vendors(for: identity.actor)
        let pending = try await invitations.pending()
        let withoutPassword = try await directory.peopleWithoutPassword(for: identity.actor)
        let user = UserView(identity)
        let row = PersonRowView(
            person,
            names: [:],
            invitedUntil: pending[person.id],
            hasPassword: !withoutPassword.contains(person.id)
        )
        let view = AdminPersonView(
            title: person.name,
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            id: person.id.uuidString,
            name: person.name,
            state: row.state,
            canInvite: !row.hasPassword && person.active,
            invited: invited,
            form: PersonFormView(
                form,
                action: "/console/admin/people/\(person.id.uuidString)",
                button: "Save",
                organisations: organisations,
                vendors: vendors,
                editing: true,
                refusals: refusals
            )
        )
        return try Templates.page(templates, "admin_person", view, status: status)
    }
}

extension InvitedView {
    init(_ sent: InvitationDesk.Sent) {
        name = sent.person.name
        link = sent.link
        mailed = sent.mailed
        until = DisplayTime.text(sent.expiresAt)
        untilISO = Timestamp.format(sent.expiresAt)
    }
}
