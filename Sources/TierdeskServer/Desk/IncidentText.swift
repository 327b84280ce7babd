import Foundation
import Mustache
import TierdeskCore

/// Renders an update's or a shared review's text from its Mustache template, as plain text: the pages that
/// show it escape it, and mail and chat carry it as text.
enum IncidentText {
    /// The fields an update's template reads.
    struct Fields: Sendable {
        var reference: String
        var title: String
        var state: MajorIncident.State
        var severity: Severity
        var services: [String]
        var symptom: String
        var impact: String
        var workaround: String
        var message: String
        var noChange: Bool
        var nextUpdate: String?
        var timeline: [String]
    }

    /// `template` rendered as plain text with `context`, or why the template (named `field`) cannot be read.
    static func render(_ template: String, context: [String: Any], field: String) throws(FieldError) -> String {
        let parsed: MustacheTemplate
        do { parsed = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template) } catch {
            throw FieldError(field: field, message: "is not a valid Mustache template: \(error)")
        }
        return String(parsed.render(context).trimmingWhitespace().prefix(IncidentUpdate.maxMessage))
    }

    /// An update's text, or why its state's template cannot be read.
    static func render(_ template: String, _ fields: Fields) throws(FieldError) -> String {
        // Empty fields are left out, so `{{#impact}}…{{/impact}}` shows nothing without an impact.
        var context: [String: Any] = [
            "reference": fields.reference,
            "title": fields.title,
            "state": IncidentBroadcast.label(fields.state),
            "severity": fields.severity.rawValue,
            "services": fields.services.isEmpty ? "our services" : fields.services.joined(separator: ", "),
            "symptom": fields.symptom.isEmpty ? "a disruption" : fields.symptom,
            "noChange": fields.noChange,
        ]
        for (key, value) in [
            ("impact", fields.impact), ("workaround", fields.workaround), ("message", fields.message),
            ("nextUpdate", fields.nextUpdate ?? ""), ("timeline", fields.timeline.joined(separator: "\n")),
        ] where !value.isEmpty {
            context[key] = value
        }
        return try render(template, context: context, field: "templates.\(fields.state.rawValue)")
    }

    /// Checks every template of a policy parses.
    static func check(_ templates: IncidentTemplates) throws(ValidationFailure) {
        var errors: [FieldError] = []
        let named = [
            ("investigating", templates.investigating), ("identified", templates.identified),
            ("monitoring", templates.monitoring), ("resolved", templates.resolved), ("review", templates.review),
        ]
        for (name, template) in named {
            do { _ = try MustacheTemplate(string: template) } catch {
                errors.append(
                    FieldError(field: "templates.\(name)", message: "is not a valid Mustache template: \(error)")
                )
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
