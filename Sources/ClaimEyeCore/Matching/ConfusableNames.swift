import Foundation

/// Names that OCR can turn into each other. A printed Ⅲ is read as II, and Ⅱ as I; I, l,
/// 1 and | are one stroke each; a trailing digit is lost (维生素B12 read as 维生素B1); one
/// Latin letter is misread ((IgG) as (IgA)). Two catalogue entries whose names differ only
/// so are siblings: the name alone cannot tell which was printed.
enum ConfusableNames {
    /// The single strokes OCR confuses with one another (after compatibility mapping,
    /// which spells the Roman numerals Ⅰ…Ⅻ in Latin letters).
    static let strokes: Set<Character> = ["I", "l", "1", "i", "|", "!", "丨"]

    /// Whether two names differ, and only in what OCR confuses.
    static func siblings(_ a: String, _ b: String) -> Bool {
        let plainA = Array(a.precomposedStringWithCompatibilityMapping), plainB = Array(b.precomposedStringWithCompatibilityMapping)
        guard plainA != plainB else { return false }
        return skeleton(a) == skeleton(b) || oneLetterApart(plainA, plainB)
    }

    /// The name with its Roman numerals (Ⅰ…ↈ, whatever their number: one read with a
    /// stroke more or less is another) and its strokes taken out, and its trailing digits
    /// dropped: siblings have the same skeleton.
    static func skeleton(_ name: String) -> String {
        let numeralsOut = String(String.UnicodeScalarView(name.unicodeScalars.filter { !(0x2160...0x2188).contains($0.value) }))
        var kept = numeralsOut.precomposedStringWithCompatibilityMapping.filter { !strokes.contains($0) && !$0.isWhitespace }
        while let last = kept.last, last.isASCII, last.isNumber { kept.removeLast() }
        return kept
    }

    /// Whether two names of the same length differ in exactly one place, a Latin letter
    /// or digit in both.
    static func oneLetterApart(_ a: [Character], _ b: [Character]) -> Bool {
        guard a.count == b.count else { return false }
        var differences = 0
        for (x, y) in zip(a, b) where x != y {
            guard x.isASCII, y.isASCII, x.isLetter || x.isNumber, y.isLetter || y.isNumber else { return false }
            differences += 1
            if differences > 1 { return false }
        }
        return differences == 1
    }
}
