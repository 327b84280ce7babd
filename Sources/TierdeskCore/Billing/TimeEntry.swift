import Foundation

/// Time someone worked on a ticket, as they logged it: the one time record. It bills the client (when
/// ``billable``, by its ``category``) and, on a Sev1 or Sev2 ticket or one that paged, its out-of-hours part
/// earns time off in lieu.
public struct TimeEntry: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var personID: UUID
    public var ticketID: UUID
    public var start: Date
    public var end: Date
    public var note: String
    /// Whether the client pays for it (inside the plan's hours or at a rate, by category).
    public var billable: Bool
    public var category: TimeCategory
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(
        id: UUID = .timeOrdered(),
        personID: UUID,
        ticketID: UUID,
        start: Date,
        end: Date,
        note: String,
        billable: Bool = true,
        category: TimeCategory = .breakFix,
        recordedBy: UUID,
        recordedAt: Date
    ) {
        self.id = id
        self.personID = personID
        self.ticketID = ticketID
        self.start = start
        self.end = end
        self.note = note
        self.billable = billable
        self.category = category
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// Whole minutes worked (seconds dropped).
    public var minutes: Int { Int(end.timeIntervalSince(start) / 60) }

    /// Longest stretch logged at once.
    public static let maxLength: TimeInterval = 24 * 3600
    /// Longest note, in characters.
    public static let maxNote = 500

    /// Checks a stretch of work before it is logged: forward, at most ``maxLength``, over by `now`, with a
    /// short note of what was done. Returns the note, trimmed.
    public static func validated(start: Date, end: Date, note: String, now: Date) throws(ValidationFailure) -> String {
        var errors: [FieldError] = []
        if end <= start {
            errors.append(FieldError(field: "end", message: "must be after start"))
        } else if end.timeIntervalSince(start) > maxLength {
            errors.append(
                FieldError(field: "end", message: "must be at most 24 hours after start; log a longer stretch in parts")
            )
        }
        if end > now {
            errors.append(FieldError(field: "end", message: "must not be in the future: log work once it is done"))
        }
        let cleaned = TextLimits.line(note, field: "note", maxCharacters: maxNote, errors: &errors)
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return cleaned
    }
}
