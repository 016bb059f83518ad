import ClaimEyeCore
import Foundation
import GRDB

extension Ledger {
    /// Settled and held claims with service dates in `from…to` (inclusive, ISO dates; nil
    /// is open), with their lines and flag counts, for the fund report. Three queries,
    /// each one pass over its table, joined in memory by the claim's row id.
    public func reportClaims(from: String?, to: String?) throws -> [ReportClaim] {
        try reading { db in
            // The claims counted: live, with a service date in the range.
            func counted(_ claim: String) -> String {
                "\(claim).state != 'failed' AND (? IS NULL OR \(claim).service_date >= ?) AND (? IS NULL OR \(claim).service_date <= ?)"
            }
            let arguments: StatementArguments = [from, from, to, to]
            var claims: [Int64: ReportClaim] = [:]
            var order: [Int64] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, claim_id, service_date, institution, state, amount_fen, fund_pay_fen, self_pay_fen, flag_count,
                        critical_illness_pay_fen, assistance_pay_fen
                    FROM claim c WHERE \(counted("c")) ORDER BY claim_id
                    """,
                arguments: arguments)
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                order.append(id)
                claims[id] = ReportClaim(
                    claimId: row["claim_id"], serviceDate: row["service_date"] ?? "", institution: row["institution"] ?? "",
                    status: (row["state"] as String) == ClaimState.settled.rawValue ? .settled : .needsReview,
                    amount: Fen(row["amount_fen"] as Int64), fundPay: Fen(row["fund_pay_fen"] as Int64),
                    selfPay: Fen(row["self_pay_fen"] as Int64), flagCount: row["flag_count"], lines: [])
                claims[id]?.criticalIllnessPay = Fen(row["critical_illness_pay_fen"] as Int64)
                claims[id]?.assistancePay = Fen(row["assistance_pay_fen"] as Int64)
            }
            var lineFlags: [Int64: [Int: Int]] = [:]
            let flags = try Row.fetchCursor(
                db,
                sql: """
                    SELECT f.claim_row, f.line, count(*) AS n FROM claim_flag f JOIN claim c ON c.id = f.claim_row
                    WHERE f.line IS NOT NULL AND \(counted("c"))
                    GROUP BY f.claim_row, f.line
                    """,
                arguments: arguments)
            while let row = try flags.next() {
                lineFlags[row["claim_row"], default: [:]][row["line"]] = row["n"]
            }
            let items = try Row.fetchCursor(
                db,
                sql: """
                    SELECT i.claim_row, i.idx, i.category, i.class, i.amount_fen, i.fund_pay_fen, i.self_pay_fen
                    FROM claim_item i JOIN claim c ON c.id = i.claim_row
                    WHERE \(counted("c")) ORDER BY i.claim_row, i.idx
                    """,
                arguments: arguments)
            while let row = try items.next() {
                let claim: Int64 = row["claim_row"]
                let index: Int = row["idx"]
                let line = ReportClaim.Line(
                    category: row["category"] ?? "other", reimbursementClass: (row["class"] as String?).flatMap(ReimbursementClass.init),
                    amount: Fen(row["amount_fen"] as Int64), fundPay: Fen(row["fund_pay_fen"] as Int64),
                    selfPay: Fen(row["self_pay_fen"] as Int64), flagCount: lineFlags[claim]?[index] ?? 0)
                claims[claim]?.lines.append(line)
            }
            return order.compactMap { claims[$0] }
        }
    }
}
