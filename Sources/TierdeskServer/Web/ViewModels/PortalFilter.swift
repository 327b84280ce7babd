import Foundation
import TierdeskCore

/// Which of their tickets a requester lists in the portal: all, the open ones, those waiting for their
/// answer, or the finished ones.
enum PortalFilter: String, CaseIterable {
    case all
    case open
    case waiting
    case done

    /// The filter a `show` parameter names; all when absent or unknown.
    init(_ parameter: String?) {
        self = parameter.flatMap(PortalFilter.init(rawValue:)) ?? .all
    }

    /// The words of its link.
    var label: String {
        switch self {
        case .all: "All"
        case .open: "Open"
        case .waiting: "Waiting for you"
        case .done: "Resolved"
        }
    }

    /// Narrows `query` to the filter's tickets.
    func apply(to query: inout TicketQuery) {
        switch self {
        case .all: break
        case .open: query.openOnly = true
        case .waiting: query.statuses = [.pendingCustomer]
        case .done: query.statuses = [.resolved, .closed]
        }
    }

    /// The portal's links, one per filter, the chosen one marked.
    static func links(chosen: PortalFilter) -> [FilterLink] {
        allCases.map {
            FilterLink(
                label: $0.label,
                link: $0 == .all ? "/portal" : "/portal?show=\($0.rawValue)",
                current: $0 == chosen
            )
        }
    }

    struct FilterLink {
        var label: String
        var link: String
        var current: Bool
    }
}
