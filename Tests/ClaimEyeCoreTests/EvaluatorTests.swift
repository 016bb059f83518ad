import Foundation
import Testing

@testable import ClaimEyeCore

@Suite struct EvaluatorTests {
    static let truthJSON = """
        {"document": "x.png", "language": "zh", "invoice_code": "42010326", "invoice_number": "0043648707",
         "date": "2026-03-14", "hospital": "西津市第三人民医院", "patient": "陈思远", "total": "63.60",
         "items": [
           {"name": "阿莫西林胶囊", "spec": "0.25g*24粒", "unit": "盒", "quantity": "2", "unit_price": "12.50", "amount": "25.00", "code": "X1"},
           {"name": "头孢克肟分散片", "spec": "0.1g*6片", "unit": "盒", "quantity": 1, "unit_price": 38.60, "amount": "38.60"}
         ]}
        """

    static func truth() throws -> TruthDocument {
        try JSONDecoder().decode(TruthDocument.self, from: Data(truthJSON.utf8))
    }

    static func item(_ index: Int, _ name: String, _ spec: String, _ quantity: String, _ price: String, _ amount: String, code: String? = nil) -> LineItem {
        LineItem(
            page: 0, index: index, name: Read(name, confidence: 1), nameRead: name, spec: Read(spec, confidence: 1),
            unit: Read("盒", confidence: 1), quantity: Read(Decimal(string: quantity)!, confidence: 1),
            unitPrice: Read(Decimal(string: price)!, confidence: 1), amount: Read(Decimal(string: amount)!, confidence: 1),
            code: code.map { Read($0, confidence: 1) })
    }

    static func perfect() -> ParsedDocument {
        var metadata = DocumentMetadata()
        metadata.invoiceCode = Read("42010326", confidence: 1)
        metadata.invoiceNumber = Read("0043648707", confidence: 1)
        metadata.date = Read("2026-03-14", confidence: 1)
        metadata.hospital = Read("西津市第三人民医院", confidence: 1)
        metadata.patient = Read("陈思远", confidence: 1)
        metadata.total = Read(Decimal(string: "63.6")!, confidence: 1)
        return ParsedDocument(
            source: "x.png", pages: 1, metadata: metadata,
            items: [item(0, "阿莫西林胶囊", "0.25g*24粒", "2", "12.5", "25", code: "X1"), item(1, "头孢克肟分散片", "0.1g*6片", "1", "38.60", "38.60")],
            subtotals: [], flags: [], reason: nil)
    }

    @Test func aPerfectPredictionScoresOne() throws {
        let score = Evaluator.score(truth: try Self.truth(), predicted: Self.perfect(), seconds: 1)
        let summary = EvaluationSummary([score])
        #expect(summary.overall.precision == 1 && summary.overall.recall == 1 && summary.overall.f1 == 1)
        #expect(summary.allExactShare == 1)
        #expect(summary.totalExactShare == 1)
        #expect(summary.codeTop1 == 1)
        #expect(summary.metadata.values.allSatisfy { $0 == 1 } && summary.metadata.count == 5)
    }

    /// The true amounts and total standing in the OCR text are counted as printed, a
    /// number glued to digits is not one of them, and without the text nothing is counted.
    @Test func amountsInTheOCRTextAreCountedAsPrinted() throws {
        let text = "阿莫西林胶囊 2 12.50 25.00\n头孢克肟分散片 1 138.60\n合计 ６３.６０"
        let score = Evaluator.score(truth: try Self.truth(), predicted: Self.perfect(), seconds: 1, text: text)
        #expect(score.amountsLegible == 1 && score.amountsStated == 2 && score.totalLegible == true)
        #expect(score.legibleAmountsFound == 1)
        var wrong = Self.perfect()
        wrong.items[0].amount?.value = 52
        #expect(Evaluator.score(truth: try Self.truth(), predicted: wrong, seconds: 1, text: text).legibleAmountsFound == 0)
        let summary = EvaluationSummary([score, Evaluator.score(truth: try Self.truth(), predicted: nil, seconds: 1)])
        #expect(summary.amountsLegible == 1 && summary.amountsStated == 2 && summary.totalLegibleShare == 1)
        #expect(summary.amountsLegibleShare == 0.5)
        #expect(Evaluator.occurrences(Decimal(string: "2.00")!, in: "12.00 2.001") == 0)
        #expect(Evaluator.occurrences(Decimal(string: "-21.4")!, in: "退药 -21.40") == 1 && Evaluator.occurrences(Decimal(1234), in: "1,234.00元") == 1)
        #expect(Evaluator.occurrences(Decimal(2), in: "2.00 x 1 = 2.00; 2.002.00") == 2)
        // Two items of 25.00 need 25.00 read twice; a document not read states its
        // amounts, none of them read.
        var twice = try Self.truth()
        twice.items?[1].amount = 25
        #expect(Evaluator.score(truth: twice, predicted: Self.perfect(), seconds: 1, text: "25.00").amountsLegible == 1)
        #expect(Evaluator.score(truth: twice, predicted: Self.perfect(), seconds: 1, text: "25.00 25.00").amountsLegible == 2)
        let unread = Evaluator.score(truth: try Self.truth(), predicted: nil, seconds: 0, failure: "corrupt", text: "")
        #expect(unread.amountsStated == 2 && unread.amountsLegible == 0 && unread.totalLegible == false)
    }

    @Test func aMissingItemLowersRecallNotPrecision() throws {
        var predicted = Self.perfect()
        predicted.items.removeLast()
        let summary = EvaluationSummary([Evaluator.score(truth: try Self.truth(), predicted: predicted, seconds: 1)])
        #expect(summary.overall.precision == 1)
        #expect(summary.overall.recall < 1)
        #expect(summary.fields[.amount]?.recall == 0.5)
        #expect(summary.allExactShare == 0)
    }

    @Test func anInventedItemLowersPrecisionNotRecall() throws {
        var predicted = Self.perfect()
        predicted.items.append(Self.item(2, "葡萄糖注射液", "250ml", "3", "4.35", "13.05"))
        let summary = EvaluationSummary([Evaluator.score(truth: try Self.truth(), predicted: predicted, seconds: 1)])
        #expect(summary.overall.recall == 1)
        #expect(summary.overall.precision < 1)
        #expect(summary.allExactShare == 0)
    }

    @Test func anAmountOffByOneFenIsAnError() throws {
        var predicted = Self.perfect()
        predicted.items[1].amount?.value = Decimal(string: "38.61")!
        let summary = EvaluationSummary([Evaluator.score(truth: try Self.truth(), predicted: predicted, seconds: 1)])
        #expect(summary.fields[.amount]?.truePositives == 1)
        #expect(summary.fields[.amount]?.falsePositives == 1)
        #expect(summary.fields[.amount]?.falseNegatives == 1)
        #expect(summary.fields[.name]?.f1 == 1)
        #expect(summary.allExactShare == 0)
        #expect(summary.numbersExactShare == 0)
    }

    @Test func aWrongSpecSpoilsAllExactButNotNumbersExact() throws {
        var predicted = Self.perfect()
        predicted.items[0].spec?.value = "0.5g*24粒"
        let summary = EvaluationSummary([Evaluator.score(truth: try Self.truth(), predicted: predicted, seconds: 1)])
        #expect(summary.allExactShare == 0)
        #expect(summary.numbersExactShare == 1)
    }

    @Test func spacingAndFullWidthFormsInANameAreRight() throws {
        var predicted = Self.perfect()
        predicted.items[0].name.value = "阿 莫 西 林　胶囊"
        predicted.items[0].spec?.value = "０.２５ｇ＊２４粒"
        let summary = EvaluationSummary([Evaluator.score(truth: try Self.truth(), predicted: predicted, seconds: 1)])
        #expect(summary.fields[.name]?.f1 == 1)
        #expect(summary.fields[.spec]?.f1 == 1)
        #expect(summary.allExactShare == 1)
    }

    @Test func onlyWhatTheTruthStatesIsScored() throws {
        let json = #"{"document": "y.jpg", "total": 10, "items": [{"amount": "10.00"}]}"#
        let truth = try JSONDecoder().decode(TruthDocument.self, from: Data(json.utf8))
        var predicted = Self.perfect()
        predicted.items = [Self.item(0, "任意名称", "1g", "1", "10", "10")]
        predicted.metadata.total = Read(10, confidence: 1)
        let score = Evaluator.score(truth: truth, predicted: predicted, seconds: 1)
        #expect(Set(score.fields.keys) == [.amount])
        #expect(score.metadata.isEmpty)
        #expect(score.allExact && score.totalExact == true)
    }

    @Test func aTruthWithoutItemsScoresTheTotalAndMetadataOnly() throws {
        let json = #"{"document": "z.png", "date": "2026-03-14", "total": "5.00"}"#
        let truth = try JSONDecoder().decode(TruthDocument.self, from: Data(json.utf8))
        var predicted = Self.perfect()
        predicted.metadata.total = Read(Decimal(string: "5.01")!, confidence: 1)
        let score = Evaluator.score(truth: truth, predicted: predicted, seconds: 1)
        #expect(score.fields.isEmpty)
        #expect(score.totalExact == false)
        #expect(score.metadata == ["date": true])
    }

    @Test func aNonNumericAmountInTruthIsRefused() {
        let json = #"{"document": "z.png", "items": [{"amount": "twelve"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TruthDocument.self, from: Data(json.utf8)) }
    }

    @Test func variantsComeFromTheFileNameWhenTheTruthIsSilent() {
        #expect(Evaluator.variant(ofName: "zh-inpatient-01-p1-150dpi.png") == "150dpi")
        #expect(Evaluator.variant(ofName: "photo.jpg") == "photo")
    }
}
