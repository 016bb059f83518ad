/// The audit rules (DESIGN.md, "Audit (smart supervision)"): each has a stable id that
/// the config, the ledger and the outputs use. Rules are checked, and their flags
/// listed, in the order of this enumeration.
public enum AuditRuleID: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// 重复报销: the invoice code + number was already claimed.
    case duplicateInvoice = "DUPLICATE_INVOICE"
    /// The document's content signature (hospital, date, total, item amounts) matches an
    /// earlier claim's: a re-scan or re-photograph of a document already claimed.
    case duplicateContent = "DUPLICATE_CONTENT"
    /// A page's SHA-256 equals a page of an earlier claim: the same file again.
    case duplicatePage = "DUPLICATE_PAGE"
    /// quantity × unit price ≠ amount on a line.
    case lineArithmetic = "LINE_ARITHMETIC"
    /// The lines do not sum to the printed total (合计).
    case printedTotal = "PRINTED_TOTAL"
    /// The invoice lists only fee categories (检查费 53.00): its detail list (费用清单) is
    /// needed to settle item by item.
    case detailListNeeded = "DETAIL_LIST_NEEDED"
    /// An invoice's category lines disagree with the claim's item lines: the items of a
    /// category do not sum to its line, or the items to the categories' sum.
    case invoiceReconciliation = "INVOICE_RECONCILIATION"
    /// 超限价: the unit price is above the catalogue's price cap.
    case priceAboveCap = "PRICE_ABOVE_CAP"
    /// The quantity on a line is above the configured limit for its entry or kind.
    case quantityAboveLimit = "QUANTITY_ABOVE_LIMIT"
    /// The same name, spec, unit price and amount twice in one claim.
    case duplicateLine = "DUPLICATE_LINE"
    /// 限定支付范围: the entry is paid only under conditions a person must confirm.
    case restrictedUse = "RESTRICTED_USE"
    /// The entry is restricted to one sex (限女性 …) and the claimant is of the other.
    case sexRestriction = "SEX_RESTRICTION"
    /// The entry is restricted to an age group (限儿童, 限18岁以上 …) the claimant is outside.
    case ageRestriction = "AGE_RESTRICTION"
    /// A money field (unit price, amount, printed total) was read with low confidence.
    case lowOCRConfidence = "LOW_OCR_CONFIDENCE"
    /// 重复开药: the same drug was dispensed to the same insured person within the window.
    case repeatedDispensing = "REPEATED_DISPENSING"
    /// The invoice prints the hospital's own settlement (统筹基金支付, 大病保险, 医疗救助,
    /// 个人自付) and claimeye's differs by more than the configured tolerance.
    case settlementDiffers = "SETTLEMENT_DIFFERS"

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: AuditRuleID, rhs: AuditRuleID) -> Bool { lhs.order < rhs.order }
}

/// What a flag does to the claim.
public enum AuditSeverity: String, Codable, Hashable, Sendable, CaseIterable {
    /// The claim is held for review (`needs_review`) until a person decides.
    case block
    /// Flagged for the record; the claim settles as it is.
    case warn
}
