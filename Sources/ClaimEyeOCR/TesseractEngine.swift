import CTesseract
import ClaimEyeCore
import Foundation

/// The production OCR engine: Tesseract through its C API, with claimeye's page
/// preparation and CJK segment re-reading. One instance per worker; not `Sendable`.
public final class TesseractEngine: OCREngine {
    public let settings: OCRSettings
    private let page: TesseractHandle
    private let segmentReader: TesseractHandle?
    private let orientationDetector: TesseractHandle?
    private let preprocessor: Preprocessor

    /// Loads the language data. Throws `OCRError.languageDataMissing` or
    /// `.engineUnavailable` (exit 69) when it cannot.
    public init(settings: OCRSettings) throws {
        self.settings = settings
        page = try TesseractHandle(languages: settings.languages, tessdata: settings.tessdata)
        let wantsReread = settings.rereadCJKSegments && settings.rereadLanguage != settings.languages
        segmentReader = wantsReread ? try TesseractHandle(languages: settings.rereadLanguage, tessdata: settings.tessdata) : nil
        orientationDetector = settings.detectOrientation ? TesseractHandle.orientationDetector(tessdata: settings.tessdata) : nil
        preprocessor = Preprocessor(settings: settings)
    }

    /// Reads, prepares and recognises one page of a file.
    public func recognize(_ reference: PageReference) throws -> OCRPage {
        let file = try ImageFile(path: reference.path, pixelLimit: settings.pixelLimit)
        return try recognize(file, page: reference.index)
    }

    /// Recognises one page of an already-opened file.
    public func recognize(_ file: ImageFile, page index: Int) throws -> OCRPage {
        let decoded = try file.decode(page: index)
        var (grey, dpi, scale) = try preprocessor.normalise(decoded)
        var quarterTurns = 0
        if let orientation = orientationDetector?.detectOrientation(grey),
            orientation.quarterTurns != 0, orientation.confidence >= 1.5
        {
            quarterTurns = orientation.quarterTurns
            grey = preprocessor.rotate(grey, quarterTurns: quarterTurns)
        }
        let (upright, skew) = preprocessor.deskew(grey)
        let prepared = preprocessor.finish(upright, dpi: dpi)
        let mode = TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))
        var lines = try page.recognize(prepared, dpi: dpi, mode: mode)
        page.clear()
        if let segmentReader {
            lines = try reread(lines, in: prepared, dpi: dpi, with: segmentReader)
            segmentReader.clear()
        }
        let geometry = PageGeometry(
            rotation: quarterTurns * 90, skewCentidegrees: Int((skew * 100).rounded()),
            scalePermille: Int((scale * 1000).rounded()), sourceWidth: file.width, sourceHeight: file.height)
        return OCRPage(
            source: (file.path as NSString).lastPathComponent, pageIndex: index,
            width: prepared.width, height: prepared.height, dpi: dpi, geometry: geometry,
            engine: settings.engineDescription, lines: lines)
    }

    /// Re-reads each CJK segment of every line on its own. A segment is a run of words
    /// without a wide gap, which on a table is one cell. The segment reader's reading
    /// replaces the page pass's when its confidence is at least as high.
    private func reread(_ lines: [OCRLine], in image: PixImage, dpi: Int, with reader: TesseractHandle) throws -> [OCRLine] {
        var imageSet = false
        var result: [OCRLine] = []
        for line in lines {
            var words: [OCRWord] = []
            for segment in Segmenter.segments(of: line) {
                guard segment.contains(where: { Segmenter.hasCJK($0.text) }) else {
                    words += segment
                    continue
                }
                let box = segment.dropFirst().reduce(segment[0].box) { $0.union($1.box) }
                let pad = max(4, box.height / 4)
                let region = BoundingBox(
                    left: max(0, box.x - pad), top: max(0, box.y - pad),
                    right: min(image.width, box.maxX + pad), bottom: min(image.height, box.maxY + pad))
                let reread = try reader.recognize(image, dpi: dpi, mode: PSM_SINGLE_LINE, region: region, setImage: !imageSet)
                imageSet = true
                let rereadWords = reread.flatMap(\.words)
                let before = segment.map(\.confidence).reduce(0, +) / Double(segment.count)
                let after = rereadWords.isEmpty ? -1 : rereadWords.map(\.confidence).reduce(0, +) / Double(rereadWords.count)
                words += after >= before ? rereadWords : segment
            }
            var updated = line
            updated.words = words
            updated.text = words.map(\.text).joined(separator: " ")
            result.append(updated)
        }
        return result
    }
}

/// Splits a line into segments at wide gaps: on a table, one segment per cell.
enum Segmenter {
    static func segments(of line: OCRLine) -> [[OCRWord]] {
        guard let first = line.words.first else { return [] }
        // A gap wider than the line's height separates cells; CJK glyphs are about as
        // wide as the line is tall, so a gap of one glyph or more is a column break.
        let gapLimit = max(8, line.box.height)
        var segments: [[OCRWord]] = [[first]]
        for (previous, word) in zip(line.words, line.words.dropFirst()) {
            if word.box.x - previous.box.maxX > gapLimit {
                segments.append([word])
            } else {
                segments[segments.count - 1].append(word)
            }
        }
        return segments
    }

    /// True when the text holds a CJK ideograph.
    static func hasCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }
}
