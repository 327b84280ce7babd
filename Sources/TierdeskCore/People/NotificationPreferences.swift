import Foundation

/// How one member of staff wants SLA warnings and breaches to reach them outside the console: by e-mail,
/// and for Sev1 and Sev2 tickets also in a chat channel of their own, with quiet hours in which only Sev1
/// gets through at once (the rest waits until the quiet hours end).
public struct NotificationPreferences: Sendable, Equatable, Codable {
    /// Hours of the day, in a time zone, when only Sev1 interrupts.
    public struct QuietHours: Sendable, Equatable, Codable {
        /// `22:00`.
        public var start: String
        /// `07:00`; before `start` means the quiet hours run over midnight.
        public var end: String
        public var timeZone: String

        public init(start: String, end: String, timeZone: String) {
            self.start = start
            self.end = end
            self.timeZone = timeZone
        }
    }

    /// Mail every SLA warning and breach to the person's address.
    public var email: Bool
    /// A Slack-compatible incoming webhook that gets Sev1 and Sev2 notifications.
    public var chatWebhook: String?
    public var quietHours: QuietHours?

    public init(email: Bool = true, chatWebhook: String? = nil, quietHours: QuietHours? = nil) {
        self.email = email
        self.chatWebhook = chatWebhook
        self.quietHours = quietHours
    }

    /// Minutes after midnight of `HH:MM`, or nil.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// The preferences with a checked webhook and quiet hours, or every field that is wrong.
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
        if let quiet = quietHours {
            if Self.minutes(quiet.start) == nil {
                errors.append(FieldError(field: "quietHours.start", message: "must be a time such as 22:00"))
            }
            if Self.minutes(quiet.end) == nil {
                errors.append(FieldError(field: "quietHours.end", message: "must be a time such as 07:00"))
            }
            if quiet.start == quiet.end {
                errors.append(FieldError(field: "quietHours.end", message: "must differ from the start"))
            }
            if TimeZone(identifier: quiet.timeZone) == nil || quiet.timeZone.count > 64 {
                errors.append(
                    FieldError(field: "quietHours.timeZone", message: "must be an IANA time zone such as Europe/Berlin")
                )
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return checked
    }

    /// When a notification about a ticket of `severity` raised at `now` should be delivered: at once for
    /// Sev1 or outside the quiet hours, else when they end (on the local clock, across daylight saving).
    public func deliveryTime(for severity: Severity, at now: Date) -> Date {
        guard severity != .sev1, let quiet = quietHours, let zone = TimeZone(identifier: quiet.timeZone),
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
