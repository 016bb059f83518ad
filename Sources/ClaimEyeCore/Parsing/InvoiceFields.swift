import Foundation

/// What an invoice prints besides (or instead of) its items: fee category lines
/// (`检查费 53.00`, a grid of them in two or three columns), the payment fields of the
/// hospital's own settlement (医保统筹支付, 个人账户支付, 现金支付 …) and totals after a
/// total label. Read from the words of each row in order, wherever on the page they stand:
/// a label, then its amount, in the same word or the next (see `categoryAmount`).
enum InvoiceFields {
    /// A word or part of a word: its text (width-folded, spaces removed) and box.
    struct Token {
        var text: String
        var box: BoundingBox
        var confidence: Double

        /// The amount, for a token that is a money figure printed with a point.
        var money: Decimal? {
            guard text.contains(".") || text.contains(","), let read = NumberReading.parse(text) else { return nil }
            return read.value
        }

        /// A short number (a quantity, a price, an amount); not a long code.
        var isShortNumber: Bool { text.count <= 7 && text.contains(where: \.isNumber) && NumberReading.parse(text) != nil }
    }

    /// Category names that do not end in 费 (`西药`, `卫生材料`): the rest are recognised
    /// by that ending.
    static let categoryNames: Set<String> = [
        "西药", "中成药", "中草药", "草药", "中药", "中药饮片", "卫生材料", "医用材料", "材料", "其他", "其它",
        "一般诊疗", "检验", "化验", "检查", "治疗", "手术", "护理", "床位", "诊查", "诊疗", "挂号", "药费", "床费",
    ]

    /// Whether a text may hold a category label at all (费, or a category word): a cheap
    /// test before the row is read word by word.
    static func mayHoldCategory(_ text: String) -> Bool {
        // Characters, not Foundation's locale-aware search: this runs on every row part.
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if character == "费" { return true }
            guard let names = categoriesByFirst[character] else { continue }
            for name in names where characters[index...].starts(with: name) { return true }
        }
        return false
    }

    private static let categoriesByFirst: [Character: [[Character]]] = Dictionary(grouping: categoryNames.map(Array.init)) { $0[0] }

    /// Words that make a label ending in 费 something other than a category: a payment
    /// field, a total or a self-pay note.
    static let notCategory = ["自费", "合计", "总", "支付", "自负", "自付", "账户", "现金", "收费", "缴费", "付费", "退费", "免费", "应收", "实收"]

    /// The fee category lines of the rows, in reading order.
    static func categories(in rows: [Row]) -> [CategoryLine] {
        categoryReadings(in: rows).filter { !$0.partial }.map(\.line)
    }

    /// The category lines of the rows in reading order, each marked `partial` when its
    /// label was read whole but its amount only in part: a single digit (`3` for 3.00), a
    /// figure with a rule's mark before it (`-247`) or its decimals lost (`197.p`). Such an
    /// amount is the whole part read; `completing` decides whether it stands.
    static func categoryReadings(in rows: [Row]) -> [(line: CategoryLine, partial: Bool)] {
        var found: [(line: CategoryLine, partial: Bool)] = []
        for row in rows {
            let tokens = tokens(of: row)
            var index = 0
            while index < tokens.count {
                guard categoryBase(tokens[index].text) != nil else {
                    index += 1
                    continue
                }
                // A bracketed note read apart from its label (`诊疗费` `(0)`) is part of it.
                var name = tokens[index].text.trimmingCharacters(in: CharacterSet(charactersIn: ":："))
                var next = index + 1
                while next < tokens.count, let first = tokens[next].text.first, "(（".contains(first), tokens[next].money == nil {
                    name += tokens[next].text
                    next += 1
                }
                // What follows the last note is not part of the name (`诊查费(自费)路`: a
                // mark of the paper read as a character).
                if let close = name.lastIndex(where: { ")）".contains($0) }) { name = String(name[...close]) }
                guard next < tokens.count else { break }
                let amount = categoryAmount(tokens[next...])
                guard let value = amount ?? partialAmount(tokens[next...]) else {
                    index += 1
                    continue
                }
                found.append((
                    CategoryLine(
                        page: row.page,
                        name: Read(name, confidence: tokens[index].confidence, box: tokens[index].box),
                        amount: Read(value, confidence: amount == nil ? min(0.5, tokens[next].confidence) : tokens[next].confidence, box: tokens[next].box)),
                    amount == nil
                ))
                index = next + 1
            }
        }
        return found
    }

    /// The whole part of an amount read in part after a category label: digits after at
    /// most one rule mark, then nothing, or a point and what is left of the decimals. Nil
    /// when a figure with a point follows (the label starts an item line) or the digits
    /// run long (a code).
    static func partialAmount(_ tokens: ArraySlice<Token>) -> Decimal? {
        guard let first = tokens.first, tokens.dropFirst().first?.money == nil else { return nil }
        var text = Substring(first.text)
        if let mark = text.first, "-—_|".contains(mark) { text = text.dropFirst() }
        let whole = text.prefix { $0.isASCII && $0.isNumber }
        let rest = text.dropFirst(whole.count)
        guard (1...6).contains(whole.count), rest.isEmpty || rest.first == "." && !rest.dropFirst().contains(where: \.isNumber) else { return nil }
        return Decimal(string: String(whole))
    }

    /// The category lines, with those read in part kept only where they complete the
    /// sum: the lines read whole fall short of the document's total by exactly what the
    /// partial ones add (`诊查费 15.00` and `诊查费(自费) 3` under a total of 18.00).
    static func completing(_ readings: [(line: CategoryLine, partial: Bool)], total: Decimal?) -> [CategoryLine] {
        let whole = readings.filter { !$0.partial }.map(\.line)
        let partial = readings.filter(\.partial)
        guard let total, !partial.isEmpty, partial.count <= 8 else { return whole }
        let short = total - whole.map(\.amount.value).reduce(0, +)
        guard short > 0 else { return whole }
        // The smallest set of partial readings that makes up the difference, the earlier
        // first: a difference is made up once, never by a guess among equals.
        for size in 1...partial.count {
            let sets = combinations(of: Array(partial.indices), size: size).filter { set in
                set.map { partial[$0].line.amount.value }.reduce(0, +) == short
            }
            guard let set = sets.first else { continue }
            guard sets.count == 1 else { return whole }
            let kept = Set(set.map { partial[$0].line })
            return readings.filter { !$0.partial || kept.contains($0.line) }.map(\.line)
        }
        return whole
    }

    private static func combinations(of indices: [Int], size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard indices.count >= size else { return [] }
        let rest = Array(indices.dropFirst())
        return combinations(of: rest, size: size - 1).map { [indices[0]] + $0 } + combinations(of: rest, size: size)
    }

    /// The amount of a category line: the first of `tokens`, unless the numbers that
    /// follow it make it part of an item line (a second amount with a point beside it, or
    /// three numbers that multiply out: `诊查费 20.00 1 20.00`). Printed with a point, or a
    /// whole number of two digits or more standing alone (`诊查费 27` on a print that
    /// leaves the decimals off), never a single digit (a quantity).
    static func categoryAmount(_ tokens: ArraySlice<Token>) -> Decimal? {
        guard let first = tokens.first, let value = NumberReading.parse(first.text)?.value, first.isShortNumber else { return nil }
        let run = tokens.prefix { $0.isShortNumber }.compactMap { NumberReading.parse($0.text)?.value }
        if run.count >= 3 {
            let (a, b, c) = (run[0], run[1], run[2])
            if Arithmetic.agrees(a, b, c) || Arithmetic.agrees(b, a, c) || Arithmetic.agrees(b, c, a) { return nil }
        }
        if let second = tokens.dropFirst().first, second.money != nil { return nil }
        if first.money != nil { return value }
        let digits = first.text.filter(\.isNumber)
        guard run.count == 1, digits.count >= 2, digits.count == first.text.count else { return nil }
        return value
    }

    /// The category a label names (its text without bracketed notes), or nil.
    static func categoryBase(_ label: String) -> String? {
        var base = label.trimmingCharacters(in: CharacterSet(charactersIn: ":："))
        if let bracket = base.firstIndex(where: { "(（".contains($0) }) { base = String(base[..<bracket]) }
        guard (2...8).contains(base.count), base.allSatisfy(TextFolding.isCJK) else { return nil }
        if categoryNames.contains(base) { return base }
        // Two characters ending in 费 are mostly payment words or misreadings of them
        // (`白费` for 自费); the categories of two are in `categoryNames`.
        guard base.count >= 3, base.hasSuffix("费"), !notCategory.contains(where: { base.contains($0) }) else { return nil }
        return base
    }

    /// A row's words in order, a word that glues a label to its amount (`检查费53.00`,
    /// `现金支付：53.00`) split in two, and words of text that stand close together (an
    /// engine that reads `床位` `费` apart) joined onto a word with Han characters; marks a
    /// rule leaves at a word's edge (`”中成药费`) are not part of it.
    static func tokens(of row: Row) -> [Token] {
        // A word without a digit is text (the test is cheap; reading a number is not).
        func isNumber(_ text: String) -> Bool { text.contains(where: \.isNumber) && NumberReading.parse(text) != nil }
        var joined: [Token] = []
        for token in splitTokens(of: row) {
            let isText = token.text.first == "(" || token.text.first == "（" || !isNumber(token.text)
            // Not after a word without Han characters (`dj` `检查费`: a stamp's or seal's
            // marks read as letters are no part of the label beside them).
            if isText, let last = joined.last, !isNumber(last.text), TextFolding.hasCJK(last.text),
                token.box.x - last.box.maxX < max(last.box.height, token.box.height) * 3 / 2
            {
                joined[joined.count - 1] = Token(text: last.text + token.text, box: last.box.union(token.box), confidence: min(last.confidence, token.confidence))
            } else {
                joined.append(token)
            }
        }
        return joined.compactMap { token in
            guard !isNumber(token.text) else { return token }
            guard let first = token.text.unicodeScalars.first, let last = token.text.unicodeScalars.last,
                Self.edgeMarks.contains(first) || Self.edgeMarks.contains(last)
            else { return token }
            var token = token
            token.text = token.text.trimmingCharacters(in: Self.edgeMarks)
            return token.text.isEmpty ? nil : token
        }
    }

    static let edgeMarks = CharacterSet(charactersIn: "“”\"'‘’|[]【】「」_-—.,，、;；`~")

    private static func splitTokens(of row: Row) -> [Token] {
        let words = row.cells.flatMap(\.words).sorted { $0.box.x < $1.box.x }
        return words.flatMap { word -> [Token] in
            let text = TextFolding.compact(word.text)
            let confidence = word.confidence / 100
            guard text.contains(where: \.isNumber), text.contains(".") || text.contains(","), let regex = Pattern.labelThenAmount,
                let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let label = Range(match.range(at: 1), in: text), let amount = Range(match.range(at: 2), in: text)
            else { return [Token(text: text, box: word.box, confidence: confidence)] }
            // The label's share of the box by its share of the characters.
            let (left, right) = word.box.divided(at: word.box.width * text.distance(from: text.startIndex, to: amount.lowerBound) / max(1, text.count))
            return [Token(text: String(text[label]), box: left, confidence: confidence), Token(text: String(text[amount]), box: right, confidence: confidence)]
        }
    }

    /// Payment labels by kind, the longer of two that overlap first.
    static let paymentLabels: [(label: String, kind: PaymentKind)] = [
        ("基本医疗保险统筹基金支付", .fund), ("医保统筹基金支付", .fund), ("统筹基金支付", .fund), ("医保统筹支付", .fund),
        ("医保基金支付", .fund), ("统筹支付", .fund),
        ("个人账户支付", .personalAccount), ("个人帐户支付", .personalAccount),
        ("个人现金支付", .cash), ("现金支付", .cash), ("移动支付", .cash), ("微信支付", .cash), ("支付宝支付", .cash), ("银行卡支付", .cash),
        ("分类自负", .selfPayShare), ("乙类自付", .selfPayShare), ("个人自付", .selfPayShare), ("自付", .selfPayShare), ("自负", .selfPayShare),
        ("个人自费", .selfPay), ("自费", .selfPay),
        ("大病保险支付", .criticalIllness), ("大病保险", .criticalIllness), ("大额医疗支付", .criticalIllness), ("大额医疗", .criticalIllness),
        ("医疗救助支付", .assistance), ("医疗救助", .assistance),
        ("附加支付", .supplementary), ("补充医疗保险支付", .supplementary), ("补充保险", .supplementary),
    ]

    /// The payment fields the rows print: a payment label, then its amount with a point.
    static func payments(in rows: [Row]) -> [PaymentField] {
        guard let regex = Pattern.payment else { return [] }
        var found: [PaymentField] = []
        for row in rows {
            // Spaces between ideographs go, those between numbers stay (`现金支付 3 53.00`
            // is no payment of 353.00).
            let text = TextFolding.clean(row.text)
            let confidence = row.cells.map(\.confidence).min() ?? 0
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let label = Range(match.range(at: 1), in: text), let amount = Range(match.range(at: 2), in: text),
                    let value = NumberReading.parse(String(text[amount])),
                    let kind = paymentLabels.first(where: { $0.label == String(text[label]) })?.kind
                else { continue }
                found.append(PaymentField(kind: kind, label: String(text[label]), amount: Read(value.value, confidence: confidence, box: row.box)))
            }
        }
        return found
    }

    /// Totals printed after a total label (`合计 53.00`, `合计金额(元)：266.00`), in reading
    /// order: the amount right after the label (at most two misread characters between),
    /// not the row's last number (a row may go on into a table beside it).
    static func labelledTotals(in rows: [Row]) -> [Read<Decimal>] {
        amounts(after: Pattern.total, in: rows)
    }

    /// What the cashier asked or took (`应收：34.40`, `实收：53.00`), read as totals are:
    /// the patient's payment, which `total` counts with the payments.
    static func askedFigures(in rows: [Row]) -> [Read<Decimal>] {
        amounts(after: Pattern.asked, in: rows)
    }

    private static func amounts(after pattern: NSRegularExpression?, in rows: [Row]) -> [Read<Decimal>] {
        guard let regex = pattern else { return [] }
        var found: [Read<Decimal>] = []
        for row in rows {
            // As for payments: `合计 3 53.00` is no total of 353.00.
            let text = TextFolding.clean(row.text)
            let confidence = row.cells.map(\.confidence).min() ?? 0
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let amount = Range(match.range(at: 1), in: text), let value = NumberReading.parse(String(text[amount])) else { continue }
                found.append(Read(value.value, confidence: confidence, box: row.box))
            }
        }
        return found
    }

    /// Totals written in capital numerals on a row marked 大写 (whose 合计 may be lost).
    static func capitalTotals(in rows: [Row]) -> [Read<Decimal>] {
        rows.compactMap { row in
            let text = TextFolding.compact(row.text)
            guard text.contains("大写"), let value = ChineseNumerals.parse(text), value > 0 else { return nil }
            return Read(value, confidence: 0.7, box: row.box)
        }
    }

    /// The document's total by agreement: every reading of it votes (a total printed in
    /// digits after its label twice over, the row walker's total once, one in capitals,
    /// the category lines' sum, the items' sum, the sum of what the payment fields and
    /// the cashier's figures (`asked`) say was paid), and the value with the most votes
    /// wins; on a tie, the earlier kind of evidence in that order. The items' sum only
    /// confirms a printed figure: a value it alone votes for is no total. Nil without
    /// evidence.
    static func total(
        fromRows: PrintedTotal?, labelled: [Read<Decimal>], asked: [Read<Decimal>] = [], capitals: [Read<Decimal>],
        categories: [CategoryLine], items: [LineItem], payments: [PaymentField]
    ) -> Read<Decimal>? {
        let itemsRank = 4
        var votes: [(read: Read<Decimal>, weight: Int, rank: Int)] = []
        // The rows' own total is read from a label `labelled` reads too, or from the
        // capitals `capitals` reads: it breaks ties rather than counting twice.
        if let fromRows, !fromRows.fromCapitals || capitals.isEmpty { votes.append((fromRows.read, 1, 0)) }
        votes += labelled.map { ($0, 2, 1) }
        votes += capitals.map { ($0, 1, 2) }
        if !categories.isEmpty {
            votes.append((Read(categories.map(\.amount.value).reduce(0, +), confidence: 0.8), 1, 3))
        }
        let amounts = items.compactMap(\.amount?.value)
        if !items.isEmpty, amounts.count == items.count {
            votes.append((Read(amounts.reduce(0, +), confidence: 0.8), 1, itemsRank))
        }
        // Each fund pays once; of the ways the patient paid (cash, card, phone, and what
        // the cashier asked or took: 应收, 实收), the largest figure, as one payment is
        // often printed twice or more (现金支付 and 微信支付, 应收 and 实收).
        let funds = payments.filter { [.fund, .personalAccount, .supplementary, .criticalIllness, .assistance].contains($0.kind) }
        let patient = payments.filter { $0.kind == .cash }.map(\.amount.value) + asked.map(\.value)
        let paid = funds.map(\.amount.value).reduce(0, +) + (patient.max() ?? 0)
        if paid > 0 { votes.append((Read(paid, confidence: 0.7), 1, 5)) }
        // Values in the order first voted for, so that a tie ends the same on every run.
        var tally: [(value: Decimal, weight: Int, rank: Int, read: Read<Decimal>)] = []
        for vote in votes where vote.read.value > 0 {
            if let at = tally.firstIndex(where: { $0.value == vote.read.value }) {
                // The entry keeps the rank and reading of its best printed vote: the items'
                // sum confirms a payment's figure without taking its place.
                let current = tally[at]
                let better = vote.rank != itemsRank && (current.rank == itemsRank || vote.rank < current.rank)
                tally[at] = (current.value, current.weight + vote.weight, better ? vote.rank : current.rank, better ? vote.read : current.read)
            } else {
                tally.append((vote.read.value, vote.weight, vote.rank, vote.read))
            }
        }
        // The items' sum confirms a printed figure; alone it is not one.
        var best: (weight: Int, rank: Int, read: Read<Decimal>)?
        for entry in tally where entry.rank != itemsRank {
            if let current = best, (current.weight, -current.rank) >= (entry.weight, -entry.rank) { continue }
            best = (entry.weight, entry.rank, entry.read)
        }
        return best?.read
    }

    enum Pattern {
        static let labelThenAmount = try? NSRegularExpression(pattern: #"^([\p{Han}][\p{Han}()（）0-9]{0,14}?[\p{Han})）])[:：]?[¥￥]?(-?\d+[.,]\d{1,2})$"#)
        static let total = totalPattern(labels: "合计金额|金额合计|费用总额|合计|总计|总金额")
        /// What the cashier asked or took (应收, 实收): the patient's share where a fund
        /// paid the rest, so a payment's figure rather than the document's total.
        static let asked = totalPattern(labels: "应收金额|应收|实收")

        static func totalPattern(labels: String) -> NSRegularExpression? {
            try? NSRegularExpression(pattern: #"(?:"# + labels + #")(?:\((?:元|小写)\))?[^\d\s()（）]{0,2}?\s*[:：]?\s*[¥￥]?\s*(\d+\.\d{1,2})(?![\d.])"#)
        }
        static let payment: NSRegularExpression? = {
            let labels = InvoiceFields.paymentLabels.map { NSRegularExpression.escapedPattern(for: $0.label) }.joined(separator: "|")
            return try? NSRegularExpression(pattern: "(\(labels))\\s*[:：,，]?\\s*[¥￥]?\\s*(-?\\d+\\.\\d{1,2})(?![\\d.])")
        }()
    }
}
