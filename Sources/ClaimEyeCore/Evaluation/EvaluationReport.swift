import Foundation

/// Scores summed over a set of documents.
public struct EvaluationSummary: Codable, Hashable, Sendable {
    public var documents: Int
    public var pages: Int
    public var fields: [EvaluatedField: FieldScore]
    /// Every field together.
    public var overall: FieldScore
    /// Quantity, unit price and amount together.
    public var numbers: FieldScore
    /// Share of documents whose items are all exact.
    public var allExactShare: Double
    /// Share of documents whose items' numbers (quantity, unit price, amount) are all exact.
    public var numbersExactShare: Double
    /// Share of documents stating a total whose total was read exactly; nil when none states one.
    public var totalExactShare: Double?
    /// Per metadata field, the share read exactly where the truth states it.
    public var metadata: [String: Double]
    /// Top-1 catalogue accuracy over true items that state a code; nil when none does.
    public var codeTop1: Double?
    public var secondsPerPage: Double
    /// Documents that could not be read at all.
    public var failures: Int
    /// Fee category lines, where the truth states them; nil when none does.
    public var categories: FieldScore?
    /// Documents whose truth states items and which ended without any.
    public var endedWithoutItems: Int
    /// True items' amounts found as printed in the OCR text, of those stated: the most
    /// the parser could find without repairing a misreading.
    public var amountsLegible: Int
    public var amountsStated: Int
    /// Of the legible amounts, those the parser found right.
    public var legibleAmountsFound: Int
    /// Share of the stated totals found as printed in the OCR text; nil when none is stated.
    public var totalLegibleShare: Double?

    public init(_ scores: [DocumentScore]) {
        documents = scores.count
        pages = scores.map(\.pages).reduce(0, +)
        var fields: [EvaluatedField: FieldScore] = [:]
        for score in scores {
            for (field, value) in score.fields { fields[field] = (fields[field] ?? FieldScore()) + value }
        }
        self.fields = fields
        overall = fields.values.reduce(FieldScore(), +)
        numbers = EvaluatedField.numbers.compactMap { fields[$0] }.reduce(FieldScore(), +)
        allExactShare = scores.isEmpty ? 0 : Double(scores.filter(\.allExact).count) / Double(scores.count)
        numbersExactShare = scores.isEmpty ? 0 : Double(scores.filter(\.numbersExact).count) / Double(scores.count)
        let totals = scores.compactMap(\.totalExact)
        totalExactShare = totals.isEmpty ? nil : Double(totals.filter { $0 }.count) / Double(totals.count)
        var metadata: [String: (Int, Int)] = [:]
        for score in scores {
            for (key, right) in score.metadata {
                let current = metadata[key] ?? (0, 0)
                metadata[key] = (current.0 + (right ? 1 : 0), current.1 + 1)
            }
        }
        self.metadata = metadata.mapValues { Double($0.0) / Double($0.1) }
        let stated = scores.map(\.codesStated).reduce(0, +)
        codeTop1 = stated == 0 ? nil : Double(scores.map(\.codesRight).reduce(0, +)) / Double(stated)
        secondsPerPage = pages == 0 ? 0 : scores.map(\.seconds).reduce(0, +) / Double(pages)
        failures = scores.filter { $0.failure != nil }.count
        let categoryScores = scores.compactMap(\.categories)
        categories = categoryScores.isEmpty ? nil : categoryScores.reduce(FieldScore(), +)
        endedWithoutItems = scores.filter(\.endedWithoutItems).count
        amountsLegible = scores.map(\.amountsLegible).reduce(0, +)
        amountsStated = scores.map(\.amountsStated).reduce(0, +)
        legibleAmountsFound = scores.map(\.legibleAmountsFound).reduce(0, +)
        let legibleTotals = scores.compactMap(\.totalLegible)
        totalLegibleShare = legibleTotals.isEmpty ? nil : Double(legibleTotals.filter { $0 }.count) / Double(legibleTotals.count)
    }

    /// The share of stated amounts found as printed in the OCR text; nil when none is stated.
    public var amountsLegibleShare: Double? {
        amountsStated == 0 ? nil : Double(amountsLegible) / Double(amountsStated)
    }
}

/// The evaluator's whole report: every document, the summary, and the summary per variant.
public struct EvaluationReport: Codable, Hashable, Sendable {
    public var summary: EvaluationSummary
    public var variants: [String: EvaluationSummary]
    public var documents: [DocumentScore]

    public init(_ scores: [DocumentScore]) {
        documents = scores.sorted { $0.document < $1.document }
        summary = EvaluationSummary(documents)
        variants = Dictionary(grouping: documents, by: \.variant).mapValues(EvaluationSummary.init)
    }

    /// The report as a table for a terminal.
    public var table: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "  -  " }
        var out = "documents \(summary.documents) (\(summary.pages) pages), unreadable \(summary.failures), \(String(format: "%.2f", summary.secondsPerPage)) s/page\n\n"
        out += "field        precision  recall     F1\n"
        for field in EvaluatedField.allCases {
            guard let score = summary.fields[field] else { continue }
            out += field.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                + " \(percent(score.precision))      \(percent(score.recall))  \(percent(score.f1))\n"
        }
        out += "numbers      \(percent(summary.numbers.precision))      \(percent(summary.numbers.recall))  \(percent(summary.numbers.f1))\n"
        out += "overall      \(percent(summary.overall.precision))      \(percent(summary.overall.recall))  \(percent(summary.overall.f1))\n"
        if let categories = summary.categories {
            out += "categories   \(percent(categories.precision))      \(percent(categories.recall))  \(percent(categories.f1))\n"
        }
        out += "\ndocuments ended without items (truth has items): \(summary.endedWithoutItems)\n"
        out += "documents with every item exact: \(percent(summary.allExactShare))\n"
        out += "documents with every number right: \(percent(summary.numbersExactShare))\n"
        out += "printed totals read exactly:     \(percent(summary.totalExactShare))\n"
        // What OCR gave the parser: true amounts and totals standing as printed in its text
        // (for a PDF or OFD document, in its own text).
        out += "line amounts in the text read:   \(percent(summary.amountsLegibleShare))"
            + (summary.amountsStated > 0
                ? " (\(summary.amountsLegible) of \(summary.amountsStated); of them found right: \(summary.legibleAmountsFound))\n" : "\n")
        out += "printed totals in the text read: \(percent(summary.totalLegibleShare))\n"
        out += "catalogue top-1 (truth codes):   \(percent(summary.codeTop1))\n"
        for key in summary.metadata.keys.sorted() {
            out += "metadata \(key):".padding(toLength: 33, withPad: " ", startingAt: 0) + "\(percent(summary.metadata[key]))\n"
        }
        out += "\nvariant     docs  names F1  numbers F1  all exact  numbers exact  totals  s/page  categories F1  no items  amounts in text\n"
        for variant in variants.keys.sorted() {
            guard let v = variants[variant] else { continue }
            out += variant.padding(toLength: 11, withPad: " ", startingAt: 0)
                + " \(String(v.documents).padding(toLength: 4, withPad: " ", startingAt: 0))  \(percent(v.fields[.name]?.f1))     \(percent(v.numbers.f1))       \(percent(v.allExactShare))      \(percent(v.numbersExactShare))          \(percent(v.totalExactShare))  \(String(format: "%.2f", v.secondsPerPage))    \(percent(v.categories?.f1))          \(String(v.endedWithoutItems).padding(toLength: 8, withPad: " ", startingAt: 0))  \(percent(v.amountsLegibleShare))\n"
        }
        return out
    }
}
