import Foundation

/// How one member of staff wants SLA warnings and breaches to reach them outside the console: by e-mail,
/// and for Sev1 and Sev2 tickets also in a chat channel of their own and as a page through their paging
/// contacts; with quiet hours in which only Sev1 gets through at once (the rest waits until they end). The
/// person's time zone places the quiet hours and the times incident pages show them.
public struct NotificationPreferences: Sendable, Equatable, Codable {
    /// Hours of the day, in the person's time zone, when only Sev1 interrupts.
    public struct QuietHours: Sendable, Equatable, Codable {
        /// `22:00`.
        public var start: String
        /// `07:00`; before `start` means the quiet hours run over midnight.
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    /// Mail every SLA warning and breach to the person's address.
    public var email: Bool
    /// A Slack-compatible incoming webhook that gets Sev1 and Sev2 notifications.
    public var chatWebhook: String?
    /// Page the person through their paging contacts (text, call, webhook) for Sev1 and Sev2 notifications.
    public var page: Bool
    /// The person's IANA time zone; required with quiet hours.
    public var timeZone: String?
    public var quietHours: QuietHours?

    public init(
        email: Bool = true,
        chatWebhook: String? = nil,
        page: Bool = false,
        timeZone: String? = nil,
        quietHours: QuietHours? = nil
    ) {
        self.email = email
        self.chatWebhook = chatWebhook
        self.page = page
        self.timeZone = timeZone
        self.quietHours = quietHours
    }

    enum CodingKeys: String, CodingKey { case email, chatWebhook, page, timeZone, quietHours }

    /// Fields left out take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decodeIfPresent(Bool.self, forKey: .email) ?? true
        chatWebhook = try c.decodeIfPresent(String.self, forKey: .chatWebhook)
        page = try c.decodeIfPresent(Bool.self, forKey: .page) ?? false
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        quietHours = try c.decodeIfPresent(QuietHours.self, forKey: .quietHours)
    }

    /// The person's zone, when set and known.
    public var zone: TimeZone? { timeZone.flatMap(TimeZone.init(identifier:)) }

    /// Minutes after midnight of `HH:MM`, or nil.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// Whether `zone` names an IANA time zone this system knows.
    public static func isKnownZone(_ zone: String) -> Bool {
        zone.count <= 64 && TimeZone(identifier: zone) != nil
    }

    /// The refusal of an unknown zone.
    public static let zoneMessage = "must be an IANA time zone such as Europe/Berlin"

    /// The preferences with a checked webhook, zone and quiet hours, or every field that is wrong.
    public func checked(allowPrivateTargets: Bool) throws(ValidationFailure) -> NotificationPreferences {
        var errors: [FieldError] = []
        var checked = self
        if let hook = chatWebhook?.trimmingWhitespace(), !hook.isEmpty {
            do {
                checked.chatWebhook =
                    try WebhookTarget.checked(
                        hook,
                        field: "chatWebhook",
                        allowPrivateTargets: allowPrivateTargets,
                        permission: "an admin must allow private targets in the paging settings"
                    )
                    .url.absoluteString
            } catch { errors.append(error) }
        } else {
            checked.chatWebhook = nil
        }
        if let zone = timeZone?.trimmingWhitespace(), !zone.isEmpty {
            if !Self.isKnownZone(zone) {
                errors.append(FieldError(field: "timeZone", message: Self.zoneMessage))
            }
            checked.timeZone = zone
        } else {
            checked.timeZone = nil
        }
        if let quiet = quietHours {
            if Self.minutes(quiet.start) == nil {
                errors.append(FieldError(field: "quietHours.start", message: "must be a time such as 22:00"))
            }
            if Self.minutes(quiet.end) == nil {
                errors.append(FieldError(field: "quietHours.end", message: "must be a time such as 07:00"))
            } else if quiet.start == quiet.end {
                errors.append(FieldError(field: "quietHours.end", message: "must differ from the start"))
            }
            if checked.timeZone == nil, !errors.contains(where: { $0.field == "timeZone" }) {
                errors.append(FieldError(field: "timeZone", message: "is required with quiet hours"))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return checked
    }

    /// When a notification about a ticket of `severity` raised at `now` should be delivered: at once for
    /// Sev1 or outside the quiet hours, else when they end (on the local clock, across daylight saving).
    public func deliveryTime(for severity: Severity, at now: Date) -> Date {
        guard severity != .sev1, let quiet = quietHours, let zone,
            let start = Self.minutes(quiet.start), let end = Self.minutes(quiet.end)
        else { return now }
        let local = LocalTime(now, in: zone)
        let minute = local.minutes
        let inside = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inside else { return now }
        let day = start < end || minute < end ? local.date : local.date.adding(days: 1)
        return ZonedTime.instant(day, minutes: end, in: zone)
    }
}
