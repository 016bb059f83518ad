import Foundation

/// One line item with the catalogue's answer for it.
public struct MatchedLine: Sendable {
    public var item: LineItem
    /// The matcher's result; nil when the printed code named the entry.
    public var match: MatchResult?
    /// The entry the line settles under (in the review zone: the proposed one).
    public var entry: CatalogueEntry?
    public var zone: SettlementLine.Zone
}

/// The pure stages between OCR and the ledger: parse, restore names, match, settle.
/// Built once per run and shared by every claim.
public struct ClaimStages: Sendable {
    public let parser = LineItemParser()
    public let restoration: NameRestoration
    public let policy: Policy
    /// Whether the catalogue holds no entry (then every line is held for review).
    public var catalogueIsEmpty: Bool { restoration.matcher.entryCount == 0 }

    public init(matcher: CatalogueMatcher, policy: Policy) {
        restoration = NameRestoration(matcher: matcher)
        self.policy = policy
    }

    /// Parses the claim's pages as one document (a table continues across pages) and
    /// restores names and codes where the catalogue match is certain.
    public func read(_ pages: [OCRPage]) -> ParsedDocument {
        restoration.restore(parser.parse(pages))
    }

    /// Each item's catalogue entry: a printed (or restored) catalogue code settles the
    /// line in the auto zone; otherwise the matcher's zone decides, and a review-zone
    /// line carries its proposed entry.
    public func match(_ document: ParsedDocument) -> [MatchedLine] {
        document.items.map { item in
            if let code = item.code?.value, let entry = restoration.matcher.entry(code: code) {
                return MatchedLine(item: item, match: nil, entry: entry, zone: .auto)
            }
            let result = restoration.matcher.match(
                MatchQuery(text: item.nameRead, spec: item.spec?.value, unitPrice: item.unitPrice?.value), top: 3)
            // The zones share their names; out of catalogue carries no entry.
            let zone = SettlementLine.Zone(rawValue: result.zone.rawValue) ?? .none
            let entry = zone == .none ? nil : result.best.flatMap { restoration.matcher.entry(code: $0.code) }
            return MatchedLine(item: item, match: result, entry: entry, zone: zone)
        }
    }

    /// Settles the matched lines under the policy for the claim's context.
    public func settle(_ lines: [MatchedLine], context: ClaimContext, yearToDate: YearToDate) throws -> ClaimSettlement {
        let settlementLines = lines.enumerated().map { index, line in
            SettlementLine(item: line.item, index: index, entry: line.entry, zone: line.zone)
        }
        return try SettlementEngine.settle(
            SettlementClaim(context: context, lines: settlementLines, yearToDate: yearToDate), policy: policy)
    }
}
