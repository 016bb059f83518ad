import CLeptonica
import ClaimEyeCore
import Foundation

/// Prepares a decoded page for recognition: grey conversion that drops red seals,
/// upscaling of low-resolution scans, deskew, and ruling-line removal.
/// Orientation is decided by the engine (it needs the OSD model) before `finish`.
struct Preprocessor {
    let settings: OCRSettings

    /// A grey page at a usable resolution, and the scale applied.
    func normalise(_ image: PixImage) throws -> (grey: PixImage, dpi: Int, scale: Double) {
        let grey: PixImage?
        if image.depth == 32 {
            // The red channel: a red seal stamped over black print is near white in it,
            // so the print under the seal survives.
            grey = PixImage(pixGetRGBComponent(image.pointer, Int32(COLOR_RED)))
        } else {
            grey = PixImage(pixConvertTo8(image.pointer, 0))
        }
        guard let grey else { throw OCRError.recognitionFailed(page: "grey conversion") }
        let declared = image.resolution
        // An unknown resolution (0) or a nonsense one is taken as a usual scan's.
        let dpi = (declared >= 50 && declared <= 1200) ? declared : settings.assumedDPI
        guard dpi < settings.minimumDPI || dpi > settings.maximumDPI else {
            grey.setResolution(dpi)
            return (grey, dpi, 1)
        }
        // The pixel limit holds for the page as it is processed, not only as decoded: a
        // large page declaring a low resolution is upscaled only as far as the limit
        // allows (10,900² at 100 dpi once became 32,700², 5 GB, in one worker).
        let fitting = (Double(settings.pixelLimit) / Double(max(1, grey.width * grey.height))).squareRoot()
        let scale = min(4.0, Double(settings.targetDPI) / Double(dpi), fitting)
        guard scale > 1 || dpi > settings.maximumDPI else {
            grey.setResolution(dpi)
            return (grey, dpi, 1)
        }
        guard let scaled = PixImage(pixScale(grey.pointer, Float(scale), Float(scale))) else {
            throw OCRError.recognitionFailed(page: "rescaling")
        }
        let reached = Int((Double(dpi) * scale).rounded())
        scaled.setResolution(reached)
        return (scaled, reached, scale)
    }

    /// Rotates by a multiple of 90° clockwise.
    func rotate(_ image: PixImage, quarterTurns: Int) -> PixImage {
        guard quarterTurns % 4 != 0, let rotated = PixImage(pixRotateOrth(image.pointer, Int32(quarterTurns % 4))) else {
            return image
        }
        rotated.setResolution(image.resolution)
        return rotated
    }

    /// Finds and corrects skew; returns the page and the angle corrected, in degrees.
    func deskew(_ grey: PixImage) -> (PixImage, Double) {
        guard settings.deskew, let binary = PixImage(pixConvertTo1(grey.pointer, 128)) else { return (grey, 0) }
        var angle: Float = 0
        var confidence: Float = 0
        // pixFindSkew searches ±7° and reports a confidence; below 3 the text lines are
        // too few or too ragged to trust (Leptonica's own threshold in pixDeskew).
        guard pixFindSkew(binary.pointer, &angle, &confidence) == 0, confidence >= 3, abs(angle) >= 0.05 else {
            return (grey, 0)
        }
        let radians = Float.pi / 180 * angle
        guard let rotated = PixImage(pixRotate(grey.pointer, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0)) else {
            return (grey, 0)
        }
        rotated.setResolution(grey.resolution)
        return (rotated, Double(angle))
    }

    /// The image handed to Tesseract: the grey page with the table's ruling lines
    /// painted out. Tesseract still thresholds the grey itself, which reads glyph edges
    /// better than a global threshold of ours.
    func finish(_ grey: PixImage, dpi: Int) -> PixImage {
        guard settings.removeRulingLines, let page = PixImage(pixCopy(nil, grey.pointer)),
            let binary = PixImage(pixConvertTo1(grey.pointer, 160))
        else { return grey }
        // A ruling line is a run of ink much longer than any glyph stroke: at 300 dpi a
        // 12 pt CJK glyph is ~50 px wide, so 4× that cannot be text.
        let length = Int32(max(60, dpi * 2 / 3))
        guard let horizontal = PixImage(pixOpenCompBrick(nil, binary.pointer, length, 1)),
            let vertical = PixImage(pixOpenCompBrick(nil, binary.pointer, 1, length)),
            let lines = PixImage(pixOr(nil, horizontal.pointer, vertical.pointer)),
            // Widen the mask so the anti-aliased edges of the rules go too.
            let mask = PixImage(pixDilateBrick(nil, lines.pointer, 3, 3))
        else { return grey }
        // Painted white on white paper, but in the paper's own grey where it is darker:
        // on a photograph the dark surface around the paper is one such run too, and
        // painted white it would leave the paper the darkest thing on the page, for
        // Tesseract's threshold to turn black. (Recognition reads the grey levels, so
        // even 254 for 255 changes readings: white paper keeps white.)
        let paper = Self.inkAndPaper(grey)?.paper ?? 255
        let paint = paper >= 245 ? 255 : UInt32(max(0, paper.rounded()))
        pixPaintThroughMask(page.pointer, mask.pointer, 0, 0, paint)
        page.setResolution(dpi)
        return page
    }

    /// The page for the page pass: on a faint, blurred or noisy print (ink and paper
    /// less than `settings.binariseBelowContrast` grey levels apart), the page
    /// thresholded by claimeye nearer the paper than Otsu's midpoint, so the thin parts
    /// of glyphs and the decimal points survive (README, "Faint and noisy pages");
    /// otherwise nil, and Tesseract thresholds the grey page itself.
    func binariseFaint(_ grey: PixImage) -> PixImage? {
        guard settings.binariseBelowContrast > 0, grey.depth == 8,
            let levels = Self.inkAndPaper(grey), levels.paper - levels.ink < Double(settings.binariseBelowContrast)
        else { return nil }
        let threshold = levels.paper - settings.binarisationBias * (levels.paper - levels.ink)
        guard let binary = PixImage(pixThresholdToBinary(grey.pointer, Int32(threshold.rounded()))) else { return nil }
        binary.setResolution(grey.resolution)
        return binary
    }

    /// A thresholded page with its dust taken off, or nil when the page is not dusty.
    /// A speck is a mark no bigger than half a millimetre. A page is dusty when 20 or
    /// more of its marks, and a tenth or more, are specks that, grown by a third of a
    /// millimetre each way, touch nothing (no other ink within 8 px at 300 dpi; on the
    /// fixtures: noise pages 29–62%, every other thresholded page 3% or less, and 0–0.2%
    /// on dot-matrix prints, whose dots lie close together). On a dusty page a speck
    /// stays where it is part of a glyph-sized cluster of specks (a dot-matrix glyph: at
    /// least 2.5 mm each way once grown; a lone narrow one, a `1`, does not reach it), and
    /// where it lies within a third of a millimetre (4 px) of a larger mark, that part of
    /// it: a decimal point beside its digits keeps the side facing them. The rest goes
    /// (README, "Faint and noisy pages"). Keeping the whole of a speck near a larger mark
    /// kept more dust beside the glyphs (measured with a reach of 4 px left and 3 right:
    /// noise numbers F1 0.993 against 1.000, names 0.889 against 0.926).
    func removeDust(_ binary: PixImage) -> PixImage? {
        guard settings.removeDust, binary.depth == 1 else { return nil }
        let dpi = max(100, binary.resolution)
        let speck = Int32((dpi * 6 + 150) / 300)
        // An odd brick, so a mark grows as far right as left: 9 px at 300 dpi, 4 each way.
        let reach = Int32(2 * ((dpi * 4 + 150) / 300) + 1)
        // Glyph-sized: 2.5 mm each way once grown (noise names F1 0.941 at 2.5 mm, 0.912
        // at 2 mm, 0.824 at 2 mm either way: dust lies in chains).
        let cluster = Int32((dpi * 30 + 150) / 300)
        var marks: Int32 = 0
        var alone: Int32 = 0
        guard pixCountConnComp(binary.pointer, 8, &marks) == 0, marks > 0,
            let grown = PixImage(pixDilateBrick(nil, binary.pointer, reach, reach)),
            let isolated = Self.marks(of: grown, atMost: speck + reach - 1),
            pixCountConnComp(isolated.pointer, 8, &alone) == 0, alone >= 20, alone * 10 >= marks,
            let specks = Self.marks(of: binary, atMost: speck),
            let larger = PixImage(pixSubtract(nil, binary.pointer, specks.pointer)),
            let nearLarger = PixImage(pixDilateBrick(nil, larger.pointer, reach, reach)),
            let besideGlyphs = PixImage(pixAnd(nil, specks.pointer, nearLarger.pointer)),
            let grownSpecks = PixImage(pixDilateBrick(nil, specks.pointer, reach, reach)),
            let clusters = Self.marks(of: grownSpecks, atLeast: cluster),
            let inClusters = PixImage(pixAnd(nil, specks.pointer, clusters.pointer)),
            let kept = PixImage(pixOr(nil, besideGlyphs.pointer, inClusters.pointer)),
            let cleaned = PixImage(pixOr(nil, larger.pointer, kept.pointer))
        else { return nil }
        cleaned.setResolution(binary.resolution)
        return cleaned
    }

    /// The grey page with its dust painted out in the paper's grey, or nil when the page
    /// is not faint and dusty: the specks `removeDust` takes off its thresholded page,
    /// grown by a pixel, are painted over. For an engine that reads grey (PP-OCR), where
    /// a speck reads as a point or a colon (`11:55` for 11.55).
    func paintOutDust(_ grey: PixImage) -> PixImage? {
        guard let binary = binariseFaint(grey), let cleaned = removeDust(binary),
            let dust = PixImage(pixSubtract(nil, binary.pointer, cleaned.pointer)),
            let mask = PixImage(pixDilateBrick(nil, dust.pointer, 3, 3)),
            let page = PixImage(pixCopy(nil, grey.pointer))
        else { return nil }
        let paper = Self.inkAndPaper(grey)?.paper ?? 255
        pixPaintThroughMask(page.pointer, mask.pointer, 0, 0, UInt32(max(0, min(255, paper.rounded()))))
        page.setResolution(grey.resolution)
        return page
    }

    /// The marks of a binary page no wider and no taller than `size` pixels.
    private static func marks(of binary: PixImage, atMost size: Int32) -> PixImage? {
        var changed: Int32 = 0
        return PixImage(pixSelectBySize(binary.pointer, size, size, 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LTE), &changed))
    }

    /// The marks of a binary page at least `size` pixels wide and tall.
    private static func marks(of binary: PixImage, atLeast size: Int32) -> PixImage? {
        var changed: Int32 = 0
        return PixImage(pixSelectBySize(binary.pointer, size, size, 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_GTE), &changed))
    }

    /// The connected marks (8-connected, ink below 128 on a grey page) inside a region:
    /// a strip holding the rest of a table row has dozens, an empty one a speck or two.
    static func inkComponents(in image: PixImage, region: BoundingBox) -> Int {
        var box: UnsafeMutablePointer<BOX>? = boxCreate(Int32(region.x), Int32(region.y), Int32(region.width), Int32(region.height))
        defer { boxDestroy(&box) }
        guard let box, let clipped = PixImage(pixClipRectangle(image.pointer, box, nil)) else { return 0 }
        let binary = clipped.depth == 1 ? clipped : PixImage(pixConvertTo1(clipped.pointer, 128))
        guard let binary else { return 0 }
        var count: Int32 = 0
        guard pixCountConnComp(binary.pointer, 8, &count) == 0 else { return 0 }
        return Int(count)
    }

    /// Otsu's split of the grey histogram: the mean level of the dark class (ink) and
    /// of the light class (paper). Nil for a page of one level.
    static func inkAndPaper(_ grey: PixImage) -> (ink: Double, paper: Double)? {
        var histogram = pixGetGrayHistogram(grey.pointer, 2)
        defer { numaDestroy(&histogram) }
        guard let numa = histogram else { return nil }
        var counts = [Double](repeating: 0, count: 256)
        for level in 0..<min(256, Int(numaGetCount(numa))) {
            var value: Float = 0
            numaGetFValue(numa, Int32(level), &value)
            counts[level] = Double(value)
        }
        return otsuMeans(counts)
    }

    /// The class means at the threshold that maximises the between-class variance.
    static func otsuMeans(_ counts: [Double]) -> (ink: Double, paper: Double)? {
        let total = counts.reduce(0, +)
        let weightedTotal = counts.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        var darkCount = 0.0, darkSum = 0.0
        var best: (variance: Double, ink: Double, paper: Double)?
        for (level, count) in counts.enumerated() {
            darkCount += count
            darkSum += Double(level) * count
            let lightCount = total - darkCount
            guard darkCount > 0, lightCount > 0 else { continue }
            let ink = darkSum / darkCount
            let paper = (weightedTotal - darkSum) / lightCount
            let variance = darkCount * lightCount * (paper - ink) * (paper - ink)
            if variance > best?.variance ?? 0 { best = (variance, ink, paper) }
        }
        return best.map { ($0.ink, $0.paper) }
    }
}
