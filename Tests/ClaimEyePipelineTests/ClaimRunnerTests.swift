import ClaimEyeCore
import ClaimEyeStore
import ClaimEyeTestSupport
import Foundation
import GRDB
import Testing

@testable import ClaimEyePipeline

/// Replays the recorded OCR of `Fixtures/ocr/<file name>.ocr.json`: the pipeline's logic
/// without the engine's seconds per page.
struct RecordedEngine: OCREngine {
    func recognize(_ page: PageReference) throws -> OCRPage {
        let name = (page.path as NSString).lastPathComponent
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ocr/\(name).ocr.json")))
        let pages = try JSONDecoder().decode([OCRPage].self, from: data)
        return pages[page.index]
    }
}

/// A temporary inbox, ledger and outputs folder, and a runner over them.
struct Bench {
    let root: URL
    var inbox: String { root.appendingPathComponent("inbox").path }
    var out: String { root.appendingPathComponent("out").path }
    let ledger: Ledger
    let stages: ClaimStages
    var config = ClaimEyeConfig()

    init() throws {
        root = try TestPaths.temporaryFolder()
        try FileManager.default.createDirectory(atPath: root.appendingPathComponent("inbox").path, withIntermediateDirectories: true)
        ledger = try Ledger(path: root.appendingPathComponent("ledger.sqlite").path)
        let (_, entries) = try CatalogueStore.read(TestPaths.fixture("catalogue/sample_catalogue.csv"))
        let text = try String(contentsOfFile: TestPaths.fixture("policies/east-sample.toml"), encoding: .utf8)
        let policy = try Policy.parse(toml: text, source: "east-sample.toml")
        stages = ClaimStages(matcher: CatalogueMatcher(entries: entries), policy: policy)
        config.stableSeconds = 0
    }

    func runner(stop: @escaping @Sendable () -> Bool = { false }) -> ClaimRunner {
        let settings = RunSettings(config: config, ocr: .init(), jobs: 2, version: "test", command: "ingest")
        return ClaimRunner(
            ledger: ledger, stages: stages, settings: settings, outputs: OutputWriter(folder: out),
            makeEngine: { RecordedEngine() }, now: { Date(timeIntervalSince1970: 1_773_000_000) }, shouldStop: stop)
    }

    func ingest(stop: @escaping @Sendable () -> Bool = { false }) throws -> RunSummary {
        let writer = OutputWriter(folder: out)
        try writer.prepare()
        return try runner(stop: stop).ingest(inbox: inbox).0
    }

    /// A claim folder holding fixture documents under their own names, with a sidecar.
    func addClaim(_ name: String, documents: [String], sidecar: String? = nil) throws {
        let folder = inbox + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for document in documents {
            try FileManager.default.copyItem(atPath: TestPaths.fixture("documents/" + document), toPath: folder + "/" + document)
        }
        if let sidecar { try sidecar.write(toFile: folder + "/claim.json", atomically: true, encoding: .utf8) }
    }

    func sql<T: DatabaseValueConvertible>(_ query: String) throws -> T? {
        try ledger.pool.read { db in try T.fetchOne(db, sql: query) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: inbox + "/" + relative) }

    func csvRows() throws -> [String] {
        try String(contentsOfFile: out + "/items.csv", encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

@Suite struct ClaimRunnerTests {
    let person = #"{"insured_id": "Y3300000001", "insurance_type": "employee", "institution_level": 2, "visit_type": "outpatient", "service_date": "2026-03-02"}"#

    @Test func settlesEachClaimOnceAndMovesItsFiles() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        try bench.addClaim(
            "c2", documents: ["zh-inpatient-01-p1-clean.png", "zh-inpatient-01-p2-clean.png"],
            sidecar: #"{"claim_id": "IN-2", "visit_type": "inpatient", "service_date": "2026-02-14"}"#)
        let summary = try bench.ingest()
        #expect(summary.settled + summary.needsReview == 2)
        #expect(summary.failed == 0)
        #expect(summary.pagesRead == 3)
        #expect(bench.exists("processed/c1/zh-outpatient-01-clean.png"))
        #expect(bench.exists("processed/c2/claim.json"))
        #expect(!bench.exists("c1"))
        // The sidecar's claim id names the claim; its context is recorded, the rest defaulted.
        let trail = try String(contentsOfFile: bench.out + "/IN-2.json", encoding: .utf8)
        #expect(trail.contains(#""defaulted" : ["#))
        #expect(trail.contains(#""insurance_type""#))
        #expect(try bench.sql("SELECT count(*) FROM claim_page") as Int? == 3)
        let rows = try bench.csvRows()
        #expect(rows.first == OutputWriter.csvHeader)
        #expect(rows.count - 1 == (try bench.sql("SELECT count(*) FROM claim_item") as Int? ?? -1))
    }

    @Test func theSameBytesAreNeverSettledTwice() throws {
        let bench = try Bench()
        try bench.addClaim("first", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        let first = try bench.ingest()
        // The same scan again, in another folder and without a sidecar.
        try bench.addClaim("again", documents: ["zh-outpatient-01-clean.png"])
        let summary = try bench.ingest()
        #expect(summary.failed == 1)
        let reason = try String(contentsOfFile: bench.inbox + "/failed/again.reason.txt", encoding: .utf8)
        #expect(reason.contains("duplicate"))
        #expect(reason.contains("first"))
        #expect(try bench.sql("SELECT count(*) FROM claim WHERE state != 'failed'") as Int? == 1)
        // Only the first claim's settlement counts towards the person's year (none when
        // it waits for review); the duplicate added nothing.
        #expect(try bench.sql("SELECT count(*) FROM settlement_total") as Int? == first.settled)
        #expect(first.settled + first.needsReview == 1)
    }

    @Test func aClaimCommittedBeforeACrashIsMovedNotSettledAgain() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-02-clean.png"], sidecar: person)
        _ = try bench.ingest()
        // The state a SIGKILL between the commit and the move leaves: committed, not moved.
        try FileManager.default.moveItem(atPath: bench.inbox + "/processed/c1", toPath: bench.inbox + "/c1")
        try bench.ledger.pool.write { db in try db.execute(sql: "UPDATE claim SET moved = 0, outputs_written = 0") }
        try FileManager.default.removeItem(atPath: bench.out + "/c1.json")
        let summary = try bench.ingest()
        #expect(summary.resumed == 1)
        #expect(summary.settled + summary.needsReview + summary.failed == 0)
        #expect(summary.pagesRead == 0)
        #expect(bench.exists("processed/c1/claim.json"))
        #expect(FileManager.default.fileExists(atPath: bench.out + "/c1.json"))
        #expect(try bench.sql("SELECT count(*) FROM claim") as Int? == 1)
    }

    @Test func itemsCSVDropsRowsTheLedgerNeverRecorded() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-pharmacy-02-clean.png"], sidecar: person)
        _ = try bench.ingest()
        let before = try bench.csvRows()
        // A run killed after appending but before recording leaves rows the ledger does not know.
        let handle = try #require(FileHandle(forWritingAtPath: bench.out + "/items.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("c9,settled,1,half a row\n".utf8))
        try handle.close()
        try bench.addClaim("c2", documents: ["zh-pharmacy-01-clean.png"])
        _ = try bench.ingest()
        let after = try bench.csvRows()
        #expect(!after.contains { $0.hasPrefix("c9,") })
        #expect(Array(after.prefix(before.count)) == before)
        #expect(after.filter { $0 == OutputWriter.csvHeader }.count == 1)
        #expect(after.count - 1 == (try bench.sql("SELECT count(*) FROM claim_item") as Int? ?? -1))
    }

    @Test func aLooseFileWithATakenNameGetsItsOwnId() throws {
        let bench = try Bench()
        try FileManager.default.copyItem(
            atPath: TestPaths.fixture("documents/zh-pharmacy-01-clean.png"), toPath: bench.inbox + "/zh-pharmacy-01-clean.png")
        _ = try bench.ingest()
        // Another day's scan under the same name: other bytes (the 150-dpi reading is not
        // recorded under this name, so use a recorded document renamed in its folder).
        try bench.addClaim("zh-pharmacy-01-clean", documents: ["zh-pharmacy-02-clean.png"])
        let summary = try bench.ingest()
        #expect(summary.failed == 0)
        let ids = try bench.ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT claim_id FROM claim ORDER BY id") }
        #expect(ids.count == 2)
        #expect(ids[0] == "zh-pharmacy-01-clean")
        #expect(ids[1].hasPrefix("zh-pharmacy-01-clean-") && ids[1] != ids[0])
        #expect(bench.exists("processed/zh-pharmacy-01-clean.png"))
        #expect(bench.exists("processed/zh-pharmacy-01-clean/zh-pharmacy-02-clean.png"))
    }

    @Test func aMalformedSidecarFailsTheClaimWithItsReason() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: #"{"institution_level": 7}"#)
        let summary = try bench.ingest()
        #expect(summary.failed == 1)
        let reason = try String(contentsOfFile: bench.inbox + "/failed/c1.reason.txt", encoding: .utf8)
        #expect(reason.contains("institution_level"))
        #expect(bench.exists("failed/c1/zh-outpatient-01-clean.png"))
    }

    /// A date the page does not give (this skewed scan's is misread) and the claim does
    /// not either, under a policy of two periods: held for a person, not failed, its
    /// pages left free; the same files with a sidecar giving the date then settle.
    @Test func aClaimWithoutADateIsHeldAndSettlesOnceItIsGiven() throws {
        let bench = try Bench()
        #expect(bench.stages.policy.periods.count == 2)
        try bench.addClaim("c1", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002"}"#)
        let held = try bench.ingest()
        #expect(held.needsReview == 1 && held.failed == 0)
        let reason = try String(contentsOfFile: bench.inbox + "/failed/c1.reason.txt", encoding: .utf8)
        #expect(reason.contains("the service date could not be read"))
        #expect(try bench.sql("SELECT state FROM claim") as String? == "needs_review")
        #expect(try bench.sql("SELECT count(*) FROM claim_page") as Int? == 0)
        // Submitted again (without a claim id: the held claim keeps its own): it took no pages.
        try bench.addClaim("c1-dated", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002", "service_date": "2026-01-10"}"#)
        let dated = try bench.ingest()
        #expect(dated.settled + dated.needsReview == 1 && dated.failed == 0)
        #expect(bench.exists("processed/c1-dated/zh-outpatient-03-skew.png"))
    }

    @Test func aStopLeavesTheClaimsNotStartedInTheInbox() throws {
        let bench = try Bench()
        for n in 1...3 { try bench.addClaim("c\(n)", documents: ["zh-outpatient-0\(n)-clean.png"], sidecar: person) }
        let stop = StopAfter(claims: 1, ledger: bench.ledger)
        let summary = try bench.ingest(stop: { stop.reached })
        #expect(summary.interrupted)
        let committed = try bench.sql("SELECT count(*) FROM claim") as Int? ?? -1
        #expect(committed >= 1 && committed < 3)
        // What was not committed is untouched, and the next run takes it.
        let left = try FileManager.default.contentsOfDirectory(atPath: bench.inbox).filter { $0.hasPrefix("c") }
        #expect(left.count == 3 - committed)
        let rest = try bench.ingest()
        #expect(rest.settled + rest.needsReview + rest.failed == 3 - committed)
    }

    @Test func theSameInboxGivesTheSameBytes() throws {
        var outputs: [[Data]] = []
        for _ in 0..<2 {
            let bench = try Bench()
            try bench.addClaim("c1", documents: ["zh-outpatient-03-clean.png"], sidecar: person)
            try bench.addClaim("c2", documents: ["en-bill-01-clean.png"])
            _ = try bench.ingest()
            outputs.append(try ["c1.json", "c2.json", "items.csv"].map { try Data(contentsOf: URL(fileURLWithPath: bench.out + "/" + $0)) })
        }
        #expect(outputs[0] == outputs[1])
    }
}

/// Answers true once `claims` claims are in the ledger: a SIGINT in the middle of a run.
final class StopAfter: Sendable {
    let claims: Int
    let ledger: Ledger

    init(claims: Int, ledger: Ledger) {
        self.claims = claims
        self.ledger = ledger
    }

    var reached: Bool {
        ((try? ledger.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM claim") }) ?? 0) >= claims
    }
}

@Suite struct ClaimRunnerAuditTests {
    let person = #"{"insured_id": "Y3300000009", "insurance_type": "employee", "institution_level": 2, "visit_type": "outpatient", "service_date": "2026-03-02"}"#

    @Test func aRescanOfASettledInvoiceIsHeldAsADuplicate() throws {
        let bench = try Bench()
        try bench.addClaim("original", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        _ = try bench.ingest()
        // Another scan of the same paper: other bytes, another angle and resolution.
        try bench.addClaim("rescan", documents: ["zh-outpatient-01-rescan.png"], sidecar: person)
        let summary = try bench.ingest()
        #expect(summary.needsReview == 1)
        let rules = try bench.ledger.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT f.rule FROM claim_flag f JOIN claim c ON c.id = f.claim_row WHERE c.claim_id = 'rescan' ORDER BY 1")
        }
        #expect(rules.contains("DUPLICATE_INVOICE"))
        #expect(rules.contains("DUPLICATE_CONTENT"))
        #expect(!rules.contains("DUPLICATE_PAGE"))
        let trail = try String(contentsOfFile: bench.out + "/rescan.json", encoding: .utf8)
        #expect(trail.contains("DUPLICATE_INVOICE"))
        // The original alone is not flagged as a duplicate.
        let original = try String(contentsOfFile: bench.out + "/original.json", encoding: .utf8)
        #expect(!original.contains("DUPLICATE_"))
    }

    @Test func theStatementShowsTheScanWithEveryLineBoxed() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-02-clean.png"], sidecar: person)
        _ = try bench.ingest()
        let html = try String(contentsOfFile: bench.out + "/c1.html", encoding: .utf8)
        #expect(html.contains("data:image/png;base64,"))
        #expect(html.contains("c1"))
        // Every line read has its box drawn on the (upright, unscaled) page.
        let items = try bench.sql("SELECT count(*) FROM claim_item") as Int? ?? 0
        #expect(items > 0)
        #expect(html.components(separatedBy: "<rect").count - 1 == items)
    }

    @Test func theReportCountsWhatTheLedgerHolds() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-02-clean.png"], sidecar: person)
        try bench.addClaim("c2", documents: ["zh-outpatient-03-clean.png"], sidecar: #"{"service_date": "2026-01-10"}"#)
        _ = try bench.ingest()
        let claims = try bench.ledger.reportClaims(from: nil, to: nil)
        #expect(claims.map(\.claimId) == ["c1", "c2"])
        let amount = try bench.sql("SELECT sum(amount_fen) FROM claim WHERE state != 'failed'") as Int64? ?? -1
        #expect(claims.map(\.amount.value).reduce(0, +) == amount)
        #expect(claims.allSatisfy { claim in claim.lines.map(\.amount.value).reduce(0, +) == claim.amount.value })
        // The date range is inclusive and leaves the January claim out.
        #expect(try bench.ledger.reportClaims(from: "2026-02-01", to: "2026-03-31").map(\.claimId) == ["c1"])
    }
}
