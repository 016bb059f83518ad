import CTesseract
import ClaimEyeCore
import Foundation

/// The production OCR engine: Tesseract through its C API, with claimeye's page
/// preparation and CJK segment re-reading. One instance per worker; not `Sendable`.
public final class TesseractEngine: OCREngine {
    public let settings: OCRSettings
    private let page: TesseractHandle
    private let segmentReaders: [TesseractHandle]
    /// Loaded on the first page that needs it: most batches hold no Latin-script page
    /// and no page on its side, and each model costs a worker load time and memory.
    private var latinPage: TesseractHandle?
    private lazy var orientationDetector: TesseractHandle? =
        settings.detectOrientation ? TesseractHandle.orientationDetector(tessdata: settings.tessdata) : nil
    private let preprocessor: Preprocessor

    /// Loads the page and re-reading models and checks that the Latin model is
    /// installed (it and OSD load on first need). Throws `OCRError.languageDataMissing` or
    /// `.engineUnavailable` (exit 69) when it cannot.
    public init(settings: OCRSettings) throws {
        self.settings = settings
        page = try TesseractHandle(languages: settings.languages, tessdata: settings.tessdata)
        let rereadLanguages = settings.rereadCJKSegments || settings.rereadGarbledNumbers
            ? settings.rereadLanguage.split(separator: ",").map(String.init).filter { $0 != settings.languages } : []
        // A re-reading model that is not installed is skipped, not fatal: the page pass
        // alone still reads every page.
        segmentReaders = rereadLanguages.compactMap { try? TesseractHandle(languages: $0, tessdata: settings.tessdata) }
        // Its data is checked now, so a missing model is reported before the first page.
        if let latin = settings.latinLanguage { try Tessdata.check(languages: latin, folder: settings.tessdata) }
        preprocessor = Preprocessor(settings: settings)
    }

    /// Reads, prepares and recognises one page of a file.
    public func recognize(_ reference: PageReference) throws -> OCRPage {
        let file = try ImageFile(path: reference.path, pixelLimit: settings.pixelLimit, pageLimit: settings.pageLimit)
        return try recognize(file, page: reference.index)
    }

    /// Recognises one page of an already-opened file.
    public func recognize(_ file: ImageFile, page index: Int) throws -> OCRPage {
        if let own = try file.ownText(page: index) { return own }
        let decoded = try file.decode(page: index)
        let (grey, dpi, scale) = try preprocessor.normalise(decoded)
        let mode = TessPageSegMode(rawValue: UInt32(settings.pageSegmentationMode))
        var quarterTurns = 0
        var (prepared, skew) = prepare(grey, dpi: dpi)
        var lines = try page.recognize(prepared.pagePass, dpi: dpi, mode: mode)
        page.clear()
        // Most pages come upright, so orientation is asked only of a page that reads
        // badly; the OSD pass would otherwise cost every page.
        if Self.readsBadly(lines), let orientation = orientationDetector?.detectOrientation(grey),
            orientation.quarterTurns != 0, orientation.confidence >= 1.5
        {
            quarterTurns = orientation.quarterTurns
            (prepared, skew) = prepare(preprocessor.rotate(grey, quarterTurns: quarterTurns), dpi: dpi)
            lines = try page.recognize(prepared.pagePass, dpi: dpi, mode: mode)
            page.clear()
        }
        var engine = settings.languages
        if let latin = settings.latinLanguage, Self.cjkShare(of: lines) < 0.2 {
            // A page with little CJK is a Latin-script document: the CJK model reads
            // English poorly, so the page is read again with the Latin model.
            let latinPage = try latinPage ?? TesseractHandle(languages: latin, tessdata: settings.tessdata)
            self.latinPage = latinPage
            lines = try latinPage.recognize(prepared.pagePass, dpi: dpi, mode: mode)
            latinPage.clear()
            engine = latin
        } else {
            if settings.readRestOfShortLines {
                lines = try readRestOfShortLines(lines, in: prepared.pagePass, dpi: dpi)
                page.clear()
            }
            if !segmentReaders.isEmpty {
                lines = try reread(lines, in: prepared.grey, dpi: dpi)
                for reader in segmentReaders { reader.clear() }
            }
        }
        let geometry = PageGeometry(
            rotation: quarterTurns * 90, skewCentidegrees: Int((skew * 100).rounded()),
            scalePermille: Int((scale * 1000).rounded()), sourceWidth: decoded.width, sourceHeight: decoded.height)
        return OCRPage(
            source: (file.path as NSString).lastPathComponent, pageIndex: index,
            width: prepared.grey.width, height: prepared.grey.height, dpi: dpi, geometry: geometry,
            engine: settings.engineDescription(
                pageLanguage: engine, thresholded: prepared.pagePass !== prepared.grey, dustRemoved: prepared.dustRemoved),
            lines: lines)
    }

    /// Deskews and finishes a grey page for recognition: the finished grey page, the
    /// image for the page pass (the grey page, or its binarisation when the print is
    /// faint, with the dust taken off a dusty one), and the skew corrected.
    private func prepare(_ grey: PixImage, dpi: Int) -> (PreparedPage, Double) {
        let (upright, skew) = preprocessor.deskew(grey)
        let finished = preprocessor.finish(upright, dpi: dpi)
        guard let thresholded = preprocessor.binariseFaint(finished) else {
            return (PreparedPage(grey: finished, pagePass: finished), skew)
        }
        if let cleaned = preprocessor.removeDust(thresholded) {
            return (PreparedPage(grey: finished, pagePass: cleaned, dustRemoved: true), skew)
        }
        return (PreparedPage(grey: finished, pagePass: thresholded), skew)
    }

    /// True when the page pass found little text or read it with low confidence, as on a
    /// page turned on its side or upside down (mean word confidence below 70 of 100).
    static func readsBadly(_ lines: [OCRLine]) -> Bool {
        let words = lines.flatMap(\.words)
        guard words.count >= 5 else { return true }
        return words.map(\.confidence).reduce(0, +) / Double(words.count) < 70
    }

    /// The share of letters on the page that are CJK ideographs.
    static func cjkShare(of lines: [OCRLine]) -> Double {
        var letters = 0
        var cjk = 0
        for line in lines {
            for character in line.text where character.isLetter {
                letters += 1
                if TextFolding.hasCJK(String(character)) { cjk += 1 }
            }
        }
        return letters == 0 ? 1 : Double(cjk) / Double(letters)
    }

    /// Re-reads segments of every line on its own with each segment reader: CJK
    /// segments read with low confidence and not spelling a lexicon entry, and segments
    /// holding a garbled number (see `settings`). A segment is a run of words without a
    /// wide gap, which on a table is one cell. Of the readings (the page pass's and the
    /// re-reads), one that spells a lexicon entry wins, then one that another agrees
    /// with, otherwise the most confident.
    private func reread(_ lines: [OCRLine], in image: PixImage, dpi: Int) throws -> [OCRLine] {
        var imageSet = false
        var result: [OCRLine] = []
        for line in lines {
            var words: [OCRWord] = []
            for segment in Segmenter.segments(of: line) {
                guard needsReread(segment) else {
                    words += segment
                    continue
                }
                let box = segment.dropFirst().reduce(segment[0].box) { $0.union($1.box) }
                let pad = max(4, box.height / 4)
                let region = BoundingBox(
                    left: max(0, box.x - pad), top: max(0, box.y - pad),
                    right: min(image.width, box.maxX + pad), bottom: min(image.height, box.maxY + pad))
                var readings = [segment]
                for reader in segmentReaders {
                    let reread = try reader.recognize(image, dpi: dpi, mode: PSM_SINGLE_LINE, region: region, setImage: !imageSet)
                    let rereadWords = reread.flatMap(\.words)
                    if !rereadWords.isEmpty { readings.append(rereadWords) }
                }
                imageSet = true
                words += Self.choose(readings, lexicon: settings.lexicon)
            }
            var updated = line
            updated.words = words
            updated.text = words.map(\.text).joined(separator: " ")
            result.append(updated)
        }
        return result
    }

    /// Completes rows the page pass read only in part. The right edge is the median right
    /// end of the page's wide lines (over half the widest); a line that starts in the left
    /// half, stops more than four line heights short of that edge, and has no other line
    /// beside it, and at least 20 marks in the strip to its right, has that strip read on
    /// its own (mode 7). Words read there join the line when two or more of them read as
    /// numbers, as the rest of a table row does: a heading's strip adds nothing.
    private func readRestOfShortLines(_ lines: [OCRLine], in image: PixImage, dpi: Int) throws -> [OCRLine] {
        let widest = lines.map(\.box.width).max() ?? 0
        let wideEnds = lines.filter { $0.box.width * 2 > widest }.map(\.box.maxX).sorted()
        guard wideEnds.count >= 3 else { return lines }
        let edge = wideEnds[wideEnds.count / 2]
        var imageSet = false
        var result = lines
        for (index, line) in lines.enumerated() {
            let box = line.box
            guard box.height > 0, box.x * 2 < edge, edge - box.maxX > 4 * box.height else { continue }
            let beside = lines.contains { other in
                other != line && other.box.x >= box.maxX && other.box.x < edge
                    && min(other.box.maxY, box.maxY) - max(other.box.y, box.y) > box.height / 2
            }
            guard !beside else { continue }
            let pad = max(4, box.height / 4)
            let region = BoundingBox(
                left: box.maxX + pad, top: max(0, box.y - pad),
                right: min(image.width, edge + 2 * pad), bottom: min(image.height, box.maxY + pad))
            guard region.width > box.height, region.height > 0 else { continue }
            // Reading a strip costs as much as a line of text, so one with few marks is
            // not read: on the clean fixture pages, 0–2 (rules removed); the rest of a
            // photographed row, 60–120; a photographed heading's strip, 6–47.
            guard Preprocessor.inkComponents(in: image, region: region) >= 20 else { continue }
            let read = try page.recognize(image, dpi: dpi, mode: PSM_SINGLE_LINE, region: region, setImage: !imageSet)
            imageSet = true
            let words = read.flatMap(\.words)
            guard words.filter({ NumberReading.parse($0.text) != nil }).count >= 2 else { continue }
            var completed = line
            completed.words += words
            completed.text = completed.words.map(\.text).joined(separator: " ")
            completed.box = words.reduce(box) { $0.union($1.box) }
            result[index] = completed
        }
        return result
    }

    /// True for a segment the settings ask to re-read.
    private func needsReread(_ segment: [OCRWord]) -> Bool {
        if settings.rereadGarbledNumbers, segment.contains(where: { Self.isGarbledNumber($0.text) }) { return true }
        guard settings.rereadCJKSegments, segment.contains(where: { TextFolding.hasCJK($0.text) }) else { return false }
        let confidence = segment.map(\.confidence).reduce(0, +) / Double(segment.count)
        return confidence < settings.rereadBelowConfidence && !settings.lexicon.knows(segment)
    }

    /// True for a number read with the letter o in it, as some fonts' zeros are:
    /// `16oo.oo`, `9o.00`, `1o`.
    static func isGarbledNumber(_ text: String) -> Bool {
        func isO(_ c: Character) -> Bool { c == "o" || c == "O" }
        func isNumeric(_ c: Character) -> Bool { c.isASCII && c.isNumber || c == "." || c == "," }
        return zip(text, text.dropFirst()).contains { a, b in isO(a) && isNumeric(b) || isNumeric(a) && isO(b) }
    }

    /// The first reading that spells a lexicon entry, else the reading that another
    /// reading agrees with (spaces ignored), else the one with the highest mean word
    /// confidence; ties go to the earlier reading.
    static func choose(_ readings: [[OCRWord]], lexicon: OCRLexicon = .empty) -> [OCRWord] {
        if let known = readings.first(where: lexicon.knows) { return known }
        func compact(_ words: [OCRWord]) -> String { words.map(\.text).joined() }
        func confidence(_ words: [OCRWord]) -> Double { words.map(\.confidence).reduce(0, +) / Double(max(1, words.count)) }
        for (i, reading) in readings.enumerated()
        where readings[(i + 1)...].contains(where: { compact($0) == compact(reading) }) {
            return reading
        }
        var best = readings[0]
        for reading in readings.dropFirst() where confidence(reading) > confidence(best) { best = reading }
        return best
    }
}

/// A page ready for recognition. Segments are re-read from the grey page: binarised,
/// a faint print keeps its numbers but CJK glyphs lose strokes (README, "Faint and
/// noisy pages").
struct PreparedPage {
    let grey: PixImage
    let pagePass: PixImage
    var dustRemoved = false
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
}
