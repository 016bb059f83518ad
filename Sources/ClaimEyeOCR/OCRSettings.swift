/// How pages are prepared and recognised. The defaults are the measured best on the
/// fixture corpus (README, "OCR accuracy"); the other values exist to measure against.
public struct OCRSettings: Sendable, Hashable {
    /// Tesseract languages, `+`-joined.
    public var languages: String
    /// The tessdata folder (see `Tessdata.resolve`).
    public var tessdata: String
    /// Page segmentation mode for the page pass. 4 (a single column of text of variable
    /// sizes) keeps ruled table bodies that 6 loses.
    public var pageSegmentationMode: Int
    /// Detect 90/180/270° orientation with the OSD model before recognition.
    public var detectOrientation: Bool
    /// Measure and correct skew before recognition.
    public var deskew: Bool
    /// Binarise with background normalisation and erase table ruling lines.
    public var removeRulingLines: Bool
    /// Re-read each CJK segment of a line on its own, in `rereadLanguage`, single-line mode.
    public var rereadCJKSegments: Bool
    /// The language for segment re-reading.
    public var rereadLanguage: String
    /// Pages below this resolution are upscaled to `targetDPI`.
    public var minimumDPI: Int
    public var targetDPI: Int
    /// Pixel limit checked from the header before decoding.
    public var pixelLimit: Int

    public init(
        languages: String = "chi_sim+eng",
        tessdata: String = Tessdata.resolve(explicit: nil),
        pageSegmentationMode: Int = 4,
        detectOrientation: Bool = true,
        deskew: Bool = true,
        removeRulingLines: Bool = true,
        rereadCJKSegments: Bool = true,
        rereadLanguage: String = "chi_sim",
        minimumDPI: Int = 250,
        targetDPI: Int = 300,
        pixelLimit: Int = ImageFile.defaultPixelLimit
    ) {
        self.languages = languages
        self.tessdata = tessdata
        self.pageSegmentationMode = pageSegmentationMode
        self.detectOrientation = detectOrientation
        self.deskew = deskew
        self.removeRulingLines = removeRulingLines
        self.rereadCJKSegments = rereadCJKSegments
        self.rereadLanguage = rereadLanguage
        self.minimumDPI = minimumDPI
        self.targetDPI = targetDPI
        self.pixelLimit = pixelLimit
    }

    /// The short description stored with each page, e.g. `chi_sim+eng psm 4`.
    public var engineDescription: String {
        var parts = ["\(languages) psm \(pageSegmentationMode)"]
        if removeRulingLines { parts.append("rules removed") }
        if rereadCJKSegments { parts.append("CJK re-read \(rereadLanguage)") }
        return parts.joined(separator: ", ")
    }
}
