import ClaimEyeCore
import Foundation
import Testing
@testable import ClaimEyeStore

/// A temporary folder with a fresh ledger, removed at the end.
final class StoreSandbox {
    let folder: URL
    let ledger: Ledger

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("claimeye-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ledger = try Ledger(path: folder.appendingPathComponent("ledger.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    var store: CatalogueStore { CatalogueStore(ledger: ledger) }
    var count: Int { (try? store.entries().count) ?? -1 }
}

let plainHeader = "code,name,aliases,category,class,dosage_form,spec,unit,price_cap,self_pay_ratio,restrictions,valid_from,valid_to"
let amoxicillin = "XJ01CAA040A001010100001,阿莫西林胶囊,阿莫仙|阿莫西林,抗感染药,甲,胶囊剂,0.25g*24粒,盒,12.50,,,2025-01-01,2026-12-31"
let consultation = "001102000000300,诊查费(营养咨询),,诊查,甲,,,次,10.00,,,2025-01-01,"
let catheter = "C0201010110000012345678901A,一次性使用导尿管,,医用耗材,乙,,,根,25.80,0.2,\"限住院, 每日一根\",,"

@Suite("Catalogue store: import")
struct CatalogueImportTests {
    @Test func plainLayoutImportsEveryField() throws {
        let box = try StoreSandbox()
        let path = try box.write("plain.csv", [plainHeader, amoxicillin, consultation, catheter].joined(separator: "\n") + "\n")
        let summary = try box.store.importFile(path)
        #expect(summary.layout == "plain")
        #expect(summary.inserted == 3)
        let entries = try box.store.entries()
        #expect(entries.map(\.code) == ["001102000000300", "C0201010110000012345678901A", "XJ01CAA040A001010100001"])
        let drug = try #require(try box.store.entry(code: "XJ01CAA040A001010100001"))
        #expect(drug.kind == .drug)
        #expect(drug.aliases == ["阿莫仙", "阿莫西林"])
        #expect(drug.priceCap == Decimal(string: "12.50"))
        #expect(drug.reimbursementClass == .a)
        #expect(drug.validTo == "2026-12-31")
        let consumable = try #require(try box.store.entry(code: "C0201010110000012345678901A"))
        #expect(consumable.kind == .consumable)
        #expect(consumable.selfPayRatio == Decimal(string: "0.2"))
        #expect(consumable.restrictions == "限住院, 每日一根")
        #expect(try box.store.entry(code: "001102000000300")?.kind == .service)
        // Money is stored as decimal text, never REAL.
        let stored = try box.ledger.pool.read { db in
            try String.fetchOne(db, sql: "SELECT typeof(price_cap) || ':' || price_cap FROM catalogue_entry WHERE code = 'XJ01CAA040A001010100001'")
        }
        #expect(stored == "text:12.5")
    }

    @Test(arguments: [
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,丁,,,,,,,,", "class '丁'"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,12.5元,,,,", "price_cap"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,,,,2025-13-01,", "valid_from"),
        ("XJ01CAA040A001010100001,,,,甲,,,,,,,,", "name is empty"),
        ("12345,阿莫西林胶囊,,,甲,,,,,,,,", "code '12345'"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,,1.5,,,", "self_pay_ratio"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲", "fields"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,,,,2026-01-01,2025-01-01", "before"),
        // Past what 64-bit fen hold: once imported as 1.00, -1.00 or a malformed string.
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,184467440737095517.16,,,,", "price_cap '184467440737095517.16'"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,92233720368547758.08,,,,", "price_cap"),
        ("XJ01CAA040A001010100001,阿莫西林胶囊,,,甲,,,,12.5-3,,,,", "price_cap '12.5-3'"),
        // Once cut at the NUL, or printed raw to the terminal.
        ("XJ01CAA040A001010100001,阿莫西林\u{0}胶囊,,,甲,,,,,,,,", "name holds a control character (U+0000)"),
        ("XJ01CAA040A001010100001,阿莫西林\u{1B}[2J胶囊,,,甲,,,,,,,,", "name holds a control character (U+001B)"),
    ])
    func aMalformedRowIsReportedWithItsLineAndNothingIsImported(row: String, reason: String) throws {
        let box = try StoreSandbox()
        // The quoted field with a line break pushes the bad row to line 5.
        let text = [plainHeader, consultation, "001102000000100,\"诊查费(营养\n状况评估)\",,诊查,甲,,,次,,,,,", row, catheter].joined(separator: "\n")
        let path = try box.write("bad.csv", text)
        do {
            try box.store.importFile(path)
            Issue.record("imported a malformed file")
        } catch let CatalogueImportError.malformedRow(_, line, message) {
            #expect(line == 5)
            #expect(message.contains(reason), "\(message)")
        }
        #expect(box.count == 0)
    }

    @Test func aDuplicateCodeIsMalformed() throws {
        let box = try StoreSandbox()
        let path = try box.write("dup.csv", [plainHeader, amoxicillin, consultation, amoxicillin].joined(separator: "\n"))
        #expect(throws: CatalogueImportError.malformedRow(path: path, line: 4, reason: "code XJ01CAA040A001010100001 appears again (first on line 2)")) {
            try box.store.importFile(path)
        }
        #expect(box.count == 0)
    }

    @Test func reimportIsIdempotentAndUpsertsByCode() throws {
        let box = try StoreSandbox()
        let path = try box.write("plain.csv", [plainHeader, amoxicillin, consultation].joined(separator: "\n"))
        try box.store.importFile(path)
        let again = try box.store.importFile(path)
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 2))
        #expect(box.count == 2)
        let changed = try box.write("changed.csv", [plainHeader, amoxicillin.replacingOccurrences(of: "12.50", with: "13.00"), catheter].joined(separator: "\n"))
        let third = try box.store.importFile(changed)
        #expect((third.inserted, third.updated, third.unchanged) == (1, 1, 0))
        #expect(box.count == 3)
        #expect(try box.store.entry(code: "XJ01CAA040A001010100001")?.priceCap == 13)
    }

    @Test func unknownLayoutsAndMissingFilesAreRefused() throws {
        let box = try StoreSandbox()
        let path = try box.write("odd.csv", "foo,bar\n1,2\n")
        #expect(throws: CatalogueImportError.unknownLayout(path: path, header: "foo,bar")) { try box.store.importFile(path) }
        let missing = box.folder.appendingPathComponent("missing.csv").path
        #expect(throws: CatalogueImportError.fileNotFound(path: missing)) { try box.store.importFile(missing) }
    }

    @Test func aFreshLedgerIsSeededOnce() throws {
        let box = try StoreSandbox()
        let path = try box.write("sample.csv", [plainHeader, amoxicillin, consultation].joined(separator: "\n"))
        #expect(try box.store.seedIfFresh(samplePath: path)?.rows == 2)
        #expect(try box.store.seedIfFresh(samplePath: path) == nil)
        #expect(box.count == 2)
    }

    @Test func theMigrationIsRegistered() throws {
        let box = try StoreSandbox()
        #expect(try box.ledger.appliedMigrations() == ["v1-runs", "v2-catalogue", "v3-settlement-totals", "v4-pipeline", "v5-match-index", "v6-supplementary-funds", "v7-work-queue"])
    }

    @Test func searchAndStats() throws {
        let box = try StoreSandbox()
        try box.store.importFile(try box.write("plain.csv", [plainHeader, amoxicillin, consultation, catheter].joined(separator: "\n")))
        #expect(try box.store.search("阿莫").map(\.code) == ["XJ01CAA040A001010100001"])
        #expect(try box.store.search("100%").isEmpty)
        let stats = try box.store.stats()
        #expect(stats.entries == 3)
        #expect(stats.byKind == ["drug": 1, "service": 1, "consumable": 1])
        #expect(stats.withPriceCap == 3)
    }
}

/// The real catalogue files, through ../shared/catalogue when present.
enum SharedCatalogue {
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/catalogue")
    }
    static func file(_ name: String) -> String? {
        let path = folder.appendingPathComponent(name).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

@Suite("Catalogue store: the real NRDL and services files")
struct RealCatalogueTests {
    @Test(.enabled(if: SharedCatalogue.file("nrdl_2024.csv") != nil))
    func nrdlImports() throws {
        let box = try StoreSandbox()
        let path = try #require(SharedCatalogue.file("nrdl_2024.csv"))
        let summary = try box.store.importFile(path)
        #expect(summary.layout == "nrdl")
        #expect(summary.rows == 3826)
        let negotiated = try #require(try box.store.entry(code: "NRDL2024-WN-0065"))
        #expect(negotiated.priceCap == Decimal(string: "171.76"))
        #expect(negotiated.validFrom == "2024-01-01")
        #expect(negotiated.validTo == "2025-12-31")
        #expect(negotiated.spec?.hasPrefix("625ml/袋[125ml") == true)
        #expect(try box.store.entry(code: "NRDL2024-W-0948")?.restrictions?.hasPrefix("限：1.诊断明确的类风湿关节炎") == true)
        let again = try box.store.importFile(path)
        #expect(again.unchanged == 3826)
    }

    @Test(.enabled(if: SharedCatalogue.file("services_partial.csv") != nil))
    func servicesImportAndMatch() throws {
        let box = try StoreSandbox()
        let services = try #require(SharedCatalogue.file("services_partial.csv"))
        #expect(try box.store.importFile(services).rows == 2813)
        let entry = try #require(try box.store.entry(code: "001102000000300"))
        #expect(entry.kind == .service)
        let matcher = try box.store.matcher()
        #expect(matcher.match(MatchQuery(text: "诊 查 费 （营 养 咨 询）")).best?.code == "001102000000300")
    }
}
