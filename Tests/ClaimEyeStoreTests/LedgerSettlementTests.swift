import ClaimEyeCore
import ClaimEyeStore
import ClaimEyeTestSupport
import Foundation
import Testing

@Suite struct LedgerSettlementTests {
    static let terms = SettlementTerms(
        region: "t", periodFrom: "2026-01-01", ratio: Decimal(string: "0.85") ?? 0, deductible: 1800,
        deductibleBasis: .year, annualFundCap: 400_000, classBSelfPayRatio: Decimal(string: "0.1") ?? 0,
        priceCapMultiplier: 1)

    static func settle(_ id: String, insured: String = "P1", amount: Decimal, date: String, yearToDate: YearToDate) -> ClaimSettlement {
        let context = ClaimContext(
            claimId: id, insuredId: insured, insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
            serviceDate: date)
        let entry = CatalogueEntry(code: "S", name: "s", kind: .service, reimbursementClass: .a)
        let line = SettlementLine(index: 0, name: "s", amount: amount, entry: entry, zone: .auto)
        return SettlementEngine.settle(SettlementClaim(context: context, lines: [line], yearToDate: yearToDate), terms: terms)
    }

    @Test func yearToDateSumsThePersonsSettledClaimsOfTheYear() throws {
        let ledger = try Ledger(path: try TestPaths.temporaryFolder().appendingPathComponent("l.sqlite").path)
        #expect(try ledger.appliedMigrations().contains("v3-settlement-totals"))
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026) == .none)

        let first = Self.settle("A", amount: 2000, date: "2026-02-01", yearToDate: .none)
        try ledger.recordSettlement(first, insuredId: "P1", year: 2026, settledAt: "2026-02-01T00:00:00Z")
        // Another person and another year do not count.
        let other = Self.settle("X", insured: "P2", amount: 5000, date: "2026-02-01", yearToDate: .none)
        try ledger.recordSettlement(other, insuredId: "P2", year: 2026, settledAt: "2026-02-01T00:00:00Z")
        let lastYear = Self.settle("Y", amount: 5000, date: "2025-12-01", yearToDate: .none)
        try ledger.recordSettlement(lastYear, insuredId: "P1", year: 2025, settledAt: "2025-12-01T00:00:00Z")

        let state = try ledger.yearToDate(insuredId: "P1", year: 2026)
        #expect(state == first.yearToDateAfter)
        #expect(state.fundPaid == Fen(17_000) && state.deductibleUsed(.outpatient) == Fen(180_000))
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026, excluding: "A") == .none)

        // Settling A again replaces its row instead of adding to it.
        try ledger.recordSettlement(first, insuredId: "P1", year: 2026, settledAt: "2026-02-02T00:00:00Z")
        #expect(try ledger.yearToDate(insuredId: "P1", year: 2026) == state)
    }
}
