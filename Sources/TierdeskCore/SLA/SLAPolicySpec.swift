import Foundation

/// An SLA policy as admins write it in JSON (its name is given apart, e.g. in the URL). Values stay
/// text until ``policy(named:field:)`` checks them, so errors name the field.
///
/// ```json
/// {"scope": {"serviceId": "…"},
///  "targets": {"P1": {"firstResponse": {"minutes": 15, "calendar": "24x7"}}},
///  "pausingStatuses": ["pending_customer", "on_hold"], "warningShare": 0.75,
///  "escalation": {"warning": ["notifyOwner"], "breach": ["notifyGroupLead"]}}
/// ```
public struct SLAPolicySpec: Codable, Sendable, Equatable {
    /// Which tickets the policy is for: a service, an organisation, or (absent) every ticket.
    public struct Scope: Codable, Sendable, Equatable {
        public var serviceId: UUID?
        public var organisationId: UUID?

        public init(serviceId: UUID? = nil, organisationId: UUID? = nil) {
            self.serviceId = serviceId
            self.organisationId = organisationId
        }
    }

    public var scope: Scope?
    public var targets: [String: [String: SLATarget]]
    public var pausingStatuses: [String]?
    public var warningShare: Double?
    public var escalation: [String: [String]]?

    public init(
        scope: Scope?,
        targets: [String: [String: SLATarget]],
        pausingStatuses: [String]?,
        warningShare: Double?,
        escalation: [String: [String]]?
    ) {
        self.scope = scope
        self.targets = targets
        self.pausingStatuses = pausingStatuses
        self.warningShare = warningShare
        self.escalation = escalation
    }

    /// The spec of a policy, every value spelled out.
    public init(_ policy: SLAPolicy) {
        switch policy.scope {
        case .everyone: scope = nil
        case .service(let id): scope = Scope(serviceId: id)
        case .organisation(let id): scope = Scope(organisationId: id)
        }
        targets = Dictionary(
            uniqueKeysWithValues: policy.targets.map { priority, clocks in
                (priority.rawValue, Dictionary(uniqueKeysWithValues: clocks.map { ($0.key.rawValue, $0.value) }))
            }
        )
        pausingStatuses = policy.pausingStatuses.map(\.rawValue).sorted()
        warningShare = policy.warningShare
        escalation = Dictionary(
            uniqueKeysWithValues: policy.escalation.map { ($0.key.rawValue, $0.value.map(\.rawValue)) }
        )
    }

    /// Checks the values that stand on their own and builds the policy. Whether its calendars exist and
    /// its scope is free is checked with the rest of the settings (``SLAConfiguration``).
    public func policy(named name: String, field: String = "policy") throws(ValidationFailure) -> SLAPolicy {
        var errors: [FieldError] = []
        var policyScope = SLAScope.everyone
        switch (scope?.serviceId, scope?.organisationId) {
        case (let service?, nil): policyScope = .service(service)
        case (nil, let organisation?): policyScope = .organisation(organisation)
        case (nil, nil): break
        case (.some, .some):
            errors.append(FieldError(field: "\(field).scope", message: "names a service or an organisation, not both"))
        }
        var byPriority: [Priority: [SLAClockKind: SLATarget]] = [:]
        for (key, clocks) in targets {
            guard let priority = Priority(rawValue: key) else {
                errors.append(
                    FieldError(
                        field: "\(field).targets.\(key.prefix(20))",
                        message: "must be one of \(Priority.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                )
                continue
            }
            for (clockKey, target) in clocks {
                guard let clock = SLAClockKind(rawValue: clockKey) else {
                    errors.append(
                        FieldError(
                            field: "\(field).targets.\(key).\(clockKey.prefix(20))",
                            message: "must be one of \(SLAClockKind.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    )
                    continue
                }
                byPriority[priority, default: [:]][clock] = target
            }
        }
        var pausing: Set<TicketStatus> = []
        for (index, text) in (pausingStatuses ?? [TicketStatus.pendingCustomer.rawValue, TicketStatus.onHold.rawValue])
            .enumerated()
        {
            guard let status = TicketStatus(rawValue: text) else {
                errors.append(
                    FieldError(
                        field: "\(field).pausingStatuses[\(index)]",
                        message: "must be a ticket status such as pending_customer or on_hold"
                    )
                )
                continue
            }
            pausing.insert(status)
        }
        var actions = SLAPolicy.standardEscalation
        if let escalation {
            actions = [:]
            for (key, names) in escalation {
                guard let level = SLAAlarm.Level(rawValue: key) else {
                    errors.append(
                        FieldError(field: "\(field).escalation.\(key.prefix(20))", message: "must be warning or breach")
                    )
                    continue
                }
                actions[level] = names.enumerated()
                    .compactMap { index, name in
                        guard let action = SLAEscalationAction(rawValue: name) else {
                            errors.append(
                                FieldError(
                                    field: "\(field).escalation.\(key)[\(index)]",
                                    message:
                                        "must be one of \(SLAEscalationAction.allCases.map(\.rawValue).joined(separator: ", "))"
                                )
                            )
                            return nil
                        }
                        return action
                    }
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return SLAPolicy(
            name: name,
            scope: policyScope,
            targets: byPriority,
            pausingStatuses: pausing,
            warningShare: warningShare ?? 0.75,
            escalation: actions
        )
    }
}

/// All SLA settings in the same JSON shapes, as they are stored.
public struct SLAConfigurationSpec: Codable, Sendable, Equatable {
    public var calendars: [String: CalendarSpec]
    public var policies: [String: SLAPolicySpec]

    public init(_ configuration: SLAConfiguration) {
        calendars = configuration.calendars.mapValues(CalendarSpec.init)
        policies = Dictionary(uniqueKeysWithValues: configuration.policies.map { ($0.name, SLAPolicySpec($0)) })
    }

    public func configuration() throws(ValidationFailure) -> SLAConfiguration {
        var errors: [FieldError] = []
        var named: [String: BusinessCalendar] = [:]
        for (name, spec) in calendars {
            do { named[name] = try spec.calendar(field: "calendars.\(name)") } catch { errors += error.errors }
        }
        var built: [SLAPolicy] = []
        for (name, spec) in policies {
            do { built.append(try spec.policy(named: name, field: "policies.\(name)")) } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try SLAConfiguration(calendars: named, policies: built)
    }
}
