import Foundation
import TierdeskCore

/// The directory page: organisations, services, vendors and support groups, each with its forms.
struct AdminDirectoryView {
    var title = "Organisations, services, vendors and groups"
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var organisations: [OrganisationRowView]
    var services: [ServiceRowView]
    var vendors: [String]
    var groups: [GroupRowView]
    var supportModels: [OptionView]
    var tiers: [OptionView]
    var leads: [OptionView]
}

struct OrganisationRowView {
    var id: String
    var name: String
    var sharesTickets: Bool
    var people: Int
}

struct ServiceRowView {
    var id: String
    var name: String
    var models: [OptionView]
    var entryTier: String
}

struct GroupRowView {
    var name: String
    var tier: String
    var lead: String
}

/// Support models in words.
enum SupportModelWords {
    static func text(_ model: SupportModel) -> String {
        switch model {
        case .tiered: "Tiered: L1 → L2 → L3, customer-facing"
        case .internal: "Internal: L2 and L3 only, tickets start at L2"
        case .swarm: "Swarm: one shared queue"
        }
    }

    static func options(selected: SupportModel?) -> [OptionView] {
        SupportModel.allCases.map { OptionView(value: $0.rawValue, label: text($0), selected: $0 == selected) }
    }
}
