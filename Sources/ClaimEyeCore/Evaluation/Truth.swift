import Foundation

/// A ground-truth file (DESIGN.md, "Ground truth and evaluation"). Every field may be
/// null or absent; numbers may be strings or numbers. Unknown fields are ignored.
public struct TruthDocument: Decodable, Sendable {
    public var document: String
    public var language: String?
    public var invoiceCode: String?
    public var invoiceNumber: String?
    public var date: String?
    public var hospital: String?
    public var patient: String?
    public var total: Decimal?
    public var items: [TruthItem]?
    /// Fee category lines (`检查费 53.00`), where the document prints them.
    public var categories: [TruthCategory]?
    /// Optional: the degradation this page shows (`clean`, `150dpi` …), for the breakdown.
    public var variant: String?

    enum CodingKeys: String, CodingKey {
        case document, language, date, hospital, patient, total, items, categories, variant
        case invoiceCode = "invoice_code"
        case invoiceNumber = "invoice_number"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        document = try c.decode(String.self, forKey: .document)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        invoiceCode = try c.lenientString(.invoiceCode)
        invoiceNumber = try c.lenientString(.invoiceNumber)
        date = try c.lenientString(.date)
        hospital = try c.lenientString(.hospital)
        patient = try c.lenientString(.patient)
        total = try c.lenientDecimal(.total)
        items = try c.decodeIfPresent([TruthItem].self, forKey: .items)
        categories = try c.decodeIfPresent([TruthCategory].self, forKey: .categories)
        variant = try c.lenientString(.variant)
    }
}

/// One true fee category line.
public struct TruthCategory: Decodable, Sendable {
    public var name: String?
    public var amount: Decimal?

    enum CodingKeys: String, CodingKey { case name, amount }

    public init(name: String? = nil, amount: Decimal? = nil) {
        self.name = name
        self.amount = amount
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.lenientString(.name)
        amount = try c.lenientDecimal(.amount)
    }
}

/// One true line item.
public struct TruthItem: Decodable, Sendable {
    public var name: String?
    public var spec: String?
    public var unit: String?
    public var quantity: Decimal?
    public var unitPrice: Decimal?
    public var amount: Decimal?
    public var code: String?

    enum CodingKeys: String, CodingKey {
        case name, spec, unit, quantity, amount, code
        case unitPrice = "unit_price"
    }

    public init(name: String? = nil, spec: String? = nil, unit: String? = nil, quantity: Decimal? = nil, unitPrice: Decimal? = nil, amount: Decimal? = nil, code: String? = nil) {
        self.name = name
        self.spec = spec
        self.unit = unit
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.code = code
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.lenientString(.name)
        spec = try c.lenientString(.spec)
        unit = try c.lenientString(.unit)
        quantity = try c.lenientDecimal(.quantity)
        unitPrice = try c.lenientDecimal(.unitPrice)
        amount = try c.lenientDecimal(.amount)
        code = try c.lenientString(.code)
    }
}

extension KeyedDecodingContainer {
    /// A string, or a number written as one; nil when absent or null.
    func lenientString(_ key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Decimal.self, forKey: key) { return "\(number)" }
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string"))
    }

    /// A decimal from a JSON number or a numeric string (`"12.50"`, `"¥12.50"` is refused).
    func lenientDecimal(_ key: Key) throws -> Decimal? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) {
            guard let value = Money.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "'\(text)' is not a number"))
            }
            return value
        }
        return try decode(Decimal.self, forKey: key)
    }
}
