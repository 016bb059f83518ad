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
    public var name: String
    /// The code printed on the line or taken from the match.
    public var code: String?
    /// Negative for a refund line.
    public var quantity: Decimal?
    public var unitPrice: Decimal?
    /// The line's amount in yuan; when nil, quantity × unit price.
    public var amount: Decimal?
    /// The matched catalogue entry (in the review zone: the proposed one), or nil.
    public var entry: CatalogueEntry?
    public var zone: Zone

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

    /// Whether the line waits for a person: not in the auto zone, or without an entry.
    public var isHeld: Bool { zone != .auto || entry == nil }
}

/// What one insured person has used so far in the calendar year of the claim, from
/// their earlier settled claims: the engine takes it as a value and stays pure; the
/// ledger (or the claim JSON) supplies it.
public struct YearToDate: Hashable, Sendable {
    /// Fund pay of the year's earlier settled claims, counted against the annual cap.
    public var fundPaid: Fen
    /// Deductible (起付线) already used this year, per visit type.
    public var deductibleUsed: [VisitType: Fen]
    /// The year's fund pay before rounding and before the cap: the exact sum of
    /// ratio × (policy scope − deductible) of the earlier claims, in yuan. The fund's
    /// year total is rounded once, on this sum (see `SettlementEngine.claimFundPay`).
    public var fundAccrued: Decimal

    public static let none = YearToDate(fundPaid: .zero, deductibleUsed: [:])

    /// `fundAccrued` defaults to `fundPaid`: what a ledger without the exact figure knows.
    public init(fundPaid: Fen, deductibleUsed: [VisitType: Fen], fundAccrued: Decimal? = nil) {
        self.fundPaid = fundPaid
        self.deductibleUsed = deductibleUsed
        self.fundAccrued = fundAccrued ?? fundPaid.yuan
    }

    /// Deductible used this year for one visit type.
    public func deductibleUsed(_ visit: VisitType) -> Fen { deductibleUsed[visit] ?? .zero }
}

/// A claim ready for settlement.
public struct SettlementClaim: Hashable, Sendable {
    public var context: ClaimContext
    public var lines: [SettlementLine]
    public var yearToDate: YearToDate

    public init(context: ClaimContext, lines: [SettlementLine], yearToDate: YearToDate = .none) {
        self.context = context
        self.lines = lines
        self.yearToDate = yearToDate
    }
}
