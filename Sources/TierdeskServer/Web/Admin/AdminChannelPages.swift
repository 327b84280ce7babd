import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/admin/channels`: outgoing webhooks and the tokens of integrations (mail gateway, monitoring).
/// A new subscription's or token's secret is shown once, on the page that made it.
struct AdminChannelPages {
    let templates: MustacheLibrary
    let webhooks: WebhookDesk
    let settings: SettingsDesk

    struct ChannelsView {
        var title = "Webhooks and integrations"
        var user: UserView?
        var notice: String?
        var error: String?
        var csrf: String
        var webhooks: [WebhookRowView]
        var eventTypes: [CheckView]
        var integrations: [IntegrationRowView]
        var kinds: [OptionView]
        /// A secret just made, shown once.
        var secret: SecretView?
    }

    struct WebhookRowView {
        var id: String
        var url: String
        var events: String
        var state: String
        var live: Bool
    }

    struct IntegrationRowView {
        var id: String
        var name: String
        var kind: String
        var state: String
        var live: Bool
    }

    struct SecretView {
        var what: String
        var value: String
    }

    struct ChannelForm: Decodable {
        var csrf: String
        var url: String?
        var events: [String]?
        var allowPrivateTargets: String?
        var name: String?
        var kind: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", url, events, allowPrivateTargets, name, kind
        }
    }

    static let notices = ["revoked": "Revoked: it no longer works."]

    func register(_ router: Router<TierdeskRequestContext>) {
        let webhooks = webhooks
        let settings = settings
        router.get("/console/admin/channels") { request, context in
            let identity = try AdminPages.admin(context)
            return try await page(
                identity,
                notice: request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            )
        }
        router.post("/console/admin/webhooks") { request, context in
            let form = try await WebForm.decode(ChannelForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            do {
                let (subscription, secret) = try await webhooks.subscribe(
                    url: form.url ?? "",
                    events: form.events ?? [],
                    allowPrivateTargets: form.allowPrivateTargets == "1",
                    by: identity.actor
                )
                return try await page(
                    identity,
                    notice: "Subscribed \(subscription.url).",
                    secret: SecretView(what: "Signing secret of \(subscription.url)", value: secret)
                )
            } catch let error as TierdeskError {
                let problem = Problem(error)
                return try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
            }
        }
        router.post("/console/admin/integrations") { request, context in
            let form = try await WebForm.decode(ChannelForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            do {
                guard let kind = form.kind.flatMap(Integration.Kind.init(rawValue:)) else {
                    throw TierdeskError.invalid(field: "kind", "choose what the token is for")
                }
                let (integration, token) = try await settings.createIntegration(
                    kind: kind,
                    name: form.name ?? "",
                    by: identity.actor
                )
                return try await page(
                    identity,
                    notice: "Added \(integration.name).",
                    secret: SecretView(what: "Token of \(integration.name)", value: token)
                )
            } catch let error as TierdeskError {
                let problem = Problem(error)
                return try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
            }
        }
        router.post("/console/admin/webhooks/:id/revoke") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            try await webhooks.revoke(try context.uuidParameter("id", what: "webhook"), by: identity.actor)
            return Response.redirect(to: "/console/admin/channels?notice=revoked", type: .normal)
        }
        router.post("/console/admin/integrations/:id/revoke") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            try await settings.revokeIntegration(
                try context.uuidParameter("id", what: "integration"),
                by: identity.actor
            )
            return Response.redirect(to: "/console/admin/channels?notice=revoked", type: .normal)
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        secret: SecretView? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = UserView(identity)
        let view = ChannelsView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            webhooks: try await webhooks.subscriptions(for: identity.actor)
                .map {
                    WebhookRowView(
                        id: $0.id.uuidString,
                        url: $0.url,
                        events: $0.events.map(\.rawValue).sorted().joined(separator: ", "),
                        state: $0.revokedAt.map { "revoked \(DisplayTime.text($0))" } ?? "live",
                        live: $0.revokedAt == nil
                    )
                },
            eventTypes: WebhookSubscription.EventType.allCases.map {
                CheckView(value: $0.rawValue, label: $0.rawValue, checked: false)
            },
            integrations: try await settings.integrations(for: identity.actor)
                .map {
                    IntegrationRowView(
                        id: $0.id.uuidString,
                        name: $0.name,
                        kind: $0.kind.rawValue,
                        state: $0.revokedAt.map { "revoked \(DisplayTime.text($0))" } ?? "live",
                        live: $0.revokedAt == nil
                    )
                },
            kinds: Integration.Kind.allCases.map {
                OptionView(value: $0.rawValue, label: $0.rawValue, selected: false)
            },
            secret: secret
        )
        return try Templates.page(templates, "admin_channels", view, status: status)
    }
}
