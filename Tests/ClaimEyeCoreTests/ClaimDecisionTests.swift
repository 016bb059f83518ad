import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// The claim's decision without a ledger: what the ledger would say comes from values.
struct LedgerAnswers: ClaimLedgerView {
    var owners: [String: String] = [:]
    var takenIds: Set<String> = []
    var yearToDate: YearToDate = .none
    var history = AuditHistory()

    func owners(of pages: [PageKey]) throws -> [String: String] { owners.filter { hash, _ in pages.contains { $0.sha256 == hash } } }
    func claimIdTaken(_ claimId: String) throws -> Bool { takenIds.contains(claimId) }
    func yearToDate(insuredId: String, year: Int) throws -> YearToDate { yearToDate }
    func auditHistory(_ keys: AuditKeys) throws -> AuditHistory { history }
}

@Suite struct ClaimDecisionTests {
    let stages: ClaimStages = {
        let text = try! String(contentsOfFile: TestPaths.fixture("policies/east-sample.toml"), encoding: .utf8)
        let policy = try! Policy.parse(toml: text, source: "east-sample.toml")
        let matcher = CatalogueMatcher(entries: [AuditFixtures.consultation, AuditFixtures.amoxicillin])
        return ClaimStages(matcher: matcher, policy: policy)
    }()
    let keys = [PageKey(sha256: "aa11", pageIndex: 0, file: "bill.png")]

    func claim(_ document: ParsedDocument, context: ClaimContext = AuditFixtures.context(), sidecarId: Bool = false) -> ReadClaim {
        ReadClaim(
            document: document, lines: stages.match(document), context: context, keys: keys, fingerprint: "0123456789abcdef",
            idFromSidecar: sidecarId)
    }

    func decided(_ decision: ClaimDecision) -> DecidedClaim? {
        if case .decided(let claim) = decision { return claim }
        return nil
    }

    var plain: ParsedDocument { AuditFixtures.document(AuditFixtures.plainLines().items) }

    @Test func aClaimNothingWasReadFromIsRefusedAndCategoriesAloneAreNot() {
        let empty = AuditFixtures.document([])
        #expect(stages.admit(claim(empty)) == ClaimRefusal(state: .failed, reason: "no line items found", rule: "UNREADABLE"))
        let categories = AuditFixtures.document([], flags: [.categoriesOnly], categories: [("西药费", 35)])
        #expect(stages.admit(claim(categories)) == nil)
        #expect(stages.admit(claim(plain)) == nil)
    }

    @Test func aClaimWithoutAServiceDateIsHeldUnlessThePageGivesOne() {
        let undated = AuditFixtures.context(serviceDate: nil)
        let noDate = AuditFixtures.document(AuditFixtures.plainLines().items, date: nil)
        let held = stages.admit(claim(noDate, context: undated))
        #expect(held?.state == .needsReview)
        #expect(held?.rule == "SERVICE_DATE_MISSING")
        // The page's date fills the context.
        let read = claim(plain, context: undated)
        #expect(read.context.serviceDate == "2026-03-02")
        #expect(stages.admit(read) == nil)
    }

    @Test func aPageAnotherClaimOwnsRefusesTheClaim() throws {
        let decision = try stages.decide(claim(plain), ledger: LedgerAnswers(owners: ["aa11": "C-1"]), audit: AuditConfig())
        guard case .refused(let refusal, _) = decision else { Issue.record("not refused: \(decision)"); return }
        #expect(refusal.state == .failed)
        #expect(refusal.rule == "DUPLICATE_PAGE")
        #expect(refusal.reason.contains("bill.png was already taken in claim C-1"))
    }

    @Test func aTakenClaimIdIsMadeUniqueUnlessTheSidecarGaveIt() throws {
        let taken = LedgerAnswers(takenIds: ["C-2026-0002"])
        let renamed = decided(try stages.decide(claim(plain), ledger: taken, audit: AuditConfig()))
        #expect(renamed?.context.claimId == "C-2026-0002-01234567")
        let refused = try stages.decide(claim(plain, sidecarId: true), ledger: taken, audit: AuditConfig())
        guard case .refused(let refusal, let context) = refused else { Issue.record("not refused: \(refused)"); return }
        #expect(refusal.reason.contains("already used by an earlier claim"))
        // Recorded under an id of its own, so its trail does not replace the earlier claim's.
        #expect(context.claimId == "C-2026-0002-01234567")
    }

    @Test func aPlainClaimSettlesAgainstTheYearToDateTheLedgerGives() throws {
        let fresh = decided(try stages.decide(claim(plain), ledger: LedgerAnswers(), audit: AuditConfig()))
        #expect(fresh?.state == .settled)
        #expect(fresh?.flags.isEmpty == true)
        #expect(fresh?.yearToDate?.insuredId == "330102199001011234")
        #expect(fresh?.yearToDate?.year == 2026)
        #expect(fresh?.auditKeys.invoiceKeys == ["33010224/0081235720"])
        // With the year's deductible already used, the fund pays more of the same claim.
        let used = LedgerAnswers(yearToDate: YearToDate(fundPaid: .zero, deductibleUsed: [.outpatient: Fen(1_000_000)]))
        let later = decided(try stages.decide(claim(plain), ledger: used, audit: AuditConfig()))
        let fundPay = { (claim: DecidedClaim?) in claim?.settlement.totals.fundPay ?? .zero }
        #expect(fundPay(later) > fundPay(fresh))
    }

    @Test func anInvoiceAnEarlierClaimFiledHoldsTheClaim() throws {
        let earlier = LedgerAnswers(history: AuditHistory(invoiceKeys: ["33010224/0081235720": "C-1"]))
        let held = decided(try stages.decide(claim(plain), ledger: earlier, audit: AuditConfig()))
        #expect(held?.state == .needsReview)
        #expect(held?.flags.map(\.rule) == [.duplicateInvoice])
        #expect(held?.yearToDate == nil)
    }
}
