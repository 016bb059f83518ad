/// What can go wrong in the OCR stage. `languageDataMissing` and `engineUnavailable`
/// concern the whole run (exit 69); the others concern one file, which becomes that
/// file's outcome while the run goes on.
public enum OCRError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist (exit 66).
    case fileNotFound(path: String)
    /// The file exists but cannot be opened (permissions, a folder, a device).
    case unreadable(path: String, reason: String)
    /// Zero bytes.
    case emptyFile(path: String)
    /// Not a PNG, JPEG, TIFF, PDF or OFD (by content, not by name).
    case notAnImage(path: String)
    /// The header is readable but the pixels are not: truncated or corrupt.
    case corruptImage(path: String)
    /// The header announces more pixels than the configured limit; nothing was decoded.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A PDF that poppler cannot parse (truncated, malformed), an OFD whose zip or XML
    /// is damaged, or a page of either that cannot be read or rendered.
    case corruptDocument(path: String, kind: String, reason: String)
    /// An OFD whose zip holds an entry or a reference that leaves the archive, or an
    /// entry that inflates past the limits (a zip bomb); nothing of it is read further.
    case unsafeArchive(path: String, entry: String)
    /// An encrypted PDF that the empty password does not open.
    case encrypted(path: String)
    /// A PDF with more pages than the configured limit; nothing was rendered.
    case tooManyPages(path: String, pages: Int, limit: Int)
    /// A page index beyond the file's pages.
    case noSuchPage(path: String, index: Int, pages: Int)
    /// A language's traineddata file is not in the tessdata folder (exit 69).
    case languageDataMissing(language: String, folder: String)
    /// A PP-OCR model file is not where the search order looked (exit 69).
    case modelsMissing(file: String)
    /// Tesseract refused to start for another reason (exit 69).
    case engineUnavailable(message: String)
    /// Recognition itself failed on a page.
    case recognitionFailed(page: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            // A name that is not UTF-8 reaches Swift with U+FFFD in place of its bytes.
            return "\(path): no such file" + (path.contains("\u{FFFD}") ? " (the name given is not UTF-8, and claimeye reads UTF-8 names only: rename the file)" : "")
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))"
        case .emptyFile(let path):
            return "\(path): empty file (0 bytes)"
        case .notAnImage(let path):
            return "\(path): not a PNG, JPEG or TIFF image, nor a PDF or OFD document"
        case .corruptImage(let path):
            return "\(path): truncated or corrupt image; re-scan the page"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): \(width)×\(height) pixels is above the limit of \(limit) pixels; refused before decoding (if it is genuine, raise --max-pixels of ocr, or intake.max_pixels in the configuration of process, ingest and watch)"
        case .corruptDocument(let path, let kind, let reason):
            return "\(path): truncated or malformed \(kind) (\(reason))"
        case .unsafeArchive(let path, let entry):
            return "\(path): refused, an unsafe OFD archive (\(entry)); nothing of it was read further"
        case .encrypted(let path):
            return "\(path): encrypted PDF that opens only with a password; ask for an unprotected copy"
        case .tooManyPages(let path, let pages, let limit):
            return "\(path): \(pages) pages is above the limit of \(limit) pages a file; refused before reading any (if it is genuine, raise --max-pages of ocr, or intake.max_pages in the configuration of process, ingest and watch)"
        case .noSuchPage(let path, let index, let pages):
            return "\(path): has \(pages) page(s), no page \(index + 1)"
        case .languageDataMissing(let language, let folder):
            return "language data '\(language)' not found in \(folder); install \(Tessdata.debianPackage(for: language)) or pass --tessdata"
        case .modelsMissing(let file):
            return "PP-OCR model \(file) not found; run scripts/setup-models (scripts/setup runs it), or pass --models / set CLAIMEYE_MODELS"
        case .engineUnavailable(let message):
            return "OCR engine unavailable: \(message)"
        case .recognitionFailed(let page):
            return "\(page): recognition failed"
        }
    }

    /// True for errors that concern the whole run rather than one file.
    public var isFatal: Bool {
        switch self {
        case .languageDataMissing, .modelsMissing, .engineUnavailable: return true
        default: return false
        }
    }
}
