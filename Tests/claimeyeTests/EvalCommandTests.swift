import ClaimEyeTestSupport
import Foundation
import Testing

/// `claimeye eval` on folders that are not the project's own: a JPEG, a truth that states
/// only some fields, a truth with no items, a malformed truth.
@Suite struct EvalCommandTests {
    static func folder(_ truths: [String: String], copying documents: [String]) throws -> URL {
        let folder = try TestPaths.temporaryFolder()
        for document in documents {
            try FileManager.default.copyItem(
                atPath: TestPaths.fixture("documents/\(document)"), toPath: folder.appendingPathComponent(document).path)
        }
        for (name, text) in truths { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test func aForeignFolderWithAJPEGAndPartialTruth() throws {
        let folder = try Self.folder([
            "scan.truth.json": #"{"document": "zh-outpatient-03-jpeg40.jpg", "total": 267.66, "items": [{"amount": "56.70"}, {"amount": 8}]}"#,
            "other.truth.json": #"{"document": "zh-outpatient-04-jpeg40.jpg", "date": "2026-01-06"}"#,
        ], copying: ["zh-outpatient-03-jpeg40.jpg", "zh-outpatient-04-jpeg40.jpg"])
        let result = try runClaimEye(["eval", "--json", "--recorded", TestPaths.fixture("ocr"), folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let summary = report?["summary"] as? [String: Any]
        #expect(summary?["documents"] as? Int == 2)
        #expect(summary?["totalExactShare"] as? Double == 1)
        let fields = summary?["fields"] as? [String: Any]
        #expect(fields?.keys.sorted() == ["amount"])
        #expect((summary?["metadata"] as? [String: Double])?["date"] == 1)
    }

    @Test func aMalformedTruthExits65AndAMissingFolder66() throws {
        let folder = try Self.folder(["bad.truth.json": #"{"document": "x.png", "total": "lots"}"#], copying: [])
        let malformed = try runClaimEye(["eval", folder.path])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains("bad.truth.json"))
        #expect(try runClaimEye(["eval", folder.appendingPathComponent("nowhere").path]).status == 66)
    }
}
