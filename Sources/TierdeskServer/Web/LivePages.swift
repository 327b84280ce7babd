import Foundation
import Hummingbird
import NIOCore
import TierdeskCore
import TierdeskStore

/// `GET /console/live`: the console's live updates as Server-Sent Events, for signed-in staff. The page's
/// script (tierdesk.js) listens and brings queues and ticket pages up to date without a reload; pages work
/// the same without it.
struct LivePages {
    let feed: LiveFeed
    let directory: DirectoryRepository
    /// A comment every this many of the feed's ticks keeps idle connections open through proxies and finds
    /// browsers that left.
    static let keepAliveTicks = 30

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/live") { _, context in
            let identity = try ConsolePages.staff(context)
            let (id, stream) = await feed.listen()
            let (feed, directory) = (feed, directory)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody { writer in
                    do {
                        try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                        var names: [UUID: String] = [:]
                        var ticks = 0
                        for await item in stream {
                            switch item {
                            case .tick:
                                ticks += 1
                                guard ticks % Self.keepAliveTicks == 0 else { continue }
                                try await writer.write(ByteBuffer(string: ": still here\n\n"))
                            case .change(let change):
                                var name = ""
                                if let actor = change.actorID {
                                    if names[actor] == nil {
                                        names[actor] = try await directory.person(actor)?.name ?? ""
                                    }
                                    name = names[actor] ?? ""
                                }
                                let event = LiveEvent(change, by: name, mine: change.actorID == identity.actor.personID)
                                try await writer.write(ByteBuffer(string: event.message(seq: change.seq)))
                            }
                        }
                    } catch {
                        // The browser left; its stream ends below.
                    }
                    await feed.stop(id)
                    try? await writer.finish(nil)
                }
            )
        }
    }
}
