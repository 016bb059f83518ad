import Foundation

/// The quantity line of a receipt: `2盒 × 12.50 = 25.00`, `2盒 x 13.50   27.00`.
enum ReceiptLine {
    struct Match {
        /// Nil when OCR lost it; the parser then takes the one amount ÷ price implies.
        var quantity: NumberReading.Value?
        var unit: String?
        var unitPrice: NumberReading.Value
        var amount: NumberReading.Value?
    }

    private static let pattern: NSRegularExpression? = try? NSRegularExpression(
        pattern: #"^\s*(-?[0-9OlI]+(?:\.[0-9]+)?)?\s*([^\s\d×xX*]{0,3})\s*[×xX*]{1,2}\s*(-?[0-9OlIS.,:]+)\s*(?:=\s*)?(-?[0-9OlIS.,:]+)?\s*$"#)

    /// A quantity line whose × was lost (`1 支 X23.70 23.70` read as `I 23.70 23.70`):
    /// quantity, an optional unit, price and amount, taken only where they multiply out.
    private static let withoutSign: NSRegularExpression? = try? NSRegularExpression(
        pattern: #"^\s*([0-9OlI]{1,3})\s*([^\s\d.]{0,2})\s+([0-9OlIS]+\.[0-9]{2})\s+([0-9OlIS]+\.[0-9]{2})\s*$"#)

    static func match(_ text: String) -> Match? {
        // Specks of a noisy scan read as marks around the line: `、 - : 1盒 x 3.90 3.90`.
        let marks = CharacterSet(charactersIn: " “”\"'，,、:：.。…;；")
        var line = text.replacingOccurrences(of: "¥", with: "").trimmingCharacters(in: marks)
        if line.hasPrefix("-"), line.dropFirst().first.map({ !$0.isNumber }) == true {
            line = String(line.dropFirst()).trimmingCharacters(in: marks)
        }
        guard let pattern, let result = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else {
            return matchWithoutSign(line)
        }
        func group(_ index: Int) -> String? {
            guard let range = Range(result.range(at: index), in: line) else { return nil }
            let value = String(line[range]).trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        guard let price = group(3).flatMap(NumberReading.parse) else { return nil }
        let quantity = group(1).flatMap(NumberReading.parse)
        let amount = group(4).flatMap(NumberReading.parse)
        // Without a quantity the line must carry its amount, or it says too little.
        guard quantity != nil || amount != nil, quantity != nil || group(2) != nil else { return nil }
        return Match(quantity: quantity, unit: group(2), unitPrice: price, amount: amount)
    }

    private static func matchWithoutSign(_ line: String) -> Match? {
        guard let withoutSign, let result = withoutSign.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { return nil }
        func group(_ index: Int) -> String? {
            guard let range = Range(result.range(at: index), in: line), !range.isEmpty else { return nil }
            return String(line[range])
        }
        // A lone `1` read as `I` is a letter to `NumberReading`; here it can only be a quantity.
        let quantityText = group(1).map { String($0.map { NumberReading.confusions[$0] ?? $0 }) }
        guard let quantity = quantityText.flatMap(NumberReading.parse), let price = group(3).flatMap(NumberReading.parse),
            let amount = group(4).flatMap(NumberReading.parse), quantity.value > 0, quantity.value * price.value == amount.value
        else { return nil }
        return Match(quantity: quantity, unit: group(2), unitPrice: price, amount: amount)
    }

    /// Splits `阿莫西林胶囊 0.25g*24粒` into the name and the spec that follows it.
    static func splitNameAndSpec(_ text: String) -> (String, String?) {
        // A receipt numbers its lines: `1.`, `2、`, `3,.`, and on a noisy scan `3:` or
        // `.4` (the point read before the digit).
        let cleaned = TextFolding.clean(text).replacingOccurrences(
            of: #"^(?:[.,、]\d{1,3}(?=\p{Han})|\d{1,3}\s*[.,、:：]+\s*(?!\d))"#, with: "", options: .regularExpression)
        let characters = Array(cleaned)
        // The spec starts at the first digit that follows CJK text, unless that digit is
        // part of the name (`0.9%氯化钠注射液` starts with one).
        for index in characters.indices where index > 0 && characters[index].isNumber {
            // A digit after a Latin letter belongs to the name (`维生素B1注射液`).
            guard TextFolding.hasCJK(String(characters[..<index])), !characters[index - 1].isNumber,
                !(characters[index - 1].isASCII && characters[index - 1].isLetter)
            else { continue }
            var nameEnd = index
            if characters[index - 1] == "." {
                // `0.9%` keeps its point; a speck read as a point between a CJK name and
                // its spec (`京万红软膏.20g`) goes.
                guard index >= 2, TextFolding.hasCJK(String(characters[index - 2])) else { continue }
                nameEnd = index - 1
            }
            let before = String(characters[..<nameEnd])
            let spec = String(characters[index...]).trimmingCharacters(in: .whitespaces)
            // A spec carries a unit or a ratio; a trailing `(5ml)` in brackets stays in the name.
            if characters[index - 1] == "(" { continue }
            return (before.trimmingCharacters(in: .whitespaces), spec.isEmpty ? nil : spec)
        }
        return (cleaned, nil)
    }
}
