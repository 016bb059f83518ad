import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeOCR

/// End-to-end: the real Tesseract engine on real images.
@Suite(.serialized) struct TesseractEngineTests {
    static let names = ["血常规检查", "葡萄糖注射液"]
    static let amounts = ["25.00", "38.60", "20.00", "13.05"]

    /// The page's text with the spaces Tesseract puts between CJK characters removed.
    static func compact(_ page: OCRPage) -> String {
        page.lines.map { $0.text.replacingOccurrences(of: " ", with: "") }.joined(separator: "\n")
    }

    @Test func readsNamesAndEveryAmountOfATable() throws {
        let engine = try TesseractEngine(settings: OCRSettings())
        let page = try engine.recognize(PageReference(path: TestPaths.fixture("sample/expense-list.png")))
        let text = Self.compact(page)
        for name in Self.names { #expect(text.contains(name), "\(name) not in \(text)") }
        for amount in Self.amounts { #expect(text.contains(amount), "\(amount) not in \(text)") }
        #expect(page.dpi == 300)
        #expect(page.geometry.rotation == 0)
        // Every word sits inside its line's box.
        for line in page.lines {
            for word in line.words {
                #expect(line.box.union(word.box).width <= line.box.width + 2)
            }
        }
    }

    @Test(arguments: [("16oo.oo", true), ("9o.00", true), ("1o", true), ("3ooo", true), ("45.00", false), ("0%", false), ("Co", false), ("甲", false)])
    func tellsANumberReadWithLettersInIt(text: String, garbled: Bool) {
        #expect(TesseractEngine.isGarbledNumber(text) == garbled)
    }

    @Test func turnsAnUpsideDownPageUpright() throws {
        let engine = try TesseractEngine(settings: OCRSettings())
        let pages = try ImageFile(path: TestPaths.fixture("sample/two-pages.tif")).pages
        let upright = try engine.recognize(pages[0])
        let flipped = try engine.recognize(pages[1])
        #expect(upright.geometry.rotation == 0)
        #expect(flipped.geometry.rotation == 180)
        for amount in Self.amounts { #expect(Self.compact(flipped).contains(amount)) }
    }

    @Test func turnsAQuarterTurnedPageUpright() throws {
        let engine = try TesseractEngine(settings: OCRSettings())
        let page = try engine.recognize(PageReference(path: TestPaths.fixture("documents/en-bill-02-rot90.png")))
        #expect(page.geometry.rotation == 90)
        #expect(page.width < page.height)
        #expect(Self.compact(page).contains("KestrelValeCommunityHospital"))
    }

    @Test func recognitionIsDeterministic() throws {
        let engine = try TesseractEngine(settings: OCRSettings())
        let reference = PageReference(path: TestPaths.fixture("sample/expense-list.jpg"))
        #expect(try engine.recognize(reference) == engine.recognize(reference))
    }

    @Test func missingLanguageDataIsReportedBeforeLoading() throws {
        var settings = OCRSettings()
        settings.tessdata = try TestPaths.temporaryFolder().path
        #expect(throws: OCRError.languageDataMissing(language: "chi_sim", folder: settings.tessdata)) {
            try TesseractEngine(settings: settings)
        }
    }

    /// The items of a fixture document's truth file.
    static func truthItems(_ document: String) throws -> [[String: Any]] {
        let truth = TestPaths.fixture("documents/" + document.replacingOccurrences(of: #"\.(png|jpg)$"#, with: ".truth.json", options: .regularExpression))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [String: Any]
        return object?["items"] as? [[String: Any]] ?? []
    }

    /// The amounts of a fixture document's truth file.
    static func truthAmounts(_ document: String) throws -> [String] {
        try truthItems(document).compactMap { $0["amount"].map { "\($0)" } }
    }

    /// The printed names of a fixture document's truth file.
    static func truthNames(_ document: String) throws -> [String] {
        try truthItems(document).compactMap { $0["name"] as? String }
    }

    /// A faint dot-matrix print and a noisy scan: thresholded by claimeye nearer the
    /// paper, nearly every amount is read; left to Tesseract's own threshold, at most
    /// half (measured: 10 of 11 against none, 9 of 9 against 4).
    @Test(arguments: ["en-bill-01-dotmatrix.png", "zh-outpatient-01-noise.png"])
    func readsTheAmountsOfAFaintOrNoisyPrint(document: String) throws {
        let amounts = try Self.truthAmounts(document)
        let reference = PageReference(path: TestPaths.fixture("documents/" + document))
        func found(_ settings: OCRSettings) throws -> Int {
            let text = Self.compact(try TesseractEngine(settings: settings).recognize(reference))
            return amounts.filter(text.contains).count
        }
        var tesseractThreshold = OCRSettings()
        tesseractThreshold.binariseBelowContrast = 0
        let ours = try found(OCRSettings())
        #expect(ours * 10 >= amounts.count * 8, "\(ours) of \(amounts.count) amounts")
        #expect(try found(tesseractThreshold) * 2 <= amounts.count)
    }

    /// A scan dusted with specks: thresholded, its isolated specks are taken off before
    /// the page pass, and every amount is read (kept, the specks cost points and digits:
    /// measured without a lexicon, 23 of 29 amounts, and 10 of 29 names against 20).
    @Test func readsADustyScanWithTheSpecksTakenOff() throws {
        let document = "zh-inpatient-01-p1-noise.png"
        let amounts = try Self.truthAmounts(document)
        let names = try Self.truthNames(document)
        let reference = PageReference(path: TestPaths.fixture("documents/" + document))
        var keepDust = OCRSettings()
        keepDust.removeDust = false
        let cleaned = try TesseractEngine(settings: OCRSettings()).recognize(reference)
        let dusty = try TesseractEngine(settings: keepDust).recognize(reference)
        #expect(cleaned.engine.contains("dust removed"))
        #expect(!dusty.engine.contains("dust removed"))
        let (cleanText, dustyText) = (Self.compact(cleaned), Self.compact(dusty))
        #expect(amounts.filter(cleanText.contains).count == amounts.count, "\(cleanText)")
        #expect(amounts.filter(dustyText.contains).count < amounts.count)
        #expect(names.filter(cleanText.contains).count > names.filter(dustyText.contains).count)
    }

    /// A receipt photographed on a dark table: the table is painted in the paper's grey,
    /// not white, so the paper does not become the darkest thing on the page.
    @Test func readsAReceiptPhotographedOnADarkSurface() throws {
        let page = try TesseractEngine(settings: OCRSettings())
            .recognize(PageReference(path: TestPaths.fixture("documents/zh-pharmacy-02-photo.jpg")))
        let text = Self.compact(page)
        for amount in ["3.90", "27.00", "29.20", "23.70", "83.80"] { #expect(text.contains(amount), "\(amount) not in \(text)") }
    }

    /// A photographed inpatient list whose last rows the page pass reads only as far as
    /// their names: the rest of each row is read on its own, and the parser finds the
    /// lines (葡萄糖测定 2 × 5.00 = 10.00, APTT 2 × 8.00 = 16.00).
    @Test func completesRowsThePagePassReadOnlyInPart() throws {
        let page = try TesseractEngine(settings: OCRSettings())
            .recognize(PageReference(path: TestPaths.fixture("documents/zh-inpatient-03-p1-photo.jpg")))
        let amounts = LineItemParser().parse([page]).items.compactMap(\.amount?.value)
        #expect(amounts.contains(10) && amounts.contains(16), "\(amounts)")
        #expect(page.engine.contains("short rows completed"))
    }

    @Test func otsuSplitsInkFromPaper() throws {
        var counts = [Double](repeating: 0, count: 256)
        counts[60] = 100
        counts[70] = 100
        counts[230] = 800
        counts[240] = 800
        let levels = try #require(Preprocessor.otsuMeans(counts))
        #expect(levels.ink == 65)
        #expect(levels.paper == 235)
        #expect(Preprocessor.otsuMeans([Double](repeating: 0, count: 256)) == nil)
    }
}

