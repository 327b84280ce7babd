import Foundation

/// A schedule as admins write it in JSON: every value stays text until ``schedule(id:)`` checks it, so
/// errors name the field. Overrides are kept apart (they pile up) and are not part of the spec.
public struct OnCallScheduleSpec: Codable, Sendable, Equatable {
    public struct Layer: Codable, Sendable, Equatable {
        public var name: String?
        public var role: OnCallRole
        public var members: [UUID]
        /// `YYYY-MM-DD`: the rotation starts at the first hand-off on or after this date.
        public var startsOn: String
        public var handoffDay: Weekday?
        /// `HH:MM` local time.
        public var handoffTime: String?
        public var shiftDays: Int?
        /// Local windows per weekday (`mon` … `sun`); absent means around the clock.
        public var supportHours: [String: [CalendarSpec.Window]]?

        public init(
            name: String? = nil,
            role: OnCallRole,
            members: [UUID],
            startsOn: String,
            handoffDay: Weekday? = nil,
            handoffTime: String? = nil,
            shiftDays: Int? = nil,
            supportHours: [String: [CalendarSpec.Window]]? = nil
        ) {
            self.name = name
            self.role = role
            self.members = members
            self.startsOn = startsOn
            self.handoffDay = handoffDay
            self.handoffTime = handoffTime
            self.shiftDays = shiftDays
            self.supportHours = supportHours
        }
    }

    public var name: String
    public var timeZone: String
    public var layers: [Layer]

    public init(name: String, timeZone: String, layers: [Layer]) {
        self.name = name
        self.timeZone = timeZone
        self.layers = layers
    }

    /// Hand-off by default: Monday 09:00, a shift of a week.
    public static let defaultHandoffDay = Weekday.mon
    public static let defaultHandoffTime = "09:00"
    public static let maxLayers = 20
    public static let maxMembers = 100

    /// Checks every value and builds the schedule, without overrides.
    public func schedule(id: UUID) throws(ValidationFailure) -> OnCallSchedule {
        var errors: [FieldError] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.count > 120 {
            errors.append(FieldError(field: "name", message: "must be 1 to 120 characters"))
        }
        let zone = TimeZone(identifier: timeZone)
        if zone == nil {
            errors.append(FieldError(field: "timeZone", message: "must be an IANA time zone such as Europe/Berlin"))
        }
        if layers.isEmpty || layers.count > Self.maxLayers {
            errors.append(FieldError(field: "layers", message: "must hold 1 to \(Self.maxLayers) rotation layers"))
        }
        var built: [RotationLayer] = []
        for (index, layer) in layers.prefix(Self.maxLayers).enumerated() {
            let field = "layers[\(index)]"
            if layer.members.isEmpty || layer.members.count > Self.maxMembers {
                errors.append(
                    FieldError(field: "\(field).members", message: "must name 1 to \(Self.maxMembers) people")
                )
            }
            let start = LocalDate(layer.startsOn)
            if start == nil {
                errors.append(FieldError(field: "\(field).startsOn", message: "must be a date YYYY-MM-DD"))
            }
            let handoff = OpeningWindow.minutes(layer.handoffTime ?? Self.defaultHandoffTime)
                .flatMap { $0 < 1440 ? $0 : nil }
            if handoff == nil {
                errors.append(FieldError(field: "\(field).handoffTime", message: "must be a time HH:MM before 24:00"))
            }
            let days = layer.shiftDays ?? 7
            if !(1...28).contains(days) {
                errors.append(FieldError(field: "\(field).shiftDays", message: "must be 1 to 28"))
            }
            var hours: [Weekday: [OpeningWindow]]?
            if let support = layer.supportHours {
                do {
                    hours = try CalendarSpec(timeZone: "UTC", weekly: support).calendar(field: "\(field).supportHours")
                        .weekly
                } catch {
                    errors += error.errors.map {
                        FieldError(field: $0.field.replacingOccurrences(of: ".weekly", with: ""), message: $0.message)
                    }
                }
            }
            guard let start, let handoff else { continue }
            built.append(
                RotationLayer(
                    name: layer.name?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120).description
                        ?? "Layer \(index + 1)",
                    role: layer.role,
                    members: layer.members,
                    startsOn: start,
                    handoffDay: layer.handoffDay ?? Self.defaultHandoffDay,
                    handoffMinutes: handoff,
                    shiftDays: days,
                    supportHours: hours
                )
            )
        }
        guard errors.isEmpty, let zone else { throw ValidationFailure(errors) }
        return OnCallSchedule(id: id, name: trimmed, timeZone: zone, layers: built)
    }

    /// Everyone the layers name, once each.
    public var memberIDs: Set<UUID> { Set(layers.flatMap(\.members)) }
}
