import Foundation

/// The columns a line-item table can have.
enum Column: String, CaseIterable, Hashable {
    case code, name, spec, unit, quantity, unitPrice, amount, reimbursementClass, ratio

    /// Header words, Chinese and English, compared after folding and removing spaces.
    var synonyms: [String] {
        switch self {
        case .code: return ["项目编码", "医保编码", "药品编码", "编码", "编号", "Code"]
        case .name: return ["项目名称", "药品名称", "收费项目", "品名", "名称", "项目", "Description", "Item", "Name", "Service"]
        case .spec: return ["规格型号", "规格", "Spec", "Specification"]
        case .unit: return ["单位", "Unit"]
        case .quantity: return ["数量", "Qty", "Quantity"]
        case .unitPrice: return ["单价", "Unitprice", "Price", "Rate"]
        case .amount: return ["金额", "Amount", "Total"]
        case .reimbursementClass: return ["类别", "甲乙丙", "医保类别", "等级", "Class"]
        case .ratio: return ["自付比例", "比例", "Ratio"]
        }
    }

    /// The column a header text names, if any: the longest synonym that matches.
    /// Marks at either end are not part of a header word: a rule or cell edge that
    /// survives ruling-line removal often reads as `”`, `|` or `[` beside it (`”单价`).
    static func named(_ text: String) -> Column? {
        let compact = TextFolding.compact(text).lowercased().trimmingCharacters(in: CharacterSet.alphanumerics.inverted)
        let length = compact.count
        guard length > 0, length <= 14 else { return nil }
        // One column for two things (`项目编码/名称`): the code printed glued to the name.
        let parts = compact.split(separator: "/").map(String.init)
        if parts.count == 2, Set(parts.compactMap(named)) == [.code, .name] { return .name }
        var best: (Column, Int)?
        for (column, key, count) in keys where count <= length && count > best?.1 ?? 0 {
            // A suffix (`金额(元)`) is allowed, unless it is a header of its own
            // (`金额类别`: two headers in one cell).
            // A name header may also be qualified before it by the kind of item (`检验项目`,
            // `服务项目`); not by a place (`科室名称`, `医院名称` name no item column).
            let matches = compact == key
                || (count >= 2 && length <= count + 2 && compact.hasPrefix(key) && named(String(compact.dropFirst(count))) == nil)
                || (column == .name && count >= 2 && compact.hasSuffix(key) && itemKinds.contains(String(compact.dropLast(count))))
            if matches { best = (column, count) }
        }
        return best?.0
    }

    /// Kinds of item that may qualify a name header (`检验项目`).
    private static let itemKinds: Set<String> = ["检验", "检查", "化验", "服务", "收费", "治疗", "诊疗", "药品", "材料", "医疗", "费用"]

    /// Every synonym lowercased, with its length: `named` runs on every cell of every row.
    private static let keys: [(Column, String, Int)] = allCases.flatMap { column in
        column.synonyms.map { (column, $0.lowercased(), $0.count) }
    }

    /// The column a two-character header read with one character wrong names: the one
    /// whose two-character synonym shares a character in the same place, when only one
    /// column's does (`金作` → amount; `单作` could be 单位 or 单价, so nothing).
    static func nearlyNamed(_ text: String) -> Column? {
        let read = Array(TextFolding.compact(text))
        guard read.count == 2, read.allSatisfy(TextFolding.isCJK) else { return nil }
        var candidates: Set<Column> = []
        for column in allCases {
            for synonym in column.synonyms.map(Array.init) where synonym.count == 2 && (synonym[0] == read[0] || synonym[1] == read[1]) {
                candidates.insert(column)
            }
        }
        return candidates.count == 1 ? candidates.first : nil
    }

    /// The column an English header read with letters wrong names (`Unlt pitce` → unit
    /// price, `Arnount` → amount): an edit for every three letters of the synonym (of
    /// four or more), when only one column's synonym is that close.
    static func nearlyNamedLatin(_ text: String) -> Column? {
        let read = TextFolding.compact(text).lowercased().filter { $0.isASCII && $0.isLetter }
        guard read.count >= 4 else { return nil }
        let readScalars = read.unicodeScalars.map(\.value)
        var candidates: Set<Column> = []
        for column in allCases {
            for synonym in column.synonyms where synonym.count >= 4 && synonym.allSatisfy(\.isASCII) {
                let key = synonym.lowercased()
                let allowed = key.count / 3
                guard abs(key.count - read.count) <= allowed else { continue }
                if MatchScorer.levenshtein(readScalars, key.unicodeScalars.map(\.value)) <= allowed { candidates.insert(column) }
            }
        }
        return candidates.count == 1 ? candidates.first : nil
    }
}

/// A table's header: which column stands where.
struct TableLayout: Hashable {
    /// Columns left to right with their header boxes.
    var columns: [(column: Column, box: BoundingBox)]
    /// Where the table starts, where another table's header stands left of it on the
    /// same row: words left of it belong to that one. Nil: the page's edge.
    var left: Int? = nil

    static func == (lhs: TableLayout, rhs: TableLayout) -> Bool {
        lhs.columns.map(\.column) == rhs.columns.map(\.column) && lhs.columns.map(\.box) == rhs.columns.map(\.box) && lhs.left == rhs.left
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(columns.map(\.column))
    }

    /// The header of a row, when at least three distinct columns, a name and an amount
    /// or quantity among them, are named on it.
    static func header(of row: Row) -> TableLayout? {
        // A row with two or more sums of money is a line, not a header.
        let money = row.cells.lazy.flatMap(\.words).filter { $0.text.contains(".") && $0.text.contains(where: \.isNumber) }
        guard money.prefix(2).count < 2 else { return nil }
        var found: [(Column, BoundingBox)] = []
        var unnamed: [Cell] = []
        // Words of partly named cells that named nothing, for the near matches below.
        var leftovers: [Cell] = []
        for cell in row.cells.compactMap(withoutMarks) {
            if let column = Column.named(cell.text) {
                found.append((column, cell.box))
                continue
            }
            // Two headers close together land in one cell: try its words one by one,
            // and pairs of words ("Unit price").
            let before = found.count
            var index = 0
            let words = cell.words
            var rest: [OCRWord] = []
            while index < words.count {
                if index + 1 < words.count, let pair = Column.named(words[index].text + words[index + 1].text),
                    Column.named(words[index].text) != pair
                {
                    found.append((pair, words[index].box.union(words[index + 1].box)))
                    index += 2
                } else {
                    if let column = Column.named(words[index].text) {
                        found.append((column, words[index].box))
                    } else if let parts = Self.twoHeaders(in: words[index]) {
                        found += parts
                    } else {
                        rest.append(words[index])
                    }
                    index += 1
                }
            }
            if found.count == before { unnamed.append(cell) } else if !rest.isEmpty { leftovers.append(Cell(words: rest)) }
        }
        var kinds = Set(found.map(\.0))
        guard kinds.contains(.name), kinds.contains(.amount) || kinds.contains(.quantity) else { return nil }
        // On a row that names a name and an amount or quantity column, a header read
        // with a character wrong (`金作` for 金额, `Unlt pitce` for Unit price) still
        // names its column, if no other header did.
        for cell in unnamed + leftovers {
            if let column = Column.nearlyNamed(cell.text), kinds.insert(column).inserted {
                found.append((column, cell.box))
                continue
            }
            let words = cell.words
            var index = 0
            while index < words.count {
                // Two one-character words (`数 县` for 数量, beside a speck read as `”和`).
                if index + 1 < words.count, words[index].text.count == 1, words[index + 1].text.count == 1,
                    let column = Column.nearlyNamed(words[index].text + words[index + 1].text), kinds.insert(column).inserted
                {
                    found.append((column, words[index].box.union(words[index + 1].box)))
                    index += 2
                    continue
                }
                if index + 1 < words.count, let column = Column.nearlyNamedLatin(words[index].text + words[index + 1].text),
                    Column.nearlyNamedLatin(words[index].text) != column, kinds.insert(column).inserted
                {
                    found.append((column, words[index].box.union(words[index + 1].box)))
                    index += 2
                    continue
                }
                if let column = Column.nearlyNamedLatin(words[index].text), kinds.insert(column).inserted {
                    found.append((column, words[index].box))
                }
                index += 1
            }
        }
        guard kinds.count >= 3 else { return nil }
        let (table, left) = Self.itemTable(in: found.sorted { $0.1.x < $1.1.x })
        var seen: Set<Column> = []
        let columns = table.filter { seen.insert($0.0).inserted }
        return TableLayout(columns: columns.map { (column: $0.0, box: $0.1) }, left: left)
    }

    /// Two tables' headers on one row (a category block's `项目 金额` beside the item
    /// table's `项目编码 名称 … 金额`): a column named again starts the next table, from
    /// the column after the first table's amount where it named one before (`项目编码`
    /// goes with the names after it), else at the column named again. Where just one of
    /// the tables names a quantity or unit price, it is the item table, and what stands
    /// left of it is no part of its lines (`left`, halfway to the header before).
    /// Otherwise the headers stand as read, each column where it is first named.
    static func itemTable(in found: [(Column, BoundingBox)]) -> (columns: [(Column, BoundingBox)], left: Int?) {
        var tables: [[(Column, BoundingBox)]] = [[]]
        for entry in found {
            let current = tables[tables.count - 1]
            if current.contains(where: { $0.0 == entry.0 }) {
                let cut = current.lastIndex(where: { $0.0 == .amount }).map { $0 + 1 } ?? current.count
                tables[tables.count - 1] = Array(current[..<cut])
                tables.append(Array(current[cut...]))
            }
            tables[tables.count - 1].append(entry)
        }
        let withItems = tables.indices.filter { index in tables[index].contains { [.quantity, .unitPrice].contains($0.0) } }
        guard tables.count > 1, withItems.count == 1, let index = withItems.first, tables[index].count >= 3,
            tables[index].contains(where: { $0.0 == .name })
        else { return (found, nil) }
        guard index > 0, let before = tables[index - 1].map(\.1.maxX).max() else { return (tables[index], nil) }
        return (tables[index], (before + tables[index][0].1.x) / 2)
    }

    /// Two headers read as one word (`单位」数量`, `类别自付比例`: an engine that joins
    /// neighbouring text): the two columns, each with its share of the box by characters,
    /// where the word splits, at a mark or between two characters, into two parts that
    /// each name a column, and only one way.
    static func twoHeaders(in word: OCRWord) -> [(Column, BoundingBox)]? {
        let characters = Array(TextFolding.compact(word.text))
        guard (4...14).contains(characters.count) else { return nil }
        var found: [[(Column, BoundingBox)]] = []
        for cut in 2...(characters.count - 2) {
            let left = String(characters[..<cut]), right = String(characters[cut...])
            guard let first = Column.named(left), let second = Column.named(right), first != second else { continue }
            // A mark between the two belongs to neither (`单位」`): it splits, it is not split.
            let (leftBox, rightBox) = word.box.divided(at: word.box.width * cut / characters.count)
            found.append([(first, leftBox), (second, rightBox)])
        }
        // `单位」数量` splits before and after its mark into the same two columns: one way.
        let ways = Set(found.map { $0.map(\.0.rawValue).joined(separator: "|") })
        return ways.count == 1 ? found.first : nil
    }

    /// The cell without the words that are marks only (`“`, `[`): a cell edge read as
    /// a mark would otherwise widen a header's box into the next column.
    static func withoutMarks(_ cell: Cell) -> Cell? {
        let words = cell.words.filter { word in word.text.contains { $0.isLetter || $0.isNumber } }
        return words.isEmpty ? nil : Cell(words: words)
    }

    /// The column whose band holds `x`. Bands end halfway across the gap between two
    /// headers; the first and last reach to the page's edges.
    func column(atX x: Int) -> Column {
        for (index, entry) in columns.enumerated().dropLast() {
            let next = columns[index + 1].box
            if x < (entry.box.maxX + next.x) / 2 { return entry.column }
        }
        return columns[columns.count - 1].column
    }

    /// The row's cells with quantity, unit price and amount taken by arithmetic rather
    /// than by band: three consecutive numbers of the row, in the order the header
    /// prints those columns, where quantity × unit price = amount (the rightmost such
    /// three). A header whose amount was not read is taken to print it last, as tables
    /// do. The other columns keep their bands' words. Nil where no three do.
    func numbersByArithmetic(_ row: Row, cells: [Column: [Cell]]) -> [Column: [Cell]]? {
        var order = columns.map(\.column).filter { [.quantity, .unitPrice, .amount].contains($0) }
        if order == [.quantity, .unitPrice] || order == [.unitPrice, .quantity] { order.append(.amount) }
        guard order.count == 3 else { return nil }
        // Only words in the bands of those columns, or one band to the right of them (a
        // photographed row drifts right under its header): a self-pay ratio and amount
        // further right multiply out too (amount × ratio = self-pay).
        let indices = columns.indices.filter { [.quantity, .unitPrice, .amount].contains(columns[$0].column) }
        guard let firstBand = indices.first, let lastBand = indices.last else { return nil }
        let allowed = Set(columns[firstBand...min(columns.count - 1, lastBand + 1)].map(\.column))
        // An amount read cut short after its point (`￥47.` for 47.04) reads as its whole
        // part here, where only quantity × price can complete it.
        let numeric = row.cells.flatMap(\.words).filter { allowed.contains(column(atX: $0.box.midX)) }.sorted { $0.box.x < $1.box.x }
            .compactMap { word in
                (NumberReading.parse(word.text) ?? NumberReading.readToPoint(word.text)).map { (word: word, value: $0.value) }
            }
        guard numeric.count >= 3 else { return nil }
        // Three that multiply out exactly first; then three whose amount was read cut
        // short (`5.6` for 7 × 0.81 = 5.67), which the line's item completes; then three
        // whose unit price is printed rounded (14 × 0.14 beside 1.89); then three whose
        // amount is one digit off quantity × price (`18.21` for 7 × 2.61 = 18.27); then
        // three whose amount lost its first digits (`16` for 7 × 2.88 = 20.16).
        enum Test: CaseIterable { case exact, cutShort, rounded, oneDigitOff, headLost }
        let windows = Test.allCases.lazy.flatMap { test in
            stride(from: numeric.count - 3, through: 0, by: -1).lazy.map { (start: $0, test: test) }
        }
        for (start, test) in windows {
            let window = numeric[start..<(start + 3)]
            var role: [Column: (word: OCRWord, value: Decimal)] = [:]
            for (column, entry) in zip(order, window) { role[column] = entry }
            guard let quantity = role[.quantity], let price = role[.unitPrice], let amount = role[.amount],
                quantity.value > 0, amount.value != 0
            else { continue }
            let holds: Bool
            switch test {
            case .exact: holds = Arithmetic.agrees(quantity.value, price.value, amount.value)
            case .cutShort:
                holds = Arithmetic.cutShort(amount.word.text, read: amount.value, of: Money.roundToFen(quantity.value * price.value))
            case .rounded:
                // The price as read, or with the ￥ before it read as 8 (`80.14`): the
                // line's check repairs it. No other slip binds a row.
                var prices = [price.value]
                let afterSign = price.word.text.dropFirst()
                if price.word.text.hasPrefix("8"), afterSign.first?.isNumber == true, let bare = NumberReading.parse(String(afterSign)) {
                    prices.append(bare.value)
                }
                holds = prices.contains { Arithmetic.pricedRounded(quantity.value, $0, amount.value) }
            case .oneDigitOff:
                // Of a quantity above one: of one, any two numbers a digit apart would bind.
                holds = quantity.value > 1
                    && Arithmetic.oneDigitOff(amount.value, of: Money.roundToFen(quantity.value * price.value))
            case .headLost:
                holds = Arithmetic.headLost(
                    amount.word.text, read: amount.value, of: Money.roundToFen(quantity.value * price.value), quantity: quantity.value)
            }
            guard holds else { continue }
            var result = Self.removing(Set(window.map(\.word)), from: cells.filter { ![.quantity, .unitPrice, .amount].contains($0.key) })
            result[.quantity] = [Cell(words: [quantity.word])]
            result[.unitPrice] = [Cell(words: [price.word])]
            result[.amount] = [Cell(words: [amount.word])]
            return result
        }
        return nil
    }

    /// The layout moved `dx` to the right: the bands as a row that drifted under its
    /// header (a photographed page) sees them.
    func shifted(by dx: Int) -> TableLayout {
        TableLayout(
            columns: columns.map { ($0.column, BoundingBox(x: $0.box.x + dx, y: $0.box.y, width: $0.box.width, height: $0.box.height)) },
            left: left.map { $0 + dx })
    }

    /// How far right of their headers' centres a line's quantity, unit price and amount
    /// stand (the middle of the three offsets), where all three were read: evidence of
    /// where the rows below it stand.
    func drift(of cells: [Column: [Cell]]) -> Int? {
        var offsets: [Int] = []
        for column in [Column.quantity, .unitPrice, .amount] {
            guard let header = columns.first(where: { $0.column == column })?.box,
                let word = cells[column]?.last?.words.last(where: { NumberReading.parse($0.text) != nil || NumberReading.readToPoint($0.text) != nil })
            else { return nil }
            offsets.append(word.box.midX - header.midX)
        }
        return offsets.sorted()[1]
    }

    /// The cells without the given words; a cell left empty goes, and so does a column.
    static func removing(_ words: Set<OCRWord>, from cells: [Column: [Cell]]) -> [Column: [Cell]] {
        var result: [Column: [Cell]] = [:]
        for (column, list) in cells {
            let kept = list.compactMap { cell -> Cell? in
                let rest = cell.words.filter { !words.contains($0) }
                return rest.isEmpty ? nil : Cell(words: rest)
            }
            if !kept.isEmpty { result[column] = kept }
        }
        return result
    }

    /// Assigns a row's cells to columns. A cell that straddles bands is split at its
    /// words; a name may reach into the next band, so a cell starting in the name band
    /// stays whole.
    func assign(_ row: Row) -> [Column: [Cell]] {
        var result: [Column: [Cell]] = [:]
        let cells = left.map { edge in
            row.cells.compactMap { cell -> Cell? in
                let inside = cell.words.filter { $0.box.midX >= edge }
                return inside.isEmpty ? nil : inside.count == cell.words.count ? cell : Cell(words: inside)
            }
        } ?? row.cells
        for cell in cells {
            let startColumn = column(atX: cell.box.x + min(cell.box.width, cell.box.height) / 2)
            let columnsOfWords = Set(cell.words.map { column(atX: $0.box.midX) })
            if columnsOfWords.count == 1 || startColumn == .name && TextFolding.hasCJK(cell.text) {
                result[columnsOfWords.count == 1 ? columnsOfWords.first ?? startColumn : startColumn, default: []].append(cell)
            } else {
                var groups: [(Column, [OCRWord])] = []
                for word in cell.words {
                    let column = column(atX: word.box.midX)
                    if let last = groups.last, last.0 == column {
                        groups[groups.count - 1].1.append(word)
                    } else {
                        groups.append((column, [word]))
                    }
                }
                for (column, words) in groups { result[column, default: []].append(Cell(words: words)) }
            }
        }
        return result
    }
}
