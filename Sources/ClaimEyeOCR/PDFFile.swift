import CLeptonica
import CPDF
import ClaimEyeCore
import Foundation

/// A PDF opened through poppler (the `CPDF` target): its pages' sizes, whether a page is
/// a scan (an image covering most of it: any text layer on it is a scanner's OCR and not
/// trusted) or born digital (its own text, read with a box per character), and a page
/// rendered to pixels. Not shared between threads: each use opens its own.
final class PDFFile {
    private let handle: OpaquePointer
    let path: String

    /// The resolution scans are rendered at, and born-digital pages' boxes are given in.
    static let dpi = 300
    /// A page whose images cover at least this share of it is a scan.
    static let scanCoverage = 0.5

    /// Opens the file; an encrypted file that the empty password does not open, and a
    /// file poppler cannot parse, are refused.
    init(path: String) throws {
        var status: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        guard let handle = cpdf_open(path, &status, &message, message.count) else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch status {
            case Int32(CPDF_ENCRYPTED.rawValue): throw OCRError.encrypted(path: path)
            case Int32(CPDF_UNREADABLE.rawValue): throw OCRError.unreadable(path: path, reason: reason)
            default: throw OCRError.corruptDocument(path: path, kind: "PDF", reason: reason)
            }
        }
        self.handle = handle
        self.path = path
    }

    deinit { cpdf_close(handle) }

    /// Whether the file starts like a PDF (`%PDF-` within its first 1,024 bytes, as
    /// readers allow).
    static func hasSignature(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        let head = (try? file.read(upToCount: 1024)) ?? Data()
        return head.range(of: Data("%PDF-".utf8)) != nil
    }

    var pageCount: Int { Int(cpdf_page_count(handle)) }

    /// Page `index`'s size in pixels at `dpi`; nil when the page cannot be loaded.
    func pixelSize(of index: Int) -> (width: Int, height: Int)? {
        var width = 0.0, height = 0.0
        guard cpdf_page_size(handle, Int32(index), &width, &height) != 0, width > 0, height > 0 else { return nil }
        let scale = Double(PDFFile.dpi) / 72
        return (Int((width * scale).rounded()), Int((height * scale).rounded()))
    }

    /// Whether page `index` is a scan: its images cover most of it.
    func isScan(_ index: Int) -> Bool {
        cpdf_image_coverage(handle, Int32(index)) >= PDFFile.scanCoverage
    }

    /// Renders page `index` at `dpi`, in colour (the seals' red is the preprocessor's to
    /// take out).
    func render(_ index: Int) throws -> PixImage {
        var pixels: UnsafeMutablePointer<UInt32>?
        var width: Int32 = 0, height: Int32 = 0
        guard cpdf_render_rgb(handle, Int32(index), Double(PDFFile.dpi), &pixels, &width, &height) != 0, let pixels else {
            throw OCRError.corruptDocument(path: path, kind: "PDF", reason: "page \(index + 1) cannot be rendered")
        }
        defer { cpdf_free(pixels) }
        guard let image = PixImage(pixCreate(width, height, 32)), let data = pixGetData(image.pointer) else {
            throw OCRError.corruptDocument(path: path, kind: "PDF", reason: "page \(index + 1): no memory for \(width)×\(height) pixels")
        }
        // A 32-bit Leptonica row is one word a pixel, no padding.
        data.withMemoryRebound(to: UInt32.self, capacity: Int(width) * Int(height)) {
            $0.update(from: pixels, count: Int(width) * Int(height))
        }
        image.setResolution(PDFFile.dpi)
        return image
    }

    /// Page `index`'s own text as lines of words, boxes in pixels at `dpi`; nil when the
    /// page has no text.
    func text(_ index: Int) -> [OCRLine]? {
        var text: UnsafeMutablePointer<CChar>?
        var boxes: UnsafeMutablePointer<Double>?
        var count: Int32 = 0
        guard cpdf_page_text(handle, Int32(index), &text, &boxes, &count) != 0, let text, let boxes else { return nil }
        defer {
            cpdf_free(text)
            cpdf_free(boxes)
        }
        let characters = Array(String(cString: text).unicodeScalars)
        let n = min(characters.count, Int(count))
        let scale = Double(PDFFile.dpi) / 72
        var glyphs: [TextGlyph] = []
        glyphs.reserveCapacity(n)
        for i in 0..<n {
            let box = BoundingBox(
                left: Int((boxes[4 * i] * scale).rounded(.down)), top: Int((boxes[4 * i + 1] * scale).rounded(.down)),
                right: Int((boxes[4 * i + 2] * scale).rounded(.up)), bottom: Int((boxes[4 * i + 3] * scale).rounded(.up)))
            glyphs.append(TextGlyph(scalar: characters[i], box: box))
        }
        let lines = TextGlyph.lines(glyphs)
        return lines.isEmpty ? nil : lines
    }
}

/// One character of a page's own text (a PDF's or an OFD's) and its box.
struct TextGlyph {
    var scalar: Unicode.Scalar
    var box: BoundingBox

    /// Lines at the text's line breaks, words at its spaces; confidence 1 (the text is
    /// the document's own). A PDF's text need not space its columns apart (`11.501.50`
    /// for 1 × 1.50 = 1.50): a gap wider than `wordGap` of the character height also ends
    /// a word, and a character that is not beside the one before (on another baseline, or
    /// back to the left) starts a new line.
    static func lines(_ glyphs: [TextGlyph]) -> [OCRLine] {
        var lines: [OCRLine] = []
        var words: [OCRWord] = []
        var word: [TextGlyph] = []
        func endWord() {
            guard !word.isEmpty else { return }
            let text = String(String.UnicodeScalarView(word.map(\.scalar)))
            words.append(OCRWord(text: text, box: union(word.map(\.box)), confidence: 1))
            word = []
        }
        func endLine() {
            endWord()
            guard !words.isEmpty else { return }
            lines.append(OCRLine(
                text: words.map(\.text).joined(separator: " "), box: union(words.map(\.box)), confidence: 1, words: words))
            words = []
        }
        var previous: BoundingBox?
        for glyph in glyphs {
            if glyph.scalar == "\n" || glyph.scalar == "\r" {
                endLine()
                previous = nil
                continue
            }
            if glyph.scalar.properties.isWhitespace {
                endWord()
                continue
            }
            if let before = previous {
                let height = max(before.height, glyph.box.height, 1)
                let sameLine = abs((before.y + before.maxY) - (glyph.box.y + glyph.box.maxY)) <= height
                    && glyph.box.x >= before.x
                if !sameLine {
                    endLine()
                } else if Double(glyph.box.x - before.maxX) > wordGap * Double(height) {
                    endWord()
                }
            }
            word.append(glyph)
            previous = glyph.box
        }
        endLine()
        return lines
    }

    /// A gap between two characters wider than this share of their height separates words.
    static let wordGap = 0.6

    private static func union(_ boxes: [BoundingBox]) -> BoundingBox {
        BoundingBox(
            left: boxes.map(\.x).min() ?? 0, top: boxes.map(\.y).min() ?? 0,
            right: boxes.map(\.maxX).max() ?? 0, bottom: boxes.map(\.maxY).max() ?? 0)
    }
}

/// A PDF page as a PNG for the statement: rendered as for reading, then halved (the
/// statement draws it to the page's size, so the boxes still fall on their lines).
public enum PDFPreview {
    public static func isPDF(_ path: String) -> Bool { PDFFile.hasSignature(path) }

    /// The page as PNG bytes; nil when the file is no PDF or the page cannot be rendered.
    public static func png(_ page: PageReference) -> Data? {
        guard isPDF(page.path), let pdf = try? PDFFile(path: page.path), page.index < pdf.pageCount,
            let rendered = try? pdf.render(page.index), let half = PixImage(pixScale(rendered.pointer, 0.5, 0.5))
        else { return nil }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pixWriteMemPng(&bytes, &size, half.pointer, 0) == 0, let bytes else { return nil }
        defer { free(bytes) }
        return Data(bytes: bytes, count: size)
    }
}

/// The two PDF stages alone, for `scripts/bench-pdf`: every page of each file rendered
/// at the reading resolution (the pixels dropped), or every page's own text taken with
/// its boxes. One document open per file, one core.
public enum PDFTiming {
    public enum Stage: String, Sendable, CaseIterable {
        case render, text
    }

    /// The pages done and the words found.
    public static func run(_ stage: Stage, on paths: [String]) throws -> (pages: Int, words: Int) {
        var pages = 0, words = 0
        for path in paths {
            let pdf = try PDFFile(path: path)
            for index in 0..<pdf.pageCount {
                switch stage {
                case .render: _ = try pdf.render(index)
                case .text: words += pdf.text(index)?.reduce(0) { $0 + $1.words.count } ?? 0
                }
                pages += 1
            }
        }
        return (pages, words)
    }
}
