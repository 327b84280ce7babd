import Foundation

/// Who is paged, in which order, and how long each step waits for an acknowledgement before the next.
/// After the last step the chain starts again from the first, `repeats` times.
public struct EscalationPolicy: Sendable, Equatable, Identifiable, Codable {
    /// Whom one step notifies.
    public enum Target: Sendable, Equatable, Codable {
        /// Whoever holds the role on the schedule when the step is sent.
        case schedule(UUID, OnCallRole)
        /// A named person, e.g. the duty manager.
        case person(UUID)
    }

    public struct Step: Sendable, Equatable, Codable {
        public var target: Target
        /// Minutes to wait for an acknowledgement before the next step.
        public var waitMinutes: Int

        public init(target: Target, waitMinutes: Int) {
            self.target = target
            self.waitMinutes = waitMinutes
        }
    }

    public var id: UUID
    public var name: String
    public var steps: [Step]
    public var repeats: Int

    public init(id: UUID, name: String, steps: [Step], repeats: Int = 0) {
        self.id = id
        self.name = name
        self.steps = steps
        self.repeats = repeats
    }

    public static let maxSteps = 10
    public static let maxRepeats = 5

    /// How many steps a page goes through at most: every step, once and then once per repeat.
    public var stepCount: Int { steps.count * (repeats + 1) }

    /// Step `index` of the whole chain, counting repeats; nil past the end.
    public func step(_ index: Int) -> Step? {
        guard index >= 0, index < stepCount, !steps.isEmpty else { return nil }
        return steps[index % steps.count]
    }

    /// The schedules its steps name.
    public var scheduleIDs: Set<UUID> {
        Set(steps.compactMap { if case .schedule(let id, _) = $0.target { id } else { nil } })
    }

    /// Minutes a person paged before a policy's steps has to acknowledge.
    public static let firstPersonWaitMinutes = 5

    /// The policy with `person` paged first: the chain a page with ``OnCallPage/personID`` walks.
    public func paging(first person: UUID) -> EscalationPolicy {
        var policy = self
        policy.steps.insert(Step(target: .person(person), waitMinutes: Self.firstPersonWaitMinutes), at: 0)
        return policy
    }

    /// The people its steps name.
    public var personIDs: Set<UUID> {
        Set(steps.compactMap { if case .person(let id) = $0.target { id } else { nil } })
    }
}

/// A policy as admins write it in JSON; ``policy(id:)`` checks it.
public struct EscalationPolicySpec: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        /// A schedule whose `role` holder is notified, or …
        public var scheduleId: UUID?
        public var role: OnCallRole?
        /// … a named person.
        public var personId: UUID?
        public var waitMinutes: Int

        public init(scheduleId: UUID? = nil, role: OnCallRole? = nil, personId: UUID? = nil, waitMinutes: Int) {
            self.scheduleId = scheduleId
            self.role = role
            self.personId = personId
            self.waitMinutes = waitMinutes
        }
    }

    public var name: String
    public var steps: [Step]
    public var repeats: Int?

    public init(name: String, steps: [Step], repeats: Int? = nil) {
        self.name = name
        self.steps = steps
        self.repeats = repeats
    }

    public init(_ policy: EscalationPolicy) {
        name = policy.name
        repeats = policy.repeats
        steps = policy.steps.map { step in
            switch step.target {
            case .schedule(let id, let role): Step(scheduleId: id, role: role, waitMinutes: step.waitMinutes)
            case .person(let id): Step(personId: id, waitMinutes: step.waitMinutes)
            }
        }
    }

    /// Checks every value; that the schedules and people exist is for the caller to check.
    public func policy(id: UUID) throws(ValidationFailure) -> EscalationPolicy {
        var errors: [FieldError] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.count > 120 {
            errors.append(FieldError(field: "name", message: "must be 1 to 120 characters"))
        }
        if steps.isEmpty || steps.count > EscalationPolicy.maxSteps {
            errors.append(FieldError(field: "steps", message: "must hold 1 to \(EscalationPolicy.maxSteps) steps"))
        }
        let repeats = self.repeats ?? 0
        if !(0...EscalationPolicy.maxRepeats).contains(repeats) {
            errors.append(FieldError(field: "repeats", message: "must be 0 to \(EscalationPolicy.maxRepeats)"))
        }
        var built: [EscalationPolicy.Step] = []
        for (index, step) in steps.prefix(EscalationPolicy.maxSteps).enumerated() {
            let field = "steps[\(index)]"
            if !(1...1440).contains(step.waitMinutes) {
                errors.append(FieldError(field: "\(field).waitMinutes", message: "must be 1 to 1440"))
            }
            switch (step.scheduleId, step.personId) {
            case (let schedule?, nil):
                built.append(.init(target: .schedule(schedule, step.role ?? .primary), waitMinutes: step.waitMinutes))
            case (nil, let person?):
                if step.role != nil {
                    errors.append(FieldError(field: "\(field).role", message: "applies to a schedule step only"))
                }
                built.append(.init(target: .person(person), waitMinutes: step.waitMinutes))
            default:
                errors.append(
                    FieldError(field: field, message: "must name either scheduleId (with a role) or personId")
                )
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return EscalationPolicy(id: id, name: trimmed, steps: built, repeats: repeats)
    }
}
