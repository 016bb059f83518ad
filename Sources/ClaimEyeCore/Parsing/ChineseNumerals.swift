import Foundation

/// Amounts written in Chinese capital numerals (大写), as totals are printed:
/// `贰佰陆拾柒元陆角陆分` = 267.66.
public enum ChineseNumerals {
    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "叁": 3, "參": 3, "三": 3,
        "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8,
        "玖": 9, "九": 9,
    ]
    static let units: [Character: Int] = ["拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000]

    /// The amount, or nil when the text holds no well-formed capital-numeral amount.
    public static func parse(_ text: String) -> Decimal? {
        var yuan = 0
        var section = 0
        var pending = 0
        var fen = 0
        var seen = false
        var afterYuan = false
        // Whether the last character was a numeral, 零 and a printed place mark (⊗) among
        // them: `零仟` and `⊗仟` are an empty place, `些仟` (no numeral) a misreading.
        var afterNumeral = false
        for character in text {
            if let digit = digits[character] ?? (placeMarks.contains(character) ? 0 : nil) {
                pending = digit
                seen = true
                afterNumeral = true
                continue
            }
            defer { afterNumeral = false }
            if let unit = units[character] {
                // 佰 or 仟 with no numeral before it: a numeral was misread (`些仟肆佰`).
                if !afterNumeral && unit > 10 { return nil }
                // `拾元` is ten; `零拾` is an empty place.
                section += (!afterNumeral && unit == 10 ? 1 : pending) * unit
                pending = 0
                seen = true
            } else if character == "万" || character == "萬" {
                yuan += (section + pending) * 10000
                section = 0
                pending = 0
            } else if character == "元" || character == "圆" {
                yuan += section + pending
                section = 0
                pending = 0
                afterYuan = true
            } else if character == "角" {
                fen += pending * 10
                pending = 0
            } else if character == "分" {
                fen += pending
                pending = 0
            } else if character == "整" || character == "正" || character.isWhitespace {
                continue
            } else if afterYuan {
                break
            } else if seen {
                // A misread character among the yuan's numerals (`壹拍捌元`): no reading.
                return nil
            }
        }
        guard seen, afterYuan || section + pending > 0 else { return nil }
        if !afterYuan { yuan += section + pending }
        return Decimal(yuan) + Decimal(fen) / 100
    }

    /// Marks a form prints in an empty place of a capital amount (`⊗万⊗仟叁佰…`).
    static let placeMarks: Set<Character> = ["⊗", "Ⓧ", "ⓧ"]
}
