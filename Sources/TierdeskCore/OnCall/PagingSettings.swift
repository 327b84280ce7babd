import Foundation

/// How pages start and travel: the escalation policy for Sev1 and for Sev2 tickets (none means such
/// tickets page nobody), the SMS/voice gateway, whether paging may call private addresses, and the
/// schedule whose primary is the week's operations owner, and the calendar of working hours for time off in lieu.
public struct PagingSettings: Codable, Sendable, Equatable {
    public var sev1PolicyId: UUID?
    public var sev2PolicyId: UUID?
    /// Where text messages and calls are posted as JSON; nil leaves SMS and voice methods unused.
    public var gatewayUrl: String?
    /// Whether personal webhooks and the gateway may be private, loopback or link-local addresses.
    public var allowPrivateTargets: Bool
    /// The schedule whose primary owns operations for the week, shown on the triage board.
    public var operationsScheduleId: UUID?
    /// The SLA calendar whose open hours are working hours: time on call outside them earns time off in
    /// lieu. Nil means ``SLAPolicy/officeCalendarName``.
    public var workingHoursCalendar: String?

    public init(
        sev1PolicyId: UUID? = nil,
        sev2PolicyId: UUID? = nil,
        gatewayUrl: String? = nil,
        allowPrivateTargets: Bool = false,
        operationsScheduleId: UUID? = nil,
        workingHoursCalendar: String? = nil
    ) {
        self.sev1PolicyId = sev1PolicyId
        self.sev2PolicyId = sev2PolicyId
        self.gatewayUrl = gatewayUrl
        self.allowPrivateTargets = allowPrivateTargets
        self.operationsScheduleId = operationsScheduleId
        self.workingHoursCalendar = workingHoursCalendar
    }

    /// The name of the calendar of working hours.
    public var workingHoursCalendarName: String { workingHoursCalendar ?? SLAPolicy.officeCalendarName }

    /// The policy a ticket of this severity pages through, if any.
    public func policy(for severity: Severity) -> UUID? {
        switch severity {
        case .sev1: sev1PolicyId
        case .sev2: sev2PolicyId
        case .sev3: nil
        }
    }

    /// Checks the gateway URL; the policies and schedule are checked against the store by the caller.
    public func validated() throws(ValidationFailure) -> PagingSettings {
        var copy = self
        if let url = gatewayUrl?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty {
            do {
                _ = try WebhookTarget.checked(
                    url,
                    field: "gatewayUrl",
                    allowPrivateTargets: allowPrivateTargets,
                    permission: "set allowPrivateTargets to send there"
                )
            } catch {
                throw ValidationFailure([error])
            }
            copy.gatewayUrl = url
        } else {
            copy.gatewayUrl = nil
        }
        return copy
    }
}
