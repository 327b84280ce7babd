import ArgumentParser
import Foundation
import TierdeskCore
import TierdeskServer

/// `tierdesk export --organisation NAME --to FOLDER`: a customer's data for a data request.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one organisation's data (people, tickets with their public history, files) as JSON and files.",
        discussion: "Internal notes and other organisations' data are left out; the folder must be new or empty."
    )

    @Option(name: .long, help: "The organisation's name.")
    var organisation: String

    @Option(name: .long, help: "The folder to write.")
    var to: String

    func run() async throws {
        try await Startup.withComponents { components in
            do {
                let result = try await components.customerExport.write(
                    organisationNamed: organisation,
                    to: URL(fileURLWithPath: to, isDirectory: true)
                )
                say(
                    "Exported \(organisation): \(result.tickets) tickets, \(result.events) events, \(result.files) files (\(result.bytes) bytes) to \(to)"
                )
            } catch let error as TierdeskError {
                throw ValidationError(error.reason)
            }
        }
    }
}
