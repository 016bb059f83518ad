import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import Foundation

/// `claimeye ocr IMAGE...`: OCR only, each page's lines and words with boxes and
/// confidences.
struct OCRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Recognise images: each page's lines and words with boxes and confidences.",
        discussion: """
            Takes PNG, JPEG and TIFF (every page of a multi-page TIFF). Pages are turned \
            upright, deskewed, upscaled to 300 dpi when below 250 dpi, and read with \
            Tesseract, one engine per worker. CJK cells read with low confidence are \
            read again with the Han-script model, unless they spell a catalogue name \
            (--catalogue, by default the sample one; --no-catalogue for none). A file \
            that cannot be read is reported on stderr and the others go on; the exit \
            code is then 3 (or the file's own code when it was the only one).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, tsv, json
    }

    @OptionGroup var global: GlobalOptions

    @OptionGroup var catalogue: CatalogueOptions

    @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .text

    @Option(help: "Refuse images with more pixels than this, from the header, before decoding.")
    var maxPixels: Int = ImageFile.defaultPixelLimit

    @Option(help: "Refuse a PDF or OFD with more pages than this, before reading any.")
    var maxPages: Int = ImageFile.defaultPageLimit

    @Option(help: ArgumentHelp("Page segmentation mode of the page pass.", visibility: .hidden))
    var psm: Int = 4

    @Flag(help: ArgumentHelp("Keep ruling lines and Tesseract's own binarisation.", visibility: .hidden))
    var keepRules = false

    @Flag(help: ArgumentHelp("Keep the specks on a dusty thresholded page.", visibility: .hidden))
    var keepDust = false

    @Flag(help: ArgumentHelp("PP-OCR: read a phone photo as it is, without finding the document in it and putting it flat.", visibility: .hidden))
    var keepPhoto = false

    @Option(help: ArgumentHelp("PP-OCR: read the page for detection at this scale, in tiles (default: shrunk to fit 960 px).", visibility: .hidden))
    var detectionScale: Double?

    @Flag(help: ArgumentHelp("Do not re-read segments (CJK, garbled numbers) line by line.", visibility: .hidden))
    var noReread = false

    @Flag(help: ArgumentHelp("Re-read only segments holding garbled numbers, not CJK ones.", visibility: .hidden))
    var noRereadCJK = false

    @Option(help: ArgumentHelp("Language for re-reading segments.", visibility: .hidden))
    var rereadLang: String?

    @Option(help: ArgumentHelp("Re-read only CJK segments below this confidence.", visibility: .hidden))
    var rereadBelow: Double = 90

    @Option(help: ArgumentHelp("Resample pages below this resolution.", visibility: .hidden))
    var minDpi: Int?

    @Option(help: ArgumentHelp("Resample pages above this resolution.", visibility: .hidden))
    var maxDpi: Int?

    @Option(help: ArgumentHelp("The resolution pages are resampled to.", visibility: .hidden))
    var targetDpi: Int?

    @Option(help: ArgumentHelp("Only render (render) or only take the text of (text) every page of the PDFs given, one core, timed on stderr: scripts/bench-pdf.", visibility: .hidden))
    var pdfOnly: PDFTiming.Stage?

    @Argument(help: "Image files.")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
        guard maxPages > 0 else { throw ValidationError("--max-pages must be positive") }
        guard (0...13).contains(psm) else { throw ValidationError("--psm takes 0 to 13") }
    }

    func run() throws {
        if let pdfOnly {
            let clock = ContinuousClock()
            let start = clock.now
            let done = try PDFTiming.run(pdfOnly, on: images)
            let took = clock.now - start
            let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
            FileHandle.standardError.write(Data(String(
                format: "pdf-only: stage %@ pages %d words %d seconds %.4f\n", pdfOnly.rawValue, done.pages, done.words, seconds).utf8))
            return
        }
        var settings = global.ocrSettings
        settings.pixelLimit = maxPixels
        settings.pageLimit = maxPages
        settings.pageSegmentationMode = psm
        settings.removeRulingLines = !keepRules
        settings.removeDust = !keepDust
        settings.flattenPhotos = !keepPhoto
        settings.detectionScale = detectionScale
        settings.rereadCJKSegments = !noRereadCJK && !noReread
        settings.rereadGarbledNumbers = !noReread
        if let rereadLang { settings.rereadLanguage = rereadLang }
        settings.rereadBelowConfidence = rereadBelow
        if let minDpi { settings.minimumDPI = minDpi }
        if let maxDpi { settings.maximumDPI = maxDpi }
        if let targetDpi { settings.targetDPI = targetDpi }
        // stderr carries one line per bad file and nothing else unless --verbose.
        settings.lexicon = try catalogue.lexicon(quiet: !global.verbose)
        // Language data is checked once, before any file (in the reader): a missing pack
        // is the run's problem (exit 69), not each file's.
        let documents = try DocumentReader(settings: settings, jobs: global.jobs, recorded: nil).read(images)
        var failures: [OCRError] = []
        var recognised: [OCRPage] = []
        for document in documents {
            switch document.pages {
            case .success(let pages): recognised += pages
            case .failure(let error):
                report(error)
                failures.append(error)
            }
        }
        try write(recognised)
        if let failure = failures.first {
            // One file: its own exit code, its line already printed. Several: exit 3 and
            // a summary line.
            if images.count == 1 { throw Finished(status: ExitStatus.code(for: failure) ?? .dataError, summary: nil) }
            throw Finished(status: .partialFailure, summary: "\(failures.count) of \(images.count) files could not be read")
        }
    }

    private func report(_ error: OCRError) {
        FileHandle.standardError.write(Data("claimeye: \(error)\n".utf8))
    }

    private func write(_ pages: [OCRPage]) throws {
        let output: String
        switch global.json ? .json : format {
        case .json:
            output = try OCRFormatting.json(pages)
        case .tsv:
            output = OCRFormatting.tsv(pages)
        case .text:
            output = OCRFormatting.text(pages)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// The three renderings of OCR results.
enum OCRFormatting {
    static func json(_ pages: [OCRPage]) throws -> String {
        String(decoding: try CommandJSON.pretty(pages), as: UTF8.self)
    }

    /// One row per word: file, page, line, word, left, top, width, height, confidence, text.
    static func tsv(_ pages: [OCRPage]) -> String {
        var rows = ["file\tpage\tline\tword\tleft\ttop\twidth\theight\tconf\ttext"]
        for page in pages {
            for (lineNumber, line) in page.lines.enumerated() {
                for (wordNumber, word) in line.words.enumerated() {
                    let b = word.box
                    let text = word.text.replacingOccurrences(of: "\t", with: " ")
                    rows.append("\(page.source)\t\(page.pageIndex + 1)\t\(lineNumber + 1)\t\(wordNumber + 1)\t\(b.x)\t\(b.y)\t\(b.width)\t\(b.height)\t\(word.confidence)\t\(text)")
                }
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func text(_ pages: [OCRPage]) -> String {
        var out = ""
        for page in pages {
            let g = page.geometry
            out += "== \(page.source) page \(page.pageIndex + 1): \(page.width)×\(page.height) at \(page.dpi) dpi, rotated \(g.rotation)°, deskewed \(Double(g.skewCentidegrees) / 100)°\n"
            for line in page.lines { out += line.text + "\n" }
        }
        return out
    }
}
