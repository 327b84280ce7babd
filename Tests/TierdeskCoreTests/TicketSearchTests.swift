import Testing

@testable import TierdeskCore

/// What a search box's text asks for.
struct TicketSearchTests {
    @Test(arguments: [("TD-1042", 1042), ("td-1042", 1042), ("#1042", 1042), ("1042", 1042), ("  1042 ", 1042)])
    func aReferenceIsADirectHit(text: String, number: Int) {
        let search = TicketSearch(text)
        #expect(search.reference == number)
        #expect(search.name == nil)
        #expect(search.terms == ["1042"] || search.terms == ["td", "1042"])
    }

    @Test(arguments: ["TD-", "#", "0", "TD-12a", "1042 printer", "-5"])
    func otherTextIsNoReference(text: String) {
        #expect(TicketSearch(text).reference == nil)
    }

    @Test func anAddressIsLookedUpLowerCased() {
        let search = TicketSearch(" Anna.Kessler@Kessler.example ")
        #expect(search.email == "anna.kessler@kessler.example")
        #expect(search.name == nil)
        #expect(TicketSearch("anna@").email == nil)
        #expect(TicketSearch("@kessler.example").email == nil)
        #expect(TicketSearch("anna@kessler").email == nil)
        #expect(TicketSearch("anna@kessler.example printer").email == nil)
    }

    @Test func wordsAreTermsAndTheWholeTextIsAName() {
        let search = TicketSearch("Label  printer\tjammed at the Dock")
        #expect(search.terms == ["label", "printer", "jammed", "dock"])
        #expect(search.name == "label printer jammed at the dock")
        #expect(search.reference == nil && search.email == nil)
    }

    @Test func queryPunctuationNeverReachesTheTerms() {
        let search = TicketSearch(#"printer" OR * NEAR(x) {title}: -scanner^"#)
        #expect(search.terms == ["printer", "near", "title", "scanner"])
        #expect(search.terms.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber } })
    }

    @Test func shortOrEmptyTextAsksForLittle() {
        #expect(TicketSearch("   ").isEmpty)
        #expect(TicketSearch("the").terms.isEmpty)
        #expect(TicketSearch("ab").name == nil)
        #expect(TicketSearch(String(repeating: "word ", count: 30)).terms == ["word"])
        #expect(
            TicketSearch("one two three four five six seven eight nine ten").terms.count == TicketSearch.maxTerms
        )
    }
}
