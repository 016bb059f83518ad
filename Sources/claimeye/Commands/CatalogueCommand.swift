import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// `claimeye catalogue import|search|stats`: the drug / service / consumable catalogue.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Import, search and count the catalogue.",
        subcommands: [Import.self, Search.self, Stats.self, Keys.self]
    )

    /// `claimeye catalogue import FILE`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a catalogue CSV (NRDL layout, services layout, or the plain layout).",
            discussion: """
                The layout is told by the header. The plain layout's header is exactly:
                \(CatalogueLayout.plainHeader.joined(separator: ","))
                (aliases separated by |, dates YYYY-MM-DD, prices in yuan). Entries are upserted \
                by code, so importing the same file again changes nothing. A malformed row is \
                reported with its line number and nothing is imported (exit 65).
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The CSV file.")
        var file: String

        func run() throws {
            let summary = try global.openLedger(checkIntegrity: true).importCatalogue(file, now: Date())
            if global.json {
                print(try CommandJSON.line(summary))
            } else {
                print("imported \(summary.rows) rows (\(summary.layout) layout): \(summary.inserted) new, \(summary.updated) changed, \(summary.unchanged) unchanged")
            }
        }
    }

    /// `claimeye catalogue search TEXT`.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries whose name, alias or code contains TEXT, then the closest fuzzy matches.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "At most this many entries.")
        var limit = 20

        @Argument(help: "Text to look for.")
        var text: String

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let ledger = try global.openLedger()
            let matcher = try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: CatalogueCommand.samplePath)
            var found = try ledger.searchCatalogue(text, limit: limit)
            if found.count < limit {
                // Fill up with fuzzy candidates: a search is usually a misspelling.
                let seen = Set(found.map(\.code))
                let fuzzy = matcher.match(MatchQuery(text: text), top: limit).candidates
                for candidate in fuzzy where !seen.contains(candidate.code) && found.count < limit {
                    if let entry = matcher.entry(code: candidate.code) { found.append(entry) }
                }
            }
            if global.json {
                for entry in found { print(try CommandJSON.line(EntryJSON(entry))) }
            } else {
                for e in found {
                    let price = e.priceCap.map { " cap " + Money.format($0) } ?? ""
                    print("\(e.code)\t\(e.name)\t\(e.reimbursementClass.rawValue)\t\(e.dosageForm ?? "-")\t\(e.spec ?? "-")\(price)")
                }
            }
        }
    }

    /// `claimeye catalogue stats`.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts of entries by kind and class, aliases and review items, and the index build time.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let ledger = try global.openLedger()
            let stats = try ledger.catalogueStats()
            let clock = ContinuousClock()
            let start = clock.now
            // The SQLite ledger keeps a built index; on PostgreSQL each worker builds its own.
            let (matcher, built) = try (ledger as? Ledger).map { try CatalogueStore(ledger: $0).loadMatcher() }
                ?? (ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: nil), true)
            let elapsed = clock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            if global.json {
                print(try CommandJSON.line(stats))
            } else {
                func list(_ d: [String: Int]) -> String { d.keys.sorted().map { "\($0) \(d[$0] ?? 0)" }.joined(separator: ", ") }
                print("entries: \(stats.entries) (\(list(stats.byKind)); \(list(stats.byClass))); with a price cap: \(stats.withPriceCap)")
                print("learned aliases: \(stats.learnedAliases); rejections: \(stats.rejections); review items: \(list(stats.reviewItems))")
                print("imports: \(stats.imports)")
                let how = !built ? "loaded from the saved index" : ledger is Ledger ? "indexed (and the index saved)" : "indexed (a PostgreSQL ledger keeps no index: each worker builds its own)"
                print("matcher: \(matcher.keyCount) keys, \(how) in \(String(format: "%.0f", ms)) ms")
            }
        }
    }

    /// Hidden: each entry's normalised keys, one `code<TAB>full<TAB>core` line per key
    /// variant. The benchmark hands RapidFuzz the same normalisation through it.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Normalised keys of every entry.", shouldDisplay: false)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let store = CatalogueStore(ledger: try global.sqliteLedger(for: "catalogue keys"))
            var out = ""
            for entry in try store.entries() {
                for name in [entry.name] + entry.aliases {
                    for key in MatchNormaliser.catalogueKeys(name) { out += "\(entry.code)\t\(key.fullText)\t\(key.coreText)\n" }
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    /// A fresh ledger starts with the project's sample catalogue: $CLAIMEYE_SAMPLE_CATALOGUE,
    /// else `Fixtures/catalogue/sample_catalogue.csv` under the current folder (a
    /// checkout). Without either a fresh ledger stays empty.
    static func seed(_ store: CatalogueStore) throws {
        guard let path = samplePath else { return }
        try store.seedIfFresh(samplePath: path)
    }

    /// Where the sample catalogue is, if anywhere: $CLAIMEYE_SAMPLE_CATALOGUE, the
    /// checkout's, the installed one.
    static var samplePath: String? {
        if let path = ProcessInfo.processInfo.environment["CLAIMEYE_SAMPLE_CATALOGUE"], !path.isEmpty { return path }
        let candidates = ["Fixtures/catalogue/sample_catalogue.csv", InstalledFiles.path("catalogue/sample_catalogue.csv")]
        return candidates.compactMap(\.self).first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// JSON with sorted keys: the same input gives byte-identical output.
enum CommandJSON {
    /// Indented JSON and a final newline, for whole results on stdout.
    static func pretty<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }

    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A catalogue entry as JSON: money as a string with two decimals (DESIGN.md).
struct EntryJSON: Encodable {
    var code, name, kind, reimbursementClass: String
    var aliases: [String]
    var category, dosageForm, spec, unit, priceCap, selfPayRatio, restrictions, validFrom, validTo: String?

    init(_ e: CatalogueEntry) {
        code = e.code
        name = e.name
        kind = e.kind.rawValue
        reimbursementClass = e.reimbursementClass.rawValue
        aliases = e.aliases
        category = e.category
        dosageForm = e.dosageForm
        spec = e.spec
        unit = e.unit
        priceCap = e.priceCap.map(Money.format)
        selfPayRatio = e.selfPayRatio.map { NSDecimalNumber(decimal: $0).stringValue }
        restrictions = e.restrictions
        validFrom = e.validFrom
        validTo = e.validTo
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, aliases, category, spec, unit, restrictions
        case reimbursementClass = "class", dosageForm = "dosage_form", priceCap = "price_cap"
        case selfPayRatio = "self_pay_ratio", validFrom = "valid_from", validTo = "valid_to"
    }
}
