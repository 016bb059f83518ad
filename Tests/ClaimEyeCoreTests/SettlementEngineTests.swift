import ClaimEyeCore
import Foundation
import Testing

@Suite struct SettlementEngineTests {
    static let terms = SettlementTerms(
        region: "t", periodFrom: "2026-01-01", ratio: Decimal(string: "0.85") ?? 0, deductible: 100,
        deductibleBasis: .year, annualFundCap: 1000, classBSelfPayRatio: Decimal(string: "0.1") ?? 0,
        priceCapMultiplier: 1)

    static func entry(_ reimbursementClass: ReimbursementClass, cap: Decimal? = nil, ratio: Decimal? = nil) -> CatalogueEntry {
        CatalogueEntry(code: "X", name: "x", kind: .drug, reimbursementClass: reimbursementClass, priceCap: cap, selfPayRatio: ratio)
    }

    static func settle(_ lines: [SettlementLine], yearToDate: YearToDate = .none) -> ClaimSettlement {
        let context = ClaimContext(claimId: "T", insuranceType: .employee, institutionLevel: 2, visitType: .outpatient)
        return SettlementEngine.settle(SettlementClaim(context: context, lines: lines, yearToDate: yearToDate), terms: terms)
    }

    @Test func fenRoundsHalfUpAwayFromZero() {
        #expect(Fen(yuan: Decimal(string: "0.125") ?? 0) == Fen(13))
        #expect(Fen(yuan: Decimal(string: "-0.125") ?? 0) == Fen(-13))
        #expect(Fen(yuan: Decimal(string: "0.1249") ?? 0) == Fen(12))
        #expect(Fen(-305).description == "-3.05" && Fen(7).description == "0.07" && Fen.zero.description == "0.00")
        #expect(Fen(2250).times(Decimal(string: "0.85") ?? 0) == Fen(1913))
    }

    @Test func allocationGivesLeftoverFenToLargestRemaindersThenEarlierLines() {
        #expect(Fen.allocate(Fen(100), over: [Fen(1), Fen(1), Fen(1)]) == [Fen(34), Fen(33), Fen(33)])
        #expect(Fen.allocate(Fen(10), over: [Fen(1), Fen(2)]) == [Fen(3), Fen(7)])
        #expect(Fen.allocate(Fen(34), over: [Fen(60), Fen(-20)]) == [Fen(51), Fen(-17)])
        #expect(Fen.allocate(Fen(5), over: [Fen(-1), Fen(1)]) == [Fen.zero, Fen.zero], "no positive sum, no shares")
    }

    @Test func capIsScaledByTheLevelFactorAndNotRoundedBeforeUse() {
        // Cap 0.125 per tablet, price 0.2, 100 tablets: over = 0.075 × 100 = 7.50.
        let line = SettlementLine(
            index: 0, name: "片", quantity: 100, unitPrice: Decimal(string: "0.2"), amount: 20,
            entry: Self.entry(.a, cap: Decimal(string: "0.125")), zone: .auto)
        let result = Self.settle([line], yearToDate: YearToDate(fundPaid: .zero, deductibleUsed: [.outpatient: Fen(10_000)]))
        #expect(result.lines[0].overLimit == Fen(750))
        #expect(result.lines[0].policyScope == Fen(1250))
        #expect(result.lines[0].reasons == [.classA, .overPriceCap, .fundPay])
    }

    @Test func aLineWithoutAmountOrPriceIsHeldAsZero() {
        let line = SettlementLine(index: 0, name: "?", quantity: 2, entry: Self.entry(.a), zone: .auto)
        let result = Self.settle([line])
        #expect(result.status == .needsReview)
        #expect(result.lines[0].amount == .zero)
        #expect(result.lines[0].reasons.contains(.amountMissing) && result.lines[0].reasons.contains(.heldForReview))
    }

    @Test func anAutoZoneLineWithoutEntryIsStillHeld() {
        let line = SettlementLine(index: 0, name: "?", amount: 5, entry: nil, zone: .auto)
        let result = Self.settle([line])
        #expect(result.status == .needsReview)
        #expect(result.lines[0].reasons == [.heldForReview, .outOfCatalogue])
        #expect(result.lines[0].fullSelfPay == Fen(500) && result.lines[0].pending == Fen(500))
    }

    @Test func perVisitDeductibleLeavesTheYearCounterAlone() {
        var terms = Self.terms
        terms.deductibleBasis = .visit
        let context = ClaimContext(claimId: "T", insuranceType: .employee, institutionLevel: 2, visitType: .inpatient)
        let before = YearToDate(fundPaid: .zero, deductibleUsed: [.inpatient: Fen(10_000)])
        let claim = SettlementClaim(
            context: context, lines: [SettlementLine(index: 0, name: "a", amount: 300, entry: Self.entry(.a), zone: .auto)],
            yearToDate: before)
        let result = SettlementEngine.settle(claim, terms: terms)
        #expect(result.totals.deductible == Fen(10_000), "each visit pays its own deductible")
        #expect(result.totals.fundPay == Fen(17_000))
        #expect(result.yearToDateAfter.deductibleUsed(.inpatient) == Fen(10_000))
    }

    @Test func aParsedLineItemSettlesFromItsReadings() {
        let item = LineItem(
            page: 0, index: 3, name: Read("阿莫西林胶囊", confidence: 0.9), nameRead: "阿莫西林胶囊",
            quantity: Read(2, confidence: 0.9), unitPrice: Read(Decimal(string: "12.5") ?? 0, confidence: 0.9),
            amount: Read(25, confidence: 0.9))
        let line = SettlementLine(item: item, index: 0, entry: Self.entry(.b), zone: .auto)
        #expect(line.code == "X" && line.amount == 25 && line.quantity == 2)
        let result = Self.settle([line], yearToDate: YearToDate(fundPaid: .zero, deductibleUsed: [.outpatient: Fen(10_000)]))
        #expect(result.lines[0].selfPayFirst == Fen(250) && result.totals.fundPay == Fen(1913))
    }
}
