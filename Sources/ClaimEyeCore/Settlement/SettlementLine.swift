import Foundation

/// One line item as settlement sees it: the money read from the bill and the
/// catalogue entry the matcher chose for it.
public struct SettlementLine: Hashable, Sendable {
    /// Where the matcher put the line (DESIGN.md, "Catalogue matcher").
    public enum Zone: String, Codable, Hashable, Sendable, CaseIterable {
        /// Matched with confidence: settled automatically.
        case auto
        /// A likely match that a person must confirm: held, settled as proposed once accepted.
        case review
        /// No catalogue entry: out of catalogue (全自费), held until a person confirms.
        case none
    }

    /// The line's position in the claim (zero-based), carried to the result.
    public var index: Int
    /// The line's best name.
    public var name: String
    /// The code printed on the line or taken from the match.
    public var code: String?
    /// Negative for a refund line.
    public var quantity: Decimal?
    /// The unit price in yuan, compared with the price cap.
    public var unitPrice: Decimal?
    /// The line's amount in yuan; when nil, quantity × unit price.
    public var amount: Decimal?
    /// The matched catalogue entry (in the review zone: the proposed one), or nil.
    public var entry: CatalogueEntry?
    /// Where the matcher put the line.
    public var zone: Zone
    /// What holds the line for a person whatever its zone (its own arithmetic disagrees).
    public var doubts: [ReasonCode] = []

    public init(
        index: Int, name: String, code: String? = nil, quantity: Decimal? = nil, unitPrice: Decimal? = nil,
        amount: Decimal? = nil, entry: CatalogueEntry?, zone: Zone
    ) {
        self.index = index
        self.name = name
        self.code = code
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.entry = entry
        self.zone = zone
    }

    /// A parsed line item with the matcher's choice: the item's readings give the money,
    /// the entry (nil when out of catalogue) the class, cap and class-B ratio.
    public init(item: LineItem, index: Int, entry: CatalogueEntry?, zone: Zone) {
        self.init(
            index: index, name: item.name.value, code: item.code?.value ?? entry?.code, quantity: item.quantity?.value,
            unitPrice: item.unitPrice?.value, amount: item.amount?.value, entry: entry, zone: zone)
    }

    /// Whether the line waits for a person: not in the auto zone, without an entry, or in doubt.
    public var isHeld: Bool { zone != .auto || entry == nil || !doubts.isEmpty }
}
