import ClaimEyeCore
import ClaimEyeOCR
import Foundation

/// The scanned pages of a claim as the statement shows them: each PNG or JPEG inline as
/// a data URI, with its lines' boxes. Boxes are in the coordinates of the page as OCR
/// read it; that page is the scan scaled (upscaled low-resolution scans) and turned, so
/// the scan is drawn at the read page's size and boxes are drawn only on a page that was
/// not turned (a small deskew moves them by a few pixels at most). A TIFF page, which a
/// browser cannot show, is listed without its image. A PDF page is shown rendered (at
/// half the reading resolution: the boxes scale with it).
struct StatementImages {
    let claim: PreparedClaim
    let pages: [OCRPage]

    func pages(items: [LineItem]) -> [StatementPage] {
        var cache: [String: String?] = [:]
        return zip(claim.keys, zip(claim.references, pages)).enumerated().map { number, element in
            let (key, (reference, page)) = element
            let uri: String?
            if PDFPreview.isPDF(reference.path) {
                uri = PDFPreview.png(reference).map { "data:image/png;base64," + $0.base64EncodedString() }
            } else if let cached = cache[reference.path] {
                uri = cached
            } else {
                uri = Self.dataURI(reference.path)
                cache[reference.path] = uri
            }
            let upright = page.geometry.rotation == 0
            return StatementPage(
                name: key.file + (key.pageIndex > 0 ? " [\(key.pageIndex + 1)]" : ""), imageDataURI: uri, width: page.width,
                height: page.height, items: upright ? items : [], page: number, readBy: Self.readBy(page))
        }
    }

    /// What the statement says of how a page was read.
    static func readBy(_ page: OCRPage) -> String {
        ImageFile.readFromOwnText(page) ? "Read from the document's own text (not OCR): \(page.engine)." : "Read by OCR (\(page.engine))."
    }

    /// The file as a `data:` URI when it is a PNG or a JPEG (by its first bytes).
    static func dataURI(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 4 else { return nil }
        let head = [UInt8](data.prefix(4))
        let type: String
        if head == [0x89, 0x50, 0x4E, 0x47] {
            type = "image/png"
        } else if head[0] == 0xFF, head[1] == 0xD8 {
            type = "image/jpeg"
        } else {
            return nil
        }
        return "data:\(type);base64," + data.base64EncodedString()
    }
}
