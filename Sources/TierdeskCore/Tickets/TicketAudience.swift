import Foundation

/// Who reads a ticket, and so which of its events and files they are shown: staff everything; the
/// customer (requesters) the conversation without internal events, without the vendor thread and without
/// the files meant for the vendor only; a vendor contact (L4) only its own vendor's thread and the files
/// shared with or added for that vendor.
public enum TicketAudience: Sendable, Equatable {
    case staff
    case customer
    /// A contact of this vendor.
    case vendor(UUID)

    public static func of(_ actor: Actor) -> TicketAudience {
        if actor.isStaff { return .staff }
        if actor.has(.vendor), let vendor = actor.vendorID { return .vendor(vendor) }
        return .customer
    }

    public var isVendor: Bool {
        if case .vendor = self { return true }
        return false
    }

    /// How a file stands with the vendor thread: the vendor it was shared with or added for, and whether it
    /// is for that vendor only (added in the thread, or by the vendor) rather than the customer's too.
    public struct FileMark: Sendable, Equatable {
        public var vendorID: UUID
        public var vendorOnly: Bool

        public init(vendorID: UUID, vendorOnly: Bool) {
            self.vendorID = vendorID
            self.vendorOnly = vendorOnly
        }
    }

    /// A file as an `attachment_added` event names it: its name, who added it, when.
    public struct FileKey: Sendable, Hashable {
        public var name: String
        public var addedBy: UUID
        public var at: Date

        public init(name: String, addedBy: UUID, at: Date) {
            self.name = name
            self.addedBy = addedBy
            self.at = at
        }
    }

    /// Whether this audience reads `event`. A vendor message names its vendor in `after`.
    public func sees(_ event: TicketEvent) -> Bool {
        switch self {
        case .staff: true
        case .customer: !event.kind.isInternal && event.kind != .vendorMessage
        case .vendor(let vendor): event.kind == .vendorMessage && event.after == vendor.uuidString
        }
    }

    /// Whether this audience reads a file with this mark (nil: an ordinary file of the ticket).
    public func sees(file mark: FileMark?) -> Bool {
        switch self {
        case .staff: true
        case .customer: !(mark?.vendorOnly ?? false)
        case .vendor(let vendor): mark?.vendorID == vendor
        }
    }

    /// The events of one ticket this audience reads; the customer does not even read that a file for the
    /// vendor only was added (`vendorOnlyFiles`).
    public func visible(_ events: [TicketEvent], vendorOnlyFiles: Set<FileKey>) -> [TicketEvent] {
        events.filter { event in
            if self == .customer, event.kind == .attachmentAdded, let actor = event.actorID,
                vendorOnlyFiles.contains(FileKey(name: event.after ?? "", addedBy: actor, at: event.at))
            {
                return false
            }
            return sees(event)
        }
    }
}
