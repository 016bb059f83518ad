import ClaimEyeCore
import CLeptonica
import Foundation

/// An input file (an image, or a PDF whose pages are scans or carry their own text),
/// checked from its header before any pixel is decoded.
public struct ImageFile: Sendable {
    public enum Format: String, Sendable { case png, jpeg, tiff, pdf, ofd }

    public let path: String
    public let format: Format
    public let width: Int
    public let height: Int
    /// Pages in the file: more than one only for multi-page TIFF and PDF.
    public let pageCount: Int

    /// Default pixel limit: 120 megapixels, above an A3 page at 600 dpi.
    public static let defaultPixelLimit = 120_000_000
    /// Default page limit of one file: a scanner's stack of a claim's paper is tens of pages.
    public static let defaultPageLimit = 500

    /// Opens the file's header. Refuses a missing, unreadable, empty, non-image or
    /// oversized file with the matching `OCRError`, without decoding its pixels.
    public init(path: String, pixelLimit: Int = ImageFile.defaultPixelLimit, pageLimit: Int = ImageFile.defaultPageLimit) throws {
        silenceLeptonica()
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw OCRError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw OCRError.unreadable(path: path, reason: "a folder") }
        guard manager.isReadableFile(atPath: path) else {
            throw OCRError.unreadable(path: path, reason: "permission denied")
        }
        // The file itself, through any link the caller gave: a pipe or device would hold
        // the decoder until a writer appears.
        let kind = FileKind.of(path, following: true)
        if kind != S_IFREG { throw OCRError.unreadable(path: path, reason: "\(FileKind.describe(kind)), not a regular file") }
        let attributes = try? manager.attributesOfItem(atPath: path)
        if (attributes?[.size] as? NSNumber)?.intValue == 0 { throw OCRError.emptyFile(path: path) }

        if OFDFile.hasSignature(path) {
            let ofd = try OFDFile(path: path)
            if ofd.pages.count > pageLimit { throw OCRError.tooManyPages(path: path, pages: ofd.pages.count, limit: pageLimit) }
            for index in ofd.pages.indices {
                let size = try ofd.pixelSize(of: index)
                if size.width * size.height > pixelLimit {
                    throw OCRError.tooLarge(path: path, width: size.width, height: size.height, limit: pixelLimit)
                }
            }
            (width, height) = try ofd.pixelSize(of: 0)
            pageCount = ofd.pages.count
            format = .ofd
            self.path = path
            return
        }
        if PDFFile.hasSignature(path) {
            (width, height, pageCount) = try Self.openPDF(path, pixelLimit: pixelLimit, pageLimit: pageLimit)
            format = .pdf
            self.path = path
            return
        }
        var lepFormat: Int32 = 0
        // A file that starts as a PNG, JPEG or TIFF but that Leptonica cannot place (a
        // TIFF declaring 2³²−1 pixels a side) is a damaged image, not another kind of file.
        var notAnImage: OCRError { Self.hasImageSignature(path) ? .corruptImage(path: path) : .notAnImage(path: path) }
        guard findFileFormat(path, &lepFormat) == 0 else { throw notAnImage }
        switch Int(lepFormat) {
        case Int(IFF_PNG): format = .png
        case Int(IFF_JFIF_JPEG): format = .jpeg
        case Int(IFF_TIFF), Int(IFF_TIFF_G3), Int(IFF_TIFF_G4),
            Int(IFF_TIFF_ZIP), Int(IFF_TIFF_LZW), Int(IFF_TIFF_RLE),
            Int(IFF_TIFF_PACKBITS), Int(IFF_TIFF_JPEG):
            format = .tiff
        default:
            throw notAnImage
        }
        var w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0, headerFormat: Int32 = 0
        // pixReadHeader reads only the header: a 30000×30000 page is refused here,
        // before a gigabyte of pixels is allocated.
        guard pixReadHeader(path, &headerFormat, &w, &h, &bps, &spp, &cmap) == 0, w > 0, h > 0 else {
            throw OCRError.corruptImage(path: path)
        }
        if Int(w) * Int(h) > pixelLimit {
            throw OCRError.tooLarge(path: path, width: Int(w), height: Int(h), limit: pixelLimit)
        }
        width = Int(w)
        height = Int(h)
        self.path = path
        // libpng and libjpeg print their own complaints about a cut-off file and may
        // hand back half a page; the file's structure is checked here instead, so a
        // truncated scan is refused with one clear line.
        if !Self.isComplete(path: path, format: format) { throw OCRError.corruptImage(path: path) }
        if format == .tiff {
            var count: Int32 = 1
            if let stream = fopenReadStream(path) {
                if tiffGetCount(stream, &count) != 0 { count = 1 }
                fclose(stream)
            }
            pageCount = max(1, Int(count))
        } else {
            pageCount = 1
        }
    }

    /// A PDF's first page's size at the rendering resolution, and its page count; every
    /// page is checked against the limits before any is rendered.
    private static func openPDF(_ path: String, pixelLimit: Int, pageLimit: Int) throws -> (Int, Int, Int) {
        let pdf = try PDFFile(path: path)
        let count = pdf.pageCount
        guard count > 0 else { throw OCRError.corruptDocument(path: path, kind: "PDF", reason: "no pages") }
        if count > pageLimit { throw OCRError.tooManyPages(path: path, pages: count, limit: pageLimit) }
        var first: (width: Int, height: Int)?
        for index in 0..<count {
            guard let size = pdf.pixelSize(of: index) else {
                throw OCRError.corruptDocument(path: path, kind: "PDF", reason: "page \(index + 1) cannot be read")
            }
            // A page is refused whole here whether it is a scan or not: its text boxes
            // and any rendering are in pixels at the same resolution.
            if size.width * size.height > pixelLimit {
                throw OCRError.tooLarge(path: path, width: size.width, height: size.height, limit: pixelLimit)
            }
            first = first ?? size
        }
        return (first?.width ?? 0, first?.height ?? 0, count)
    }

    /// Page `index` read from the document's own text (engine `pdf-text`), when it is a
    /// born-digital PDF page; nil for an image file, a scanned page (a scanner's
    /// invisible OCR layer is not trusted) or a page without text, which are OCR'd.
    public func ownText(page index: Int) throws -> OCRPage? {
        guard format == .pdf || format == .ofd else { return nil }
        guard index >= 0, index < pageCount else { throw OCRError.noSuchPage(path: path, index: index, pages: pageCount) }
        // The page as its own text gives it: upright, unscaled, at the reading resolution.
        func page(_ size: (width: Int, height: Int), engine: String, lines: [OCRLine]) -> OCRPage {
            OCRPage(
                source: (path as NSString).lastPathComponent, pageIndex: index, width: size.width, height: size.height,
                dpi: PDFFile.dpi,
                geometry: PageGeometry(rotation: 0, skewCentidegrees: 0, scalePermille: 1000, sourceWidth: size.width, sourceHeight: size.height),
                engine: engine, lines: lines)
        }
        if format == .ofd {
            let ofd = try OFDFile(path: path)
            let objects = try ofd.objects(index)
            guard try ofd.scanImage(in: objects, page: index) == nil, let lines = ofd.text(of: objects) else { return nil }
            let signature = ofd.signed ? "; signature present, not verified" : "; no signature"
            return page(try ofd.pixelSize(of: index), engine: ImageFile.ofdTextEngine + signature, lines: lines)
        }
        let pdf = try PDFFile(path: path)
        guard !pdf.isScan(index), let lines = pdf.text(index), let size = pdf.pixelSize(of: index) else { return nil }
        return page(size, engine: ImageFile.ownTextEngine, lines: lines)
    }

    /// The engine named on a page read from a PDF's own text.
    public static let ownTextEngine = "pdf-text"
    /// The engine named (first) on a page read from an OFD's text objects.
    public static let ofdTextEngine = "ofd-text"

    /// Whether a page was read from its document's own text rather than by OCR.
    public static func readFromOwnText(_ page: OCRPage) -> Bool {
        page.engine == ownTextEngine || page.engine.hasPrefix(ofdTextEngine)
    }

    /// Whether the file starts with the signature of a PNG, a JPEG or a TIFF.
    static func hasImageSignature(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        let signatures: [[UInt8]] = [[0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A]]
        return signatures.contains { head.starts(with: $0) }
    }

    /// True when a PNG's chunks run intact to IEND, or a JPEG ends with its EOI marker.
    /// TIFF is checked by libtiff when decoding.
    static func isComplete(path: String, format: Format) -> Bool {
        guard format != .tiff, format != .pdf, format != .ofd else { return true }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return false }
        let bytes = [UInt8](data)
        switch format {
        case .png:
            var offset = 8
            while offset + 12 <= bytes.count {
                let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
                offset += 12 + length
                if type == "IEND" { return offset <= bytes.count }
            }
            return false
        case .jpeg:
            // Scanners pad some files after EOI; trailing zero bytes are allowed.
            var end = bytes.count
            while end > 2, bytes[end - 1] == 0 { end -= 1 }
            return end >= 4 && bytes[end - 2] == 0xFF && bytes[end - 1] == 0xD9
        case .tiff, .pdf, .ofd:
            return true
        }
    }

    /// The pages of this file as references, in order.
    public var pages: [PageReference] {
        (0..<pageCount).map { PageReference(path: path, index: $0) }
    }

    /// Decodes one page. A truncated or corrupt file fails here.
    func decode(page index: Int) throws -> PixImage {
        guard index >= 0, index < pageCount else {
            throw OCRError.noSuchPage(path: path, index: index, pages: pageCount)
        }
        if format == .pdf { return try PDFFile(path: path).render(index) }
        if format == .ofd { return try OFDFile(path: path).decodeScan(index) }
        let pix = format == .tiff ? pixReadTiff(path, Int32(index)) : pixRead(path)
        guard let image = PixImage(pix), image.width == width, image.height == height else {
            throw OCRError.corruptImage(path: path)
        }
        return image
    }
}

/// Leptonica prints its own complaints to stderr; claimeye reports errors itself, one
/// line per file, so Leptonica is silenced.
private func silenceLeptonica() {
    _ = setMsgSeverity(Int32(L_SEVERITY_NONE))
}
