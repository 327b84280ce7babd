import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/portal/settings`: a requester's time zone, in which their pages show times (the browser's when none is
/// chosen). Staff choose theirs with their notification settings.
struct PortalSettingsPages {
    let templates: MustacheLibrary
    let desk: NotificationDesk

    struct PageView {
        var title = "Settings"
        var user: UserView?
        var notice: String?
        var error: String?
        /// The chosen zone (not `timeZone`, which the header reads as the page's zone).
        var zone: String
        var refusal: String?
        var csrf: String
    }

    struct ZoneForm: Decodable {
        var csrf: String
        var timeZone: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", timeZone }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/portal/settings") { request, context in
            let (identity, user) = try PortalPages.signedIn(context)
            let view = PageView(
                user: user,
                notice: request.uri.queryParameters.get("saved") != nil ? "Saved: times are shown in your zone." : nil,
                zone: identity.timeZone?.identifier ?? "",
                csrf: user.csrf
            )
            return try Templates.page(templates, "portal_settings", view)
        }
        router.post("/portal/settings") { request, context in
            let form = try await WebForm.decode(ZoneForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    try await desk.saveTimeZone(form.timeZone, by: identity.actor)
                    return "/portal/settings?saved=1"
                },
                orShow: { problem in
                    let view = PageView(
                        user: UserView(identity),
                        error: "Nothing was saved: see below.",
                        zone: String((form.timeZone ?? "").prefix(64)),
                        refusal: "Choose a time zone such as Europe/Berlin or America/New_York.",
                        csrf: UserView(identity)?.csrf ?? ""
                    )
                    return try Templates.page(templates, "portal_settings", view, status: problem.status)
                }
            )
        }
    }
}
