import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/console/admin`: the admin's pages in one place, each a form over the same desks the API uses.
struct AdminPages {
    let templates: MustacheLibrary

    /// One link of the admin start page.
    struct Entry {
        var link: String
        var label: String
        var about: String
    }

    struct HubView {
        var title = "Administration"
        var user: UserView?
        var notice: String? = nil
        var error: String? = nil
        var entries: [Entry]
    }

    static let entries = [
        Entry(
            link: "/console/admin/people",
            label: "People",
            about: "Invite people, give roles and tiers, deactivate."
        ),
        Entry(
            link: "/console/admin/directory",
            label: "Organisations, services, vendors and groups",
            about: "Who is supported, for what, by whom."
        ),
        Entry(
            link: "/console/admin/triage-rules",
            label: "Triage rules",
            about: "What happens to a ticket when it is opened or changed; try a rule on a ticket first."
        ),
        Entry(
            link: "/console/admin/settings",
            label: "Priority matrix and escalation gates",
            about: "How impact and urgency make a priority; what a tier needs before the next takes over."
        ),
        Entry(
            link: "/console/admin/channels",
            label: "Webhooks and integrations",
            about: "Where ticket changes are sent, and the tokens of monitoring and mail."
        ),
        Entry(link: "/console/sla", label: "SLA calendars and policies", about: "Business hours, holidays, targets."),
        Entry(link: "/console/oncall", label: "On call", about: "Schedules, rotations, overrides and policies."),
        Entry(link: "/console/incident-settings", label: "Major incidents", about: "Update cadence and subscribers."),
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/admin") { _, context in
            let identity = try Self.admin(context)
            return try Templates.page(templates, "admin", HubView(user: UserView(identity), entries: Self.entries))
        }
    }

    /// The signed-in admin; anyone else is sent to log in or refused.
    static func admin(_ context: TierdeskRequestContext) throws -> Identity {
        let identity = try ConsolePages.staff(context)
        try DirectoryDesk.requireConfigure(identity.actor)
        return identity
    }

    /// A refusal of an admin form as one sentence, each field named plainly (`rules[0].then.group` as
    /// `group`): "Nothing was saved: group no support group is named …".
    static func refusal(_ problem: Problem) -> String {
        guard !problem.errors.isEmpty else { return problem.detail }
        let messages = problem.errors.map { error in
            let field = error.field.split(separator: ".").last.map(String.init) ?? error.field
            return "\(field == "name" ? "the name" : field) \(error.message)"
        }
        return "Nothing was saved: " + messages.joined(separator: "; ") + "."
    }

    /// The admin whose session sent a form with this CSRF token.
    static func checkedAdmin(_ context: TierdeskRequestContext, token: String) throws -> Identity {
        let identity = try WebForm.checkedIdentity(context, token: token)
        try DirectoryDesk.requireConfigure(identity.actor)
        return identity
    }
}
