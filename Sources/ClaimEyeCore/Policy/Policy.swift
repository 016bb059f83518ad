import Foundation

/// One region's medical-insurance policy: the rules the fund settles claims by, in
/// periods with effective dates. Read from a TOML file with `Policy.parse(toml:source:)`;
/// the layout is documented in `Fixtures/policies/README.md`.
public struct Policy: Hashable, Sendable {
    /// A short identifier of the region, e.g. `east-sample`.
    public var region: String
    /// A human-readable name of the region's scheme.
    public var name: String
    /// Where the policy came from (a file path), for messages.
    public var source: String
    /// The periods, sorted by start date; they never overlap.
    public var periods: [PolicyPeriod]

    public init(region: String, name: String, source: String, periods: [PolicyPeriod]) {
        self.region = region
        self.name = name
        self.source = source
        self.periods = periods.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The period in force on an ISO date (`2026-03-14`), or nil.
    public func period(on date: String) -> PolicyPeriod? {
        periods.first { $0.covers(date) }
    }
}

/// How the deductible (起付线) accumulates.
public enum DeductibleBasis: String, Codable, Hashable, Sendable, CaseIterable {
    /// Once per calendar year for this visit type: what earlier claims used counts.
    case year
    /// Again for every claim (每次住院起付线: each admission pays its own).
    case visit
}

/// The rules in force between two dates.
public struct PolicyPeriod: Hashable, Sendable {
    /// First day in force, ISO `YYYY-MM-DD`.
    public var effectiveFrom: String
    /// Last day in force (inclusive), or nil when open-ended.
    public var effectiveTo: String?
    /// The institution levels (医院等级) this period defines, e.g. `[1, 2, 3]`.
    public var levels: [Int]
    /// 乙类先行自付比例: the share of a class-B line the patient pays first, unless the
    /// catalogue entry gives its own.
    public var classBSelfPayRatio: Decimal
    /// The factor applied to a catalogue price cap at each institution level (a level
    /// not listed uses 1): regions let higher-level hospitals charge more.
    public var priceCapMultiplier: [Int: Decimal]
    /// The rules of each insurance type (职工 / 居民).
    public var schemes: [InsuranceType: SchemeRules]
    /// This period's index in the file, for key paths in messages (`period[1]`).
    public var fileIndex: Int
    /// 大病保险, when the region has one.
    public var criticalIllness: CriticalIllnessRules?
    /// 医疗救助 by assistance category.
    public var assistance: [String: AssistanceRules]
    /// 异地就医, when the policy settles treatment outside the region.
    public var outOfRegion: OutOfRegionRules?

    public init(
        effectiveFrom: String, effectiveTo: String?, levels: [Int], classBSelfPayRatio: Decimal,
        priceCapMultiplier: [Int: Decimal], schemes: [InsuranceType: SchemeRules], fileIndex: Int,
        criticalIllness: CriticalIllnessRules? = nil, assistance: [String: AssistanceRules] = [:], outOfRegion: OutOfRegionRules? = nil
    ) {
        self.criticalIllness = criticalIllness
        self.assistance = assistance
        self.outOfRegion = outOfRegion
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.levels = levels
        self.classBSelfPayRatio = classBSelfPayRatio
        self.priceCapMultiplier = priceCapMultiplier
        self.schemes = schemes
        self.fileIndex = fileIndex
    }

    /// Whether an ISO date falls inside this period (ISO dates compare as strings).
    public func covers(_ date: String) -> Bool {
        date >= effectiveFrom && (effectiveTo.map { date <= $0 } ?? true)
    }
}

/// The rules of one insurance type within a period.
public struct SchemeRules: Hashable, Sendable {
    /// 封顶线: the most the fund pays one insured person in a calendar year, all visit types.
    public var annualFundCap: Decimal
    /// The rules of each visit type.
    public var visits: [VisitType: VisitRules]

    public init(annualFundCap: Decimal, visits: [VisitType: VisitRules]) {
        self.annualFundCap = annualFundCap
        self.visits = visits
    }
}

/// The rules of one visit type of one insurance type.
public struct VisitRules: Hashable, Sendable {
    /// 起付线 by institution level.
    public var deductible: [Int: Decimal]
    /// Whether the deductible is once a year or once a claim.
    public var deductibleBasis: DeductibleBasis
    /// 报销比例: the fund's share of the policy scope above the deductible, by level.
    public var ratio: [Int: Decimal]

    public init(deductible: [Int: Decimal], deductibleBasis: DeductibleBasis, ratio: [Int: Decimal]) {
        self.deductible = deductible
        self.deductibleBasis = deductibleBasis
        self.ratio = ratio
    }
}

/// The numbers that apply to one claim, resolved from the policy by its context.
public struct SettlementTerms: Hashable, Sendable {
    /// The region of the policy.
    public var region: String
    /// The start date of the policy period applied.
    public var periodFrom: String
    /// 报销比例 for the claim's insurance type × level × visit type.
    public var ratio: Decimal
    /// 起付线 for the claim's visit type and level.
    public var deductible: Decimal
    /// Whether the deductible counts per year or per claim.
    public var deductibleBasis: DeductibleBasis
    /// 封顶线 for the claim's insurance type.
    public var annualFundCap: Decimal
    /// The default class-B self-pay ratio.
    public var classBSelfPayRatio: Decimal
    /// The price-cap factor at the claim's level.
    public var priceCapMultiplier: Decimal
    /// 大病保险 for the claim's insurance type; nil when the region has none or it does
    /// not cover the type.
    public var criticalIllness: CriticalIllnessRules?
    /// 医疗救助 for the person's assistance category; nil without one.
    public var assistance: AssistanceRules?
    /// The person's assistance category, when any.
    public var assistanceCategory: String?
    /// Points taken off the basic fund's ratio for treatment outside the region (0 in it).
    public var outOfRegionReduction: Decimal = 0

    public init(
        region: String, periodFrom: String, ratio: Decimal, deductible: Decimal,
        deductibleBasis: DeductibleBasis, annualFundCap: Decimal, classBSelfPayRatio: Decimal,
        priceCapMultiplier: Decimal
    ) {
        self.region = region
        self.periodFrom = periodFrom
        self.ratio = ratio
        self.deductible = deductible
        self.deductibleBasis = deductibleBasis
        self.annualFundCap = annualFundCap
        self.classBSelfPayRatio = classBSelfPayRatio
        self.priceCapMultiplier = priceCapMultiplier
    }
}

extension Policy {
    /// The terms for a claim: the period in force on its service date, then its
    /// insurance type, visit type and institution level. A claim without a service
    /// date is settled only when the policy has a single period.
    public func terms(for context: ClaimContext) throws -> SettlementTerms {
        let period: PolicyPeriod
        if let date = context.serviceDate {
            guard let found = self.period(on: date) else {
                let spans = periods.map { "\($0.effectiveFrom)…\($0.effectiveTo ?? "")" }.joined(separator: ", ")
                throw SettlementError.policyDoesNotCover(
                    source: source, keyPath: "period",
                    message: "no period is in force on the service date \(date) (periods: \(spans))")
            }
            period = found
        } else if periods.count == 1, let only = periods.first {
            period = only
        } else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: "period",
                message: "the claim has no service_date and the policy has \(periods.count) periods to choose from")
        }
        let base = "period[\(period.fileIndex)]"
        let level = context.institutionLevel
        guard period.levels.contains(level) else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: "\(base).levels",
                message: "institution level \(level) of the claim is not one of \(period.levels)")
        }
        let typeKey = "\(base).\(context.insuranceType.rawValue)"
        guard let scheme = period.schemes[context.insuranceType] else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: typeKey, message: "insurance type '\(context.insuranceType.rawValue)' is not defined")
        }
        try Self.checkContext(context)
        let visitKey = "\(typeKey).\(context.visitType.rawValue)"
        guard let visit = scheme.visits[context.visitType] else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: visitKey, message: "visit type '\(context.visitType.rawValue)' is not defined")
        }
        guard let ratio = visit.ratio[level] else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: "\(visitKey).ratio.\(level)", message: "no ratio for institution level \(level)")
        }
        guard let deductible = visit.deductible[level] else {
            throw SettlementError.policyDoesNotCover(
                source: source, keyPath: "\(visitKey).deductible.\(level)", message: "no deductible for institution level \(level)")
        }
        var terms = SettlementTerms(
            region: region, periodFrom: period.effectiveFrom, ratio: ratio, deductible: deductible,
            deductibleBasis: visit.deductibleBasis, annualFundCap: scheme.annualFundCap,
            classBSelfPayRatio: period.classBSelfPayRatio,
            priceCapMultiplier: period.priceCapMultiplier[level] ?? 1)
        if let place = context.treatmentPlace, place != .inRegion {
            guard let rules = period.outOfRegion else {
                throw SettlementError.policyDoesNotCover(
                    source: source, keyPath: "\(base).out_of_region",
                    message: "the claim's treatment_place is \(place.rawValue) and the policy settles no treatment outside the region")
            }
            let reduction = place == .inProvince ? rules.inProvinceReduction
                : (context.filed == true ? rules.filedReduction : rules.unfiledReduction)
            terms.outOfRegionReduction = reduction
            terms.ratio = max(0, ratio - reduction)
            if let own = rules.deductible { terms.deductible = own }
        }
        if let rules = period.criticalIllness, rules.insuranceTypes.contains(context.insuranceType) {
            terms.criticalIllness = rules
        }
        if let category = context.assistanceCategory {
            guard let rules = period.assistance[category] else {
                let known = period.assistance.keys.sorted().joined(separator: ", ")
                throw SettlementError.policyDoesNotCover(
                    source: source, keyPath: "\(base).assistance.\(category)",
                    message: "the claim's assistance_category '\(category)' is not a category of the policy (\(known.isEmpty ? "it names none" : known))")
            }
            terms.assistance = rules
            terms.assistanceCategory = category
        }
        return terms
    }

    /// A context that contradicts itself is refused, naming the field: `filed` is said
    /// only of treatment out of the province.
    static func checkContext(_ context: ClaimContext) throws {
        if context.filed != nil, context.treatmentPlace != .outOfProvince {
            throw SettlementError.contextContradicts(
                field: "filed",
                message: "filed is said only of treatment out of the province, and the treatment_place is \((context.treatmentPlace ?? .inRegion).rawValue)")
        }
    }
}
