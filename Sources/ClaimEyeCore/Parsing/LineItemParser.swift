import Foundation

/// Rebuilds line items and document metadata from OCR words: rows from geometry, the
/// header by its words, cells to columns, wrapped names joined, subtotals and totals
/// kept as evidence, numbers repaired where the arithmetic shows a misreading.
public struct LineItemParser: Sendable {
    public init() {}

    /// Parses one document: its pages in order. Never invents items: a page without a
    /// table or receipt lines yields none, and the document says why.
    public func parse(_ pages: [OCRPage]) -> ParsedDocument {
        var items: [LineItem] = []
        var subtotals: [Read<Decimal>] = []
        var totals: [PrintedTotal] = []
        var unreadTotals: [Read<String>] = []
        var subtotalChecks: [(range: Range<Int>, value: Decimal)] = []
        var layout: TableLayout?
        var heading: String?
        var allRows: [Row] = []
        var headerRead = false
        for (pageNumber, page) in pages.enumerated() {
            let whole = RowBuilder.rows(of: page, pageNumber: pageNumber)
            let rows = ColumnBlocks.reading(whole)
            // Metadata, categories and payments are read from the rows whole, in the
            // order printed (a grid of categories row by row).
            allRows += whole
            var state = PageState(layout: layout)
            // A category continued from the page before keeps its heading.
            state.heading = heading
            for row in rows { state.consume(row) }
            state.restoreLostPoints()
            headerRead = headerRead || state.layout != nil
            if state.items.isEmpty && state.layout == nil {
                state = PageState(layout: nil)
                for row in rows { state.consumeReceipt(row) }
            }
            if state.items.isEmpty {
                // Neither a header's columns nor receipt lines gave items: rows whose
                // numbers multiply out still do (`ArithmeticRows`).
                state = PageState(layout: nil)
                for row in rows { state.consumeArithmetic(row) }
            }
            layout = state.layout ?? layout
            heading = state.heading
            subtotalChecks += state.subtotalChecks.map { (range: ($0.range.lowerBound + items.count)..<($0.range.upperBound + items.count), value: $0.value) }
            items += state.items
            subtotals += state.subtotals.map(\.read)
            totals += state.totals
            unreadTotals += state.unreadTotals
        }
        let read = items.enumerated().map { index, item in
            var item = item
            item.index = index
            return item
        }
        items = Arithmetic.reconcile(read.map(Arithmetic.check), read: read, subtotals: subtotalChecks)
        var metadata = MetadataReader.read(allRows)
        let readings = InvoiceFields.categoryReadings(in: allRows)
        var categories = readings.filter { !$0.partial }.map(\.line)
        metadata.payments = InvoiceFields.payments(in: allRows)
        // A total printed in digits beats one in capital numerals, which OCR garbles more;
        // other readings of the total, and the sums it should equal, vote with it.
        let (labelled, capitals) = (InvoiceFields.labelledTotals(in: allRows), InvoiceFields.capitalTotals(in: allRows))
        let asked = InvoiceFields.askedFigures(in: allRows)
        let rowsTotal = totals.last(where: { !$0.fromCapitals }) ?? totals.last
        metadata.total = InvoiceFields.total(
            fromRows: rowsTotal, labelled: labelled, asked: asked, capitals: capitals, categories: categories, items: items, payments: metadata.payments)
        // Category amounts read in part stand where they make up the total's difference.
        let completed = InvoiceFields.completing(readings, total: metadata.total?.value)
        if completed != categories {
            categories = completed
            metadata.total = InvoiceFields.total(
                fromRows: rowsTotal, labelled: labelled, asked: asked, capitals: capitals, categories: categories, items: items, payments: metadata.payments)
        }
        var flags: [DocumentFlag] = []
        if metadata.total == nil, !items.isEmpty, let repaired = Self.totalSpelled(by: unreadTotals, items: items) {
            metadata.total = repaired
            flags.append(.totalRepaired)
        }
        var reason: String?
        if items.isEmpty, !categories.isEmpty {
            flags.append(.categoriesOnly)
            reason = "only fee category lines (\(categories.count)) were found: the detail list (费用清单) is needed"
        } else if items.isEmpty {
            flags.append(.noItems)
            reason = allRows.isEmpty ? "no line items found: the page has no text" : "no line items found: " + Self.unbound(allRows, headerRead: headerRead)
        } else if let total = metadata.total?.value, MetadataReader.isComplete(allRows, pages: pages.count) {
            let sum = items.compactMap(\.amount?.value).reduce(0, +)
            if sum != total { flags.append(.totalMismatch) }
        }
        return ParsedDocument(
            source: pages.first?.source ?? "", pages: pages.count, metadata: metadata, items: items,
            categories: categories, subtotals: subtotals, flags: flags, reason: reason)
    }

    /// Which rows were seen and why none is an item: how many held sums of money, and
    /// the sums (numbers only: a row's words may hold a patient's name).
    static func unbound(_ rows: [Row], headerRead: Bool = false) -> String {
        let figures = rows.map { row in row.cells.flatMap(\.words).filter(ColumnBlocks.hasFigure).compactMap { NumberReading.parse($0.text)?.value } }
        let withFigures = figures.filter { !$0.isEmpty }
        let why = (headerRead
            ? "no row under the table header read its amount and one more of quantity and unit price in their columns"
            : "no table header named their columns")
            + ", no receipt quantity line (2盒 × 12.50 = 25.00) and no three numbers of a row that multiply out"
        guard !withFigures.isEmpty else {
            return "\(rows.count) rows read, none with a sum of money (a cover page, a page of names alone, or the sums unread)"
        }
        let shown = withFigures.joined().prefix(8).map { Money.format($0) }.joined(separator: ", ")
        return "\(rows.count) rows read, \(withFigures.count) with sums of money (\(shown)\(withFigures.joined().count > 8 ? ", …" : "")), but \(why)"
    }

    /// A total read without its point (`83 8` for 83.80: the point lost in a speck, and
    /// the last zero with it) is the items' sum when its digits spell the sum's with at
    /// most trailing zeros dropped. Nil where no reading does: the total stays unread.
    static func totalSpelled(by readings: [Read<String>], items: [LineItem]) -> Read<Decimal>? {
        let amounts = items.compactMap(\.amount?.value)
        guard amounts.count == items.count else { return nil }
        let sum = amounts.reduce(0, +)
        guard sum > 0 else { return nil }
        let spelled = NSDecimalNumber(decimal: sum * 100).stringValue
        guard spelled.allSatisfy(\.isNumber) else { return nil }
        for reading in readings.reversed() {
            let digits = reading.value
            guard digits.count >= 3, spelled.hasPrefix(digits), spelled.dropFirst(digits.count).allSatisfy({ $0 == "0" }),
                spelled.count - digits.count <= 1
            else { continue }
            return Read(sum, confidence: reading.confidence * 0.5, box: reading.box)
        }
        return nil
    }
}

/// A subtotal or total as printed, and whether it was read from capital numerals (大写).
struct PrintedTotal {
    var read: Read<Decimal>
    var fromCapitals: Bool
}

/// The parser's state while it walks one page's rows.
struct PageState {
    var layout: TableLayout?
    var items: [LineItem] = []
    var subtotals: [PrintedTotal] = []
    var totals: [PrintedTotal] = []
    /// Subtotals with the lines they cover: those since a category header or the last
    /// subtotal on this page (a category continued from the page before is not all
    /// here, and is not checked).
    var subtotalChecks: [(range: Range<Int>, value: Decimal)] = []
    var categoryStart: Int?
    /// The digits of total rows whose number did not read as one (`合计: 83 8`).
    var unreadTotals: [Read<String>] = []
    var category: String?
    /// The fee heading the lines below it fall under, bracketed or not.
    var heading: String?
    var lastItemRow: Row?
    var pendingName: Row?
    /// The row consumed before this one (a header may span two).
    var previousRow: Row?
    /// A receipt's total label was read without its number, which may sit a row lower.
    var totalBelow = false
    /// Money fields read without a decimal point, by item index: evidence for
    /// `restoreLostPoints`.
    var readWithoutPoint: [Int: Set<Column>] = [:]
    /// How far the last line bound by its arithmetic (its numbers multiply out as read or
    /// after one of `numbersByArithmetic`'s repairs) stood right of its headers, and that
    /// line; forgotten at a header, a subtotal or a total.
    var drift: (dx: Int, row: Row)?
    /// How many money fields were read, and how many of them with a point.
    var moneyFields = 0
    var moneyFieldsWithPoint = 0

    static let subtotalWords = ["小计", "Subtotal", "Sub-total"]
    static let totalWords = ["合计", "总计", "总金额", "Total", "TOTAL", "Amountdue", "Balancedue"]
    /// What the cashier asked or took: a row so labelled ends the lines above it, and is
    /// no printed total (the patient's share, where a fund paid the rest).
    static let askedWords = ["应收", "实收"]
    static let feeCategories = ["床位费", "诊查费", "护理费", "西药费", "中成药费", "中草药费", "检查费", "化验费", "治疗费", "手术费", "麻醉费", "材料费", "卫生材料费", "其他费"]

    mutating func consume(_ row: Row) {
        defer { previousRow = row }
        var header = TableLayout.header(of: row)
        if header == nil, layout == nil, let above = previousRow, above.page == row.page,
            row.box.y - above.box.maxY < row.box.height
        {
            // A header photographed at a slant falls into two rows (项目名称 a little
            // higher than 规格 … 金额 to its right): read with the row above, if that
            // names the name column and this one names others.
            let both = Row(page: row.page, cells: (above.cells + row.cells).sorted { $0.box.x < $1.box.x }, box: above.box.union(row.box))
            if TableLayout.header(of: above) == nil, let joined = TableLayout.header(of: both) {
                header = joined
            }
        }
        if layout == nil || header != nil {
            if let header {
                layout = header
                lastItemRow = nil
                drift = nil
            }
            return
        }
        guard let layout else { return }
        let compact = row.compactText
        if Self.subtotalWords.contains(where: { compact.localizedCaseInsensitiveContains($0) }) {
            if let number = lastNumber(in: row) {
                subtotals.append(number)
                if let start = categoryStart, start < items.count { subtotalChecks.append((start..<items.count, number.read.value)) }
            }
            // The lines after a subtotal start the next category, its header read or not.
            categoryStart = items.count
            lastItemRow = nil
            drift = nil
            return
        }
        // A speck or rule before the label (`-合计金额:`) is not part of it.
        let head = compact.drop { !($0.isLetter || $0.isNumber) }
        if Self.totalWords.contains(where: { head.hasPrefix($0) || compact.contains($0 + ":") || compact.contains($0 + "(") || compact.localizedCaseInsensitiveContains($0) && !TextFolding.hasCJK(compact) }) {
            if let number = lastNumber(in: row) { totals.append(number) } else { noteUnreadTotal(row) }
            lastItemRow = nil
            drift = nil
            return
        }
        if Self.askedWords.contains(where: { head.hasPrefix($0) || compact.contains($0 + ":") }) {
            lastItemRow = nil
            drift = nil
            return
        }
        var cells = layout.assign(row)
        if !layout.columns.contains(where: { $0.column == .amount }) { cells = Self.amountBesideUnitPrice(cells, row: row) }
        let numbers = [Column.quantity, .unitPrice, .amount].compactMap { column in
            cells[column].flatMap { Self.number(in: $0) }
        }
        let nameText = (cells[.name] ?? []).map(\.text).joined()
        let bandsRead = numbers.count >= 2 && cells[.amount].flatMap(Self.number(in:)) != nil
        let multipliesOut = Self.multipliesOut(cells)
        if !bandsRead || !multipliesOut, let byArithmetic = layout.numbersByArithmetic(row, cells: cells) {
            // The bands missed the numbers or read them so they do not multiply out, but
            // three numbers of the row in the header's order do (a photographed page
            // drifts under its header): they are the line.
            items.append(item(from: byArithmetic, row: row))
            drift = layout.drift(of: byArithmetic).map { (dx: $0, row: row) }
            lastItemRow = row
            return
        }
        if bandsRead {
            if multipliesOut {
                drift = layout.drift(of: cells).map { (dx: $0, row: row) }
            } else if let drift, drift.row.page == row.page, (-row.box.height..<(4 * row.box.height)).contains(row.box.y - drift.row.box.maxY) {
                // Numbers that do not multiply out, under a line close above that did:
                // read through the bands as that line drifted from its header, where they
                // read more of the three numbers (`7.00 ￥4.43 ￥3.0`, the quantity taken
                // for the price and the price for the amount).
                let moved = layout.shifted(by: drift.dx).assign(row)
                func count(_ cells: [Column: [Cell]]) -> Int {
                    [Column.quantity, .unitPrice, .amount].filter { cells[$0].flatMap(Self.number(in:)) != nil }.count
                }
                if moved[.amount].flatMap(Self.number(in:)) != nil, count(moved) > count(cells) { cells = moved }
            }
            items.append(item(from: cells, row: row))
            lastItemRow = row
            return
        }
        if numbers.count == 1, let amountCells = cells[.amount], let token = Self.numberToken(in: amountCells), token.contains("."),
            TextFolding.hasCJK(nameText), [Column.quantity, .unitPrice].contains(where: { cells[$0]?.isEmpty == false })
        {
            // A name and an amount with the quantity and price between them read as
            // neither (`1heo00.00` for 1 and 1600.00): the line is kept with its amount,
            // flagged, rather than lost.
            var partial = item(from: cells, row: row)
            partial.flags.append(.arithmeticMismatch)
            items.append(partial)
            lastItemRow = row
            return
        }
        if numbers.isEmpty, !nameText.isEmpty {
            let categoryName = TextFolding.compact(nameText)
            if Self.feeCategories.contains(categoryName) || categoryName.hasSuffix("费") && categoryName.count <= 5 && cells.count == 1 {
                category = categoryName
                heading = categoryName
                categoryStart = items.count
                lastItemRow = nil
                return
            }
            // A heading in brackets (`【西药费】`, read with marks round it) starts the
            // lines its subtotal covers. (It does not name the lines' category: the
            // catalogue's category does, so a report does not mix the two vocabularies.)
            let heading = categoryName.trimmingCharacters(in: CharacterSet(charactersIn: "【】[]「」|_-.,:;“”\"'"))
            if heading != categoryName, Self.feeCategories.contains(heading) || heading.hasSuffix("费") && heading.count <= 5 {
                self.heading = heading
                categoryStart = items.count
                lastItemRow = nil
                return
            }
            // A row of name text alone just under an item is the rest of its wrapped name.
            if let last = lastItemRow, var item = items.popLast() {
                let gap = row.box.y - last.box.maxY
                if gap < max(last.box.height, row.box.height), cells.keys.allSatisfy({ $0 == .name || $0 == .spec }) {
                    let extra = TextFolding.clean(nameText)
                    item.name.value += extra
                    item.nameRead += extra
                    item.name.box = item.name.box.map { $0.union(row.box) }
                    if !item.flags.contains(.joinedName) { item.flags.append(.joinedName) }
                    lastItemRow = row
                }
                items.append(item)
            }
        }
    }

    /// Receipt lines without a table: a name line, then `2盒 × 12.50 = 25.00`.
    mutating func consumeReceipt(_ row: Row) {
        let text = TextFolding.foldWidth(row.text)
        let compact = row.compactText
        if Self.totalWords.contains(where: { compact.contains($0) }) {
            if let number = lastNumber(in: row) {
                totals.append(number)
            } else {
                noteUnreadTotal(row)
                totalBelow = true
            }
            pendingName = nil
            return
        }
        if Self.askedWords.contains(where: { compact.contains($0) }) {
            pendingName = nil
            return
        }
        // A total printed larger than its label sits lower, on a row of its own.
        if totalBelow {
            totalBelow = false
            if let number = lastNumber(in: row), NumberReading.parse(compact) != nil {
                totals.append(number)
                return
            }
        }
        if let match = ReceiptLine.match(text), let nameRow = pendingName {
            let (name, spec) = ReceiptLine.splitNameAndSpec(nameRow.cells.map(\.text).joined(separator: " "))
            let confidence = nameRow.cells.map(\.confidence).min() ?? 0
            var item = LineItem(
                page: row.page, index: items.count, name: Read(name, confidence: confidence, box: nameRow.box),
                nameRead: name, box: nameRow.box.union(row.box))
            if let spec { item.spec = Read(spec, confidence: confidence, box: nameRow.box) }
            if let unit = match.unit { item.unit = Read(unit, confidence: 0.9, box: row.box) }
            item.quantity = match.quantity.map { Read($0.value, confidence: 0.9, box: row.box) }
            item.unitPrice = Read(match.unitPrice.value, confidence: 0.9, box: row.box)
            if let amount = match.amount { item.amount = Read(amount.value, confidence: 0.9, box: row.box) }
            item.feeCategory = category
        item.heading = heading
            items.append(item)
            pendingName = nil
            return
        }
        // A spec printed under its name, on a row of its own (`0.5g*20片`), belongs
        // to the name above; a name row starts with its line number (`2.`) or a letter.
        if let nameRow = pendingName, compact.first?.isNumber == true,
            compact.range(of: #"^\d{1,3}[.,、]+\D"#, options: .regularExpression) == nil
        {
            pendingName = Row(page: row.page, cells: nameRow.cells + row.cells, box: nameRow.box.union(row.box))
            return
        }
        pendingName = TextFolding.hasCJK(compact) || compact.contains(where: { $0.isLetter }) ? row : nil
    }

    /// Where nearly every money field of the table was printed with two decimals, one
    /// read without a point lost it (`800` for 8.00): it is divided by 100.
    mutating func restoreLostPoints() {
        guard moneyFields >= 6, Double(moneyFieldsWithPoint) >= 0.8 * Double(moneyFields) else { return }
        for (index, columns) in readWithoutPoint where index < items.count {
            for column in columns {
                switch column {
                case .unitPrice: items[index].unitPrice?.value /= 100
                case .amount: items[index].amount?.value /= 100
                default: continue
                }
                if !items[index].flags.contains(.repaired) { items[index].flags.append(.repaired) }
            }
        }
    }

    /// Keeps the digits after a total label whose number did not read (`合计: 83 8`),
    /// for `LineItemParser.totalSpelled`; not where words follow the label.
    private mutating func noteUnreadTotal(_ row: Row) {
        let compact = row.compactText
        guard let label = Self.totalWords.compactMap({ compact.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) else { return }
        let rest = compact[label.upperBound...]
        guard !TextFolding.hasCJK(String(rest)), !rest.contains(where: { $0.isLetter && NumberReading.confusions[$0] == nil }) else { return }
        let digits = String(rest.compactMap { $0.isASCII && $0.isNumber ? $0 : NumberReading.confusions[$0] })
        guard !digits.isEmpty else { return }
        unreadTotals.append(Read(digits, confidence: row.cells.map(\.confidence).min() ?? 0, box: row.box))
    }

    private mutating func noteMoney(_ column: Column, in cells: [Column: [Cell]], index: Int) {
        guard let list = cells[column], let raw = Self.numberToken(in: list) else { return }
        moneyFields += 1
        if raw.contains(".") || raw.contains(",") {
            moneyFieldsWithPoint += 1
        } else if raw.filter(\.isNumber).count >= 3 {
            readWithoutPoint[index, default: []].insert(column)
        }
    }

    /// The text of the token `number(in:)` reads.
    static func numberToken(in cells: [Cell]) -> String? {
        for cell in cells.reversed() {
            for word in cell.words.reversed() where NumberReading.parse(word.text) != nil { return word.text }
        }
        return nil
    }

    private mutating func item(from cells: [Column: [Cell]], row: Row) -> LineItem {
        noteMoney(.unitPrice, in: cells, index: items.count)
        noteMoney(.amount, in: cells, index: items.count)
        func text(_ column: Column) -> (String, Double, BoundingBox)? {
            guard let list = cells[column], !list.isEmpty else { return nil }
            let box = list.dropFirst().reduce(list[0].box) { $0.union($1.box) }
            // Table rules read as `|`, `[` or `]` at a cell's edge are not text.
            let joined = TextFolding.clean(list.map(\.text).joined(separator: " "))
                .trimmingCharacters(in: CharacterSet(charactersIn: "|[]【】 "))
            return joined.isEmpty ? nil : (joined, list.map(\.confidence).min() ?? 0, box)
        }
        func number(_ column: Column) -> Read<Decimal>? {
            guard let list = cells[column], let value = Self.number(in: list) else { return nil }
            return value
        }
        var name = text(.name) ?? ("", 0, row.box)
        var spec = text(.spec)
        if spec == nil, layout?.columns.contains(where: { $0.column == .spec }) == false {
            let (bare, split) = ReceiptLine.splitNameAndSpec(name.0)
            if let split {
                name.0 = bare
                spec = (split, name.1, name.2)
            }
        }
        // A catalogue code printed glued to the name (`001102000010000普通门诊诊查费`), where
        // the table has no code column of its own. Text before a code inside the name
        // (`医保统筹支付附加支付200293延胡`) is a block's beside the table, on the same line.
        var gluedCode: String?
        if let (code, rest) = Self.codeWithin(name.0) {
            if cells[.code] == nil { gluedCode = code }
            name.0 = rest
        }
        var item = LineItem(page: row.page, index: items.count, name: Read(name.0, confidence: name.1, box: name.2), nameRead: name.0, box: row.box)
        if let gluedCode { item.code = Read(gluedCode, confidence: name.1, box: name.2) }
        if let spec { item.spec = Read(spec.0, confidence: spec.1, box: spec.2) }
        if let unit = text(.unit) { item.unit = Read(unit.0, confidence: unit.1, box: unit.2) }
        item.quantity = number(.quantity)
        item.unitPrice = number(.unitPrice)
        item.amount = number(.amount)
        var token = cells[.amount].flatMap(Self.numberToken(in:))
        if item.amount == nil, let last = cells[.amount]?.last?.words.last, let cut = NumberReading.readToPoint(last.text) {
            // Read to its point and no further (`￥47.`): its whole part, completed below.
            item.amount = Read(cut.value, confidence: last.confidence / 100 * 0.8, box: last.box)
            token = last.text
        }
        if let token, let quantity = item.quantity?.value,
            let price = item.unitPrice?.value, let amount = item.amount?.value,
            Arithmetic.cutShort(token, read: amount, of: Money.roundToFen(quantity * price))
                || Arithmetic.headLost(token, read: amount, of: Money.roundToFen(quantity * price), quantity: quantity)
        {
            // The amount's last digits lost at the table's edge, or its first under a mark:
            // quantity × price gives it, with its point (`016` is no amount read without
            // one, for `restoreLostPoints` to divide).
            item.amount?.value = Money.roundToFen(quantity * price)
            item.flags.append(.repaired)
            readWithoutPoint[items.count]?.remove(.amount)
        }
        if var code = text(.code) {
            // The code band holding more than a code: text before it is a block's beside
            // the table (`医保统筹支付附加支付200293`), a name after it (`200081苍术`) the
            // item's where its own band is empty.
            if TextFolding.hasCJK(code.0), let (found, rest) = Self.codeWithin(code.0, nameAfter: false) {
                code.0 = found
                if item.name.value.isEmpty, !rest.isEmpty {
                    item.name = Read(rest, confidence: code.1, box: code.2)
                    item.nameRead = rest
                }
            }
            var cleaned = code.0.filter { $0.isLetter || $0.isNumber }
            // A service code is digits only: one read with look-alike letters
            // (`oollogoooolooo0`) is read through the digit confusions.
            if cleaned.contains(where: { $0.isASCII && $0.isNumber }),
                cleaned.allSatisfy({ $0.isASCII && $0.isNumber || NumberReading.confusions[$0] != nil })
            {
                cleaned = String(cleaned.map { NumberReading.confusions[$0] ?? $0 })
            }
            // Eight characters or more; six digits in the code band (a herb's `200293`).
            if cleaned.count >= 8 || cleaned.count >= 6 && cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) {
                item.code = Read(cleaned, confidence: code.1, box: code.2)
            }
        }
        if let printed = text(.reimbursementClass) {
            item.printedClass = ReimbursementClass.allCases.first { printed.0.contains($0.rawValue) }
        }
        item.feeCategory = category
        item.heading = heading
        return item
    }

    /// A code of eight or more Latin letters and digits (six digits at least) that leads a
    /// name, glued to it or a space apart, and the name after it.
    static func leadingCode(_ text: String) -> (String, String)? {
        leadingCode(Substring(text)).map { (String($0.0), String($0.1)) }
    }

    /// A code as `leadingCode` reads it, or six digits or more alone (a herb's `200293`);
    /// the rest may be empty when `nameAfter` is false.
    private static func leadingCode(_ text: Substring, nameAfter: Bool = true) -> (Substring, Substring)? {
        let code = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let rest = text.dropFirst(code.count).drop { $0 == " " }
        // Mostly digits: a drug's Latin name with its strength (`Omeprazole20mg`) is no code.
        let digits = code.filter(\.isNumber).count
        guard code.count >= 8 && digits >= 6 || digits == code.count && digits >= 6 else { return nil }
        if let first = rest.first { guard !first.isASCII else { return nil } } else if nameAfter { return nil }
        return (code, rest)
    }

    /// The first code in a cell, at its start or after a character that is no Latin letter
    /// or digit, and the name after it (required when `nameAfter`); nil when there is none.
    static func codeWithin(_ text: String, nameAfter: Bool = true) -> (code: String, rest: String)? {
        var start = text.startIndex
        while start < text.endIndex {
            let before = start == text.startIndex ? nil : text[text.index(before: start)]
            if before.map({ !($0.isASCII && ($0.isLetter || $0.isNumber)) }) ?? true,
                let (code, rest) = leadingCode(text[start...], nameAfter: nameAfter)
            {
                return (String(code), String(rest))
            }
            start = text.index(after: start)
        }
        return nil
    }

    /// True when the cells' quantity × unit price is their amount.
    static func multipliesOut(_ cells: [Column: [Cell]]) -> Bool {
        guard let quantity = cells[.quantity].flatMap(number(in:))?.value, let price = cells[.unitPrice].flatMap(number(in:))?.value,
            let amount = cells[.amount].flatMap(number(in:))?.value
        else { return false }
        return Arithmetic.agrees(quantity, price, amount)
    }

    /// A table whose amount header was not read (a photo's shaded header cell): where
    /// the unit price band holds two numbers, the second is the amount printed beside it;
    /// where it holds one, the amount is the next number with a point to its right,
    /// wherever the band edges put it (`220.00|乙` read as one cell in the class band).
    static func amountBesideUnitPrice(_ cells: [Column: [Cell]], row: Row) -> [Column: [Cell]] {
        guard let band = cells[.unitPrice] else { return cells }
        let words = band.flatMap(\.words).sorted { $0.box.x < $1.box.x }
        let numeric = words.filter { NumberReading.parse($0.text) != nil }
        var result = cells
        if numeric.count >= 2, let last = numeric.last {
            result[.unitPrice] = [Cell(words: words.filter { $0 != last })]
            result[.amount] = [Cell(words: [last])]
            return result
        }
        // Not the quantity, where it is printed after the price (`单价 数量`).
        let quantityWords = Set((cells[.quantity] ?? []).flatMap(\.words))
        guard numeric.count == 1, let price = numeric.first,
            let amount = row.cells.flatMap(\.words).sorted(by: { $0.box.x < $1.box.x })
                .first(where: { $0.box.x > price.box.maxX && !quantityWords.contains($0) && NumberReading.parse($0.text) != nil })
        else { return cells }
        guard amount.text.contains(".") else { return cells }
        result = TableLayout.removing([amount], from: cells)
        result[.amount] = [Cell(words: [amount])]
        return result
    }

    /// The number in a column's cells: the last token that reads as one.
    static func number(in cells: [Cell]) -> Read<Decimal>? {
        for cell in cells.reversed() {
            for word in cell.words.reversed() {
                if let value = NumberReading.parse(word.text) {
                    return Read(value.value, confidence: word.confidence / 100 * (value.repaired ? 0.8 : 1), box: word.box)
                }
            }
            if let value = NumberReading.parse(cell.text.replacingOccurrences(of: " ", with: "")) {
                return Read(value.value, confidence: cell.confidence * (value.repaired ? 0.8 : 1), box: cell.box)
            }
        }
        return nil
    }

    func lastNumber(in row: Row) -> PrintedTotal? {
        for cell in row.cells.reversed() {
            for word in cell.words.reversed() {
                let text = word.text.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
                if text.contains("."), let value = NumberReading.parse(text) {
                    return PrintedTotal(read: Read(value.value, confidence: word.confidence / 100, box: word.box), fromCapitals: false)
                }
            }
        }
        if let capital = ChineseNumerals.parse(row.compactText) {
            return PrintedTotal(read: Read(capital, confidence: 0.7, box: row.box), fromCapitals: true)
        }
        return nil
    }
}
