import Foundation

/// Reads numbers as OCR prints them, and proposes the readings it may have meant.
public enum NumberReading {
    /// Characters OCR puts where a digit was printed.
    static let confusions: [Character: Character] = [
        "O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1", "!": "1",
        "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9",
    ]

    /// A number read from text: the value, and whether characters were changed to get it.
    public struct Value: Hashable, Sendable {
        public var value: Decimal
        public var repaired: Bool
        /// The digits as read, with the decimal point (for edit-distance repairs).
        public var digits: String
    }

    /// Parses a money or quantity token: `¥1,234.50`, `１２.５０`, `12,50`, `-2`, `25.00元`,
    /// `l2.5O`. Nil when the text is not a number even after the usual confusions.
    public static func parse(_ raw: String) -> Value? {
        // Most tokens are plain digits with at most one point (`12.50`, `3`): read directly.
        let bytes = raw.utf8
        if let first = bytes.first, let last = bytes.last, first != 46, last != 46,
            bytes.allSatisfy({ (48...57).contains($0) || $0 == 46 }), bytes.lazy.filter({ $0 == 46 }).count <= 1
        {
            return Decimal(string: raw, locale: Money.posix).map { Value(value: $0, repaired: false, digits: raw) }
        }
        var text = TextFolding.foldWidth(raw).trimmingCharacters(in: .whitespaces)
        for mark in ["¥", "元", "RMB", "$"] { text = text.replacingOccurrences(of: mark, with: "") }
        // Table rules read as `|`, `[`, `]` or quotes at a cell's edge are not digits.
        // So are specks of a noisy scan read as marks at a cell's edge.
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " :：=()|[]【】「」\"'”“‘’`_~，。、"))
        // A point read as a colon: `3:90`.
        if !text.contains("."), text.filter({ $0 == ":" }).count == 1,
            text.range(of: #"^\d+:\d\d$"#, options: .regularExpression) != nil
        {
            text = text.replacingOccurrences(of: ":", with: ".")
        }
        // A speck read as a point at either end of a number that has its own: `.17.50`.
        if text.filter({ $0 == "." }).count > 1 {
            if text.hasPrefix(".") { text.removeFirst() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        // A rule read as a digit after a price's two decimals: `45.00l`, `480.00|`.
        if let point = text.lastIndex(of: "."), text.distance(from: point, to: text.endIndex) > 3,
            text[text.index(point, offsetBy: 1)...].prefix(2).allSatisfy(\.isNumber)
        {
            let tail = text[text.index(point, offsetBy: 3)...]
            if tail.allSatisfy({ "lI|i!".contains($0) }) { text = String(text[..<text.index(point, offsetBy: 3)]) }
        }
        guard !text.isEmpty else { return nil }
        var repaired = false
        // The yen sign read as letters (`Y294.70`, `YX294.70`) before an amount with a
        // decimal point.
        for sign in ["YX", "Yx", "Y"] where text.hasPrefix(sign) {
            let rest = text.dropFirst(sign.count)
            if rest.first?.isNumber == true, rest.contains(".") {
                text = String(rest)
                repaired = true
            }
            break
        }
        var mapped = ""
        for character in text {
            if character.isASCII && character.isNumber || character == "." || character == "," || character == "-" {
                mapped.append(character)
            } else if let digit = confusions[character] {
                mapped.append(digit)
                repaired = true
            } else {
                return nil
            }
        }
        // Letters alone are a word, not a misread number.
        guard mapped.contains(where: { $0.isNumber }), text.contains(where: { $0.isNumber }) else { return nil }
        // `12,50`: a comma with exactly two digits after it and no point is a decimal comma.
        if !mapped.contains("."), let comma = mapped.lastIndex(of: ","),
            mapped.distance(from: comma, to: mapped.endIndex) == 3, mapped.filter({ $0 == "," }).count == 1
        {
            mapped.replaceSubrange(comma...comma, with: ".")
            repaired = true
        }
        mapped = mapped.replacingOccurrences(of: ",", with: "")
        let negative = mapped.hasPrefix("-")
        let body = negative ? String(mapped.dropFirst()) : mapped
        guard !body.isEmpty, !body.contains("-"), body.filter({ $0 == "." }).count <= 1,
            body.first != ".", body.last != ".",
            let value = Decimal(string: body, locale: Money.posix)
        else { return nil }
        return Value(value: negative ? -value : value, repaired: repaired, digits: mapped)
    }

    /// A number read to its point and no further (`￥47.` for 47.04 cut short, two digits
    /// or more before the point): its whole part. Nil for anything else, an item's number
    /// (`6.`) among them; `parse` reads none of these.
    public static func readToPoint(_ text: String) -> Value? {
        guard text.hasSuffix("."), !text.dropLast().contains("."), text.dropLast().filter(\.isNumber).count >= 2 else { return nil }
        return parse(String(text.dropLast()))
    }

    /// Readings one plausible OCR slip away from `digits`: one digit confused with a
    /// look-alike, a lost or extra decimal point before the last two digits, a digit
    /// dropped. Used only to make a line's arithmetic agree.
    public static func alternatives(of digits: String) -> [Decimal] {
        let lookAlikes: [Character: [Character]] = [
            "0": ["8", "6", "9"], "1": ["7", "4"], "2": ["7", "3"], "3": ["8", "5", "9"], "4": ["1", "9"],
            "5": ["6", "3", "8"], "6": ["5", "8", "0"], "7": ["1", "2"], "8": ["3", "0", "6", "9"], "9": ["8", "0", "4"],
        ]
        var texts: Set<String> = []
        let characters = Array(digits)
        for (index, character) in characters.enumerated() {
            for other in lookAlikes[character] ?? [] {
                var copy = characters
                copy[index] = other
                texts.insert(String(copy))
            }
            if character.isNumber {
                var dropped = characters
                dropped.remove(at: index)
                texts.insert(String(dropped))
            }
        }
        if let point = characters.firstIndex(of: ".") {
            var noPoint = characters
            noPoint.remove(at: point)
            texts.insert(String(noPoint))
            if noPoint.count > 2 {
                var moved = noPoint
                moved.insert(".", at: noPoint.count - 2)
                texts.insert(String(moved))
            }
        } else if characters.count > 2 {
            var withPoint = characters
            withPoint.insert(".", at: characters.count - 2)
            texts.insert(String(withPoint))
        }
        // A speck read as a minus sign.
        if characters.first == "-" { texts.insert(String(characters.dropFirst())) }
        return texts.sorted().compactMap { text in
            guard !text.isEmpty, text != "-", text.last != "." else { return nil }
            return Decimal(string: text, locale: Money.posix)
        }
    }
}
