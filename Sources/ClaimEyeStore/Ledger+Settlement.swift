import ClaimEyeCore
import Foundation
import GRDB

extension Ledger {
    /// What the insured person's settled claims of `year` used: fund pay (towards the
    /// annual cap), fund accrued, and the deductible of year-basis claims by visit type.
    /// `excluding` leaves out one claim, so settling a claim again does not count it twice.
    public func yearToDate(insuredId: String, year: Int, excluding claimId: String? = nil) throws -> YearToDate {
        try reading { db in try Self.yearToDate(insuredId: insuredId, year: year, excluding: claimId, in: db) }
    }

    /// `yearToDate` inside the caller's transaction.
    static func yearToDate(insuredId: String, year: Int, excluding claimId: String?, in db: Database) throws -> YearToDate {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT claim_id, visit_type, deductible_basis, fund_pay_fen, deductible_fen, fund_accrued,
                       critical_illness_base, critical_illness_pay_fen, critical_illness_accrued,
                       assistance_base, assistance_pay_fen, assistance_accrued
                FROM settlement_total WHERE insured_id = ? AND year = ? ORDER BY claim_id
                """,
            arguments: [insuredId, year])
        var state = YearToDate.none
        func exact(_ row: Row, _ column: String) -> Decimal {
            Decimal(string: row[column] as String, locale: Locale(identifier: "en_US_POSIX")) ?? 0
        }
        for row in rows where row["claim_id"] as String? != claimId {
            state.fundPaid += Fen(row["fund_pay_fen"] as Int64)
            state.fundAccrued += exact(row, "fund_accrued")
            state.criticalIllnessBase += exact(row, "critical_illness_base")
            state.criticalIllnessPaid += Fen(row["critical_illness_pay_fen"] as Int64)
            state.criticalIllnessAccrued += exact(row, "critical_illness_accrued")
            state.assistanceBase += exact(row, "assistance_base")
            state.assistancePaid += Fen(row["assistance_pay_fen"] as Int64)
            state.assistanceAccrued += exact(row, "assistance_accrued")
            let basis: String = row["deductible_basis"]
            if basis == DeductibleBasis.year.rawValue, let visit = VisitType(rawValue: row["visit_type"]) {
                state.deductibleUsed[visit] = state.deductibleUsed(visit) + Fen(row["deductible_fen"] as Int64)
            }
        }
        return state
    }

    /// Records a settled claim's totals (replacing an earlier settlement of the same
    /// claim), so the person's later claims count them. `settledAt` is an ISO timestamp
    /// from the caller's clock.
    public func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) throws {
        try writing { db in try Self.recordSettlement(settlement, insuredId: insuredId, year: year, settledAt: settledAt, in: db) }
    }

    /// `recordSettlement` inside the caller's transaction.
    static func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String, in db: Database) throws {
        let before = settlement.yearToDateBefore
        let after = settlement.yearToDateAfter
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO settlement_total
                (claim_id, insured_id, year, service_date, visit_type, deductible_basis, fund_pay_fen,
                 deductible_fen, fund_accrued, region, settled_at,
                 critical_illness_base, critical_illness_pay_fen, critical_illness_accrued,
                 assistance_base, assistance_pay_fen, assistance_accrued)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                settlement.claimId, insuredId, year, settlement.context.serviceDate ?? "",
                settlement.context.visitType.rawValue, settlement.terms.deductibleBasis.rawValue,
                settlement.totals.fundPay.value, settlement.totals.deductible.value,
                "\(after.fundAccrued - before.fundAccrued)", settlement.terms.region, settledAt,
                "\(after.criticalIllnessBase - before.criticalIllnessBase)", settlement.totals.criticalIllnessPay.value,
                "\(after.criticalIllnessAccrued - before.criticalIllnessAccrued)",
                "\(after.assistanceBase - before.assistanceBase)", settlement.totals.assistancePay.value,
                "\(after.assistanceAccrued - before.assistanceAccrued)",
            ])
    }
}
