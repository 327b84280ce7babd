import Foundation
import TierdeskCore
import TierdeskStore

/// What the `tierdesk user` and `tierdesk token` commands do, with readable errors.
public struct CommandLineDirectory: Sendable {
    let clock: any Clock
    let directory: DirectoryRepository
    let directoryDesk: DirectoryDesk
    let settingsDesk: SettingsDesk

    /// The directory commands of the process `components` describe.
    public init(_ components: AppComponents) {
        self = components.commandLineDirectory
    }

    init(clock: any Clock, directory: DirectoryRepository, directoryDesk: DirectoryDesk, settingsDesk: SettingsDesk) {
        self.clock = clock
        self.directory = directory
        self.directoryDesk = directoryDesk
        self.settingsDesk = settingsDesk
    }

    /// Adds a customer organisation.
    public func addOrganisation(name: String, sharesTickets: Bool) async throws -> Organisation {
        do {
            let organisation = Organisation(
                id: UUID(),
                name: try DirectoryDesk.validName(name),
                sharesTickets: sharesTickets,
                createdAt: clock.now()
            )
            try await directory.save(organisation)
            return organisation
        } catch let error as TierdeskError {
            throw CommandLineError(error)
        }
    }

    /// Adds a person; organisation and vendor may be given by name or id.
    public func addPerson(
        email: String,
        name: String,
        roles: Set<Role>,
        tier: Tier?,
        organisation: String?,
        vendor: String?,
        password: String?
    ) async throws -> Person {
        var organisationID: UUID?
        if let organisation {
            let all = try await directory.organisations()
            guard
                let found = all.first(where: {
                    $0.id.uuidString == organisation.uppercased() || $0.name == organisation
                })
            else {
                throw CommandLineError(
                    "No organisation \(organisation). Known: \(all.map(\.name).joined(separator: ", "))."
                )
            }
            organisationID = found.id
        }
        var vendorID: UUID?
        if let vendor {
            let all = try await directory.vendors()
            guard let found = all.first(where: { $0.id.uuidString == vendor.uppercased() || $0.name == vendor }) else {
                throw CommandLineError("No vendor \(vendor). Known: \(all.map(\.name).joined(separator: ", ")).")
            }
            vendorID = found.id
        }
        do {
            return try await directoryDesk.createPerson(
                email: email,
                name: name,
                roles: roles,
                tier: tier,
                organisationID: organisationID,
                vendorID: vendorID,
                password: password
            )
        } catch let error as TierdeskError {
            throw CommandLineError(error)
        }
    }

    /// Issues a token for the person with this e-mail and returns the secret.
    public func issueToken(email: String, name: String) async throws -> String {
        guard let person = try await directory.person(email: email) else {
            throw CommandLineError("No person has the e-mail \(email).")
        }
        do {
            return try await directoryDesk.issueToken(name: name, for: person.id).1
        } catch let error as TierdeskError {
            throw CommandLineError(error)
        }
    }

    /// Adds an integration of `kind` and returns its secret token.
    public func addIntegration(kind: String, name: String) async throws -> String {
        guard let kind = Integration.Kind(rawValue: kind) else {
            throw CommandLineError(
                "Unknown kind \(kind); use \(Integration.Kind.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        do {
            return try await settingsDesk.createIntegration(kind: kind, name: name).1
        } catch let error as TierdeskError {
            throw CommandLineError(error)
        }
    }
}

/// An error the command line prints as it is.
public struct CommandLineError: Error, CustomStringConvertible {
    public var description: String

    init(_ message: String) {
        description = message
    }

    init(_ error: TierdeskError) {
        switch error {
        case .invalid(let failure):
            description = failure.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n")
        case .forbidden(let message), .notFound(let message), .conflict(let message), .unavailable(let message):
            description = message
        }
    }
}
