/// One recognised word: its text, where it stands and how sure the engine was.
public struct OCRWord: Codable, Hashable, Sendable {
    public var text: String
    public var box: BoundingBox
    /// The engine's confidence, 0–100, rounded to one decimal so output is stable.
    public var confidence: Double

    public init(text: String, box: BoundingBox, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// One text line: its words left to right, and the line's own reading.
public struct OCRLine: Codable, Hashable, Sendable {
    public var text: String
    public var box: BoundingBox
    public var confidence: Double
    public var words: [OCRWord]

    public init(text: String, box: BoundingBox, confidence: Double, words: [OCRWord]) {
        self.text = text
        self.box = box
        self.confidence = confidence
        self.words = words
    }
}

/// What was done to a page before recognition, so boxes can be mapped back to the scan.
public struct PageGeometry: Codable, Hashable, Sendable {
    /// Clockwise rotation applied to the scan, in degrees (0, 90, 180, 270).
    public var rotation: Int
    /// Skew corrected after rotation, in hundredths of a degree.
    public var skewCentidegrees: Int
    /// Scale factor applied (processed pixels per scan pixel), in thousandths.
    public var scalePermille: Int
    /// Width and height of the scan as read from the file.
    public var sourceWidth: Int
    public var sourceHeight: Int

    public init(rotation: Int, skewCentidegrees: Int, scalePermille: Int, sourceWidth: Int, sourceHeight: Int) {
        self.rotation = rotation
        self.skewCentidegrees = skewCentidegrees
        self.scalePermille = scalePermille
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
    }
}

/// The OCR result of one page: every line with its words, in the coordinates of the
/// processed page (`width` × `height` at `dpi`).
public struct OCRPage: Codable, Hashable, Sendable {
    /// The file's name as given (not its full path, so results do not depend on where
    /// the file was read from).
    public var source: String
    /// Zero-based page within the file (multi-page TIFF).
    public var pageIndex: Int
    public var width: Int
    public var height: Int
    public var dpi: Int
    public var geometry: PageGeometry
    /// Languages and page-segmentation mode used, e.g. `chi_sim+eng psm 4`.
    public var engine: String
    public var lines: [OCRLine]

    public init(
        source: String, pageIndex: Int, width: Int, height: Int, dpi: Int,
        geometry: PageGeometry, engine: String, lines: [OCRLine]
    ) {
        self.source = source
        self.pageIndex = pageIndex
        self.width = width
        self.height = height
        self.dpi = dpi
        self.geometry = geometry
        self.engine = engine
        self.lines = lines
    }

    /// Every word of the page, line by line.
    public var words: [OCRWord] { lines.flatMap(\.words) }
}
