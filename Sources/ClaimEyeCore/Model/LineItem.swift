import Foundation

/// A field read from the page: its value, how sure the reading is (0–1) and where it was.
public struct Read<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var value: Value
    public var confidence: Double
    public var box: BoundingBox?

    public init(_ value: Value, confidence: Double, box: BoundingBox? = nil) {
        self.value = value
        self.confidence = confidence
        self.box = box
    }
}

/// Why a line or a document field needs a person's eye.
public enum ItemFlag: String, Codable, Hashable, Sendable, CaseIterable {
    /// quantity × unit price ≠ amount, and no reading made them agree.
    case arithmeticMismatch = "arithmetic_mismatch"
    /// A number was changed from its raw reading to make the arithmetic agree.
    case repaired
    /// A money field was read with low confidence.
    case lowConfidence = "low_confidence"
    /// The name wrapped onto a second line and was joined.
    case joinedName = "joined_name"
    /// A refund or correction: negative quantity or amount.
    case refund
}

/// One line item of an expense list, invoice or receipt, as the parser rebuilt it.
public struct LineItem: Codable, Hashable, Sendable {
    /// Zero-based page within the claim and position of the line on the document.
    public var page: Int
    public var index: Int
    /// The best name: the reading, or the catalogue's printed form where the match is certain.
    public var name: Read<String>
    /// The raw reading of the name, as OCR gave it (CJK spaces removed).
    public var nameRead: String
    public var spec: Read<String>?
    public var unit: Read<String>?
    public var quantity: Read<Decimal>?
    public var unitPrice: Read<Decimal>?
    public var amount: Read<Decimal>?
    /// The catalogue code printed on the line, or from the match.
    public var code: Read<String>?
    /// The class printed on the line (甲/乙/丙), if the document prints one.
    public var printedClass: ReimbursementClass?
    /// The fee heading the line falls under (西药费, 检查费 …), if the document shows one.
    public var feeCategory: String?
    /// The fee heading printed above the line on a detail list (`【西药费】`), as printed:
    /// what the line is reconciled under against an invoice's category lines.
    public var heading: String?
    /// The box of the whole line on its page.
    public var box: BoundingBox?
    public var flags: [ItemFlag]

    public init(
        page: Int, index: Int, name: Read<String>, nameRead: String,
        spec: Read<String>? = nil, unit: Read<String>? = nil, quantity: Read<Decimal>? = nil,
        unitPrice: Read<Decimal>? = nil, amount: Read<Decimal>? = nil, code: Read<String>? = nil,
        printedClass: ReimbursementClass? = nil, feeCategory: String? = nil,
        box: BoundingBox? = nil, flags: [ItemFlag] = []
    ) {
        self.page = page
        self.index = index
        self.name = name
        self.nameRead = nameRead
        self.spec = spec
        self.unit = unit
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.code = code
        self.printedClass = printedClass
        self.feeCategory = feeCategory
        self.box = box
        self.flags = flags
    }
}
