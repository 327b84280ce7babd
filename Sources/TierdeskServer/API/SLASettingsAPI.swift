import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/sla/calendars` and `/api/v1/sla/policies`: staff read them, admins change them. Every change
/// is checked against the whole configuration, stored in one transaction and followed by recomputing the
/// deadlines and alarms of open tickets.
struct SLASettingsAPI {
    let slaSettingsDesk: SLASettingsDesk

    /// Largest iCalendar file accepted for a holiday import (1 MiB).
    static let icsBytes = 1024 * 1024

    func register(_ routes: APIRoutes) {
        let desk = slaSettingsDesk
        routes.signedIn(.get, "/api/v1/sla/calendars") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(CalendarDTO.all(try await desk.current()))
        }
        routes.signedIn(.put, "/api/v1/sla/calendars/{name}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            let spec = try await JSONBody.decode(CalendarSpec.self, from: request)
            let (configuration, count) = try await desk.update { configuration in
                try configuration.setting(calendar: try spec.calendar(), named: name)
            }
            let item = CalendarDTO(name: name, calendar: configuration.calendars[name]!, configuration: configuration)
            return try JSONBody.response(SLAChangeDTO(item: item, recomputedTickets: count))
        }
        routes.signedIn(.delete, "/api/v1/sla/calendars/{name}") { _, context in
            _ = try await desk.removeCalendar(named: try context.pathParameter("name"), by: context.actor)
            return Response(status: .noContent)
        }
        routes.signedIn(.post, "/api/v1/sla/calendars/{name}/holidays") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            let text = try await Self.icsBody(request)
            let imported: HolidayImport.Result
            do {
                imported = try HolidayImport.parse(text)
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            let (configuration, count) = try await desk.update { configuration in
                guard var calendar = configuration.calendars[name] else {
                    throw TierdeskError.notFound(
                        "No calendar is named \(name.prefix(64)); create it first, then import its holidays."
                    )
                }
                calendar.holidays.formUnion(imported.dates)
                calendar.yearlyHolidays.formUnion(imported.yearly)
                return try configuration.setting(calendar: calendar, named: name)
            }
            return try JSONBody.response(
                HolidayImportDTO(
                    calendar: CalendarDTO(
                        name: name,
                        calendar: configuration.calendars[name]!,
                        configuration: configuration
                    ),
                    added: imported.dates.count + imported.yearly.count,
                    skipped: imported.skipped.map { .init(summary: $0.summary, reason: $0.reason) },
                    recomputedTickets: count
                )
            )
        }
        routes.signedIn(.get, "/api/v1/sla/policies") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(try await desk.current().policies.map(SLAPolicyDTO.init))
        }
        routes.signedIn(.put, "/api/v1/sla/policies/{name}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            let spec = try await JSONBody.decode(SLAPolicySpec.self, from: request)
            try await desk.checkScope(spec.scope)
            let (configuration, count) = try await desk.update { configuration in
                try configuration.setting(policy: try spec.policy(named: name))
            }
            return try JSONBody.response(
                SLAChangeDTO(item: SLAPolicyDTO(configuration.policy(named: name)!), recomputedTickets: count)
            )
        }
        routes.signedIn(.delete, "/api/v1/sla/policies/{name}") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            _ = try await desk.update { configuration in
                guard configuration.policy(named: name) != nil else {
                    throw TierdeskError.notFound("No policy is named \(name.prefix(64)).")
                }
                return try configuration.removing(policy: name)
            }
            return Response(status: .noContent)
        }
    }

    /// The body of a holiday import: an iCalendar file as `text/calendar`, at most ``icsBytes``.
    private static func icsBody(_ request: Request) async throws -> String {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("text/calendar") {
            throw Problem(
                .unsupportedMediaType,
                "Send the holidays as an iCalendar file, text/calendar (got \(type.prefix(60)))."
            )
        }
        let buffer = try await request.collectBody(
            upTo: icsBytes,
            tooLarge: "The iCalendar file is larger than \(icsBytes) bytes."
        )
        guard let text = String(validating: Data(buffer: buffer), as: UTF8.self) else {
            throw Problem(.badRequest, "The iCalendar file is not valid UTF-8.")
        }
        return text
    }
}
