import Foundation

/// A team tickets are routed to (e.g. "MES engineering"), with the lead SLA escalation turns to.
public struct SupportGroup: Sendable, Equatable {
    public var name: String
    /// The tier the group works on, if it belongs to one.
    public var tier: Tier?
    public var leadID: UUID?

    public init(name: String, tier: Tier?, leadID: UUID?) {
        self.name = name
        self.tier = tier
        self.leadID = leadID
    }

    /// Whether the group may hold a ticket at `tier`: a group of no tier takes any; a group of a tier takes
    /// its own; at L4 the vendor works the ticket and the group named is the internal team that follows it.
    public func takes(_ tier: Tier) -> Bool {
        self.tier == nil || self.tier == tier || tier == .l4
    }

    /// Why the group may not hold a ticket at `tier`, for an error message; nil if it may.
    public func refusal(at tier: Tier) -> String? {
        guard !takes(tier), let own = self.tier else { return nil }
        return "\(name) works at \(own.rawValue), not \(tier.rawValue); choose a group of \(tier.rawValue)"
    }

    /// Checks the name and that the lead, if any, is active staff who works tickets.
    public static func validate(name: String, lead: Person?, leadRequested: Bool) throws(ValidationFailure) {
        var errors: [FieldError] = []
        _ = TextLimits.line(name, field: "name", maxCharacters: TextLimits.name, errors: &errors)
        if leadRequested {
            if let lead {
                if !lead.active || lead.roles.isDisjoint(with: [.agent, .manager]) {
                    errors.append(FieldError(field: "leadId", message: "must be an active agent or manager"))
                }
            } else {
                errors.append(FieldError(field: "leadId", message: "names nobody known"))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
