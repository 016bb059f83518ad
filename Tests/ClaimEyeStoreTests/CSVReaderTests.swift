import Testing
@testable import ClaimEyeStore

@Suite("Catalogue CSV reader")
struct CSVReaderTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n\n3,,z"
        let records = try CSVReader.records(in: text)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\nlines", ""], ["3", "", "z"]])
        #expect(records.map(\.line) == [1, 2, 3, 6])
    }

    @Test func anUnclosedQuoteIsReportedAtItsRecordsLine() {
        #expect(throws: CSVReader.SyntaxError.self) { try CSVReader.records(in: "a,b\n1,\"open\n2,3\n") }
        do {
            _ = try CSVReader.records(in: "a,b\n1,2\n3,\"open\n")
            Issue.record("no error")
        } catch let error as CSVReader.SyntaxError {
            #expect(error.line == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aStrayQuoteIsAnError() {
        #expect(throws: CSVReader.SyntaxError.self) { try CSVReader.records(in: "a,b\n1,x\"y\n") }
        #expect(throws: CSVReader.SyntaxError.self) { try CSVReader.records(in: "a,b\n1,\"x\"y\n") }
    }
}
