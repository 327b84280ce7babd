import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

@main
struct TierdeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierdesk",
        abstract: "Tierdesk, the tiered IT support desk.",
        discussion: """
            Every subcommand but mailgate uses TIERDESK_DATABASE_URL (default: an SQLite file at ./data/tierdesk.sqlite). \
            Outgoing mail is on when TIERDESK_SMTP_URL (smtp://[user:password@]host[:port][?starttls=required|opportunistic|off]) \
            and TIERDESK_MAIL_FROM ("Service Desk <support@desk.example>") are set; TIERDESK_BASE_URL puts links in mail.
            """,
        subcommands: [
            Serve.self, Migrate.self, Demo.self, OrganisationCommand.self, UserCommand.self, TokenCommand.self,
            IntegrationCommand.self, SLACommand.self, MailgateCommand.self, BackupCommand.self, RestoreCommand.self,
            CheckCommand.self, ExportCommand.self, ImportCommand.self,
        ]
    )
}

/// Writes a line to standard output at once (also when it is a file or a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Shared start-up: logger, database, the application's components.
enum Startup {
    /// `LOG_LEVEL` wins; otherwise the server logs from `info`, one-off commands only warnings. Started by
    /// systemd with its output in the journal, records go to the journal as structured entries.
    static func logger(defaultLevel: Logger.Level) -> Logger {
        var logger =
            JournalLogHandler.journalIsAvailable()
            ? Logger(label: "tierdesk") { JournalLogHandler(label: $0) } : Logger(label: "tierdesk")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        return logger
    }

    static func withComponents<T>(logLevel: Logger.Level = .warning, _ body: (AppComponents) async throws -> T)
        async throws -> T
    {
        let logger = logger(defaultLevel: logLevel)
        let location = try DatabaseLocation(url: ProcessInfo.processInfo.environment["TIERDESK_DATABASE_URL"])
        let database = try await TierdeskDatabase.open(location, logger: logger)
        do {
            let secure = ProcessInfo.processInfo.environment["TIERDESK_SECURE_COOKIES"] == "1"
            var configuration = TierdeskConfiguration(database: database, clock: SystemClock(), logger: logger)
            configuration.secureCookies = secure
            configuration.mail = try mailConfiguration()
            configuration.baseURL = ProcessInfo.processInfo.environment["TIERDESK_BASE_URL"]
            configuration.outboxLease = outboxLease()
            configuration.trustedProxies = try trustedProxies()
            configuration.metricsToken = ProcessInfo.processInfo.environment["TIERDESK_METRICS_TOKEN"]
                .flatMap { $0.isEmpty ? nil : $0 }
            let result = try await body(try await AppComponents(configuration))
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}

extension Startup {
    /// Outgoing mail from TIERDESK_SMTP_URL, TIERDESK_MAIL_FROM and TIERDESK_BASE_URL; nil without a relay.
    static func mailConfiguration() throws -> MailConfiguration? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["TIERDESK_SMTP_URL"], !url.isEmpty else { return nil }
        guard let from = environment["TIERDESK_MAIL_FROM"].flatMap({ MailAddress.list($0).first }),
            Person.isPlausibleEmail(from.address)
        else {
            throw ValidationError(
                "TIERDESK_MAIL_FROM must name the desk's address, such as \"Service Desk <support@desk.example>\"."
            )
        }
        let smtp: SMTPConfiguration
        do {
            smtp = try SMTPConfiguration(
                url: url,
                heloName: String(from.address.split(separator: "@").last ?? "localhost")
            )
        } catch {
            throw ValidationError("TIERDESK_SMTP_URL \(error.errors.map(\.message).joined(separator: "; "))")
        }
        let identity = DeskMailIdentity(
            address: from.address,
            name: from.name ?? "Tierdesk",
            baseURL: environment["TIERDESK_BASE_URL"]
        )
        return MailConfiguration(identity: identity, smtp: smtp)
    }

    /// TIERDESK_TRUSTED_PROXIES: addresses or CIDR networks of reverse proxies whose X-Forwarded-For is believed.
    static func trustedProxies() throws -> TrustedProxies {
        do {
            return try TrustedProxies(parsing: ProcessInfo.processInfo.environment["TIERDESK_TRUSTED_PROXIES"] ?? "")
        } catch {
            throw ValidationError("TIERDESK_TRUSTED_PROXIES: \(error.message)")
        }
    }

    /// TIERDESK_OUTBOX_LEASE_SECONDS: how long a sender's claim on outbox messages lasts (default 120).
    static func outboxLease() -> TimeInterval {
        ProcessInfo.processInfo.environment["TIERDESK_OUTBOX_LEASE_SECONDS"].flatMap(TimeInterval.init)
            .map { max(1, $0) } ?? 120
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate the database, then serve the web console, portal and API."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Load the demo data when the database is empty.") var demo = false

    func run() async throws {
        try await Startup.withComponents(logLevel: .info) { components in
            if demo {
                if try await DemoData.loadIfEmpty(components) {
                    say("Loaded the demo data. Log in with any of these (password: \(DemoData.password)):")
                } else {
                    say(
                        "The database already has people; the demo data was not loaded again. Demo logins (password: \(DemoData.password)):"
                    )
                }
                for account in DemoData.accounts { say("  \(account.email)  — \(account.role)") }
            }
            components.metrics.bootstrapSystem()
            let app = buildApplication(components, host: host, port: port) { port in
                say("Tierdesk is serving http://\(host):\(port)")
            }
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date.")

    @Flag(help: "List the migrations that would run, and change nothing.") var dryRun = false

    func run() async throws {
        guard dryRun else {
            try await Startup.withComponents { _ in say("The database is up to date.") }
            return
        }
        let location = try DatabaseLocation(url: ProcessInfo.processInfo.environment["TIERDESK_DATABASE_URL"])
        let database = try await TierdeskDatabase.open(
            location,
            logger: Startup.logger(defaultLevel: .warning),
            migrating: false
        )
        let pending: [String]
        do { pending = try await database.pendingMigrations() } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        say(pending.isEmpty ? "The database is up to date." : pending.joined(separator: "\n"))
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo data into an empty database.")

    func run() async throws {
        try await Startup.withComponents { components in
            guard try await DemoData.loadIfEmpty(components) else {
                throw ValidationError(
                    "The database already has people; the demo is only loaded into an empty database."
                )
            }
            say("Loaded the demo data (password for every account: \(DemoData.password)).")
        }
    }
}

struct OrganisationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organisation",
        abstract: "Manage customer organisations.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer organisation.")

        @Option(help: "Name of the organisation.") var name: String
        @Flag(help: "Let every requester of the organisation see all of its tickets.") var sharesTickets = false

        func run() async throws {
            try await Startup.withComponents { components in
                let organisation = try await CommandLineDirectory(components)
                    .addOrganisation(name: name, sharesTickets: sharesTickets)
                say("Added \(organisation.name) (id \(organisation.id.uuidString)).")
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage people.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person.")

        @Option(help: "E-mail address (the login).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Role: requester, agent, vendor, manager or admin. Repeat for several.") var role: [String]
        @Option(help: "Tier of an agent: L1, L2 or L3.") var tier: String?
        @Option(help: "Organisation of a requester, by name or id.") var organisation: String?
        @Option(help: "Vendor of a vendor contact, by name or id.") var vendor: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            var roles: Set<Role> = []
            for raw in role.flatMap({ $0.split(separator: ",") }) {
                guard let value = Role(rawValue: String(raw)) else {
                    throw ValidationError("Unknown role \(raw); use requester, agent, vendor, manager or admin.")
                }
                roles.insert(value)
            }
            var tierValue: Tier?
            if let tier {
                guard let value = Tier(rawValue: tier.uppercased()) else {
                    throw ValidationError("--tier must be L1, L2 or L3.")
                }
                tierValue = value
            }
            let password = passwordStdin ? readLine(strippingNewline: true) : nil
            if passwordStdin, password == nil {
                throw ValidationError("--password-stdin was given but standard input is empty.")
            }
            try await Startup.withComponents { components in
                let person = try await CommandLineDirectory(components)
                    .addPerson(
                        email: email,
                        name: name,
                        roles: roles,
                        tier: tierValue,
                        organisation: organisation,
                        vendor: vendor,
                        password: password
                    )
                say(
                    "Added \(person.name) <\(person.email)> as \(Role.allCases.filter(person.roles.contains).map(\.rawValue).joined(separator: ", ")) (id \(person.id.uuidString))."
                )
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens.",
        subcommands: [Issue.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token and print it on standard output.")

        @Option(help: "E-mail of the person the token acts for.") var email: String
        @Option(help: "A name to recognise the token by.") var name = "command line"

        func run() async throws {
            try await Startup.withComponents { components in
                say(try await CommandLineDirectory(components).issueToken(email: email, name: name))
            }
        }
    }
}

struct SLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Work with SLA clocks.",
        subcommands: [Preview.self]
    )

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Read an SLA scenario (JSON) on standard input and write each clock's due time and state (JSON) on standard output.",
            discussion: "Exit code 2 and a message naming the offending field when the scenario is invalid."
        )

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            do {
                var output = try SLAPreviewAPI.preview(json: input)
                output.append(UInt8(ascii: "\n"))
                FileHandle.standardOutput.write(output)
            } catch {
                FileHandle.standardError.write(Data((error.message + "\n").utf8))
                throw ExitCode(2)
            }
        }
    }
}
