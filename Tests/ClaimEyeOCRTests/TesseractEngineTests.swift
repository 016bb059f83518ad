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
}
