import Foundation

/// Blocks of a page printed side by side (a slip's items in two columns, an invoice's
/// category grid beside its item table): rows that share a gutter, a strip of paper no
/// word crosses, are read block by block, the left block's rows before the right's.
///
/// A table's column gaps are gutters too, so a split is kept only where both blocks hold
/// lines in two rows or more (`2盒 × 12.50 = 25.00`, three numbers that multiply out after a
/// name, a fee category and its amount) and it breaks none: a table row split between its
/// columns leaves its line whole in neither part.
enum ColumnBlocks {
    /// The most rows a run of blocks side by side is looked for in.
    static let maxRun = 200

    /// The rows in reading order, blocks apart.
    static func reading(_ rows: [Row]) -> [Row] {
        reading(rows, depth: 0)
    }

    private static func reading(_ rows: [Row], depth: Int) -> [Row] {
        let words = rows.flatMap { $0.cells.flatMap(\.words) }
        guard depth < 3, rows.count >= 3, let left = words.map(\.box.x).min(), let right = words.map(\.box.maxX).max() else {
            return rows
        }
        let heights = words.map(\.box.height).sorted()
        let typical = heights[heights.count / 2]
        // Each row's lines whole and where its figures stand, once.
        let page = PageRows(
            rows: rows, lines: rows.map(lineCount),
            figures: rows.map { row in row.cells.flatMap(\.words).filter(hasFigure).map(\.box.midX) })
        var memo: [Int: (end: Int, split: Split)?] = [:]
        let free = rows.map { gaps(of: $0, from: left, to: right, atLeast: 0) }
        // The best split of a run from `start`: for each strip free between the words of
        // its first row, the rows down to where the strip is no longer free.
        func candidate(_ start: Int) -> (end: Int, split: Split)? {
            guard start < rows.count else { return nil }
            if let known = memo[start] { return known }
            // A gutter runs between words of the run's first row, not in its margins, and
            // keeps that row's lines whole (a table's item row starts no blocks).
            let strips = gaps(of: rows[start], from: left, to: right, atLeast: typical, margins: false).filter { strip in
                let counts = page.lines(of: start, splitAt: (strip.lowerBound + strip.upperBound) / 2)
                return counts.0 + counts.1 >= page.lines[start]
            }
            var found: (end: Int, split: Split)?
            let centre = (left + right) / 2
            for strip in strips {
                // Each strip's own run: the rows it stays free in (narrowed as it goes).
                // Blocks longer than a page of rows are not looked for (the search would
                // be quadratic in a list of thousands of lines).
                var current = [strip]
                var end = start + 1
                while end < min(rows.count, start + maxRun) {
                    let next = intersect(current, free[end], atLeast: typical)
                    if next.isEmpty { break }
                    current = next
                    end += 1
                }
                guard let split = bestSplit(page, start..<end, at: current, centre: centre) else { continue }
                if let best = found?.split,
                    (best.found, -abs(best.strip.middle - centre)) >= (split.found, -abs(split.strip.middle - centre))
                {
                    continue
                }
                found = (start + split.rows, split)
            }
            memo[start] = found
            return found
        }
        var result: [Row] = []
        var index = 0
        while index < rows.count {
            guard let found = candidate(index) else {
                result.append(rows[index])
                index += 1
                continue
            }
            // A row above the blocks (a header line) crossing their gutter can carry a run
            // on with a strip of its own: where the run from the next row finds as many
            // lines at a gutter this row crosses, the blocks start there.
            if let later = candidate(index + 1), later.split.found >= found.split.found,
                intersect([later.split.strip], gaps(of: rows[index], from: left, to: right, atLeast: 0), atLeast: 1).isEmpty
            {
                result.append(rows[index])
                index += 1
                continue
            }
            result += reading(found.split.left, depth: depth + 1) + reading(found.split.right, depth: depth + 1)
            index = found.end
        }
        return result
    }

    /// A page's rows with what is known of each whole.
    final class PageRows {
        let rows: [Row]
        let lines: [Int]
        /// Where the row's words with a figure (a number with a point) stand.
        let figures: [[Int]]
        /// Where the row's words stand, left to right.
        let middles: [[Int]]
        /// Lines left and right of a split, by row and the number of words left of it: the
        /// many strips tried split a row in few ways.
        private var counts: [Int: [Int: (Int, Int)]] = [:]

        private var headers: [Int: Bool] = [:]

        init(rows: [Row], lines: [Int], figures: [[Int]]) {
            self.rows = rows
            self.lines = lines
            self.figures = figures
            middles = rows.map { $0.cells.flatMap(\.words).map(\.box.midX).sorted() }
        }

        func lines(of index: Int, splitAt middle: Int) -> (Int, Int) {
            let onLeft = figures[index].contains { $0 < middle }, onRight = figures[index].contains { $0 >= middle }
            guard onLeft || onRight else { return (0, 0) }
            let leftWords = middles[index].filter { $0 < middle }.count
            if let known = counts[index]?[leftWords] { return known }
            let part = split(rows[index], at: middle)
            let found = (onLeft ? part.left.map(lineCount) ?? 0 : 0, onRight ? part.right.map(lineCount) ?? 0 : 0)
            counts[index, default: [:]][leftWords] = found
            return found
        }

        /// Whether a row is a table's header that ends blocks (one naming a column twice
        /// heads two tables side by side and does not); found when first asked.
        func endsBlocks(_ index: Int) -> Bool {
            if let known = headers[index] { return known }
            let ends = TableLayout.header(of: rows[index]) != nil && !namesAColumnTwice(rows[index])
            headers[index] = ends
            return ends
        }

        func bothSides(_ index: Int, of middle: Int) -> Bool {
            middles[index].first.map { $0 < middle } == true && middles[index].last.map { $0 >= middle } == true
        }
    }

    /// A word with a number with a point in it: every kind of line has one.
    static func hasFigure(_ word: OCRWord) -> Bool {
        word.text.contains(".") && word.text.contains(where: \.isNumber)
    }

    struct Split {
        var left: [Row]
        var right: [Row]
        /// The gutter.
        var strip: ClosedRange<Int>
        /// How many rows of the run it takes.
        var rows: Int
        /// Lines in the two blocks.
        var found: Int
    }

    /// The split of a run at one of its free strips that leaves lines in two rows or more
    /// on both sides and breaks none, with words on both sides of it in three rows or
    /// more, over the run's rows down to a table header or a row whose line it would
    /// break; of two, the one that finds more lines, then the one nearer `centre`. Nil
    /// where none does.
    static func bestSplit(_ page: PageRows, _ run: Range<Int>, at strips: [ClosedRange<Int>], centre: Int) -> Split? {
        guard run.count >= 3, !strips.isEmpty else { return nil }
        var best: (split: Split, distance: Int)?
        for strip in strips {
            let middle = strip.middle
            // ... and before a row with fewer lines in its parts than whole (the gutter
            // would break one).
            // Parts are built only where they hold a figure, and so may hold a line.
            var leftLines = 0, rightLines = 0, leftRowsWithLines = 0, rightRowsWithLines = 0
            var bothSides = 0, whole = 0, taken = 0
            for index in run {
                let counts = page.lines(of: index, splitAt: middle)
                if counts.0 + counts.1 < page.lines[index] { break }
                // The blocks end at a table's header, which spans its table.
                if page.endsBlocks(index) { break }
                leftLines += counts.0
                rightLines += counts.1
                if counts.0 > 0 { leftRowsWithLines += 1 }
                if counts.1 > 0 { rightRowsWithLines += 1 }
                if page.bothSides(index, of: middle) { bothSides += 1 }
                whole += page.lines[index]
                taken += 1
            }
            guard bothSides >= 3, leftRowsWithLines >= 2, rightRowsWithLines >= 2, leftLines + rightLines >= whole else { continue }
            let parts = page.rows[run.lowerBound..<(run.lowerBound + taken)].map { split($0, at: middle) }
            let candidate = Split(
                left: parts.compactMap(\.left), right: parts.compactMap(\.right), strip: strip, rows: taken, found: leftLines + rightLines)
            let distance = abs(middle - centre)
            if let current = best, (current.split.found, -current.distance) >= (candidate.found, -distance) { continue }
            best = (candidate, distance)
        }
        return best?.split
    }

    /// A row's words left and right of `x`, in cells as they stood (a cell the gutter
    /// runs through, its gap narrower than a table's, is two).
    static func split(_ row: Row, at x: Int) -> (left: Row?, right: Row?) {
        func part(_ keep: (OCRWord) -> Bool) -> Row? {
            let cells = row.cells.compactMap { cell -> Cell? in
                let words = cell.words.filter(keep)
                return words.isEmpty ? nil : (words.count == cell.words.count ? cell : Cell(words: words))
            }
            guard let first = cells.first else { return nil }
            return Row(page: row.page, cells: cells, box: cells.dropFirst().reduce(first.box) { $0.union($1.box) })
        }
        return (part { $0.box.midX < x }, part { $0.box.midX >= x })
    }

    /// A header row that names a column twice (`项目 金额(元) … 名称 … 金额(元)`) heads two
    /// tables side by side: it is split with them, not the end of their blocks.
    static func namesAColumnTwice(_ row: Row) -> Bool {
        var seen = Set<Column>()
        for word in row.cells.flatMap(\.words) {
            if let column = Column.named(word.text), !seen.insert(column).inserted { return true }
        }
        return false
    }

    /// How many lines a row holds on its own: a receipt's quantity line, runs of three
    /// consecutive numbers that multiply out after a name, fee categories with their
    /// amounts.
    static func lineCount(_ row: Row) -> Int {
        guard row.cells.contains(where: { $0.words.contains(where: hasFigure) }) else { return 0 }
        // A receipt's quantity line stands under its name; it counts with its sign
        // (`2盒 × 12.50 = 25.00`): three bare numbers split from their name do not.
        let text = TextFolding.foldWidth(row.text)
        if text.contains(where: { "×xX*".contains($0) }), ReceiptLine.match(text) != nil { return 1 }
        var count = 0
        // Three numbers that multiply out are a line where a name stands before them
        // (words with letters): split from its name, a line's numbers are no line.
        let words = row.cells.flatMap(\.words).sorted { $0.box.x < $1.box.x }
        var numbers: [(value: Decimal, named: Bool)] = []
        var named = false
        for word in words {
            // Reading a number is dear; a word without a digit is none.
            if word.text.contains(where: \.isNumber), let value = NumberReading.parse(word.text)?.value {
                numbers.append((value, named))
            } else if word.text.contains(where: \.isLetter) {
                named = true
            }
        }
        var i = 0
        while i + 2 < numbers.count {
            let (a, b, c) = (numbers[i].value, numbers[i + 1].value, numbers[i + 2].value)
            if c != 0, numbers[i].named, Arithmetic.agrees(a, b, c) || Arithmetic.agrees(b, a, c) {
                count += 1
                i += 3
            } else {
                i += 1
            }
        }
        return count + (InvoiceFields.mayHoldCategory(text) ? InvoiceFields.categories(in: [row]).count : 0)
    }

    /// The strips between a row's words at least `width` wide, and with `margins` those
    /// between the page's text edges (`left`, `right`) and the row's ends.
    static func gaps(of row: Row, from left: Int, to right: Int, atLeast width: Int, margins: Bool = true) -> [ClosedRange<Int>] {
        let boxes = row.cells.flatMap(\.words).map(\.box).sorted { $0.x < $1.x }
        var strips: [ClosedRange<Int>] = []
        var reach = boxes.first?.maxX ?? right
        for box in boxes.dropFirst() {
            if box.x - reach >= max(1, width) { strips.append(reach...box.x) }
            reach = max(reach, box.maxX)
        }
        guard margins else { return strips }
        // A row that stops short of the page's sides leaves them free too.
        if right - reach >= max(1, width) { strips.append(reach...right) }
        if let first = boxes.first, first.x - left >= max(1, width) { strips.insert(left...first.x, at: 0) }
        return strips
    }

    /// The parts of `a` inside some strip of `b`, at least `width` wide.
    static func intersect(_ a: [ClosedRange<Int>], _ b: [ClosedRange<Int>], atLeast width: Int) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for x in a {
            for y in b {
                let low = max(x.lowerBound, y.lowerBound), high = min(x.upperBound, y.upperBound)
                if high - low >= width { result.append(low...high) }
            }
        }
        return result
    }
}

extension ClosedRange<Int> {
    var middle: Int { (lowerBound + upperBound) / 2 }
}
