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
            sql: "SELECT \(SettlementTotalRow.columns.joined(separator: ", ")) FROM settlement_total WHERE insured_id = ? AND year = ? ORDER BY claim_id",
            arguments: [insuredId, year])
        return SettlementTotalRow.yearToDate(
            try rows.map { row in try SettlementTotalRow(text: { row[$0] }, integer: { row[$0] }) }, excluding: claimId)
    }

    /// Records a settled claim's totals (replacing an earlier settlement of the same
    /// claim), so the person's later claims count them. `settledAt` is an ISO timestamp
    /// from the caller's clock.
    public func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) throws {
        try writing { db in try Self.recordSettlement(settlement, insuredId: insuredId, year: year, settledAt: settledAt, in: db) }
    }

    /// `recordSettlement` inside the caller's transaction.
    static func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String, in db: Database) throws {
        let row = SettlementTotalRow(settlement, insuredId: insuredId, year: year, settledAt: settledAt)
        let marks = Array(repeating: "?", count: SettlementTotalRow.columns.count).joined(separator: ", ")
        try db.execute(
            sql: "INSERT OR REPLACE INTO settlement_total (\(SettlementTotalRow.columns.joined(separator: ", "))) VALUES (\(marks))",
            arguments: StatementArguments(row.values.compactMap { $0 as? any DatabaseValueConvertible }))
    }
}
