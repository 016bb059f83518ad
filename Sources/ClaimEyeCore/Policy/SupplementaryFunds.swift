import Foundation

/// 大病保险: after the basic fund, part of what the patient still owes within the policy
/// scope, above a yearly threshold, in bands of that amount with rising ratios, up to a
/// yearly cap.
public struct CriticalIllnessRules: Hashable, Sendable {
    /// One band of the qualifying amount above the threshold: `from` up to `to` (open
    /// when nil), paid at `ratio`.
    public struct Tier: Hashable, Sendable {
        public var from: Decimal
        public var to: Decimal?
        public var ratio: Decimal

        public init(from: Decimal, to: Decimal?, ratio: Decimal) {
            self.from = from
            self.to = to
            self.ratio = ratio
        }
    }

    /// The year's qualifying amount (policy-scope self-pay left by the basic fund) the
    /// insurance starts above.
    public var threshold: Decimal
    /// Bands of the amount above the threshold, from 0, without gap or overlap.
    public var tiers: [Tier]
    /// The most it pays a person in a year.
    public var annualCap: Decimal
    /// The schemes it covers.
    public var insuranceTypes: [InsuranceType]

    public init(threshold: Decimal, tiers: [Tier], annualCap: Decimal, insuranceTypes: [InsuranceType]) {
        self.threshold = threshold
        self.tiers = tiers
        self.annualCap = annualCap
        self.insuranceTypes = insuranceTypes
    }

    /// What the insurance pays, exactly and before the cap, on a year's qualifying
    /// amount `base`: each band's ratio on the part of `base − threshold` inside it. A
    /// year's payment is this function of the year's total, so claims can come in any
    /// order.
    public func accrued(onYearBase base: Decimal) -> Decimal {
        let above = base - threshold
        guard above > 0 else { return 0 }
        var total: Decimal = 0
        for tier in tiers where above > tier.from {
            let top = tier.to.map { min(above, $0) } ?? above
            total += (top - tier.from) * tier.ratio
        }
        return total
    }
}

/// 医疗救助: for a person of an assistance category, part of what is left after the
/// basic fund and the critical-illness insurance, above a yearly threshold, up to a
/// yearly cap.
public struct AssistanceRules: Hashable, Sendable {
    public var ratio: Decimal
    /// The year's assistance base the assistance starts above.
    public var threshold: Decimal
    public var annualCap: Decimal
    /// The share of what is outside the policy scope (全自费, 超限价, 先行自付) that counts
    /// toward the base too; 0 when only the policy scope counts.
    public var outOfScopeShare: Decimal

    public init(ratio: Decimal, threshold: Decimal, annualCap: Decimal, outOfScopeShare: Decimal) {
        self.ratio = ratio
        self.threshold = threshold
        self.annualCap = annualCap
        self.outOfScopeShare = outOfScopeShare
    }

    /// What the assistance pays, exactly and before the cap, on a year's base.
    public func accrued(onYearBase base: Decimal) -> Decimal {
        base > threshold ? (base - threshold) * ratio : 0
    }
}

/// 异地就医: treatment outside the region where the person is insured. The basic fund's
/// ratio is lowered by some percentage points (more when the treatment was not filed
/// with the insurer), and a deductible of its own may apply.
public struct OutOfRegionRules: Hashable, Sendable {
    /// Points off the ratio for treatment elsewhere in the province.
    public var inProvinceReduction: Decimal
    /// Points off the ratio for treatment out of the province, filed (备案).
    public var filedReduction: Decimal
    /// Points off the ratio for treatment out of the province, not filed.
    public var unfiledReduction: Decimal
    /// A deductible that replaces the visit's own for treatment out of the region.
    public var deductible: Decimal?

    public init(inProvinceReduction: Decimal, filedReduction: Decimal, unfiledReduction: Decimal, deductible: Decimal?) {
        self.inProvinceReduction = inProvinceReduction
        self.filedReduction = filedReduction
        self.unfiledReduction = unfiledReduction
        self.deductible = deductible
    }
}
