import Foundation

/// What a document says about itself: who issued it, to whom, when, and its total.
public struct DocumentMetadata: Codable, Hashable, Sendable {
    public var hospital: Read<String>?
    /// The patient's name as printed. Never logged in full (see `maskPersonal`).
    public var patient: Read<String>?
    /// 票据代码 and 票据号码.
    public var invoiceCode: Read<String>?
    public var invoiceNumber: Read<String>?
    /// ISO date, e.g. `2026-03-14`.
    public var date: Read<String>?
    /// The printed total (合计 / Total), from digits or from capital numerals.
    public var total: Read<Decimal>?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hospital, patient, date, total
        case invoiceCode = "invoice_code"
        case invoiceNumber = "invoice_number"
    }
}

/// Why a whole document needs a person's eye.
public enum DocumentFlag: String, Codable, Hashable, Sendable {
    /// The items do not sum to the printed total.
    case totalMismatch = "total_mismatch"
    /// No line items were found.
    case noItems = "no_items"
    /// The printed total was read without its point (`83 8`); it is taken as the items'
    /// sum, whose digits it spells.
    case totalRepaired = "total_repaired"
}

/// The parser's result for one document (its pages in order).
public struct ParsedDocument: Codable, Hashable, Sendable {
    public var source: String
    public var pages: Int
    public var metadata: DocumentMetadata
    public var items: [LineItem]
    /// Subtotals the document prints (小计), as evidence.
    public var subtotals: [Read<Decimal>]
    public var flags: [DocumentFlag]
    /// Set when no items were found: why.
    public var reason: String?

    public init(source: String, pages: Int, metadata: DocumentMetadata, items: [LineItem], subtotals: [Read<Decimal>], flags: [DocumentFlag], reason: String?) {
        self.source = source
        self.pages = pages
        self.metadata = metadata
        self.items = items
        self.subtotals = subtotals
        self.flags = flags
        self.reason = reason
    }
}
