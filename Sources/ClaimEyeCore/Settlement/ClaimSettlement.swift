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

    /// The claim's id, from its context.
    public var claimId: String
    /// Settled, or waiting for a person.
    public var status: Status
    /// The context the claim was settled in.
    public var context: ClaimContext
    /// The numbers the policy gave this claim.
    public var terms: SettlementTerms
    /// Every line, in the claim's order.
    public var lines: [LineSettlement]
    /// The sums of the lines.
    public var totals: Totals
    /// Whether the annual fund cap (封顶线) cut this claim's fund pay.
    public var annualCapReached: Bool
    /// Whether the critical-illness insurance's or the assistance's yearly cap cut them.
    public var criticalIllnessCapReached = false
    public var assistanceCapReached = false
    /// The insured person's state before this claim, as given.
    public var yearToDateBefore: YearToDate
    /// The state after this claim: the next claim of the same person and year starts here.
    public var yearToDateAfter: YearToDate

    /// The claim's sums: each is the sum of the lines' rounded figures.
    public struct Totals: Hashable, Sendable {
        /// The sum of the lines' amounts.
        public var amount: Fen = .zero
        /// 全自费 of every line.
        public var fullSelfPay: Fen = .zero
        /// 超限价 of every line.
        public var overLimit: Fen = .zero
        /// 先行自付 of every line.
        public var selfPayFirst: Fen = .zero
        /// 符合政策范围 of every line, held lines included (as proposed).
        public var policyScope: Fen = .zero
        /// The deductible taken from the decided lines' policy scope.
        public var deductible: Fen = .zero
        /// 统筹基金支付: what the fund pays for the decided lines.
        public var fundPay: Fen = .zero
        /// 大病保险 and 医疗救助 paid for the decided lines.
        public var criticalIllnessPay: Fen = .zero
        public var assistancePay: Fen = .zero
        /// 个人自付: what the patient pays for the decided lines.
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
/// decided line `amount = fundPay + criticalIllnessPay + assistancePay + selfPay`; a held line has `pending = amount` and no
/// fund pay or self-pay yet (its split shows how it would settle).
public struct LineSettlement: Hashable, Sendable {
    /// The line's position in the claim (zero-based).
    public var index: Int
    /// The line's name.
    public var name: String
    /// The printed or matched catalogue code.
    public var code: String?
    /// The matched entry's class; nil when out of catalogue.
    public var reimbursementClass: ReimbursementClass?
    /// Where the matcher put the line.
    public var zone: SettlementLine.Zone
    /// Whether the line waits for a person (no fund pay or self-pay yet).
    public var held: Bool
    /// The quantity as given; negative for a refund.
    public var quantity: Decimal?
    /// The unit price as given.
    public var unitPrice: Decimal?
    /// The price cap at the claim's institution level (entry cap × the level's factor).
    public var priceCap: Decimal?
    /// The class-B self-pay ratio applied (entry override or policy default).
    public var selfPayRatio: Decimal?
    /// The line's amount rounded to the fen; negative for a refund.
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
    /// This line's share of the critical-illness insurance's and the assistance's pay.
    public var criticalIllnessPay: Fen = .zero
    public var assistancePay: Fen = .zero
    /// amount − the funds' pay, for a decided line.
    public var selfPay: Fen
    /// The amount of a held line.
    public var pending: Fen
    /// Why the line settled as it did, in `ReasonCode` order.
    public var reasons: [ReasonCode]
}
