import Foundation
import Testing
@testable import ClaimEyeCore

@Suite("Money: parsing what can be held exactly")
struct MoneyTests {
    @Test(arguments: [("12.5", "12.50"), ("-3", "-3.00"), ("0.10", "0.10"), ("+7.005", "7.01"), ("1000000000000", "1000000000000.00")])
    func plainDecimalsAreRead(text: String, formatted: String) throws {
        let value = try #require(Money.parse(text))
        #expect(Money.format(value) == formatted)
    }

    /// Each of these was once read as a different amount (a wrapped 64-bit fen count, or
    /// the number's first part), so a catalogue or policy stored money nobody wrote.
    @Test(arguments: ["184467440737095517.16", "92233720368547758.08", "-92233720368547758.09", "1000000000000.01",
                      "12.5-3", "1+2", "--1", ".", "-", "+", "1.", ".5.", "١٢"])
    func whatCannotBeHeldExactlyIsRefused(text: String) {
        #expect(Money.parse(text) == nil, "\(text) parsed as \(Money.parse(text).map(Money.format) ?? "")")
    }
}
