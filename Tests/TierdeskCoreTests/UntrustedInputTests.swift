import Foundation
import Testing

@testable import TierdeskCore

/// Outside text read the way an attacker would write it: senders hidden in encoded names, repeated loop
/// headers, file names that lie about their type, addresses spelt the resolver's way, deep nesting, and
/// tickets that hide from whoever may not see them.
struct UntrustedInputTests {
    static func parse(_ text: String) throws -> MailMessage {
        try MailMessage.parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    // MARK: Senders

    @Test(arguments: [
        ("=?utf-8?q?victim=40org=2Etest=2C?= <attacker@ext.test>", "attacker@ext.test", "victim@org.test,"),
        ("\"=?utf-8?q?victim=40org=2Etest?=\" <attacker@ext.test>", "attacker@ext.test", "victim@org.test"),
        (
            "=?utf-8?b?dmljdGltQG9yZy50ZXN0LCA8dmljdGltQG9yZy50ZXN0Pg==?= <attacker@ext.test>", "attacker@ext.test",
            "victim@org.test, <victim@org.test>"
        ),
        ("=?utf-8?Q?J=C3=BCrgen?= <jurgen@example.com>", "jurgen@example.com", "Jürgen"),
    ])
    func addressesAreParsedBeforeNamesAreDecoded(from: String, address: String, name: String) throws {
        let message = try Self.parse("From: \(from)\nTo: support@desk.example\nSubject: x\n\nbody\n")
        #expect(message.from == MailAddress(name: name, address: address))
    }

    @Test func anEncodedLocalPartIsDecodedOnlyWhenItStaysOneAddress() {
        #expect(
            MailAddress.list("=?utf-8?Q?agent?=@example.com") == [MailAddress(name: nil, address: "agent@example.com")]
        )
        #expect(MailAddress.list("=?utf-8?q?victim=40org.test=2C?=@ext.test").isEmpty)
        #expect(MailAddress.list("<x@=?utf-8?q?org.test?=>").isEmpty)
    }

    // MARK: Loops

    @Test(arguments: [
        ("Precedence: normal\nPrecedence: bulk", "Precedence: bulk"),
        ("Auto-Submitted: no\nAuto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Return-Path: <sam@example.com>\nReturn-Path: <>", "Return-Path: <>"),
    ])
    func everyCopyOfARepeatedHeaderCounts(headers: String, reason: String) throws {
        let message = try Self.parse("From: sam@example.com\n\(headers)\nSubject: x\n\nbody\n")
        #expect(
            LoopGuard.verdict(for: message, threading: MailThreading(domain: "desk.example")) == .doNotAnswer(reason)
        )
    }

    @Test func theDeskKnowsItsOwnAddressAlsoSubAddressed() {
        let identity = DeskMailIdentity(address: "Support@Desk.Example", name: "Service Desk")
        #expect(identity.isOwn(address: "support@desk.example"))
        #expect(identity.isOwn(address: " SUPPORT+td-1042@desk.example "))
        #expect(!identity.isOwn(address: "support@desk.example.evil"))
        #expect(!identity.isOwn(address: "supportx@desk.example"))
    }

    // MARK: Nesting

    @Test func deepNestingIsKeptNotRefused() throws {
        var body = "text/plain part\n"
        var type = "text/plain"
        for level in 0..<30 {
            body = "--b\(level)\nContent-Type: \(type)\n\n\(body)\n--b\(level)--\n"
            type = "multipart/mixed; boundary=b\(level)"
        }
        let message = try Self.parse("From: sam@example.com\nSubject: deep\nContent-Type: \(type)\n\n\(body)")
        #expect(message.attachments.map(\.filename) == ["Nested part.eml"])
        #expect(message.attachments[0].data.count > 100)
    }

    // MARK: File names

    @Test(arguments: [
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("re\u{200B}port\u{2066}.pdf\u{2069}", "report.pdf"),
        ("\u{FEFF}a\u{200D}b.txt", "ab.txt"),
        ("con.txt", "_con.txt"),
        ("NUL", "_NUL"),
        ("Com1.log", "_Com1.log"),
        ("lpt9 .txt", "_lpt9 .txt"),
        ("console.txt", "console.txt"),
        ("report.pdf. . .", "report.pdf"),
        ("evil:stream.txt", "evilstream.txt"),
        ("../../etc/passwd", "passwd"),
    ])
    func fileNamesShowWhatTheyAre(raw: String, cleaned: String) {
        #expect(FileName.cleaned(raw) == cleaned)
    }

    @Test func namesOfNothingAreRefused() {
        for raw in ["", "\u{202E}", "..", ". .", "/", "\u{200B}.\u{200B}"] {
            #expect(FileName.cleaned(raw) == nil, "\(raw.debugDescription)")
        }
    }

    // MARK: Addresses

    @Test(arguments: [
        ("127.1", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("017700000001", "127.0.0.1"),
        ("10.1", "10.0.0.1"), ("192.168.257", "192.168.1.1"), ("0", "0.0.0.0"),
    ])
    func ipv4IsReadAsTheResolverReadsIt(text: String, dotted: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == dotted)
        #expect(WebhookTarget.isPrivateLiteral(text))
    }

    @Test func ipv6AndMappedAddressesAreChecked() {
        for host in [
            "::ffff:7f00:1", "[::ffff:7f00:1]", "0:0:0:0:0:0:0:1", "::1", "::", "::127.0.0.1", "::ffff:10.0.0.1",
            "64:ff9b::a00:1", "fe80::1%eth0", "fd12::1",
        ] {
            #expect(WebhookTarget.isPrivateLiteral(host), "\(host)")
        }
        for host in ["2001:db8::1", "::ffff:8.8.8.8", "8.8.8.8", "example.com", "1e100.net", "256.1.1.1.1"] {
            #expect(!WebhookTarget.isPrivateLiteral(host), "\(host)")
        }
        #expect(
            IPAddress("1::2::3") == nil && IPAddress("12345::") == nil && IPAddress("1.2.3.256") == nil
                && IPAddress("+1") == nil
        )
    }

    @Test func networksContainTheirAddresses() throws {
        let network = try #require(IPNetwork("10.0.0.0/8"))
        #expect(network.contains(try #require(IPAddress("10.200.1.1"))))
        #expect(network.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        #expect(!network.contains(try #require(IPAddress("11.0.0.1"))))
        let v6 = try #require(IPNetwork("fd00::/8"))
        let inside = try #require(IPAddress("fd12:3456::1"))
        let outside = try #require(IPAddress("fe80::1"))
        #expect(v6.contains(inside) && !v6.contains(outside))
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("x/8") == nil)
    }

    // MARK: Tickets

    @Test func anUpdateWithoutChangesStillNeedsSight() throws {
        let alice = Person(
            id: UUID(),
            email: "alice@acme.example",
            name: "Alice",
            roles: [.requester],
            organisationID: UUID(),
            createdAt: Date(timeIntervalSince1970: 0)
        )
        let carol = Person(
            id: UUID(),
            email: "carol@globex.example",
            name: "Carol",
            roles: [.requester],
            organisationID: UUID(),
            createdAt: Date(timeIntervalSince1970: 0)
        )
        let (ticket, _) = try TicketWorkflow()
            .open(
                TicketDraft(title: "Printer", description: "jam"),
                by: alice.actor,
                references: TicketReferences(requester: alice),
                number: 1001,
                at: Date(timeIntervalSince1970: 0)
            )
        let scope = TicketScope(
            requesterID: alice.id,
            organisationID: alice.organisationID!,
            organisationSharesTickets: false,
            vendorID: nil
        )
        #expect(throws: TierdeskError.notFound("No ticket TD-1001.")) {
            try TicketWorkflow()
                .update(
                    ticket,
                    scope: scope,
                    with: TicketChanges(),
                    expectedVersion: 99,
                    by: carol.actor,
                    references: TicketReferences(),
                    at: Date(timeIntervalSince1970: 0)
                )
        }
    }
}
