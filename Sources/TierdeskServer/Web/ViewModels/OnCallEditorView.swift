import Foundation
import TierdeskCore
import TierdeskStore

/// The console's editor of one schedule or escalation policy: its fields (people and schedules by name), its
/// JSON document (the one the API takes) with the ids it may name, and for a stored schedule its coming
/// week and its overrides with a form to add one.
struct OnCallEditorView {
    struct Reference {
        var name: String
        var detail: String
        var id: String
    }

    struct OverrideRow {
        var id: String
        var role: String
        var person: String
        var start: String
        var end: String
    }

    var title: String
    var user: UserView?
    var notice: String?
    var error: String?
    var heading: String
    /// Where the document is posted.
    var action: String
    var document: String
    var help: String
    var people: [Reference]
    var schedules: [Reference]
    var hasSchedules: Bool
    /// Set for a stored schedule: where overrides are added, and the ones still to come or running.
    var overridesAction: String?
    var overrides: [OverrideRow]
    var hasOverrides: Bool
    var timeZone: String
    var staffOptions: [OptionView]
    var roles: [OptionView]
    var overrideForm: OverrideForm
    /// The field-by-field form of a schedule, or of a policy.
    var scheduleFields: ScheduleFieldsView?
    var policyFields: PolicyFieldsView?
    /// Who holds each role over the coming week, for a stored schedule.
    var week: RotationWeekView?

    /// What the override form holds: empty, or what was sent when it was refused.
    struct OverrideForm {
        var start = ""
        var end = ""
    }

    /// Pretty, stable JSON for the text area.
    static func document(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func references(staff: [Person]) -> [Reference] {
        staff.map { Reference(name: $0.name, detail: $0.email, id: $0.id.uuidString) }
    }
}
