import Foundation
import Hummingbird
import TierdeskCore

/// `POST /api/v1/sla/preview` and the engine behind `tierdesk sla preview`.
public enum SLAPreviewAPI {
    static func register(_ routes: APIRoutes) {
        routes.signedIn(.post, "/api/v1/sla/preview") { request, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            let input = try await JSONBody.decode(SLAPreview.Input.self, from: request)
            do {
                return try JSONBody.response(ResultDTO(try SLAPreview.evaluate(input)))
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
        }
    }

    /// Reads a scenario from JSON and returns the result as JSON; errors name the offending field.
    public static func preview(json: Data) throws(PreviewError) -> Data {
        let result: SLAPreview.Result
        do {
            result = try SLAPreview.evaluate(try JSONBody.decoder.decode(SLAPreview.Input.self, from: json))
        } catch let failure as ValidationFailure {
            throw PreviewError(failure.errors)
        } catch let error as DecodingError {
            let problem = JSONBody.problem(for: error)
            throw problem.errors.isEmpty ? PreviewError(message: problem.detail) : PreviewError(problem.errors)
        } catch {
            throw PreviewError(message: "The scenario is not valid JSON.")
        }
        do {
            return try JSONBody.encoder.encode(ResultDTO(result))
        } catch {
            throw PreviewError(message: "The result could not be written: \(error)")
        }
    }

    /// A scenario that cannot be previewed; the message names the fields.
    public struct PreviewError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        init(message: String) {
            self.message = message
        }

        /// One line per offending field.
        init(_ errors: [FieldError]) {
            message = errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n")
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

        private func encode(
            _ clock: SLAPreview.Clock?,
            withPaused: Bool,
            into container: inout KeyedEncodingContainer<Keys>,
            key: Keys
        ) throws {
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
