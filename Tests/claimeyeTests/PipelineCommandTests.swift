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
