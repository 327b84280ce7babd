import Foundation

/// Seed 004's two weeks' notice: a service request or a P4/P5 ticket with a needed-by date closer than
/// the plan's notice days gets no promise for that date; with enough notice the date becomes its due date.
public enum NoticeRule {
    /// Two weeks.
    public static let standardDays = 14
    /// The tag that flags a request that gave too little notice.
    public static let shortNoticeTag = "short-notice"
    /// The acknowledgement's words when too little notice was given, until an admin changes them.
    public static let standardReply =
        "You asked for this by {{neededBy}}. Requests like this need {{noticeDays}} days' notice, so we cannot promise that date; we will tell you as soon as we can give you one."

    public enum Outcome: Sendable, Equatable {
        /// Not a request the rule applies to, or no needed-by date.
        case notApplicable
        /// Enough notice: the needed-by date is promised as the due date.
        case enoughNotice(due: Date)
        /// Too little notice: nothing is promised for the date.
        case shortNotice
    }

    /// Whether the rule applies: service requests and P4/P5 tickets.
    public static func applies(type: TicketType, priority: Priority) -> Bool {
        type == .serviceRequest || priority == .p4 || priority == .p5
    }

    /// Decides a ticket as it opens.
    public static func decide(
        type: TicketType,
        priority: Priority,
        neededBy: Date?,
        openedAt: Date,
        noticeDays: Int
    ) -> Outcome {
        guard let neededBy, applies(type: type, priority: priority) else { return .notApplicable }
        return neededBy.timeIntervalSince(openedAt) < Double(noticeDays) * 86_400
            ? .shortNotice : .enoughNotice(due: neededBy)
    }

    /// The reply from a template: `{{neededBy}}` becomes the date in the desk's time zone, `{{noticeDays}}`
    /// the days of notice, `{{reference}}` the ticket's reference.
    public static func reply(
        template: String,
        neededBy: Date,
        noticeDays: Int,
        reference: String,
        in zone: TimeZone
    ) -> String {
        template.replacingOccurrences(of: "{{neededBy}}", with: LocalTime(neededBy, in: zone).date.description)
            .replacingOccurrences(of: "{{noticeDays}}", with: String(noticeDays))
            .replacingOccurrences(of: "{{reference}}", with: reference)
    }

    /// Checks an admin's template: one to 2,000 characters, naming `{{neededBy}}`.
    public static func validated(template: String) throws(ValidationFailure) -> String {
        var errors: [FieldError] = []
        let cleaned = TextLimits.body(template, field: "shortNoticeReply", errors: &errors)
        if cleaned.count > 2_000 {
            errors.append(FieldError(field: "shortNoticeReply", message: "must be at most 2000 characters"))
        }
        if !cleaned.contains("{{neededBy}}") {
            errors.append(
                FieldError(field: "shortNoticeReply", message: "must say the date asked for with {{neededBy}}")
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return cleaned
    }
}

extension NoticeRule {
    /// Applies the rule to a ticket as it opens: a request with too little notice is tagged
    /// ``shortNoticeTag`` and answered with the template's words (a public reply from the desk, which does
    /// not count as the first response). Returns the ticket and the events to store with it.
    public static func apply(
        to ticket: Ticket,
        noticeDays: Int,
        template: String,
        in zone: TimeZone,
        at now: Date
    ) -> (Ticket, [TicketEvent]) {
        let outcome = decide(
            type: ticket.type,
            priority: ticket.priority,
            neededBy: ticket.requestedBy,
            openedAt: now,
            noticeDays: noticeDays
        )
        guard outcome == .shortNotice, let neededBy = ticket.requestedBy else { return (ticket, []) }
        var flagged = ticket
        if !flagged.tags.contains(shortNoticeTag) { flagged.tags.append(shortNoticeTag) }
        let text = reply(
            template: template,
            neededBy: neededBy,
            noticeDays: noticeDays,
            reference: ticket.reference,
            in: zone
        )
        return (flagged, [TicketEvent(ticketID: ticket.id, kind: .publicReply, actorID: nil, at: now, body: text)])
    }
}

/// Billing settings admins edit: the words of the short-notice acknowledgement.
public struct BillingSettings: Sendable, Equatable, Codable {
    public var shortNoticeReply: String

    public init(shortNoticeReply: String = NoticeRule.standardReply) {
        self.shortNoticeReply = shortNoticeReply
    }
}

extension NoticeRule {
    /// The hour of the day a needed-by date means: close of business, 17:00 local time.
    public static let closeOfBusinessMinutes = 17 * 60

    /// The instant a needed-by day means in the desk's time zone: 17:00 that day.
    public static func instant(neededBy day: LocalDate, in zone: TimeZone) -> Date {
        ZonedTime.instant(day, minutes: closeOfBusinessMinutes, in: zone)
    }

    /// A needed-by date written in a mail: a line `Needed by: 2026-12-20` (or `Needed-by:`), in any case,
    /// among the first 50 lines. Nil without one or with a date that does not exist.
    public static func neededBy(inText text: String) -> LocalDate? {
        for line in text.split(whereSeparator: \.isNewline).prefix(50) {
            let trimmed = line.trimmingWhitespace()
            let lower = trimmed.lowercased()
            for keyword in ["needed by:", "needed-by:"] where lower.hasPrefix(keyword) {
                let value = trimmed.dropFirst(keyword.count).trimmingWhitespace()
                return LocalDate(String(value.prefix(10)))
            }
        }
        return nil
    }
}
