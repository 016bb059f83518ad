import Foundation

extension ClaimSettlement {
    /// The settlement as JSON: snake_case keys, sorted; money as strings with two
    /// decimals; ratios, prices and quantities as decimal strings. The same settlement
    /// always gives the same bytes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// A decimal as plain text: `0.85`, `3`, `0.125`.
func decimalText(_ value: Decimal) -> String {
    value.description
}

/// A price: two decimals when it is a whole number of fen (`12.50`), else every digit
/// (`0.125`), so a unit price or cap is never shown rounded.
func priceText(_ value: Decimal) -> String {
    let fen = Fen(yuan: value)
    return fen.yuan == value ? fen.description : value.description
}

extension Fen: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ClaimSettlement: Encodable {
    private enum Keys: String, CodingKey {
        case claimId = "claim_id", status, context, policy, lines, totals
        case annualCapReached = "annual_cap_reached"
        case yearToDateBefore = "year_to_date_before", yearToDateAfter = "year_to_date_after"
        case criticalIllnessCapReached = "critical_illness_cap_reached", assistanceCapReached = "assistance_cap_reached"
    }

    /// The supplementary funds the claim's terms have: their figures appear in the JSON
    /// only then, so a claim under a policy without them reads as before.
    public var funds: SupplementaryFunds {
        SupplementaryFunds(criticalIllness: terms.criticalIllness != nil, assistance: terms.assistance != nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(claimId, forKey: .claimId)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(ContextJSON(context), forKey: .context)
        try container.encode(TermsJSON(terms), forKey: .policy)
        try container.encode(lines.map { WithFunds(base: $0, funds: funds, criticalIllness: $0.criticalIllnessPay, assistance: $0.assistancePay) }, forKey: .lines)
        try container.encode(WithFunds(base: totals, funds: funds, criticalIllness: totals.criticalIllnessPay, assistance: totals.assistancePay), forKey: .totals)
        try container.encode(annualCapReached, forKey: .annualCapReached)
        if funds.criticalIllness { try container.encode(criticalIllnessCapReached, forKey: .criticalIllnessCapReached) }
        if funds.assistance { try container.encode(assistanceCapReached, forKey: .assistanceCapReached) }
        try container.encode(YearToDateJSON(yearToDateBefore, funds: funds), forKey: .yearToDateBefore)
        try container.encode(YearToDateJSON(yearToDateAfter, funds: funds), forKey: .yearToDateAfter)
    }
}

extension ClaimSettlement.Totals: Encodable {
    private enum Keys: String, CodingKey {
        case amount, deductible, pending
        case fullSelfPay = "full_self_pay", overLimit = "over_limit", selfPayFirst = "self_pay_first"
        case policyScope = "policy_scope", fundPay = "fund_pay", selfPay = "self_pay"
        case pendingFundPay = "pending_fund_pay"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(amount, forKey: .amount)
        try container.encode(fullSelfPay, forKey: .fullSelfPay)
        try container.encode(overLimit, forKey: .overLimit)
        try container.encode(selfPayFirst, forKey: .selfPayFirst)
        try container.encode(policyScope, forKey: .policyScope)
        try container.encode(deductible, forKey: .deductible)
        try container.encode(fundPay, forKey: .fundPay)
        try container.encode(selfPay, forKey: .selfPay)
        try container.encode(pending, forKey: .pending)
        try container.encode(pendingFundPay, forKey: .pendingFundPay)
    }
}

extension LineSettlement: Encodable {
    private enum Keys: String, CodingKey {
        case index, name, code, zone, held, quantity, amount, deductible, pending, reasons
        case reimbursementClass = "class", unitPrice = "unit_price", priceCap = "price_cap"
        case selfPayRatio = "self_pay_ratio", fullSelfPay = "full_self_pay", overLimit = "over_limit"
        case selfPayFirst = "self_pay_first", policyScope = "policy_scope", fundPay = "fund_pay"
        case selfPay = "self_pay"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(index, forKey: .index)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(reimbursementClass?.rawValue, forKey: .reimbursementClass)
        try container.encode(zone.rawValue, forKey: .zone)
        try container.encode(held, forKey: .held)
        try container.encodeIfPresent(quantity.map(decimalText), forKey: .quantity)
        try container.encodeIfPresent(unitPrice.map(priceText), forKey: .unitPrice)
        try container.encodeIfPresent(priceCap.map(priceText), forKey: .priceCap)
        try container.encodeIfPresent(selfPayRatio.map(decimalText), forKey: .selfPayRatio)
        try container.encode(amount, forKey: .amount)
        try container.encode(fullSelfPay, forKey: .fullSelfPay)
        try container.encode(overLimit, forKey: .overLimit)
        try container.encode(selfPayFirst, forKey: .selfPayFirst)
        try container.encode(policyScope, forKey: .policyScope)
        try container.encode(deductible, forKey: .deductible)
        try container.encode(fundPay, forKey: .fundPay)
        try container.encode(selfPay, forKey: .selfPay)
        try container.encode(pending, forKey: .pending)
        try container.encode(reasons.map(\.rawValue), forKey: .reasons)
    }
}

/// Which supplementary funds a claim's figures carry.
public struct SupplementaryFunds: Hashable, Sendable {
    public var criticalIllness: Bool
    public var assistance: Bool
}

/// A line's or the totals' JSON with the supplementary funds' pay beside the basic
/// fund's, for the funds the claim has.
private struct WithFunds<Base: Encodable>: Encodable {
    var base: Base
    var funds: SupplementaryFunds
    var criticalIllness: Fen
    var assistance: Fen

    private enum Keys: String, CodingKey {
        case criticalIllnessPay = "critical_illness_pay", assistancePay = "assistance_pay"
    }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        if funds.criticalIllness { try container.encode(criticalIllness, forKey: .criticalIllnessPay) }
        if funds.assistance { try container.encode(assistance, forKey: .assistancePay) }
    }
}

private struct ContextJSON: Encodable {
    var context: ClaimContext
    init(_ context: ClaimContext) { self.context = context }

    private enum Keys: String, CodingKey {
        case insuranceType = "insurance_type", institutionLevel = "institution_level"
        case visitType = "visit_type", serviceDate = "service_date", insuredId = "insured_id"
        case assistanceCategory = "assistance_category", treatmentPlace = "treatment_place", filed
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(context.insuranceType.rawValue, forKey: .insuranceType)
        try container.encode(context.institutionLevel, forKey: .institutionLevel)
        try container.encode(context.visitType.rawValue, forKey: .visitType)
        try container.encodeIfPresent(context.serviceDate, forKey: .serviceDate)
        // Masked: settlement output may be shared, and the id is only needed to tell
        // claims of the same person apart.
        try container.encodeIfPresent(context.insuredId.map(maskPersonal), forKey: .insuredId)
        try container.encodeIfPresent(context.assistanceCategory, forKey: .assistanceCategory)
        try container.encodeIfPresent(context.treatmentPlace?.rawValue, forKey: .treatmentPlace)
        try container.encodeIfPresent(context.filed, forKey: .filed)
    }
}

private struct TermsJSON: Encodable {
    var terms: SettlementTerms
    init(_ terms: SettlementTerms) { self.terms = terms }

    private enum Keys: String, CodingKey {
        case region, ratio, deductible
        case periodFrom = "period_from", deductibleBasis = "deductible_basis"
        case annualFundCap = "annual_fund_cap", classBSelfPayRatio = "class_b_self_pay_ratio"
        case priceCapMultiplier = "price_cap_multiplier"
        case outOfRegionReduction = "out_of_region_ratio_reduction", criticalIllness = "critical_illness", assistance
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(terms.region, forKey: .region)
        try container.encode(terms.periodFrom, forKey: .periodFrom)
        try container.encode(decimalText(terms.ratio), forKey: .ratio)
        try container.encode(Fen(yuan: terms.deductible), forKey: .deductible)
        try container.encode(terms.deductibleBasis.rawValue, forKey: .deductibleBasis)
        try container.encode(Fen(yuan: terms.annualFundCap), forKey: .annualFundCap)
        try container.encode(decimalText(terms.classBSelfPayRatio), forKey: .classBSelfPayRatio)
        try container.encode(decimalText(terms.priceCapMultiplier), forKey: .priceCapMultiplier)
        if terms.outOfRegionReduction != 0 { try container.encode(decimalText(terms.outOfRegionReduction), forKey: .outOfRegionReduction) }
        if let rules = terms.criticalIllness {
            try container.encode(
                [
                    "threshold": Fen(yuan: rules.threshold).description, "annual_cap": Fen(yuan: rules.annualCap).description,
                    "tiers": rules.tiers.map { "\(Fen(yuan: $0.from))…\($0.to.map { Fen(yuan: $0).description } ?? ""): \(decimalText($0.ratio))" }
                        .joined(separator: "; "),
                ], forKey: .criticalIllness)
        }
        if let rules = terms.assistance {
            try container.encode(
                [
                    "category": terms.assistanceCategory ?? "", "ratio": decimalText(rules.ratio),
                    "threshold": Fen(yuan: rules.threshold).description, "annual_cap": Fen(yuan: rules.annualCap).description,
                    "out_of_scope_share": decimalText(rules.outOfScopeShare),
                ], forKey: .assistance)
        }
    }
}

private struct YearToDateJSON: Encodable {
    var state: YearToDate
    var funds: SupplementaryFunds
    init(_ state: YearToDate, funds: SupplementaryFunds) {
        self.state = state
        self.funds = funds
    }

    private enum Keys: String, CodingKey {
        case fundPaid = "fund_paid", deductibleUsed = "deductible_used", fundAccrued = "fund_accrued"
        case criticalIllnessBase = "critical_illness_base", criticalIllnessPaid = "critical_illness_paid"
        case criticalIllnessAccrued = "critical_illness_accrued"
        case assistanceBase = "assistance_base", assistancePaid = "assistance_paid", assistanceAccrued = "assistance_accrued"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(state.fundPaid, forKey: .fundPaid)
        try container.encode(decimalText(state.fundAccrued), forKey: .fundAccrued)
        var used: [String: Fen] = [:]
        for visit in VisitType.allCases { used[visit.rawValue] = state.deductibleUsed(visit) }
        try container.encode(used, forKey: .deductibleUsed)
        if funds.criticalIllness {
            try container.encode(decimalText(state.criticalIllnessBase), forKey: .criticalIllnessBase)
            try container.encode(state.criticalIllnessPaid, forKey: .criticalIllnessPaid)
            try container.encode(decimalText(state.criticalIllnessAccrued), forKey: .criticalIllnessAccrued)
        }
        if funds.assistance {
            try container.encode(decimalText(state.assistanceBase), forKey: .assistanceBase)
            try container.encode(state.assistancePaid, forKey: .assistancePaid)
            try container.encode(decimalText(state.assistanceAccrued), forKey: .assistanceAccrued)
        }
    }
}
