import Foundation

extension FundReport {
    /// The column titles, shared by the table and the CSV.
    static let columns = ["claims", "needs_review", "amount", "fund_pay", "self_pay", "flags"]

    private func cells(_ row: Row) -> [String] {
        [String(row.claims), String(row.needsReview), row.amount.description, row.fundPay.description,
         row.selfPay.description, String(row.flags)]
    }

    /// A heading line naming the grouping and the date range.
    var title: String {
        "Fund report by \(grouping.rawValue), service dates \(from ?? "any") to \(to ?? "any")"
    }

    /// An aligned text table: the group names left-aligned (CJK counted two columns
    /// wide, as a terminal shows them), numbers right-aligned, the total last.
    public func table() -> String {
        let header = [grouping.rawValue] + Self.columns
        let body = (rows + [total]).map { [$0.key] + cells($0) }
        var widths = header.map(Self.displayWidth)
        for row in body {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            let joined = cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - Self.displayWidth(cell))
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
            return Self.trimTrailing(joined)
        }
        var text = title + "\n\n" + line(header) + "\n"
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in body.dropLast() { text += line(row) + "\n" }
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        if let last = body.last { text += line(last) + "\n" }
        return text
    }

    /// CSV through `CSVText` with a header; the total is the last row, named `TOTAL`.
    public func csv() -> String {
        CSVText.row([grouping.rawValue] + Self.columns) + (rows + [total]).map { CSVText.row([$0.key] + cells($0)) }.joined()
    }

    /// A self-contained HTML page: the table and two inline SVG bar charts (amount split
    /// into fund pay and self-pay, and flags per group). No script, no external resource.
    public func html() -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(Self.stylesheet)</style>\n</head>\n<body>\n"
        page += "<h1>\(HTMLText.escape(title))</h1>\n"
        page += "<p>\(total.claims) claims, \(total.needsReview) waiting for review; amount \(total.amount), fund pay \(total.fundPay), self-pay \(total.selfPay), \(total.flags) audit flags.</p>\n"
        page += "<table>\n<thead><tr><th>\(HTMLText.escape(grouping.rawValue))</th>"
        for column in Self.columns { page += "<th class=\"num\">\(column.replacingOccurrences(of: "_", with: " "))</th>" }
        page += "</tr></thead>\n<tbody>\n"
        for row in rows {
            page += "<tr><td>\(HTMLText.escape(row.key))</td>" + cells(row).map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>\n"
        }
        page += "</tbody>\n<tfoot><tr><th>Total</th>" + cells(total).map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr></tfoot>\n</table>\n"
        page += "<h2>Amount by \(HTMLText.escape(grouping.rawValue)): fund pay and self-pay</h2>\n"
        page += barChart(
            rows.map { ($0.key, [$0.fundPay.value, $0.selfPay.value], "\($0.fundPay) + \($0.selfPay)") },
            series: ["fund", "self"], legend: ["fund pay", "self-pay"])
        page += "<h2>Audit flags by \(HTMLText.escape(grouping.rawValue))</h2>\n"
        page += barChart(rows.map { ($0.key, [Int64($0.flags)], String($0.flags)) }, series: ["flags"], legend: ["flags"])
        page += "</body>\n</html>\n"
        return page
    }

    /// Horizontal stacked bars, one per group, scaled to the largest stack. Negative
    /// parts (refunds outweighing charges) draw as nothing.
    private func barChart(_ bars: [(label: String, parts: [Int64], caption: String)], series: [String], legend: [String]) -> String {
        let labelWidth = 170
        let barWidth = 420
        let rowHeight = 22
        let height = bars.count * rowHeight + 30
        let largest = max(1, bars.map { $0.parts.map { max(0, $0) }.reduce(0, +) }.max() ?? 1)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(labelWidth + barWidth + 110) \(height)\" role=\"img\">\n"
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight
            svg += "<text class=\"label\" x=\"\(labelWidth - 6)\" y=\"\(y + 15)\">\(HTMLText.escape(Self.shortened(bar.label)))</text>"
            var x = labelWidth
            for (part, value) in bar.parts.enumerated() {
                // Integer arithmetic on fen: the same figures always draw the same widths.
                let width = Int(max(0, value) * Int64(barWidth) / largest)
                svg += "<rect class=\"\(series[part])\" x=\"\(x)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"\(rowHeight - 8)\"/>"
                x += width
            }
            svg += "<text class=\"value\" x=\"\(x + 4)\" y=\"\(y + 15)\">\(HTMLText.escape(bar.caption))</text>\n"
        }
        var x = labelWidth
        for (index, name) in legend.enumerated() {
            svg += "<rect class=\"\(series[index])\" x=\"\(x)\" y=\"\(height - 20)\" width=\"12\" height=\"12\"/>"
            svg += "<text class=\"value\" x=\"\(x + 16)\" y=\"\(height - 10)\">\(name)</text>"
            x += 110
        }
        return svg + "\n</svg>\n"
    }

    /// A label cut to 14 display columns for a chart; the table shows it whole.
    static func shortened(_ label: String) -> String {
        guard displayWidth(label) > 14 else { return label }
        var result = ""
        for character in label {
            if displayWidth(result + String(character)) > 13 { break }
            result.append(character)
        }
        return result + "…"
    }

    /// Columns a terminal gives the text: two for CJK and full-width characters.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { width, character in
            let wide = character.unicodeScalars.contains { scalar in
                (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                    || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                    || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
                    || (0xFFE0...0xFFE6).contains(scalar.value)
            }
            return width + (wide ? 2 : 1)
        }
    }

    static func trimTrailing(_ text: String) -> String {
        var result = text
        while result.last == " " { result.removeLast() }
        return result
    }

    static let stylesheet = """
        @page { size: A4; margin: 12mm; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; padding: 12mm; max-width: 210mm; color: #111; font-size: 10pt;
          font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans", sans-serif; overflow-wrap: anywhere; }
        h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 6mm; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: 1mm 1.5mm; border-bottom: 0.3mm solid #ccc; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tfoot th, tfoot td { font-weight: 700; border-top: 0.5mm solid #333; }
        svg.chart { width: 100%; height: auto; font-size: 11px; }
        text.label { text-anchor: end; }
        rect.fund { fill: #1f5fbf; } rect.self { fill: #e69f00; } rect.flags { fill: #c62828; }
        @media print { body { padding: 0; max-width: none; } }

        """
}
