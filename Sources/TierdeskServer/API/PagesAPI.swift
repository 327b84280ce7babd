import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Pages (`/api/v1/pages`): list, start by hand, acknowledge, resolve; the paging settings and secret;
/// and each person's paging contacts.
struct PagesAPI {
    let desk: PagingDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/pages") { request, context in
            let statuses = try request.enumQuery("status", as: OnCallPage.Status.self).map { Set([$0]) }
            let named = try await desk.list(statuses: statuses, for: context.actor)
            return try JSONBody.response(named.pages.map { PageDTO($0, named: named, events: nil) })
        }
        routes.signedIn(.post, "/api/v1/pages") { request, context in
            try OnCallDesk.require(.respondToPages, context.actor)
            let input = try await JSONBody.decode(NewPageDTO.self, from: request)
            let new = PagingDesk.NewPage(
                ticket: input.ticket,
                severity: input.severity,
                policyID: input.policyId,
                title: input.title
            )
            return try JSONBody.response(PageDTO(try await desk.start(new, by: context.actor)), status: .created)
        }
        routes.signedIn(.get, "/api/v1/pages/{pageId}") { _, context in
            let id = try context.uuidParameter("pageId", what: "page")
            return try JSONBody.response(PageDTO(try await desk.page(id, for: context.actor)))
        }
        routes.signedIn(.post, "/api/v1/pages/{pageId}/acknowledge") { _, context in
            let id = try context.uuidParameter("pageId", what: "page")
            return try JSONBody.response(PageDTO(try await desk.acknowledge(id, by: context.actor)))
        }
        routes.signedIn(.post, "/api/v1/pages/{pageId}/resolve") { _, context in
            let id = try context.uuidParameter("pageId", what: "page")
            return try JSONBody.response(PageDTO(try await desk.resolve(id, by: context.actor)))
        }

        routes.signedIn(.get, "/api/v1/settings/paging") { _, context in
            try JSONBody.response(try await desk.pagingSettings(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/paging") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let settings = try await JSONBody.decode(PagingSettings.self, from: request)
            return try JSONBody.response(try await desk.save(settings, by: context.actor))
        }
        routes.signedIn(.post, "/api/v1/settings/paging/secret") { _, context in
            let secret = try await desk.rotateSecret(by: context.actor)
            return try JSONBody.response(PagingSecretDTO(secret: secret), status: .created)
        }

        routes.signedIn(.get, "/api/v1/people/{personId}/paging-contacts") { _, context in
            let id = try context.uuidParameter("personId", what: "person")
            return try JSONBody.response(
                ContactMethodsDTO(methods: try await desk.contacts(of: id, for: context.actor))
            )
        }
        routes.signedIn(.put, "/api/v1/people/{personId}/paging-contacts") { request, context in
            let id = try context.uuidParameter("personId", what: "person")
            try TierdeskError.check(AccessPolicy.decidePagingContacts(of: id, by: context.actor), notFound: "")
            let input = try await JSONBody.decode(ContactMethodsDTO.self, from: request)
            let methods = try await desk.setContacts(input.methods, of: id, by: context.actor)
            return try JSONBody.response(ContactMethodsDTO(methods: methods))
        }
    }
}
