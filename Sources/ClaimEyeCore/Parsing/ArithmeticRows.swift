import Foundation

/// Line items bound by arithmetic alone, for a page on which neither a table header nor
/// receipt lines were read: a row's three consecutive numbers that multiply out
/// (quantity × unit price = amount, to the fen; price and amount printed with a point)
/// are a line, and the words before them, back to the previous number, its name. A code
/// printed before the name (a number word of eight or more characters) is its code.
/// Nothing here depends on where the columns stand, or in which block of the page the
/// table sits: a category block printed beside the items (`检查费 53.00`) ends before the
/// name, at its number. A word of one or two CJK characters just before the quantity
/// is the unit.
extension PageState {
    mutating func consumeArithmetic(_ row: Row) {
        let found = items.count
        defer {
            // A total's row, unless it held lines (a block beside the items may print its
            // 合计 on a line's row).
            let compact = row.compactText
            if items.count == found, Self.totalWords.contains(where: { compact.contains($0) }), let number = lastNumber(in: row) {
                totals.append(number)
            }
        }
        let words = row.cells.flatMap(\.words).sorted { $0.box.x < $1.box.x }
        let numbers: [(word: Int, value: Decimal, point: Bool)] = words.enumerated().compactMap { index, word in
            let text = word.text.trimmingCharacters(in: CharacterSet(charactersIn: "¥￥"))
            guard let read = NumberReading.parse(text) else { return nil }
            return (index, read.value, text.contains("."))
        }
        var next = 0
        var nameStart = 0
        while next + 2 < numbers.count {
            let (quantity, price, amount) = (numbers[next], numbers[next + 1], numbers[next + 2])
            guard price.point, amount.point, amount.value != 0, quantity.value != 0,
                Arithmetic.agrees(quantity.value, price.value, amount.value),
                let item = item(words: words, name: nameStart..<quantity.word, row: row, quantity: quantity.value,
                                price: price.value, amount: amount.value, boxes: [words[quantity.word], words[price.word], words[amount.word]])
            else {
                nameStart = numbers[next].word + 1
                next += 1
                continue
            }
            items.append(item)
            nameStart = amount.word + 1
            next += 3
        }
    }

    /// The item of one arithmetic line: its name from `name` (after a code, if one leads
    /// it), nil when the name holds no letter.
    private func item(
        words: [OCRWord], name range: Range<Int>, row: Row, quantity: Decimal, price: Decimal, amount: Decimal,
        boxes: [OCRWord]
    ) -> LineItem? {
        var nameWords = Array(words[range])
        var code: OCRWord?
        if let first = nameWords.first, first.text.count >= 8,
            first.text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }), first.text.contains(where: \.isNumber)
        {
            code = first
            nameWords.removeFirst()
        }
        // The code may be the number word just before the name, which ended the search.
        if code == nil, range.lowerBound > 0 {
            let before = words[range.lowerBound - 1]
            if before.text.count >= 8, before.text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) { code = before }
        }
        // A word of one or two CJK characters standing apart before the quantity is the
        // unit (`次`, `盒`, `人次`).
        var unit: OCRWord?
        if nameWords.count >= 2, let last = nameWords.last, (1...2).contains(last.text.count), last.text.allSatisfy({ TextFolding.hasCJK(String($0)) }) {
            unit = nameWords.removeLast()
        }
        let text = TextFolding.clean(nameWords.map(\.text).joined(separator: " "))
        guard let first = nameWords.first, text.contains(where: \.isLetter) else { return nil }
        let (bare, spec) = ReceiptLine.splitNameAndSpec(text)
        let nameBox = nameWords.dropFirst().reduce(first.box) { $0.union($1.box) }
        let confidence = nameWords.map(\.confidence).min()! / 100
        var item = LineItem(
            page: row.page, index: items.count, name: Read(bare, confidence: confidence, box: nameBox), nameRead: bare,
            box: row.box)
        if let spec { item.spec = Read(spec, confidence: confidence, box: nameBox) }
        if let unit { item.unit = Read(unit.text, confidence: unit.confidence / 100, box: unit.box) }
        if let code { item.code = Read(code.text, confidence: code.confidence / 100, box: code.box) }
        item.quantity = Read(quantity, confidence: boxes[0].confidence / 100, box: boxes[0].box)
        item.unitPrice = Read(price, confidence: boxes[1].confidence / 100, box: boxes[1].box)
        item.amount = Read(amount, confidence: boxes[2].confidence / 100, box: boxes[2].box)
        item.feeCategory = category
        item.heading = heading
        return item
    }
}
