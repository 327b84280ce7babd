import Foundation
import TierdeskCore
import TierdeskStore

/// The alert intake settings and the alerts list: staff who see every queue read alerts; admins set who
/// alerts are reported as, the group they go to and the hourly limit.
extension AlertIntakeDesk {
    func alerts(ticketNumber: Int?, status: AlertState.Status?, for actor: Actor) async throws -> [AlertState] {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        return try await alerts.list(ticketNumber: ticketNumber, status: status)
    }

    func settings(for actor: Actor) async throws -> AlertIntakeSettings {
        try DirectoryDesk.requireConfigure(actor)
        return try await settings.alertIntake()
    }

    func save(_ stored: AlertIntakeSettings, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        do { try stored.validate() } catch { throw TierdeskError.invalid(error) }
        var reporter: Person?
        if let id = stored.reporterId {
            reporter = try await directory.person(id)
            guard let reporter else {
                throw TierdeskError.invalid(field: "reporterId", "no person has the id \(id.uuidString)")
            }
            // The reason says what is missing: a disabled account, or the permission alerts need.
            do {
                try AlertTicketing.check(reporter: reporter)
            } catch {
                throw TierdeskError.invalid(field: "reporterId", error.reason)
            }
        }
        // Alert tickets open at L1: the group must exist and take L1 tickets.
        if let name = stored.group {
            guard let group = try await groups.find(name: name) else {
                throw TierdeskError.invalid(
                    field: "group",
                    "no support group is named \(name.prefix(TextLimits.label))"
                )
            }
            if let refusal = group.refusal(at: .l1) { throw TierdeskError.invalid(field: "group", refusal) }
        }
        try await settings.save(stored)
        alertIntake.saved(try await AlertIntakeInputs.with(stored, reporter: reporter, directory), at: clock.now())
    }
}
