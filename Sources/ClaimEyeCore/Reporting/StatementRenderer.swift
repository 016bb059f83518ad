import Foundation

/// Renders a claimant's statement as one self-contained HTML page: inline CSS, no script,
/// no external resource (page images come inline as data URIs), laid out for A4 paper
/// and for a screen 210 mm wide. The same statement gives the same bytes.
public enum StatementRenderer {
    /// The statement's HTML page.
    public static func render(_ statement: Statement) -> String {
        var html = HTMLWriter()
        let settlement = statement.settlement
        let claimId = settlement.claimId
        html.raw("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<title>Claim statement \(HTMLText.escape(claimId))</title>\n<style>\n\(stylesheet)</style>\n</head>\n<body>\n")
        header(&html, statement)
        findings(&html, statement)
        items(&html, statement)
        pages(&html, statement)
        html.raw("</body>\n</html>\n")
        return html.text
    }

    // MARK: - Sections

    private static func header(_ html: inout HTMLWriter, _ statement: Statement) {
        let settlement = statement.settlement
        let context = settlement.context
        let terms = settlement.terms
        let totals = settlement.totals
        html.raw("<header>\n<h1>Claim statement <span class=\"zh\">医疗费用报销结算单</span></h1>\n")
        html.raw("<p class=\"claim-id\">Claim <strong>\(HTMLText.escape(settlement.claimId))</strong></p>\n</header>\n")
        html.raw("<section class=\"summary\">\n<table class=\"facts\">\n")
        let status = statement.status == .settled ? "Settled (已结算)" : "Needs review (待审核): held for a person before payment"
        let facts: [(String, String)] = [
            ("Insured person (参保人)", context.insuredId.map(maskPersonal) ?? "not given"),
            ("Insurance type (险种)", context.insuranceType == .employee ? "Employee (职工医保)" : "Resident (居民医保)"),
            ("Institution level (医院等级)", "Level \(context.institutionLevel) (\(["一", "二", "三"][safe: context.institutionLevel - 1] ?? "?")级)"),
            ("Visit type (就诊类型)", context.visitType == .outpatient ? "Outpatient (门诊)" : "Inpatient (住院)"),
            ("Service date (就诊日期)", context.serviceDate ?? "not given"),
            ("Status (状态)", status),
            ("Policy (政策)", "\(terms.region), period from \(terms.periodFrom): fund ratio \(HTMLText.percent(terms.ratio)), deductible \(Money.format(terms.deductible)), class-B self-pay \(HTMLText.percent(terms.classBSelfPayRatio))"),
        ]
        for (label, value) in facts {
            html.raw("<tr><th>\(HTMLText.escape(label))</th><td>\(HTMLText.escape(value))</td></tr>\n")
        }
        html.raw("</table>\n<table class=\"totals\">\n")
        // Each fund in the order it pays, then what is left to the patient; the
        // supplementary funds only for a policy that has them.
        var money: [(String, Fen)] = [("Total amount (费用总额)", totals.amount), ("Fund pays (统筹基金支付)", totals.fundPay)]
        if settlement.funds.criticalIllness { money.append(("Critical-illness insurance pays (大病保险)", totals.criticalIllnessPay)) }
        if settlement.funds.assistance { money.append(("Medical assistance pays (医疗救助)", totals.assistancePay)) }
        money.append(("You pay (个人自付)", totals.selfPay))
        let main = money.count
        if totals.pending != .zero { money.append(("Held for review (待审核金额)", totals.pending)) }
        money += [
            ("of which all self-paid (全自费)", totals.fullSelfPay), ("above the price cap (超限价)", totals.overLimit),
            ("class-B share paid first (先行自付)", totals.selfPayFirst), ("within the policy scope (符合政策范围)", totals.policyScope),
            ("deductible (起付线)", totals.deductible),
        ]
        for (index, (label, amount)) in money.enumerated() {
            let emphasis = index < main ? " class=\"main\"" : ""
            html.raw("<tr\(emphasis)><th>\(HTMLText.escape(label))</th><td class=\"num\">\(amount)</td></tr>\n")
        }
        for (reached, code) in [
            (settlement.annualCapReached, ReasonCode.annualCapReached),
            (settlement.criticalIllnessCapReached, .criticalIllnessCapReached), (settlement.assistanceCapReached, .assistanceCapReached),
        ] where reached {
            html.raw("<tr><td colspan=\"2\">\(HTMLText.escape(code.plainWords))</td></tr>\n")
        }
        html.raw("</table>\n</section>\n")
    }

    /// The claim-level findings (duplicates, printed total), then a count of line flags.
    private static func findings(_ html: inout HTMLWriter, _ statement: Statement) {
        let flags = statement.flags.sorted(by: AuditFlag.precedes)
        guard !flags.isEmpty else { return }
        html.raw("<section class=\"findings\">\n<h2>Checks on this claim <span class=\"zh\">智能审核</span></h2>\n<ul>\n")
        for flag in flags where flag.lineIndex == nil {
            html.raw("<li class=\"\(flag.severity.rawValue)\">\(severityTag(flag.severity)) \(HTMLText.escape(flag.message))</li>\n")
        }
        let lineFlags = flags.filter { $0.lineIndex != nil }
        if !lineFlags.isEmpty {
            let lines = Set(lineFlags.compactMap(\.lineIndex)).count
            html.raw("<li>\(lineFlags.count) finding\(lineFlags.count == 1 ? "" : "s") on \(lines) line\(lines == 1 ? "" : "s"), marked <span class=\"mark\">!</span> below and in red on the scanned pages.</li>\n")
        }
        html.raw("</ul>\n</section>\n")
    }

    private static func items(_ html: inout HTMLWriter, _ statement: Statement) {
        let settlement = statement.settlement
        let flagsByLine = Dictionary(grouping: statement.flags.filter { $0.lineIndex != nil }, by: { $0.lineIndex ?? -1 })
        html.raw("<section class=\"items\">\n<h2>Items <span class=\"zh\">费用明细</span></h2>\n<table class=\"lines\">\n")
        html.raw("<colgroup><col class=\"c-no\"><col class=\"c-item\"><col class=\"c-class\"><col class=\"c-money\"><col class=\"c-ratio\"><col class=\"c-money\"><col class=\"c-money\"><col class=\"c-reasons\"></colgroup>\n")
        html.raw("<thead><tr><th>#</th><th>Item as read / catalogue match<br><span class=\"zh\">项目 / 目录匹配</span></th><th>Class<br><span class=\"zh\">类别</span></th><th class=\"num\">Amount<br><span class=\"zh\">金额</span></th><th class=\"num\">Ratio<br><span class=\"zh\">报销比例</span></th><th class=\"num\">Fund pays<br><span class=\"zh\">基金支付</span></th><th class=\"num\">You pay<br><span class=\"zh\">自付</span></th><th>Why<br><span class=\"zh\">说明</span></th></tr></thead>\n<tbody>\n")
        for line in settlement.lines {
            let item = statement.items[safe: line.index]
            let entry = statement.entries[safe: line.index] ?? nil
            let lineFlags = (flagsByLine[line.index] ?? []).sorted(by: AuditFlag.precedes)
            let flagged = !lineFlags.isEmpty
            html.raw("<tr id=\"line-\(line.index + 1)\"\(flagged ? " class=\"flagged\"" : "")>")
            html.raw("<td>\(line.index + 1)\(flagged ? " <span class=\"mark\">!</span>" : "")</td>")
            let read = item?.nameRead ?? line.name
            html.raw("<td><div class=\"read\">\(HTMLText.escape(read))</div>")
            if let spec = item?.spec?.value, !spec.isEmpty {
                html.raw("<div class=\"spec\">\(HTMLText.escape(spec))\(item?.quantity.map { " × " + AuditRules.plain($0.value) } ?? "")</div>")
            }
            if let entry {
                html.raw("<div class=\"match\">→ \(HTMLText.escape(entry.name)) <span class=\"code\">\(HTMLText.escape(entry.code))</span>\(line.zone == .review ? " (proposed)" : "")</div>")
            } else {
                html.raw("<div class=\"match none\">no catalogue match (目录外)</div>")
            }
            html.raw("</td>")
            html.raw("<td>\(HTMLText.escape(line.reimbursementClass?.rawValue ?? "—"))</td>")
            html.raw("<td class=\"num\">\(line.amount)</td>")
            html.raw("<td class=\"ratio\">\(HTMLText.escape(ratio(line, terms: settlement.terms)))</td>")
            if line.held {
                html.raw("<td class=\"num held\" colspan=\"2\">held: \(line.pending)</td>")
            } else {
                html.raw("<td class=\"num\">\(line.fundPay)</td><td class=\"num\">\(line.selfPay)</td>")
            }
            html.raw("<td><ul class=\"reasons\">")
            for reason in line.reasons {
                html.raw("<li>\(HTMLText.escape(reason.plainWords))</li>")
            }
            for flag in lineFlags {
                html.raw("<li class=\"\(flag.severity.rawValue)\">\(severityTag(flag.severity)) \(HTMLText.escape(flag.message))</li>")
            }
            html.raw("</ul></td></tr>\n")
        }
        let totals = settlement.totals
        html.raw("</tbody>\n<tfoot><tr><th></th><th>Total (合计)</th><th></th><td class=\"num\">\(totals.amount)</td><td></td>")
        html.raw("<td class=\"num\">\(totals.fundPay)</td><td class=\"num\">\(totals.selfPay)</td>")
        html.raw("<td>\(totals.pending == .zero ? "" : "held for review: \(totals.pending)")</td></tr></tfoot>\n</table>\n</section>\n")
    }

    /// Each scanned page with every line's box; flagged lines in red.
    private static func pages(_ html: inout HTMLWriter, _ statement: Statement) {
        let flagged = statement.flaggedLines
        for (number, page) in statement.pages.enumerated() {
            guard page.width > 0, page.height > 0 else { continue }
            html.raw("<section class=\"page\">\n<h2>Page \(number + 1): \(HTMLText.escape(page.name))</h2>\n")
            if let readBy = page.readBy { html.raw("<p class=\"read-by\">\(HTMLText.escape(readBy))</p>\n") }
            html.raw("<div class=\"scan\" style=\"aspect-ratio: \(page.width) / \(page.height)\">")
            if let uri = HTMLText.imageDataURI(page.imageDataURI) {
                html.raw("<img src=\"\(uri)\" alt=\"Scan of page \(number + 1)\">")
            } else {
                html.raw("<p class=\"noimage\">The page image is not available; the boxes show where each line was read.</p>")
            }
            html.raw("<svg viewBox=\"0 0 \(page.width) \(page.height)\" preserveAspectRatio=\"none\" aria-hidden=\"true\">")
            let labelSize = max(14, page.height / 60)
            for line in page.lines.sorted(by: { ($0.lineIndex, $0.box.y, $0.box.x) < ($1.lineIndex, $1.box.y, $1.box.x) }) {
                let box = line.box
                let mark = flagged.contains(line.lineIndex) ? "flagged" : "line"
                html.raw("<rect class=\"\(mark)\" x=\"\(box.x)\" y=\"\(box.y)\" width=\"\(box.width)\" height=\"\(box.height)\"/>")
                html.raw("<text class=\"\(mark)\" x=\"\(max(0, box.x - 4))\" y=\"\(box.y + box.height / 2)\" font-size=\"\(labelSize)\">\(line.lineIndex + 1)</text>")
            }
            html.raw("</svg></div>\n")
            html.raw("<p class=\"legend\"><span class=\"key line\"></span> a line as read <span class=\"key flagged\"></span> a line with a finding</p>\n</section>\n")
        }
    }

    // MARK: - Pieces

    /// The policy ratio the fund applied to the line's in-scope part, or why none.
    static func ratio(_ line: LineSettlement, terms: SettlementTerms) -> String {
        if line.held { return "pending" }
        if line.policyScope == .zero { return "0%" }
        var text = HTMLText.percent(terms.ratio)
        if line.reimbursementClass == .b, let share = line.selfPayRatio {
            text += " of the rest after \(HTMLText.percent(share)) 乙类自付"
        }
        return text
    }

    private static func severityTag(_ severity: AuditSeverity) -> String {
        severity == .block ? "<strong class=\"tag block\">Held for review</strong>" : "<strong class=\"tag warn\">Note</strong>"
    }

    /// Screen: a 210 mm column with 12 mm margins; print: A4 with the same margins.
    /// Tables have fixed column widths and break long readings anywhere, so nothing an
    /// OCR line holds can widen the page.
    static let stylesheet = """
        @page { size: A4; margin: 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; background: #fff; }
        body { margin: 0 auto; padding: 12mm; max-width: 210mm; color: #111;
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans", sans-serif;
          font-size: 10pt; line-height: 1.35; overflow-wrap: anywhere; }
        h1 { font-size: 17pt; margin: 0 0 2mm; }
        h2 { font-size: 12pt; margin: 5mm 0 2mm; }
        .zh { font-weight: normal; color: #444; }
        .claim-id { font-size: 13pt; margin: 0 0 3mm; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.5mm; border-bottom: 0.3mm solid #ccc; }
        .summary { display: flex; gap: 4mm; }
        .summary table.facts { flex: 3; }
        .summary table.totals { flex: 2; }
        .facts th { width: 40%; font-weight: 600; }
        .totals th { font-weight: normal; }
        .totals tr.main th, .totals tr.main td { font-weight: 700; font-size: 11pt; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.lines { font-size: 8.5pt; }
        table.lines thead th { border-bottom: 0.5mm solid #333; }
        table.lines tr { break-inside: avoid; }
        col.c-no { width: 5%; } col.c-item { width: 26%; } col.c-class { width: 6%; } col.c-money { width: 9.5%; }
        col.c-ratio { width: 9%; } col.c-reasons { width: 25.5%; }
        td.ratio { text-align: right; }
        td.num.held { text-align: center; color: #8a5a00; }
        .read { font-weight: 600; }
        .spec, .code { color: #555; }
        .match.none { color: #8a5a00; }
        ul { margin: 0; padding-left: 4mm; }
        ul.reasons li { margin-bottom: 0.6mm; }
        tr.flagged { background: #fdecec; }
        .mark { color: #c62828; font-weight: 700; }
        .tag.block { color: #c62828; }
        .tag.warn { color: #8a5a00; }
        .findings li.block { color: #8b1a1a; }
        tfoot th, tfoot td { font-weight: 700; border-top: 0.5mm solid #333; }
        .page { break-before: page; }
        .scan { position: relative; width: 100%; border: 0.3mm solid #999; background: #f4f4f4; }
        .scan img { display: block; width: 100%; height: 100%; }
        .scan svg { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
        .scan p.noimage { position: absolute; left: 3mm; top: 3mm; margin: 0; color: #555; }
        rect.line { fill: none; stroke: #1f5fbf; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
        rect.flagged { fill: rgba(198, 40, 40, 0.14); stroke: #c62828; stroke-width: 2.5; vector-effect: non-scaling-stroke; }
        text { text-anchor: end; dominant-baseline: middle; font-family: "DejaVu Sans", sans-serif; }
        text.line { fill: #1f5fbf; }
        text.flagged { fill: #c62828; font-weight: 700; }
        .legend { font-size: 8.5pt; color: #444; }
        .key { display: inline-block; width: 8mm; height: 3mm; vertical-align: middle; margin: 0 1mm 0 3mm; }
        .key.line { border: 0.4mm solid #1f5fbf; }
        .key.flagged { border: 0.6mm solid #c62828; background: rgba(198, 40, 40, 0.14); }
        @media print { body { padding: 0; max-width: none; } }

        """
}

/// Accumulates a page's text.
struct HTMLWriter {
    var text = ""

    /// Appends markup as is: only for markup built here, never for outside strings.
    mutating func raw(_ markup: String) { text += markup }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
