import ClaimEyeTestSupport
import Foundation

@testable import ClaimEyeCore

/// A statement built from a real fixture: the recorded OCR of `zh-outpatient-01-clean.png`,
/// parsed, matched to the sample catalogue by the truth file's codes (as a perfect
/// matcher would), settled under the east
/// sample policy and audited as a re-submission; one line's reading is replaced by a
/// script tag, as a hostile or garbled scan could produce.
enum StatementFixtures {
    static let document = "zh-outpatient-01-clean.png"
    static let hostileName = "<script>alert(1)</script>"
    static let claimId = "C-2026-0417"
    static let insuredId = "330102199001011234"

    static func parsed() throws -> ParsedDocument {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ocr/\(document).ocr.json")))
        var parsed = LineItemParser().parse(try JSONDecoder().decode([OCRPage].self, from: data))
        parsed.items[1].nameRead = hostileName
        parsed.items[1].name = Read(hostileName, confidence: 0.9, box: parsed.items[1].name.box)
        return parsed
    }

    /// The sample catalogue's entries by code.
    static func catalogue() throws -> [String: CatalogueEntry] {
        let text = try String(contentsOfFile: TestPaths.fixture("catalogue/sample_catalogue.csv"), encoding: .utf8)
        let rows = AuditFixtures.csvRows(text)
        guard let header = rows.first else { return [:] }
        func column(_ name: String) -> Int { header.firstIndex(of: name) ?? 0 }
        var entries: [String: CatalogueEntry] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            let code = row[column("code")]
            guard let reimbursementClass = ReimbursementClass(rawValue: row[column("class")]) else { continue }
            let kind: CatalogueKind = code.hasPrefix("C") ? .consumable : (code.first?.isNumber == true ? .service : .drug)
            func optional(_ name: String) -> String? { row[column(name)].isEmpty ? nil : row[column(name)] }
            entries[code] = CatalogueEntry(
                code: code, name: row[column("name")], kind: kind, category: optional("category"),
                reimbursementClass: reimbursementClass, spec: optional("spec"), unit: optional("unit"),
                priceCap: optional("price_cap").flatMap(Money.parse), selfPayRatio: optional("self_pay_ratio").flatMap(Money.parse),
                restrictions: optional("restrictions"))
        }
        return entries
    }

    static func policy(_ name: String = "east-sample") throws -> Policy {
        let path = TestPaths.fixture("policies/\(name).toml")
        return try Policy.parse(toml: try String(contentsOfFile: path, encoding: .utf8), source: "\(name).toml")
    }

    static func context(assistance: String? = nil) -> ClaimContext {
        ClaimContext(
            claimId: claimId, insuredId: insuredId, insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
            serviceDate: "2026-03-02", sex: "F", age: 46, assistanceCategory: assistance)
    }

    /// The statement; `image` puts the fixture scan inline as a data URI. `oneStop`
    /// settles it under the east one-stop policy as a 低保 person already past the
    /// critical-illness threshold, so three funds pay.
    static func statement(image: Bool, oneStop: Bool = false) throws -> Statement {
        let document = try parsed()
        let catalogue = try catalogue()
        let truthData = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("documents/zh-outpatient-01-clean.truth.json")))
        let codes = (try JSONDecoder().decode(TruthDocument.self, from: truthData).items ?? []).map(\.code)
        let entries: [CatalogueEntry?] = document.items.indices.map { index in
            (codes[safe: index] ?? nil).flatMap { catalogue[$0] }
        }
        let lines = document.items.enumerated().map { index, item in
            SettlementLine(item: item, index: index, entry: entries[index], zone: entries[index] == nil ? .none : .auto)
        }
        // The year's outpatient deductible is already used, so the fund pays.
        var yearToDate = YearToDate(fundPaid: .zero, deductibleUsed: [.outpatient: Fen(200_000)])
        if oneStop { yearToDate.criticalIllnessBase = 20000 }
        let settlement = try SettlementEngine.settle(
            SettlementClaim(context: context(assistance: oneStop ? "dibao" : nil), lines: lines, yearToDate: yearToDate),
            policy: policy(oneStop ? "onestop-east" : "east-sample"))
        let history = AuditHistory(invoiceKeys: ["33010224/0081235720": "C-2026-0311"])
        let flags = AuditRules.check(
            AuditInput(
                context: context(), document: document, matches: lines.map(AuditMatch.init), pageHashes: [],
                history: history))
        var uri: String?
        if image {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("documents/\(self.document)")))
            uri = "data:image/png;base64," + bytes.base64EncodedString()
        }
        let page = StatementPage(name: self.document, imageDataURI: uri, width: 2480, height: 1654, items: document.items, page: 0)
        return Statement(settlement: settlement, items: document.items, entries: entries, flags: flags, pages: [page])
    }
}
