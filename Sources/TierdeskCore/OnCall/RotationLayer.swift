import Foundation

/// One rotation of a schedule: members take turns in order, each for `shiftDays` days, handing over at a
/// local time on the hand-off weekday. Optional support hours limit the layer to windows of the week.
/// The first shift starts at the hand-off time on the first hand-off weekday on or after `startsOn`.
public struct RotationLayer: Sendable, Equatable {
    public var name: String
    public var role: OnCallRole
    public var members: [UUID]
    public var startsOn: LocalDate
    public var handoffDay: Weekday
    /// Minutes after local midnight.
    public var handoffMinutes: Int
    public var shiftDays: Int
    /// Local windows per weekday in which the layer covers; nil means around the clock.
    public var supportHours: [Weekday: [OpeningWindow]]?

    public init(
        name: String,
        role: OnCallRole,
        members: [UUID],
        startsOn: LocalDate,
        handoffDay: Weekday,
        handoffMinutes: Int,
        shiftDays: Int = 7,
        supportHours: [Weekday: [OpeningWindow]]? = nil
    ) {
        self.name = name
        self.role = role
        self.members = members
        self.startsOn = startsOn
        self.handoffDay = handoffDay
        self.handoffMinutes = handoffMinutes
        self.shiftDays = shiftDays
        self.supportHours = supportHours
    }

    /// The local date of the first hand-off.
    var anchor: LocalDate {
        let from = Weekday.allCases.firstIndex(of: startsOn.weekday)!
        let to = Weekday.allCases.firstIndex(of: handoffDay)!
        return startsOn.adding(days: (to - from + 7) % 7)
    }

    /// When shift `index` starts (shift 0 is the first).
    func shiftStart(_ index: Int, anchor: LocalDate, in zone: TimeZone) -> Date {
        ZonedTime.instant(anchor.adding(days: index * shiftDays), minutes: handoffMinutes, in: zone)
    }

    /// The shift in force at an instant: its index, counted from the first; negative before the rotation starts.
    func shiftIndex(at instant: Date, in zone: TimeZone) -> Int {
        let anchor = self.anchor
        let local = LocalTime(instant, in: zone)
        let shiftDay = local.date.daysSinceEpoch - (local.minutes < handoffMinutes ? 1 : 0)
        let offset = shiftDay - anchor.daysSinceEpoch
        var index = offset >= 0 ? offset / shiftDays : -((-offset + shiftDays - 1) / shiftDays)
        // Local times repeat when clocks go back: settle on the instants themselves.
        if instant >= shiftStart(index + 1, anchor: anchor, in: zone) {
            index += 1
        } else if instant < shiftStart(index, anchor: anchor, in: zone) {
            index -= 1
        }
        return index
    }

    /// Who this layer puts on call at an instant, if anyone.
    public func member(at instant: Date, in zone: TimeZone) -> UUID? {
        guard !members.isEmpty else { return nil }
        let index = shiftIndex(at: instant, in: zone)
        guard index >= 0, covers(LocalTime(instant, in: zone)) else { return nil }
        return members[index % members.count]
    }

    private func covers(_ local: LocalTime) -> Bool {
        guard let supportHours else { return true }
        return supportHours[local.date.weekday]?.contains { $0.start <= local.minutes && local.minutes < $0.end }
            ?? false
    }

    /// Every instant in `range` at which this layer's answer may change: hand-offs and the edges of support hours.
    func changes(in range: Range<Date>, zone: TimeZone) -> [Date] {
        guard !members.isEmpty else { return [] }
        var instants: [Date] = []
        let anchor = self.anchor
        var index = max(0, shiftIndex(at: range.lowerBound, in: zone))
        while true {
            let start = shiftStart(index, anchor: anchor, in: zone)
            if start >= range.upperBound { break }
            if start > range.lowerBound { instants.append(start) }
            index += 1
        }
        if let supportHours {
            var date = ZonedTime.localDate(of: range.lowerBound, in: zone).adding(days: -1)
            while true {
                let midnight = ZonedTime.instant(date, minutes: 0, in: zone)
                if midnight >= range.upperBound { break }
                for window in supportHours[date.weekday] ?? [] {
                    for minutes in [window.start, window.end] {
                        let instant = ZonedTime.instant(date, minutes: minutes, in: zone)
                        if range.contains(instant), instant > range.lowerBound { instants.append(instant) }
                    }
                }
                date = date.adding(days: 1)
            }
        }
        return instants
    }
}
