import ClaimEyeTestSupport
import Foundation
import Testing

/// The built binary, run as a user would: output, messages and exit codes.
@Suite(.serialized) struct OCRCommandTests {
    @Test(arguments: [
        ("bad/empty.png", Int32(65), "empty file"),
        ("bad/not-an-image.png", 65, "not a PNG, JPEG or TIFF"),
        ("bad/truncated.png", 65, "truncated or corrupt"),
        ("bad/huge-30000x30000.png", 65, "above the limit"),
        ("bad/missing.png", 66, "no such file"),
        ("bad/encrypted.pdf", 65, "encrypted PDF that opens only with a password"),
        ("bad/pages-2000.pdf", 65, "2000 pages is above the limit of 500 pages"),
        ("bad/page-20000x20000pt.pdf", 65, "83333×83333 pixels is above the limit"),
        ("bad/truncated.pdf", 65, "truncated or malformed PDF"),
        ("bad/malformed.pdf", 65, "truncated or malformed PDF"),
        ("bad/ofd-zip-bomb.ofd", 65, "unsafe OFD archive (Doc_0/Res/image_1.png inflates to 209715200 bytes)"),
        ("bad/ofd-entry-climbs-out.ofd", 65, "unsafe OFD archive (../../claimeye-outside.xml)"),
        ("bad/ofd-reference-climbs-out.ofd", 65, "unsafe OFD archive (../../../../etc/passwd)"),
        ("bad/ofd-external-entity.ofd", 65, "Content.xml is not well-formed XML"),
        ("bad/ofd-truncated.ofd", 65, "truncated or malformed OFD (not a readable zip archive)"),
    ])
    func aBadFileAloneGetsOneLineAndItsCode(file: String, status: Int32, message: String) throws {
        let result = try runClaimEye(["ocr", TestPaths.fixture(file)])
        #expect(result.status == status)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message))
    }

    /// A pipe waits for a writer that never comes: every command refuses one at once,
    /// given itself or through a link, instead of hanging (`process` once did).
    @Test func aPipeIsRefusedAtOnceByEveryCommand() throws {
        let folder = try TestPaths.temporaryFolder()
        let fifo = folder.appendingPathComponent("page.png").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = folder.appendingPathComponent("link.png").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        let common = ["--config", TestPaths.fixture("claimeye.toml"), "--db", folder.appendingPathComponent("l.sqlite").path,
                      "--out", folder.appendingPathComponent("out").path]
        let environment = ["CLAIMEYE_SAMPLE_CATALOGUE": TestPaths.fixture("catalogue/sample_catalogue.csv")]
        for (arguments, status) in [(["ocr", link], Int32(66)), (["parse", link], 66), (["process", fifo] + common, 3), (["process", link] + common, 3)] {
            let result = try runClaimEye(arguments, environment: environment, timeout: 60)
            #expect(result.status == status, "\(arguments[0]) \(arguments[1]): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("a pipe"), "\(result.stderr)")
        }
        // A context file that is a pipe is refused as well, not waited on.
        let page = TestPaths.fixture("documents/zh-pharmacy-02-clean.png")
        let context = folder.appendingPathComponent("context.json").path
        #expect(mkfifo(context, 0o600) == 0)
        let result = try runClaimEye(["process", page, "--context", context, "--claim-id", "P1"] + common, environment: environment, timeout: 60)
        #expect(result.status != -9 && result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("a pipe"), "\(result.stderr)")
    }

    /// A file whose name is not UTF-8 was "no such file", as if it were not there.
    @Test func aNameThatIsNotUTF8IsSaidToBeOne() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/"), 0xFF] + Array(".png".utf8) + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        #expect(fd >= 0)
        close(fd)
        // The shell hands the bytes on; Swift's arguments carry U+FFFD in their place.
        let result = try runClaimEye(["ocr", folder.path + "/\u{FFFD}.png"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("not UTF-8"), "\(result.stderr)")
    }

    /// A TIFF whose header declares 2³²−1 pixels a side was "not a PNG, JPEG or TIFF".
    @Test func aTIFFDeclaringAnImpossibleSizeIsCalledDamaged() throws {
        func le(_ value: UInt32, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + le(8, 4) + le(3, 2)
        for (tag, type, value) in [(256, 4, UInt32.max), (257, 4, UInt32.max), (258, 3, 8)] as [(UInt32, UInt32, UInt32)] {
            tiff += le(tag, 2) + le(type, 2) + le(1, 4) + le(value, 4)
        }
        tiff += le(0, 4)
        let file = try TestPaths.temporaryFolder().appendingPathComponent("huge.tif")
        try Data(tiff).write(to: file)
        let result = try runClaimEye(["ocr", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("truncated or corrupt") || result.stderr.contains("above the limit"), "\(result.stderr)")
        #expect(!result.stderr.contains("not a PNG, JPEG or TIFF"), "\(result.stderr)")
    }

    @Test func badFilesAmongGoodOnesExit3AndTheGoodOnesAreRead() throws {
        let files = ["bad/empty.png", "sample/expense-list.png", "bad/truncated.jpg"].map(TestPaths.fixture)
        let result = try runClaimEye(["ocr", "--format", "tsv", "--jobs", "2"] + files)
        #expect(result.status == 3)
        #expect(result.stdout.contains("expense-list.png\t1\t"))
        #expect(result.stderr.contains("2 of 3 files could not be read"))
    }

    /// The page pass reads this font's zeros as `o` on the ruled rows (`250o0oo|5000`);
    /// the re-read of those segments gets them back. (Run as the binary: the engine on a
    /// whole page is kept out of the test process.)
    @Test func numbersReadWithLettersAreReadAgain() throws {
        let page = TestPaths.fixture("documents/zh-inpatient-03-p2-clean.png")
        let result = try runClaimEye(["ocr", "--jobs", "1", page])
        #expect(result.status == 0)
        let text = result.stdout.replacingOccurrences(of: " ", with: "")
        for amount in ["|50.00|", "1|800.00|", "|900.00|", "120.00"] { #expect(text.contains(amount), "\(amount) not in \(text)") }
        let without = try runClaimEye(["ocr", "--jobs", "1", "--no-reread", page]).stdout.replacingOccurrences(of: " ", with: "")
        #expect(!without.contains("1|800.00|"), "the page pass alone already reads the garbled rows")
    }

    /// The page pass reads 铁蛋白测定 exactly and the Han-script re-read turns it into
    /// 铁蛋和白测定; with the catalogue as the lexicon the exact reading is kept.
    @Test func aReadingThatSpellsACatalogueNameIsKept() throws {
        let page = TestPaths.fixture("documents/zh-outpatient-02-clean.png")
        let catalogue = TestPaths.fixture("catalogue/sample_catalogue.csv")
        let with = try runClaimEye(["ocr", "--jobs", "1", "--verbose", "--catalogue", catalogue, page])
        #expect(with.status == 0)
        #expect(with.stderr.contains("OCR lexicon from"))
        #expect(with.stdout.replacingOccurrences(of: " ", with: "").contains("铁蛋白测定"))
        let without = try runClaimEye(["ocr", "--jobs", "1", "--no-catalogue", page])
        #expect(!without.stdout.replacingOccurrences(of: " ", with: "").contains("铁蛋白测定"), "the re-read no longer breaks the name")
    }

    @Test func missingLanguageDataExits69NamingThePackage() throws {
        let empty = try TestPaths.temporaryFolder()
        let result = try runClaimEye(["ocr", "--tessdata", empty.path, TestPaths.fixture("sample/expense-list.png")])
        #expect(result.status == 69)
        #expect(result.stderr.contains("install tesseract-ocr-chi-sim"))
    }

    @Test func badArgumentsExit64() throws {
        #expect(try runClaimEye(["ocr", "--jobs", "0", "x.png"]).status == 64)
        #expect(try runClaimEye(["ocr", "--format", "xml", "x.png"]).status == 64)
        #expect(try runClaimEye(["no-such-command"]).status == 64)
    }

    @Test func jsonOutputIsByteIdenticalAcrossRunsAndJobs() throws {
        let files = ["sample/expense-list.png", "sample/two-pages.tif"].map(TestPaths.fixture)
        let one = try runClaimEye(["ocr", "--json", "--jobs", "1"] + files)
        let two = try runClaimEye(["ocr", "--json", "--jobs", "2"] + files)
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
        let pages = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [[String: Any]]
        #expect(pages?.count == 3)
    }
}
