import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Known Error Database articles marked public are read by customers in the portal, without their root cause.
struct PortalKnowledgeTests {
    @Test func customersReadOnlyThePublicArticlesAndNeverTheirRootCause() async throws {
        try await ServerFixture.with { f in
            let shown = try await f.call(
                .post,
                "/api/v1/known-errors",
                as: "lena",
                json: #"""
                    {"title":"Label printer prints blank labels","symptom":"Labels come out empty after a ribbon change.",
                     "rootCause":"Ribbon sensor firmware 4.2 defect","workaround":"Run Calibrate media, then print a test label.",
                     "public":true}
                    """#
            )
            #expect(shown.status == .created && shown.text.contains("\"public\":true"))
            _ = try await f.call(
                .post,
                "/api/v1/known-errors",
                as: "lena",
                json:
                    #"{"title":"Scanner freezes","symptom":"Scanner hangs","rootCause":"Wi-Fi profile","workaround":"Restart it"}"#
            )
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let portal = try await alice.send(.get, "/portal/known-errors")
            #expect(portal.status == .ok)
            #expect(
                portal.text.contains("Label printer prints blank labels") && portal.text.contains("Run Calibrate media")
            )
            #expect(!portal.text.contains("Ribbon sensor firmware"), "the root cause stays internal")
            #expect(!portal.text.contains("Scanner freezes"), "articles not marked public stay internal")
            #expect(try await alice.send(.get, "/portal/known-errors?q=ribbon+labels").text.contains("blank labels"))
            #expect(try await alice.send(.get, "/portal/known-errors?q=vpn").text.contains("No known problem matches"))

            // An agent hides it again from the console.
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let console = try await lena.send(.get, "/console/known-errors")
            #expect(
                console.text.contains("Hide KE-1 from customers") && console.text.contains("Show KE-2 to customers")
            )
            let hidden = try await lena.send(
                .post,
                "/console/known-errors/KE-1/public",
                form: ["_csrf": try #require(Browser.csrf(in: console.text)), "public": "0"]
            )
            #expect(hidden.status == .seeOther)
            #expect(!(try await alice.send(.get, "/portal/known-errors").text.contains("blank labels")))
            // Requesters cannot change what is shown.
            let aliceCSRF = try #require(Browser.csrf(in: portal.text))
            let refused = try await alice.send(
                .post,
                "/console/known-errors/KE-2/public",
                form: ["_csrf": aliceCSRF, "public": "1"]
            )
            #expect(refused.status == .forbidden || refused.status == .notFound)
            #expect(try await f.components.knownErrors.find(number: 2)?.isPublic == false)
        }
    }
}

/// A requester's time zone: chosen in the portal, used for the times on their pages.
struct PortalSettingsTests {
    @Test func aRequesterChoosesTheirTimeZone() async throws {
        try await ServerFixture.with { f in
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let page = try await alice.send(.get, "/portal/settings")
            #expect(page.status == .ok && !page.text.contains("data-time-zone="))
            let csrf = try #require(Browser.csrf(in: page.text))
            let wrong = try await alice.send(
                .post,
                "/portal/settings",
                form: ["_csrf": csrf, "timeZone": "Mars/Olympus"]
            )
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("value=\"Mars/Olympus\""))
            let saved = try await alice.send(
                .post,
                "/portal/settings",
                form: ["_csrf": csrf, "timeZone": "Asia/Tokyo"]
            )
            #expect(saved.headers[.location] == "/portal/settings?saved=1")
            #expect(try await alice.send(.get, "/portal").text.contains("data-time-zone=\"Asia/Tokyo\""))
            let cleared = try await alice.send(.post, "/portal/settings", form: ["_csrf": csrf, "timeZone": ""])
            #expect(cleared.status == .seeOther)
            #expect(!(try await alice.send(.get, "/portal").text.contains("data-time-zone=")))
        }
    }
}
