import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// A claim's whole trail, from pixels to yuan: what `out/<claim_id>.json` holds and the
/// ledger keeps. Per page the file, its hash and what was done to it; per item the
/// readings with their confidences and boxes, the catalogue candidates with scores, the
/// entry settled under, the money split and the flags. Keys sorted, money as strings
/// in the settlement, no clock: the same claim gives the same bytes.
struct ClaimTrail: Encodable {
    var claimId: String
    var state: ClaimState
    var reason: String?
    var source: String
    var context: ClaimContext
    var pages: [Page]
    var metadata: DocumentMetadata?
    var documentFlags: [DocumentFlag]
    var items: [Item]
    /// Fee category lines the documents print (kind `category`): settled from the items,
    /// they are the check on them.
    var categories: [CategoryLine]
    var settlement: ClaimSettlement?
    var flags: [AuditFlag]

    struct Page: Encodable {
        var file: String
        var pageIndex: Int
        var sha256: String
        var engine: String
        var width: Int
        var height: Int
        var dpi: Int
        var geometry: PageGeometry
        var lines: Int
    }

    struct Item: Encodable {
        var item: LineItem
        var zone: SettlementLine.Zone
        var candidates: [MatchCandidate]
        var entry: EntrySummary?
    }

    struct EntrySummary: Encodable {
        var code: String
        var name: String
        var reimbursementClass: ReimbursementClass
        var priceCap: String?
        var restrictions: String?

        enum CodingKeys: String, CodingKey {
            case code, name, restrictions
            case reimbursementClass = "class"
            case priceCap = "price_cap"
        }
    }

    init(
        claimId: String, state: ClaimState, reason: String?, source: String, context: ClaimContext, pages: [OCRPage],
        keys: [PageKey], document: ParsedDocument?, lines: [MatchedLine], settlement: ClaimSettlement?, flags: [AuditFlag]
    ) {
        self.claimId = claimId
        self.state = state
        self.reason = reason
        self.source = source
        var context = context
        context.claimId = claimId
        self.context = context
        self.pages = zip(pages, keys).map { page, key in
            Page(
                file: key.file, pageIndex: key.pageIndex, sha256: key.sha256, engine: page.engine, width: page.width,
                height: page.height, dpi: page.dpi, geometry: page.geometry, lines: page.lines.count)
        }
        metadata = document?.metadata
        documentFlags = document?.flags ?? []
        categories = document?.categories ?? []
        items = lines.map { line in
            Item(
                item: line.item, zone: line.zone, candidates: line.match?.candidates ?? [],
                entry: line.entry.map {
                    EntrySummary(
                        code: $0.code, name: $0.name, reimbursementClass: $0.reimbursementClass,
                        priceCap: $0.priceCap.map { Money.format($0) }, restrictions: $0.restrictions)
                })
        }
        self.settlement = settlement
        self.flags = flags
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
