import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// How `parse` and `eval` find the catalogue that restores names and codes.
struct CatalogueOptions: ParsableArguments {
    @Option(help: "Catalogue CSV for restoring printed names and codes (default: the sample catalogue under ./Fixtures when present).")
    var catalogue: String?

    @Flag(help: "Do not restore names and codes from a catalogue: report the raw readings.")
    var noCatalogue = false

    /// The restoration step, or nil when no catalogue is to be used or found.
    func restoration(quiet: Bool) throws -> NameRestoration? {
        guard !noCatalogue, let path = catalogue ?? CatalogueCommand.samplePath else { return nil }
        let (_, entries) = try CatalogueStore.read(path)
        if !quiet {
            FileHandle.standardError.write(Data("claimeye: names and codes restored from \(path) (\(entries.count) entries)\n".utf8))
        }
        return NameRestoration(matcher: CatalogueMatcher(entries: entries))
    }
}
