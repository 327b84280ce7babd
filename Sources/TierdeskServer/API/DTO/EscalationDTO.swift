import Foundation
import TierdeskCore

/// `POST /api/v1/tickets/{reference}/escalations`: the hand-off and the evidence its gate asks for.
struct EscalationDTO: Decodable {
    var version: Int
    var tier: Tier?
    var group: String?
    var ownerId: UUID?
    var reason: String
    var tried: String?
    var logExcerpt: String?
    var noEvidenceReason: String?
    var reproductionSteps: String?
    var logExtract: String?
    var reproducedIn: String?
    var rootCause: RootCause?
    var vendorId: UUID?
    var vendorReference: String?
    var businessImpact: BusinessImpact?

    var request: EscalationRequest {
        EscalationRequest(
            tier: tier,
            group: group,
            ownerID: ownerId,
            reason: reason,
            tried: tried,
            logExcerpt: logExcerpt,
            noEvidenceReason: noEvidenceReason,
            reproductionSteps: reproductionSteps,
            logExtract: logExtract,
            reproducedIn: reproducedIn,
            rootCause: rootCause,
            vendorID: vendorId,
            vendorReference: vendorReference,
            businessImpact: businessImpact
        )
    }
}

/// `POST /api/v1/tickets/{reference}/workaround`.
struct WorkaroundDTO: Decodable {
    var version: Int
    var description: String
    var downgrade: Bool?
}

/// `POST /api/v1/tickets/{reference}/deescalations`.
struct DeescalationDTO: Decodable {
    var version: Int
    var tier: Tier?
    var note: String
}
