import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// The vendor thread on a console ticket page: write to the vendor sharing chosen files and the L4
/// checklist, and forward a vendor's answer to the customer as one's own reply.
struct VendorThreadPages {
    let console: ConsolePages
    let ticketDesk: TicketDesk

    struct VendorForm: Decodable {
        var csrf: String
        var body: String
        var share: [String]?
        var checklist: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", body, share, checklist }
    }

    struct ForwardForm: Decodable {
        var csrf: String
        var note: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", note }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = ticketDesk
        router.post("/console/tickets/:reference/vendor") { request, context in
            let (form, uploads) = try await WebForm.decodeWithFiles(VendorForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("vendor", ["body": form.body])
            return try await console.submit(
                reference,
                identity,
                success: "vendorMessage",
                form: "vendor",
                kept: kept,
                words: ["body": "Write what the vendor should know or do."]
            ) {
                let files = try WebForm.checkedFiles(uploads)
                    .map { NewAttachment(filename: $0.name, contentType: $0.type, data: $0.data) }
                _ = try await desk.messageVendor(
                    reference,
                    body: form.body,
                    share: .init(
                        files: Set((form.share ?? []).compactMap(UUID.init(uuidString:))),
                        checklist: form.checklist == "1"
                    ),
                    newFiles: files,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/vendor/:event/forward") { request, context in
            let form = try await WebForm.decode(ForwardForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let event = try context.uuidParameter("event", what: "vendor message")
            return try await console.submit(reference, identity, success: "forwarded") {
                _ = try await desk.forwardVendorMessage(event, on: reference, note: form.note ?? "", by: identity.actor)
            }
        }
    }
}
