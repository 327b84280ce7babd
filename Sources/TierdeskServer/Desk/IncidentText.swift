import Foundation
import Mustache
import TierdeskCore

/// Renders an update's text from its state's Mustache template, as plain text: the pages that show it
/// escape it, and mail and chat carry it as text.
enum IncidentText {
    /// The fields a template reads.
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

    /// The rendered text, or why the template cannot be read.
    static func render(_ template: String, _ fields: Fields) throws(FieldError) -> String {
        let parsed: MustacheTemplate
        do { parsed = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template) } catch {
            throw FieldError(
                field: "templates.\(fields.state.rawValue)",
                message: "is not a valid Mustache template: \(error)"
            )
        }
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
        let text = parsed.render(context).trimmingWhitespace()
        return String(text.prefix(IncidentUpdate.maxMessage))
    }

    /// Checks every template of a policy parses.
    static func check(_ templates: IncidentTemplates) throws(ValidationFailure) {
        var errors: [FieldError] = []
        for state in [MajorIncident.State.investigating, .identified, .monitoring, .resolved] {
            do { _ = try MustacheTemplate(string: templates.template(for: state)) } catch {
                errors.append(
                    FieldError(
                        field: "templates.\(state.rawValue)",
                        message: "is not a valid Mustache template: \(error)"
                    )
                )
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
