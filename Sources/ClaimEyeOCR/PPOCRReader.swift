import CLeptonica
import CPPOCR
import ClaimEyeCore
import Foundation

/// A text region PP-OCR's detector found: four corners clockwise from the top left.
struct TextRegion {
    var quad: ppocr_quad

    /// The axis-aligned box around the corners, in whole pixels.
    var box: BoundingBox {
        let xs = [quad.x.0, quad.x.1, quad.x.2, quad.x.3]
        let ys = [quad.y.0, quad.y.1, quad.y.2, quad.y.3]
        return BoundingBox(
            left: Int(xs.min()!.rounded(.down)), top: Int(ys.min()!.rounded(.down)),
            right: Int(xs.max()!.rounded(.up)), bottom: Int(ys.max()!.rounded(.up)))
    }

    /// Width along the text over height across it.
    var aspect: Double {
        func distance(_ ax: Float, _ ay: Float, _ bx: Float, _ by: Float) -> Double { Double(hypot(ax - bx, ay - by)) }
        let along = distance(quad.x.0, quad.y.0, quad.x.1, quad.y.1)
        let across = distance(quad.x.0, quad.y.0, quad.x.3, quad.y.3)
        return across > 0 ? along / across : 0
    }
}

/// One recognised character: its text, probability, and where it lies along the
/// region's width (0…1).
struct RecognisedCharacter {
    var text: String
    var probability: Float
    var start: Float
    var end: Float
}

/// A grey page laid out for OpenCV: 8-bit, rows in byte order. Leptonica stores pixels
/// in 32-bit words, so on a little-endian machine each word's bytes are swapped first.
final class GreyRaster {
    let image: PixImage
    let pointer: UnsafePointer<UInt8>
    let stride: Int

    init(_ grey: PixImage) throws {
        guard grey.depth == 8, let swapped = PixImage(pixEndianByteSwapNew(grey.pointer)),
            let data = pixGetData(swapped.pointer)
        else { throw OCRError.recognitionFailed(page: "grey raster") }
        image = swapped
        pointer = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
        stride = Int(pixGetWpl(swapped.pointer)) * 4
    }

    var width: Int { image.width }
    var height: Int { image.height }
}

/// PP-OCR's detector and recogniser, loaded once per worker. Not `Sendable`.
final class PPOCRReader {
    private let detector: OpaquePointer
    private let recognizer: OpaquePointer
    private let classifier: OpaquePointer
    private let dictionary: [String]
    /// Characters a region can hold at most (a piece of a line holds at most the widest
    /// network's 160 time steps; a line is read in up to 64 pieces).
    private static let capacity = 4096

    /// Loads the models from `folder`. Throws `OCRError.modelsMissing` or
    /// `.engineUnavailable` (exit 69).
    init(folder: String, threads: Int) throws {
        try PPOCRModels.check(folder: folder)
        dictionary = try PPOCRModels.dictionary(in: folder)
        ppocr_set_threads(Int32(threads))
        var message = [CChar](repeating: 0, count: 512)
        guard let detector = ppocr_detector_create(PPOCRModels.detectionFile(in: folder), Int32(PPOCRModels.detectionSide), &message, message.count) else {
            throw OCRError.engineUnavailable(message: "PP-OCR detector: \(String(cString: message)); run scripts/setup-models again")
        }
        let files = PPOCRModels.recognitionFiles(in: folder)
        let widths = PPOCRModels.recognitionWidths.map(Int32.init)
        let created = files.withCStrings { paths in
            ppocr_recognizer_create(paths, widths, Int32(widths.count), &message, message.count)
        }
        guard let created else {
            ppocr_detector_free(detector)
            throw OCRError.engineUnavailable(message: "PP-OCR recogniser: \(String(cString: message)); run scripts/setup-models again")
        }
        guard let classifier = ppocr_classifier_create(PPOCRModels.classifierFile(in: folder), &message, message.count) else {
            ppocr_detector_free(detector)
            ppocr_recognizer_free(created)
            throw OCRError.engineUnavailable(message: "PP-OCR line classifier: \(String(cString: message)); run scripts/setup-models again")
        }
        self.detector = detector
        self.recognizer = created
        self.classifier = classifier
    }

    deinit {
        ppocr_detector_free(detector)
        ppocr_recognizer_free(recognizer)
        ppocr_classifier_free(classifier)
    }

    /// The probability that a region, read from its first corner, is upside down.
    func upsideDown(_ page: GreyRaster, _ region: TextRegion) throws -> Double {
        var message = [CChar](repeating: 0, count: 512)
        var quad = region.quad
        let probability = ppocr_upside_down(
            classifier, page.pointer, Int32(page.width), Int32(page.height), Int32(page.stride), &quad, &message, message.count)
        guard probability >= 0 else { throw OCRError.recognitionFailed(page: "line orientation: \(String(cString: message))") }
        return Double(probability)
    }

    /// The text regions of a page, top to bottom, found on the page scaled by `scale`
    /// (nil: shrunk to fit the detector's square; larger pages are read in tiles).
    func detect(_ page: GreyRaster, scale: Double? = nil) throws -> [TextRegion] {
        var message = [CChar](repeating: 0, count: 512)
        var regions = [ppocr_quad](repeating: ppocr_quad(), count: 4096)
        let count = ppocr_detect(
            detector, page.pointer, Int32(page.width), Int32(page.height), Int32(page.stride), scale ?? 0,
            &regions, Int32(regions.count), &message, message.count)
        guard count >= 0 else { throw OCRError.recognitionFailed(page: "text detection: \(String(cString: message))") }
        return regions.prefix(Int(count)).map(TextRegion.init)
    }

    /// The characters read in one region; empty for a region too small to read. `whole`
    /// reads a line wider than the widest network squeezed into it, as the original
    /// model's reference reading does (the parity check), instead of in pieces.
    func recognize(_ page: GreyRaster, _ region: TextRegion, whole: Bool = false) throws -> [RecognisedCharacter] {
        let capacity = Self.capacity
        var message = [CChar](repeating: 0, count: 512)
        var classes = [Int32](repeating: 0, count: capacity)
        var probabilities = [Float](repeating: 0, count: capacity)
        var starts = [Float](repeating: 0, count: capacity)
        var ends = [Float](repeating: 0, count: capacity)
        var quad = region.quad
        let count = (whole ? ppocr_recognize_whole : ppocr_recognize)(
            recognizer, page.pointer, Int32(page.width), Int32(page.height), Int32(page.stride), &quad,
            &classes, &probabilities, &starts, &ends, Int32(capacity), &message, message.count)
        guard count >= 0 else { throw OCRError.recognitionFailed(page: "text recognition: \(String(cString: message))") }
        return (0..<Int(count)).compactMap { i in
            let index = Int(classes[i]) - 1
            guard dictionary.indices.contains(index) else { return nil }
            return RecognisedCharacter(text: dictionary[index], probability: probabilities[i], start: starts[i], end: ends[i])
        }
    }
}

extension Array where Element == String {
    /// Calls `body` with the strings as a C array of C strings, valid during the call.
    fileprivate func withCStrings<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Phone photos put flat: the document found in a photo (the largest four-cornered
/// bright region, clearly lighter than the desk around it) is warped to a rectangle as
/// wide and tall as its longer opposite sides. A scan, whose paper fills the image, has
/// no such region and passes untouched.
enum DocumentFlattener {
    /// The flattened document, or nil when the page is not a photographed document.
    static func flatten(_ grey: PixImage) throws -> PixImage? {
        let raster = try GreyRaster(grey)
        var message = [CChar](repeating: 0, count: 512)
        var document = ppocr_quad()
        let found = ppocr_find_document(
            raster.pointer, Int32(raster.width), Int32(raster.height), Int32(raster.stride), &document, &message, message.count)
        guard found >= 0 else { throw OCRError.recognitionFailed(page: "document outline: \(String(cString: message))") }
        guard found == 1 else { return nil }
        func distance(_ a: Int, _ b: Int) -> Double {
            let xs = [document.x.0, document.x.1, document.x.2, document.x.3]
            let ys = [document.y.0, document.y.1, document.y.2, document.y.3]
            return Double(hypot(xs[a] - xs[b], ys[a] - ys[b]))
        }
        let width = Int(max(distance(0, 1), distance(3, 2)).rounded())
        let height = Int(max(distance(0, 3), distance(1, 2)).rounded())
        guard width >= 16, height >= 16, let flat = PixImage(pixCreate(Int32(width), Int32(height), 8)),
            let data = pixGetData(flat.pointer)
        else { return nil }
        let stride = Int(pixGetWpl(flat.pointer)) * 4
        let warped = ppocr_warp(
            raster.pointer, Int32(raster.width), Int32(raster.height), Int32(raster.stride), &document,
            UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self), Int32(width), Int32(height), Int32(stride),
            &message, message.count)
        guard warped == 0 else { throw OCRError.recognitionFailed(page: "flattening: \(String(cString: message))") }
        // OpenCV wrote bytes in order; Leptonica reads them as 32-bit words.
        pixEndianByteSwap(flat.pointer)
        flat.setResolution(grey.resolution)
        return flat
    }
}
