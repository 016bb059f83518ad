import Foundation

/// Settles claims under a regional policy (DESIGN.md, "Settlement"). Pure: the claim,
/// the policy and the insured person's year-to-date state in, the settlement out.
public enum SettlementEngine {
    /// Settles a claim under the policy period in force on its service date.
    /// Throws `SettlementError.policyDoesNotCover` when the policy lacks the claim's
    /// period, insurance type, visit type or institution level.
    public static func settle(_ claim: SettlementClaim, policy: Policy) throws -> ClaimSettlement {
        settle(claim, terms: try policy.terms(for: claim.context))
    }

    /// Settles a claim under terms already resolved from the policy.
    ///
    /// 1. Each line is split four ways and rounded half-up to the fen (`split`).
    /// 2. The decided lines' policy scope is summed; the deductible still open this year
    ///    (or this visit) is taken from it; the fund pays the ratio of the rest, rounded to
    ///    the fen on the year's total (`claimFundPay`), but no more than what is left of
    ///    the annual cap.
    /// 3. Deductible and fund pay are shared out over the decided lines in proportion to
    ///    their policy scope, in whole fen (`Fen.allocate`), so lines add up to the claim.
    /// 4. Held lines pay nothing yet; the claim is re-settled as if they were accepted to
    ///    show what the fund would add (`pendingFundPay`).
    public static func settle(_ claim: SettlementClaim, terms: SettlementTerms) -> ClaimSettlement {
        let context = claim.context
        let before = claim.yearToDate
        var lines = claim.lines.map { split($0, terms: terms) }

        var decidedScope = Fen.zero
        var proposedScope = Fen.zero
        for line in lines {
            proposedScope += line.policyScope
            if !line.held { decidedScope += line.policyScope }
        }
        let decided = claimFundPay(scope: decidedScope, terms: terms, visit: context.visitType, yearToDate: before)
        let proposed = claimFundPay(scope: proposedScope, terms: terms, visit: context.visitType, yearToDate: before)

        let weights = lines.map { $0.held ? Fen.zero : $0.policyScope }
        let deductibleShares = Fen.allocate(decided.deductible, over: weights)
        let fundShares = Fen.allocate(decided.fundPay, over: weights)

        for position in lines.indices where !lines[position].held {
            lines[position].deductible = deductibleShares[position]
            lines[position].fundPay = fundShares[position]
            lines[position].selfPay = lines[position].amount - fundShares[position]
            var reasons = lines[position].reasons
            if deductibleShares[position] != .zero { reasons.append(.deductible) }
            if fundShares[position] != .zero { reasons.append(.fundPay) }
            if decided.capReached, lines[position].policyScope != .zero { reasons.append(.annualCapReached) }
            if terms.outOfRegionReduction != 0, lines[position].policyScope != .zero { reasons.append(.outOfRegion) }
            lines[position].reasons = reasons.sorted()
        }
        var after = before
        let supplementary = settleSupplementary(&lines, terms: terms, yearToDate: before, after: &after)

        var totals = ClaimSettlement.Totals()
        for line in lines {
            totals.amount += line.amount
            totals.fullSelfPay += line.fullSelfPay
            totals.overLimit += line.overLimit
            totals.selfPayFirst += line.selfPayFirst
            totals.policyScope += line.policyScope
            totals.deductible += line.deductible
            totals.fundPay += line.fundPay
            totals.criticalIllnessPay += line.criticalIllnessPay
            totals.assistancePay += line.assistancePay
            totals.selfPay += line.selfPay
            totals.pending += line.pending
        }
        totals.pendingFundPay = proposed.fundPay - decided.fundPay

        after.fundPaid += decided.fundPay
        after.fundAccrued += decided.accrued
        if terms.deductibleBasis == .year {
            after.deductibleUsed[context.visitType] = before.deductibleUsed(context.visitType) + decided.deductible
        }
        let held = lines.contains { $0.held }
        return ClaimSettlement(
            claimId: context.claimId, status: held ? .needsReview : .settled, context: context, terms: terms,
            lines: lines, totals: totals, annualCapReached: decided.capReached,
            criticalIllnessCapReached: supplementary.criticalIllnessCapReached,
            assistanceCapReached: supplementary.assistanceCapReached,
            yearToDateBefore: before, yearToDateAfter: after)
    }

    /// 大病保险, then 医疗救助, on the decided lines after the basic fund.
    ///
    /// - The critical-illness insurance's base is the claim's policy scope less the basic
    ///   fund's pay (the deductible, the patient's share, anything past the annual cap).
    ///   It pays `accrued(year base after) − accrued(year base before)`: the bands apply
    ///   to the year's running total, so a claim that crosses the threshold or a tier
    ///   pays each part at its own ratio.
    /// - The assistance's base is what is left of that after the critical-illness pay,
    ///   plus `out_of_scope_share` of the out-of-scope parts (全自费, 超限价, 先行自付).
    /// - Each fund's pay is rounded on its year total, as the basic fund's is, then cut to
    ///   what is left of its yearly cap, and shared over the lines by their bases.
    ///
    /// Every base is a sum over the year's claims, so the year's totals per fund do not
    /// depend on the order the claims are settled in.
    static func settleSupplementary(
        _ lines: inout [LineSettlement], terms: SettlementTerms, yearToDate before: YearToDate, after: inout YearToDate
    ) -> (criticalIllnessCapReached: Bool, assistanceCapReached: Bool) {
        var capped = (criticalIllnessCapReached: false, assistanceCapReached: false)
        let decided = lines.indices.filter { !lines[$0].held }
        // What the patient owes within the policy scope after the basic fund, per line.
        var left = lines.map { $0.held ? Fen.zero : $0.policyScope - $0.fundPay }
        if let rules = terms.criticalIllness {
            let claimBase = max(Decimal(0), decided.reduce(Decimal(0)) { $0 + left[$1].yuan })
            let yearBase = before.criticalIllnessBase + claimBase
            let accrued = rules.accrued(onYearBase: yearBase) - rules.accrued(onYearBase: before.criticalIllnessBase)
            let pay = fundShare(accrued: accrued, accruedBefore: before.criticalIllnessAccrued, cap: rules.annualCap, paid: before.criticalIllnessPaid)
            capped.criticalIllnessCapReached = pay.capReached
            let shares = Fen.allocate(pay.fen, over: left.map { max(.zero, $0) })
            for position in decided {
                lines[position].criticalIllnessPay = shares[position]
                left[position] -= shares[position]
                if shares[position] != .zero { lines[position].reasons.append(.criticalIllness) }
                if pay.capReached, left[position] > .zero { lines[position].reasons.append(.criticalIllnessCapReached) }
            }
            after.criticalIllnessBase = yearBase
            after.criticalIllnessAccrued += accrued
            after.criticalIllnessPaid += pay.fen
        }
        if let rules = terms.assistance {
            // The exact base of each line: what is left in scope, and the share of the rest.
            // The claim's base keeps the two parts apart, each at zero or more: what is
            // left in scope is negative only for a claim of refunds, which no fund paid,
            // and the out-of-scope part depends on the claim's own lines alone; so the
            // year's base is the same whatever the order of the claims.
            let outOfScope = lines.indices.map { position -> Decimal in
                guard !lines[position].held else { return 0 }
                let line = lines[position]
                return (line.fullSelfPay + line.overLimit + line.selfPayFirst).yuan
            }
            let bases = lines.indices.map { position -> Decimal in
                lines[position].held ? 0 : left[position].yuan + rules.outOfScopeShare * outOfScope[position]
            }
            let inScope = decided.reduce(Decimal(0)) { $0 + left[$1].yuan }
            let claimBase = max(0, inScope) + rules.outOfScopeShare * max(0, outOfScope.reduce(0, +))
            let yearBase = before.assistanceBase + claimBase
            let accrued = rules.accrued(onYearBase: yearBase) - rules.accrued(onYearBase: before.assistanceBase)
            let pay = fundShare(accrued: accrued, accruedBefore: before.assistanceAccrued, cap: rules.annualCap, paid: before.assistancePaid)
            capped.assistanceCapReached = pay.capReached
            let shares = Fen.allocate(pay.fen, over: bases.map { max(.zero, Fen(yuan: $0)) })
            for position in decided {
                lines[position].assistancePay = shares[position]
                if shares[position] != .zero { lines[position].reasons.append(.medicalAssistance) }
                if pay.capReached, bases[position] > 0 { lines[position].reasons.append(.assistanceCapReached) }
            }
            after.assistanceBase = yearBase
            after.assistanceAccrued += accrued
            after.assistancePaid += pay.fen
        }
        for position in decided {
            let line = lines[position]
            lines[position].selfPay = line.amount - line.fundPay - line.criticalIllnessPay - line.assistancePay
            lines[position].reasons = Array(Set(line.reasons)).sorted()
        }
        return capped
    }

    /// A fund's pay for a claim: its exact accrual rounded on the year's total, then cut
    /// to what is left of its yearly cap. Every fund, the basic one included, pays so.
    private static func fundShare(accrued: Decimal, accruedBefore: Decimal, cap: Decimal, paid: Fen) -> (fen: Fen, capReached: Bool) {
        let uncapped = max(.zero, Fen(yuan: accruedBefore + accrued) - Fen(yuan: accruedBefore))
        let left = max(.zero, Fen(yuan: cap) - paid)
        return (min(uncapped, left), uncapped > left)
    }

    /// The claim-level figures for a policy-scope sum.
    struct ClaimFundPay: Hashable, Sendable {
        var deductible: Fen
        var fundPay: Fen
        var capReached: Bool
        /// ratio × (scope − deductible), exactly, before rounding and the cap.
        var accrued: Decimal
    }

    /// Deductible, fund pay and whether the annual cap bound, for a policy-scope sum.
    ///
    /// The fund's pay is rounded on the insured person's year total, not claim by claim:
    /// a claim pays round(accrued after it) − round(accrued before it), where "accrued" is
    /// the exact sum of ratio × (scope − deductible) over the year's claims. Rounding each
    /// claim on its own would let the order of two claims (which one absorbs the
    /// deductible) move a fen; this way, at one ratio, the year's total is the same in
    /// any order. A claim's figure differs from round(ratio × (scope − deductible)) by
    /// at most a fen, and only when earlier claims left a fraction of a fen.
    static func claimFundPay(scope: Fen, terms: SettlementTerms, visit: VisitType, yearToDate: YearToDate) -> ClaimFundPay {
        // A claim whose scope nets to nothing or less (refunds only) neither uses the
        // deductible nor draws on the fund: fund pay is never negative.
        guard scope > .zero else { return ClaimFundPay(deductible: .zero, fundPay: .zero, capReached: false, accrued: 0) }
        let deductibleLine = Fen(yuan: terms.deductible)
        let open: Fen
        switch terms.deductibleBasis {
        case .year: open = max(.zero, deductibleLine - yearToDate.deductibleUsed(visit))
        case .visit: open = deductibleLine
        }
        let deductible = min(scope, open)
        let accrued = (scope - deductible).yuan * terms.ratio
        let pay = fundShare(accrued: accrued, accruedBefore: yearToDate.fundAccrued, cap: terms.annualFundCap, paid: yearToDate.fundPaid)
        return ClaimFundPay(deductible: deductible, fundPay: pay.fen, capReached: pay.capReached, accrued: accrued)
    }

    /// The four-way split of one line, before the claim-level deductible and fund pay.
    static func split(_ line: SettlementLine, terms: SettlementTerms) -> LineSettlement {
        var reasons: [ReasonCode] = []
        var exactAmount = line.amount
        if exactAmount == nil, let quantity = line.quantity, let price = line.unitPrice {
            exactAmount = quantity * price
            reasons.append(.amountFromQuantity)
        }
        let signed = exactAmount.map { Fen(yuan: $0) } ?? .zero
        // A refund may print a negative quantity, a negative amount, or both: the line is
        // split on its magnitude and every part carries the sign.
        let negative = signed < .zero || (line.quantity.map { $0 < 0 } ?? false)
        let magnitude = signed < .zero ? -signed : signed
        if exactAmount == nil { reasons.append(.amountMissing) }
        if negative { reasons.append(.refund) }
        if magnitude == .zero, exactAmount != nil { reasons.append(.zeroAmount) }

        let held = line.isHeld || exactAmount == nil
        reasons += line.doubts
        if held { reasons.append(.heldForReview) }

        var fullSelfPay = Fen.zero
        var overLimit = Fen.zero
        var selfPayFirst = Fen.zero
        var policyScope = Fen.zero
        var priceCap: Decimal?
        var selfPayRatio: Decimal?
        let entryClass = line.entry?.reimbursementClass

        switch entryClass {
        case nil:
            fullSelfPay = magnitude
            reasons.append(.outOfCatalogue)
        case .c:
            fullSelfPay = magnitude
            reasons.append(.classCSelfPay)
        case .a, .b:
            if let cap = line.entry?.priceCap {
                let levelCap = cap * terms.priceCapMultiplier
                priceCap = levelCap
                overLimit = overCap(line, amount: magnitude, cap: levelCap)
                if overLimit != .zero { reasons.append(.overPriceCap) }
            }
            let rest = magnitude - overLimit
            if entryClass == .b {
                let ratio = line.entry?.selfPayRatio ?? terms.classBSelfPayRatio
                selfPayRatio = ratio
                selfPayFirst = rest.times(ratio)
                reasons.append(.classBSelfPayFirst)
                if line.entry?.selfPayRatio != nil { reasons.append(.classBRatioOverride) }
            } else {
                reasons.append(.classA)
            }
            policyScope = rest - selfPayFirst
        }
        let sign: (Fen) -> Fen = { negative ? -$0 : $0 }
        let amount = sign(magnitude)
        return LineSettlement(
            index: line.index, name: line.name, code: line.code ?? line.entry.flatMap { $0.code.isEmpty ? nil : $0.code },
            reimbursementClass: entryClass, zone: line.zone, held: held, quantity: line.quantity,
            unitPrice: line.unitPrice, priceCap: priceCap, selfPayRatio: selfPayRatio, amount: amount,
            fullSelfPay: sign(fullSelfPay), overLimit: sign(overLimit), selfPayFirst: sign(selfPayFirst),
            policyScope: sign(policyScope), deductible: .zero, fundPay: .zero, selfPay: held ? .zero : amount,
            pending: held ? amount : .zero, reasons: reasons.sorted())
    }

    /// 超限价: (unit price − cap) × quantity, rounded to the fen, never more than the
    /// line's amount. Without a unit price, the amount over the quantity is the price
    /// (one unit when the quantity is missing or zero).
    private static func overCap(_ line: SettlementLine, amount: Fen, cap: Decimal) -> Fen {
        let quantity = line.quantity.map { $0 < 0 ? -$0 : $0 } ?? 1
        let unitPrice: Decimal
        if let price = line.unitPrice {
            unitPrice = price < 0 ? -price : price
        } else if quantity != 0 {
            unitPrice = amount.yuan / quantity
        } else {
            unitPrice = amount.yuan
        }
        guard unitPrice > cap else { return .zero }
        let over = Fen(yuan: (unitPrice - cap) * (quantity == 0 ? 1 : quantity))
        return min(over, amount)
    }
}
