import Foundation

/// 甲/乙/丙: the reimbursement class of a catalogue entry.
public enum ReimbursementClass: String, Codable, Hashable, Sendable, CaseIterable {
    /// 甲类: fully inside the policy scope.
    case a = "甲"
    /// 乙类: the patient first pays the class-B self-pay share (先行自付), the rest is in scope.
    case b = "乙"
    /// 丙类: outside the catalogue's coverage; the patient pays all of it (全自费).
    case c = "丙"
}

/// What kind of thing an entry is; decides the code format and some audit rules.
public enum CatalogueKind: String, Codable, Hashable, Sendable, CaseIterable {
    case drug
    case service
    case consumable
}

/// One entry of the drug / medical-service / consumable catalogue.
public struct CatalogueEntry: Codable, Hashable, Sendable {
    public var code: String
    public var name: String
    /// Other names the entry is known by (trade names, learned OCR spellings are kept
    /// apart, as review aliases).
    public var aliases: [String]
    public var kind: CatalogueKind
    public var category: String?
    public var reimbursementClass: ReimbursementClass
    public var dosageForm: String?
    public var spec: String?
    public var unit: String?
    /// 医保支付标准 / 最高限价: the most the fund recognises per unit, in yuan.
    public var priceCap: Decimal?
    /// A class-B self-pay ratio for this entry, overriding the policy's default.
    public var selfPayRatio: Decimal?
    /// 限定支付范围 and other remarks, as printed in the catalogue.
    public var restrictions: String?
    /// First and last day the entry is in force (ISO dates), nil when open.
    public var validFrom: String?
    public var validTo: String?

    public init(
        code: String, name: String, aliases: [String] = [], kind: CatalogueKind,
        category: String? = nil, reimbursementClass: ReimbursementClass,
        dosageForm: String? = nil, spec: String? = nil, unit: String? = nil,
        priceCap: Decimal? = nil, selfPayRatio: Decimal? = nil, restrictions: String? = nil,
        validFrom: String? = nil, validTo: String? = nil
    ) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.category = category
        self.reimbursementClass = reimbursementClass
        self.dosageForm = dosageForm
        self.spec = spec
        self.unit = unit
        self.priceCap = priceCap
        self.selfPayRatio = selfPayRatio
        self.restrictions = restrictions
        self.validFrom = validFrom
        self.validTo = validTo
    }
}
