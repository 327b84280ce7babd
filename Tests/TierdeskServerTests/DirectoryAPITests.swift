import Foundation
import HTTPTypes
import Testing
import TierdeskCore

@testable import TierdeskServer

@Suite struct DirectoryAPITests {
    @Test func onlyAdminsConfigure() async throws {
        try await ServerFixture.with { f in
            let service = #"{"name": "MES", "supportModel": "internal"}"#
            #expect(try await f.call(.post, "/api/v1/services", as: "lena", json: service).status == .forbidden)
            let created = try await f.call(.post, "/api/v1/services", as: "admin", json: service)
            #expect(created.status == .created)
            let serviceID = try created.decoded(as: ServiceDTO.self).id.uuidString
            #expect(try await f.call(.post, "/api/v1/services", as: "admin", json: service).status == .conflict)
            #expect(
                try await f
                    .call(.post, "/api/v1/services", as: "admin", json: #"{"name": "X", "supportModel": "solo"}"#)
                    .problemFields() == ["supportModel"]
            )
            // An internal service has no L1: its tickets start at L2.
            let ticket = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json: #"{"title": "Job failed", "description": "Nightly load", "serviceId": "\#(serviceID)"}"#
            )
            #expect(try ticket.decoded(as: TicketDTO.self).tier == "L2")
            #expect(
                try await f
                    .call(.patch, "/api/v1/services/\(serviceID)", as: "admin", json: #"{"supportModel": "swarm"}"#)
                    .decoded(as: ServiceDTO.self).supportModel == "swarm"
            )

            let organisation = try await f.call(
                .post,
                "/api/v1/organisations",
                as: "admin",
                json: #"{"name": "Initech", "sharesTickets": true}"#
            )
            #expect(organisation.status == .created)
            let organisationID = try organisation.decoded(as: OrganisationDTO.self).id.uuidString
            #expect(try await f.call(.get, "/api/v1/organisations/\(organisationID)", as: "alice").status == .notFound)
            #expect(try await f.call(.get, "/api/v1/organisations/\(f.acme.id.uuidString)", as: "alice").status == .ok)
            let visible = try await f.call(.get, "/api/v1/organisations", as: "alice")
            #expect(try visible.decoded(as: [OrganisationDTO].self).map(\.name) == ["Acme"])
            #expect(try await f.call(.get, "/api/v1/people", as: "alice").status == .forbidden)
            #expect(
                try await f.call(.post, "/api/v1/vendors", as: "admin", json: #"{"name": "NordERP"}"#).status
                    == .created
            )
        }
    }

    @Test func peopleAreValidatedAndNeverShowPasswords() async throws {
        try await ServerFixture.with { f in
            let missingTier = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json: #"{"email": "new@example.com", "name": "New", "roles": ["agent"]}"#
            )
            #expect(try missingTier.status == .unprocessableContent && (missingTier.problemFields()) == ["tier"])
            let badRole = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json: #"{"email": "new@example.com", "name": "New", "roles": ["wizard"]}"#
            )
            #expect(badRole.status == .badRequest)
            let shortPassword = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json:
                    #"{"email": "new@example.com", "name": "New", "roles": ["agent"], "tier": "L3", "password": "short"}"#
            )
            #expect(try shortPassword.problemFields() == ["password"])
            let created = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json:
                    #"{"email": "New@Example.com", "name": "New", "roles": ["agent", "manager"], "tier": "L3", "password": "long enough password"}"#
            )
            #expect(created.status == .created)
            #expect(!created.text.contains("password") && !created.text.contains("$2"))
            #expect(try created.decoded(as: PersonDTO.self).email == "new@example.com")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/people",
                        as: "admin",
                        json: #"{"email": "new@example.com", "name": "Twin", "roles": ["admin"]}"#
                    )
                    .status == .conflict
            )
            let me = try await f.call(.get, "/api/v1/me", as: "omar")
            #expect(try me.decoded(as: PersonDTO.self).tier == "L2")
            let omar = f.people["omar"]!.id.uuidString
            #expect(
                try await f.call(.patch, "/api/v1/people/\(omar)", as: "lena", json: #"{"tier": "L3"}"#).status
                    == .forbidden
            )
            let promoted = try await f.call(.patch, "/api/v1/people/\(omar)", as: "admin", json: #"{"tier": "L3"}"#)
            #expect(try promoted.decoded(as: PersonDTO.self).tier == "L3")
            #expect(try await f.call(.get, "/api/v1/me", as: "omar").decoded(as: PersonDTO.self).tier == "L3")
            // Deactivating a person ends their API access at once.
            #expect(
                try await f.call(.patch, "/api/v1/people/\(omar)", as: "admin", json: #"{"active": false}"#).status
                    == .ok
            )
            #expect(try await f.call(.get, "/api/v1/me", as: "omar").status == .unauthorized)
            #expect(
                try await f.call(.patch, "/api/v1/people/\(omar)", as: "admin", json: #"{"roles": []}"#).problemFields()
                    == ["roles", "tier"]
            )
        }
    }

    @Test func tokensCanBeIssuedListedAndRevoked() async throws {
        try await ServerFixture.with { f in
            let issued = try await f.call(.post, "/api/v1/tokens", as: "lena", json: #"{"name": "monitoring"}"#)
            #expect(issued.status == .created)
            let token = try issued.decoded(as: IssuedTokenDTO.self)
            let (secret, id) = (token.token, token.id.uuidString)
            #expect(try await f.call(.get, "/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status == .ok)
            #expect(try await f.call(.delete, "/api/v1/tokens/\(id)", as: "alice").status == .notFound)
            #expect(try await f.call(.delete, "/api/v1/tokens/\(id)", as: "lena").status == .noContent)
            #expect(
                try await f.call(.get, "/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status
                    == .unauthorized
            )
            let list = try await f.call(.get, "/api/v1/tokens", as: "lena")
            #expect(!list.text.contains(secret))
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tokens",
                        as: "lena",
                        json: #"{"name": "x", "personId": "\#(f.people["alice"]!.id.uuidString)"}"#
                    )
                    .status == .forbidden
            )
        }
    }

    @Test func priorityMatrixIsAdminEditableAndUsed() async throws {
        try await ServerFixture.with { f in
            let current = try await f.call(.get, "/api/v1/settings/priority-matrix", as: "lena")
            var matrix = try current.json()
            var entries = matrix["entries"] as! [[String: Any]]
            #expect(entries.count == 9)
            let index = entries.firstIndex {
                $0["impact"] as? String == "medium" && $0["urgency"] as? String == "medium"
            }!
            entries[index]["priority"] = "P2"
            matrix["entries"] = entries
            let body = String(decoding: try JSONSerialization.data(withJSONObject: matrix), as: UTF8.self)
            #expect(
                try await f.call(.put, "/api/v1/settings/priority-matrix", as: "lena", json: body).status == .forbidden
            )
            #expect(try await f.call(.put, "/api/v1/settings/priority-matrix", as: "admin", json: body).status == .ok)
            let ticket = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "a", "description": "b"}"#
            )
            #expect(
                try ticket.json()["priority"] as? String == "P2" && (ticket.json()["severity"] as? String) == "Sev2"
            )
            matrix["entries"] = Array(entries.dropLast())
            let short = String(decoding: try JSONSerialization.data(withJSONObject: matrix), as: UTF8.self)
            let refused = try await f.call(.put, "/api/v1/settings/priority-matrix", as: "admin", json: short)
            #expect(try refused.status == .unprocessableContent && (refused.problemFields()) == ["entries"])
        }
    }
}

@Suite struct VendorEscalationTests {
    @Test func aVendorContactSeesOnlyTicketsEscalatedToTheirVendor() async throws {
        try await ServerFixture.with { f in
            let vendor = try await f.call(.post, "/api/v1/vendors", as: "admin", json: #"{"name": "NordERP"}"#)
            let vendorID = try #require(try vendor.json()["id"] as? String)
            #expect(try await f.call(.get, "/api/v1/vendors", as: "lena").text.contains("NordERP"))
            let contact = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json:
                    #"{"email": "vera@norderp.example", "name": "Vera", "roles": ["vendor"], "vendorId": "\#(vendorID)"}"#
            )
            let contactID = try #require(try contact.json()["id"] as? String)
            let issued = try await f.call(
                .post,
                "/api/v1/tokens",
                as: "admin",
                json: #"{"name": "vendor", "personId": "\#(contactID)"}"#
            )
            let token = try #require(try issued.json()["token"] as? String)
            let asVendor: HTTPFields = [.authorization: "Bearer \(token)"]

            let escalated = try await f.openTicket(as: "alice", title: "Posting fails")
            let other = try await f.openTicket(as: "alice", title: "Printer")
            #expect(try await f.call(.get, "/api/v1/tickets/\(escalated)", headers: asVendor).status == .notFound)
            // The tier moves only through the gates: L1 → L2 → L3 → the vendor, each with its evidence.
            let patched = try await f.call(
                .patch,
                "/api/v1/tickets/\(escalated)",
                as: "lena",
                json: #"{"version": 1, "tier": "L4", "vendorId": "\#(vendorID)"}"#
            )
            #expect(try patched.status == .unprocessableContent && patched.problemFields() == ["tier", "vendorId"])
            let bare = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "lena",
                json: #"{"version": 1, "reason": "Beyond L1"}"#
            )
            #expect(try bare.status == .unprocessableContent && bare.problemFields() == ["tried", "evidence"])
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(escalated)/escalations",
                        as: "alice",
                        json: #"{"version": 1, "reason": "Hurry"}"#
                    )
                    .status == .forbidden
            )
            var step = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "lena",
                json: #"{"version": 1, "reason": "Beyond L1", "tried": "Runbook R-12", "logExcerpt": "ERROR M7 021"}"#
            )
            #expect(try step.json()["tier"] as? String == "L2")
            let noRepro = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "omar",
                json: #"{"version": 2, "reason": "Defect", "logExtract": "ERROR"}"#
            )
            #expect(try noRepro.problemFields() == ["reproductionSteps"])
            step = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "omar",
                json:
                    #"{"version": 2, "reason": "Defect", "reproductionSteps": "Post a goods movement", "logExtract": "ERROR M7 021"}"#
            )
            #expect(try step.json()["tier"] as? String == "L3")
            let custom = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "admin",
                json:
                    #"{"version": 3, "reason": "Vendor", "reproducedIn": "QA", "rootCause": "customisation", "vendorId": "\#(vendorID)", "vendorReference": "NE-1", "businessImpact": {"amountPerHour": 12000, "currency": "EUR"}}"#
            )
            #expect(
                try custom.status == .unprocessableContent && custom.problemFields() == ["rootCause"]
                    && custom.text.contains("stays with L3")
            )
            let moved = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/escalations",
                as: "admin",
                json:
                    #"{"version": 3, "reason": "Vendor", "reproducedIn": "QA", "rootCause": "standard_product", "vendorId": "\#(vendorID)", "vendorReference": "NE-1", "businessImpact": {"amountPerHour": 12000, "currency": "EUR"}}"#
            )
            let vendorTicket = try moved.json()
            #expect(
                vendorTicket["tier"] as? String == "L4" && vendorTicket["status"] as? String == "on_hold"
                    && vendorTicket["vendorReference"] as? String == "NE-1"
            )
            #expect((vendorTicket["businessImpact"] as? [String: Any])?["amountPerHour"] as? Int == 12000)
            // The requester is told; the evidence stays internal.
            let seen = try await f.call(.get, "/api/v1/tickets/\(escalated)/events", as: "alice").text
            #expect(seen.contains("escalated to NordERP (their reference NE-1)") && !seen.contains("M7 021"))

            #expect(try await f.call(.get, "/api/v1/tickets/\(escalated)", headers: asVendor).status == .ok)
            #expect(try await f.call(.get, "/api/v1/tickets/\(other)", headers: asVendor).status == .notFound)
            let listed = try await f.call(.get, "/api/v1/tickets", headers: asVendor).json()
            #expect((listed["items"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [escalated])
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(escalated)/replies",
                        json: #"{"body": "We reproduced it."}"#,
                        headers: asVendor
                    )
                    .status == .created
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(escalated)/notes",
                        json: #"{"body": "internal"}"#,
                        headers: asVendor
                    )
                    .status == .forbidden
            )
            #expect(
                try await f
                    .call(.post, "/api/v1/tickets", json: #"{"title": "x", "description": "y"}"#, headers: asVendor)
                    .status == .forbidden
            )

            // Back from the vendor: it no longer sees the ticket, which is worked on again at L3.
            let current = try #require(
                try await f.call(.get, "/api/v1/tickets/\(escalated)", as: "lena").json()["version"] as? Int
            )
            let back = try await f.call(
                .post,
                "/api/v1/tickets/\(escalated)/deescalations",
                as: "admin",
                json: #"{"version": \#(current), "note": "Vendor patch applied"}"#
            )
            #expect(try back.json()["tier"] as? String == "L3" && back.json()["status"] as? String == "in_progress")
            #expect(try await f.call(.get, "/api/v1/tickets/\(escalated)", headers: asVendor).status == .notFound)
            let handoffs = try await f.call(.get, "/api/v1/tickets/\(escalated)/events", as: "lena").text
            #expect(
                handoffs.components(separatedBy: #""kind":"escalated""#).count - 1 == 3
                    && handoffs.contains(#""kind":"deescalated""#)
            )
        }
    }

    @Test func organisationsAndServicesCanBeReadAndChanged() async throws {
        try await ServerFixture.with { f in
            let changed = try await f.call(
                .patch,
                "/api/v1/organisations/\(f.globex.id.uuidString)",
                as: "admin",
                json: #"{"sharesTickets": true}"#
            )
            #expect(try changed.json()["sharesTickets"] as? Bool == true)
            #expect(
                try await f
                    .call(
                        .patch,
                        "/api/v1/organisations/\(f.globex.id.uuidString)",
                        as: "admin",
                        json: #"{"name": "Acme"}"#
                    )
                    .status == .conflict
            )
            #expect(
                try await f
                    .call(
                        .patch,
                        "/api/v1/organisations/\(f.globex.id.uuidString)",
                        as: "lena",
                        json: #"{"name": "X"}"#
                    )
                    .status == .forbidden
            )
            #expect(try await f.call(.get, "/api/v1/organisations/not-an-id", as: "admin").status == .notFound)
            let service = try await f.call(.post, "/api/v1/services", as: "admin", json: #"{"name": "ERP interface"}"#)
            let serviceID = try #require(try service.json()["id"] as? String)
            #expect(
                try await f.call(.get, "/api/v1/services/\(serviceID)", as: "alice").json()["supportModel"] as? String
                    == "tiered"
            )
            #expect(try await f.call(.get, "/api/v1/services/\(UUID().uuidString)", as: "alice").status == .notFound)
        }
    }
}
