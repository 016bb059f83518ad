/// Text clean-up shared by the parser and the evaluator.
public enum TextFolding {
    /// Folds full-width forms to half-width (`０`→`0`, `（`→`(`, the ideographic space
    /// to a space) and removes the spaces Tesseract puts between CJK characters.
    public static func clean(_ text: String) -> String {
        removeCJKSpaces(foldWidth(text))
    }

    /// Full-width ASCII (U+FF01–FF5E) to ASCII, U+3000 to a space, `¥`/`￥` kept as `¥`.
    public static func foldWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0x3000:
                scalars.append(" ")
            case 0xFFE5:
                scalars.append("¥")
            case 0x2160...0x216B:
                // Roman numerals (Ⅰ, Ⅱ …) as the letters OCR reads them as.
                let letters = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
                scalars.append(contentsOf: letters[Int(scalar.value - 0x2160)].unicodeScalars)
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Removes whitespace that has a CJK character or CJK punctuation on either side.
    public static func removeCJKSpaces(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isWhitespace {
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if isCJK(before) || isCJK(after) || before.isWhitespace { continue }
            }
            result.append(character)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// Removes all whitespace: how the evaluator compares names.
    public static func compact(_ text: String) -> String {
        String(foldWidth(text).filter { !$0.isWhitespace })
    }

    /// True for CJK ideographs and CJK punctuation.
    public static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
                || (0x3000...0x303F).contains(scalar.value)
        }
    }

    /// True when the text holds at least one CJK ideograph.
    public static func hasCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }
}
