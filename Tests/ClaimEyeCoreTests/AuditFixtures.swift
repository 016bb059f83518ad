import Foundation

@testable import ClaimEyeCore

/// Small hand-built claims for the audit tests: one that fires each rule and one that
/// does not, differing only in what the rule looks at.
enum AuditFixtures {
    static func item(
        _ name: String, spec: String? = nil, quantity: Decimal? = 1, unitPrice: Decimal?, amount: Decimal?,
        confidence: Double = 0.95, code: String? = nil, flags: [ItemFlag] = []
    ) -> LineItem {
        LineItem(
            page: 0, index: 0, name: Read(name, confidence: confidence), nameRead: name,
            spec: spec.map { Read($0, confidence: confidence) }, quantity: quantity.map { Read($0, confidence: confidence) },
            unitPrice: unitPrice.map { Read($0, confidence: confidence) }, amount: amount.map { Read($0, confidence: confidence) },
            code: code.map { Read($0, confidence: confidence) }, box: BoundingBox(x: 10, y: 100, width: 500, height: 20),
            flags: flags)
    }

    static func document(
        _ items: [LineItem], source: String = "bill.png", total: Decimal? = nil, totalConfidence: Double = 0.95,
        invoiceCode: String? = "33010224", invoiceNumber: String? = "0081235720", date: String? = "2026-03-02",
        hospital: String? = "南屏区中医医院", flags: [DocumentFlag] = [], categories: [(String, Decimal)] = []
    ) -> ParsedDocument {
        var metadata = DocumentMetadata()
        metadata.hospital = hospital.map { Read($0, confidence: 0.9) }
        metadata.invoiceCode = invoiceCode.map { Read($0, confidence: 0.9) }
        metadata.invoiceNumber = invoiceNumber.map { Read($0, confidence: 0.9) }
        metadata.date = date.map { Read($0, confidence: 0.9) }
        let sum = items.compactMap { $0.amount?.value }.reduce(0, +)
        metadata.total = Read(total ?? sum, confidence: totalConfidence)
        let numbered = items.enumerated().map { index, item in
            var item = item
            item.index = index
            return item
        }
        let lines = categories.map { CategoryLine(page: 0, name: Read($0.0, confidence: 0.9), amount: Read($0.1, confidence: 0.9)) }
        return ParsedDocument(
            source: source, pages: 1, metadata: metadata, items: numbered, categories: lines, subtotals: [], flags: flags, reason: nil)
    }

    static func entry(
        _ code: String, _ name: String, kind: CatalogueKind = .drug, class reimbursementClass: ReimbursementClass = .a,
        cap: Decimal? = nil, restrictions: String? = nil
    ) -> CatalogueEntry {
        CatalogueEntry(
            code: code, name: name, kind: kind, reimbursementClass: reimbursementClass, priceCap: cap,
            restrictions: restrictions)
    }

    static func context(
        claimId: String = "C-2026-0002", insuredId: String? = "330102199001011234", serviceDate: String? = "2026-03-02",
        sex: String? = nil, age: Int? = nil
    ) -> ClaimContext {
        ClaimContext(
            claimId: claimId, insuredId: insuredId, insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
            serviceDate: serviceDate, sex: sex, age: age)
    }

    static let amoxicillin = entry("XJ01CAB037B436777560939", "阿莫西林胶囊", cap: 14.38)
    static let consultation = entry("001102000010000", "普通门诊诊查费", kind: .service)

    /// A claim of two ordinary lines, each matched in the auto zone.
    static func plainLines() -> (items: [LineItem], matches: [AuditMatch]) {
        (
            [
                item("普通门诊诊查费", unitPrice: 10, amount: 10),
                item("阿莫西林胶囊", spec: "0.25g*24粒", quantity: 2, unitPrice: 12.5, amount: 25),
            ],
            [AuditMatch(entry: consultation, zone: .auto), AuditMatch(entry: amoxicillin, zone: .auto)]
        )
    }

    static func input(
        _ items: [LineItem], matches: [AuditMatch], context: ClaimContext = context(), history: AuditHistory = AuditHistory(),
        pageHashes: [String] = ["aa11"], document: (([LineItem]) -> ParsedDocument)? = nil
    ) -> AuditInput {
        AuditInput(
            context: context, document: document?(items) ?? self.document(items), matches: matches, pageHashes: pageHashes,
            history: history)
    }

    /// One drug line with a catalogue entry carrying `remark`, for the restriction rules.
    static func restricted(_ remark: String, sex: String? = nil, age: Int? = nil) -> AuditInput {
        let drug = entry("XM05BAX001S000000000001", "阿仑膦酸钠片", restrictions: remark)
        return input(
            [item("阿仑膦酸钠片", unitPrice: 30, amount: 30)], matches: [AuditMatch(entry: drug, zone: .auto)],
            context: context(sex: sex, age: age))
    }

    /// A claim that fires `rule` (and, where it cannot be helped, others).
    static func firing(_ rule: AuditRuleID) -> AuditInput {
        let (items, matches) = plainLines()
        switch rule {
        case .duplicateInvoice:
            return input(items, matches: matches, history: AuditHistory(invoiceKeys: ["33010224/0081235720": "C-2026-0001"]))
        case .duplicateContent:
            let signature = ContentSignature(document(items))?.text ?? ""
            return input(items, matches: matches, history: AuditHistory(contentSignatures: [signature: "C-2026-0001"]))
        case .duplicatePage:
            return input(items, matches: matches, history: AuditHistory(pageHashes: ["aa11": "C-2026-0001"]))
        case .lineArithmetic:
            var wrong = items
            wrong[1] = item("阿莫西林胶囊", quantity: 2, unitPrice: 12.5, amount: 26, flags: [.arithmeticMismatch])
            return input(wrong, matches: matches)
        case .printedTotal:
            return input(items, matches: matches) { document($0, total: 45, flags: [.totalMismatch]) }
        case .detailListNeeded:
            return input([], matches: []) { document($0, total: 35, flags: [.categoriesOnly], categories: [("诊查费", 10), ("西药费", 25)]) }
        case .invoiceReconciliation:
            // The invoice prints 30.00 of 西药费; the detail list's drug is 25.00.
            return input(items, matches: matches) { document($0, categories: [("诊查费", 10), ("西药费", 30)]) }
        case .priceAboveCap:
            var high = items
            high[1] = item("阿莫西林胶囊", quantity: 2, unitPrice: 15, amount: 30)
            return input(high, matches: matches)
        case .quantityAboveLimit:
            var many = items
            many[1] = item("阿莫西林胶囊", quantity: 40, unitPrice: 12.5, amount: 500)
            return input(many, matches: matches)
        case .duplicateLine:
            return input(items + [items[1]], matches: matches + [matches[1]])
        case .restrictedUse:
            return restricted("限流感病毒感染的患者。")
        case .sexRestriction:
            return restricted("限绝经后女性骨质疏松症。", sex: "M")
        case .ageRestriction:
            return restricted("限2岁至11岁儿童慢性便秘。", age: 40)
        case .lowOCRConfidence:
            // Read unsure, and no quantity to check the price and amount against.
            var unsure = items
            unsure[1] = item("阿莫西林胶囊", quantity: nil, unitPrice: 12.5, amount: 25, confidence: 0.41)
            return input(unsure, matches: matches)
        case .repeatedDispensing:
            let earlier = DispensingRecord(
                insuredId: "330102199001011234", code: amoxicillin.code, date: "2026-02-27", claimId: "C-2026-0001")
            return input(items, matches: matches, history: AuditHistory(dispensing: [earlier]))
        case .settlementDiffers:
            // The hospital printed 30.00 from the fund; claimeye settles 20.00.
            return hospitalSettled(items, matches: matches, printedFund: 30)
        }
    }

    /// The claim with the hospital's fund payment printed on its invoice, and claimeye's
    /// settlement of it: the fund 20.00, the patient 15.00.
    static func hospitalSettled(_ items: [LineItem], matches: [AuditMatch], printedFund: Decimal) -> AuditInput {
        var claim = input(items, matches: matches) { lines in
            var printed = document(lines)
            printed.metadata.payments = [PaymentField(kind: .fund, label: "统筹基金支付", amount: Read(printedFund, confidence: 0.99, box: nil))]
            return printed
        }
        claim.settled = SettledFigures(fund: Fen(yuan: 20), criticalIllness: .zero, assistance: .zero, patient: Fen(yuan: 15))
        return claim
    }

    /// The nearest claim that does not fire `rule`.
    static func quiet(_ rule: AuditRuleID) -> AuditInput {
        let (items, matches) = plainLines()
        switch rule {
        case .duplicateInvoice:
            // Same code, another number.
            return input(items, matches: matches, history: AuditHistory(invoiceKeys: ["33010224/0081235721": "C-2026-0001"]))
        case .duplicateContent:
            // The earlier bill had one amount different.
            var other = items
            other[0] = item("普通门诊诊查费", unitPrice: 12, amount: 12)
            let signature = ContentSignature(document(other))?.text ?? ""
            return input(items, matches: matches, history: AuditHistory(contentSignatures: [signature: "C-2026-0001"]))
        case .duplicatePage:
            return input(items, matches: matches, history: AuditHistory(pageHashes: ["bb22": "C-2026-0001"]))
        case .lineArithmetic:
            // 3 × 3.33 printed for 3.333: within the rounding of the printed price.
            return input([item("维生素C片", quantity: 3, unitPrice: 3.33, amount: 10)], matches: [AuditMatch(entry: nil, zone: .none)])
        case .printedTotal:
            return input(items, matches: matches)
        case .detailListNeeded:
            // The same invoice with its detail list in the claim.
            return input(items, matches: matches) { document($0, categories: [("诊查费", 10), ("西药费", 25)]) }
        case .invoiceReconciliation:
            return input(items, matches: matches) { document($0, categories: [("诊查费", 10), ("西药费", 25)]) }
        case .priceAboveCap:
            var atCap = items
            atCap[1] = item("阿莫西林胶囊", quantity: 2, unitPrice: 14.38, amount: 28.76)
            return input(atCap, matches: matches)
        case .quantityAboveLimit:
            var atLimit = items
            atLimit[1] = item("阿莫西林胶囊", quantity: 30, unitPrice: 12.5, amount: 375)
            return input(atLimit, matches: matches)
        case .duplicateLine:
            // Same drug, another amount: two purchases, not one charged twice.
            return input(
                items + [item("阿莫西林胶囊", spec: "0.25g*24粒", quantity: 1, unitPrice: 12.5, amount: 12.5)],
                matches: matches + [matches[1]])
        case .restrictedUse:
            // A remark that is an indication text, not a payment restriction.
            return restricted("清热解毒，用于风热感冒。")
        case .sexRestriction:
            return restricted("限绝经后女性骨质疏松症。", sex: "F")
        case .ageRestriction:
            return restricted("限2岁至11岁儿童慢性便秘。", age: 11)
        case .lowOCRConfidence:
            // At the threshold, and (below it) vouched for by its arithmetic.
            var sure = items
            sure[0] = item("普通门诊诊查费", quantity: nil, unitPrice: 10, amount: 10, confidence: 0.6)
            sure[1] = item("阿莫西林胶囊", quantity: 2, unitPrice: 12.5, amount: 25, confidence: 0.41)
            return input(sure, matches: matches)
        case .repeatedDispensing:
            // Eight days earlier: outside the seven-day window.
            let earlier = DispensingRecord(
                insuredId: "330102199001011234", code: amoxicillin.code, date: "2026-02-22", claimId: "C-2026-0001")
            return input(items, matches: matches, history: AuditHistory(dispensing: [earlier]))
        case .settlementDiffers:
            // The hospital printed 20.50 from the fund: within the yuan of tolerance.
            return hospitalSettled(items, matches: matches, printedFund: Decimal(string: "20.50")!)
        }
    }

    /// RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character.isNewline {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
