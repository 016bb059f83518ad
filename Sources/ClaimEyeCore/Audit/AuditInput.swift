import Foundation

/// Everything the audit rules look at for one claim. All of it is plain values: the
/// caller reads the history from the ledger first, so the rules never touch it.
public struct AuditInput: Hashable, Sendable {
    /// The claim's context: its id, insured person, service date, sex and age.
    public var context: ClaimContext
    /// The claim's parsed documents in order (an invoice and an expense list may come
    /// together). Lines are numbered across them, as settlement numbers them.
    public var documents: [ParsedDocument]
    /// The matcher's choice for each line, in the same order as the documents' items.
    /// A missing trailing choice counts as out of catalogue.
    public var matches: [AuditMatch]
    /// The SHA-256 (hex) of each page's file, in page order.
    public var pageHashes: [String]
    /// What earlier claims left in the ledger.
    public var history: AuditHistory
    /// The policy's price-cap multiplier at the claim's institution level
    /// (`price_cap_multiplier`), so `PRICE_ABOVE_CAP` compares with the cap settlement
    /// applies; 1 when the policy sets none.
    public var priceCapFactor: Decimal
    /// claimeye's settlement of the claim, per fund and for the patient, when it has one:
    /// `SETTLEMENT_DIFFERS` compares it with what the invoice prints.
    public var settled: SettledFigures?

    public init(
        context: ClaimContext, documents: [ParsedDocument], matches: [AuditMatch], pageHashes: [String] = [],
        history: AuditHistory = AuditHistory(), priceCapFactor: Decimal = 1
    ) {
        self.context = context
        self.documents = documents
        self.matches = matches
        self.pageHashes = pageHashes
        self.history = history
        self.priceCapFactor = priceCapFactor
    }

    /// A claim of one document.
    public init(
        context: ClaimContext, document: ParsedDocument, matches: [AuditMatch], pageHashes: [String] = [],
        history: AuditHistory = AuditHistory(), priceCapFactor: Decimal = 1
    ) {
        self.init(
            context: context, documents: [document], matches: matches, pageHashes: pageHashes, history: history,
            priceCapFactor: priceCapFactor)
    }

    /// Every line of the claim with its claim-wide index, its document and its match.
    var lines: [AuditLine] {
        var result: [AuditLine] = []
        for (documentIndex, document) in documents.enumerated() {
            for item in document.items {
                let index = result.count
                let match = index < matches.count ? matches[index] : AuditMatch(entry: nil, zone: .none)
                result.append(AuditLine(index: index, document: documentIndex, item: item, match: match))
            }
        }
        return result
    }

    /// The date the claim's services count from: the context's, else the first
    /// document's printed date.
    var serviceDate: String? {
        context.serviceDate ?? documents.lazy.compactMap { $0.metadata.date?.value }.first(where: ISODate.isValid)
    }
}

/// The matcher's choice for one line.
public struct AuditMatch: Hashable, Sendable {
    /// The matched catalogue entry (in the review zone, the proposed one), or nil.
    public var entry: CatalogueEntry?
    /// Where the matcher put the line.
    public var zone: SettlementLine.Zone

    public init(entry: CatalogueEntry?, zone: SettlementLine.Zone) {
        self.entry = entry
        self.zone = zone
    }

    /// The choice carried by a settlement line.
    public init(_ line: SettlementLine) {
        self.init(entry: line.entry, zone: line.zone)
    }
}

/// One line as the rules see it.
struct AuditLine {
    var index: Int
    var document: Int
    var item: LineItem
    var match: AuditMatch

    /// The catalogue code: the matched entry's, else the one printed on the line.
    var code: String? { match.entry?.code ?? item.code?.value }
}

/// What the ledger holds about earlier claims, as the duplicate and dispensing rules
/// need it. Each map goes from a key to the earlier claim's id.
public struct AuditHistory: Hashable, Sendable {
    /// `AuditKeys.invoiceKey` of earlier claims' documents → claim id.
    public var invoiceKeys: [String: String]
    /// `ContentSignature.text` of earlier claims' documents → claim id.
    public var contentSignatures: [String: String]
    /// SHA-256 of earlier claims' pages → claim id.
    public var pageHashes: [String: String]
    /// Drugs dispensed in earlier claims.
    public var dispensing: [DispensingRecord]

    public init(
        invoiceKeys: [String: String] = [:], contentSignatures: [String: String] = [:], pageHashes: [String: String] = [:],
        dispensing: [DispensingRecord] = []
    ) {
        self.invoiceKeys = invoiceKeys
        self.contentSignatures = contentSignatures
        self.pageHashes = pageHashes
        self.dispensing = dispensing
    }
}

/// One drug dispensed to one insured person on one day, in one claim.
public struct DispensingRecord: Codable, Hashable, Sendable {
    public var insuredId: String
    /// The catalogue code of the drug.
    public var code: String
    /// ISO date of the service.
    public var date: String
    public var claimId: String

    public init(insuredId: String, code: String, date: String, claimId: String) {
        self.insuredId = insuredId
        self.code = code
        self.date = date
        self.claimId = claimId
    }

    enum CodingKeys: String, CodingKey {
        case code, date
        case insuredId = "insured_id"
        case claimId = "claim_id"
    }
}

/// The keys of one claim that later claims are checked against: what the caller stores
/// in the ledger once the claim is settled, and reads back into an `AuditHistory`.
public struct AuditKeys: Hashable, Sendable {
    /// Invoice code + number of each document that prints both, sorted, no repeats.
    public var invoiceKeys: [String]
    /// Content signature of each document that has one, sorted, no repeats.
    public var contentSignatures: [String]
    /// The claim's page hashes, sorted, no repeats.
    public var pageHashes: [String]
    /// The drugs the claim dispenses (needs an insured id and a service date), by code.
    public var dispensing: [DispensingRecord]

    /// The keys of a claim.
    public init(_ input: AuditInput) {
        invoiceKeys = Array(Set(input.documents.compactMap(Self.invoiceKey(of:)))).sorted()
        contentSignatures = Array(Set(input.documents.compactMap { ContentSignature($0)?.text })).sorted()
        pageHashes = Array(Set(input.pageHashes.map { $0.lowercased() })).sorted()
        var records = Set<DispensingRecord>()
        if let insured = input.context.insuredId, let date = input.serviceDate {
            for line in input.lines where line.match.entry?.kind == .drug {
                guard let code = line.code, (line.item.quantity?.value ?? 1) > 0 else { continue }
                records.insert(DispensingRecord(insuredId: insured, code: code, date: date, claimId: input.context.claimId))
            }
        }
        dispensing = records.sorted { $0.code != $1.code ? $0.code < $1.code : $0.date < $1.date }
    }

    /// `CODE/NUMBER` of a document's 票据代码 and 票据号码, width-folded and without spaces;
    /// nil unless both were read.
    public static func invoiceKey(of document: ParsedDocument) -> String? {
        guard let code = document.metadata.invoiceCode?.value, let number = document.metadata.invoiceNumber?.value else {
            return nil
        }
        let cleanCode = TextFolding.compact(code).uppercased()
        let cleanNumber = TextFolding.compact(number).uppercased()
        guard !cleanCode.isEmpty, !cleanNumber.isEmpty else { return nil }
        return "\(cleanCode)/\(cleanNumber)"
    }
}

/// What claimeye's settlement paid, by payer, for comparison with the invoice's own.
public struct SettledFigures: Hashable, Sendable {
    public var fund: Fen
    public var criticalIllness: Fen
    public var assistance: Fen
    public var patient: Fen
    /// The amount of lines still held for review.
    public var pending: Fen

    public init(fund: Fen, criticalIllness: Fen, assistance: Fen, patient: Fen, pending: Fen = .zero) {
        self.fund = fund
        self.criticalIllness = criticalIllness
        self.assistance = assistance
        self.patient = patient
        self.pending = pending
    }

    public init(_ settlement: ClaimSettlement) {
        let t = settlement.totals
        self.init(fund: t.fundPay, criticalIllness: t.criticalIllnessPay, assistance: t.assistancePay, patient: t.selfPay, pending: t.pending)
    }
}
