/// A cell: words that stand together on a row, with no column-sized gap between them.
struct Cell: Hashable {
    var words: [OCRWord]
    var box: BoundingBox
    /// The words joined, full-width folded, CJK spaces removed.
    var text: String
    var confidence: Double

    init(words: [OCRWord]) {
        self.words = words
        box = words.dropFirst().reduce(words[0].box) { $0.union($1.box) }
        text = TextFolding.clean(words.map(\.text).joined(separator: " "))
        confidence = words.map(\.confidence).reduce(0, +) / Double(words.count) / 100
    }
}

/// A row of a page: its cells left to right.
struct Row: Hashable {
    var page: Int
    var cells: [Cell]
    var box: BoundingBox
    var text: String { cells.map(\.text).joined(separator: " ") }
    var compactText: String { TextFolding.compact(text) }
}

/// Rebuilds rows from word geometry rather than from the engine's reading order, so
/// a row split into several engine lines, or two rows merged into one, comes out as
/// printed.
enum RowBuilder {
    static func rows(of page: OCRPage, pageNumber: Int) -> [Row] {
        let lines = page.lines.map { line in line.words.filter { !$0.text.isEmpty && $0.box.height > 0 }.flatMap(splitAtRules).flatMap(splitGluedNumber) }.map(joinSplitDecimals)
        let words = lines.flatMap { $0 }
        guard !words.isEmpty else { return [] }
        let heights = words.map(\.box.height).sorted()
        let typical = heights[heights.count / 2]
        // The engine's lines are the units: a line photographed at a slant drifts by more
        // than half a word's height from one end to the other, yet is one row. A line
        // whose words fall into two bands with a clear gap between them is two rows the
        // engine merged, and is split there.
        var units: [[OCRWord]] = []
        for line in lines where !line.isEmpty {
            let byCentre = line.sorted { ($0.box.midY, $0.box.x) < ($1.box.midY, $1.box.x) }
            var band = [byCentre[0]]
            for (previous, word) in zip(byCentre, byCentre.dropFirst()) {
                if word.box.midY - previous.box.midY > Int(Double(typical) * 0.6) {
                    units.append(band)
                    band = []
                }
                band.append(word)
            }
            units.append(band)
        }
        // Units belong to the row whose centre line is within half a typical word height
        // of their own: a row split into several engine lines comes together again.
        func centre(_ unit: [OCRWord]) -> Double { Double(unit.map(\.box.midY).reduce(0, +)) / Double(unit.count) }
        var groups: [[OCRWord]] = []
        var centres: [Double] = []
        for unit in units.sorted(by: { (centre($0), $0[0].box.x) < (centre($1), $1[0].box.x) }) {
            let middle = centre(unit)
            if let last = centres.last, abs(middle - last) <= Double(typical) * 0.5 {
                let count = Double(groups[groups.count - 1].count)
                groups[groups.count - 1] += unit
                centres[centres.count - 1] = (last * count + middle * Double(unit.count)) / (count + Double(unit.count))
            } else {
                groups.append(unit)
                centres.append(middle)
            }
        }
        return groups.map { group in
            let sorted = group.sorted { $0.box.x < $1.box.x }
            let cells = split(sorted, typical: typical)
            let box = cells.dropFirst().reduce(cells[0].box) { $0.union($1.box) }
            return Row(page: pageNumber, cells: cells, box: box)
        }
    }

    /// A number read as two words at its decimal point (`15 .40`, Tesseract's split of
    /// `15.40`) is one word again: digits, then a word of a point and one or two digits
    /// no wider than a glyph's gap after them.
    static func joinSplitDecimals(_ words: [OCRWord]) -> [OCRWord] {
        guard words.count > 1 else { return words }
        func isWhole(_ text: String) -> Bool {
            let body = text.first.map { "-¥￥".contains($0) } == true ? text.dropFirst() : Substring(text)
            return body.first?.isNumber == true && body.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ",") }
        }
        func isFraction(_ text: String) -> Bool {
            (2...3).contains(text.count) && text.first == "." && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
        }
        var result: [OCRWord] = [words[0]]
        for word in words.dropFirst() {
            let previous = result[result.count - 1]
            if isWhole(previous.text), isFraction(word.text), word.box.x >= previous.box.maxX - 2,
                word.box.x - previous.box.maxX <= max(previous.box.height, word.box.height) / 2
            {
                result[result.count - 1] = OCRWord(
                    text: previous.text + word.text, box: previous.box.union(word.box), confidence: min(previous.confidence, word.confidence))
            } else {
                result.append(word)
            }
        }
        return result
    }

    /// A vertical rule read inside a word (`16oo.oo|16oo.00`) separates two cells: the
    /// word is split there, each part given its share of the box by character count. A
    /// rule read at a word's edge (`8|`, `|次`) is dropped the same way, and a word that
    /// is only rules goes.
    static func splitAtRules(_ word: OCRWord) -> [OCRWord] {
        guard word.text.contains("|") else { return [word] }
        let parts = word.text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let total = max(1, word.text.count)
        var result: [OCRWord] = []
        var offset = 0
        for part in parts {
            defer { offset += part.count + 1 }
            guard !part.isEmpty else { continue }
            let x = word.box.x + word.box.width * offset / total
            let width = max(1, word.box.width * part.count / total)
            result.append(OCRWord(text: part, box: BoundingBox(x: x, y: word.box.y, width: width, height: word.box.height), confidence: word.confidence))
        }
        return result
    }

    /// A spec or name read as one word with the number printed after it (`6g*1/袋14.00`,
    /// `0.31gX72片2.00`: a photo's narrow column gap lost) is two words: split before the
    /// number, where the text before it ends in a unit, a bracket or a letter and reads as
    /// a spec: a spec's `/`, `*` or `×`, or a dose (a digit, then a Latin unit: `0.31g`)
    /// beside Han text. A label glued to its amount (`元自0.00`, `现金支付：53.00`) and a
    /// misread number (`1heo00.00`) are left whole. An amount read with the class printed
    /// after it (`315.00甲`) is split before the class.
    static func splitGluedNumber(_ word: OCRWord) -> [OCRWord] {
        let text = word.text
        if text.count >= 5, let last = text.last, "甲乙丙".contains(last), text.dropLast().range(of: #"^\d+\.\d{2}$"#, options: .regularExpression) != nil {
            return split(word, at: text.index(before: text.endIndex))
        }
        // The number at the end (one to five digits, a point, one or two), found without a
        // regular expression: this runs on every word of every row.
        func digitsBefore(_ index: String.Index, atMost limit: Int) -> String.Index {
            var start = index
            while start > text.startIndex, text.distance(from: start, to: index) < limit {
                let previous = text.index(before: start)
                guard text[previous].isASCII && text[previous].isNumber else { break }
                start = previous
            }
            return start
        }
        let fraction = digitsBefore(text.endIndex, atMost: 2)
        guard fraction < text.endIndex, fraction > text.startIndex, text[text.index(before: fraction)] == "." else { return [word] }
        let point = text.index(before: fraction)
        let number = digitsBefore(point, atMost: 5)
        guard number < point, number > text.startIndex else { return [word] }
        let head = text[..<number]
        guard let before = head.last, before != ".", before != ",", !(before.isASCII && before.isNumber),
            before.isLetter || "/)）]".contains(before),
            head.contains(where: { "/*×".contains($0) })
                || TextFolding.hasCJK(String(head)) && head.range(of: #"\d[a-zA-Z]"#, options: .regularExpression) != nil
        else { return [word] }
        return split(word, at: number)
    }

    /// The word in two at `index`, each part with its share of the box by the width of
    /// its characters (a CJK glyph about twice a Latin one).
    private static func split(_ word: OCRWord, at index: String.Index) -> [OCRWord] {
        let (head, tail) = (word.text[..<index], word.text[index...])
        func width(_ part: Substring) -> Int { part.reduce(0) { $0 + ($1.isASCII ? 1 : 2) } }
        let total = max(1, width(head) + width(tail))
        let (left, right) = word.box.divided(at: max(1, min(word.box.width - 1, word.box.width * width(head) / total)))
        return [OCRWord(text: String(head), box: left, confidence: word.confidence), OCRWord(text: String(tail), box: right, confidence: word.confidence)]
    }

    /// Splits a row's words into cells at gaps wider than about one glyph.
    static func split(_ words: [OCRWord], typical: Int) -> [Cell] {
        var cells: [[OCRWord]] = [[words[0]]]
        for (previous, word) in zip(words, words.dropFirst()) {
            let gap = word.box.x - previous.box.maxX
            if gap > max(typical, 12) {
                cells.append([word])
            } else {
                cells[cells.count - 1].append(word)
            }
        }
        return cells.map(Cell.init)
    }
}
