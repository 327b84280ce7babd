import Foundation
import TierdeskCore

/// The signed-in person as the page header shows them.
struct UserView {
    var name: String
    var tier: String?
    var isStaff: Bool
    /// The session's CSRF token, put into every form.
    var csrf: String

    init?(_ identity: Identity?) {
        guard let identity, case .session(_, let csrf) = identity.proof else { return nil }
        name = identity.person.name
        tier = identity.person.tier?.rawValue
        isStaff = identity.actor.isStaff
        self.csrf = csrf
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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}

/// A page that only shows a problem.
struct ErrorView {
    var title: String
    var heading: String
    var message: String
    var user: UserView?
}
