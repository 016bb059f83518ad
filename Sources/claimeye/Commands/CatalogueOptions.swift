import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyeStore
import Foundation

/// How `ocr`, `parse` and `eval` find the catalogue: its names are the OCR lexicon
/// (see `OCRLexicon`), and it restores printed names and codes.
struct CatalogueOptions: ParsableArguments {
    @Option(help: "Catalogue CSV whose names guide OCR re-reading and restore printed names and codes (default: the sample catalogue under ./Fixtures when present).")
    var catalogue: String?

    @Flag(help: "Use no catalogue: no OCR lexicon, no restoration; report the raw readings.")
    var noCatalogue = false

    /// The catalogue's entries, or nil when no catalogue is to be used or found. Says on
    /// stderr what it is used for, unless `quiet`.
    func entries(quiet: Bool, use: String) throws -> [CatalogueEntry]? {
        guard !noCatalogue, let path = catalogue ?? CatalogueCommand.samplePath else { return nil }
        let (_, entries) = try CatalogueStore.read(path)
        if !quiet {
            FileHandle.standardError.write(Data("claimeye: \(use) from \(path) (\(entries.count) entries)\n".utf8))
        }
        return entries
    }

    /// The OCR lexicon alone, for `ocr`.
    func lexicon(quiet: Bool) throws -> OCRLexicon {
        try entries(quiet: quiet, use: "OCR lexicon").map(OCRLexicon.init(catalogue:)) ?? .empty
    }

    /// The OCR lexicon and the restoration step (nil without a catalogue).
    func load(quiet: Bool) throws -> (lexicon: OCRLexicon, restoration: NameRestoration?) {
        guard let entries = try entries(quiet: quiet, use: "OCR lexicon, names and codes restored") else { return (.empty, nil) }
        return (OCRLexicon(catalogue: entries), NameRestoration(matcher: CatalogueMatcher(entries: entries)))
    }
}
