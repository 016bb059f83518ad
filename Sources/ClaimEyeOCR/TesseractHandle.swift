import CTesseract
import ClaimEyeCore
import Foundation

/// One Tesseract engine (a `TessBaseAPI*`). Never shared between threads: each worker
/// creates its own, because the C++ engine keeps per-page state.
final class TesseractHandle {
    private let handle: OpaquePointer

    /// Loads `languages` from `tessdata`. Missing data is checked first so the error
    /// names the file and the package; Tesseract's own failure is the fallback.
    init(languages: String, tessdata: String, engineMode: TessOcrEngineMode = OEM_LSTM_ONLY) throws {
        try Tessdata.check(languages: languages, folder: tessdata)
        guard let handle = TessBaseAPICreate() else {
            throw OCRError.engineUnavailable(message: "TessBaseAPICreate returned no engine")
        }
        // Recognition uses the LSTM engine; the OSD model is a legacy-engine model.
        guard TessBaseAPIInit2(handle, tessdata, languages, engineMode) == 0 else {
            TessBaseAPIDelete(handle)
            throw OCRError.engineUnavailable(message: "Tesseract could not load '\(languages)' from \(tessdata)")
        }
        self.handle = handle
        // Word spacing is kept as printed; the parser decides what a gap means.
        set("preserve_interword_spaces", "1")
        // Tesseract's diagnostics ("Detected 21 diacritics") would land on claimeye's
        // stderr, which carries claimeye's own messages only.
        set("debug_file", "/dev/null")
        // Tesseract re-recognises every line it reads with low confidence a second time,
        // inverted, in case it is white print on black. Bills print black on white; the
        // second pass cost 7–19% of the page time and changed no item name or amount on
        // the clean fixture set (README, "OCR speed").
        set("tessedit_do_invert", "0")
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    func set(_ name: String, _ value: String) {
        _ = TessBaseAPISetVariable(handle, name, value)
    }

    /// An engine holding the OSD model, or nil when `osd.traineddata` is not installed
    /// (orientation detection is then skipped).
    static func orientationDetector(tessdata: String) -> TesseractHandle? {
        try? TesseractHandle(languages: "osd", tessdata: tessdata, engineMode: OEM_TESSERACT_ONLY)
    }

    /// Orientation, on an engine made by `orientationDetector`: clockwise quarter turns
    /// that make the page upright, and the model's confidence. Nil when no text is found.
    /// (DetectOrientationScript classifies with the engine's own model, so it must be
    /// called on the OSD engine, not on the recognition engine.)
    func detectOrientation(_ image: PixImage) -> (quarterTurns: Int, confidence: Double)? {
        TessBaseAPISetPageSegMode(handle, PSM_OSD_ONLY)
        TessBaseAPISetImage2(handle, image.pointer)
        TessBaseAPISetSourceResolution(handle, Int32(max(70, image.resolution)))
        var degrees: Int32 = 0
        var confidence: Float = 0
        var scriptName: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        defer { TessBaseAPIClear(handle) }
        guard TessBaseAPIDetectOrientationScript(handle, &degrees, &confidence, &scriptName, &scriptConfidence) != 0 else {
            return nil
        }
        // `degrees` is how far the text is turned clockwise from upright (the command's
        // "Orientation in degrees: 270, Rotate: 90"); turning the page clockwise by the
        // rest of the circle rights it.
        return ((4 - Int(degrees) / 90 % 4) % 4, Double(confidence))
    }

    /// Recognises `image` (or the `region` of it) and returns its lines with words.
    func recognize(_ image: PixImage, dpi: Int, mode: TessPageSegMode, region: BoundingBox? = nil, setImage: Bool = true) throws -> [OCRLine] {
        TessBaseAPISetPageSegMode(handle, mode)
        if setImage {
            TessBaseAPISetImage2(handle, image.pointer)
            TessBaseAPISetSourceResolution(handle, Int32(dpi))
        }
        if let region {
            TessBaseAPISetRectangle(handle, Int32(region.x), Int32(region.y), Int32(region.width), Int32(region.height))
        }
        guard TessBaseAPIRecognize(handle, nil) == 0 else {
            throw OCRError.recognitionFailed(page: "page")
        }
        guard let iterator = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)

        var lines: [OCRLine] = []
        var current: OCRLine?
        repeat {
            if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 {
                if let line = current, !line.words.isEmpty { lines.append(line) }
                let box = Self.box(pageIterator, RIL_TEXTLINE) ?? BoundingBox(x: 0, y: 0, width: 0, height: 0)
                current = OCRLine(text: "", box: box, confidence: Self.round(TessResultIteratorConfidence(iterator, RIL_TEXTLINE)), words: [])
            }
            guard let textPointer = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: textPointer).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(textPointer)
            guard !text.isEmpty, let box = Self.box(pageIterator, RIL_WORD) else { continue }
            let word = OCRWord(text: text, box: box, confidence: Self.round(TessResultIteratorConfidence(iterator, RIL_WORD)))
            current?.words.append(word)
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        if let line = current, !line.words.isEmpty { lines.append(line) }
        return lines.map { line in
            var line = line
            line.text = line.words.map(\.text).joined(separator: " ")
            return line
        }
    }

    /// Releases the page's recognition results and its image: the next `recognize` must
    /// set an image again.
    func clear() { TessBaseAPIClear(handle) }

    private static func box(_ iterator: OpaquePointer?, _ level: TessPageIteratorLevel) -> BoundingBox? {
        var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
        guard TessPageIteratorBoundingBox(iterator, level, &left, &top, &right, &bottom) != 0 else { return nil }
        return BoundingBox(left: Int(left), top: Int(top), right: Int(right), bottom: Int(bottom))
    }

    /// Confidence to one decimal, so recorded output is stable across runs.
    private static func round(_ value: Float) -> Double {
        (Double(value) * 10).rounded() / 10
    }
}
