import Foundation
import TierdeskCore

/// A Known Error Database article as the API shows it.
struct KnownErrorDTO: Encodable {
    var reference: String
    var id: UUID
    var title: String
    var symptom: String
    var rootCause: String
    var workaround: String
    var fixStatus: FixStatus
    var serviceIds: [UUID]
    @Nullable var problemTicketId: UUID?
    var lowestTier: Tier
    var `public`: Bool
    var createdBy: UUID
    var createdAt: String
    var updatedAt: String

    init(_ article: KnownError) {
        reference = article.reference
        id = article.id
        title = article.title
        symptom = article.symptom
        rootCause = article.rootCause
        workaround = article.workaround
        fixStatus = article.fixStatus
        serviceIds = article.serviceIDs
        problemTicketId = article.problemTicketID
        lowestTier = article.lowestTier
        `public` = article.isPublic
        createdBy = article.createdBy
        createdAt = Timestamp.format(article.createdAt)
        updatedAt = Timestamp.format(article.updatedAt)
    }
}

/// A new or replaced article.
struct KnownErrorInputDTO: Decodable {
    var title: String
    var symptom: String
    var rootCause: String
    var workaround: String
    var fixStatus: FixStatus?
    var serviceIds: [UUID]?
    /// The problem ticket's reference, e.g. TD-1042.
    var problemTicket: String?
    var lowestTier: Tier?
    var `public`: Bool?

    /// The article's content as the desk takes it; the problem ticket is passed beside it.
    var draft: KnownErrorDraft {
        KnownErrorDraft(
            title: title,
            symptom: symptom,
            rootCause: rootCause,
            workaround: workaround,
            fixStatus: fixStatus ?? .workaroundOnly,
            serviceIDs: serviceIds ?? [],
            lowestTier: lowestTier ?? .l1,
            isPublic: `public` ?? false
        )
    }
}

/// `POST /api/v1/tickets/{reference}/known-error`.
struct ApplyKnownErrorDTO: Decodable {
    var version: Int
    var knownError: String
    var resolve: Bool?
}
