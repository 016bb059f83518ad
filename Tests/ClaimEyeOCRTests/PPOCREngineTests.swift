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

    /// A real scanned invoice (dot-matrix print, a red seal over the items): the line
    /// amounts and the total. (The first line's 15.00 has a date printed over it.)
    @Test func readsTheAmountsOfARealInvoice() throws {
        let page = try PPOCREngine(settings: Self.settings()).recognize(PageReference(path: TestPaths.fixture("real/real-sh-01.jpg")))
        let text = Self.compact(page)
        for amount in ["10.00", "20.00", "8.00", "53.00"] { #expect(text.contains(amount), "\(amount) not in \(text)") }
        #expect(text.contains("复旦大学附属眼耳鼻喉科"))
    }

    /// A phone photo of an invoice on a dark desk is found, warped flat and read.
    @Test func flattensAPhotographedInvoice() throws {
        let reference = PageReference(path: TestPaths.fixture("real/real-sh-07.jpg"))
        let page = try PPOCREngine(settings: Self.settings()).recognize(reference)
        #expect(page.engine.contains("photo flattened"))
        #expect(page.width * page.height < page.geometry.sourceWidth * page.geometry.sourceHeight / 2)
        #expect(Self.compact(page).contains("174.24"))
    }

    /// A dusty scan: specks read as points and colons (`11:55`) until painted out.
    @Test func paintsOutTheDustOfADustyScan() throws {
        let reference = PageReference(path: TestPaths.fixture("documents/zh-inpatient-01-p1-noise.png"))
        var keepDust = Self.settings()
        keepDust.removeDust = false
        let dusty = Self.compact(try PPOCREngine(settings: keepDust).recognize(reference))
        let page = try PPOCREngine(settings: Self.settings()).recognize(reference)
        #expect(page.engine.contains("dust removed"))
        #expect(Self.compact(page).contains("11.55"))
        #expect(!dusty.contains("11.55"))
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

    /// The regions found before the page is deskewed, rotated with it, lie where the
    /// detector finds them on the deskewed page (so it need not look again, as it does
    /// not when the skew is at most `PPOCREngine.mappedSkew`; these pages are skewed
    /// more, to test the geometry).
    @Test(arguments: ["documents/zh-outpatient-01-skew.png", "documents/zh-inpatient-02-p1-skew.png", "documents/en-bill-01-skew.png"])
    func regionsTurnWithTheirPage(file: String) throws {
        let settings = Self.settings()
        let reader = try PPOCRReader(folder: settings.models, threads: 1)
        let preprocessor = Preprocessor(settings: settings)
        let (grey, _, _) = try preprocessor.normalise(try ImageFile(path: TestPaths.fixture(file)).decode(page: 0))
        let found = try reader.detect(try GreyRaster(grey))
        let (page, skew) = preprocessor.deskew(grey)
        #expect(abs(skew) >= 0.5)
        let again = try reader.detect(try GreyRaster(page))
        let moved = found.map { $0.rotated(degrees: skew, width: Float(page.width), height: Float(page.height)) }
        // Each sizeable region found again has a moved one within a few pixels, read from
        // the same corner.
        var matched = 0
        let sizeable = again.filter { $0.box.width >= 60 }
        for region in sizeable {
            guard let near = moved.min(by: { Self.distance($0, region) < Self.distance($1, region) }), Self.distance(near, region) < 12 else { continue }
            matched += 1
            #expect(abs(near.quad.x.0 - region.quad.x.0) < 12 && abs(near.quad.y.0 - region.quad.y.0) < 12)
        }
        #expect(Double(matched) >= 0.9 * Double(sizeable.count), "\(matched) of \(sizeable.count)")
    }

    static func distance(_ a: TextRegion, _ b: TextRegion) -> Float {
        let ax = [a.quad.x.0, a.quad.x.1, a.quad.x.2, a.quad.x.3], ay = [a.quad.y.0, a.quad.y.1, a.quad.y.2, a.quad.y.3]
        let bx = [b.quad.x.0, b.quad.x.1, b.quad.x.2, b.quad.x.3], by = [b.quad.y.0, b.quad.y.1, b.quad.y.2, b.quad.y.3]
        return (0..<4).map { max(abs(ax[$0] - bx[$0]), abs(ay[$0] - by[$0])) }.max() ?? .infinity
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
        let names = ["det.onnx", "cls.onnx", "keys.json"] + PPOCRModels.recognitionWidths.map { "rec-\($0).onnx" }
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

/// Words from PP-OCR's characters: no models needed.
struct PPOCRWordTests {
    static func characters(_ text: String) -> [RecognisedCharacter] {
        let count = Float(text.count)
        return text.enumerated().map { i, c in
            RecognisedCharacter(text: String(c), probability: 0.9, start: Float(i) / count, end: Float(i + 1) / count)
        }
    }

    static func words(_ text: String) -> [String] {
        PPOCREngine.words(of: characters(text), in: BoundingBox(left: 0, top: 0, right: 40 * text.count, bottom: 40)).map(\.text)
    }

    @Test(arguments: [
        ("1.0010.00", ["1.00", "10.00"]),
        ("0.4511", ["0.4511"]),
        ("3g1/袋21.0015.80", ["3g1/袋", "21.00", "15.80"]),
        ("9g1/袋14.00￥0.96", ["9g1/袋14.00", "￥0.96"]),
        ("14.00￥0.96", ["14.00", "￥0.96"]),
        ("S31030003800010角膜荧光素染色检查", ["S31030003800010", "角膜荧光素染色检查"]),
        ("B12片", ["B12片"]),
        ("合计 53.00", ["合计", "53.00"]),
        ("-次性使用换药包", ["一次性使用换药包"]),
        ("β-内酰胺酶", ["β-内酰胺酶"]),
        ("2020.05.14", ["2020.05.14"]),
    ])
    func splitsCellsTheDetectorGlued(text: String, expected: [String]) {
        #expect(Self.words(text) == expected)
    }

    @Test func wordsOnOneRowBecomeOneLineAndATallWordDoesNotSwallowTheRowsBelow() {
        func word(_ text: String, _ x: Int, _ y: Int, height: Int = 30) -> OCRWord {
            OCRWord(text: text, box: BoundingBox(left: x, top: y, right: x + 100, bottom: y + height), confidence: 90)
        }
        let lines = PPOCREngine.lines(of: [
            word("seal", 0, 0, height: 200), word("a", 200, 10), word("b", 400, 12), word("c", 200, 60), word("d", 400, 110),
        ])
        #expect(lines.map(\.text) == ["seal a b", "c", "d"])
    }
}

/// The converted recogniser against the original: `scripts/setup-models` read every crop
/// of `Fixtures/ppocr-parity` with the original model under ONNX Runtime; claimeye's
/// OpenCV networks must read the same text.
struct PPOCRParityTests {
    @Test func theConvertedRecogniserReadsWhatTheOriginalReads() throws {
        let file = URL(fileURLWithPath: PPOCREngineTests.models).appendingPathComponent("parity-reference.json")
        let reference = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: file))
        let crops = TestPaths.fixture("ppocr-parity")
        let names = try FileManager.default.contentsOfDirectory(atPath: crops).filter { $0.hasSuffix(".png") }.sorted()
        #expect(names.count >= 20)
        #expect(Set(reference.keys) == Set(names))
        let reader = try PPOCRReader(folder: PPOCREngineTests.models, threads: 1)
        for name in names {
            let crop = try ImageFile(path: (crops as NSString).appendingPathComponent(name)).decode(page: 0)
            let raster = try GreyRaster(crop)
            let (w, h) = (Float(raster.width), Float(raster.height))
            let whole = TextRegion(quad: ppocr_quad(x: (0, w, w, 0), y: (0, 0, h, h), score: 1))
            let text = try reader.recognize(raster, whole, whole: true).map(\.text).joined()
            #expect(text == reference[name], "\(name)")
        }
    }

    /// claimeye's depthwise convolution (OpenCV 4.6 has a fast one for 3×3 kernels only)
    /// against OpenCV's own, on every kind of network, at the sizes claimeye feeds them.
    @Test(arguments: [("det.onnx", 960, 960), ("rec-320.onnx", 320, 48), ("rec-1280.onnx", 1280, 48), ("cls.onnx", 192, 48)])
    func theDepthwiseConvolutionComputesWhatOpenCVsOwnComputes(model: String, width: Int32, height: Int32) throws {
        let path = URL(fileURLWithPath: PPOCREngineTests.models).appendingPathComponent(model).path
        // OpenCV's thread count is set before a network runs, as every reader sets it: set
        // for the first time while another test's network ran, it crashed TBB (a CI run).
        ppocr_set_threads(1)
        var error = [CChar](repeating: 0, count: 512)
        let difference = ppocr_depthwise_difference(path, width, height, &error, error.count)
        #expect(difference >= 0, "\(String(cString: error))")
        #expect(difference < 1e-3, "\(model): outputs differ by \(difference)")
    }
}
