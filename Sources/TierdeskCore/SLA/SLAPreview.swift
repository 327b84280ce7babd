import Foundation

/// The SLA preview contract: a calendar, targets and a timeline in; each clock's due time and state out.
/// Used by `tierdesk sla preview` and `POST /api/v1/sla/preview`, and as the specification tests check.
public enum SLAPreview {
    /// The scenario as it arrives (JSON): every value still text, so errors can name the field.
    public struct Input: Decodable, Sendable {
        public struct Targets: Decodable, Sendable {
            public var firstResponse: Double?
            public var resolution: Double?
        }

        public struct Entry: Decodable, Sendable {
            public var at: String
            public var event: String
        }

        public var calendar: CalendarSpec?
        public var targets: Targets
        public var timeline: [Entry]
    }

    /// One event of a ticket's life that moves a clock.
    public enum Event: String, Sendable, CaseIterable {
        case created, pause, resume, firstResponse, resolved
    }

    /// A clock's outcome. `due` is nil while the clock is paused; `met` is nil until the achieving event exists.
    public struct Clock: Equatable, Sendable {
        public var due: Date?
        public var met: Bool?
        public var paused: Bool
    }

    public struct Result: Equatable, Sendable {
        public var firstResponse: Clock?
        public var resolution: Clock?
    }

    /// Checks the scenario and computes both clocks.
    public static func evaluate(_ input: Input) throws(ValidationFailure) -> Result {
        var errors: [FieldError] = []
        var calendar = BusinessCalendar.twentyFourSeven
        if let raw = input.calendar {
            do {
                calendar = try raw.calendar()
            } catch {
                errors += error.errors
            }
        }
        for (name, value) in [("firstResponse", input.targets.firstResponse), ("resolution", input.targets.resolution)]
        {
            if let value, !(value >= 0 && value.isFinite) {
                errors.append(
                    FieldError(field: "targets.\(name)", message: "must be a number of minutes, zero or more")
                )
            }
        }
        var timeline: [(at: Date, event: Event, index: Int)] = []
        for (index, entry) in input.timeline.enumerated() {
            let at = Timestamp.parse(entry.at)
            let event = Event(rawValue: entry.event)
            if at == nil {
                errors.append(
                    FieldError(
                        field: "timeline[\(index)].at",
                        message: "must be an RFC 3339 instant such as 2026-03-06T21:30:00Z"
                    )
                )
            }
            if event == nil {
                errors.append(
                    FieldError(
                        field: "timeline[\(index)].event",
                        message: "must be one of \(Event.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                )
            }
            if let at, let event { timeline.append((at, event, index)) }
        }
        timeline.sort { ($0.at, $0.index) < ($1.at, $1.index) }
        let created = timeline.first { $0.event == .created }?.at
        if !input.timeline.contains(where: { $0.event == Event.created.rawValue }) {
            errors.append(FieldError(field: "timeline", message: "must contain a created event"))
        }
        guard errors.isEmpty, let created else { throw ValidationFailure(errors) }
        let events = timeline.filter { $0.at >= created }.map { ($0.at, $0.event) }
        return Result(
            firstResponse: input.targets.firstResponse.map {
                firstResponse(minutes: $0, created: created, events: events, calendar: calendar)
            },
            resolution: input.targets.resolution.map {
                resolution(minutes: $0, created: created, events: events, calendar: calendar)
            }
        )
    }

    static func firstResponse(minutes: Double, created: Date, events: [(Date, Event)], calendar: BusinessCalendar)
        -> Clock
    {
        let due = calendar.adding(seconds: minutes * 60, to: created)
        let answered = events.first { $0.1 == .firstResponse }?.0
        return Clock(due: due, met: answered.map { $0 <= due }, paused: false)
    }

    /// The resolution clock runs from creation, stops at pauses and at the first resolution.
    static func resolution(minutes: Double, created: Date, events: [(Date, Event)], calendar: BusinessCalendar) -> Clock
    {
        var stretches: [(start: Date, end: Date?)] = []
        var runningSince: Date? = created
        var resolvedAt: Date?
        for (at, event) in events where resolvedAt == nil {
            switch event {
            case .pause, .resolved:
                if let since = runningSince { stretches.append((since, at)) }
                runningSince = nil
                if event == .resolved { resolvedAt = at }
            case .resume:
                if runningSince == nil { runningSince = at }
            case .created, .firstResponse:
                continue
            }
        }
        if let since = runningSince { stretches.append((since, nil)) }
        switch ClockRun.run(seconds: minutes * 60, over: stretches, in: calendar) {
        case .reached(let due):
            return Clock(due: due, met: resolvedAt.map { $0 <= due }, paused: false)
        case .unreached(let remaining):
            // Resolved in time: the deadline is where the clock would have run out had it gone on.
            guard let resolvedAt else { return Clock(due: nil, met: nil, paused: true) }
            return Clock(due: calendar.adding(seconds: remaining, to: resolvedAt), met: true, paused: false)
        }
    }
}
