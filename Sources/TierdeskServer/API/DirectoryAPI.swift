import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/organisations`, `/services`, `/vendors` and `/people`.
struct DirectoryAPI {
    let desk: DirectoryDesk

    func register(_ routes: APIRoutes) {
        // MARK: Organisations

        routes.signedIn(.get, "/api/v1/organisations") { _, context in
            try JSONBody.response(try await desk.organisations(for: context.actor).map(OrganisationDTO.init))
        }
        routes.signedIn(.post, "/api/v1/organisations") { request, context in
            let input = try await JSONBody.decode(NewOrganisationDTO.self, from: request)
            let organisation = try await desk.createOrganisation(
                name: input.name,
                sharesTickets: input.sharesTickets ?? false,
                by: context.actor
            )
            return try JSONBody.response(OrganisationDTO(organisation), status: .created)
        }
        routes.signedIn(.get, "/api/v1/organisations/{organisationId}") { _, context in
            let id = try context.uuidParameter("organisationId", what: "organisation")
            return try JSONBody.response(OrganisationDTO(try await desk.organisation(id, for: context.actor)))
        }
        routes.signedIn(.patch, "/api/v1/organisations/{organisationId}") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let id = try context.uuidParameter("organisationId", what: "organisation")
            let input = try await JSONBody.decode(OrganisationUpdateDTO.self, from: request)
            let organisation = try await desk.updateOrganisation(
                id,
                name: input.name,
                sharesTickets: input.sharesTickets,
                by: context.actor
            )
            return try JSONBody.response(OrganisationDTO(organisation))
        }

        // MARK: Services

        routes.signedIn(.get, "/api/v1/services") { _, _ in
            try JSONBody.response(try await desk.services().map(ServiceDTO.init))
        }
        routes.signedIn(.post, "/api/v1/services") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(ServiceInputDTO.self, from: request)
            guard let name = input.name else { throw Problem.badRequest(field: "name", "is required") }
            let service = try await desk.createService(
                name: name,
                supportModel: input.supportModel ?? .tiered,
                by: context.actor
            )
            return try JSONBody.response(ServiceDTO(service), status: .created)
        }
        routes.signedIn(.get, "/api/v1/services/{serviceId}") { _, context in
            let id = try context.uuidParameter("serviceId", what: "service")
            return try JSONBody.response(ServiceDTO(try await desk.service(id)))
        }
        routes.signedIn(.patch, "/api/v1/services/{serviceId}") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let id = try context.uuidParameter("serviceId", what: "service")
            let input = try await JSONBody.decode(ServiceInputDTO.self, from: request)
            let service = try await desk.updateService(
                id,
                name: input.name,
                supportModel: input.supportModel,
                by: context.actor
            )
            return try JSONBody.response(ServiceDTO(service))
        }

        // MARK: Vendors

        routes.signedIn(.get, "/api/v1/vendors") { _, context in
            try JSONBody.response(try await desk.vendors(for: context.actor).map(VendorDTO.init))
        }
        routes.signedIn(.post, "/api/v1/vendors") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(NewVendorDTO.self, from: request)
            return try JSONBody.response(
                VendorDTO(try await desk.createVendor(name: input.name, by: context.actor)),
                status: .created
            )
        }

        // MARK: People

        routes.signedIn(.get, "/api/v1/people") { request, context in
            try DirectoryDesk.requireDirectory(context.actor)
            let role = try request.enumQuery("role", as: Role.self)
            return try JSONBody.response(try await desk.people(role: role, for: context.actor).map(PersonDTO.init))
        }
        routes.signedIn(.post, "/api/v1/people") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(PersonInputDTO.self, from: request)
            guard let email = input.email else { throw Problem.badRequest(field: "email", "is required") }
            guard let name = input.name else { throw Problem.badRequest(field: "name", "is required") }
            guard let roles = input.roles else { throw Problem.badRequest(field: "roles", "is required") }
            let person = try await desk.createPerson(
                email: email,
                name: name,
                roles: Set(roles),
                tier: input.tier ?? nil,
                organisationID: input.organisationId ?? nil,
                vendorID: input.vendorId ?? nil,
                password: input.password
            )
            return try JSONBody.response(PersonDTO(person), status: .created)
        }
        routes.signedIn(.get, "/api/v1/people/{personId}") { _, context in
            let id = try context.uuidParameter("personId", what: "person")
            return try JSONBody.response(PersonDTO(try await desk.person(id, for: context.actor)))
        }
        routes.signedIn(.patch, "/api/v1/people/{personId}") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let id = try context.uuidParameter("personId", what: "person")
            let input = try await JSONBody.decode(PersonInputDTO.self, from: request)
            return try JSONBody.response(
                PersonDTO(try await desk.updatePerson(id, with: input.changes, by: context.actor))
            )
        }
    }
}
