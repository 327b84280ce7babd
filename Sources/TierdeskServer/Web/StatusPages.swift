import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// The public status page (`/status`) and its Atom feed (`/status.atom`): no sign-in, only what the
/// updates said, and cache headers a CDN may follow.
struct StatusPages {
    let templates: MustacheLibrary
    let desk: IncidentDesk

    /// Shared caches may keep the page for a minute.
    static let cacheHeaders: HTTPFields = [.cacheControl: "public, max-age=60"]

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/status") { _, _ in
            let page = try await desk.statusPage()
            let zone = try await desk.homeTimeZone()
            var response = try Templates.page(templates, "status", StatusPageView(page, zone: zone))
            response.headers[.cacheControl] = Self.cacheHeaders[.cacheControl]
            return response
        }
        router.get("/status.atom") { _, _ in
            let feed = StatusFeed.atom(try await desk.statusPage(), baseURL: desk.baseURL)
            var headers = Self.cacheHeaders
            headers[.contentType] = "application/atom+xml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: feed)))
        }
    }
}

/// The status page's incidents as an Atom feed (RFC 4287): one entry per incident, updated with its
/// latest update, its content every update, newest first.
enum StatusFeed {
    static func atom(_ page: StatusPage, baseURL: String) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>Service status</title>
            <id>\(escaped(baseURL))/status</id>
            <link rel="alternate" href="\(escaped(baseURL))/status"/>
            <link rel="self" href="\(escaped(baseURL))/status.atom"/>
            <updated>\(Timestamp.format(page.recent.map(\.lastChangedAt).max() ?? page.generatedAt))</updated>

            """
        for incident in page.recent {
            let content = incident.updates
                .map {
                    "\(Timestamp.format($0.at)) \(IncidentBroadcast.label($0.state)): \($0.message)"
                }
                .joined(separator: "\n\n")
            xml += """
                <entry>
                <id>\(escaped(baseURL))/status#\(escaped(incident.reference))</id>
                <title>\(escaped("[\(IncidentBroadcast.label(incident.state))] \(incident.title)"))</title>
                <link rel="alternate" href="\(escaped(baseURL))/status#\(escaped(incident.reference))"/>
                <published>\(Timestamp.format(incident.startedAt))</published>
                <updated>\(Timestamp.format(incident.lastChangedAt))</updated>
                <author><name>Service desk</name></author>
                <content type="text">\(escaped(content))</content>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// Text safe inside XML elements and attributes; characters XML 1.0 forbids are dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
