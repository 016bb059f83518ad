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

    /// A claim found by one look and moved out of the inbox before it is read (another
    /// worker sharing the inbox committed it) is no claim of this pass, not a failed one;
    /// a claim whose folder stays but whose page cannot be read still fails.
    @Test func aClaimThatLeftTheInboxAfterTheLookIsNotFailed() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        try bench.addClaim("c2", documents: ["zh-pharmacy-01-clean.png"], sidecar: person)
        let scanner = InboxScanner(inbox: bench.inbox)
        let look = try scanner.snapshot()
        let claims = scanner.completeClaims(earlier: look, later: look)
        #expect(claims.map(\.name) == ["c1", "c2"])
        try FileManager.default.createDirectory(atPath: bench.inbox + "/processed", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: bench.inbox + "/c1", toPath: bench.inbox + "/processed/c1")
        try FileManager.default.removeItem(atPath: bench.inbox + "/c2/zh-pharmacy-01-clean.png")
        let runner = bench.runner()
        guard case .gone = try runner.prepare(claims[0], inbox: bench.inbox) else {
            Issue.record("a claim moved away after the look was prepared as a claim")
            return
        }
        guard case .failed(let reason, _, _) = try runner.prepare(claims[1], inbox: bench.inbox) else {
            Issue.record("a claim whose page vanished from its folder did not fail")
            return
        }
        #expect(reason.contains("zh-pharmacy-01-clean.png"))
    }

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

    /// A claim folder's name is its claim id, and ids and names reach `items.csv`: one a
    /// spreadsheet would run as a formula is written as text there, as in every CSV.
    @Test func aNameLikeAFormulaReachesItemsCSVAsText() throws {
        let bench = try Bench()
        try bench.addClaim("@SUM(1+1)", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        _ = try bench.ingest()
        let rows = try bench.csvRows().dropFirst()
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.hasPrefix("'@SUM(1+1),") }, "\(rows)")
        #expect(rows.contains { $0.contains(",-") || $0.contains(",0.00,") }, "money stays a plain number")
    }

    /// A claim that could not be moved once blocked the inbox for good: the run stopped
    /// with 73, later claims were never taken, and every later run stopped at it again.
    /// Now a long name is shortened to fit beside `.reason.txt`, and a claim folder the
    /// run may not rename (made immutable here) is reported and skipped, retried by the
    /// next run without holding the rest.
    @Test func aClaimThatCannotBeMovedDoesNotBlockTheInbox() throws {
        let bench = try Bench()
        let longName = String(repeating: "x", count: 246) + ".png"
        try FileManager.default.copyItem(atPath: TestPaths.fixture("bad/not-an-image.png"), toPath: bench.inbox + "/" + longName)
        try bench.addClaim("b-stuck", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        try bench.addClaim("c-good", documents: ["zh-pharmacy-01-clean.png"], sidecar: person)
        let stuck = bench.inbox + "/b-stuck"
        try #require(chattr("+i", stuck) == 0, "chattr +i is needed to make a folder the run may not move")
        defer { _ = chattr("-i", stuck) }
        let first = try bench.ingest()
        #expect(first.settled + first.needsReview == 2 && first.failed == 1)
        #expect(first.unmoved.count == 1 && first.unmoved[0].hasPrefix("b-stuck: recorded, but not moved"), "\(first.unmoved)")
        #expect(bench.exists("processed/c-good"))
        let failed = try FileManager.default.contentsOfDirectory(atPath: bench.inbox + "/failed")
        #expect(failed.contains { $0.hasSuffix(".reason.txt") && $0.utf8.count <= 255 }, "\(failed)")
        #expect(!bench.exists(longName))
        // The next run: the stuck claim is reported again, nothing is taken twice, and a
        // new claim behind it is taken.
        try bench.addClaim("d-later", documents: ["zh-outpatient-02-clean.png"], sidecar: person)
        let second = try bench.ingest()
        #expect(second.unmoved.count == 1 && second.settled + second.needsReview == 1, "\(second.unmoved) \(second.settled) \(second.needsReview) \(second.resumed)")
        #expect(bench.exists("processed/d-later"))
        #expect(try bench.sql("SELECT count(*) FROM claim") as Int? == 4)
        // Once it may be moved, the next run moves it and records it as moved.
        #expect(chattr("-i", stuck) == 0)
        let third = try bench.ingest()
        #expect(third.unmoved.isEmpty && third.resumed == 1)
        #expect(bench.exists("processed/b-stuck") && !bench.exists("b-stuck"))
        #expect(try bench.sql("SELECT count(*) FROM claim WHERE moved = 0") as Int? == 0)
    }

    func chattr(_ flag: String, _ path: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A claim whose transaction is rolled back once left `OUT/<id>.json` behind, a claim
    /// the ledger never held; a new `--out` folder got every earlier claim's rows; and the
    /// trails, holding a person's name and insured id, were written with the umask.
    @Test func outputsShowOnlyWhatTheLedgerHoldsAndOnlyToTheirOwner() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        _ = try bench.ingest()
        var info = stat()
        #expect(stat(bench.out + "/c1.json", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(bench.out + "/c1.html", &info) == 0 && info.st_mode & 0o777 == 0o600)
        // A rolled-back transaction: its staged outputs are removed, nothing is published.
        let runner = bench.runner()
        struct Rollback: Error {}
        #expect(throws: Rollback.self) {
            _ = try runner.committing {
                var commit = ClaimCommit(claimId: "GHOST", fingerprint: "f", source: "s", state: .failed, trail: "{}", createdAt: "t")
                try runner.writeOutputs(&commit, statement: "<html>")
                throw Rollback()
            }
        }
        let left = try FileManager.default.subpathsOfDirectory(atPath: bench.out)
        #expect(!left.contains { $0.contains("GHOST") }, "\(left)")
        // Staged outputs a stopped run left: published for a claim the ledger holds,
        // removed for one it does not.
        // (The folder of a process no longer running; another running process's staged
        // files are never touched.)
        let dead = bench.out + "/.staged/99999999"
        try FileManager.default.createDirectory(atPath: dead, withIntermediateDirectories: true)
        try "{\"again\": 1}".write(toFile: dead + "/c1.json", atomically: false, encoding: .utf8)
        try "{}".write(toFile: dead + "/LOST.json", atomically: false, encoding: .utf8)
        let writer = OutputWriter(folder: bench.out)
        try writer.stageClaim(claimId: "LIVE", trail: "{}", statement: nil)
        try writer.recoverStaged(in: bench.ledger)
        #expect(try String(contentsOfFile: bench.out + "/c1.json", encoding: .utf8) == "{\"again\": 1}")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: bench.out).allSatisfy { !$0.contains("LOST") })
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: writer.stagingFolder + "/LIVE.json"), "this process's own staged file stays")
        writer.discard(claimId: "LIVE")
        // A new --out folder: this run's claims, not every earlier one.
        try bench.addClaim("c2", documents: ["zh-pharmacy-01-clean.png"], sidecar: person)
        let other = bench.root.appendingPathComponent("other").path
        let writerB = OutputWriter(folder: other)
        try writerB.prepare()
        let settings = RunSettings(config: bench.config, ocr: .init(), jobs: 1, version: "test", command: "ingest")
        _ = try ClaimRunner(ledger: bench.ledger, stages: bench.stages, settings: settings, outputs: writerB, makeEngine: { RecordedEngine() })
            .ingest(inbox: bench.inbox)
        let rows = try String(contentsOfFile: other + "/items.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.hasPrefix("c2,") }, "\(rows)")
    }

    /// A file name that is not UTF-8 was skipped without a word ("0 claims", exit 0), and
    /// a page of that name left out of its claim. Now the file goes to failed/ under its
    /// escaped name with the reason, bytes intact, and the folder's claim fails naming it.
    @Test func aNameThatIsNotUTF8IsRefusedIntoFailedNeverSkipped() throws {
        let bench = try Bench()
        let scan = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("documents/zh-pharmacy-01-clean.png")))
        func create(_ folder: String, _ name: [UInt8]) {
            let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name + [0]
            let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
            #expect(fd >= 0)
            scan.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        create(bench.inbox, [0xFF, 0xFE] + Array("-scan.png".utf8))
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        create(bench.inbox + "/c1", [0xB2, 0xE2] + Array(".png".utf8))
        let summary = try bench.ingest()
        #expect(summary.failed == 2 && summary.settled + summary.needsReview == 0, "\(summary)")
        let moved = try Data(contentsOf: URL(fileURLWithPath: bench.inbox + "/failed/%FF%FE-scan.png"))
        #expect(moved == scan)
        let reason = try String(contentsOfFile: bench.inbox + "/failed/%FF%FE-scan.png.reason.txt", encoding: .utf8)
        #expect(reason.contains("not UTF-8"))
        let folderReason = try String(contentsOfFile: bench.inbox + "/failed/c1.reason.txt", encoding: .utf8)
        #expect(folderReason.contains("%B2%E2.png"), "\(folderReason)")
        #expect(try RawDirectory.entries(bench.inbox).allSatisfy { $0.name == "processed" || $0.name == "failed" })
    }

    /// A claim folder that cannot be listed was "still being written" forever; it now
    /// fails with why. (Root reads any folder, so the look is given here.)
    @Test func aFolderThatCannotBeListedFailsInsteadOfWaiting() {
        let scanner = InboxScanner(inbox: "/inbox")
        var look = InboxScanner.Snapshot(files: ["c1": .init(size: 4096, mtime: 1, kind: S_IFDIR)])
        look.unreadable["c1"] = "Permission denied"
        let claims = scanner.completeClaims(earlier: look, later: look)
        #expect(claims.count == 1)
        #expect(claims.first?.refusal == "the folder cannot be read (Permission denied); nothing in it was taken")
    }

    /// Names starting with a dot are left alone, and now counted, not passed over in silence.
    @Test func namesStartingWithADotAreCounted() throws {
        let bench = try Bench()
        try Data("partial".utf8).write(to: URL(fileURLWithPath: bench.inbox + "/.scan.png.part"))
        try FileManager.default.createDirectory(atPath: bench.inbox + "/.hidden-claim", withIntermediateDirectories: true)
        let summary = try bench.ingest()
        #expect(summary.hidden == 2)
        #expect(bench.exists(".scan.png.part") && bench.exists(".hidden-claim"))
    }

    /// A sidecar that is a link (here to a context outside the inbox, as a hostile or
    /// careless operator might leave) is refused like a linked page: its context is never
    /// read, the claim fails with the reason, and the link's target is left untouched.
    @Test(arguments: ["c1/claim.json", "scan.claim.json"])
    func aSymlinkedSidecarIsRefusedNotFollowed(link: String) throws {
        let bench = try Bench()
        let outside = bench.root.appendingPathComponent("outside.json").path
        try person.write(toFile: outside, atomically: true, encoding: .utf8)
        if link.hasPrefix("c1/") {
            try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"])
        } else {
            try FileManager.default.copyItem(
                atPath: TestPaths.fixture("documents/zh-outpatient-01-clean.png"), toPath: bench.inbox + "/scan.png")
        }
        try FileManager.default.createSymbolicLink(atPath: bench.inbox + "/" + link, withDestinationPath: outside)
        let summary = try bench.ingest()
        #expect(summary.failed == 1 && summary.settled + summary.needsReview == 0)
        let name = link.hasPrefix("c1/") ? "c1" : "scan.png"
        let reason = try String(contentsOfFile: bench.inbox + "/failed/\(name).reason.txt", encoding: .utf8)
        #expect(reason.contains("symbolic link refused"), "\(reason)")
        #expect(try bench.sql("SELECT count(*) FROM claim WHERE insured_id = 'Y3300000001'") as Int? == 0)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == person)
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
