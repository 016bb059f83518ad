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
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(claimId, forKey: .claimId)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(ContextJSON(context), forKey: .context)
        try container.encode(TermsJSON(terms), forKey: .policy)
        try container.encode(lines, forKey: .lines)
        try container.encode(totals, forKey: .totals)
        try container.encode(annualCapReached, forKey: .annualCapReached)
        try container.encode(YearToDateJSON(yearToDateBefore), forKey: .yearToDateBefore)
        try container.encode(YearToDateJSON(yearToDateAfter), forKey: .yearToDateAfter)
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

private struct ContextJSON: Encodable {
    var context: ClaimContext
    init(_ context: ClaimContext) { self.context = context }

    private enum Keys: String, CodingKey {
        case insuranceType = "insurance_type", institutionLevel = "institution_level"
        case visitType = "visit_type", serviceDate = "service_date", insuredId = "insured_id"
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
    }
}

private struct YearToDateJSON: Encodable {
    var state: YearToDate
    init(_ state: YearToDate) { self.state = state }

    private enum Keys: String, CodingKey {
        case fundPaid = "fund_paid", deductibleUsed = "deductible_used", fundAccrued = "fund_accrued"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(state.fundPaid, forKey: .fundPaid)
        try container.encode(decimalText(state.fundAccrued), forKey: .fundAccrued)
        var used: [String: Fen] = [:]
        for visit in VisitType.allCases { used[visit.rawValue] = state.deductibleUsed(visit) }
        try container.encode(used, forKey: .deductibleUsed)
    }
}
