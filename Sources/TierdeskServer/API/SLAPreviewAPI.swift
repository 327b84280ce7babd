import Foundation
import Hummingbird
import TierdeskCore

/// `POST /api/v1/sla/preview` and the engine behind `tierdesk sla preview`.
public enum SLAPreviewAPI {
    static func register(_ routes: APIRoutes, _ environment: TierdeskEnvironment) {
        routes.on(.post, "/api/v1/sla/preview") { request, context in
            try DirectoryDesk.requireDirectory(try context.requireIdentity().actor)
            let input = try await JSONBody.decode(SLAPreview.Input.self, from: request)
            return try JSONBody.response(ResultDTO(try evaluate(input)))
        }
    }

    /// Reads a scenario from JSON and returns the result as JSON; errors name the offending field.
    public static func preview(json: Data) throws(PreviewError) -> Data {
        let input: SLAPreview.Input
        do {
            input = try JSONBody.decoder.decode(SLAPreview.Input.self, from: json)
        } catch let error as DecodingError {
            let problem = JSONBody.problem(for: error)
            throw PreviewError(message: problem.errors.isEmpty ? problem.detail : problem.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
        } catch {
            throw PreviewError(message: "The scenario is not valid JSON.")
        }
        do {
            return try JSONBody.encoder.encode(ResultDTO(try evaluate(input)))
        } catch let problem as Problem {
            throw PreviewError(message: problem.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
        } catch {
            throw PreviewError(message: "\(error)")
        }
    }

    /// A scenario that cannot be previewed; the message names the fields.
    public struct PreviewError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private static func evaluate(_ input: SLAPreview.Input) throws -> SLAPreview.Result {
        do {
            return try SLAPreview.evaluate(input)
        } catch {
            throw Problem(TierdeskError.invalid(error))
        }
    }

    /// The result in the contract's shape: UTC instants, `null` where a value does not exist yet.
    struct ResultDTO: Encodable {
        var result: SLAPreview.Result

        init(_ result: SLAPreview.Result) {
            self.result = result
        }

        enum Keys: String, CodingKey { case firstResponse, resolution, due, met, paused }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try encode(result.firstResponse, withPaused: false, into: &container, key: .firstResponse)
            try encode(result.resolution, withPaused: true, into: &container, key: .resolution)
        }

        private func encode(_ clock: SLAPreview.Clock?, withPaused: Bool, into container: inout KeyedEncodingContainer<Keys>, key: Keys) throws {
            guard let clock else {
                try container.encodeNil(forKey: key)
                return
            }
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: key)
            try nested.encode(clock.due.map(Timestamp.format), forKey: .due)
            try nested.encode(clock.met, forKey: .met)
            if withPaused { try nested.encode(clock.paused, forKey: .paused) }
        }
    }
}
