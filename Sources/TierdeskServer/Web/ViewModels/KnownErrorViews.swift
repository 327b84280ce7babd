import Foundation
import TierdeskCore

/// An article as pages show it.
struct KnownErrorView {
    var reference: String
    var title: String
    var symptom: String
    var rootCause: String
    var workaround: String
    var fixStatus: String
    var lowestTier: String
    var isPublic: Bool

    init(_ article: KnownError) {
        reference = article.reference
        title = article.title
        symptom = article.symptom
        rootCause = article.rootCause
        workaround = article.workaround
        fixStatus = article.fixStatus.rawValue.replacingOccurrences(of: "_", with: " ")
        lowestTier = article.lowestTier.rawValue
        isPublic = article.isPublic
    }
}

/// `/console/known-errors`: search and the form for a new article.
struct KnownErrorPageView {
    var title = "Known errors"
    var user: UserView?
    var notice: String?
    var error: String?
    var q: String
    var articles: [KnownErrorView]
    var hasArticles: Bool
    var canWrite: Bool
    var csrf: String
    var form: KnownErrorFormValues
    var tiers: [OptionView]
    var fixStatuses: [OptionView]
}

/// What the article form shows: empty, or what was sent when it was refused.
struct KnownErrorFormValues: Decodable {
    var title = ""
    var symptom = ""
    var rootCause = ""
    var workaround = ""
    var lowestTier = "L1"
    var fixStatus = FixStatus.workaroundOnly.rawValue
    var problemTicket = ""
    var isPublic = false

    init() {}
}
