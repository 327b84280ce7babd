import Foundation
import TierdeskCore

/// A line of the incident list.
struct IncidentRowView {
    var reference: String
    var title: String
    var severity: String
    var state: String
    var declared: String
    var nextUpdate: String
    var overdue: Bool

    init(_ incident: MajorIncident, now: Date, zone: TimeZone) {
        reference = incident.reference
        title = incident.title
        severity = incident.severity.rawValue
        state = IncidentBroadcast.label(incident.state)
        declared = DisplayTime.local(incident.declaredAt, in: zone)
        nextUpdate = incident.nextUpdateDue.map { DisplayTime.local($0, in: zone) } ?? "—"
        overdue = incident.nextUpdateDue.map { $0 <= now } ?? false
    }
}

/// `/console/incidents`: the incidents and the form that declares one.
struct IncidentListView {
    struct Form {
        var title = ""
        var publicTitle = ""
        var tickets = ""
        var severity = "Sev1"
    }
    var title = "Major incidents"
    var user: UserView
    var notice: String?
    var error: String?
    var zone: String
    var active: [IncidentRowView]
    var earlier: [IncidentRowView]
    var hasActive: Bool
    var hasEarlier: Bool
    var canRun: Bool
    var form: Form
    var severityOptions: [OptionView]
    var serviceOptions: [OptionView]
}

/// `/console/incidents/INC-n`: one incident, its timeline, and the forms that run it.
struct IncidentPageView {
    struct Update {
        var at: String
        var atISO: String
        var state: String
        var message: String
        var author: String
        var noChange: Bool
    }
    struct Entry {
        var at: String
        var atISO: String
        var kind: String
        var who: String
        var text: String
    }
    struct UpdateForm {
        var symptom = ""
        var impact = ""
        var workaround = ""
        var message = ""
        var noChange = false
    }
    struct ReviewForm {
        var summary = ""
        var impact = ""
        var rootCause = ""
        var contributingFactors = ""
        var wentWell = ""
        var actionItems = ""
        var knownError = ""
        var customerSummary = ""
    }
    var title: String
    var user: UserView
    var notice: String?
    var error: String?
    var reference: String
    var incidentTitle: String
    var publicTitle: String
    var severity: String
    var state: String
    var origin: String
    var lead: String
    var commsLead: String
    var services: String
    var organisations: String
    var declared: String
    var nextUpdate: String?
    var overdue: Bool
    var missedUpdates: Int
    var zone: String
    var tickets: [String]
    var updates: [Update]
    var timeline: [Entry]
    var version: Int
    var csrf: String
    var canRun: Bool
    var isOpen: Bool
    var isResolved: Bool
    /// Still owes updates (not yet resolved).
    var isActive: Bool
    var stateOptions: [OptionView]
    var leadOptions: [OptionView]
    var commsOptions: [OptionView]
    var form: UpdateForm
    var preview: String?
    var reviewRequired: Bool
    var hasReview: Bool
    var review: ReviewForm
}

/// The printable review: the whole of it for staff, or the customer version.
struct IncidentReviewView {
    struct Item {
        var title: String
        var owner: String
        var due: String
        var ticket: String
    }
    var title: String
    var user: UserView?
    var reference: String
    var publicTitle: String
    var internalTitle: String?
    var severity: String
    var started: String
    var resolved: String
    var duration: String
    var services: String
    var organisations: String?
    var tickets: Int?
    /// `25,200 EUR (12,000 EUR an hour)`, one per currency.
    var costs: [String]
    var summary: String
    var impact: String
    var rootCause: String
    var contributingFactors: String?
    var wentWell: String?
    var items: [Item]
    var hasItems: Bool
    var knownError: String?
    var timeline: [IncidentPageView.Entry]
    var isCustomer: Bool
    var zone: String
}

enum IncidentViews {
    /// A cost line: `25,200 EUR (12,000 EUR an hour)`.
    static func cost(_ cost: IncidentImpact.Cost) -> String {
        let format = { (value: Int) in value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB")))
        }
        return "\(format(cost.total)) \(cost.currency) (\(format(cost.perHour)) \(cost.currency) an hour)"
    }

    /// Action items as a form writes them: one per line, `title | owner e-mail | due | ticket`.
    static func itemsText(_ items: [PostIncidentReview.ActionItem], emails: [UUID: String]) -> String {
        items.map { item in
            [item.title, item.ownerID.flatMap { emails[$0] } ?? "", item.due ?? "", item.ticket ?? ""]
                .joined(separator: " | ")
        }
        .joined(separator: "\n")
    }
}
