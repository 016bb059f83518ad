import ClaimEyeTestSupport
import Foundation
import Testing

/// PDF intake through the binary: born-digital pages read from their own text, scans
/// rendered and OCR'd like their images, a scanner's invisible OCR layer not trusted, and
/// a bad PDF failing alone while the batch goes on.
@Suite(.serialized) struct PDFCommandTests {
    let environment = ["CLAIMEYE_SAMPLE_CATALOGUE": TestPaths.fixture("catalogue/sample_catalogue.csv")]

    /// `claimeye eval FOLDER --json`, its documents by name.
    func evaluate(_ folder: String) throws -> [String: [String: Any]] {
        let result = try runClaimEye(["eval", folder, "--json"], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let documents = try #require(json["documents"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: documents.map { ($0["document"] as? String ?? "", $0) })
    }

    /// What eval found of a document, without its name, timing and variant.
    func figures(_ document: [String: Any]?) -> NSDictionary {
        var copy = document ?? [:]
        for key in ["document", "seconds", "variant"] { copy[key] = nil }
        return copy as NSDictionary
    }

    @Test func bornDigitalPDFsAreReadExactlyAndScansAsTheirImages() throws {
        let pdfs = try evaluate(TestPaths.fixture("pdf"))
        let digital = pdfs.filter { $0.key.hasSuffix("-digital.pdf") }
        #expect(digital.count == 5)
        for (name, document) in digital {
            #expect(document["allExact"] as? Bool == true, "\(name)")
            let metadata = document["metadata"] as? [String: Bool] ?? [:]
            #expect(!metadata.isEmpty && metadata.values.allSatisfy { $0 }, "\(name): \(metadata)")
        }
        // The same clean images, evaluated as images.
        let images = try TestPaths.temporaryFolder()
        for base in ["zh-outpatient-01", "zh-pharmacy-02", "en-bill-01"] {
            for suffix in ["-clean.png", "-clean.truth.json"] {
                try FileManager.default.copyItem(
                    atPath: TestPaths.fixture("documents/" + base + suffix), toPath: images.appendingPathComponent(base + suffix).path)
            }
        }
        let read = try evaluate(images.path)
        for base in ["zh-outpatient-01", "zh-pharmacy-02", "en-bill-01"] {
            let image = read[base + "-clean.png"]
            #expect(image != nil)
            #expect(figures(pdfs[base + "-scan.pdf"]) == figures(image), "\(base)")
        }
        // A scanned OFD page (the image under one ImageObject) reads as the image does.
        let ofd = try evaluate(TestPaths.fixture("ofd"))
        #expect(ofd["zh-pharmacy-02-scan.ofd"] != nil)
        #expect(figures(ofd["zh-pharmacy-02-scan.ofd"]) == figures(read["zh-pharmacy-02-clean.png"]))
        // Its text layer reads every amount wrong: the page is read as the scan it is.
        #expect(figures(pdfs["zh-outpatient-01-scan-ocr-layer.pdf"]) == figures(read["zh-outpatient-01-clean.png"]))
    }

    @Test func anEncryptedPDFThatTheEmptyPasswordOpensIsRead() throws {
        let result = try runClaimEye(["ocr", TestPaths.fixture("bad/encrypted-empty-password.pdf")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("票据代码：33010224"))
    }

    @Test func thePageLimitIsTheConfigurationsAndRefusesBeforeReading() throws {
        let folder = try TestPaths.temporaryFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestPaths.fixture("pdf/scan/zh-inpatient-01-scan.pdf"), toPath: inbox.appendingPathComponent("two-pages.pdf").path)
        let base = try String(contentsOfFile: TestPaths.fixture("claimeye.toml"), encoding: .utf8)
        func config(_ pages: Int) throws -> String {
            let path = folder.appendingPathComponent("limit-\(pages).toml").path
            let policy = TestPaths.fixture("policies/east-sample.toml")
            try base.replacingOccurrences(of: "max_pages = 500", with: "max_pages = \(pages)")
                .replacingOccurrences(of: "policies/east-sample.toml", with: policy).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let arguments = { (pages: Int) in
            ["ingest", inbox.path, "--once", "--config", try config(pages), "--db", folder.appendingPathComponent("l.sqlite").path,
             "--out", folder.appendingPathComponent("out").path]
        }
        let zero = try runClaimEye(try arguments(0), environment: environment)
        #expect(zero.status == 65 && zero.stderr.contains("intake.max_pages"), "\(zero.stderr)")
        let one = try runClaimEye(try arguments(1), environment: environment, timeout: 300)
        #expect(one.stderr.contains("1 failed"), "\(one.stderr)")
        let reason = try String(contentsOf: inbox.appendingPathComponent("failed/two-pages.pdf.reason.txt"), encoding: .utf8)
        #expect(reason.contains("2 pages is above the limit of 1 pages"), "\(reason)")
        #expect(one.stderr.contains("0 pages read"), "nothing was rendered: \(one.stderr)")
    }

    @Test func anInboxOfPDFsGoesOnPastABadOne() throws {
        let folder = try TestPaths.temporaryFolder()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for (from, to) in [
            ("pdf/scan/zh-inpatient-01-scan.pdf", "A-inpatient.pdf"), ("bad/encrypted.pdf", "B-locked.pdf"),
            ("pdf/digital/zh-outpatient-01-digital.pdf", "C-outpatient.pdf"),
        ] {
            try FileManager.default.copyItem(atPath: TestPaths.fixture(from), toPath: inbox.appendingPathComponent(to).path)
        }
        let out = folder.appendingPathComponent("out")
        let result = try runClaimEye(
            ["ingest", inbox.path, "--once", "--config", TestPaths.fixture("claimeye.toml"),
             "--db", folder.appendingPathComponent("l.sqlite").path, "--out", out.path, "--jobs", "2"],
            environment: environment, timeout: 600)
        #expect(result.stderr.contains("3 claims"), "\(result.stderr)")
        #expect(result.stderr.contains("1 failed"), "\(result.stderr)")
        let reason = try String(contentsOf: inbox.appendingPathComponent("failed/B-locked.pdf.reason.txt"), encoding: .utf8)
        #expect(reason.contains("encrypted"))
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed/B-locked.pdf").path))
        // A multi-page PDF is one claim of its pages; each page says how it was read.
        let inpatient = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("A-inpatient.json"))) as? [String: Any])
        let pages = try #require(inpatient["pages"] as? [[String: Any]])
        #expect(pages.count == 2)
        #expect(pages.map { $0["page_index"] as? Int } == [0, 1])
        #expect(pages.allSatisfy { ($0["engine"] as? String)?.contains("chi_sim") == true })
        let outpatient = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("C-outpatient.json"))) as? [String: Any])
        #expect((outpatient["pages"] as? [[String: Any]])?.map { $0["engine"] as? String } == ["pdf-text"])
        let statement = try String(contentsOf: out.appendingPathComponent("C-outpatient.html"), encoding: .utf8)
        #expect(statement.contains("Read from the document&#39;s own text"))
        #expect(statement.contains("data:image/png;base64,"), "the PDF page is shown rendered")
        let scanned = try String(contentsOf: out.appendingPathComponent("A-inpatient.html"), encoding: .utf8)
        #expect(scanned.components(separatedBy: "Read by OCR").count == 3)
    }
}
