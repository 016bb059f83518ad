import Foundation

/// The item fields the evaluator scores.
public enum EvaluatedField: String, Codable, CodingKeyRepresentable, CaseIterable, Sendable, Comparable {
    case name, spec, unit, quantity, unitPrice = "unit_price", amount, code

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The number fields, scored together as "numbers".
    public static let numbers: [EvaluatedField] = [.quantity, .unitPrice, .amount]
}

/// Precision, recall and F1 from counts.
public struct FieldScore: Codable, Hashable, Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init() {}

    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    static func + (lhs: FieldScore, rhs: FieldScore) -> FieldScore {
        var sum = FieldScore()
        sum.truePositives = lhs.truePositives + rhs.truePositives
        sum.falsePositives = lhs.falsePositives + rhs.falsePositives
        sum.falseNegatives = lhs.falseNegatives + rhs.falseNegatives
        return sum
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
}

/// The scores of one document.
public struct DocumentScore: Codable, Hashable, Sendable {
    public var document: String
    public var variant: String
    public var pages: Int
    public var seconds: Double
    public var fields: [EvaluatedField: FieldScore]
    /// Every true item found with every stated field right, and nothing invented.
    public var allExact: Bool
    /// Every true item found with its stated quantity, unit price and amount right, and
    /// nothing invented.
    public var numbersExact: Bool
    /// Nil when the truth states no total.
    public var totalExact: Bool?
    /// Metadata fields the truth states, and whether each was read exactly.
    public var metadata: [String: Bool]
    /// Top-1 catalogue code right, over true items that state a code.
    public var codesRight: Int
    public var codesStated: Int
    /// Set when the document could not be read or parsed at all.
    public var failure: String?
    /// Fee category lines: a true one is found by a predicted one with its amount and a
    /// like name (`categoryMatches`). Nil when the truth states none.
    public var categories: FieldScore?
    /// The truth states items, and none were found.
    public var endedWithoutItems: Bool
    /// Of the true items' amounts, how many stand in the text read from the page, as
    /// printed (`15.40`, between non-digits), each as often as it stands there: an
    /// estimate of what the parser had to work with (the same figure printed elsewhere on
    /// the page counts; a number OCR split, `15 .40`, does not). Zero of zero when the
    /// text was not given.
    public var amountsLegible: Int = 0
    public var amountsStated: Int = 0
    /// Of the legible amounts, those the parser found right: the parser's share of the
    /// work, apart from what OCR lost.
    public var legibleAmountsFound: Int = 0
    /// Whether the stated total stands in the text read; nil when the truth states none
    /// or the text was not given.
    public var totalLegible: Bool?
}

/// Scores predicted documents against truth: aligns items, then counts per field.
public enum Evaluator {
    /// Scores one document. `predicted` is nil when the document could not be read.
    /// `text` is what OCR read from the document's pages, where known (empty where the
    /// document could not be read): the true amounts and total found in it are counted
    /// apart (`occurrences(_:in:)`).
    public static func score(truth: TruthDocument, predicted: ParsedDocument?, seconds: Double, failure: String? = nil, text: String? = nil) -> DocumentScore {
        let truthItems = truth.items ?? []
        let predictedItems = predicted?.items ?? []
        let pairs = align(truthItems, predictedItems)
        let stated = Set(EvaluatedField.allCases.filter { field in truthItems.contains { value(of: $0, field) != nil } })
        var fields: [EvaluatedField: FieldScore] = [:]
        for field in stated { fields[field] = FieldScore() }
        var allExact = pairs.count == truthItems.count && pairs.count == predictedItems.count
        var numbersExact = allExact
        var matchedPredicted = Set<Int>()
        for (t, p) in pairs {
            matchedPredicted.insert(p)
            for field in stated {
                guard let want = value(of: truthItems[t], field) else { continue }
                let got = value(of: predictedItems[p], field)
                if got == want {
                    fields[field]?.truePositives += 1
                } else {
                    allExact = false
                    if EvaluatedField.numbers.contains(field) { numbersExact = false }
                    fields[field]?.falseNegatives += 1
                    if got != nil { fields[field]?.falsePositives += 1 }
                }
            }
        }
        for (index, item) in truthItems.enumerated() where !pairs.contains(where: { $0.0 == index }) {
            for field in stated where value(of: item, field) != nil { fields[field]?.falseNegatives += 1 }
        }
        for (index, item) in predictedItems.enumerated() where !matchedPredicted.contains(index) {
            for field in stated where value(of: item, field) != nil { fields[field]?.falsePositives += 1 }
        }
        var metadata: [String: Bool] = [:]
        let read = predicted?.metadata
        func compare(_ key: String, _ want: String?, _ got: String?) {
            guard let want else { return }
            metadata[key] = got.map(TextFolding.compact) == TextFolding.compact(want)
        }
        compare("invoice_code", truth.invoiceCode, read?.invoiceCode?.value)
        compare("invoice_number", truth.invoiceNumber, read?.invoiceNumber?.value)
        compare("date", truth.date, read?.date?.value)
        compare("hospital", truth.hospital, read?.hospital?.value)
        compare("patient", truth.patient, read?.patient?.value)
        let totalExact = truth.total.map { read?.total?.value == $0 }
        let codesStated = truthItems.filter { $0.code != nil }.count
        let codesRight = pairs.filter { t, p in truthItems[t].code != nil && truthItems[t].code == predictedItems[p].code?.value }.count
        var score = DocumentScore(
            document: truth.document, variant: truth.variant ?? variant(ofName: truth.document), pages: max(1, predicted?.pages ?? 1),
            seconds: seconds, fields: fields, allExact: allExact && failure == nil, numbersExact: numbersExact && failure == nil,
            totalExact: totalExact, metadata: metadata,
            codesRight: codesRight, codesStated: codesStated, failure: failure,
            categories: truth.categories.map { scoreCategories($0, predicted?.categories ?? []) },
            endedWithoutItems: !truthItems.isEmpty && predictedItems.isEmpty)
        if let text {
            // Each stated amount once per time it stands in the text: two items of 2.00
            // need 2.00 read twice.
            let amounts = truthItems.compactMap(\.amount)
            let stated = Dictionary(grouping: amounts, by: { $0 }).mapValues(\.count)
            let standing = Dictionary(uniqueKeysWithValues: stated.keys.map { ($0, occurrences($0, in: text)) })
            let foundRight = Dictionary(grouping: pairs.compactMap { t, p -> Decimal? in
                guard let amount = truthItems[t].amount, value(of: predictedItems[p], .amount) == canonical(amount) else { return nil }
                return amount
            }, by: { $0 }).mapValues(\.count)
            score.amountsStated = amounts.count
            score.amountsLegible = stated.map { min($0.value, standing[$0.key] ?? 0) }.reduce(0, +)
            // Pairs are one to one, so no value is found right more often than it is stated.
            score.legibleAmountsFound = foundRight.map { min($0.value, standing[$0.key] ?? 0) }.reduce(0, +)
            score.totalLegible = truth.total.map { occurrences($0, in: text) > 0 }
        }
        return score
    }

    /// How many times `value`, printed with two decimals (`15.40`, `-21.40`), stands in
    /// `text` (width-folded, thousands' commas dropped) with no digit either side: `2.00`
    /// is not found in `12.00`, nor `10.00` in `1.0010.00`.
    public static func occurrences(_ value: Decimal, in text: String) -> Int {
        let printed = Array(Money.format(value))
        let read = Array(TextFolding.foldWidth(text).replacingOccurrences(of: ",", with: ""))
        guard read.count >= printed.count else { return 0 }
        var count = 0
        var start = 0
        while start <= read.count - printed.count {
            let before = start > 0 ? read[start - 1] : " ", after = start + printed.count < read.count ? read[start + printed.count] : " "
            if Array(read[start..<(start + printed.count)]) == printed, !(before.isASCII && before.isNumber), !(after.isASCII && after.isNumber) {
                count += 1
                start += printed.count
            } else {
                start += 1
            }
        }
        return count
    }

    /// Category lines paired one to one, a predicted line right when `categoryMatches`.
    static func scoreCategories(_ truth: [TruthCategory], _ predicted: [CategoryLine]) -> FieldScore {
        var score = FieldScore()
        var unused = Array(predicted.indices)
        for want in truth {
            if let found = unused.firstIndex(where: { categoryMatches(want, predicted[$0]) }) {
                unused.remove(at: found)
                score.truePositives += 1
            } else {
                score.falseNegatives += 1
            }
        }
        score.falsePositives = unused.count
        return score
    }

    /// The amounts are equal (where the truth states one) and the names, compact and
    /// width-folded, equal or one begins the other (`诊疗费` for `诊疗费(自费)(0)`).
    static func categoryMatches(_ want: TruthCategory, _ got: CategoryLine) -> Bool {
        if let amount = want.amount, amount != got.amount.value { return false }
        guard let name = want.name.map(TextFolding.compact) else { return true }
        let read = TextFolding.compact(got.name.value)
        return !read.isEmpty && (name.hasPrefix(read) || read.hasPrefix(name))
    }

    /// The variant from a name like `zh-inpatient-01-p1-150dpi.png`: the last dash part.
    public static func variant(ofName name: String) -> String {
        let stem = (name as NSString).deletingPathExtension
        return stem.split(separator: "-").last.map(String.init) ?? "all"
    }

    /// A field's comparable value: names compact and width-folded, numbers as decimals
    /// printed canonically.
    static func value(of item: TruthItem, _ field: EvaluatedField) -> String? {
        switch field {
        case .name: return item.name.map(TextFolding.compact)
        case .spec: return item.spec.map(TextFolding.compact)
        case .unit: return item.unit.map(TextFolding.compact)
        case .quantity: return item.quantity.map(canonical)
        case .unitPrice: return item.unitPrice.map(canonical)
        case .amount: return item.amount.map(canonical)
        case .code: return item.code.map(TextFolding.compact)
        }
    }

    static func value(of item: LineItem, _ field: EvaluatedField) -> String? {
        switch field {
        case .name: return TextFolding.compact(item.name.value)
        case .spec: return item.spec.map { TextFolding.compact($0.value) }
        case .unit: return item.unit.map { TextFolding.compact($0.value) }
        case .quantity: return item.quantity.map { canonical($0.value) }
        case .unitPrice: return item.unitPrice.map { canonical($0.value) }
        case .amount: return item.amount.map { canonical($0.value) }
        case .code: return item.code.map { TextFolding.compact($0.value) }
        }
    }

    /// `12.50`, `12.5` and `12.500` compare equal.
    static func canonical(_ value: Decimal) -> String {
        NSDecimalNumber(decimal: value).stringValue
    }

    /// Pairs true and predicted items, best first: by name similarity, equal amount and
    /// equal quantity, and closeness in order; a pair must share something.
    static func align(_ truth: [TruthItem], _ predicted: [LineItem]) -> [(Int, Int)] {
        var candidates: [(score: Double, t: Int, p: Int)] = []
        for (t, want) in truth.enumerated() {
            for (p, got) in predicted.enumerated() {
                let name = want.name == nil ? 0 : similarity(value(of: want, .name) ?? "", value(of: got, .name) ?? "")
                let amount = value(of: want, .amount) != nil && value(of: want, .amount) == value(of: got, .amount) ? 1.0 : 0
                let quantity = value(of: want, .quantity) != nil && value(of: want, .quantity) == value(of: got, .quantity) ? 0.3 : 0
                // Without a true name to compare, an equal amount alone pairs the items.
                let nameStated = want.name != nil
                guard name >= 0.34 || amount > 0 && (name > 0 || !nameStated) else { continue }
                let order = 0.1 / Double(1 + abs(t - p))
                candidates.append((name + amount + quantity + order, t, p))
            }
        }
        candidates.sort { ($0.score, -$0.t, -$0.p) > ($1.score, -$1.t, -$1.p) }
        var usedT = Set<Int>(), usedP = Set<Int>()
        var pairs: [(Int, Int)] = []
        for candidate in candidates where !usedT.contains(candidate.t) && !usedP.contains(candidate.p) {
            usedT.insert(candidate.t)
            usedP.insert(candidate.p)
            pairs.append((candidate.t, candidate.p))
        }
        return pairs.sorted { $0.0 < $1.0 }
    }

    /// 1 − edit distance / longer length, over characters.
    static func similarity(_ a: String, _ b: String) -> Double {
        let longer = max(a.count, b.count)
        return longer == 0 ? 1 : 1 - Double(editDistance(a, b)) / Double(longer)
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
