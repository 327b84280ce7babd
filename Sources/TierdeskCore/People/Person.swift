import Foundation

/// A person known to Tierdesk: requester, agent, vendor contact, manager or admin.
public struct Person: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var email: String
    public var name: String
    public var roles: Set<Role>
    /// The tier an agent works on.
    public var tier: Tier?
    /// The organisation a requester belongs to.
    public var organisationID: UUID?
    /// The vendor a vendor contact works for.
    public var vendorID: UUID?
    public var active: Bool
    public var createdAt: Date

    public init(
        id: UUID,
        email: String,
        name: String,
        roles: Set<Role>,
        tier: Tier? = nil,
        organisationID: UUID? = nil,
        vendorID: UUID? = nil,
        active: Bool = true,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.roles = roles
        self.tier = tier
        self.organisationID = organisationID
        self.vendorID = vendorID
        self.active = active
        self.createdAt = createdAt
    }

    /// The principal this person acts as.
    public var actor: Actor {
        Actor(personID: id, roles: roles, tier: tier, organisationID: organisationID, vendorID: vendorID)
    }

    /// Checks that the role-dependent fields fit the roles: agents need a tier, requesters an organisation,
    /// vendor contacts a vendor; an agent's tier is L1–L3.
    public static func validate(
        email: String,
        name: String,
        roles: Set<Role>,
        tier: Tier?,
        organisationID: UUID?,
        vendorID: UUID?
    ) throws(ValidationFailure) {
        var errors: [FieldError] = []
        if !Person.isPlausibleEmail(email) {
            errors.append(FieldError(field: "email", message: "must be an e-mail address such as name@example.com"))
        }
        _ = TextLimits.line(name, field: "name", maxCharacters: TextLimits.name, errors: &errors)
        if roles.isEmpty {
            errors.append(FieldError(field: "roles", message: "must name at least one role"))
        }
        if roles.contains(.agent) {
            if tier == nil {
                errors.append(FieldError(field: "tier", message: "is required for an agent (L1, L2 or L3)"))
            }
            if tier == .l4 {
                errors.append(
                    FieldError(field: "tier", message: "L4 is the vendor tier; give the person the vendor role instead")
                )
            }
        } else if tier != nil {
            errors.append(FieldError(field: "tier", message: "only agents have a tier"))
        }
        if roles.contains(.requester), organisationID == nil {
            errors.append(FieldError(field: "organisationId", message: "is required for a requester"))
        }
        if roles.contains(.vendor), roles.contains(.requester) || roles.contains(where: \.isStaffRole) {
            // A vendor contact reads the vendor's thread only; one person cannot also read the customer's side.
            errors.append(
                FieldError(field: "roles", message: "a vendor contact cannot also be a requester or staff")
            )
        }
        if roles.contains(.vendor), vendorID == nil {
            errors.append(FieldError(field: "vendorId", message: "is required for a vendor contact"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// A deliberately loose check: one `@`, something before it, a dot after it, no spaces, at most 254 bytes.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return email.utf8.count <= 254
            && !email.unicodeScalars.contains {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }
    }

    /// The canonical form in which e-mail addresses are stored and compared.
    public static func normalisedEmail(_ email: String) -> String {
        email.trimmingWhitespace().lowercased()
    }
}
