import Foundation

/// Every SLA setting admins edit: named calendars and the policies that count in them.
///
/// Built only through ``init(calendars:policies:)``, which checks that the whole set fits together:
/// exactly one default policy, one policy per scope, and every target counted in a calendar that exists.
public struct SLAConfiguration: Sendable, Equatable {
    /// Named calendars, without the built-in 24x7.
    public private(set) var calendars: [String: BusinessCalendar]
    /// The policies, default first, then by name; each with the calendars it names.
    public private(set) var policies: [SLAPolicy]
    private var byScope: [SLAScope: Int]
    /// The policies organisations' support contracts bring; read from the contracts, not edited here.
    public var contractPolicies = ContractPolicies()

    /// The seed: the office calendar and the standard policy for everyone.
    public static let standard = try! SLAConfiguration(
        calendars: [SLAPolicy.officeCalendarName: SLAPolicy.standardOffice],
        policies: [.standard]
    )

    public init(calendars: [String: BusinessCalendar], policies: [SLAPolicy]) throws(ValidationFailure) {
        var errors: [FieldError] = []
        for name in calendars.keys.sorted() {
            if let message = Self.nameProblem(name) {
                errors.append(FieldError(field: "calendars.\(name.prefix(40))", message: message))
            }
            if name == BusinessCalendar.twentyFourSevenName {
                errors.append(FieldError(field: "calendars.\(name)", message: "is built in and cannot be changed"))
            }
        }
        var names: Set<String> = []
        var scopes: [SLAScope: Int] = [:]
        let ordered = policies.sorted {
            ($0.scope == .everyone ? 0 : 1, $0.name) < ($1.scope == .everyone ? 0 : 1, $1.name)
        }
        for (index, policy) in ordered.enumerated() {
            let field = "policies.\(policy.name.prefix(40))"
            if let message = Self.nameProblem(policy.name) { errors.append(FieldError(field: field, message: message)) }
            if !names.insert(policy.name).inserted {
                errors.append(FieldError(field: field, message: "is named twice"))
            }
            if scopes.updateValue(index, forKey: policy.scope) != nil {
                errors.append(
                    FieldError(field: "\(field).scope", message: "another policy already applies to the same tickets")
                )
            }
            errors += Self.problems(in: policy, field: field, calendars: calendars)
        }
        if scopes[.everyone] == nil {
            errors.append(
                FieldError(field: "policies", message: "must keep one default policy that applies to every ticket")
            )
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        self.calendars = calendars
        self.policies = ordered.map { policy in
            var policy = policy
            let used = Set(policy.targets.values.flatMap(\.values).map(\.calendar))
            policy.calendars = calendars.filter { used.contains($0.key) }
            return policy
        }
        byScope = scopes
    }

    /// The policy for a ticket: its service's, else that of its organisation's contract when it opened,
    /// else its organisation's, else the default.
    public func policy(for ticket: Ticket) -> SLAPolicy {
        if let index = ticket.serviceID.flatMap({ byScope[.service($0)] }) { return policies[index] }
        if let name = contractPolicies.policy(for: ticket.organisationID, at: ticket.createdAt),
            let policy = policy(named: name)
        {
            return policy
        }
        return policies[byScope[.organisation(ticket.organisationID)] ?? byScope[.everyone]!]
    }

    /// The policy with this name.
    public func policy(named name: String) -> SLAPolicy? {
        policies.first { $0.name == name }
    }

    /// The names of the policies that count in a calendar (the built-in 24x7 too).
    public func policies(using calendar: String) -> [String] {
        policies.filter { $0.targets.values.contains { $0.values.contains { $0.calendar == calendar } } }.map(\.name)
    }

    /// Adds or replaces a calendar.
    public func setting(calendar: BusinessCalendar, named name: String) throws(ValidationFailure) -> SLAConfiguration {
        var calendars = calendars
        calendars[name] = calendar
        return try SLAConfiguration(calendars: calendars, policies: policies).keeping(contractPolicies)
    }

    /// Removes a calendar that no policy uses.
    public func removing(calendar name: String) throws(ValidationFailure) -> SLAConfiguration {
        let users = policies(using: name)
        guard users.isEmpty else {
            throw ValidationFailure(
                field: "name",
                message: "is used by the policies \(users.joined(separator: ", ")); change them first"
            )
        }
        var calendars = calendars
        calendars[name] = nil
        return try SLAConfiguration(calendars: calendars, policies: policies).keeping(contractPolicies)
    }

    /// Adds or replaces a policy (by name).
    public func setting(policy: SLAPolicy) throws(ValidationFailure) -> SLAConfiguration {
        try SLAConfiguration(calendars: calendars, policies: policies.filter { $0.name != policy.name } + [policy])
            .keeping(contractPolicies)
    }

    /// Removes a policy; the default one stays.
    public func removing(policy name: String) throws(ValidationFailure) -> SLAConfiguration {
        try SLAConfiguration(calendars: calendars, policies: policies.filter { $0.name != name })
            .keeping(contractPolicies)
    }

    /// The same configuration with the contracts' policies.
    public func keeping(_ contracts: ContractPolicies) -> SLAConfiguration {
        var copy = self
        copy.contractPolicies = contracts
        return copy
    }

    /// Names are short identifiers that read well in URLs: letters, digits, `-`, `_` and `.`.
    static func nameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))
        }
        return !name.isEmpty && name.count <= 64 && allowed ? nil : "must be 1 to 64 letters, digits, '-', '_' or '.'"
    }

    private static func problems(in policy: SLAPolicy, field: String, calendars: [String: BusinessCalendar])
        -> [FieldError]
    {
        var errors: [FieldError] = []
        for priority in Priority.allCases {
            for (clock, target) in policy.targets[priority] ?? [:] {
                let path = "\(field).targets.\(priority.rawValue).\(clock.rawValue)"
                if !(1...SLATarget.maximumMinutes).contains(target.minutes) {
                    errors.append(
                        FieldError(
                            field: "\(path).minutes",
                            message: "must be between 1 and \(SLATarget.maximumMinutes) minutes"
                        )
                    )
                }
                if target.calendar != BusinessCalendar.twentyFourSevenName, calendars[target.calendar] == nil {
                    errors.append(
                        FieldError(
                            field: "\(path).calendar",
                            message:
                                "names no calendar; use 24x7 or one of: \(calendars.keys.sorted().joined(separator: ", "))"
                        )
                    )
                }
            }
        }
        if !(policy.warningShare > 0 && policy.warningShare < 1) {
            errors.append(FieldError(field: "\(field).warningShare", message: "must be more than 0 and less than 1"))
        }
        if let open = policy.pausingStatuses.first(where: { !$0.isOpen }) {
            errors.append(
                FieldError(
                    field: "\(field).pausingStatuses",
                    message: "\(open.rawValue) is not an open status; only open statuses can pause clocks"
                )
            )
        }
        return errors
    }
}

extension SLAConfiguration: SLAPlanner {
    public func plan(for ticket: Ticket, history: [TicketEvent]) -> SLAPlan {
        policy(for: ticket).plan(for: ticket, history: history)
    }

    public func escalation(for ticket: Ticket, at level: SLAAlarm.Level) -> [SLAEscalationAction] {
        policy(for: ticket).escalation[level] ?? []
    }
}
