import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Slack and Mattermost as a channel: signed or token-carrying requests of linked accounts open tickets
/// and reply on them with their person's rights; everything else is refused or only explained.
struct ChatIntakeTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let token = "mattermost-token-0123456789"

    func slack(_ f: ServerFixture, _ form: String, stamp: Int? = nil, signature: String? = nil) async throws
        -> TestResponse
    {
        let now = Int(ServerFixture.t0.timeIntervalSince1970)
        let stamp = stamp ?? now
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] = String(stamp)
        headers[HTTPField.Name("X-Slack-Signature")!] =
            signature ?? ChatAPI.slackSignature(body: Data(form.utf8), stamp: stamp, secret: Self.secret)
        return try await f.call(.post, "/api/v1/integrations/chat", body: ByteBuffer(string: form), headers: headers)
    }

    @Test func linkedSlackAndMattermostUsersOpenTicketsAndReplyWithTheirOwnRights() async throws {
        try await ServerFixture.with { f in
            let alice = try #require(f.people["alice"])
            let carol = try #require(f.people["carol"])
            // Nothing is taken before an admin sets the platform up.
            #expect(try await slack(f, "user_id=U1&text=hello").status == .unauthorized)
            let settings =
                #"{"slackSigningSecret":"\#(Self.secret)","mattermostToken":"\#(Self.token)","accounts":[{"platform":"slack","userId":"U1","personId":"\#(alice.id)"},{"platform":"mattermost","userId":"mm-carol","personId":"\#(carol.id)"}]}"#
            #expect(try await f.call(.put, "/api/v1/settings/chat", as: "lena", json: settings).status == .forbidden)
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/chat",
                        as: "admin",
                        json:
                            #"{"slackSigningSecret":"short","accounts":[{"platform":"slack","userId":"U1","personId":"\#(UUID())"}]}"#
                    )
                    .problemFields() == ["slackSigningSecret"]
            )
            let saved = try await f.call(.put, "/api/v1/settings/chat", as: "admin", json: settings)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(!saved.text.contains(Self.secret) && !saved.text.contains(Self.token))

            // A signed Slack slash command opens a ticket in Alice's name; the answer is for the channel.
            let opened = try await slack(
                f,
                "team_id=T1&user_id=U1&command=%2Ftierdesk&text=Label+printer+offline%0AHall+2"
            )
            #expect(opened.status == .ok, "\(opened.text)")
            let answer = try opened.json()
            #expect(answer["response_type"] as? String == "in_channel")
            let text = try #require(answer["text"] as? String)
            let reference = try #require(
                text.split(separator: " ").first { $0.hasPrefix("TD-") }.map { String($0.dropLast()) }
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "alice").json()
            #expect(ticket["title"] as? String == "Label printer offline" && ticket["channel"] as? String == "chat")
            // A reply from chat lands on the ticket as Alice's public reply.
            let replied = try await slack(f, "user_id=U1&text=\(reference)+it+works+again")
            #expect((try replied.json()["text"] as? String)?.contains("replied on \(reference)") == true)
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
                    .contains("it works again")
            )

            // Tampered, replayed or unknown: refused or only explained to the writer.
            let form = "user_id=U1&text=x"
            let forged = try await slack(f, form, signature: "v0=" + String(repeating: "0", count: 64))
            #expect(forged.status == .unauthorized)
            let stale = Int(ServerFixture.t0.timeIntervalSince1970) - 301
            #expect(try await slack(f, form, stamp: stale).status == .unauthorized)
            // Repeated and unknown fields are ignored; the first user_id counts.
            let repeated = try await slack(f, "x=1&x=2&user_id=U999&user_id=U1&text=help")
            #expect(repeated.status == .ok)
            #expect((try repeated.json()["text"] as? String)?.contains("not linked") == true)
            let stranger = try await slack(f, "user_id=U999&text=open+something")
            #expect(try stranger.json()["response_type"] as? String == "ephemeral")
            #expect((try stranger.json()["text"] as? String)?.contains("not linked") == true)

            // Mattermost with its token: Carol (Globex) cannot reach Acme's ticket, and learns nothing of it.
            let mattermost =
                ##"{"token":"\##(Self.token)","user_id":"mm-carol","trigger_word":"#desk","text":"#desk \##(reference) hello"}"##
            let hidden = try await f.call(.post, "/api/v1/integrations/chat", json: mattermost)
            #expect(try hidden.json()["text"] as? String == "No ticket \(reference) that you can see.")
            let wrongToken = mattermost.replacingOccurrences(of: Self.token, with: "nope")
            #expect(try await f.call(.post, "/api/v1/integrations/chat", json: wrongToken).status == .unauthorized)
            let help = try await f.call(
                .post,
                "/api/v1/integrations/chat",
                json: #"{"token":"\#(Self.token)","user_id":"mm-carol","text":"help"}"#
            )
            #expect((try help.json()["text"] as? String) == ChatCommand.usage)
        }
    }
}
