import Foundation

/// How chat reaches the desk: the Slack app's signing secret, the Mattermost webhook or slash-command
/// token, and which chat accounts are which people. A message from an account that is not linked is
/// answered, never turned into a ticket.
public struct ChatIntakeSettings: Sendable, Equatable, Codable {
    /// A chat platform whose requests the desk takes.
    public enum Platform: String, StringEnum, Sendable {
        case slack, mattermost
    }

    /// One chat account that speaks for a person.
    public struct Account: Sendable, Equatable, Codable {
        public var platform: Platform
        /// The platform's user id (`U024BE7LH` on Slack, a 26-character id on Mattermost).
        public var userId: String
        public var personId: UUID

        public init(platform: Platform, userId: String, personId: UUID) {
            self.platform = platform
            self.userId = userId
            self.personId = personId
        }
    }

    /// Signs Slack's requests (`X-Slack-Signature`); nil refuses Slack.
    public var slackSigningSecret: String?
    /// Sent by Mattermost with every request (`token` field or `Authorization: Token …`); nil refuses Mattermost.
    public var mattermostToken: String?
    public var accounts: [Account]

    public init(slackSigningSecret: String? = nil, mattermostToken: String? = nil, accounts: [Account] = []) {
        self.slackSigningSecret = slackSigningSecret
        self.mattermostToken = mattermostToken
        self.accounts = accounts
    }

    /// Most accounts linked.
    public static let maxAccounts = 1000

    /// The person a platform's user speaks for.
    public func person(_ platform: Platform, userId: String) -> UUID? {
        accounts.first { $0.platform == platform && $0.userId == userId }?.personId
    }

    /// The settings with trimmed secrets, or every field that is wrong.
    public func checked() throws(ValidationFailure) -> ChatIntakeSettings {
        var errors: [FieldError] = []
        var checked = self
        for (field, secret) in [("slackSigningSecret", slackSigningSecret), ("mattermostToken", mattermostToken)] {
            guard let value = secret?.trimmingWhitespace(), !value.isEmpty else {
                if field == "slackSigningSecret" {
                    checked.slackSigningSecret = nil
                } else {
                    checked.mattermostToken = nil
                }
                continue
            }
            if value.count < 16 || value.count > 200
                || value.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x21 })
            {
                errors.append(FieldError(field: field, message: "must be 16 to 200 printable ASCII characters"))
            }
            if field == "slackSigningSecret" {
                checked.slackSigningSecret = value
            } else {
                checked.mattermostToken = value
            }
        }
        if accounts.count > Self.maxAccounts {
            errors.append(FieldError(field: "accounts", message: "must hold at most \(Self.maxAccounts) accounts"))
        }
        var seen: Set<String> = []
        for (index, account) in accounts.enumerated() {
            let id = account.userId.trimmingWhitespace()
            if id.isEmpty || id.count > 64 || id.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x21 }) {
                errors.append(
                    FieldError(
                        field: "accounts[\(index)].userId",
                        message: "must be 1 to 64 printable ASCII characters"
                    )
                )
            } else if !seen.insert("\(account.platform.rawValue):\(id)").inserted {
                errors.append(FieldError(field: "accounts[\(index)].userId", message: "is linked twice"))
            }
            checked.accounts[index].userId = id
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return checked
    }
}
