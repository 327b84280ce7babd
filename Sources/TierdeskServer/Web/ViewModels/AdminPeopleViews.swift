import Foundation
import TierdeskCore

/// What the person form holds: a person being invited or changed, or what was sent when it was refused.
struct PersonForm: Decodable {
    var csrf: String
    var name: String
    var email: String
    var roles: [String]?
    var tier: String?
    var organisation: String?
    var vendor: String?
    var active: String?
    enum CodingKeys: String, CodingKey { case csrf = "_csrf", name, email, roles, tier, organisation, vendor, active }

    init(csrf: String = "", _ person: Person? = nil) {
        self.csrf = csrf
        name = person?.name ?? ""
        email = person?.email ?? ""
        roles = person.map { $0.roles.map(\.rawValue).sorted() } ?? [Role.requester.rawValue]
        tier = person?.tier?.rawValue
        organisation = person?.organisationID?.uuidString
        vendor = person?.vendorID?.uuidString
        active = person.map { $0.active ? "1" : "0" } ?? "1"
    }

    /// `base` (a new person when nil) with the form's fields; a field that names nothing known is refused.
    func person(_ base: Person?, at now: Date) throws -> Person {
        var roles: Set<Role> = []
        for text in self.roles ?? [] {
            guard let role = Role(rawValue: text) else { throw TierdeskError.invalid(field: "roles", "is not a role") }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw TierdeskError.invalid(field: "roles", "choose at least one role") }
        let tier = try Self.optional(tier, field: "tier", what: "tier") { Tier(rawValue: $0) }
        let organisationID = try Self.optional(organisation, field: "organisation", what: "organisation") {
            UUID(uuidString: $0)
        }
        let vendorID = try Self.optional(vendor, field: "vendor", what: "vendor") { UUID(uuidString: $0) }
        var person =
            base
            ?? Person(id: UUID(), email: "", name: "", roles: [], active: true, createdAt: now)
        person.name = name.trimmingWhitespace()
        person.email = Person.normalisedEmail(email)
        person.roles = roles
        // Fields a role does not use are dropped, so switching a requester to an agent needs no clearing.
        person.tier = roles.contains(.agent) ? tier : nil
        person.organisationID = roles.contains(.requester) ? organisationID : nil
        person.vendorID = roles.contains(.vendor) ? vendorID : nil
        if base != nil { person.active = active == "1" }
        return person
    }

    private static func optional<T>(_ text: String?, field: String, what: String, _ parse: (String) -> T?) throws -> T?
    {
        guard let text, !text.isEmpty else { return nil }
        guard let value = parse(text) else {
            throw TierdeskError.invalid(field: field, "choose a \(what) from the list")
        }
        return value
    }

    var kept: [String: String] { ["name": name, "email": email] }
}

/// The people page: everyone, with a form to invite someone.
struct AdminPeopleView {
    var title = "People"
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var people: [PersonRowView]
    var invited: InvitedView?
    var form: PersonFormView
}

/// The link of an invitation just made, shown once to the admin.
struct InvitedView {
    var name: String
    var link: String
    var mailed: Bool
    var until: String
    var untilISO: String
}

/// One person in the list.
struct PersonRowView {
    var id: String
    var name: String
    var email: String
    var roles: String
    var tier: String
    var belongsTo: String
    var state: String
    var hasPassword: Bool

    init(_ person: Person, names: [UUID: String], invitedUntil: Date?, hasPassword: Bool) {
        id = person.id.uuidString
        name = person.name
        email = person.email
        roles = Role.allCases.filter(person.roles.contains).map(\.rawValue).joined(separator: ", ")
        tier = person.tier?.rawValue ?? ""
        belongsTo = (person.organisationID ?? person.vendorID).flatMap { names[$0] } ?? ""
        self.hasPassword = hasPassword
        state =
            !person.active
            ? "deactivated"
            : invitedUntil.map { "invited, link valid until \(DisplayTime.text($0))" }
                ?? (hasPassword ? "active" : "active, no password yet")
    }
}

/// The invite or edit form.
struct PersonFormView {
    var action: String
    var button: String
    var name: String
    var email: String
    var roles: [CheckView]
    var tiers: [OptionView]
    var organisations: [OptionView]
    var vendors: [OptionView]
    /// Only when changing someone: whether they may log in.
    var editing: Bool
    var activeChoice: [OptionView]
    var refusals: [String: String]

    init(
        _ form: PersonForm,
        action: String,
        button: String,
        organisations: [Organisation],
        vendors: [Vendor],
        editing: Bool,
        refusals: [String: String] = [:]
    ) {
        self.action = action
        self.button = button
        name = form.name
        email = form.email
        let chosen = Set(form.roles ?? [])
        roles = Role.allCases.map {
            CheckView(value: $0.rawValue, label: RoleWords.text($0), checked: chosen.contains($0.rawValue))
        }
        tiers =
            [OptionView(value: "", label: "none", selected: (form.tier ?? "").isEmpty)]
            + [Tier.l1, .l2, .l3]
            .map { OptionView(value: $0.rawValue, label: $0.rawValue, selected: form.tier == $0.rawValue) }
        self.organisations =
            [OptionView(value: "", label: "none", selected: (form.organisation ?? "").isEmpty)]
            + organisations.map {
                OptionView(value: $0.id.uuidString, label: $0.name, selected: form.organisation == $0.id.uuidString)
            }
        self.vendors =
            [OptionView(value: "", label: "none", selected: (form.vendor ?? "").isEmpty)]
            + vendors.map {
                OptionView(value: $0.id.uuidString, label: $0.name, selected: form.vendor == $0.id.uuidString)
            }
        self.editing = editing
        activeChoice =
            editing
            ? [
                OptionView(value: "1", label: "may log in", selected: form.active != "0"),
                OptionView(
                    value: "0",
                    label: "deactivated: cannot log in, API tokens stop working",
                    selected: form.active == "0"
                ),
            ] : []
        self.refusals = refusals
    }
}

/// A checkbox of a group.
struct CheckView {
    var value: String
    var label: String
    var checked: Bool
}

/// Roles in words for admin pages.
enum RoleWords {
    static func text(_ role: Role) -> String {
        switch role {
        case .requester: "Requester (opens tickets for an organisation)"
        case .agent: "Agent (works tickets on a tier)"
        case .vendor: "Vendor contact (L4)"
        case .manager: "Manager (reports, reassigns)"
        case .admin: "Admin (configures Tierdesk)"
        }
    }
}

/// One person's page: the edit form and a new invitation.
struct AdminPersonView {
    var title: String
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var id: String
    var name: String
    var state: String
    /// Whether the person may be sent an invitation: only someone without a password.
    var canInvite: Bool
    var invited: InvitedView?
    var form: PersonFormView
}
