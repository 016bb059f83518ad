import Foundation

/// Which audit rules run, how serious each is, and their thresholds. The defaults are
/// what a claim gets without an `[audit]` table in the config; `AuditConfig+TOML.swift`
/// reads one.
public struct AuditConfig: Hashable, Sendable {
    /// One rule's switch and severity.
    public struct RuleSetting: Hashable, Sendable {
        public var enabled: Bool
        public var severity: AuditSeverity

        public init(enabled: Bool = true, severity: AuditSeverity) {
            self.enabled = enabled
            self.severity = severity
        }
    }

    /// Every rule's setting; a rule missing here runs with its default.
    public var rules: [AuditRuleID: RuleSetting]
    /// A money field read with a confidence below this (0–1, the parser's scale) is
    /// flagged by `LOW_OCR_CONFIDENCE`.
    public var lowConfidence: Double
    /// `REPEATED_DISPENSING` fires when the same drug was dispensed to the same person
    /// within this many days (either side of the service date).
    public var dispensingWindowDays: Int
    /// The most units one line may hold for an entry of each kind.
    public var defaultQuantityLimits: [CatalogueKind: Decimal]
    /// Per-entry limits by catalogue code; they override the kind's limit.
    public var quantityLimits: [String: Decimal]
    /// `SETTLEMENT_DIFFERS` fires when a payer's figure printed on the invoice and
    /// claimeye's differ by more than this, in yuan.
    public var settlementTolerance: Decimal = 1

    public init(
        rules: [AuditRuleID: RuleSetting] = AuditConfig.defaultRules, lowConfidence: Double = 0.6,
        dispensingWindowDays: Int = 7, defaultQuantityLimits: [CatalogueKind: Decimal] = AuditConfig.defaultKindLimits,
        quantityLimits: [String: Decimal] = [:]
    ) {
        self.rules = rules
        self.lowConfidence = lowConfidence
        self.dispensingWindowDays = dispensingWindowDays
        self.defaultQuantityLimits = defaultQuantityLimits
        self.quantityLimits = quantityLimits
    }

    /// Every rule on, with the default severities.
    public static let standard = AuditConfig()

    /// The default severities. Block where paying would be wrong unless a person checks:
    /// anything already claimed (the three duplicate rules), lines whose payment scope or
    /// patient the catalogue restricts, a document whose lines do not add up to its own
    /// printed total (a line was lost or misread, so the money settled may be wrong), and
    /// quantities above the limit (超量, paid in full otherwise). Warn where settlement
    /// already limits the harm or the document's own total vouches for the figures: the
    /// part above a price cap is self-paid anyway (超限价); a line whose quantity × unit
    /// price disagrees still settles its printed amount, which the printed-total check
    /// covers; a low-confidence money reading is likewise covered when the total agrees;
    /// duplicate lines are common and legitimate on inpatient lists (one line per day);
    /// repeated dispensing is a pattern across claims already paid, for supervision.
    public static let defaultRules: [AuditRuleID: RuleSetting] = [
        .duplicateInvoice: RuleSetting(severity: .block),
        .duplicateContent: RuleSetting(severity: .block),
        .duplicatePage: RuleSetting(severity: .block),
        .lineArithmetic: RuleSetting(severity: .warn),
        .printedTotal: RuleSetting(severity: .block),
        .detailListNeeded: RuleSetting(severity: .block),
        .invoiceReconciliation: RuleSetting(severity: .block),
        .priceAboveCap: RuleSetting(severity: .warn),
        .quantityAboveLimit: RuleSetting(severity: .block),
        .duplicateLine: RuleSetting(severity: .warn),
        .restrictedUse: RuleSetting(severity: .block),
        .sexRestriction: RuleSetting(severity: .block),
        .ageRestriction: RuleSetting(severity: .block),
        .lowOCRConfidence: RuleSetting(severity: .warn),
        .repeatedDispensing: RuleSetting(severity: .warn),
        .settlementDiffers: RuleSetting(severity: .warn),
    ]

    /// Round limits above any line of the fixture lists (the largest: 10 packs of a drug,
    /// 24 hours of oxygen, 10 consumables), meant to be tightened per entry by code.
    public static let defaultKindLimits: [CatalogueKind: Decimal] = [
        .drug: 30, .service: 100, .consumable: 50,
    ]

    /// The setting a rule runs with.
    public func setting(_ rule: AuditRuleID) -> RuleSetting {
        rules[rule] ?? Self.defaultRules[rule] ?? RuleSetting(severity: .warn)
    }

    /// The quantity limit of a line: its code's own, else its kind's, else none.
    public func quantityLimit(code: String?, kind: CatalogueKind?) -> Decimal? {
        if let code, let limit = quantityLimits[code] { return limit }
        return kind.flatMap { defaultQuantityLimits[$0] }
    }
}
