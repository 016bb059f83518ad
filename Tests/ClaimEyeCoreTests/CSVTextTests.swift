import ClaimEyeCore
import Testing

@Suite("CSV: one writer for every CSV")
struct CSVTextTests {
    @Test(arguments: [
        ("阿莫西林胶囊", "阿莫西林胶囊"), ("-3.00", "-3.00"), ("+7", "+7"), ("12.50", "12.50"),
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("@SUM(1+1)", "'@SUM(1+1)"), ("-1+2", "'-1+2"), ("+cmd", "'+cmd"), ("\tx", "'\tx"),
        ("a,b", "\"a,b\""), ("line\nbreak", "\"line\nbreak\""),
    ])
    func aFieldIsTextAndNumbersStayNumbers(text: String, written: String) {
        #expect(CSVText.field(text) == written)
    }

    @Test func aRowEndsWithALineFeed() {
        #expect(CSVText.row(["C1", "=1", "-1.00"]) == "C1,'=1,-1.00\n")
    }
}
