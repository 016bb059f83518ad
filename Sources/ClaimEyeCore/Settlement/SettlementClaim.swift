import Foundation

/// A claim ready for settlement.
public struct SettlementClaim: Hashable, Sendable {
    /// Who, where and when: insurance type, institution level, visit type, service date.
    public var context: ClaimContext
    /// The claim's line items, in document order.
    public var lines: [SettlementLine]
    /// The insured person's earlier claims this year.
    public var yearToDate: YearToDate

    public init(context: ClaimContext, lines: [SettlementLine], yearToDate: YearToDate = .none) {
        self.context = context
        self.lines = lines
        self.yearToDate = yearToDate
    }
}
