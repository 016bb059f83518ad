import ClaimEyeCore
import Foundation
import GRDB

/// What one import did.
public struct CatalogueImportSummary: Codable, Hashable, Sendable {
    /// The file imported.
    public var file: String
    /// The layout detected from its header.
    public var layout: String
    /// Rows read.
    public var rows: Int
    /// Entries new to the catalogue.
    public var inserted: Int
    /// Existing entries whose fields changed.
    public var updated: Int
    /// Existing entries left as they were (a re-import changes nothing).
    public var unchanged: Int

    public init(file: String, layout: String, rows: Int, inserted: Int, updated: Int, unchanged: Int) {
        (self.file, self.layout, self.rows) = (file, layout, rows)
        (self.inserted, self.updated, self.unchanged) = (inserted, updated, unchanged)
    }
}

/// Counts for `claimeye catalogue stats`.
public struct CatalogueStats: Codable, Hashable, Sendable {
    /// Entries in all.
    public var entries: Int
    /// Entries per kind (drug, service, consumable).
    public var byKind: [String: Int]
    /// Entries per class (甲, 乙, 丙).
    public var byClass: [String: Int]
    /// Entries with a price cap.
    public var withPriceCap: Int
    /// Learned aliases and rejections.
    public var learnedAliases: Int
    /// Rejections recorded by review.
    public var rejections: Int
    /// Review items by status.
    public var reviewItems: [String: Int]
    /// Imports done.
    public var imports: Int

    public init(
        entries: Int, byKind: [String: Int], byClass: [String: Int], withPriceCap: Int, learnedAliases: Int, rejections: Int,
        reviewItems: [String: Int], imports: Int
    ) {
        (self.entries, self.byKind, self.byClass, self.withPriceCap) = (entries, byKind, byClass, withPriceCap)
        (self.learnedAliases, self.rejections, self.reviewItems, self.imports) = (learnedAliases, rejections, reviewItems, imports)
    }
}

/// The catalogue in the ledger: import, read, search, and the learned aliases and
/// rejections the matcher is built with.
public struct CatalogueStore: Sendable {
    /// The ledger holding the catalogue.
    public let ledger: Ledger

    /// The store of `ledger`.
    public init(ledger: Ledger) { self.ledger = ledger }

    // MARK: - Import

    /// Reads and checks every row of `path`, then upserts them by code in one
    /// transaction. A malformed row aborts the whole import (nothing is written) with its
    /// line number; importing the same file again changes nothing.
    @discardableResult
    public func importFile(_ path: String, now: Date = Date()) throws -> CatalogueImportSummary {
        let (layout, entries) = try CatalogueStore.read(path)
        return try write(entries, file: path, layout: layout, now: now)
    }

    /// Parses a catalogue file without touching the ledger.
    public static func read(_ path: String) throws -> (CatalogueLayout, [CatalogueEntry]) {
        guard FileManager.default.isReadableFile(atPath: path),
            let data = FileManager.default.contents(atPath: path)
        else { throw CatalogueImportError.fileNotFound(path: path) }
        guard let text = String(data: data, encoding: .utf8) else { throw CatalogueImportError.notText(path: path) }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch let error as CSVReader.SyntaxError {
            throw CatalogueImportError.malformedRow(path: path, line: error.line, reason: error.reason)
        }
        guard let header = records.first else { throw CatalogueImportError.unknownLayout(path: path, header: "(empty file)") }
        guard let layout = CatalogueLayout.detect(header: header.fields) else {
            throw CatalogueImportError.unknownLayout(path: path, header: header.fields.joined(separator: ","))
        }
        var columns: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() { columns[name.trimmingCharacters(in: .whitespaces)] = i }
        var entries: [CatalogueEntry] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            do {
                let entry = try layout.entry(record, columns: columns)
                if let first = seen[entry.code] {
                    throw RowProblem("code \(entry.code) appears again (first on line \(first))")
                }
                seen[entry.code] = record.line
                entries.append(entry)
            } catch let problem as RowProblem {
                throw CatalogueImportError.malformedRow(path: path, line: record.line, reason: problem.reason)
            }
        }
        return (layout, entries)
    }

    func write(_ entries: [CatalogueEntry], file: String, layout: CatalogueLayout, now: Date) throws -> CatalogueImportSummary {
        try ledger.catalogueWrite { db in
            var inserted = 0, updated = 0, unchanged = 0
            let existing = Set(try String.fetchAll(db, sql: "SELECT code FROM catalogue_entry"))
            let upsert = try db.makeStatement(sql: """
                INSERT INTO catalogue_entry (code, name, aliases, kind, category, class, dosage_form, spec, unit,
                    price_cap, self_pay_ratio, restrictions, valid_from, valid_to, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, aliases = excluded.aliases,
                    kind = excluded.kind, category = excluded.category, class = excluded.class,
                    dosage_form = excluded.dosage_form, spec = excluded.spec, unit = excluded.unit,
                    price_cap = excluded.price_cap, self_pay_ratio = excluded.self_pay_ratio,
                    restrictions = excluded.restrictions, valid_from = excluded.valid_from,
                    valid_to = excluded.valid_to, source = excluded.source
                WHERE (name, aliases, kind, category, class, dosage_form, spec, unit, price_cap, self_pay_ratio,
                       restrictions, valid_from, valid_to, source)
                   IS NOT (excluded.name, excluded.aliases, excluded.kind, excluded.category, excluded.class,
                       excluded.dosage_form, excluded.spec, excluded.unit, excluded.price_cap, excluded.self_pay_ratio,
                       excluded.restrictions, excluded.valid_from, excluded.valid_to, excluded.source)
                """)
            for entry in entries {
                try upsert.execute(arguments: CatalogueStore.arguments(entry, source: layout.rawValue))
                if !existing.contains(entry.code) {
                    inserted += 1
                } else if db.changesCount > 0 {
                    updated += 1
                } else {
                    unchanged += 1
                }
            }
            let summary = CatalogueImportSummary(
                file: file, layout: layout.rawValue, rows: entries.count, inserted: inserted, updated: updated, unchanged: unchanged)
            // The persisted index belongs to the catalogue as it was; the next matcher rebuilds it.
            if inserted + updated > 0 { try db.execute(sql: "DELETE FROM match_index") }
            try db.execute(
                sql: "INSERT INTO catalogue_import (file, layout, rows, inserted, updated, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [file, layout.rawValue, entries.count, inserted, updated, ISO8601DateFormatter().string(from: now)])
            return summary
        }
    }

    static func arguments(_ e: CatalogueEntry, source: String) -> StatementArguments {
        let aliases = (try? JSONEncoder().encode(e.aliases)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let price: String? = e.priceCap.map { NSDecimalNumber(decimal: $0).stringValue }
        let ratio: String? = e.selfPayRatio.map { NSDecimalNumber(decimal: $0).stringValue }
        return [
            e.code, e.name, aliases, e.kind.rawValue, e.category, e.reimbursementClass.rawValue, e.dosageForm, e.spec,
            e.unit, price, ratio, e.restrictions, e.validFrom, e.validTo, source,
        ]
    }

    /// Fills a fresh ledger (no entries, no import yet) with the sample catalogue at
    /// `path`, and says so on stderr. Returns nil when the ledger already had a catalogue.
    @discardableResult
    public func seedIfFresh(samplePath path: String, now: Date = Date()) throws -> CatalogueImportSummary? {
        let fresh = try ledger.catalogueRead { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM catalogue_entry) + (SELECT count(*) FROM catalogue_import)") == 0
        }
        guard fresh else { return nil }
        let summary = try importFile(path, now: now)
        FileHandle.standardError.write(Data(
            "claimeye: a fresh ledger: loaded the project's sample catalogue (\(summary.rows) entries from \(path)); import a real one with `claimeye catalogue import FILE`\n".utf8))
        return summary
    }

    // MARK: - Reading

    /// Every entry, sorted by code.
    public func entries() throws -> [CatalogueEntry] {
        try ledger.catalogueRead(CatalogueStore.entries)
    }

    static func entries(_ db: Database) throws -> [CatalogueEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM catalogue_entry ORDER BY code").map(CatalogueStore.entry(from:))
    }

    /// One entry by code.
    public func entry(code: String) throws -> CatalogueEntry? {
        try ledger.catalogueRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM catalogue_entry WHERE code = ?", arguments: [code]).map(CatalogueStore.entry(from:))
        }
    }

    static func entry(from row: Row) -> CatalogueEntry {
        let aliasText: String = row["aliases"] ?? "[]"
        // Most entries have none: a million decoders cost seconds.
        let aliases = aliasText == "[]" ? [] : (try? JSONDecoder().decode([String].self, from: Data(aliasText.utf8))) ?? []
        let priceText: String? = row["price_cap"]
        let ratioText: String? = row["self_pay_ratio"]
        return CatalogueEntry(
            code: row["code"], name: row["name"], aliases: aliases,
            kind: CatalogueKind(rawValue: row["kind"] ?? "") ?? .drug, category: row["category"],
            reimbursementClass: ReimbursementClass(rawValue: row["class"] ?? "") ?? .a,
            dosageForm: row["dosage_form"], spec: row["spec"], unit: row["unit"],
            priceCap: priceText.flatMap(Money.parse), selfPayRatio: ratioText.flatMap(Money.parse),
            restrictions: row["restrictions"], validFrom: row["valid_from"], validTo: row["valid_to"])
    }

    /// Learned aliases, oldest first.
    public func learnedAliases() throws -> [LearnedAlias] {
        try ledger.catalogueRead(CatalogueStore.learnedAliases)
    }

    static func learnedAliases(_ db: Database) throws -> [LearnedAlias] {
        try Row.fetchAll(db, sql: "SELECT key, code, decided_on FROM catalogue_alias ORDER BY id").map {
            LearnedAlias(key: $0["key"], code: $0["code"], decidedOn: $0["decided_on"])
        }
    }

    /// Rejections, oldest first.
    public func rejections() throws -> [MatchRejection] {
        try ledger.catalogueRead(CatalogueStore.rejections)
    }

    static func rejections(_ db: Database) throws -> [MatchRejection] {
        try Row.fetchAll(db, sql: "SELECT key, code FROM match_rejection ORDER BY id").map {
            MatchRejection(key: $0["key"], code: $0["code"])
        }
    }

    /// A matcher over the whole catalogue with its learned aliases and rejections.
    public func matcher(thresholds: MatchThresholds = MatchThresholds()) throws -> CatalogueMatcher {
        try loadMatcher(thresholds: thresholds).matcher
    }

    /// The catalogue's generation: the last import that changed an entry. An index
    /// persisted for an older generation is not used.
    static let generationSQL = "SELECT coalesce(max(id), 0) FROM catalogue_import WHERE inserted + updated > 0"

    /// The largest part a persisted index is cut into (SQLite's default limit on one
    /// value is 1,000,000,000 bytes).
    static let matchIndexPart = 256 << 20

    /// `matcher(thresholds:)`, and whether its index was built now (`built`) or read
    /// back from the one persisted for this catalogue generation. A build is persisted
    /// for the next run unless the catalogue changed meanwhile; a snapshot that does not
    /// read back (damaged, of another version, or stale against today's normaliser) is
    /// rebuilt and replaced.
    public func loadMatcher(thresholds: MatchThresholds = MatchThresholds()) throws -> (matcher: CatalogueMatcher, built: Bool) {
        // One read transaction: the generation, its snapshot, aliases and rejections agree.
        let (parts, aliases, rejections) = try ledger.catalogueRead { db in
            let generation = try Int64.fetchOne(db, sql: CatalogueStore.generationSQL) ?? 0
            return (
                try Data.fetchAll(db, sql: "SELECT data FROM match_index WHERE generation = ? ORDER BY part", arguments: [generation]),
                try CatalogueStore.learnedAliases(db), try CatalogueStore.rejections(db)
            )
        }
        if !parts.isEmpty {
            let data = parts.count == 1 ? parts[0] : parts.reduce(into: Data()) { $0.append($1) }
            if let matcher = try? CatalogueMatcher(snapshot: data, aliases: aliases, rejections: rejections, thresholds: thresholds) {
                return (matcher, false)
            }
        }
        let (entries, entriesGeneration) = try ledger.catalogueRead { db in
            (try CatalogueStore.entries(db), try Int64.fetchOne(db, sql: CatalogueStore.generationSQL) ?? 0)
        }
        let matcher = CatalogueMatcher(entries: entries, aliases: aliases, rejections: rejections, thresholds: thresholds)
        try? persist(matcher, generation: entriesGeneration)
        return (matcher, true)
    }

    /// Stores the matcher's snapshot for `generation`, unless an import has changed the
    /// catalogue since. Best effort: a ledger that cannot take it (read-only, full) still
    /// gets its claims matched, and the next run builds again.
    private func persist(_ matcher: CatalogueMatcher, generation: Int64) throws {
        let data = matcher.snapshot()
        try ledger.catalogueWrite { db in
            guard try Int64.fetchOne(db, sql: CatalogueStore.generationSQL) == generation else { return }
            try db.execute(sql: "DELETE FROM match_index")
            var part = 0
            for start in stride(from: data.startIndex, to: data.endIndex, by: CatalogueStore.matchIndexPart) {
                let chunk = data[start..<min(start + CatalogueStore.matchIndexPart, data.endIndex)]
                try db.execute(
                    sql: "INSERT INTO match_index (part, generation, data) VALUES (?, ?, ?)", arguments: [part, generation, chunk])
                part += 1
            }
        }
    }

    /// Entries whose name, alias or code contains `text`, then the matcher's best
    /// fuzzy candidates; `limit` at most.
    public func search(_ text: String, limit: Int = 20) throws -> [CatalogueEntry] {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try ledger.catalogueRead { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM catalogue_entry
                WHERE name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\'
                ORDER BY length(name), code LIMIT ?
                """, arguments: [pattern, pattern, pattern, limit]).map(CatalogueStore.entry(from:))
        }
    }

    /// Counts of entries, aliases and review items.
    public func stats() throws -> CatalogueStats {
        try ledger.catalogueRead { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var out: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: sql) { out[row[0] ?? ""] = row[1] }
                return out
            }
            return CatalogueStats(
                entries: try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogue_entry") ?? 0,
                byKind: try grouped("SELECT kind, count(*) FROM catalogue_entry GROUP BY kind"),
                byClass: try grouped("SELECT class, count(*) FROM catalogue_entry GROUP BY class"),
                withPriceCap: try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogue_entry WHERE price_cap IS NOT NULL") ?? 0,
                learnedAliases: try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogue_alias") ?? 0,
                rejections: try Int.fetchOne(db, sql: "SELECT count(*) FROM match_rejection") ?? 0,
                reviewItems: try grouped("SELECT status, count(*) FROM review_item GROUP BY status"),
                imports: try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogue_import") ?? 0)
        }
    }
}

extension Ledger {
    /// A write transaction whose SQLite errors become `StoreError`; other errors pass.
    func catalogueWrite<T>(_ body: (Database) throws -> T) throws -> T { try writing(body) }

    /// A read whose SQLite errors become `StoreError`.
    func catalogueRead<T>(_ body: (Database) throws -> T) throws -> T { try reading(body) }
}
