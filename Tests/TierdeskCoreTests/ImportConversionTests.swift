import Foundation
import Testing

@testable import TierdeskCore

/// Another desk's ticket in Tierdesk's words, worked out by hand.
struct ImportConversionTests {
    static let t0 = Timestamp.parse("2026-11-02T08:00:00Z")!
    static let requester = UUID()
    static let organisation = UUID()
    static let agent = UUID()
    static let people = [
        "sam": ImportedActor(id: requester, isStaff: false), "lena": ImportedActor(id: agent, isStaff: true),
    ]
    static let queues = [
        "1": ImportedGroup(name: "Service Desk", tier: nil), "2": ImportedGroup(name: "Apps", tier: .l2),
    ]

    static func convert(
        _ ticket: ImportedTicket,
        vocabulary: ImportVocabulary = .requestTracker,
        maxFileBytes: Int = 100
    )
        -> ConvertedTicket
    {
        ImportConversion(
            vocabulary: vocabulary,
            matrix: .standard,
            sourceLabel: "RT rt.example",
            maxFileBytes: maxFileBytes
        )
        .convert(
            ticket,
            id: UUID(),
            number: 1042,
            requester: (requester, organisation),
            people: people,
            queues: queues
        )
    }

    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

    @Test func anRTHistoryKeepsItsInstantsAuthorsAndEndsWhereTheTicketStands() {
        let source = ImportedTicket(
            sourceID: "7",
            title: "Scanner\noffline",
            requester: "sam",
            owner: "lena",
            queue: "2",
            status: "stalled",
            priority: "90",
            createdAt: Self.t0,
            updatedAt: Self.at(90),
            fields: ["Affected System": "MES", "": "x"],
            tags: ["Printer", "printer", "a,b"],
            entries: [
                ImportedEntry(
                    sourceID: "100",
                    at: Self.at(0.5),
                    author: "sam",
                    change: .message(isPublic: true),
                    body: "It stopped.",
                    files: [ImportedFile(filename: "../scan.log", contentType: "Text/Plain", data: Data("E-17".utf8))]
                ),
                ImportedEntry(
                    sourceID: "101",
                    at: Self.at(10),
                    author: "lena",
                    change: .message(isPublic: false),
                    body: "firmware",
                    files: [ImportedFile(filename: "internal.png", contentType: "image/png", data: Data([1, 2]))]
                ),
                ImportedEntry(sourceID: "102", at: Self.at(11), author: nil, change: .status(from: "new", to: "open")),
                ImportedEntry(sourceID: "103", at: Self.at(12), author: "lena", change: .owner(from: nil, to: "lena")),
                ImportedEntry(
                    sourceID: "104",
                    at: Self.at(20),
                    author: "lena",
                    change: .message(isPublic: true),
                    body: "Restart it.",
                    files: [ImportedFile(filename: "big.bin", contentType: "", data: Data(count: 101))]
                ),
                ImportedEntry(
                    sourceID: "105",
                    at: Self.at(30),
                    author: "ghost",
                    change: .status(from: "open", to: "on fire")
                ),
            ]
        )
        let converted = Self.convert(source)
        let ticket = converted.ticket
        #expect(ticket.number == 1042 && ticket.title == "Scanner offline" && ticket.description == "It stopped.")
        #expect(
            ticket.priority == .p2 && ticket.severity == .sev2 && ticket.impact == .high && ticket.urgency == .medium
        )
        #expect(
            ticket.status == .onHold && ticket.group == "Apps" && ticket.tier == .l2 && ticket.ownerID == Self.agent
        )
        #expect(ticket.attributes == ["importedFrom": "RT rt.example #7", "Affected_System": "MES"])
        #expect(ticket.tags == ["printer"] && ticket.createdAt == Self.t0 && ticket.updatedAt == Self.at(90))
        let story = converted.events.map { "\($0.kind.rawValue) \($0.before ?? "-")>\($0.after ?? "-")" }
        // "on fire" reads as in progress, where the ticket already is: no event; the end settles on on_hold.
        #expect(
            story == [
                "created ->TD-1042", "attachment_added ->scan.log", "internal_note ->-",
                "status_changed new>in_progress", "assigned ->\(Self.agent.uuidString)", "public_reply ->-",
                "status_changed in_progress>on_hold",
            ]
        )
        #expect(converted.events[0].actorID == Self.requester && !converted.events[0].byStaff)
        #expect(
            converted.events[2].actorID == Self.agent && converted.events[2].byStaff
                && converted.events[2].at == Self.at(10)
        )
        #expect(converted.events[3].actorID == nil, "RT's own changes have no author")
        #expect(converted.events.last?.at == Self.at(90), "the history ends when the source last changed the ticket")
        #expect(converted.files.map(\.filename) == ["scan.log"] && converted.files[0].contentType == "text/plain")
        #expect(converted.files[0].at == Self.t0 && converted.files[0].by == Self.requester)
        #expect(converted.notes.contains { $0.contains("big.bin") && $0.contains("101 bytes") })
        #expect(converted.notes.contains("status \"on fire\" read as in_progress"))
        #expect(converted.notes.contains("an author of entry 105 is unknown"))
        #expect(converted.notes.contains("1 file of internal entry 101 left out: files are visible to the requester"))
    }

    @Test func vocabulariesReadEachDesksWords() {
        #expect(ImportVocabulary.requestTracker.status("Resolved").0 == .resolved)
        #expect(ImportVocabulary.requestTracker.status("rejected").0 == .closed)
        #expect(ImportVocabulary.requestTracker.status("custom").known == false)
        #expect(
            ["0", "39", "40", "79", "80", "100"].map { ImportVocabulary.requestTracker.priority($0) } == [
                .p4, .p4, .p3, .p3, .p2, .p2,
            ]
        )
        #expect(ImportVocabulary.requestTracker.priority("High") == nil)
        #expect(ImportVocabulary.zammad.status("pending reminder").0 == .onHold)
        #expect(ImportVocabulary.zammad.status("merged").0 == .closed)
        #expect(["1 low", "2 normal", "3 high"].map { ImportVocabulary.zammad.priority($0) } == [.p4, .p3, .p2])
        #expect(
            ImportVocabulary.csv.status("in_progress").0 == .inProgress
                && ImportVocabulary.csv.status("open").0 == .inProgress
        )
        #expect(ImportVocabulary.csv.priority("p1") == .p1)
    }

    @Test func aPlainTicketWithoutHistoryIsCreatedThenSettledAndUnknownWordsAreNamed() {
        let converted = Self.convert(
            ImportedTicket(
                sourceID: "A-1",
                title: "  ",
                description: "Printer\u{0} jams",
                requester: "sam",
                owner: "sam",
                status: "resolved",
                priority: "urgent",
                createdAt: Self.t0,
                updatedAt: Self.at(60)
            ),
            vocabulary: .csv
        )
        #expect(converted.ticket.title == "(no subject)" && converted.ticket.description == "Printer jams")
        #expect(
            converted.ticket.priority == .p3 && converted.ticket.ownerID == nil && converted.ticket.status == .resolved
        )
        #expect(converted.events.map(\.kind) == [.created, .statusChanged])
        #expect(converted.events[1].after == "resolved" && converted.events[1].at == Self.at(60))
        #expect(converted.notes == ["priority \"urgent\" read as P3", "owner left out"])
    }

    @Test func fieldNamesBecomeAttributeNames() {
        #expect(ImportConversion.attributeName("Affected System") == "Affected_System")
        #expect(ImportConversion.attributeName("  2nd--level!! ") == "nd_level")
        #expect(ImportConversion.attributeName("???") == nil)
        #expect(ImportConversion.attributeName(String(repeating: "a", count: 60))?.count == 40)
    }
}
