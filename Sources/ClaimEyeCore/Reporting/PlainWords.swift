/// Plain-English sentences (with the Chinese term) for the codes a claimant sees on a
/// statement.
extension ReasonCode {
    /// Why a line was settled as it was, in words a claimant can read.
    public var plainWords: String {
        switch self {
        case .heldForReview:
            "Held for a person to confirm the catalogue match before it is paid (待审核)."
        case .refund:
            "A refund or correction: every part of it counts negative (退费)."
        case .zeroAmount:
            "The amount is zero: there is nothing to pay (金额为零)."
        case .amountFromQuantity:
            "No amount was printed; it was worked out as quantity × unit price (数量×单价)."
        case .amountMissing:
            "No amount could be read; the line counts as zero until a person checks it (金额缺失)."
        case .arithmeticMismatch:
            "Quantity × unit price is not the amount given; held until a person checks which is right (数量×单价≠金额)."
        case .classA:
            "Class A (甲类): fully within the policy scope."
        case .classBSelfPayFirst:
            "Class B (乙类): you first pay the class-B share (先行自付); the rest is within the policy scope."
        case .classBRatioOverride:
            "The catalogue sets this item's own class-B self-pay share (单独自付比例)."
        case .classCSelfPay:
            "Class C (丙类): not covered by the fund; you pay all of it (全自费)."
        case .outOfCatalogue:
            "Not in the insurance catalogue (目录外): you pay all of it (全自费) unless a person finds the item."
        case .overPriceCap:
            "The price is above the insurance price cap; you pay the part above the cap (超限价)."
        case .deductible:
            "Part of it went toward the deductible (起付线), which you pay yourself."
        case .fundPay:
            "The fund paid its ratio of the part within the policy scope (统筹基金支付)."
        case .annualCapReached:
            "The annual fund cap (封顶线) was reached: the fund pays no more this year."
        case .outOfRegion:
            "Treated outside your insurance region (异地就医): the fund's ratio is lower."
        case .criticalIllness:
            "The critical-illness insurance (大病保险) paid part of what you owed within the policy scope."
        case .criticalIllnessCapReached:
            "The critical-illness insurance's yearly cap (大病保险封顶线) was reached: it pays no more this year."
        case .medicalAssistance:
            "Medical assistance (医疗救助) paid part of what was left to you."
        case .assistanceCapReached:
            "The medical assistance's yearly cap (医疗救助封顶线) was reached: it pays no more this year."
        }
    }
}

extension AuditRuleID {
    /// What the rule checks, in words a claimant can read.
    public var plainWords: String {
        switch self {
        case .duplicateInvoice:
            "This invoice number was already claimed (重复报销): it is held for review."
        case .duplicateContent:
            "This bill matches one already claimed, scanned again (重复报销): it is held for review."
        case .duplicatePage:
            "This page is the same file as a page already submitted (重复提交): it is held for review."
        case .lineArithmetic:
            "Quantity × unit price does not match the amount on this line (金额不符)."
        case .printedTotal:
            "The lines do not add up to the total printed on the bill (合计不符)."
        case .detailListNeeded:
            "The invoice lists only fee categories: the detail list (费用清单) is needed to settle it item by item."
        case .invoiceReconciliation:
            "The detail list does not add up to what the invoice prints for its fee categories (票据与清单不符)."
        case .priceAboveCap:
            "The price is above the insurance price cap (超限价); the part above it is self-paid."
        case .quantityAboveLimit:
            "The quantity is above the usual limit for this item (超量)."
        case .duplicateLine:
            "The same item at the same price appears twice (重复收费)."
        case .restrictedUse:
            "The fund pays for this item only under stated conditions (限定支付范围): a person checks them."
        case .sexRestriction:
            "The catalogue restricts this item to patients of the other sex (性别限制)."
        case .ageRestriction:
            "The catalogue restricts this item to another age group (年龄限制)."
        case .lowOCRConfidence:
            "A figure on this line was hard to read from the scan (识别置信度低): a person checks it."
        case .repeatedDispensing:
            "The same drug was dispensed to you a few days earlier (重复开药)."
        case .settlementDiffers:
            "The hospital's own settlement printed on the invoice (医院结算) differs from this one: a person checks which is right."
        }
    }
}
