import Foundation
import HTTPTypes
import Hummingbird
import TierdeskCore

/// `POST /api/v1/integrations/chat`: Slack slash commands (signed with the app's signing secret) and
/// Mattermost outgoing webhooks or slash commands (carrying their token) open tickets and reply on them
/// for linked accounts; the answer is the JSON both platforms post back into the chat. Admins keep the
/// secrets and the linked accounts in `/api/v1/settings/chat`.
struct ChatAPI {
    let desk: ChatIntakeDesk
    let clock: any Clock

    /// Largest chat request taken.
    static let maxBytes = 64 * 1024
    /// Oldest Slack time stamp taken, either way, so a captured request cannot be replayed later.
    static let slackWindow: TimeInterval = 300

    /// The fields both platforms send, form-encoded (or JSON, from Mattermost).
    struct Message: Decodable {
        var token: String?
        var userId: String?
        var text: String?
        var triggerWord: String?
        enum CodingKeys: String, CodingKey {
            case token, userId = "user_id", text, triggerWord = "trigger_word"
        }
    }

    /// The answer both platforms read.
    struct Answer: Encodable {
        var responseType: String
        var text: String
        enum CodingKeys: String, CodingKey { case responseType = "response_type", text }
    }

    func register(_ routes: APIRoutes) {
        routes.on(.post, "/api/v1/integrations/chat") { request, _ in
            let buffer = try await request.collectBody(
                upTo: Self.maxBytes,
                tooLarge: "A chat request is at most \(Self.maxBytes) bytes."
            )
            let body = Data(buffer: buffer)
            let settings = try await desk.intake()
            let platform = try platform(of: request, body: body, settings: settings)
            let message = try Self.message(body, contentType: request.headers[.contentType])
            if platform == .mattermost {
                try Self.checkMattermost(request, message: message, token: settings.mattermostToken)
            }
            guard let user = message.userId, !user.isEmpty else {
                throw Problem.badRequest(field: "user_id", "is required")
            }
            var text = message.text ?? ""
            if let trigger = message.triggerWord, !trigger.isEmpty, text.hasPrefix(trigger) {
                text = String(text.dropFirst(trigger.count))
            }
            let answer = try await desk.handle(platform, userId: user, text: text)
            return try JSONBody.response(
                Answer(responseType: answer.inChannel ? "in_channel" : "ephemeral", text: answer.text)
            )
        }
        routes.signedIn(.get, "/api/v1/settings/chat") { _, context in
            try JSONBody.response(ChatSettingsDTO(try await desk.settings(for: context.actor)))
        }
        routes.signedIn(.put, "/api/v1/settings/chat") { request, context in
            try TierdeskError.check(AccessPolicy.decide(.configure, by: context.actor), notFound: "")
            let input = try await JSONBody.decode(ChatIntakeSettings.self, from: request)
            return try JSONBody.response(ChatSettingsDTO(try await desk.save(input, by: context.actor)))
        }
    }

    /// Slack when the request carries Slack's signature (checked here), else Mattermost.
    private func platform(of request: Request, body: Data, settings: ChatIntakeSettings) throws
        -> ChatIntakeSettings.Platform
    {
        guard let signature = request.headers[HTTPField.Name("X-Slack-Signature")!] else { return .mattermost }
        guard let secret = settings.slackSigningSecret else {
            throw Problem.unauthorized().with(detail: "Slack requests are not taken: no signing secret is set.")
        }
        guard let stamp = request.headers[HTTPField.Name("X-Slack-Request-Timestamp")!].flatMap({ Int($0) }),
            abs(clock.now().timeIntervalSince1970 - Double(stamp)) <= Self.slackWindow
        else {
            throw Problem.unauthorized()
                .with(detail: "X-Slack-Request-Timestamp is missing or more than 5 minutes away from now.")
        }
        guard Secrets.constantTimeEqual(signature, Self.slackSignature(body: body, stamp: stamp, secret: secret)) else {
            throw Problem.unauthorized().with(detail: "X-Slack-Signature does not match the body.")
        }
        return .slack
    }

    /// `v0=` and the hex HMAC-SHA256 of `v0:<time stamp>:<body>` with the signing secret, as Slack signs.
    static func slackSignature(body: Data, stamp: Int, secret: String) -> String {
        var signed = Data("v0:\(stamp):".utf8)
        signed.append(body)
        return "v0=" + Secrets.hmac(signed, key: secret)
    }

    /// Mattermost sends its token in the body, and slash commands also as `Authorization: Token …`.
    static func checkMattermost(_ request: Request, message: Message, token expected: String?) throws {
        guard let expected else {
            throw Problem.unauthorized()
                .with(detail: "Send Slack's signature, or a Mattermost token; no Mattermost token is set.")
        }
        let header = request.headers[.authorization]
            .flatMap { value -> String? in
                value.lowercased().hasPrefix("token ") ? String(value.dropFirst(6)).trimmingWhitespace() : nil
            }
        guard let given = message.token ?? header, Secrets.constantTimeEqual(given, expected) else {
            throw Problem.unauthorized().with(detail: "The Mattermost token is missing or wrong.")
        }
    }

    /// Reads a form-encoded body, or JSON when the content type says so.
    static func message(_ body: Data, contentType: String?) throws -> Message {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/json") {
            return try JSONBody.decode(Message.self, from: body)
        }
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem(.unsupportedMediaType, "Send the chat request as application/x-www-form-urlencoded or JSON.")
        }
        guard let text = String(data: body, encoding: .utf8) else {
            throw Problem(.badRequest, "The form is not valid UTF-8.")
        }
        // The platforms send many fields; only the first value of the four read here counts, and
        // anything else (repeated or unknown) is ignored.
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String? {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let key = decoded(parts[0]), ["token", "user_id", "text", "trigger_word"].contains(key),
                fields[key] == nil
            else { continue }
            guard let value = parts.count > 1 ? decoded(parts[1]) : "" else {
                throw Problem.badRequest(field: key, "is not valid percent-encoded UTF-8")
            }
            fields[key] = value
        }
        return Message(
            token: fields["token"],
            userId: fields["user_id"],
            text: fields["text"],
            triggerWord: fields["trigger_word"]
        )
    }
}
