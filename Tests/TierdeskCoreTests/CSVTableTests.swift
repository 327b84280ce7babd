import Testing

@testable import TierdeskCore

/// RFC 4180 reading, including the awkward cases spreadsheets write.
struct CSVTableTests {
    @Test func quotedFieldsHoldCommasLineBreaksAndQuotes() throws {
        let rows = try CSVTable.rows("id,title\r\n1,\"a, \"\"b\"\"\nc\"\r\n2,\r\n\"\",x\n")
        #expect(rows == [["id", "title"], ["1", "a, \"b\"\nc"], ["2", ""], ["", "x"]])
    }

    @Test func theLastLineNeedsNoBreakAndEmptyLinesAreNoRows() throws {
        #expect(try CSVTable.rows("a,b\n\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try CSVTable.rows("") == [])
    }

    @Test func malformedTextIsRefusedWithItsLine() {
        #expect(throws: CSVTable.Malformed(line: 2, reason: "a quote inside an unquoted field")) {
            try CSVTable.rows("a\nb\"c\n")
        }
        #expect(throws: CSVTable.Malformed(line: 1, reason: "text after a closing quote")) {
            try CSVTable.rows("\"a\"b\n")
        }
        #expect(throws: CSVTable.Malformed(line: 3, reason: "a quoted field is not closed")) {
            try CSVTable.rows("a\n\"b\nc")
        }
    }
}
