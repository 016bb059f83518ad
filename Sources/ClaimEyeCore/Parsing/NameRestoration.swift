/// Gives each parsed item its best name and its code from the catalogue, where the
/// match is certain: the code printed on the line is a catalogue code, or the matcher
/// puts the reading in the auto zone (name, spec and unit price agreeing). The raw
/// reading stays in `nameRead`; an uncertain match changes nothing.
public struct NameRestoration: Sendable {
    public let matcher: CatalogueMatcher

    public init(matcher: CatalogueMatcher) {
        self.matcher = matcher
    }

    public func restore(_ document: ParsedDocument) -> ParsedDocument {
        var document = document
        document.items = document.items.map { item in
            var item = item
            // The printed form is restored only where the line is printed in the
            // catalogue's script: an English bill keeps its English name and gains the code.
            let sameScript = TextFolding.hasCJK(item.nameRead)
            if let printed = item.code?.value, let entry = matcher.entry(code: printed) {
                if sameScript { item.name = Read(entry.name, confidence: max(item.name.confidence, 0.99), box: item.name.box) }
                return item
            }
            let result = matcher.match(MatchQuery(text: item.nameRead, spec: item.spec?.value, unitPrice: item.unitPrice?.value), top: 1)
            guard result.zone == .auto, let best = result.best, !Self.extends(best.name, item.nameRead) else { return item }
            // A printed code that is no catalogue code but one or two characters away
            // from the matched entry's was misread: the entry's code replaces it.
            if let printed = item.code, printed.value != best.code, Evaluator.editDistance(printed.value, best.code) <= 2 {
                item.code = Read(best.code, confidence: best.score, box: printed.box)
                if !item.flags.contains(.repaired) { item.flags.append(.repaired) }
            }
            if sameScript { item.name = Read(best.name, confidence: best.score, box: item.name.box) }
            // The spec is restored too when its reading is close to the entry's printed
            // spec (two thirds of the characters agree); a different pack size stays.
            if let entry = matcher.entry(code: best.code), let printed = entry.spec, let read = item.spec,
                read.value != printed, Evaluator.similarity(TextFolding.compact(read.value), TextFolding.compact(printed)) >= 0.67
            {
                item.spec = Read(printed, confidence: best.score, box: read.box)
            }
            if item.code == nil { item.code = Read(best.code, confidence: best.score, box: nil) }
            return item
        }
        return document
    }

    /// True when `entry` is the reading with two characters or more after it (`桂枝` and
    /// 桂枝颗粒, `红花` and 红花注射液): the reading is a name of its own (a herb, not its
    /// granules), not a misreading of the entry's; OCR does not add a dosage form.
    static func extends(_ entry: String, _ reading: String) -> Bool {
        let (entry, reading) = (TextFolding.compact(entry), TextFolding.compact(reading))
        return !reading.isEmpty && entry.hasPrefix(reading) && entry.count >= reading.count + 2
    }
}
