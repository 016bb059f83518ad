import ClaimEyeTestSupport
import Foundation
import Testing

/// `process`, `ingest`, `watch` and `report` through the binary, with the real engine.
@Suite struct PipelineCommandTests {
    let environment = ["CLAIMEYE_SAMPLE_CATALOGUE": TestPaths.fixture("catalogue/sample_catalogue.csv")]

    func common(_ folder: URL) -> [String] {
        ["--config", TestPaths.fixture("claimeye.toml"), "--db", folder.appendingPathComponent("l.sqlite").path,
         "--out", folder.appendingPathComponent("out").path, "--jobs", "2"]
    }

    @Test func processPrintsEachLineAndRefusesTheSamePagesAgain() throws {
        let folder = try TestPaths.temporaryFolder()
        let page = TestPaths.fixture("documents/zh-pharmacy-02-clean.png")
        let first = try runClaimEye(["process", page, "--claim-id", "W1"] + common(folder), environment: environment)
        #expect(first.status == 0 || first.status == 3, "\(first.stderr)")
        #expect(first.stdout.contains("claim W1:"))
        #expect(first.stdout.contains("→ "))
        #expect(first.stdout.contains("total"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/W1.json").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/W1.html").path))
        // The same scan at the window again: never settled twice.
        let again = try runClaimEye(["process", page, "--claim-id", "W2", "--json"] + common(folder), environment: environment)
        #expect(again.status == 3)
        #expect(again.stderr.contains("duplicate"))
        #expect(again.stdout.contains(#""state" : "failed""#))
    }

    @Test func anInvoiceIsTheCheckOnItsDetailListAndAloneWaitsForIt() throws {
        let folder = try TestPaths.temporaryFolder()
        func process(_ documents: [String], _ id: String) throws -> CommandResult {
            try runClaimEye(
                ["process"] + documents.map { TestPaths.fixture("documents/" + $0) } + ["--claim-id", id] + common(folder),
                environment: environment)
        }
        // The invoice prints 手术费 100.00 above what its detail list's 手术费 items sum to.
        let misprinted = try process(["zh-einvoice-02-clean.png", "zh-inpatient-03-p1-clean.png", "zh-inpatient-03-p2-clean.png"], "R1")
        #expect(misprinted.status == 3, "\(misprinted.stderr)")
        #expect(misprinted.stdout.contains("claim R1: needs_review"))
        #expect(misprinted.stdout.contains("flag INVOICE_RECONCILIATION (block): The detail list's 手术费 items add up to 2400.00 but the invoice prints 2500.00 for 手术费."))
        #expect(misprinted.stdout.contains("The items add up to 7191.60 but the invoice's fee categories add up to 7291.60"))
        let trail = try String(contentsOf: folder.appendingPathComponent("out/R1.json"), encoding: .utf8)
        #expect(trail.contains(#""kind" : "category""#))
        #expect(trail.contains(#""heading" : "手术费""#))
        // The other invoice agrees with its list: no flag of the kind.
        let agreeing = try process(["zh-einvoice-01-clean.png", "zh-inpatient-01-p1-clean.png", "zh-inpatient-01-p2-clean.png"], "R2")
        #expect(agreeing.stdout.contains("claim R2:"), "\(agreeing.stderr)")
        #expect(!agreeing.stdout.contains("INVOICE_RECONCILIATION"))
        #expect(!agreeing.stdout.contains("DETAIL_LIST_NEEDED"))
        // An invoice of categories alone is held for its detail list, not failed.
        let alone = try process(["zh-einvoice-01-photo.jpg"], "R3")
        #expect(alone.status == 3, "\(alone.stderr)")
        #expect(alone.stdout.contains("claim R3: needs_review — only fee category lines (9) were found: the detail list (费用清单) is needed"))
        #expect(alone.stdout.contains("flag DETAIL_LIST_NEEDED (block)"))
    }

    @Test func exitCodesOfTheInboxCommands() throws {
        let folder = try TestPaths.temporaryFolder()
        let inbox = folder.appendingPathComponent("inbox").path
        let missing = try runClaimEye(["ingest", inbox, "--once"] + common(folder), environment: environment)
        #expect(missing.status == 66)
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let noOnce = try runClaimEye(["ingest", inbox] + common(folder), environment: environment)
        #expect(noOnce.status == 64)
        let badConfig = folder.appendingPathComponent("bad.toml").path
        try "[intake]\nmax_pixel = 3\n".write(toFile: badConfig, atomically: true, encoding: .utf8)
        let bad = try runClaimEye(
            ["ingest", inbox, "--once", "--config", badConfig, "--db", folder.appendingPathComponent("l.sqlite").path],
            environment: environment)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("intake.max_pixel"))
        let noPolicy = try runClaimEye(
            ["ingest", inbox, "--once", "--db", folder.appendingPathComponent("l.sqlite").path], environment: environment,
            currentDirectory: folder)
        #expect(noPolicy.status == 64)
        let empty = try runClaimEye(["ingest", inbox, "--once"] + common(folder), environment: environment)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stderr.contains("0 claims"))
    }

    /// A ledger with 512 bytes of a page overwritten once ran on (exit 0/3), every year-
    /// to-date read as 0; a zero-byte ledger was taken for a fresh one. Both are refused
    /// with exit 74 before anything is written, and `ledger init` makes a new one on purpose.
    @Test func aDamagedOrEmptyLedgerIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try TestPaths.temporaryFolder()
        let ledger = folder.appendingPathComponent("l.sqlite")
        let inbox = folder.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let first = try runClaimEye(["ingest", inbox, "--once"] + common(folder), environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try runClaimEye(["ledger", "check", "--db", ledger.path]).stdout.contains(": ok"))
        // Overwrite 512 bytes at the start of the second page (a table's b-tree page).
        var bytes = try Data(contentsOf: ledger)
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        #expect(bytes.count >= 3 * pageSize)
        bytes.replaceSubrange(pageSize..<(pageSize + 512), with: Data(repeating: 0xA5, count: 512))
        try bytes.write(to: ledger)
        for arguments in [["ingest", inbox, "--once"] + common(folder), ["catalogue", "import", TestPaths.fixture("catalogue/sample_catalogue.csv"), "--db", ledger.path]] {
            let damaged = try runClaimEye(arguments, environment: environment)
            #expect(damaged.status == 74, "\(arguments[0]): \(damaged.stderr)")
            #expect(damaged.stderr.contains("is damaged") && damaged.stderr.contains("nothing was written"), "\(damaged.stderr)")
            #expect(try Data(contentsOf: ledger) == bytes, "the damaged ledger is left as it was")
        }
        let check = try runClaimEye(["ledger", "check", "--db", ledger.path])
        #expect(check.status == 74, "\(check.stdout)\(check.stderr)")
        // A zero-byte file is not a fresh ledger, until `ledger init` makes it one.
        try Data().write(to: ledger)
        let empty = try runClaimEye(["ingest", inbox, "--once"] + common(folder), environment: environment)
        #expect(empty.status == 74 && empty.stderr.contains("claimeye ledger init"), "\(empty.stderr)")
        #expect(try Data(contentsOf: ledger).isEmpty)
        let made = try runClaimEye(["ledger", "init", "--db", ledger.path])
        #expect(made.status == 0 && made.stdout.contains("a new ledger"), "\(made.stderr)")
        let again = try runClaimEye(["ingest", inbox, "--once"] + common(folder), environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// Outside a checkout, with no sample catalogue to seed a fresh ledger, the catalogue
    /// is empty and every line is held: once silent, now said on every run and in the
    /// summary line, with how to import one.
    @Test func anEmptyCatalogueIsSaidOnEveryRun() throws {
        let folder = try TestPaths.temporaryFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox.appendingPathComponent("c1"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestPaths.fixture("documents/zh-pharmacy-02-clean.png"), toPath: inbox.appendingPathComponent("c1/page.png").path)
        let run = try runClaimEye(["ingest", inbox.path, "--once"] + common(folder), environment: ["CLAIMEYE_SAMPLE_CATALOGUE": ""], currentDirectory: folder)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("warning: the catalogue in") && run.stderr.contains("claimeye catalogue import"), "\(run.stderr)")
        #expect(run.stderr.contains("the catalogue is empty: every line held"), "\(run.stderr)")
        let again = try runClaimEye(["ingest", inbox.path, "--once", "--quiet"] + common(folder), environment: ["CLAIMEYE_SAMPLE_CATALOGUE": ""], currentDirectory: folder)
        #expect(again.stderr.contains("warning: the catalogue in"), "said with --quiet too: \(again.stderr)")
    }

    @Test func reportReadsTheLedgerAndChecksItsDates() throws {
        let folder = try TestPaths.temporaryFolder()
        let db = folder.appendingPathComponent("l.sqlite").path
        #expect(try runClaimEye(["report", "--db", db]).status == 74)
        let badDate = try runClaimEye(["report", "--db", db, "--from", "2026-13-01"])
        #expect(badDate.status == 64)
        let page = TestPaths.fixture("documents/zh-outpatient-02-clean.png")
        _ = try runClaimEye(["process", page] + common(folder), environment: environment)
        let table = try runClaimEye(["report", "--db", db, "--by", "class"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("TOTAL"))
        let html = try runClaimEye(["report", "--db", db, "--format", "html"])
        #expect(html.stdout.contains("<svg"))
        #expect(!html.stdout.contains("<script"))
    }
}
