/// What an import did or, in a dry run, would do.
public struct ImportReport: Sendable, Equatable {
    /// Counts of one kind of record.
    public struct Tally: Sendable, Equatable {
        /// Stored by this run (in a dry run: would be).
        public var created = 0
        /// Already imported by an earlier run.
        public var skipped = 0
        /// Could not be mapped; see ``ImportReport/problems``.
        public var failed = 0

        public init() {}
    }

    public var organisations = Tally()
    public var people = Tally()
    public var groups = Tally()
    public var tickets = Tally()
    public var links = Tally()
    /// Events and files of the tickets created.
    public var events = 0
    public var files = 0
    /// Each adjustment in plain words with the record it concerns, at most ``maxLines``.
    public var problems: [String] = []
    /// How many lines were left out of ``problems``.
    public var moreProblems = 0

    public static let maxLines = 200

    public init() {}

    public mutating func note(_ line: String) {
        if problems.count < Self.maxLines { problems.append(line) } else { moreProblems += 1 }
    }

    /// One line per kind, for a terminal.
    public var summary: [String] {
        func line(_ name: String, _ tally: Tally) -> String {
            "\(name): \(tally.created) new, \(tally.skipped) already imported, \(tally.failed) not mapped"
        }
        return [
            line("organisations", organisations), line("people", people), line("groups", groups),
            line("tickets", tickets) + " (\(events) events, \(files) files)", line("links", links),
        ]
    }
}
