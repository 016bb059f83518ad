import ClaimEyeCore
import Foundation
import GRDB
import Testing
@testable import ClaimEyeStore

/// The matcher's index is built once per state of the catalogue and read back after:
/// the same answers as a fresh build, refused when damaged or stale, rebuilt when the
/// catalogue changes.
@Suite("Matcher index: persisted and read back")
struct MatchIndexTests {
    static let small = [plainHeader, amoxicillin, consultation, catheter].joined(separator: "\n") + "\n"

    /// Readings with the usual faults: spaces, a dropped character, a confusable one.
    static func readings(of names: [String]) -> [MatchQuery] {
        names.enumerated().map { i, name in
            var text = Array(name)
            switch i % 3 {
            case 0: return MatchQuery(text: text.map(String.init).joined(separator: " "))
            case 1: if text.count > 3 { text.remove(at: text.count / 2) }
            default: if text.count > 2 { text[1] = "口" }
            }
            return MatchQuery(text: String(text))
        }
    }

    static func sameResults(_ a: CatalogueMatcher, _ b: CatalogueMatcher, on queries: [MatchQuery]) -> Bool {
        a.match(queries, top: 5) == b.match(queries, top: 5)
    }

    @Test func aSnapshotReadsBackEveryFieldAndTheSameAnswers() throws {
        let box = try StoreSandbox()
        try box.store.importFile(try box.write("plain.csv", MatchIndexTests.small))
        let entries = try box.store.entries()
        let built = CatalogueMatcher(entries: entries)
        let read = try CatalogueMatcher(snapshot: built.snapshot())
        #expect(read.entries == entries)
        #expect(read.entryCount == 3)
        #expect(read.keyCount == built.keyCount)
        #expect(read.entry(code: "C0201010110000012345678901A")?.restrictions == "限住院, 每日一根")
        #expect(read.entry(code: "C0201010110000012345678901A")?.selfPayRatio == Decimal(string: "0.2"))
        #expect(read.entry(code: "XJ01CAA040A001010100001")?.aliases == ["阿莫仙", "阿莫西林"])
        #expect(read.entry(code: "nowhere") == nil)
        let queries = MatchIndexTests.readings(of: entries.map(\.name) + ["阿莫仙", "导尿管"])
        #expect(MatchIndexTests.sameResults(built, read, on: queries))
    }

    @Test(.enabled(if: SharedCatalogue.file("nrdl_2024.csv") != nil && SharedCatalogue.file("services_partial.csv") != nil))
    func theRealCatalogueReadsBackToTheSameAnswers() throws {
        let box = try StoreSandbox()
        try box.store.importFile(try #require(SharedCatalogue.file("nrdl_2024.csv")))
        try box.store.importFile(try #require(SharedCatalogue.file("services_partial.csv")))
        let entries = try box.store.entries()
        let built = CatalogueMatcher(entries: entries)
        let read = try CatalogueMatcher(snapshot: built.snapshot())
        #expect(read.entries == entries)
        let sample = stride(from: 0, to: entries.count, by: 7).map { entries[$0] }
        let queries = MatchIndexTests.readings(of: sample.map(\.name))
            + sample.prefix(300).map { MatchQuery(text: $0.name, spec: $0.spec, unitPrice: $0.priceCap) }
        #expect(queries.count > 1000)
        #expect(MatchIndexTests.sameResults(built, read, on: queries))
    }

    @Test func aCutOrForeignSnapshotIsRefused() throws {
        let box = try StoreSandbox()
        let data = CatalogueMatcher(entries: try CatalogueStore.read(try box.write("p.csv", MatchIndexTests.small)).1).snapshot()
        for length in stride(from: 0, to: data.count, by: 5) {
            #expect(throws: SnapshotError.self) { try CatalogueMatcher(snapshot: data.prefix(length)) }
        }
        var foreign = data
        foreign[foreign.startIndex] ^= 0xFF
        #expect(throws: SnapshotError.malformed("not a snapshot of this format")) { try CatalogueMatcher(snapshot: foreign) }
        #expect(throws: SnapshotError.self) { try CatalogueMatcher(snapshot: data + Data([0])) }
    }

    @Test func aSnapshotWhoseKeysTodaysNormaliserReadsOtherwiseIsStale() throws {
        let box = try StoreSandbox()
        let entries = try CatalogueStore.read(try box.write("p.csv", MatchIndexTests.small)).1
        var data = CatalogueMatcher(entries: entries).snapshot()
        // The first 阿 (U+963F) held as a 32-bit scalar is in the key table: the names are
        // UTF-8 and come before it, the index's grams after it. A writer whose normaliser
        // read 阿 as 啊 would have written U+554A there.
        let scalar = Data([0x3F, 0x96, 0x00, 0x00])
        let at = try #require(data.firstRange(of: scalar))
        data.replaceSubrange(at, with: Data([0x4A, 0x55, 0x00, 0x00]))
        #expect(throws: SnapshotError.stale) { try CatalogueMatcher(snapshot: data) }
    }

    @Test func theIndexIsBuiltOncePerStateOfTheCatalogue() throws {
        let box = try StoreSandbox()
        let path = try box.write("plain.csv", MatchIndexTests.small)
        try box.store.importFile(path)
        let first = try box.store.loadMatcher()
        #expect(first.built)
        let second = try box.store.loadMatcher()
        #expect(!second.built)
        let queries = MatchIndexTests.readings(of: ["阿莫西林胶囊", "一次性使用导尿管", "诊查费(营养咨询)"])
        #expect(MatchIndexTests.sameResults(first.matcher, second.matcher, on: queries))
        // The same file again changes nothing: the saved index still holds.
        #expect(try box.store.importFile(path).unchanged == 3)
        #expect(try !box.store.loadMatcher().built)
        // A changed entry makes it stale: rebuilt once, with the change.
        try box.store.importFile(try box.write("more.csv", plainHeader + "\nXJ01CAA040A001010100002,阿莫西林颗粒,,,甲,颗粒剂,,,,,,,\n"))
        let rebuilt = try box.store.loadMatcher()
        #expect(rebuilt.built)
        #expect(rebuilt.matcher.match(MatchQuery(text: "阿莫西林颗粒")).best?.code == "XJ01CAA040A001010100002")
        #expect(try !box.store.loadMatcher().built)
    }

    @Test func aDamagedSavedIndexIsRebuiltAndReplaced() throws {
        let box = try StoreSandbox()
        try box.store.importFile(try box.write("plain.csv", MatchIndexTests.small))
        #expect(try box.store.loadMatcher().built)
        try box.ledger.catalogueWrite { db in try db.execute(sql: "UPDATE match_index SET data = substr(data, 1, 100)") }
        let again = try box.store.loadMatcher()
        #expect(again.built)
        #expect(again.matcher.match(MatchQuery(text: "阿莫西林胶囊")).best?.code == "XJ01CAA040A001010100001")
        #expect(try !box.store.loadMatcher().built)
    }

    @Test func aliasesAndRejectionsDecidedAfterTheBuildApplyToTheSavedIndex() throws {
        let box = try StoreSandbox()
        try box.store.importFile(try box.write("plain.csv", MatchIndexTests.small))
        #expect(try box.store.loadMatcher().built)
        try box.ledger.catalogueWrite { db in
            try db.execute(
                sql: "INSERT INTO catalogue_alias (spelling, key, code, decided_on) VALUES ('阿真西林', '阿真西林', 'XJ01CAA040A001010100001', '2026-12-06')")
            try db.execute(
                sql: "INSERT INTO match_rejection (spelling, key, code, decided_on) VALUES ('导尿管', '导尿管', 'C0201010110000012345678901A', '2026-12-06')")
        }
        let (matcher, built) = try box.store.loadMatcher()
        #expect(!built)
        let learned = matcher.match(MatchQuery(text: "阿真西林"))
        #expect(learned.best?.code == "XJ01CAA040A001010100001")
        #expect(learned.best?.learned == true)
        #expect(matcher.match(MatchQuery(text: "导尿管")).candidates.first { $0.code == "C0201010110000012345678901A" }?.rejected == true)
    }
}
