import CLeptonica
import Testing

@testable import ClaimEyeOCR

/// Dust removal on drawn pages: what goes, what stays, and which pages are left alone.
struct PreprocessorTests {
    /// A blank 1-bit page at 300 dpi.
    static func page(width: Int = 1200, height: Int = 600) throws -> PixImage {
        let page = try #require(PixImage(pixCreate(Int32(width), Int32(height), 1)))
        page.setResolution(300)
        return page
    }

    /// Inks a rectangle.
    static func ink(_ page: PixImage, x: Int, y: Int, width: Int, height: Int) {
        var box: UnsafeMutablePointer<BOX>? = boxCreate(Int32(x), Int32(y), Int32(width), Int32(height))
        defer { boxDestroy(&box) }
        pixSetInRect(page.pointer, box)
    }

    static func marks(_ page: PixImage) -> Int {
        var count: Int32 = 0
        pixCountConnComp(page.pointer, 8, &count)
        return Int(count)
    }

    static func isInked(_ page: PixImage, x: Int, y: Int) -> Bool {
        var value: UInt32 = 0
        pixGetPixel(page.pointer, Int32(x), Int32(y), &value)
        return value == 1
    }

    /// Where the decimal point of `number(on:)` starts: 2 px after the fifth digit.
    static let point = (x: 100 + 4 * 26 + 18 + 2, y: 126)

    /// Ten digit-sized marks with a 4 px decimal point after the fifth, at the baseline.
    static func number(on page: PixImage) {
        for digit in 0..<10 { ink(page, x: 100 + digit * 26 + (digit >= 5 ? 8 : 0), y: 100, width: 18, height: 30) }
        ink(page, x: point.x, y: point.y, width: 4, height: 4)
    }

    /// 200 specks 29 px apart, each alone.
    static func dust(on page: PixImage, rows: Int = 5, top: Int = 300) {
        for row in 0..<rows {
            for column in 0..<40 { ink(page, x: 20 + column * 29, y: top + row * 50, width: 3, height: 3) }
        }
    }

    /// A block of dots 6 px apart, as a dot-matrix printer sets a glyph.
    static func dots(on page: PixImage, x: Int, y: Int, columns: Int, rows: Int) {
        for row in 0..<rows {
            for column in 0..<columns { ink(page, x: x + column * 6, y: y + row * 6, width: 3, height: 3) }
        }
    }

    /// A page declaring a low resolution is upscaled to the target, but never past the
    /// pixel limit: the limit holds for the page as processed, so memory per worker stays
    /// bounded whatever a file declares (a 1,000² page at 100 dpi once became 3,000²).
    @Test func upscalingStopsAtThePixelLimit() throws {
        let page = try Self.page(width: 1000, height: 1000)
        page.setResolution(100)
        var settings = OCRSettings()
        settings.pixelLimit = 2_000_000
        let (grey, dpi, scale) = try Preprocessor(settings: settings).normalise(page)
        #expect(grey.width * grey.height <= settings.pixelLimit, "\(grey.width)×\(grey.height)")
        #expect(scale > 1.4 && dpi == Int((100 * scale).rounded()))
        // Under the limit, the target resolution is reached as before.
        settings.pixelLimit = 120_000_000
        let (full, fullDPI, _) = try Preprocessor(settings: settings).normalise(page)
        #expect(full.width == 3000 && fullDPI == 300)
    }

    /// The specks go; the digits stay, and so does the decimal point's side facing its
    /// digit (the part within 4 px); a minus sign, thin but long, is no speck.
    @Test func takesIsolatedSpecksOffADustyPageAndKeepsTheDecimalPoint() throws {
        let page = try Self.page()
        Self.number(on: page)
        Self.ink(page, x: 600, y: 200, width: 20, height: 3)
        Self.dust(on: page)
        #expect(Self.marks(page) == 212)
        let cleaned = try #require(Preprocessor(settings: OCRSettings()).removeDust(page))
        #expect(Self.marks(cleaned) == 12)
        for dx in 0..<2 { #expect(Self.isInked(cleaned, x: Self.point.x + dx, y: Self.point.y + 3)) }
        #expect(Self.isInked(cleaned, x: 610, y: 201))
        #expect(!Self.isInked(cleaned, x: 21, y: 301))
    }

    /// Dots a few pixels apart, as a dot-matrix printer sets its glyphs: each dot is
    /// speck-sized, but none stands alone, so the page is not dusty.
    @Test func leavesADotMatrixPrintAlone() throws {
        let page = try Self.page()
        Self.dots(on: page, x: 20, y: 100, columns: 120, rows: 20)
        #expect(Preprocessor(settings: OCRSettings()).removeDust(page) == nil)
    }

    /// A dusty dot-matrix print: the dust goes, the glyphs' dots stay.
    @Test func keepsADotMatrixGlyphOnADustyPage() throws {
        let page = try Self.page()
        for glyph in 0..<4 { Self.dots(on: page, x: 100 + glyph * 60, y: 100, columns: 7, rows: 7) }
        Self.dust(on: page)
        #expect(Self.marks(page) == 4 * 49 + 200)
        let cleaned = try #require(Preprocessor(settings: OCRSettings()).removeDust(page))
        #expect(Self.marks(cleaned) == 4 * 49)
    }

    /// A page of text with specks among its marks, but under a tenth of them: not dusty.
    @Test func leavesAPageWhoseSpecksAreFewAmongItsMarksAlone() throws {
        let page = try Self.page(width: 2400, height: 1200)
        for row in 0..<12 {
            for column in 0..<25 { Self.ink(page, x: 40 + column * 40, y: 40 + row * 50, width: 18, height: 30) }
        }
        for column in 0..<25 { Self.ink(page, x: 1200 + column * 40, y: 1000, width: 3, height: 3) }
        #expect(Self.marks(page) == 325)
        #expect(Preprocessor(settings: OCRSettings()).removeDust(page) == nil)
    }

    /// A page with a speck or two is not dusty: nothing is taken off it.
    @Test func leavesAPageWithAFewSpecksAlone() throws {
        let page = try Self.page()
        Self.number(on: page)
        Self.ink(page, x: 600, y: 400, width: 3, height: 3)
        #expect(Preprocessor(settings: OCRSettings()).removeDust(page) == nil)
        var off = OCRSettings()
        off.removeDust = false
        Self.dust(on: page, rows: 1)
        #expect(Preprocessor(settings: off).removeDust(page) == nil)
        #expect(Preprocessor(settings: OCRSettings()).removeDust(page) != nil)
    }
}
