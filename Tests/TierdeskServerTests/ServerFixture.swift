import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// An application on a scratch database (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL),
/// with two organisations, a few people, and an API token for each.
struct ServerFixture {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let password = "correct horse battery"

    let components: AppComponents
    let client: any TestClientProtocol
    let people: [String: Person]
    let tokens: [String: String]
    let acme: Organisation
    let globex: Organisation

    static func with(
        mail: MailConfiguration? = nil,
        metricsToken: String? = nil,
        _ body: @escaping @Sendable (ServerFixture) async throws -> Void
    ) async throws {
        var logger = Logger(label: "tierdesk-server-tests")
        logger.logLevel = .warning
        try await ScratchDatabase.with(logger: logger) { database in
            // The SLA timer waits for wake-ups only: the fixed clock never makes an alarm due by itself.
            var configuration = TierdeskConfiguration(database: database, clock: FixedClock(t0), logger: logger)
            configuration.bcryptCost = 4
            configuration.mail = mail
            configuration.metricsToken = metricsToken
            configuration.jobSleep = { _ in try await Task.sleep(for: .seconds(86_400)) }
            let components = try await AppComponents(configuration)
            let acme = Organisation(id: UUID(), name: "Acme", sharesTickets: true, createdAt: t0)
            let globex = Organisation(id: UUID(), name: "Globex", sharesTickets: false, createdAt: t0)
            try await components.directory.save(acme)
            try await components.directory.save(globex)
            let directory = components.directoryDesk
            var people: [String: Person] = [:]
            var tokens: [String: String] = [:]
            for (key, roles, tier, organisation) in [
                ("alice", Set<Role>([.requester]), Tier?.none, acme.id as UUID?),
                ("bob", [.requester], nil, acme.id),
                ("carol", [.requester], nil, globex.id),
                ("lena", [.agent], .l1, nil),
                ("omar", [.agent], .l2, nil),
                ("admin", [.admin], nil, nil),
            ] {
                let person = try await directory.createPerson(
                    email: "\(key)@example.com",
                    name: key.capitalized,
                    roles: roles,
                    tier: tier,
                    organisationID: organisation,
                    vendorID: nil,
                    password: password
                )
                people[key] = person
                tokens[key] = try await directory.issueToken(name: "tests", for: person.id).1
            }
            let app = buildApplication(components)
            let (everyone, secrets) = (people, tokens)
            try await app.test(.router) { client in
                try await body(
                    ServerFixture(
                        components: components,
                        client: client,
                        people: everyone,
                        tokens: secrets,
                        acme: acme,
                        globex: globex
                    )
                )
            }
        }
    }

    /// Another set of components on `database`, as a second instance would build them.
    static func components(database: TierdeskDatabase, clock: any Clock, logger: Logger) async throws -> AppComponents {
        var configuration = TierdeskConfiguration(database: database, clock: clock, logger: logger)
        configuration.bcryptCost = 4
        return try await AppComponents(configuration)
    }

    /// Sends a request as `who` (a key of `tokens`), or anonymously.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as who: String? = nil,
        json: String? = nil,
        body: ByteBuffer? = nil,
        headers: HTTPFields = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var headers = headers
        if let who { headers[.authorization] = "Bearer \(tokens[who]!)" }
        var payload = body
        if let json {
            headers[.contentType] = headers[.contentType] ?? "application/json"
            payload = ByteBuffer(string: json)
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: payload)
        Self.checkContract(method, uri, response, sourceLocation: sourceLocation)
        return response
    }

    /// Records one issue for each way `response` departs from the OpenAPI document, so no test can see
    /// an answer the document does not promise.
    static func checkContract(
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ response: TestResponse,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch OpenAPIContract.shared {
        case .failure(let error):
            Issue.record("the OpenAPI document cannot be read: \(error)", sourceLocation: sourceLocation)
        case .success(let contract):
            let problems = contract.violations(
                method: method.rawValue,
                path: uri,
                status: Int(response.status.code),
                contentType: response.headers[.contentType],
                body: Data(buffer: response.body)
            )
            for problem in problems {
                Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            }
        }
    }

    /// Opens a ticket through the API as `who` and returns its reference.
    func openTicket(as who: String, title: String = "Printer jam", extra: String = "") async throws -> String {
        let response = try await call(
            .post,
            "/api/v1/tickets",
            as: who,
            json: #"{"title": "\#(title)", "description": "It jams."\#(extra)}"#
        )
        guard response.status == .created else {
            throw FixtureError(message: "create failed: \(response.status) \(String(buffer: response.body))")
        }
        return try JSONDecoder().decode(Reference.self, from: response.body).reference
    }

    struct Reference: Decodable { var reference: String }
    struct FixtureError: Error { var message: String }
}

extension TestResponse {
    /// The body as a JSON object.
    /// The body decoded as one of the server's DTOs (or any `Decodable`); a body that is not one fails the
    /// test with the body in the message.
    func decoded<T: Decodable>(as type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch {
            throw ServerFixture.FixtureError(
                message: "not a \(T.self): \(error) in \(String(buffer: body).prefix(500))"
            )
        }
    }

    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        guard let dictionary = object as? [String: Any] else {
            throw ServerFixture.FixtureError(message: "not an object: \(String(buffer: body))")
        }
        return dictionary
    }

    var text: String { String(buffer: body) }

    /// The offending fields named by a problem response.
    func problemFields() throws -> [String] {
        ((try json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
    }
}
