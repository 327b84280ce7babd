import Foundation

/// The review written after a major incident: what happened, why, what helped, and what will be done so
/// it does not happen again. A Sev1 incident cannot be closed without one (``IncidentPolicy``). Its customer
/// version leaves out the internal fields (contributing factors, what went well, owners of action items).
public struct PostIncidentReview: Sendable, Equatable, Codable {
    /// One thing to do after the incident, tracked as a ticket when one is named.
    public struct ActionItem: Sendable, Equatable, Codable {
        public var title: String
        public var ownerID: UUID?
        public var due: String?
        /// The problem or task ticket that tracks it (`TD-12`).
        public var ticket: String?

        public init(title: String, ownerID: UUID? = nil, due: String? = nil, ticket: String? = nil) {
            self.title = title
            self.ownerID = ownerID
            self.due = due
            self.ticket = ticket
        }
    }

    public var summary: String
    public var impact: String
    public var rootCause: String
    public var contributingFactors: String
    public var wentWell: String
    public var actionItems: [ActionItem]
    /// The Known Error Database article written from it, when a known error resulted (`KE-3`).
    public var knownError: String?
    /// What the affected organisations are told; the summary when empty.
    public var customerSummary: String

    public init(
        summary: String,
        impact: String,
        rootCause: String,
        contributingFactors: String = "",
        wentWell: String = "",
        actionItems: [ActionItem] = [],
        knownError: String? = nil,
        customerSummary: String = ""
    ) {
        self.summary = summary
        self.impact = impact
        self.rootCause = rootCause
        self.contributingFactors = contributingFactors
        self.wentWell = wentWell
        self.actionItems = actionItems
        self.knownError = knownError
        self.customerSummary = customerSummary
    }

    /// Longest text field, in characters.
    public static let maxText = 20_000
    /// Most action items.
    public static let maxActionItems = 50

    /// The review with its texts trimmed, or every field that is wrong.
    public func checked() throws(ValidationFailure) -> PostIncidentReview {
        var errors: [FieldError] = []
        var review = self
        func text(_ value: String, _ field: String, required: Bool) -> String {
            let trimmed = value.trimmingWhitespace()
            if required, trimmed.isEmpty {
                errors.append(FieldError(field: field, message: "must not be empty"))
            } else if trimmed.count > Self.maxText {
                errors.append(FieldError(field: field, message: "must be at most \(Self.maxText) characters"))
            } else if trimmed.utf8.contains(0) {
                errors.append(FieldError(field: field, message: "must not contain NUL characters"))
            }
            return trimmed
        }
        review.summary = text(summary, "summary", required: true)
        review.impact = text(impact, "impact", required: true)
        review.rootCause = text(rootCause, "rootCause", required: true)
        review.contributingFactors = text(contributingFactors, "contributingFactors", required: false)
        review.wentWell = text(wentWell, "wentWell", required: false)
        review.customerSummary = text(customerSummary, "customerSummary", required: false)
        if actionItems.count > Self.maxActionItems {
            errors.append(FieldError(field: "actionItems", message: "must list at most \(Self.maxActionItems) items"))
        }
        for (index, item) in actionItems.enumerated() {
            let field = "actionItems[\(index)]"
            review.actionItems[index].title = TextLimits.line(
                item.title,
                field: "\(field).title",
                maxCharacters: TextLimits.title,
                errors: &errors
            )
            if let due = item.due?.trimmingWhitespace(), !due.isEmpty {
                if LocalDate(due) == nil {
                    errors.append(FieldError(field: "\(field).due", message: "must be a date such as 2026-12-31"))
                }
                review.actionItems[index].due = due
            } else {
                review.actionItems[index].due = nil
            }
            if let ticket = item.ticket?.trimmingWhitespace(), !ticket.isEmpty {
                guard TicketReference.number(in: ticket) != nil else {
                    errors.append(
                        FieldError(field: "\(field).ticket", message: "must be a ticket reference such as TD-12")
                    )
                    continue
                }
                review.actionItems[index].ticket = ticket.uppercased()
            } else {
                review.actionItems[index].ticket = nil
            }
        }
        if let article = knownError?.trimmingWhitespace(), !article.isEmpty {
            review.knownError = article.uppercased()
        } else {
            review.knownError = nil
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return review
    }

    /// What the affected organisations may read.
    public var customerText: String { customerSummary.isEmpty ? summary : customerSummary }
}
