import TierdeskCore

/// The canned responses page.
struct TemplateListView {
    var title = "Canned responses"
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var templates: [TemplateView]
    var hasTemplates: Bool
    /// Whether the reader may keep shared ones.
    var canShare: Bool
    var statuses: [OptionView]
    var placeholders: String
    var kept: [String: String]
    var refusals: [String: String]
}

/// One canned response or macro in the list.
struct TemplateView {
    var id: String
    var name: String
    var body: String
    var scope: String
    /// What a macro does besides replying, in words; nil for a plain canned response.
    var actions: String?
    var canDelete: Bool

    init(_ template: ResponseTemplate, canDelete: Bool) {
        id = template.id.uuidString
        name = template.name
        body = template.body
        scope = template.ownerID == nil ? "shared" : "personal"
        var actions: [String] = []
        if let status = template.status { actions.append("sets the status to \(StatusLabel.text(status))") }
        if let group = template.group { actions.append("hands it to \(group)") }
        if template.assignToMe { actions.append("makes you the owner") }
        self.actions = actions.isEmpty ? nil : "Macro: replies, " + actions.joined(separator: ", ")
        self.canDelete = canDelete
    }
}
