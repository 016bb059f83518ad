import CLeptonica
import CPPOCR
import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeOCR

/// End-to-end: PP-OCR on OpenCV with the models `scripts/setup-models` converted, on
/// real images, the real invoices among them.
@Suite(.serialized) struct PPOCREngineTests {
    static let models = TestPaths.root.appendingPathComponent("models/ppocr").path

    static func settings() -> OCRSettings {
        var settings = OCRSettings()
        settings.engine = .ppocr
        settings.models = models
        return settings
    }

    static func compact(_ page: OCRPage) -> String {
        page.lines.map { $0.text.replacingOccurrences(of: " ", with: "") }.joined(separator: "\n")
    }

    @Test func readsNamesAndEveryAmountOfATable() throws {
        let page = try PPOCREngine(settings: Self.settings()).recognize(PageReference(path: TestPaths.fixture("sample/expense-list.png")))
        let text = Self.compact(page)
        for name in TesseractEngineTests.names { #expect(text.contains(name), "\(name) not in \(text)") }
        for amount in TesseractEngineTests.amounts { #expect(text.contains(amount), "\(amount) not in \(text)") }
        #expect(page.engine.hasPrefix("ppocr"))
        for line in page.lines {
            for word in line.words { #expect(line.box.union(word.box) == line.box) }
        }
    }

    /// A real scanned invoice (dot-matrix print, a red seal over the items): every
    /// printed line amount and the total.
    @Test func readsTheAmountsOfARealInvoice() throws {
        let page = try PPOCREngine(settings: Self.settings()).recognize(PageReference(path: TestPaths.fixture("real/real-sh-01.jpg")))
        let text = Self.compact(page)
        for amount in ["15.00", "10.00", "20.00", "8.00", "53.00"] { #expect(text.contains(amount), "\(amount) not in \(text)") }
        #expect(!page.engine.contains("flattened"), "a flatbed scan is not a photo")
    }

    /// A phone photo of an invoice on a dark desk is found, warped flat and read.
    @Test func flattensAPhotographedInvoice() throws {
        let reference = PageReference(path: TestPaths.fixture("real/real-sh-07.jpg"))
        let page = try PPOCREngine(settings: Self.settings()).recognize(reference)
        #expect(page.engine.contains("photo flattened"))
        #expect(page.width * page.height < page.geometry.sourceWidth * page.geometry.sourceHeight / 2)
        #expect(Self.compact(page).contains("174.24"))
    }

    @Test func leavesAScanAsItIs() throws {
        let decoded = try ImageFile(path: TestPaths.fixture("sample/expense-list.png")).decode(page: 0)
        let (grey, _, _) = try Preprocessor(settings: Self.settings()).normalise(decoded)
        #expect(try DocumentFlattener.flatten(grey) == nil)
    }

    /// A real invoice photographed on its side (its top at the image's right edge).
    @Test func turnsAQuarterTurnedInvoiceUpright() throws {
        let page = try PPOCREngine(settings: Self.settings()).recognize(PageReference(path: TestPaths.fixture("real/real-sh-16.jpg")))
        #expect(page.geometry.rotation == 270)
        #expect(page.width > page.height)
    }

    @Test func anEmptyPageHasNoLines() throws {
        let folder = try TestPaths.temporaryFolder()
        let blank = folder.appendingPathComponent("blank.png").path
        let pix = pixCreate(800, 600, 8)
        pixSetAllArbitrary(pix, 255)
        pixWrite(blank, pix, Int32(IFF_PNG))
        var owned = pix
        pixDestroy(&owned)
        let page = try PPOCREngine(settings: Self.settings()).recognize(PageReference(path: blank))
        #expect(page.lines.isEmpty)
    }

    /// Regions no line can be read from: a crop one pixel high, one 20,000 pixels wide,
    /// one outside the page. Each reads as nothing or as text, never a crash.
    @Test func oddRegionsNeverCrash() throws {
        let reader = try PPOCRReader(folder: Self.models, threads: 1)
        let decoded = try ImageFile(path: TestPaths.fixture("sample/expense-list.png")).decode(page: 0)
        let (grey, _, _) = try Preprocessor(settings: Self.settings()).normalise(decoded)
        let raster = try GreyRaster(grey)
        func region(_ left: Float, _ top: Float, _ right: Float, _ bottom: Float) -> TextRegion {
            TextRegion(quad: ppocr_quad(x: (left, right, right, left), y: (top, top, bottom, bottom), score: 1))
        }
        #expect(try reader.recognize(raster, region(10, 10, 400, 11)).isEmpty)
        _ = try reader.recognize(raster, region(0, 10, 20_000, 60))
        _ = try reader.recognize(raster, region(-500, -500, -100, -400))
    }

    @Test func missingModelsAreNamed() throws {
        var settings = Self.settings()
        settings.models = "/nonexistent/models"
        #expect(throws: OCRError.modelsMissing(file: "/nonexistent/models/det.onnx")) { try PPOCREngine(settings: settings) }
    }

    /// Files where the models should be that are not networks: a clear error, exit 69.
    @Test func corruptModelsAreRefused() throws {
        let folder = try TestPaths.temporaryFolder()
        let names = ["det.onnx", "keys.json"] + PPOCRModels.recognitionWidths.map { "rec-\($0).onnx" }
        for name in names {
            try Data((name == "keys.json" ? "[\"a\", \"b\"]" : "not a model").utf8).write(to: folder.appendingPathComponent(name))
        }
        var settings = Self.settings()
        settings.models = folder.path
        #expect {
            try PPOCREngine(settings: settings)
        } throws: { error in
            guard let error = error as? OCRError, case .engineUnavailable = error else { return false }
            return error.isFatal
        }
    }

    @Test func recognitionIsDeterministic() throws {
        let engine = try PPOCREngine(settings: Self.settings())
        let reference = PageReference(path: TestPaths.fixture("sample/expense-list.jpg"))
        #expect(try engine.recognize(reference) == engine.recognize(reference))
    }
}
