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

    /// Parses a plain decimal string such as `12.5`, `-3` or `0.10`; nil for anything else.
    public static func parse(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty,
            trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            trimmed.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Decimal(string: trimmed, locale: posix)
    }

    /// The locale decimal strings are read in (a point, no grouping), made once: numbers
    /// are read on every word of every page.
    static let posix = Locale(identifier: "en_US_POSIX")
}
