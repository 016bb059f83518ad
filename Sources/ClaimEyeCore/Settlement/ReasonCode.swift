/// Why a line was settled as it was. Every line carries at least one code; codes are
/// listed in the order of this enumeration, so output is stable.
public enum ReasonCode: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// The line waits for a person: its match is in the review zone, or it has none.
    case heldForReview = "HELD_FOR_REVIEW"
    /// Negative quantity or amount: a refund or correction; every part of it is negative.
    case refund = "REFUND"
    /// The line's amount is zero: nothing to split.
    case zeroAmount = "ZERO_AMOUNT"
    /// The amount was not given and was computed as quantity × unit price.
    case amountFromQuantity = "AMOUNT_FROM_QUANTITY"
    /// Neither an amount nor quantity and unit price: the line counts as zero and is held.
    case amountMissing = "AMOUNT_MISSING"
    /// Quantity × unit price is not the line's amount: held until a person says which is right.
    case arithmeticMismatch = "ARITHMETIC_MISMATCH"
    /// 甲类: fully inside the policy scope.
    case classA = "CLASS_A"
    /// 乙类先行自付: the class-B self-pay ratio was taken first.
    case classBSelfPayFirst = "CLASS_B_SELF_PAY_FIRST"
    /// The catalogue entry's own class-B ratio replaced the policy default.
    case classBRatioOverride = "CLASS_B_RATIO_OVERRIDE"
    /// 丙类: outside the fund's coverage, all self-paid (全自费).
    case classCSelfPay = "CLASS_C_SELF_PAY"
    /// No catalogue entry: all self-paid (全自费) unless a person finds the match.
    case outOfCatalogue = "OUT_OF_CATALOGUE"
    /// 超限价: the unit price is above the price cap at the claim's institution level.
    case overPriceCap = "OVER_PRICE_CAP"
    /// Part of the line's policy scope went to the deductible (起付线).
    case deductible = "DEDUCTIBLE"
    /// The fund paid its ratio of the line's policy scope above the deductible.
    case fundPay = "FUND_PAY"
    /// 封顶线: the annual fund cap cut the fund's payment.
    case annualCapReached = "ANNUAL_CAP_REACHED"
    /// Treated outside the region: the basic fund's ratio was lowered (异地就医).
    case outOfRegion = "OUT_OF_REGION"
    /// 大病保险 paid part of the line's policy-scope self-pay.
    case criticalIllness = "CRITICAL_ILLNESS"
    /// The critical-illness insurance's yearly cap cut its payment.
    case criticalIllnessCapReached = "CRITICAL_ILLNESS_CAP_REACHED"
    /// 医疗救助 paid part of what was left.
    case medicalAssistance = "MEDICAL_ASSISTANCE"
    /// The medical assistance's yearly cap cut its payment.
    case assistanceCapReached = "ASSISTANCE_CAP_REACHED"

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.order < rhs.order }
}
