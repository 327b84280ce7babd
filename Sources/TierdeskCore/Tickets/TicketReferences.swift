import Foundation

/// The records a draft or a change names, looked up by the caller before the command runs.
/// A name that was given but not found is `nil` here, and the command reports the field.
public struct TicketReferences: Sendable {
    public var requester: Person?
    public var service: Service?
    public var owner: Person?
    /// The organisation a draft names, for a requester who belongs to none (staff opening a ticket).
    public var organisation: Organisation?

    public init(
        requester: Person? = nil,
        service: Service? = nil,
        owner: Person? = nil,
        organisation: Organisation? = nil
    ) {
        self.requester = requester
        self.service = service
        self.owner = owner
        self.organisation = organisation
    }

    func checkService(_ id: UUID?, errors: inout [FieldError]) {
        if let id, service?.id != id {
            errors.append(FieldError(field: "serviceId", message: "no service has the id \(id.uuidString)"))
        }
    }

    func checkOwner(_ id: UUID?, errors: inout [FieldError]) {
        guard let id else { return }
        guard let owner, owner.id == id else {
            errors.append(FieldError(field: "ownerId", message: "no person has the id \(id.uuidString)"))
            return
        }
        if !owner.active || !(owner.roles.contains(.agent) || owner.roles.contains(.admin)) {
            errors.append(
                FieldError(field: "ownerId", message: "\(owner.name) is not an active agent and cannot own tickets")
            )
        }
    }
}
