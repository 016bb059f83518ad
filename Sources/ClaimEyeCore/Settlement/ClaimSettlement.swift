import Foundation

/// The settlement of one claim: every line's split and fund share, the claim's totals
/// and the year-to-date state after it.
public struct ClaimSettlement: Hashable, Sendable {
    /// `settled`: paid as shown. `needsReview`: some lines wait for a person; the
    /// figures are what is decided now, and `pendingFundPay` what the fund would add
    /// once the held lines are accepted as proposed.
    public enum Status: String, Codable, Hashable, Sendable {
        case settled
        case needsReview = "needs_review"
    }

    public var claimId: String
    public var status: Status
    public var context: ClaimContext
    /// The numbers the policy gave this claim.
    public var terms: SettlementTerms
    public var lines: [LineSettlement]
    public var totals: Totals
    /// Whether the annual fund cap (封顶线) cut this claim's fund pay.
    public var annualCapReached: Bool
    public var yearToDateBefore: YearToDate
    public var yearToDateAfter: YearToDate

    /// The claim's sums: each is the sum of the lines' rounded figures.
    public struct Totals: Hashable, Sendable {
        public var amount: Fen = .zero
        public var fullSelfPay: Fen = .zero
        public var overLimit: Fen = .zero
        public var selfPayFirst: Fen = .zero
        public var policyScope: Fen = .zero
        /// The deductible taken from the decided lines' policy scope.
        public var deductible: Fen = .zero
        public var fundPay: Fen = .zero
        public var selfPay: Fen = .zero
        /// The amount of held lines, neither paid nor charged yet.
        public var pending: Fen = .zero
        /// What the fund would pay in addition once every held line is accepted as
        /// proposed (the whole claim re-settled, deductible and cap included).
        public var pendingFundPay: Fen = .zero

        public init() {}
    }
}

/// The settlement of one line.
///
/// `amount = fullSelfPay + overLimit + selfPayFirst + policyScope` always, and for a
/// decided line `amount = fundPay + selfPay`; a held line has `pending = amount` and no
/// fund pay or self-pay yet (its split shows how it would settle).
public struct LineSettlement: Hashable, Sendable {
    public var index: Int
    public var name: String
    public var code: String?
    public var reimbursementClass: ReimbursementClass?
    public var zone: SettlementLine.Zone
    public var held: Bool
    public var quantity: Decimal?
    public var unitPrice: Decimal?
    /// The price cap at the claim's institution level (entry cap × the level's factor).
    public var priceCap: Decimal?
    /// The class-B self-pay ratio applied (entry override or policy default).
    public var selfPayRatio: Decimal?
    public var amount: Fen
    /// 全自费: 丙类 or out of catalogue.
    public var fullSelfPay: Fen
    /// 超限价: the part of the unit price above the cap, times the quantity.
    public var overLimit: Fen
    /// 先行自付: 乙类 × the class-B self-pay ratio of what is left.
    public var selfPayFirst: Fen
    /// 符合政策范围: the rest.
    public var policyScope: Fen
    /// This line's share of the claim's deductible.
    public var deductible: Fen
    /// This line's share of the claim's fund pay.
    public var fundPay: Fen
    /// amount − fund pay, for a decided line.
    public var selfPay: Fen
    /// The amount of a held line.
    public var pending: Fen
    public var reasons: [ReasonCode]
}
