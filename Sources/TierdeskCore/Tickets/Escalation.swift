import Foundation

/// Where the root cause of a defect lies, as L3 isolates it before a vendor may be involved.
public enum RootCause: String, Sendable, Codable, CaseIterable {
    /// The vendor's standard product: the vendor fixes it (L4).
    case standardProduct = "standard_product"
    /// Our customisation of the product: it stays with L3.
    case customisation
}

/// Business impact in a currency per hour of disruption, e.g. 12,000 EUR/h.
public struct BusinessImpact: Sendable, Equatable, Codable {
    /// Whole currency units per hour.
    public var amountPerHour: Int
    /// ISO 4217 code, e.g. EUR.
    public var currency: String

    public init(amountPerHour: Int, currency: String) {
        self.amountPerHour = amountPerHour
        self.currency = currency
    }
}

/// A request to hand a ticket to the next tier, with the reason and the evidence the gate asks for.
public struct EscalationRequest: Sendable, Equatable {
    /// The tier to hand to; the next tier when nil (or the tier of `group`).
    public var tier: Tier?
    /// The group that takes the ticket over.
    public var group: String?
    /// Who takes it over; nobody (the tier's queue) when nil.
    public var ownerID: UUID?
    public var reason: String
    // L1 → L2
    public var tried: String?
    public var logExcerpt: String?
    public var noEvidenceReason: String?
    // L2 → L3
    public var reproductionSteps: String?
    public var logExtract: String?
    // L3 → L4
    public var reproducedIn: String?
    public var rootCause: RootCause?
    public var vendorID: UUID?
    public var vendorReference: String?
    public var businessImpact: BusinessImpact?

    public init(
        tier: Tier? = nil,
        group: String? = nil,
        ownerID: UUID? = nil,
        reason: String,
        tried: String? = nil,
        logExcerpt: String? = nil,
        noEvidenceReason: String? = nil,
        reproductionSteps: String? = nil,
        logExtract: String? = nil,
        reproducedIn: String? = nil,
        rootCause: RootCause? = nil,
        vendorID: UUID? = nil,
        vendorReference: String? = nil,
        businessImpact: BusinessImpact? = nil
    ) {
        self.tier = tier
        self.group = group
        self.ownerID = ownerID
        self.reason = reason
        self.tried = tried
        self.logExcerpt = logExcerpt
        self.noEvidenceReason = noEvidenceReason
        self.reproductionSteps = reproductionSteps
        self.logExtract = logExtract
        self.reproducedIn = reproducedIn
        self.rootCause = rootCause
        self.vendorID = vendorID
        self.vendorReference = vendorReference
        self.businessImpact = businessImpact
    }
}

/// Which evidence gates a service enforces. Swarm services have none whatever this says.
public struct EscalationGates: Sendable, Equatable, Codable {
    /// L1 → L2: what was tried, and evidence or why there is none.
    public var l1ToL2: Bool
    /// L2 → L3: reproduction steps and a log extract.
    public var l2ToL3: Bool
    /// L3 → L4: the vendor checklist (reproduced where, root cause isolated, vendor reference, business impact).
    public var l3ToL4: Bool

    public init(l1ToL2: Bool = true, l2ToL3: Bool = true, l3ToL4: Bool = true) {
        self.l1ToL2 = l1ToL2
        self.l2ToL3 = l2ToL3
        self.l3ToL4 = l3ToL4
    }

    /// The seed: every gate on.
    public static let all = EscalationGates()
}

/// The gates per service, with a default for services without their own.
public struct EscalationGateSettings: Sendable, Equatable, Codable {
    public var defaults: EscalationGates
    public var services: [UUID: EscalationGates]

    public init(defaults: EscalationGates = .all, services: [UUID: EscalationGates] = [:]) {
        self.defaults = defaults
        self.services = services
    }

    public func gates(for serviceID: UUID?) -> EscalationGates {
        serviceID.flatMap { services[$0] } ?? defaults
    }

    enum CodingKeys: String, CodingKey { case defaults, services }

    /// Services are keyed by their id as text, so the JSON is an object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaults = try container.decodeIfPresent(EscalationGates.self, forKey: .defaults) ?? .all
        var services: [UUID: EscalationGates] = [:]
        for (key, gates) in try container.decodeIfPresent([String: EscalationGates].self, forKey: .services) ?? [:] {
            guard let id = UUID(uuidString: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .services,
                    in: container,
                    debugDescription: "\(key.prefix(40)) is not a service id"
                )
            }
            services[id] = gates
        }
        self.services = services
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(defaults, forKey: .defaults)
        try container.encode(
            Dictionary(uniqueKeysWithValues: services.map { ($0.key.uuidString, $0.value) }),
            forKey: .services
        )
    }
}

/// What the workflow knows besides the ticket when it escalates.
public struct EscalationContext: Sendable {
    public var service: Service?
    public var gates: EscalationGates
    /// Files attached to the ticket so far (evidence for L1 → L2).
    public var attachmentCount: Int
    /// The vendor the request names, if it exists.
    public var vendor: Vendor?
    /// The group the request names, if it is known.
    public var group: SupportGroup?
    /// The person the request names as new owner, if known.
    public var owner: Person?

    public init(
        service: Service?,
        gates: EscalationGates,
        attachmentCount: Int,
        vendor: Vendor? = nil,
        group: SupportGroup? = nil,
        owner: Person? = nil
    ) {
        self.service = service
        self.gates = gates
        self.attachmentCount = attachmentCount
        self.vendor = vendor
        self.group = group
        self.owner = owner
    }
}

extension Tier {
    /// The tier above; nil for L4.
    public var next: Tier? {
        switch self {
        case .l1: .l2
        case .l2: .l3
        case .l3: .l4
        case .l4: nil
        }
    }

    /// The tier below; nil for L1.
    public var previous: Tier? {
        switch self {
        case .l1: nil
        case .l2: .l1
        case .l3: .l2
        case .l4: .l3
        }
    }
}
