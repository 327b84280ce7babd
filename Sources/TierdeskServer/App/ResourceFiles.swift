import Foundation

/// Files shipped in the target's `Resources` folder.
enum ResourceFiles {
    /// The URL of `Resources/<relative>` in the bundle.
    static func url(_ relative: String) throws -> URL {
        let bases = [Bundle.module.bundleURL, Bundle.module.resourceURL].compactMap { $0 }
        for base in bases {
            let url = base.appendingPathComponent("Resources").appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw MissingResource(name: relative)
    }

    /// The text of `Resources/<relative>`.
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: try url(relative), encoding: .utf8)
    }

    struct MissingResource: Error, CustomStringConvertible {
        var name: String
        var description: String { "The resource \(name) is missing from the Tierdesk bundle; rebuild Tierdesk." }
    }
}
