import Foundation

/// The smart-supervision rules (DESIGN.md, "Audit"): each looks at the claim and its
/// history and reports what it finds, with evidence. Pure: the history comes in the
/// input, the config says which rules run and how serious each is.
public enum AuditRules {
    /// Every enabled rule's flags, claim-level first, then by line, rule and message.
    public static func check(_ input: AuditInput, config: AuditConfig = .standard) -> [AuditFlag] {
        let lines = input.lines
        var flags: [AuditFlag] = []
        for rule in AuditRuleID.allCases {
            let setting = config.setting(rule)
            guard setting.enabled else { continue }
            let found = findings(of: rule, input: input, lines: lines, config: config)
            flags += found.map { finding in
                AuditFlag(
                    rule: rule, severity: setting.severity, lineIndex: finding.line, message: finding.message,
                    evidence: finding.evidence)
            }
        }
        return flags.sorted(by: AuditFlag.precedes)
    }

    /// What one rule found, before the config gives it a severity.
    struct Finding {
        var line: Int?
        var message: String
        var evidence: [String: String]
    }

    static func findings(of rule: AuditRuleID, input: AuditInput, lines: [AuditLine], config: AuditConfig) -> [Finding] {
        switch rule {
        case .duplicateInvoice: duplicateInvoice(input)
        case .duplicateContent: duplicateContent(input)
        case .duplicatePage: duplicatePage(input)
        case .lineArithmetic: lines.compactMap(lineArithmetic)
        case .printedTotal: printedTotal(input)
        case .detailListNeeded: detailListNeeded(input)
        case .invoiceReconciliation: invoiceReconciliation(input)
        case .priceAboveCap: lines.compactMap { priceAboveCap($0, factor: input.priceCapFactor) }
        case .quantityAboveLimit: lines.compactMap { quantityAboveLimit($0, config: config) }
        case .duplicateLine: duplicateLines(lines)
        case .restrictedUse: lines.compactMap(restrictedUse)
        case .sexRestriction: lines.compactMap { sexRestriction($0, context: input.context) }
        case .ageRestriction: lines.compactMap { ageRestriction($0, context: input.context) }
        case .lowOCRConfidence: lowConfidence(input, lines: lines, threshold: config.lowConfidence)
        case .repeatedDispensing: repeatedDispensing(input, lines: lines, window: config.dispensingWindowDays)
        case .settlementDiffers: settlementDiffers(input, tolerance: config.settlementTolerance)
        }
    }

    // MARK: - Duplicates across claims

    /// 重复报销 by 票据代码 + 票据号码.
    static func duplicateInvoice(_ input: AuditInput) -> [Finding] {
        input.documents.enumerated().compactMap { index, document in
            guard let key = AuditKeys.invoiceKey(of: document), let earlier = input.history.invoiceKeys[key],
                earlier != input.context.claimId
            else { return nil }
            return Finding(
                line: nil,
                message: "Invoice \(key) (票据代码/票据号码) was already claimed in claim \(earlier): the same invoice cannot be reimbursed twice (重复报销).",
                evidence: [
                    "document": document.source, "invoice_code": document.metadata.invoiceCode?.value ?? "",
                    "invoice_number": document.metadata.invoiceNumber?.value ?? "", "earlier_claim": earlier,
                ])
        }
    }

    /// The same content under another scan: see `ContentSignature`.
    static func duplicateContent(_ input: AuditInput) -> [Finding] {
        input.documents.compactMap { document in
            guard let signature = ContentSignature(document), let earlier = input.history.contentSignatures[signature.text],
                earlier != input.context.claimId
            else { return nil }
            return Finding(
                line: nil,
                message: "This document has the same hospital, date, total and line amounts as a document of claim \(earlier): it looks like a re-scan of a bill already claimed (重复报销).",
                evidence: ["document": document.source, "signature": signature.text, "earlier_claim": earlier])
        }
    }

    /// The same file bytes as an earlier claim's page.
    static func duplicatePage(_ input: AuditInput) -> [Finding] {
        input.pageHashes.enumerated().compactMap { page, hash in
            guard let earlier = input.history.pageHashes[hash.lowercased()] ?? input.history.pageHashes[hash],
                earlier != input.context.claimId
            else { return nil }
            return Finding(
                line: nil,
                message: "Page \(page + 1) is byte for byte a page already submitted with claim \(earlier).",
                evidence: ["page": String(page + 1), "sha256": hash.lowercased(), "earlier_claim": earlier])
        }
    }

    // MARK: - The document's own arithmetic

    /// quantity × unit price against the amount. The tolerance allows for the unit price
    /// being printed rounded to the fen (half a fen per unit) and the amount rounded
    /// once (half a fen): 3 × 3.33 printed for a price of 3.333 still agrees with 10.00.
    static func lineArithmetic(_ line: AuditLine) -> Finding? {
        guard let quantity = line.item.quantity?.value, let price = line.item.unitPrice?.value,
            let amount = line.item.amount?.value
        else { return nil }
        let product = quantity * price
        guard !arithmeticAgrees(quantity: quantity, unitPrice: price, amount: amount) else { return nil }
        return Finding(
            line: line.index,
            message: "Quantity × unit price (\(plain(quantity)) × \(Money.format(price)) = \(Money.format(product))) does not equal the line's amount \(Money.format(amount)) (金额); one of the figures may be misread.",
            evidence: [
                "quantity": plain(quantity), "unit_price": Money.format(price), "amount": Money.format(amount),
                "product": Money.format(product), "parser_flag": line.item.flags.contains(.arithmeticMismatch) ? "arithmetic_mismatch" : "none",
            ])
    }

    /// Whether quantity × unit price is the amount, within the rounding of a printed
    /// unit price (half a fen per unit) and of the amount (half a fen).
    public static func arithmeticAgrees(quantity: Decimal, unitPrice: Decimal, amount: Decimal) -> Bool {
        var difference = quantity * unitPrice - amount
        if difference < 0 { difference = -difference }
        let magnitude = quantity < 0 ? -quantity : quantity
        return difference <= Decimal(sign: .plus, exponent: -3, significand: 5) * (magnitude + 1)
    }

    /// The lines against the printed total (合计). The parser decides whether the
    /// comparison is fair (it knows when a document's pages are all there); the rule
    /// reports it with the figures.
    static func printedTotal(_ input: AuditInput) -> [Finding] {
        input.documents.compactMap { document in
            guard document.flags.contains(.totalMismatch), let total = document.metadata.total?.value else { return nil }
            let sum = document.items.compactMap { $0.amount?.value }.reduce(0, +)
            return Finding(
                line: nil,
                message: "The lines add up to \(Money.format(sum)) but the document prints a total (合计) of \(Money.format(total)): a line may be missing or misread.",
                evidence: [
                    "document": document.source, "lines_sum": Money.format(sum), "printed_total": Money.format(total),
                    "difference": Money.format(total - sum),
                ])
        }
    }

    /// An invoice of fee categories alone: the claim waits for its detail list.
    static func detailListNeeded(_ input: AuditInput) -> [Finding] {
        let categories = input.documents.flatMap(\.categories)
        guard !categories.isEmpty, input.documents.allSatisfy({ $0.items.isEmpty }) else { return [] }
        let sum = categories.map(\.amount.value).reduce(0, +)
        return [Finding(
            line: nil,
            message: "The document lists \(categories.count) fee categories (\(Money.format(sum)) in all) and no items: the detail list (费用清单) is needed.",
            evidence: ["categories": categories.map { "\($0.name.value) \(Money.format($0.amount.value))" }.joined(separator: "; "), "categories_sum": Money.format(sum)])]
    }

    /// The invoice is the check on the detail list: the items of each category the items
    /// name against its category line, and all items against the category lines' sum.
    static func invoiceReconciliation(_ input: AuditInput) -> [Finding] {
        let categories = input.documents.flatMap(\.categories)
        let items = input.documents.flatMap(\.items)
        guard !categories.isEmpty, !items.isEmpty else { return [] }
        var findings: [Finding] = []
        let byName = Dictionary(grouping: categories) { InvoiceFields.categoryBase(TextFolding.compact($0.name.value)) ?? $0.name.value }
        let headed = items.filter { ($0.heading ?? $0.feeCategory) != nil }
        let itemsByCategory = Dictionary(grouping: headed) { item in
            (item.heading ?? item.feeCategory).flatMap { InvoiceFields.categoryBase(TextFolding.compact($0)) } ?? ""
        }
        for (name, lines) in byName.sorted(by: { $0.key < $1.key }) {
            guard let covered = itemsByCategory[name] else { continue }
            let printed = lines.map(\.amount.value).reduce(0, +)
            let sum = covered.compactMap { $0.amount?.value }.reduce(0, +)
            guard printed != sum else { continue }
            findings.append(Finding(
                line: nil,
                message: "The detail list's \(name) items add up to \(Money.format(sum)) but the invoice prints \(Money.format(printed)) for \(name).",
                evidence: ["category": name, "items_sum": Money.format(sum), "invoice_amount": Money.format(printed), "difference": Money.format(printed - sum)]))
        }
        let printed = categories.map(\.amount.value).reduce(0, +)
        let sum = items.compactMap { $0.amount?.value }.reduce(0, +)
        if printed != sum {
            findings.append(Finding(
                line: nil,
                message: "The items add up to \(Money.format(sum)) but the invoice's fee categories add up to \(Money.format(printed)): an item or a category may be missing or misread.",
                evidence: ["items_sum": Money.format(sum), "categories_sum": Money.format(printed), "difference": Money.format(printed - sum)]))
        }
        return findings
    }

    // MARK: - Per line, against the catalogue

    /// 超限价: the unit price above the entry's cap (times the policy's factor).
    static func priceAboveCap(_ line: AuditLine, factor: Decimal) -> Finding? {
        guard let entry = line.match.entry, let entryCap = entry.priceCap, let price = line.item.unitPrice?.value else {
            return nil
        }
        let cap = Money.roundToFen(entryCap * factor)
        guard price > cap else { return nil }
        return Finding(
            line: line.index,
            message: "The unit price \(Money.format(price)) is above the catalogue's price cap of \(Money.format(cap)) (超限价); the part above the cap is self-paid.",
            evidence: ["code": entry.code, "unit_price": Money.format(price), "price_cap": Money.format(cap), "over_by": Money.format(price - cap)])
    }

    /// 超量: more units on one line than the entry's (or its kind's) limit.
    static func quantityAboveLimit(_ line: AuditLine, config: AuditConfig) -> Finding? {
        guard let quantity = line.item.quantity?.value,
            let limit = config.quantityLimit(code: line.code, kind: line.match.entry?.kind), quantity > limit
        else { return nil }
        let source = line.code.flatMap { config.quantityLimits[$0] } != nil ? "code \(line.code ?? "")" : "kind \(line.match.entry?.kind.rawValue ?? "")"
        return Finding(
            line: line.index,
            message: "Quantity \(plain(quantity)) is above the limit of \(plain(limit)) per line (超量); a person must confirm it was prescribed.",
            evidence: ["quantity": plain(quantity), "limit": plain(limit), "limit_from": source, "code": line.code ?? ""])
    }

    /// The same name, spec, unit price and amount as an earlier line of the claim. The
    /// first occurrence is not flagged; each repeat names it.
    static func duplicateLines(_ lines: [AuditLine]) -> [Finding] {
        var first: [String: AuditLine] = [:]
        var findings: [Finding] = []
        for line in lines {
            guard let amount = line.item.amount?.value, amount != 0 else { continue }
            let name = TextFolding.compact(line.item.name.value)
            let spec = TextFolding.compact(line.item.spec?.value ?? "")
            let price = line.item.unitPrice.map { Money.format($0.value) } ?? ""
            let key = [name, spec, price, Money.format(amount)].joined(separator: "\u{1F}")
            guard let earlier = first[key] else {
                first[key] = line
                continue
            }
            findings.append(Finding(
                line: line.index,
                message: "Same name, spec, unit price and amount as line \(earlier.index + 1): possibly charged twice (重复收费).",
                evidence: [
                    "first_line": String(earlier.index + 1), "name": line.item.name.value, "spec": line.item.spec?.value ?? "",
                    "unit_price": price, "amount": Money.format(amount),
                ]))
        }
        return findings
    }

    /// 限定支付范围: the fund pays only under the remark's conditions, which the bill
    /// cannot show, so a person checks them.
    static func restrictedUse(_ line: AuditLine) -> Finding? {
        guard let entry = line.match.entry, let remark = entry.restrictions, PatientRestriction.isPaymentRestriction(remark) else {
            return nil
        }
        let sentence = remark.hasSuffix("。") || remark.hasSuffix(".") ? remark : remark + "。"
        return Finding(
            line: line.index,
            message: "Restricted payment scope (限定支付范围) of \(entry.name): \(sentence) The bill cannot show that this is met; a person must confirm it.",
            evidence: ["code": entry.code, "restriction": remark])
    }

    static func sexRestriction(_ line: AuditLine, context: ClaimContext) -> Finding? {
        guard let entry = line.match.entry, let remark = entry.restrictions, PatientRestriction.isPaymentRestriction(remark),
            let sex = PatientRestriction.normalisedSex(context.sex)
        else { return nil }
        let restriction = PatientRestriction(remark: remark)
        guard let sexes = restriction.sexes, !restriction.allows(sex: sex) else { return nil }
        let allowed = sexes.sorted().map { $0 == "F" ? "female" : "male" }.joined(separator: " or ")
        return Finding(
            line: line.index,
            message: "\(entry.name) is paid only for \(allowed) patients (限\(sexes == ["F"] ? "女性" : "男性")); the claimant is recorded as \(sex == "F" ? "female" : "male").",
            evidence: ["code": entry.code, "restriction": remark, "sex": sex, "allowed_sex": sexes.sorted().joined(separator: ",")])
    }

    static func ageRestriction(_ line: AuditLine, context: ClaimContext) -> Finding? {
        guard let entry = line.match.entry, let remark = entry.restrictions, PatientRestriction.isPaymentRestriction(remark),
            let age = context.age
        else { return nil }
        let restriction = PatientRestriction(remark: remark)
        guard let ages = restriction.ages, !restriction.allows(age: age) else { return nil }
        let allowed = ages.map(\.description).joined(separator: ", ")
        return Finding(
            line: line.index,
            message: "\(entry.name) is paid only for patients aged \(allowed) (年龄限制); the claimant is \(age).",
            evidence: ["code": entry.code, "restriction": remark, "age": String(age), "allowed_ages": allowed])
    }

    // MARK: - Reading quality

    /// Money fields read below the threshold that nothing else vouches for: one flag per
    /// line naming each such field, and one per document for its printed total.
    ///
    /// A unit price and an amount that agree with the quantity (quantity × unit price =
    /// amount) vouch for each other, and lines that add up to the printed total vouch
    /// for it, whatever the engine's confidence. On the recorded fixture OCR, 137 money
    /// fields read below 0.6; 130 of them agreed with their line's arithmetic (2 of those
    /// wrong), the other 7 did not (5 wrong): the engine's confidence alone points at
    /// a misreading one time in twenty, the two together nearly three times in four.
    static func lowConfidence(_ input: AuditInput, lines: [AuditLine], threshold: Double) -> [Finding] {
        var findings: [Finding] = []
        for document in input.documents {
            guard let total = document.metadata.total, total.confidence < threshold else { continue }
            let sum = document.items.compactMap { $0.amount?.value }.reduce(0, +)
            if !document.items.isEmpty, sum == total.value { continue }
            findings.append(Finding(
                line: nil,
                message: "The printed total (合计) \(Money.format(total.value)) was read with confidence \(confidence(total.confidence)), below \(confidence(threshold)), and the lines do not confirm it: check it against the page.",
                evidence: [
                    "document": document.source, "total": confidence(total.confidence), "threshold": confidence(threshold),
                    "lines_sum": Money.format(sum),
                ]))
        }
        for line in lines {
            let item = line.item
            if item.quantity != nil, item.unitPrice != nil, item.amount != nil, lineArithmetic(line) == nil { continue }
            let fields: [(name: String, label: String, read: Read<Decimal>?)] = [
                ("unit_price", "unit price (单价)", item.unitPrice), ("amount", "amount (金额)", item.amount),
            ]
            let low = fields.compactMap { field in field.read.map { (name: field.name, label: field.label, read: $0) } }
                .filter { $0.read.confidence < threshold }
            guard !low.isEmpty else { continue }
            var evidence = ["threshold": confidence(threshold)]
            for field in low { evidence[field.name] = confidence(field.read.confidence) }
            let described = low.map { "the \($0.label) \(Money.format($0.read.value)) at \(confidence($0.read.confidence))" }
            findings.append(Finding(
                line: line.index,
                message: "OCR was unsure of \(described.joined(separator: " and ")), below \(confidence(threshold)), and the line's arithmetic does not confirm it: check it against the page.",
                evidence: evidence))
        }
        return findings
    }

    // MARK: - Across claims of one person

    /// The hospital's own settlement, where the invoice prints it, against claimeye's: each
    /// payer printed (the basic fund, the critical-illness insurance, the medical
    /// assistance, and the patient as personal account plus cash) differing by more than
    /// `tolerance`, with both figures. Compared only when the invoice shows a fund paying
    /// something; a claim with lines still held is not compared: its figures are not final.
    static func settlementDiffers(_ input: AuditInput, tolerance: Decimal) -> [Finding] {
        // Nothing to compare for a claim still held, or one that settled no line (an
        // invoice of fee categories alone waits for its detail list).
        guard let settled = input.settled, settled.pending == .zero,
            settled.fund + settled.criticalIllness + settled.assistance + settled.patient != .zero
        else { return [] }
        let payments = input.documents.flatMap(\.metadata.payments)
        // Only a hospital that settled with a fund printed a settlement to compare: an
        // invoice paid in full by the patient (the window's usual claim) shows none.
        let fundKinds: Set<PaymentKind> = [.fund, .criticalIllness, .assistance]
        guard payments.contains(where: { fundKinds.contains($0.kind) && $0.amount.value != 0 }) else { return [] }
        func printed(_ kinds: Set<PaymentKind>) -> (amount: Decimal, labels: String)? {
            let found = payments.filter { kinds.contains($0.kind) }
            guard !found.isEmpty else { return nil }
            return (found.reduce(0) { $0 + $1.amount.value }, found.map(\.label).joined(separator: " + "))
        }
        let payers: [(String, Set<PaymentKind>, Fen)] = [
            ("the basic fund", [.fund], settled.fund), ("the critical-illness insurance", [.criticalIllness], settled.criticalIllness),
            ("the medical assistance", [.assistance], settled.assistance), ("the patient", [.cash, .personalAccount], settled.patient),
        ]
        return payers.compactMap { payer, kinds, ours in
            guard let (theirs, labels) = printed(kinds) else { return nil }
            let gap = theirs - ours.yuan
            guard abs(gap) > tolerance else { return nil }
            return Finding(
                line: nil,
                message: "The invoice prints \(labels) \(Money.format(theirs)) for \(payer); claimeye settles \(ours) (a difference of \(Money.format(abs(gap))), above the tolerance of \(Money.format(tolerance)))",
                evidence: ["payer": payer, "printed": Money.format(theirs), "settled": ours.description, "printed_labels": labels])
        }
    }

    /// 重复开药: the same drug for the same insured person within the window, in another
    /// claim. The nearest earlier dispensing is named (ties: the smaller claim id).
    static func repeatedDispensing(_ input: AuditInput, lines: [AuditLine], window: Int) -> [Finding] {
        guard let insured = input.context.insuredId, let date = input.serviceDate, let day = ISODate.dayNumber(date) else {
            return []
        }
        var byCode: [String: [(days: Int, record: DispensingRecord)]] = [:]
        for record in input.history.dispensing where record.insuredId == insured && record.claimId != input.context.claimId {
            guard let other = ISODate.dayNumber(record.date) else { continue }
            let apart = abs(other - day)
            if apart <= window { byCode[record.code, default: []].append((apart, record)) }
        }
        return lines.compactMap { line in
            guard line.match.entry?.kind == .drug, let code = line.code, (line.item.quantity?.value ?? 1) > 0,
                let nearest = byCode[code]?.min(by: { ($0.days, $0.record.claimId, $0.record.date) < ($1.days, $1.record.claimId, $1.record.date) })
            else { return nil }
            return Finding(
                line: line.index,
                message: "The same drug was dispensed to this insured person on \(nearest.record.date) in claim \(nearest.record.claimId), \(nearest.days) day\(nearest.days == 1 ? "" : "s") from this claim's \(date), within the \(window)-day window (重复开药).",
                evidence: [
                    "code": code, "earlier_claim": nearest.record.claimId, "earlier_date": nearest.record.date, "service_date": date,
                    "days_apart": String(nearest.days), "window_days": String(window),
                ])
        }
    }

    // MARK: - Formatting

    /// A quantity as plain decimal text (`2`, `0.5`), never in exponent form.
    static func plain(_ value: Decimal) -> String {
        NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }

    /// A 0–1 confidence with two decimals, e.g. `0.42`: the parser's value rounded for
    /// display; the comparison itself used the exact value.
    static func confidence(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
