/// What a chat message asks the desk for: `TD-12 the printer works again` replies on TD-12; any other
/// text opens a ticket whose title is its first line; an empty one asks for help.
public enum ChatCommand: Sendable, Equatable {
    case reply(reference: String, body: String)
    case open(title: String, description: String)
    case help

    /// Longest message taken, in characters.
    public static let maxText = 4_000

    /// Reads a slash command's or a message's text (a trigger word, if any, already removed).
    public init(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.lowercased() != "help" else {
            self = .help
            return
        }
        let first = trimmed.prefix { !$0.isWhitespace }
        if TicketReference.number(in: String(first)) != nil {
            let body = trimmed.dropFirst(first.count).trimmingWhitespace()
            self = body.isEmpty ? .help : .reply(reference: String(first).uppercased(), body: body)
            return
        }
        let line = trimmed.prefix { $0 != "\n" && $0 != "\r" }.trimmingWhitespace()
        let title = line.count > TextLimits.title ? String(line.prefix(TextLimits.title - 1)) + "…" : line
        self = .open(title: title, description: trimmed)
    }

    /// What the desk answers to `help`.
    public static let usage =
        "Write what is wrong to open a ticket (the first line is its title), or `TD-12 your reply` to reply on a ticket."
}
