import Foundation

/// The SLA policies organisations' contracts bring: a ticket runs under the policy of the plan its
/// organisation was contracted to when the ticket opened.
public struct ContractPolicies: Sendable, Equatable {
    struct Term: Sendable, Equatable {
        var from: Date
        var until: Date?
        var starts: LocalDate
        var createdAt: Date
        var policy: String
    }

    private var terms: [UUID: [Term]] = [:]

    public init() {}

    /// Reads contracts with their plans; days start at local midnight in `zone`.
    public init(contracts: [SupportContract], plans: [UUID: SupportPlan], zone: TimeZone) {
        for contract in contracts {
            guard let policy = plans[contract.planID]?.slaPolicy else { continue }
            let until = contract.renews ? nil : contract.ends.map { $0.adding(days: 1).start(in: zone) }
            terms[contract.organisationID, default: []]
                .append(
                    Term(
                        from: contract.starts.start(in: zone),
                        until: until,
                        starts: contract.starts,
                        createdAt: contract.createdAt,
                        policy: policy
                    )
                )
        }
        for key in terms.keys { terms[key]?.sort { ($0.starts, $0.createdAt) < ($1.starts, $1.createdAt) } }
    }

    /// The policy name an organisation's contract in force at `instant` brings, if any.
    public func policy(for organisation: UUID, at instant: Date) -> String? {
        terms[organisation]?.last { $0.from <= instant && ($0.until.map { instant < $0 } ?? true) }?.policy
    }

    /// Every term as text in a fixed order: equal policies give equal text, in any process.
    public var fingerprint: String {
        terms.keys.sorted { $0.uuidString < $1.uuidString }
            .flatMap { organisation in
                (terms[organisation] ?? [])
                    .map {
                        "\(organisation.uuidString) \($0.from.timeIntervalSince1970) "
                            + "\($0.until.map { String($0.timeIntervalSince1970) } ?? "-") \($0.policy)"
                    }
            }
            .joined(separator: "\n")
    }

    /// Whether no contract brings a policy.
    public var isEmpty: Bool { terms.isEmpty }
}
