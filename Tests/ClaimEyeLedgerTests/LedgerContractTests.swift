import ClaimEyeCore
import ClaimEyePostgres
import ClaimEyeStore
import ClaimEyeTestSupport
import Foundation
import Testing

/// The two ledgers the contract is run against.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A new, empty ledger of this kind.
    func make() throws -> any LedgerStore {
        switch self {
        case .sqlite: return try Ledger(path: try TestPaths.temporaryFolder().appendingPathComponent("l.sqlite").path)
        case .postgres: return try PostgresLedger(address: PostgresAddress(try PostgresTestServer.freshDatabase()))
        }
    }
}

/// Settlements and commits the tests build.
enum Claims {
    static let terms = SettlementTerms(
        region: "t", periodFrom: "2026-01-01", ratio: Decimal(string: "0.85") ?? 0, deductible: 1800,
        deductibleBasis: .year, annualFundCap: 400_000, classBSelfPayRatio: Decimal(string: "0.1") ?? 0,
        priceCapMultiplier: 1)

    static func settle(_ id: String, insured: String = "P1", amount: Decimal, date: String = "2026-02-01", yearToDate: YearToDate) -> ClaimSettlement {
        let context = ClaimContext(
            claimId: id, insuredId: insured, insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
            serviceDate: date)
        let entry = CatalogueEntry(code: "S", name: "s", kind: .service, reimbursementClass: .a)
        let line = SettlementLine(index: 0, name: "s", amount: amount, entry: entry, zone: .auto)
        return SettlementEngine.settle(SettlementClaim(context: context, lines: [line], yearToDate: yearToDate), terms: terms)
    }

    /// A settled claim's commit, its settlement taken on the year-to-date the ledger's
    /// history gives inside the transaction.
    static func settled(
        _ id: String, insured: String = "P1", amount: Decimal = 1000, history: any ClaimLedgerView, inbox: String? = "inbox",
        page: String? = nil, invoice: String? = nil
    ) throws -> ClaimCommit {
        let settlement = settle(id, insured: insured, amount: amount, yearToDate: try history.yearToDate(insuredId: insured, year: 2026))
        var commit = ClaimCommit(
            claimId: id, fingerprint: "fp-" + id, source: id, state: .settled, trail: "{\"claim_id\":\"\(id)\"}",
            createdAt: "2026-02-01T00:00:00Z")
        commit.inbox = inbox
        commit.insuredId = insured
        commit.serviceDate = "2026-02-01"
        commit.destination = inbox.map { $0 + "/processed/" + id }
        commit.amount = settlement.totals.amount
        commit.fundPay = settlement.totals.fundPay
        commit.selfPay = settlement.totals.selfPay
        commit.pages = [PageKey(sha256: page ?? "sha-" + id, pageIndex: 0, file: "page-1.png")]
        commit.items = [
            ClaimItemRow(
                index: 0, name: "s", nameRead: "s", code: "S", reimbursementClass: "甲", category: "service", zone: "auto",
                amount: settlement.lines[0].amount, fundPay: settlement.lines[0].fundPay, selfPay: settlement.lines[0].selfPay, held: false),
        ]
        commit.flags = [ClaimFlagRow(rule: "NOTE", severity: "info", line: 0, message: "a note")]
        commit.keys = [("invoice", invoice ?? "inv-" + id), ("signature", "sig-" + id)]
        commit.yearToDateRecord = (settlement, insured, 2026)
        return commit
    }
}

@Suite("The ledger's contract, on SQLite and on PostgreSQL")
struct LedgerContractTests {
    @Test(arguments: Backend.allCases) func bothLedgersHaveTheSameMigrations(_ backend: Backend) throws {
        let ledger = try backend.make()
        #expect(try ledger.appliedMigrations() == [
            "v1-runs", "v2-catalogue", "v3-settlement-totals", "v4-pipeline", "v5-match-index", "v6-supplementary-funds",
            "v7-work-queue",
        ])
    }

    @Test(arguments: Backend.allCases) func aClaimIsWrittenWholeAndReadBack(_ backend: Backend) throws {
        let ledger = try backend.make()
        let row = try ledger.commitClaim { try Claims.settled("C1", history: $0) }
        #expect(try ledger.hasClaim("C1"))
        #expect(try !ledger.hasClaim("C2"))
        let items = try ledger.items(ofClaim: row)
        #expect(items.count == 1 && items[0].code == "S" && items[0].amount == Fen(100_000) && !items[0].held)
        // Committed with a destination: not moved yet, so a later run finishes it.
        #expect(try ledger.unmovedClaim(fingerprint: "fp-C1", inbox: "inbox")?.claimId == "C1")
        #expect(try ledger.unfinishedClaims(inbox: "inbox").map(\.claimId) == ["C1"])
        #expect(try ledger.unfinishedClaims(inbox: "elsewhere").isEmpty)
        try ledger.markMoved(row)
        #expect(try ledger.unmovedClaim(fingerprint: "fp-C1", inbox: "inbox") == nil)
        #expect(try ledger.unfinishedClaims(inbox: "inbox").map(\.claimId) == ["C1"])
        try ledger.markOutputsWritten(row)
        #expect(try ledger.unfinishedClaims(inbox: "inbox").isEmpty)
        let report = try ledger.reportClaims(from: "2026-01-01", to: "2026-12-31")
        #expect(report.map(\.claimId) == ["C1"] && report[0].lines.count == 1 && report[0].lines[0].flagCount == 1)
        #expect(try ledger.reportClaims(from: "2026-03-01", to: nil).isEmpty)
    }

    @Test(arguments: Backend.allCases) func aFailingBuildWritesNothing(_ backend: Backend) throws {
        struct Refused: Error {}
        let ledger = try backend.make()
        #expect(throws: Refused.self) {
            try ledger.commitClaim { history in
                _ = try Claims.settled("C1", history: history)
                throw Refused()
            }
        }
        #expect(try !ledger.hasClaim("C1"))
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026) == .none)
    }

    @Test(arguments: Backend.allCases) func yearToDateCountsThePersonsSettledClaims(_ backend: Backend) throws {
        let ledger = try backend.make()
        var first: ClaimCommit?
        try ledger.commitClaim { history in
            first = try Claims.settled("C1", amount: 2000, history: history)
            return first!
        }
        try ledger.commitClaim { try Claims.settled("C2", amount: 500, history: $0) }
        try ledger.commitClaim { try Claims.settled("X1", insured: "P2", amount: 5000, history: $0) }
        // Another year does not count.
        let lastYear = Claims.settle("Y", amount: 5000, date: "2025-12-01", yearToDate: .none)
        try ledger.recordSettlement(lastYear, insuredId: "P1", year: 2025, settledAt: "2025-12-01T00:00:00Z")
        let state = try ledger.yearToDate(insuredId: "P1", year: 2026)
        // The deductible (1,800 yuan) is used once, by the first claim.
        #expect(state.deductibleUsed(.outpatient) == Fen(180_000))
        #expect(state.fundPaid == first!.fundPay + Fen(42_500))
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026, excluding: "C2") == first!.yearToDateRecord!.settlement.yearToDateAfter)
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2025) == lastYear.yearToDateAfter)
        // Recording a settlement again replaces it.
        try ledger.recordSettlement(first!.yearToDateRecord!.settlement, insuredId: "P1", year: 2026, settledAt: "2026-02-02T00:00:00Z")
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026) == state)
    }

    @Test(arguments: Backend.allCases) func laterClaimsSeeEarlierKeysPagesAndIds(_ backend: Backend) throws {
        let ledger = try backend.make()
        try ledger.commitClaim { try Claims.settled("C1", history: $0, page: "shared-page", invoice: "INV-1") }
        try ledger.commitClaim { history in
            #expect(try history.claimIdTaken("C1"))
            #expect(try !history.claimIdTaken("C9"))
            #expect(try history.owners(of: [PageKey(sha256: "shared-page", pageIndex: 0, file: "x.png")]) == ["shared-page": "C1"])
            var keys = AuditKeys(AuditInput(context: ClaimContext(claimId: "C2", insuranceType: .employee, institutionLevel: 2, visitType: .outpatient), documents: [], matches: []))
            keys.invoiceKeys = ["INV-1", "INV-2"]
            keys.dispensing = [DispensingRecord(insuredId: "P1", code: "S", date: "2026-02-03", claimId: "C2")]
            let earlier = try history.auditHistory(keys)
            #expect(earlier.invoiceKeys == ["INV-1": "C1"])
            #expect(earlier.dispensing.map(\.claimId) == ["C1"])
            return try Claims.settled("C2", history: history)
        }
        // A second live claim with an id taken, or a page taken, is refused whole.
        #expect(throws: StoreError.self) { try ledger.commitClaim { try Claims.settled("C1", history: $0, page: "other") } }
        #expect(throws: StoreError.self) { try ledger.commitClaim { try Claims.settled("C3", history: $0, page: "shared-page") } }
        #expect(try !ledger.hasClaim("C3"))
    }

    @Test(arguments: Backend.allCases) func failedClaimsMayRepeatAnId(_ backend: Backend) throws {
        let ledger = try backend.make()
        for _ in 0..<2 {
            try ledger.commitClaim { _ in
                var commit = ClaimCommit(claimId: "F1", fingerprint: "fp", source: "f.png", state: .failed, trail: "{}", createdAt: "2026-02-01T00:00:00Z")
                commit.reason = "unreadable"
                return commit
            }
        }
        #expect(try ledger.allClaims().map(\.claimId) == ["F1", "F1"])
        #expect(try ledger.reportClaims(from: nil, to: nil).isEmpty)
    }

    @Test(arguments: Backend.allCases) func theCatalogueImportsOnceAndMatches(_ backend: Backend) throws {
        let ledger = try backend.make()
        let sample = TestPaths.fixture("catalogue/sample_catalogue.csv")
        let first = try ledger.importCatalogue(sample, now: Date())
        #expect(first.rows > 100 && first.inserted == first.rows && first.updated == 0)
        let again = try ledger.importCatalogue(sample, now: Date())
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == first.rows)
        let matcher = try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: nil)
        #expect(matcher.entryCount == first.rows)
    }

    @Test(arguments: Backend.allCases) func aFreshLedgerIsSeededOnce(_ backend: Backend) throws {
        let ledger = try backend.make()
        let sample = TestPaths.fixture("catalogue/sample_catalogue.csv")
        let seeded = try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: sample).entryCount
        #expect(seeded > 100)
        #expect(try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: sample).entryCount == seeded)
    }

    @Test(arguments: Backend.allCases) func reviewItemsQueuedByACommitAreDecidedOnce(_ backend: Backend) throws {
        let ledger = try backend.make()
        let matcher = try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: TestPaths.fixture("catalogue/sample_catalogue.csv"))
        let result = matcher.match(MatchQuery(text: "阿莫西林"))
        let code = try #require(result.candidates.first?.code)
        try ledger.commitClaim { history in
            var commit = try Claims.settled("C1", history: history)
            commit.reviews = [(result, 0)]
            return commit
        }
        let open = try ledger.reviewItems(status: "open", limit: 10)
        #expect(open.count == 1 && open[0].claimID == "C1" && open[0].line == 0 && open[0].queryText == "阿莫西林")
        #expect(try ledger.decideReview(open[0].id, code: nil, accept: true, on: "2026-03-01") == code)
        #expect(try ledger.reviewItem(open[0].id).status == "accepted")
        #expect(try ledger.reviewItems(status: "open", limit: 10).isEmpty)
        #expect(throws: ReviewError.alreadyDecided(id: open[0].id, status: "accepted")) {
            try ledger.decideReview(open[0].id, code: nil, accept: false, on: "2026-03-02")
        }
        #expect(throws: ReviewError.noSuchItem(999)) { try ledger.reviewItem(999) }
        let learned = try ledger.catalogueMatcher(thresholds: MatchThresholds(), seed: nil).match(MatchQuery(text: "阿莫西林"))
        #expect(learned.best?.code == code && learned.zone == .auto)
    }

    @Test(arguments: Backend.allCases) func storedOCRRunsAndTheItemsJournal(_ backend: Backend) throws {
        let ledger = try backend.make()
        #expect(try ledger.storedOCR(sha256: "h", pageIndex: 0, engine: "e") == nil)
        try ledger.storeOCR(Data([1, 2, 3]), sha256: "h", pageIndex: 0, engine: "e")
        try ledger.storeOCR(Data([4, 5]), sha256: "h", pageIndex: 0, engine: "e")
        #expect(try ledger.storedOCR(sha256: "h", pageIndex: 0, engine: "e") == Data([4, 5]))
        #expect(try ledger.storedOCR(sha256: "h", pageIndex: 1, engine: "e") == nil)
        let run = try ledger.startRun(command: "ingest", version: "t", inbox: "inbox", startedAt: "2026-02-01T00:00:00Z")
        try ledger.finishRun(run, settled: 1, review: 0, failed: 0, exitCode: 0, endedAt: "2026-02-01T00:01:00Z")
        let row = try ledger.commitClaim { try Claims.settled("C1", history: $0) }
        #expect(try ledger.itemsCSVLength(path: "out/items.csv") == nil)
        #expect(try ledger.claimsMissingFromCSV().map(\.claimId) == ["C1"])
        try ledger.markWrittenToCSV([row], path: "out/items.csv", length: 120)
        #expect(try ledger.itemsCSVLength(path: "out/items.csv") == 120)
        #expect(try ledger.claimsMissingFromCSV().isEmpty)
        #expect(try ledger.allClaims().map(\.claimId) == ["C1"])
    }
}
