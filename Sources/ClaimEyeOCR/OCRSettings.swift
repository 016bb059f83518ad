import ClaimEyeCore

/// How pages are prepared and recognised. The defaults are the measured best on the
/// fixture corpus (README, "OCR accuracy"); the other values exist to measure against.
public struct OCRSettings: Sendable, Hashable {
    /// Which engine reads the pages (see `OCREngineChoice`).
    public var engine: OCREngineChoice = .tesseract
    /// The folder of the converted PP-OCR models (see `PPOCRModels.resolve`).
    public var models: String = PPOCRModels.resolve(explicit: nil)
    /// Threads OpenCV's DNN module uses per process for PP-OCR (workers already run in
    /// parallel: one thread each keeps them from competing for the cores).
    public var ppocrThreads: Int = 1
    /// The scale PP-OCR's detector reads the page at; nil shrinks the page to fit its
    /// 960-pixel square. Larger scales are read in overlapping tiles (README, "PP-OCR":
    /// 1.0 found 3 more of the real invoices' 68 line amounts, at 2–12 times the
    /// detection time).
    public var detectionScale: Double?
    /// Find a photographed document's outline and warp it flat before reading (PP-OCR).
    public var flattenPhotos: Bool = true
    /// Tesseract languages of the page pass, `+`-joined. `chi_sim` alone read more
    /// CJK names exactly than `chi_sim+eng` (README, "OCR accuracy").
    public var languages: String
    /// The model for pages that turn out to be Latin-script (little CJK in the page
    /// pass), or nil to keep the page pass's reading.
    public var latinLanguage: String?
    /// The tessdata folder (see `Tessdata.resolve`).
    public var tessdata: String
    /// Page segmentation mode for the page pass. 4 (a single column of text of variable
    /// sizes) keeps ruled table bodies that 6 loses.
    public var pageSegmentationMode: Int
    /// Detect 90/180/270° orientation with the OSD model before recognition.
    public var detectOrientation: Bool
    /// Measure and correct skew before recognition.
    public var deskew: Bool
    /// Paint out table ruling lines before recognition.
    public var removeRulingLines: Bool
    /// Pages whose ink and paper are fewer grey levels apart than this (Otsu's class
    /// means) are thresholded by claimeye for the page pass; 0 never. Clean prints
    /// measure about 240 apart; faint, noisy and photographed ones 90–180.
    public var binariseBelowContrast: Int = 200
    /// Where claimeye's threshold sits between paper (0) and ink (1).
    public var binarisationBias: Double = 0.25
    /// Take the dust off a thresholded page whose marks are largely isolated specks
    /// (see `Preprocessor.removeDust`): on the noise fixtures numbers F1 0.689 -> 1.000.
    public var removeDust: Bool = true
    /// Re-read each CJK segment of a line on its own, in `rereadLanguage`, single-line
    /// mode. It costs about a third of the page time and wins names, totals and the
    /// numbers of degraded pages (README, "OCR accuracy").
    public var rereadCJKSegments: Bool
    /// Re-read, the same way, each segment holding a number read with letters in it
    /// (`16oo.oo`, `9o.00`): the page pass reads some fonts' zeros as `o`.
    public var rereadGarbledNumbers: Bool
    /// Read again, on its own, the rest of a row the page pass read only in part: a line
    /// that stops well short of the right edge the page's wide lines share, with nothing
    /// read beside it (on a photographed table Tesseract's layout analysis can drop the
    /// right half of rows near a dark border).
    public var readRestOfShortLines: Bool = true
    /// The models for segment re-reading, comma-separated; each one missing is skipped.
    /// `HanS` (the Han-script model) differs most from the page pass's `chi_sim`.
    public var rereadLanguage: String
    /// Only segments whose page-pass confidence (mean over words, 0–100) is below this
    /// are re-read: a confident reading is kept as it is. At 90, as many names came out
    /// exactly as when every segment was re-read, with about an eighth less work.
    public var rereadBelowConfidence: Double = 90
    /// Pages below this resolution are upscaled to `targetDPI` (README, "OCR accuracy":
    /// 150-dpi pages read as well or better upscaled to 200 dpi, but the 200-dpi rescan
    /// lost a line without its upscale to 300).
    public var minimumDPI: Int
    /// Pages above this resolution are downscaled to `targetDPI`. Off by default: the
    /// plain command reads more names at 200 dpi than at 300, but the parser loses
    /// lines on such pages (README, "Levers measured and not kept").
    public var maximumDPI: Int = 10_000
    /// The resolution pages are rescaled to.
    public var targetDPI: Int
    /// The resolution taken for a page that declares none (or a nonsense one).
    public var assumedDPI: Int = 300
    /// Pixel limit checked from the header before decoding.
    public var pixelLimit: Int
    /// Page limit of a PDF or OFD, checked before any page is read.
    public var pageLimit: Int = ImageFile.defaultPageLimit
    /// Texts the pages are expected to print (the catalogue's names): a CJK segment
    /// read as one is not re-read, and among disagreeing readings one that spells an
    /// entry wins. Empty: readings are chosen by agreement and confidence alone.
    public var lexicon: OCRLexicon = .empty

    public init(
        languages: String = OCRSettings.defaultLanguages,
        latinLanguage: String? = "eng",
        tessdata: String = Tessdata.resolve(explicit: nil),
        pageSegmentationMode: Int = 4,
        detectOrientation: Bool = true,
        deskew: Bool = true,
        removeRulingLines: Bool = true,
        rereadCJKSegments: Bool = true,
        rereadGarbledNumbers: Bool = true,
        rereadLanguage: String = "HanS",
        minimumDPI: Int = 250,
        targetDPI: Int = 300,
        pixelLimit: Int = ImageFile.defaultPixelLimit
    ) {
        self.languages = languages
        self.latinLanguage = latinLanguage
        self.tessdata = tessdata
        self.pageSegmentationMode = pageSegmentationMode
        self.detectOrientation = detectOrientation
        self.deskew = deskew
        self.removeRulingLines = removeRulingLines
        self.rereadCJKSegments = rereadCJKSegments
        self.rereadGarbledNumbers = rereadGarbledNumbers
        self.rereadLanguage = rereadLanguage
        self.minimumDPI = minimumDPI
        self.targetDPI = targetDPI
        self.pixelLimit = pixelLimit
    }

    /// The page pass's languages unless `--lang` says otherwise.
    public static let defaultLanguages = "chi_sim"

    /// The short description stored with each page, e.g. `chi_sim psm 4, rules removed`;
    /// `thresholded` when the page pass read claimeye's binarisation of a faint print,
    /// `dustRemoved` when that binarisation had its specks taken off.
    public func engineDescription(pageLanguage: String, thresholded: Bool = false, dustRemoved: Bool = false) -> String {
        var parts = ["\(pageLanguage) psm \(pageSegmentationMode)"]
        if removeRulingLines { parts.append("rules removed") }
        if thresholded { parts.append("faint print thresholded") }
        if dustRemoved { parts.append("dust removed") }
        if pageLanguage == languages {
            if rereadCJKSegments { parts.append("CJK re-read \(rereadLanguage)") }
            if !lexicon.isEmpty { parts.append("lexicon \(lexicon.count)") }
            if rereadGarbledNumbers { parts.append("number re-read \(rereadLanguage)") }
            if readRestOfShortLines { parts.append("short rows completed") }
        }
        return parts.joined(separator: ", ")
    }
}

/// The recogniser a page is read with.
public enum OCREngineChoice: String, CaseIterable, Sendable, Hashable {
    /// Tesseract's page pass with claimeye's re-reading (the engine of earlier rounds).
    case tesseract
    /// PP-OCRv4 detection and recognition on OpenCV's DNN module.
    case ppocr
    /// The engine measured best (README, "OCR engines").
    case auto

    /// Makes one engine instance for one worker.
    public func make(_ settings: OCRSettings) throws -> any OCREngine {
        switch self {
        case .tesseract: return try TesseractEngine(settings: settings)
        case .ppocr, .auto: return try PPOCREngine(settings: settings)
        }
    }
}
