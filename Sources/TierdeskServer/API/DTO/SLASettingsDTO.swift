import Foundation
import TierdeskCore

/// A named calendar as the API shows it.
struct CalendarDTO: Encodable {
    var name: String
    /// The built-in 24x7 calendar cannot be changed.
    var builtIn: Bool
    var timeZone: String
    var weekly: [String: [CalendarSpec.Window]]
    var holidays: [String]
    /// The policies that count in this calendar.
    var usedBy: [String]

    init(name: String, calendar: BusinessCalendar, configuration: SLAConfiguration) {
        let spec = CalendarSpec(calendar)
        self.name = name
        builtIn = name == BusinessCalendar.twentyFourSevenName
        timeZone = spec.timeZone
        weekly = spec.weekly
        holidays = spec.holidays ?? []
        usedBy = configuration.policies(using: name)
    }

    /// Every calendar, the built-in one first.
    static func all(_ configuration: SLAConfiguration) -> [CalendarDTO] {
        [
            CalendarDTO(
                name: BusinessCalendar.twentyFourSevenName,
                calendar: .twentyFourSeven,
                configuration: configuration
            )
        ]
            + configuration.calendars.keys.sorted()
            .map { CalendarDTO(name: $0, calendar: configuration.calendars[$0]!, configuration: configuration) }
    }
}

/// A named policy as the API shows it, every value spelled out.
struct SLAPolicyDTO: Encodable {
    var name: String
    /// Whether this is the policy for tickets no other policy covers.
    var isDefault: Bool
    var spec: SLAPolicySpec

    init(_ policy: SLAPolicy) {
        name = policy.name
        isDefault = policy.scope == .everyone
        spec = SLAPolicySpec(policy)
    }

    enum Keys: String, CodingKey { case name, isDefault = "default" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encode(isDefault, forKey: .isDefault)
        try spec.encode(to: encoder)
    }
}

/// The answer to a change of SLA settings: what is stored now and how many open tickets got new deadlines.
struct SLAChangeDTO<Item: Encodable>: Encodable {
    var item: Item
    var recomputedTickets: Int

    enum Keys: String, CodingKey { case recomputedTickets }

    func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(recomputedTickets, forKey: .recomputedTickets)
    }
}

/// What a holiday import added and which events it left out.
struct HolidayImportDTO: Encodable {
    struct Skipped: Encodable {
        var summary: String
        var reason: String
    }

    var calendar: CalendarDTO
    var added: Int
    var skipped: [Skipped]
    var recomputedTickets: Int
}
