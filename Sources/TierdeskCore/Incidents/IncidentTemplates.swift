/// The Mustache templates an update's text is made from, one per state. Fields: `reference`, `title` (the
/// public title), `state`, `severity`, `services`, `symptom`, `impact`, `workaround`, `message` (what the
/// author adds), `noChange` (true for "no change" updates), `nextUpdate` and `timeline` (the earlier
/// updates, one per line). The `review` template makes the text the review is shared with subscribers
/// as; its fields: `reference`, `title`, `services`, `started`, `resolved`, `duration`, `summary` (the
/// customer summary), `impact`, `rootCause`, `actionItems` (title and due date, one per line) and
/// `timeline` (the updates as sent). Rendered as plain text; the pages that show it escape it.
public struct IncidentTemplates: Sendable, Equatable, Codable {
    public var investigating: String
    public var identified: String
    public var monitoring: String
    public var resolved: String
    public var review: String

    public init(
        investigating: String = Self.defaultInvestigating,
        identified: String = Self.defaultIdentified,
        monitoring: String = Self.defaultMonitoring,
        resolved: String = Self.defaultResolved,
        review: String = Self.defaultReview
    ) {
        self.investigating = investigating
        self.identified = identified
        self.monitoring = monitoring
        self.resolved = resolved
        self.review = review
    }

    enum CodingKeys: String, CodingKey { case investigating, identified, monitoring, resolved, review }

    /// The review template may be left out: the default one is used.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        investigating = try c.decode(String.self, forKey: .investigating)
        identified = try c.decode(String.self, forKey: .identified)
        monitoring = try c.decode(String.self, forKey: .monitoring)
        resolved = try c.decode(String.self, forKey: .resolved)
        review = c.contains(.review) ? try c.decode(String.self, forKey: .review) : Self.defaultReview
    }

    /// The template of an update announcing `state` (a closed incident reads like a resolved one).
    public func template(for state: MajorIncident.State) -> String {
        switch state {
        case .investigating: investigating
        case .identified: identified
        case .monitoring: monitoring
        case .resolved, .closed: resolved
        }
    }

    /// Longest template, in characters.
    public static let maxLength = 10_000

    static let common = """
        {{#impact}}

        Impact: {{impact}}{{/impact}}{{#workaround}}

        Workaround: {{workaround}}{{/workaround}}{{#message}}

        {{message}}{{/message}}{{#nextUpdate}}

        Next update by {{nextUpdate}}, even if there is no change.{{/nextUpdate}}
        """

    public static let defaultInvestigating =
        "{{#noChange}}No change: we are still investigating {{symptom}} on {{services}}.{{/noChange}}"
        + "{{^noChange}}We are investigating {{symptom}} on {{services}}.{{/noChange}}" + common
    public static let defaultIdentified =
        "{{#noChange}}No change: the cause of {{symptom}} on {{services}} is identified and we are working on a fix.{{/noChange}}"
        + "{{^noChange}}We have identified the cause of {{symptom}} on {{services}} and are working on a fix.{{/noChange}}"
        + common
    public static let defaultMonitoring =
        "A fix for {{symptom}} on {{services}} is in place and we are monitoring the results." + common
    public static let defaultReview = """
        Post-incident review of {{reference}}: {{title}}

        Affected: {{services}}, from {{started}} to {{resolved}} ({{duration}}).

        What happened: {{summary}}

        Impact: {{impact}}

        Root cause: {{rootCause}}
        {{#actionItems}}

        What we will do:
        {{actionItems}}{{/actionItems}}
        {{#timeline}}

        Updates we sent:
        {{timeline}}{{/timeline}}
        """
    public static let defaultResolved =
        "{{services}} {{#symptom}}no longer show {{symptom}}; {{/symptom}}the incident is resolved." + common
}
