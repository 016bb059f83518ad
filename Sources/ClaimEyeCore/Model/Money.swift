import Foundation

/// Money helpers. claimeye holds money as `Decimal` yuan and never as floating point.
public enum Money {
    /// Rounds half-up (away from zero for negatives) to the fen, as the settlement rules
    /// require for each line.
    public static func roundToFen(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 2, .plain)
        return result
    }

    /// The amount with exactly two decimals, e.g. `12.50` or `-3.00`: how JSON and CSV
    /// carry money.
    public static func format(_ value: Decimal) -> String {
        let rounded = roundToFen(value)
        let negative = rounded < 0
        let magnitude = negative ? -rounded : rounded
        // Fen as an integer: exact for any amount a claim can hold.
        let fen = NSDecimalNumber(decimal: magnitude * 100).int64Value
        let text = "\(fen / 100)." + (fen % 100 < 10 ? "0" : "") + "\(fen % 100)"
        return negative && fen != 0 ? "-" + text : text
    }

    /// The largest magnitude claimeye takes as money, a trillion yuan: far above any claim,
    /// cap or price, and far below what `format` holds exactly as 64-bit fen.
    public static let largest: Decimal = 1_000_000_000_000

    /// Parses a plain decimal string such as `12.5`, `-3` or `0.10`: an optional sign, ASCII
    /// digits, and at most one point with digits on both sides. Nil for anything else and
    /// for a magnitude above `largest`, so no amount is ever stored as one nobody wrote.
    public static func parse(_ text: String) -> Decimal? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if let sign = body.first, sign == "-" || sign == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let value = Decimal(string: text.trimmingCharacters(in: .whitespaces), locale: posix),
            value.magnitude <= largest
        else { return nil }
        return value
    }

    /// The locale decimal strings are read in (a point, no grouping), made once: numbers
    /// are read on every word of every page.
    static let posix = Locale(identifier: "en_US_POSIX")
}
