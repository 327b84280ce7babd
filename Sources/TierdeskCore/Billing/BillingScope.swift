import Foundation

/// Whether a ticket's work is covered by the plan, is the client's own fault, or moved to a project.
public struct BillingScope: Sendable, Equatable {
    public enum Kind: String, StringEnum, Sendable {
        /// Covered by the plan: the default for every ticket.
        case inScope = "in_scope"
        /// The client's own fault, answered with guidance only: its time is never billed.
        case guidanceOnly = "guidance_only"
        /// The client's own fault, fixed at the out-of-scope rate with the requester's consent.
        case outOfScope = "out_of_scope"
        /// Split into a project: its time is billed with the project, and the ticket's SLA clocks stop.
        case project

        /// The category logged time on a ticket of this scope is billed as, given the one it was logged
        /// with: out-of-scope and project tickets bill all their time that way.
        public func billedCategory(_ logged: TimeCategory) -> TimeCategory {
            switch self {
            case .inScope, .guidanceOnly: logged
            case .outOfScope: .outOfScope
            case .project: .project
            }
        }

        public var label: String {
            switch self {
            case .inScope: "In scope"
            case .guidanceOnly: "Out of scope: guidance only"
            case .outOfScope: "Out of scope: billable with consent"
            case .project: "Moved to a project"
            }
        }
    }

    public var ticketID: UUID
    public var kind: Kind
    /// How the requester agreed to pay (for ``Kind/outOfScope``), e.g. "agreed by phone with Jo Smith".
    public var consent: String?
    /// The project the work moved to (for ``Kind/project``).
    public var projectID: UUID?
    public var decidedBy: UUID
    public var decidedAt: Date

    public init(ticketID: UUID, kind: Kind, consent: String?, projectID: UUID?, decidedBy: UUID, decidedAt: Date) {
        self.ticketID = ticketID
        self.kind = kind
        self.consent = consent
        self.projectID = projectID
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }

    /// Whether logged time on a ticket of this scope is billed at all.
    public var billsTime: Bool { kind != .guidanceOnly }

    /// Checks the consent rule: billable out-of-scope work needs the requester's consent in words.
    public static func consent(for kind: Kind, _ text: String?) throws(ValidationFailure) -> String? {
        var errors: [FieldError] = []
        let cleaned = text.map { TextLimits.line($0, field: "consent", maxCharacters: 300, errors: &errors) }
        if kind == .outOfScope, cleaned?.isEmpty ?? true {
            errors.append(
                FieldError(
                    field: "consent",
                    message: "must say how the requester agreed to pay the out-of-scope rate (who, when, how)"
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return kind == .outOfScope ? cleaned : nil
    }
}
