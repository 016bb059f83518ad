import Foundation

/// A document's content, reduced to what a re-scan reads the same: the hospital's CJK
/// characters, the date, the printed total and the sorted multiset of line amounts.
///
/// Item names are left out: OCR reads a name differently at another angle or resolution
/// far more often than it misreads a number, and the amounts with the total and date
/// already single out a bill. The hospital keeps only its CJK ideographs, so spaces,
/// punctuation and Latin look-alikes (`(`, `l`, `1`) that vary between scans do not
/// count; an English bill's hospital is dropped the same way, leaving date, total and
/// amounts. Two different bills of one hospital on one day with the same total and
/// the same amounts would share a signature: that is the rule's intent (it is a
/// duplicate to a reviewer), and the rule only holds the claim for a person to look.
public struct ContentSignature: Hashable, Sendable, CustomStringConvertible {
    /// `v1|<hospital CJK>|<date>|<total>|<amount>,<amount>,…`, amounts ascending.
    public var text: String

    /// The signature of a parsed document; nil when it has no line amounts, since a
    /// document without them would match every other empty one.
    public init?(_ document: ParsedDocument) {
        let amounts = document.items.compactMap { $0.amount?.value }.map(Money.roundToFen).sorted()
        guard !amounts.isEmpty else { return nil }
        let hospital = String(TextFolding.clean(document.metadata.hospital?.value ?? "").filter(isIdeograph))
        let date = document.metadata.date?.value ?? ""
        let total = document.metadata.total.map { Money.format($0.value) } ?? ""
        text = ["v1", hospital, date, total, amounts.map(Money.format).joined(separator: ",")].joined(separator: "|")
    }

    public var description: String { text }
}

/// True for a CJK ideograph (not CJK punctuation).
private func isIdeograph(_ character: Character) -> Bool {
    character.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
}
