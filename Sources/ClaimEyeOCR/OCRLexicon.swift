import ClaimEyeCore

/// Texts a bill is expected to print: the catalogue's names and aliases and the class
/// marks, folded to half width and without spaces. A CJK segment that the page pass
/// reads as one of them exactly is kept without a re-read, and where readings of a
/// segment disagree, one that spells an entry wins. On the clean Chinese fixture set
/// every name the re-read turned wrong had been read exactly by the page pass (README,
/// "OCR accuracy").
///
/// The lexicon only chooses among the engine's own readings; it never writes a text
/// that was not read.
public struct OCRLexicon: Sendable, Hashable {
    private let entries: Set<String>
    /// A stable digest of the entries (FNV-1a over the sorted texts), part of the key
    /// that stored OCR is filed under.
    public let digest: String

    /// A lexicon of `texts` and the class marks 甲, 乙, 丙.
    public init<Texts: Sequence>(_ texts: Texts) where Texts.Element == String {
        var entries = Set(texts.map(Self.fold).filter { !$0.isEmpty })
        if !entries.isEmpty { entries.formUnion(["甲", "乙", "丙"]) }
        self.entries = entries
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for entry in entries.sorted() {
            for byte in entry.utf8 + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
            }
        }
        digest = entries.isEmpty ? "none" : "\(entries.count):\(String(hash, radix: 16))"
    }

    /// The names and aliases of catalogue entries.
    public init(catalogue entries: [CatalogueEntry]) {
        self.init(entries.flatMap { [$0.name] + $0.aliases })
    }

    /// No entries: every low-confidence CJK segment is re-read and the readings are
    /// chosen by agreement and confidence alone.
    public static let empty = OCRLexicon([String]())

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// True when the words spell an entry, or an amount followed by one (`16.00甲`: a
    /// class mark printed close to the amount before it).
    public func knows(_ words: [OCRWord]) -> Bool {
        guard !entries.isEmpty else { return false }
        let text = Self.fold(words.map(\.text).joined())
        if entries.contains(text) { return true }
        let amount = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let rest = text.dropFirst(amount.count)
        return !rest.isEmpty && Self.isAmount(amount) && entries.contains(String(rest))
    }

    static func fold(_ text: String) -> String {
        TextFolding.compact(text)
    }

    /// Digits, a point, two digits.
    private static func isAmount(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].count == 2
    }

    public static func == (a: OCRLexicon, b: OCRLexicon) -> Bool { a.digest == b.digest }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}
