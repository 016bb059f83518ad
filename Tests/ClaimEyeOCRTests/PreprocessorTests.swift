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

    @Test func takesIsolatedSpecksOffADustyPageAndKeepsTheDecimalPoint() throws {
        let page = try Self.page()
        Self.number(on: page)
        for row in 0..<5 {
            for column in 0..<40 { Self.ink(page, x: 20 + column * 29, y: 300 + row * 50, width: 3, height: 3) }
        }
        #expect(Self.marks(page) == 211)
        let cleaned = try #require(Preprocessor(settings: OCRSettings()).removeDust(page))
        #expect(Self.marks(cleaned) == 11)
        #expect(Self.isInked(cleaned, x: Self.point.x + 1, y: Self.point.y + 3))
        #expect(!Self.isInked(cleaned, x: 21, y: 301))
    }

    /// Dots a few pixels apart, as a dot-matrix printer sets its glyphs: each dot is
    /// speck-sized, but none stands alone, so the page is not dusty.
    @Test func leavesADotMatrixPrintAlone() throws {
        let page = try Self.page()
        for row in 0..<20 {
            for column in 0..<120 { Self.ink(page, x: 20 + column * 6, y: 100 + row * 6, width: 3, height: 3) }
        }
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
        for column in 0..<40 { Self.ink(page, x: 20 + column * 29, y: 300, width: 3, height: 3) }
        #expect(Preprocessor(settings: off).removeDust(page) == nil)
        #expect(Preprocessor(settings: OCRSettings()).removeDust(page) != nil)
    }
}
