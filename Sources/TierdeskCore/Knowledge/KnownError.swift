import Foundation

/// How far the permanent fix of a known error has come.
public enum FixStatus: String, Sendable, Codable, CaseIterable {
    /// Only a workaround exists.
    case workaroundOnly = "workaround_only"
    /// A fix is being built (by L3 or the vendor).
    case fixInProgress = "fix_in_progress"
    /// The fix is released.
    case fixed
}

/// An article of the Known Error Database: a symptom, its root cause and how to get around or fix it,
/// and the lowest tier allowed to apply it (L1 once it is documented well enough).
public struct KnownError: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The number behind the reference `KE-<number>`.
    public var number: Int
    public var title: String
    public var symptom: String
    public var rootCause: String
    public var workaround: String
    public var fixStatus: FixStatus
    public var serviceIDs: [UUID]
    /// The problem ticket that groups the incidents with this root cause.
    public var problemTicketID: UUID?
    public var lowestTier: Tier
    /// Shown to customers in the portal (title, symptom, workaround and fix status; never the root cause).
    public var isPublic: Bool
    public var createdBy: UUID
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID,
        number: Int,
        title: String,
        symptom: String,
        rootCause: String,
        workaround: String,
        fixStatus: FixStatus,
        serviceIDs: [UUID],
        problemTicketID: UUID?,
        lowestTier: Tier,
        createdBy: UUID,
        createdAt: Date,
        updatedAt: Date,
        isPublic: Bool = false
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.symptom = symptom
        self.rootCause = rootCause
        self.workaround = workaround
        self.fixStatus = fixStatus
        self.serviceIDs = serviceIDs
        self.problemTicketID = problemTicketID
        self.lowestTier = lowestTier
        self.isPublic = isPublic
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The human reference, e.g. `KE-12`.
    public var reference: String { Self.prefix + String(number) }

    public static let prefix = "KE-"

    /// The number in a reference such as `KE-12` (any case); nil otherwise.
    public static func number(in reference: String) -> Int? {
        TicketReference.number(in: reference, prefix: prefix)
    }
}

/// What a writer gives for a new or changed article.
public struct KnownErrorDraft: Sendable, Equatable {
    public var title: String
    public var symptom: String
    public var rootCause: String
    public var workaround: String
    public var fixStatus: FixStatus
    public var serviceIDs: [UUID]
    public var problemTicketID: UUID?
    public var lowestTier: Tier
    /// Shown to customers in the portal.
    public var isPublic: Bool

    public init(
        title: String,
        symptom: String,
        rootCause: String,
        workaround: String,
        fixStatus: FixStatus = .workaroundOnly,
        serviceIDs: [UUID] = [],
        problemTicketID: UUID? = nil,
        lowestTier: Tier = .l1,
        isPublic: Bool = false
    ) {
        self.title = title
        self.symptom = symptom
        self.rootCause = rootCause
        self.workaround = workaround
        self.fixStatus = fixStatus
        self.serviceIDs = serviceIDs
        self.problemTicketID = problemTicketID
        self.lowestTier = lowestTier
        self.isPublic = isPublic
    }

    /// Checks the texts; the tier that may apply it is L1 to L3 (the vendor does not apply articles).
    public func validated() throws(ValidationFailure) -> KnownErrorDraft {
        var errors: [FieldError] = []
        var draft = self
        draft.title = TextLimits.line(title, field: "title", maxCharacters: TextLimits.title, errors: &errors)
        for (value, field) in [(symptom, "symptom"), (rootCause, "rootCause"), (workaround, "workaround")] {
            _ = TextLimits.body(value, field: field, errors: &errors)
        }
        if lowestTier == .l4 {
            errors.append(
                FieldError(field: "lowestTier", message: "must be L1, L2 or L3: the vendor does not apply articles")
            )
        }
        if Set(serviceIDs).count != serviceIDs.count {
            errors.append(FieldError(field: "serviceIds", message: "names a service twice"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return draft
    }
}
