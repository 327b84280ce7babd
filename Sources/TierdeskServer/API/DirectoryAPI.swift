import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/organisations`, `/services`, `/vendors` and `/people`.
struct DirectoryAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let directoryDesk: DirectoryDesk

    func register(_ routes: APIRoutes) {
        let desk = directoryDesk

        // MARK: Organisations

        routes.signedIn(.get, "/api/v1/organisations") { _, context in
            let actor = context.identity.actor
            var organisations = try await directory.organisations()
            if !actor.isStaff { organisations = organisations.filter { $0.id == actor.organisationID } }
            return try JSONBody.response(organisations.map(OrganisationDTO.init))
        }
        routes.signedIn(.post, "/api/v1/organisations") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(NewOrganisationDTO.self, from: request)
            let organisation = Organisation(id: UUID(), name: try DirectoryDesk.validName(input.name), sharesTickets: input.sharesTickets ?? false, createdAt: clock.now())
            try await directory.save(organisation)
            return try JSONBody.response(OrganisationDTO(organisation), status: .created)
        }
        routes.signedIn(.get, "/api/v1/organisations/{organisationId}") { _, context in
            let actor = context.identity.actor
            let id = try context.uuidParameter("organisationId", what: "organisation")
            guard actor.isStaff || actor.organisationID == id, let organisation = try await directory.organisation(id) else {
                throw Problem(.notFound, "No organisation has the id \(id.uuidString).")
            }
            return try JSONBody.response(OrganisationDTO(organisation))
        }
        routes.signedIn(.patch, "/api/v1/organisations/{organisationId}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("organisationId", what: "organisation")
            let input = try await JSONBody.decode(OrganisationUpdateDTO.self, from: request)
            guard var organisation = try await directory.organisation(id) else { throw Problem(.notFound, "No organisation has the id \(id.uuidString).") }
            if let name = input.name { organisation.name = try DirectoryDesk.validName(name) }
            if let shares = input.sharesTickets { organisation.sharesTickets = shares }
            try await directory.save(organisation)
            return try JSONBody.response(OrganisationDTO(organisation))
        }

        // MARK: Services

        routes.signedIn(.get, "/api/v1/services") { _, context in
            _ = context.identity
            return try JSONBody.response(try await directory.services().map(ServiceDTO.init))
        }
        routes.signedIn(.post, "/api/v1/services") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(ServiceInputDTO.self, from: request)
            guard let name = input.name else { throw Problem.badRequest(field: "name", "is required") }
            let service = Service(id: UUID(), name: try DirectoryDesk.validName(name), supportModel: input.supportModel ?? .tiered, createdAt: clock.now())
            try await directory.save(service)
            return try JSONBody.response(ServiceDTO(service), status: .created)
        }
        routes.signedIn(.get, "/api/v1/services/{serviceId}") { _, context in
            _ = context.identity
            let id = try context.uuidParameter("serviceId", what: "service")
            guard let service = try await directory.service(id) else { throw Problem(.notFound, "No service has the id \(id.uuidString).") }
            return try JSONBody.response(ServiceDTO(service))
        }
        routes.signedIn(.patch, "/api/v1/services/{serviceId}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("serviceId", what: "service")
            let input = try await JSONBody.decode(ServiceInputDTO.self, from: request)
            guard var service = try await directory.service(id) else { throw Problem(.notFound, "No service has the id \(id.uuidString).") }
            if let name = input.name { service.name = try DirectoryDesk.validName(name) }
            if let model = input.supportModel { service.supportModel = model }
            try await directory.save(service)
            return try JSONBody.response(ServiceDTO(service))
        }

        // MARK: Vendors

        routes.signedIn(.get, "/api/v1/vendors") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(try await directory.vendors().map(VendorDTO.init))
        }
        routes.signedIn(.post, "/api/v1/vendors") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(NewVendorDTO.self, from: request)
            let vendor = Vendor(id: UUID(), name: try DirectoryDesk.validName(input.name), createdAt: clock.now())
            try await directory.save(vendor)
            return try JSONBody.response(VendorDTO(vendor), status: .created)
        }

        // MARK: People

        routes.signedIn(.get, "/api/v1/people") { request, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            var role: Role?
            if let raw = request.uri.queryParameters.get("role") {
                guard let value = Role(rawValue: raw) else {
                    throw Problem.badRequest(field: "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                role = value
            }
            return try JSONBody.response(try await directory.people(role: role).map(PersonDTO.init))
        }
        routes.signedIn(.post, "/api/v1/people") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(PersonInputDTO.self, from: request)
            guard let email = input.email else { throw Problem.badRequest(field: "email", "is required") }
            guard let name = input.name else { throw Problem.badRequest(field: "name", "is required") }
            guard let roles = input.roles else { throw Problem.badRequest(field: "roles", "is required") }
            let person = try await desk.createPerson(email: email, name: name, roles: Set(roles), tier: input.tier ?? nil, organisationID: input.organisationId ?? nil, vendorID: input.vendorId ?? nil, password: input.password)
            return try JSONBody.response(PersonDTO(person), status: .created)
        }
        routes.signedIn(.get, "/api/v1/people/{personId}") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            let id = try context.uuidParameter("personId", what: "person")
            guard let person = try await directory.person(id) else { throw Problem(.notFound, "No person has the id \(id.uuidString).") }
            return try JSONBody.response(PersonDTO(person))
        }
        routes.signedIn(.patch, "/api/v1/people/{personId}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("personId", what: "person")
            let input = try await JSONBody.decode(PersonInputDTO.self, from: request)
            guard var person = try await directory.person(id) else { throw Problem(.notFound, "No person has the id \(id.uuidString).") }
            if let email = input.email { person.email = Person.normalisedEmail(email) }
            if let name = input.name { person.name = name.trimmingWhitespace() }
            if let roles = input.roles { person.roles = Set(roles) }
            if let tier = input.tier { person.tier = tier }
            if let organisation = input.organisationId { person.organisationID = organisation }
            if let vendor = input.vendorId { person.vendorID = vendor }
            if let active = input.active { person.active = active }
            return try JSONBody.response(PersonDTO(try await desk.save(person, password: input.password)))
        }
    }
}
