import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// The content signature on the recorded OCR of real fixture scans: a re-scan at another
/// angle and resolution reads to the same signature, other documents to other ones.
@Suite struct AuditSignatureTests {
    static func parsed(_ name: String) throws -> ParsedDocument {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ocr/\(name)")))
        return LineItemParser().parse(try JSONDecoder().decode([OCRPage].self, from: data))
    }

    static func recordedDocuments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: TestPaths.fixture("ocr"))
            .filter { $0.hasSuffix(".ocr.json") }.sorted()
    }

    /// `zh-outpatient-01` from `zh-outpatient-01-clean.png.ocr.json`.
    static func base(_ name: String) -> String {
        let stem = name.replacingOccurrences(of: ".ocr.json", with: "")
        let withoutExtension = (stem as NSString).deletingPathExtension
        return withoutExtension.split(separator: "-").dropLast().joined(separator: "-")
    }

    @Test func theRescanOfAnInvoiceHasTheCleanScansSignature() throws {
        let clean = try Self.parsed("zh-outpatient-01-clean.png.ocr.json")
        let rescan = try Self.parsed("zh-outpatient-01-rescan.png.ocr.json")
        print("hospital read: clean '\(clean.metadata.hospital?.value ?? "-")', rescan '\(rescan.metadata.hospital?.value ?? "-")'")
        let cleanSignature = try #require(ContentSignature(clean))
        let rescanSignature = try #require(ContentSignature(rescan))
        print("signature: \(cleanSignature.text)")
        #expect(cleanSignature == rescanSignature)
        // The signature carries the document's facts, not an empty shell.
        #expect(cleanSignature.text.contains("2026-03-02"))
        #expect(cleanSignature.text.contains("294.70"))
    }

    @Test func everyOtherDocumentHasAnotherSignature() throws {
        let reference = try #require(ContentSignature(try Self.parsed("zh-outpatient-01-clean.png.ocr.json")))
        var others = 0
        var sameDocumentEqual: [String] = []
        var signatures: [String: [String]] = [:]
        for name in try Self.recordedDocuments() {
            let signature = ContentSignature(try Self.parsed(name))
            if Self.base(name) == "zh-outpatient-01" {
                if signature == reference { sameDocumentEqual.append(name) }
                continue
            }
            others += 1
            #expect(signature != reference, "\(name) has the re-scanned invoice's signature")
            if let signature { signatures[signature.text, default: []].append(name) }
        }
        // Variants of one base document may share a signature (they are one bill); two
        // different base documents never may.
        for (text, names) in signatures.sorted(by: { $0.key < $1.key }) {
            let bases = Set(names.map(Self.base))
            #expect(bases.count == 1, "\(names) share the signature \(text)")
        }
        print("signature: \(others) documents of other bills all differ; zh-outpatient-01 variants equal to the clean scan: \(sameDocumentEqual)")
        #expect(others >= 50)
    }

    /// SHA-256 of a fixture file, by the system's sha256sum (Core has no hashing of its own).
    static func sha256(_ relative: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [TestPaths.fixture(relative)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    @Test func aResubmittedInvoiceIsCaught() throws {
        let clean = try Self.parsed("zh-outpatient-01-clean.png.ocr.json")
        let rescan = try Self.parsed("zh-outpatient-01-rescan.png.ocr.json")
        let cleanHash = try Self.sha256("documents/zh-outpatient-01-clean.png")
        let rescanHash = try Self.sha256("documents/zh-outpatient-01-rescan.png")
        #expect(cleanHash.count == 64 && rescanHash.count == 64 && cleanHash != rescanHash)
        func context(_ id: String) -> ClaimContext {
            ClaimContext(claimId: id, insuredId: "330102199001011234", insuranceType: .employee, institutionLevel: 2, visitType: .outpatient)
        }
        // The first claim is settled; the ledger keeps its keys.
        let keys = AuditKeys(AuditInput(context: context("C-0001"), document: clean, matches: [], pageHashes: [cleanHash]))
        let history = AuditHistory(
            invoiceKeys: Dictionary(uniqueKeysWithValues: keys.invoiceKeys.map { ($0, "C-0001") }),
            contentSignatures: Dictionary(uniqueKeysWithValues: keys.contentSignatures.map { ($0, "C-0001") }),
            pageHashes: Dictionary(uniqueKeysWithValues: keys.pageHashes.map { ($0, "C-0001") }))
        // The re-scan comes back as a new claim.
        let flags = AuditRules.check(
            AuditInput(context: context("C-0002"), document: rescan, matches: [], pageHashes: [rescanHash], history: history))
        let duplicates = flags.filter { [.duplicateInvoice, .duplicateContent, .duplicatePage].contains($0.rule) }
        print("re-scan: \(duplicates.map { "\($0.rule.rawValue) (\($0.evidence["earlier_claim"] ?? ""))" })")
        #expect(duplicates.map(\.rule) == [.duplicateInvoice, .duplicateContent])
        #expect(duplicates.allSatisfy { $0.evidence["earlier_claim"] == "C-0001" && $0.severity == .block })
        #expect(flags.blocksSettlement)
        // The same file a second time: its page hash too.
        let again = AuditRules.check(
            AuditInput(context: context("C-0003"), document: clean, matches: [], pageHashes: [cleanHash], history: history))
        #expect(again.filter { $0.rule == .duplicatePage }.count == 1)
    }
}
