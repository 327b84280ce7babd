import Foundation
import TierdeskCore
import TierdeskStore

/// Chat as a channel: a linked chat account opens tickets and replies on them as its person, with the
/// person's own rights; the answer goes back to the chat. Admins set the secrets and link accounts.
struct ChatIntakeDesk: Sendable {
    let clock: any Clock
    let settings: SettingsRepository
    let directory: DirectoryRepository
    let ticketDesk: TicketDesk

    /// What goes back to the chat: for everyone in the channel, or only for the person who wrote.
    struct Answer: Sendable, Equatable {
        var text: String
        var inChannel: Bool
    }

    /// The settings the intake checks requests against.
    func intake() async throws -> ChatIntakeSettings { try await settings.chatIntake() }

    func settings(for actor: Actor) async throws -> ChatIntakeSettings {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
        return try await settings.chatIntake()
    }

    /// Saves secrets and accounts; a secret left out (nil) keeps the one stored, an empty one removes it.
    func save(_ new: ChatIntakeSettings, by actor: Actor) async throws -> ChatIntakeSettings {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
        let stored = try await settings.chatIntake()
        var merged = new
        if new.slackSigningSecret == nil { merged.slackSigningSecret = stored.slackSigningSecret }
        if new.mattermostToken == nil { merged.mattermostToken = stored.mattermostToken }
        var checked: ChatIntakeSettings
        do { checked = try merged.checked() } catch { throw TierdeskError.invalid(error) }
        var errors: [FieldError] = []
        for (index, account) in checked.accounts.enumerated() {
            guard let person = try await directory.person(account.personId), person.active else {
                errors.append(FieldError(field: "accounts[\(index)].personId", message: "must name an active person"))
                continue
            }
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        if new.slackSigningSecret?.trimmingWhitespace().isEmpty == true { checked.slackSigningSecret = nil }
        if new.mattermostToken?.trimmingWhitespace().isEmpty == true { checked.mattermostToken = nil }
        try await settings.save(checked)
        return checked
    }

    /// Handles one message of a user of `platform`.
    func handle(_ platform: ChatIntakeSettings.Platform, userId: String, text: String) async throws -> Answer {
        let configured = try await settings.chatIntake()
        guard let id = configured.person(platform, userId: userId), let person = try await directory.person(id),
            person.active
        else {
            return Answer(
                text: "Your \(platform.rawValue) account is not linked to a Tierdesk person; ask an admin to link it.",
                inChannel: false
            )
        }
        let command = ChatCommand(String(text.prefix(ChatCommand.maxText)))
        do {
            switch command {
            case .help:
                return Answer(text: ChatCommand.usage, inChannel: false)
            case .open(let title, let description):
                var draft = TicketDraft(title: title, description: description)
                draft.channel = .chat
                let ticket = try await ticketDesk.open(draft, by: person)
                return Answer(text: "\(person.name) opened \(ticket.reference): \(ticket.title)", inChannel: true)
            case .reply(let reference, let body):
                _ = try await ticketDesk.addMessage(reference, body: body, isInternal: false, by: person.actor)
                return Answer(text: "\(person.name) replied on \(reference).", inChannel: true)
            }
        } catch let error as TierdeskError {
            switch error {
            case .notFound:
                return Answer(text: "No ticket \(command.reference ?? "") that you can see.", inChannel: false)
            default: return Answer(text: "Not done: \(error.reason)", inChannel: false)
            }
        }
    }
}

extension ChatCommand {
    /// The ticket a reply names.
    var reference: String? {
        if case .reply(let reference, _) = self { reference } else { nil }
    }
}
