import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeOCR

@Suite struct ImageFileTests {
    @Test(arguments: [
        ("bad/empty.png", OCRError.emptyFile(path: TestPaths.fixture("bad/empty.png"))),
        ("bad/not-an-image.png", .notAnImage(path: TestPaths.fixture("bad/not-an-image.png"))),
        ("bad/truncated.png", .corruptImage(path: TestPaths.fixture("bad/truncated.png"))),
        ("bad/truncated.jpg", .corruptImage(path: TestPaths.fixture("bad/truncated.jpg"))),
        ("bad/huge-30000x30000.png", .tooLarge(path: TestPaths.fixture("bad/huge-30000x30000.png"), width: 30000, height: 30000, limit: ImageFile.defaultPixelLimit)),
        ("bad/no-such-file.png", .fileNotFound(path: TestPaths.fixture("bad/no-such-file.png"))),
    ])
    func refusesBadInput(file: String, expected: OCRError) {
        #expect(throws: expected) { try ImageFile(path: TestPaths.fixture(file)) }
    }

    @Test func refusesAFolder() {
        #expect(throws: OCRError.unreadable(path: TestPaths.fixture("bad"), reason: "a folder")) {
            try ImageFile(path: TestPaths.fixture("bad"))
        }
    }

    @Test func readsHeadersOfEachFormat() throws {
        let png = try ImageFile(path: TestPaths.fixture("sample/expense-list.png"))
        #expect(png.format == .png)
        #expect(png.width == 2480 && png.height == 1200 && png.pageCount == 1)
        let jpeg = try ImageFile(path: TestPaths.fixture("sample/expense-list.jpg"))
        #expect(jpeg.format == .jpeg && jpeg.pageCount == 1)
        let tiff = try ImageFile(path: TestPaths.fixture("sample/two-pages.tif"))
        #expect(tiff.format == .tiff)
        #expect(tiff.pages == [PageReference(path: tiff.path, index: 0), PageReference(path: tiff.path, index: 1)])
    }

    @Test func aLowerPixelLimitRefusesAnOrdinaryPage() throws {
        #expect(throws: OCRError.self) {
            try ImageFile(path: TestPaths.fixture("sample/expense-list.png"), pixelLimit: 1_000_000)
        }
    }

    @Test func decodesAPageAndRefusesOneBeyondTheEnd() throws {
        let tiff = try ImageFile(path: TestPaths.fixture("sample/two-pages.tif"))
        let second = try tiff.decode(page: 1)
        #expect(second.width == 2480)
        #expect(throws: OCRError.noSuchPage(path: tiff.path, index: 2, pages: 2)) { try tiff.decode(page: 2) }
    }
}

@Suite struct TessdataTests {
    @Test func explicitFolderWinsThenEnvironment() {
        #expect(Tessdata.resolve(explicit: "/x", environment: ["TESSDATA_PREFIX": "/y"]) == "/x")
        #expect(Tessdata.resolve(explicit: nil, environment: ["TESSDATA_PREFIX": "/y"]) == "/y")
    }

    @Test func missingLanguageNamesThePackage() {
        let error = OCRError.languageDataMissing(language: "chi_sim", folder: "/nowhere")
        #expect(throws: error) { try Tessdata.check(languages: "chi_sim+eng", folder: "/nowhere") }
        #expect(error.description.contains("tesseract-ocr-chi-sim"))
    }
}
