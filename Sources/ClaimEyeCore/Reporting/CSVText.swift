import Foundation

/// How claimeye writes CSV, for every CSV it writes (RFC 4180, `\n` line ends).
///
/// A field a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return) is written behind an apostrophe, so a catalogue name such as
/// `=HYPERLINK(…)` reaches the auditor's spreadsheet as text, never as a formula. A plain
/// number (`-3.00`) is left as it is: it is a number in any spreadsheet.
public enum CSVText {
    /// One field, neutralised and quoted when needed.
    public static func field(_ text: String) -> String {
        var field = text
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Money.parse(field) == nil {
            field = "'" + field
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields, each through `field`, and the line end.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
