import ArgumentParser
import Foundation
import TierdeskCore
import TierdeskServer

/// `tierdesk import rt|zammad|csv …`: brings another desk's history over.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring organisations, people, queues and tickets with their history over from another desk.",
        discussion: """
            Running an import again skips what it stored before, so an interrupted import resumes where it \
            stopped. History keeps its instants and authors; nothing is mailed, paged or sent. The token may \
            come from TIERDESK_IMPORT_TOKEN instead of --token, which keeps it out of the process list.
            """,
        subcommands: [RequestTracker.self, Zammad.self, CSV.self]
    )

    /// Options every import takes.
    struct Common: ParsableArguments {
        @Flag(help: "Read and convert everything, store nothing, and report what would be created.")
        var dryRun = false

        @Option(help: "The organisation of requesters the source gives none (created when first needed).")
        var organisation = "Imported requesters"

        @Option(help: "The tier imported staff work on (L1, L2 or L3).")
        var staffTier = "L1"

        func options() throws -> ImportOptions {
            guard let tier = Tier(rawValue: staffTier.uppercased()), tier != .l4 else {
                throw ValidationError("--staff-tier must be L1, L2 or L3.")
            }
            var options = ImportOptions(defaultOrganisation: organisation)
            options.dryRun = dryRun
            options.staffTier = tier
            return options
        }
    }

    struct RequestTracker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rt",
            abstract: "Import from Request Tracker 5 through its REST2 API."
        )

        @Option(help: "RT's web address, such as https://rt.example.com (REST2 is read under /REST/2.0).")
        var url: String

        @Option(help: "An RT authentication token of a user who sees every queue to import.")
        var token: String?

        @Option(help: "TicketSQL choosing the tickets, such as \"Queue = 'Support'\".")
        var query = "id > 0"

        @OptionGroup var common: Common

        func run() async throws {
            let source = RequestTrackerSource(
                url: try ImportCommand.url(url),
                token: try ImportCommand.token(token),
                query: query
            )
            try await ImportCommand.run(source, try common.options())
        }
    }

    struct Zammad: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import from Zammad through its REST API.")

        @Option(help: "Zammad's web address, such as https://zammad.example.com.")
        var url: String

        @Option(help: "A Zammad API token (admin.user, ticket.agent) that sees every group to import.")
        var token: String?

        @OptionGroup var common: Common

        func run() async throws {
            let source = ZammadSource(url: try ImportCommand.url(url), token: try ImportCommand.token(token))
            try await ImportCommand.run(source, try common.options())
        }
    }

    struct CSV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import tickets from a CSV file (the columns are in docs/operations.md)."
        )

        @Argument(help: "The CSV file (UTF-8, a header line first).")
        var file: String

        @Option(help: "Names the source, so the same file imported again is recognised (default: the file's name).")
        var sourceName: String?

        @OptionGroup var common: Common

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            let source: CSVImportSource
            do {
                source = try CSVImportSource(
                    data: try Data(contentsOf: url),
                    name: sourceName ?? url.lastPathComponent
                )
            } catch let error as ImportSourceError {
                throw ValidationError("\(file): \(error.description)")
            }
            try await ImportCommand.run(source, try common.options())
        }
    }

    static func url(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else { throw ValidationError("--url must be an http or https address, such as https://rt.example.com.") }
        return url
    }

    static func token(_ option: String?) throws -> String {
        guard let token = option ?? ProcessInfo.processInfo.environment["TIERDESK_IMPORT_TOKEN"], !token.isEmpty else {
            throw ValidationError("Give the source's API token with --token or TIERDESK_IMPORT_TOKEN.")
        }
        return token
    }

    static func run(_ source: any ImportSource, _ options: ImportOptions) async throws {
        let meter = ProgressMeter(terminal: isatty(STDOUT_FILENO) == 1)
        let report: ImportReport
        do {
            report = try await Startup.withComponents {
                try await $0.importDesk.run(source, options: options) { meter.show($0) }
            }
        } catch let error as ImportSourceError {
            meter.finish()
            throw ValidationError(
                "\(error.description). Nothing stored so far is lost; run the import again to resume."
            )
        }
        meter.finish()
        say(options.dryRun ? "Dry run from \(source.label), nothing stored:" : "Imported from \(source.label):")
        for line in report.summary { say("  " + line) }
        if !report.problems.isEmpty {
            say("Not mapped or adjusted:")
            for line in report.problems { say("  " + line) }
            if report.moreProblems > 0 { say("  … and \(report.moreProblems) more") }
        }
    }
}

/// Shows an import's progress: a bar redrawn in place on a terminal, plain lines (each stage, then every
/// tenth of the tickets) otherwise.
final class ProgressMeter: @unchecked Sendable {
    private let terminal: Bool
    private let lock = NSLock()
    private var lastLine = ""
    private var drawn = false

    init(terminal: Bool) {
        self.terminal = terminal
    }

    func show(_ progress: ImportProgress) {
        lock.lock()
        defer { lock.unlock() }
        let line: String
        if progress.total == 0 {
            line = "Importing \(progress.stage)…"
        } else if terminal {
            let width = 30
            let filled = progress.done * width / progress.total
            line =
                "Importing \(progress.stage) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(progress.done)/\(progress.total)"
        } else {
            let step = max(1, progress.total / 10)
            guard progress.done % step == 0 || progress.done == progress.total else { return }
            line = "Importing \(progress.stage): \(progress.done) of \(progress.total)"
        }
        guard line != lastLine else { return }
        lastLine = line
        if terminal {
            FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
            drawn = true
        } else {
            say(line)
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if terminal, drawn { FileHandle.standardOutput.write(Data("\n".utf8)) }
        drawn = false
    }
}
