import Foundation
import TierdeskCore

/// What someone typed into a form the desk refused: shown again, with each refusal next to its field in plain
/// words, so nothing typed is lost. Values and refusals are keyed for the templates by the form and the
/// field (`replyBody`, `escalateTried`).
struct KeptForm {
    var values: [String: String] = [:]
    var refusals: [String: String] = [:]

    /// The refusals the web forms word themselves, by field: the API's messages name its fields.
    static let plainWords: [String: String] = [
        "reason": "Say why it needs the next tier.",
        "tried": "Say what you already tried.",
        "evidence": "Paste a log excerpt, attach a screenshot or log file to the ticket, or say why there is none.",
        "reproductionSteps": "Write the steps that reproduce it: L3 takes a ticket only with them.",
        "logExtract": "Paste a log extract: L3 takes a ticket only with one.",
        "reproducedIn": "Say where it was reproduced (QA or staging) before the vendor is involved.",
        "body": "Write the text to send.",
        "note": "Write a note for the tier that takes it back.",
    ]

    init() {}

    /// The values of `form` as typed, by field; empty ones are left out.
    init(_ form: String, _ fields: [String: String?]) {
        for (field, value) in fields {
            guard let value, !value.isEmpty else { continue }
            values[Self.key(form, field)] = value
        }
    }

    /// Puts each of the problem's field refusals next to its field of `form`, and returns what the top of
    /// the page says: that nothing was saved and where to look, or the problem itself when no field is to
    /// blame (a change made meanwhile by someone else, say).
    /// `words` replaces the messages of some fields (by default the ticket forms' ``plainWords``).
    mutating func refuse(_ problem: Problem, form: String, words plain: [String: String] = Self.plainWords) -> String {
        for error in problem.errors {
            let words = plain[error.field] ?? Self.sentence(error.message)
            let key = Self.key(form, error.field)
            refusals[key] = refusals[key].map { $0 + " " + words } ?? words
        }
        return problem.errors.isEmpty ? problem.detail : "Nothing was saved: see what is missing below."
    }

    static func key(_ form: String, _ field: String) -> String {
        form + (field.first.map { $0.uppercased() + field.dropFirst() } ?? "")
    }

    /// "is required" → "Is required."
    static func sentence(_ message: String) -> String {
        let text = (message.first.map { $0.uppercased() + message.dropFirst() } ?? message)
        return text.hasSuffix(".") ? text : text + "."
    }
}
