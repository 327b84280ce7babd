import Foundation

/// Who reads a ticket, and so which of its events and files they are shown: staff everything; the
/// customer (requesters) the conversation without internal events and without the vendor thread; a vendor
/// contact (L4) only the vendor thread and the files shared with it.
public enum TicketAudience: Sendable, Equatable {
    case staff
    case customer
    case vendor

    public static func of(_ actor: Actor) -> TicketAudience {
        if actor.isStaff { return .staff }
        if actor.has(.vendor), !actor.has(.requester) { return .vendor }
        return .customer
    }

    /// Whether this audience reads `event`; `byVendor` says whether its author is a vendor contact (the
    /// customer does not see that a vendor added a file).
    public func sees(_ event: TicketEvent, byVendor: Bool) -> Bool {
        switch self {
        case .staff: true
        case .customer: !event.kind.isInternal && event.kind != .vendorMessage && !byVendor
        case .vendor: event.kind == .vendorMessage || (event.kind == .attachmentAdded && byVendor)
        }
    }

    /// Whether this audience may read a file; `byVendor` says whether a vendor contact added it, `shared`
    /// whether staff shared it with the vendor, and `vendorOnly` whether staff added it in the vendor thread
    /// (for the vendor, not the customer).
    public func sees(fileByVendor byVendor: Bool, shared: Bool, vendorOnly: Bool = false) -> Bool {
        switch self {
        case .staff: true
        case .customer: !byVendor && !vendorOnly
        case .vendor: byVendor || shared
        }
    }
}
