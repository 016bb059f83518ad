import Foundation

/// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold
/// commas, quotes (doubled) and line breaks; LF or CRLF line ends; an optional UTF-8 BOM.
/// Each record carries the line number it starts on, for error messages.
public struct CSVReader {
    /// One record and the (1-based) line it starts on.
    public struct Record: Sendable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The file line the record starts on.
        public var line: Int
    }

    /// A syntax error in the file itself (not in a field's value).
    public struct SyntaxError: Error, Sendable {
        /// The line the bad record starts on.
        public var line: Int
        /// What is wrong.
        public var reason: String
    }

    /// Parses the whole text; blank lines between records are skipped.
    public static func records(in text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterQuote = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            quotedField = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields = []
        }

        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; afterQuote = true; pending = next }
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                endField()
            case "\r":
                // CRLF: the LF ends the record; a lone CR is a line end too.
                if let next = iterator.next(), next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !quotedField else {
                    throw SyntaxError(line: line, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedField = true
            default:
                if afterQuote {
                    throw SyntaxError(line: line, reason: "text after a closing quote")
                }
                field.append(c)
            }
        }
        if inQuotes { throw SyntaxError(line: recordLine, reason: "a quoted field is not closed before the end of the file") }
        if !fields.isEmpty || !field.isEmpty { endRecord() }
        return records
    }
}
