import Foundation

/// A canned response: text an agent puts into a reply, with placeholders filled from the ticket
/// (``TemplateText``). With actions it is a macro: one click sends the reply and sets the status, the group
/// and the owner. Shared templates belong to the desk (managers and admins keep them); personal ones to
/// their owner alone.
public struct ResponseTemplate: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var body: String
    /// Nil for a template the whole desk shares.
    public var ownerID: UUID?
    /// The status a macro sets.
    public var status: TicketStatus?
    /// The group a macro hands the ticket to.
    public var group: String?
    /// Whether a macro makes the agent who applies it the owner.
    public var assignToMe: Bool
    public var createdAt: Date

    public init(
        id: UUID,
        name: String,
        body: String,
        ownerID: UUID?,
        status: TicketStatus? = nil,
        group: String? = nil,
        assignToMe: Bool = false,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.body = body
        self.ownerID = ownerID
        self.status = status
        self.group = group
        self.assignToMe = assignToMe
        self.createdAt = createdAt
    }

    /// Whether applying it changes the ticket as well as replying.
    public var isMacro: Bool { status != nil || group != nil || assignToMe }

    /// Checks a template as typed: a name of one line, a body with known placeholders only, a status a macro
    /// may set (not `new`), a group name of one line. Every problem is named.
    public static func validate(name: String, body: String, status: TicketStatus?, group: String?)
        throws(ValidationFailure)
    {
        var errors: [FieldError] = []
        _ = TextLimits.line(name, field: "name", maxCharacters: TextLimits.label, errors: &errors)
        _ = TextLimits.body(body, field: "body", errors: &errors)
        let unknown = TemplateText.unknownPlaceholders(in: body)
        if !unknown.isEmpty {
            errors.append(
                FieldError(
                    field: "body",
                    message: "uses \(unknown.map { "{\($0)}" }.joined(separator: ", ")), which is not a placeholder; "
                        + "use \(TemplateText.Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", "))"
                )
            )
        }
        if status == .new {
            errors.append(FieldError(field: "status", message: "a macro cannot set a ticket back to new"))
        }
        if let group { _ = TextLimits.line(group, field: "group", maxCharacters: TextLimits.label, errors: &errors) }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
