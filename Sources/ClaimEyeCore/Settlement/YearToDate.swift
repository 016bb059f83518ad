import Foundation

/// What one insured person has used so far in the calendar year of the claim, from
/// their earlier settled claims: the engine takes it as a value and stays pure; the
/// ledger (or the claim JSON) supplies it.
public struct YearToDate: Hashable, Sendable {
    /// Fund pay of the year's earlier settled claims, counted against the annual cap.
    public var fundPaid: Fen
    /// Deductible (起付线) already used this year, per visit type.
    public var deductibleUsed: [VisitType: Fen]
    /// The year's fund pay before rounding and before the cap: the exact sum of
    /// ratio × (policy scope − deductible) of the earlier claims, in yuan. The fund's
    /// year total is rounded once, on this sum (see `SettlementEngine.claimFundPay`).
    public var fundAccrued: Decimal
    /// The year's qualifying amount for 大病保险 (policy-scope self-pay left by the basic
    /// fund), in yuan; what the critical-illness insurance paid; and what it accrued
    /// exactly, before rounding and its cap.
    public var criticalIllnessBase: Decimal = 0
    public var criticalIllnessPaid: Fen = .zero
    public var criticalIllnessAccrued: Decimal = 0
    /// The same for 医疗救助: its base (what was left after the other funds, and its share
    /// of the out-of-scope part), what it paid, and what it accrued exactly.
    public var assistanceBase: Decimal = 0
    public var assistancePaid: Fen = .zero
    public var assistanceAccrued: Decimal = 0

    /// Nothing used yet: the first claim of the year.
    public static let none = YearToDate(fundPaid: .zero, deductibleUsed: [:])

    /// `fundAccrued` defaults to `fundPaid`: what a ledger without the exact figure knows.
    public init(fundPaid: Fen, deductibleUsed: [VisitType: Fen], fundAccrued: Decimal? = nil) {
        self.fundPaid = fundPaid
        self.deductibleUsed = deductibleUsed
        self.fundAccrued = fundAccrued ?? fundPaid.yuan
    }

    /// Deductible used this year for one visit type.
    public func deductibleUsed(_ visit: VisitType) -> Fen { deductibleUsed[visit] ?? .zero }
}
