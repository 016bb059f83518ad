import ClaimEyeCore
import Foundation

/// The PP-OCR engine: PaddleOCR's PP-OCRv4 text detector and line recogniser on
/// OpenCV's DNN module, with claimeye's page preparation (grey through the red channel,
/// upscaling, deskew). Regions on one row become one line; a region's characters split
/// into words at spaces and wide gaps. One instance per worker; not `Sendable`.
public final class PPOCREngine: OCREngine {
    public let settings: OCRSettings
    private let reader: PPOCRReader
    private let preprocessor: Preprocessor

    /// Loads the models. Throws `OCRError.modelsMissing` or `.engineUnavailable` (exit 69).
    public init(settings: OCRSettings) throws {
        self.settings = settings
        reader = try PPOCRReader(folder: settings.models, threads: settings.ppocrThreads)
        preprocessor = Preprocessor(settings: settings)
    }

    public func recognize(_ reference: PageReference) throws -> OCRPage {
        let file = try ImageFile(path: reference.path, pixelLimit: settings.pixelLimit, pageLimit: settings.pageLimit)
        if let own = try file.ownText(page: reference.index) { return own }
        let decoded = try file.decode(page: reference.index)
        let (normalised, dpi, scale) = try preprocessor.normalise(decoded)
        let flat = settings.flattenPhotos ? try DocumentFlattener.flatten(normalised) : nil
        let read = try read(flat ?? normalised)
        return OCRPage(
            source: (file.path as NSString).lastPathComponent, pageIndex: reference.index,
            width: read.page.width, height: read.page.height, dpi: dpi,
            geometry: PageGeometry(
                rotation: read.quarterTurns * 90, skewCentidegrees: Int((read.skew * 100).rounded()),
                scalePermille: Int((scale * 1000).rounded()), sourceWidth: decoded.width, sourceHeight: decoded.height),
            engine: Self.description + (flat != nil ? ", photo flattened" : "") + (read.dustRemoved ? ", dust removed" : ""),
            lines: read.lines)
    }

    /// The engine line stored with each page; part of the stored-OCR key.
    public static let description = "ppocr v4 det \(PPOCRModels.detectionSide) rec 48×\(PPOCRModels.recognitionWidths.map(String.init).joined(separator: "/"))"

    /// A page read: the upright page, its lines, and the turns and skew corrected.
    struct PageReading {
        var page: PixImage
        var lines: [OCRLine]
        var quarterTurns: Int
        var skew: Double
        var dustRemoved: Bool
    }

    /// Turns the page upright (see `orientation`), deskews it, paints out the dust of a
    /// faint and dusty page (see `Preprocessor.paintOutDust`), and reads every region.
    func read(_ grey: PixImage) throws -> PageReading {
        var raster = try GreyRaster(grey)
        var regions = try reader.detect(raster, scale: settings.detectionScale)
        let turns = settings.detectOrientation ? try orientation(of: regions, on: raster) : 0
        let turned = preprocessor.rotate(grey, quarterTurns: turns)
        var (upright, skew) = preprocessor.deskew(turned)
        let dustRemoved = settings.removeDust ? preprocessor.paintOutDust(upright) : nil
        upright = dustRemoved ?? upright
        let page = upright
        if dustRemoved != nil || turns != 0 || abs(skew) > Self.mappedSkew {
            // The specks painted out were found as text, or hid it; lines running down a
            // page, or askew by degrees, are found apart or together otherwise than
            // level (a quarter-turned page's regions, turned with it, miss a fifth of
            // those found upright; at 3.6° the 单位 and 数量 headers were one region): the
            // page is read again.
            raster = try GreyRaster(page)
            regions = try reader.detect(raster, scale: settings.detectionScale)
        } else if page !== grey {
            // Deskewed by a degree or less, the regions found are rotated with the page
            // rather than found again (a detection is the page's dearest step).
            raster = try GreyRaster(page)
            regions = regions.map { $0.rotated(degrees: skew, width: Float(page.width), height: Float(page.height)) }
        }
        var words: [OCRWord] = []
        for region in regions {
            words += Self.words(of: try reader.recognize(raster, region), in: region.box)
        }
        return PageReading(page: page, lines: Self.lines(of: words), quarterTurns: turns, skew: skew, dustRemoved: dustRemoved != nil)
    }

    /// The largest skew, in degrees, whose regions are rotated with the page rather than
    /// found again.
    static let mappedSkew = 1.0

    /// Clockwise quarter turns that set the page upright, 0 for most pages. The page's
    /// long regions (three times as long as they are thick) say whether its lines run
    /// across or down it; PP-OCR's 180° line classifier, over the largest of them (at
    /// most 9), says which way up. A region read from another corner is the same region
    /// turned, so the page is turned only once, when the answer is known.
    func orientation(of regions: [TextRegion], on raster: GreyRaster) throws -> Int {
        let long = regions.filter { max($0.aspect, 1 / max($0.aspect, 0.001)) >= 3 }
        guard !long.isEmpty else { return 0 }
        let down = long.filter { $0.aspect < 1 }.count * 2 > long.count
        let sample = long.sorted { $0.box.width * $0.box.height > $1.box.width * $1.box.height }.prefix(9)
        let base = down ? 1 : 0
        var upsideDown = 0.0
        for region in sample { upsideDown += try reader.upsideDown(raster, region.shifted(by: base)) }
        let shift = base + (upsideDown / Double(sample.count) > 0.5 ? 2 : 0)
        return (4 - shift) % 4
    }

    /// Splits a region's characters into words at spaces and at gaps wider than the
    /// region's height, each with its share of the region's box.
    static func words(of characters: [RecognisedCharacter], in box: BoundingBox) -> [OCRWord] {
        var groups: [[RecognisedCharacter]] = [[]]
        let characters = readingDashAsOne(characters)
        let gapLimit = Float(box.height) / Float(max(1, box.width))
        for character in characters {
            if character.text.trimmingCharacters(in: .whitespaces).isEmpty {
                if !groups[groups.count - 1].isEmpty { groups.append([]) }
                continue
            }
            if let previous = groups[groups.count - 1].last, character.start - previous.end > gapLimit {
                groups.append([])
            }
            groups[groups.count - 1].append(character)
        }
        return groups.filter { !$0.isEmpty }.flatMap(splitGluedCells).map { group in
            let left = box.x + Int((Float(box.width) * group.first!.start).rounded(.down))
            let right = box.x + Int((Float(box.width) * group.last!.end).rounded(.up))
            let confidence = group.map { Double($0.probability) }.reduce(0, +) / Double(group.count) * 100
            return OCRWord(
                text: group.map(\.text).joined(),
                box: BoundingBox(left: left, top: box.y, right: max(left + 1, right), bottom: box.maxY),
                confidence: (confidence * 10).rounded() / 10)
        }
    }

    /// The ideograph 一 is a plain stroke, and PP-OCR reads it as a dash before other
    /// ideographs (`-次性使用`): a dash followed by an ideograph, at the start of a region
    /// or after a digit or an ideograph, is 一. After a Latin or Greek letter it stays a
    /// dash (`β-内酰胺酶`).
    static func readingDashAsOne(_ characters: [RecognisedCharacter]) -> [RecognisedCharacter] {
        func isCJK(_ i: Int) -> Bool { characters.indices.contains(i) && TextFolding.hasCJK(characters[i].text) }
        var result = characters
        for i in characters.indices where ["-", "—", "－", "_"].contains(characters[i].text) && isCJK(i + 1) {
            let before = i > 0 ? characters[i - 1].text : ""
            if before.isEmpty || before.trimmingCharacters(in: .whitespaces).isEmpty || isCJK(i - 1)
                || before.allSatisfy({ $0.isASCII && $0.isNumber })
            {
                result[i].text = "一"
            }
        }
        return result
    }

    /// Splits a word that holds table cells the detector saw as one region: two sums of
    /// money side by side (`1.0010.00` is 1.00 and 10.00: both parts must have two
    /// decimals, so `0.4511` stays whole), and what is glued before them (`3g1/袋21.0015.80`
    /// is 3g1/袋, 21.00 and 15.80), a sum glued to the yen sign of the next
    /// (`14.00￥0.96`), or a code of five or more Latin letters and digits glued to the
    /// name after it (`S31030003800010角膜…`).
    static func splitGluedCells(_ word: [RecognisedCharacter]) -> [[RecognisedCharacter]] {
        let texts = word.map(\.text)
        func isDigit(_ i: Int) -> Bool { texts.indices.contains(i) && texts[i].count == 1 && texts[i].first!.isASCII && texts[i].first!.isNumber }
        func isMoney(_ range: Range<Int>) -> Bool {
            let part = texts[range]
            guard part.count >= 4, let point = part.firstIndex(of: "."), part.lastIndex(of: ".") == point else { return false }
            return point > range.lowerBound && range.upperBound - point == 3 && range.allSatisfy { $0 == point || isDigit($0) }
        }
        var cuts: [Int] = []
        var start = 0
        for i in 1..<max(1, texts.count) {
            let glyph = texts[i].unicodeScalars.first.map { TextFolding.hasCJK(String($0)) } ?? false
            let codeBefore = i - start >= 5 && (start..<i).allSatisfy { texts[$0].count == 1 && texts[$0].first!.isASCII && (texts[$0].first!.isLetter || texts[$0].first!.isNumber) }
            let yen = texts[i] == "¥" || texts[i] == "￥"
            if glyph && codeBefore || yen && isDigit(i - 1) {
                cuts.append(i)
                start = i
            } else if isDigit(i) {
                // The run of digits and points that ends here, and the one that starts.
                var before = i
                while before > start, isDigit(before - 1) || texts[before - 1] == "." { before -= 1 }
                var end = i
                while end < texts.count, isDigit(end) || texts[end] == "." { end += 1 }
                guard isMoney(before..<i), isMoney(i..<end) else { continue }
                // A spec or unit glued before the first sum (`3g1/袋21.00`) is a cell too.
                if before > start, !isDigit(before - 1) { cuts.append(before) }
                cuts.append(i)
                start = i
            }
        }
        var parts: [[RecognisedCharacter]] = []
        var from = 0
        for cut in cuts + [word.count] {
            parts.append(Array(word[from..<cut]))
            from = cut
        }
        return parts.filter { !$0.isEmpty }
    }

    /// Words on one row become a line, left to right. A row's band is its words' mean
    /// top and bottom; a word joins the row whose band overlaps it most, by at least half
    /// the smaller height, and none of whose words it overlaps across. Words over twice
    /// the median height (a seal's text, a title) join rows last and never move a band,
    /// which they would stretch over the rows below.
    static func lines(of words: [OCRWord]) -> [OCRLine] {
        struct Row {
            var words: [OCRWord]
            var top: Double
            var bottom: Double
        }
        let heights = words.map(\.box.height).sorted()
        let tallest = heights.isEmpty ? 0 : 2 * heights[heights.count / 2]
        let byMiddle = words.sorted { ($0.box.y + $0.box.maxY, $0.box.x) < ($1.box.y + $1.box.maxY, $1.box.x) }
        var rows: [Row] = []
        for word in byMiddle.filter({ $0.box.height <= tallest }) + byMiddle.filter({ $0.box.height > tallest }) {
            var best: (index: Int, overlap: Double)?
            for (index, row) in rows.enumerated() {
                let overlap = min(row.bottom, Double(word.box.maxY)) - max(row.top, Double(word.box.y))
                guard overlap * 2 > min(row.bottom - row.top, Double(word.box.height)) else { continue }
                let collides = row.words.contains { other in
                    min(other.box.maxX, word.box.maxX) - max(other.box.x, word.box.x) > min(other.box.width, word.box.width) / 2
                }
                if !collides, overlap > (best?.overlap ?? 0) { best = (index, overlap) }
            }
            if let best {
                if word.box.height <= tallest {
                    let count = Double(rows[best.index].words.count)
                    rows[best.index].top = (rows[best.index].top * count + Double(word.box.y)) / (count + 1)
                    rows[best.index].bottom = (rows[best.index].bottom * count + Double(word.box.maxY)) / (count + 1)
                }
                rows[best.index].words.append(word)
            } else {
                rows.append(Row(words: [word], top: Double(word.box.y), bottom: Double(word.box.maxY)))
            }
        }
        return rows.map(\.words).map { row in
            let sorted = row.sorted { $0.box.x < $1.box.x }
            let box = sorted.dropFirst().reduce(sorted[0].box) { $0.union($1.box) }
            let confidence = sorted.map(\.confidence).reduce(0, +) / Double(sorted.count)
            return OCRLine(
                text: sorted.map(\.text).joined(separator: " "), box: box,
                confidence: (confidence * 10).rounded() / 10, words: sorted)
        }
        .sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }
}

extension TextRegion {
    /// The region where it lies once its page (`width` × `height`, the same after) is
    /// rotated clockwise by `degrees` about its centre, as `Preprocessor.deskew` rotates it.
    func rotated(degrees: Double, width: Float, height: Float) -> TextRegion {
        guard degrees != 0 else { return self }
        let radians = Float(degrees * .pi / 180)
        let (c, s) = (cos(radians), sin(radians))
        let (cx, cy) = (width / 2, height / 2)
        return mapped { x, y in
            let (dx, dy) = (x - cx, y - cy)
            return (min(width, max(0, cx + dx * c - dy * s)), min(height, max(0, cy + dx * s + dy * c)))
        }
    }

    /// The corners moved by `transform` (which turns, never mirrors, so they stay
    /// clockwise), read from the corner now at the top left, as the detector orders the
    /// corners of a region found on the upright page.
    private func mapped(_ transform: (Float, Float) -> (Float, Float)) -> TextRegion {
        let corners = [(quad.x.0, quad.y.0), (quad.x.1, quad.y.1), (quad.x.2, quad.y.2), (quad.x.3, quad.y.3)].map(transform)
        let first = corners.indices.min { corners[$0].0 + corners[$0].1 < corners[$1].0 + corners[$1].1 } ?? 0
        let ordered = (0..<4).map { corners[(first + $0) % 4] }
        var moved = quad
        moved.x = (ordered[0].0, ordered[1].0, ordered[2].0, ordered[3].0)
        moved.y = (ordered[0].1, ordered[1].1, ordered[2].1, ordered[3].1)
        return TextRegion(quad: moved)
    }

    /// The same region read from another corner: `shift` corners clockwise.
    func shifted(by shift: Int) -> TextRegion {
        let xs = [quad.x.0, quad.x.1, quad.x.2, quad.x.3]
        let ys = [quad.y.0, quad.y.1, quad.y.2, quad.y.3]
        func at(_ i: Int) -> Int { (i + shift) % 4 }
        var turned = quad
        turned.x = (xs[at(0)], xs[at(1)], xs[at(2)], xs[at(3)])
        turned.y = (ys[at(0)], ys[at(1)], ys[at(2)], ys[at(3)])
        return TextRegion(quad: turned)
    }
}
