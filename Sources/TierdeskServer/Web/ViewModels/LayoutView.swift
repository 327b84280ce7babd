import Foundation
import TierdeskCore

/// The signed-in person as the page header shows them.
struct UserView {
    var name: String
    var tier: String?
    var isStaff: Bool
    /// A requester of an organisation, who may have its SLA report in the portal.
    var isCustomer: Bool
    /// An admin, whose header links to the admin pages.
    var isAdmin: Bool
    /// The session's CSRF token, put into every form.
    var csrf: String
    /// The IANA time zone the person chose for the times on their pages; the browser's when nil.
    var timeZone: String?
    /// Unread notifications for the header's badge ("99+" beyond the cap); nil when there are none.
    var unread: String?

    init?(_ identity: Identity?) {
        guard let identity, case .session(_, let csrf) = identity.proof else { return nil }
        name = identity.person.name
        tier = identity.person.tier?.rawValue
        isStaff = identity.actor.isStaff
        isCustomer = identity.actor.has(.requester) && identity.actor.organisationID != nil
        isAdmin = identity.actor.has(.admin)
        self.csrf = csrf
        timeZone = identity.timeZone?.identifier
        unread = identity.unreadNotifications.flatMap { count in
            count == 0 ? nil : count >= Identity.unreadCap ? "\(Identity.unreadCap - 1)+" : String(count)
        }
    }
}

/// An option of a `<select>`.
struct OptionView {
    var value: String
    var label: String
    var selected: Bool
}

/// Dates as pages show them: UTC, to the minute.
enum DisplayTime {
    static func text(_ date: Date) -> String {
        local(date, in: .gmt) + " UTC"
    }

    /// A date on the local clock of a time zone, to the minute (`2026-11-17 20:00`), for pages that state the zone.
    static func local(_ date: Date, in zone: TimeZone) -> String {
        LocalDateTime.text(date, in: zone).replacingOccurrences(of: "T", with: " ")
    }
}

/// A page that only shows a problem.
struct ErrorView {
    var title: String
    var heading: String
    var message: String
    var user: UserView?
}
