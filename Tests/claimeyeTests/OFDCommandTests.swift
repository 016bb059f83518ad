import ClaimEyeTestSupport
import Foundation
import Testing

/// OFD intake through the binary: real e-invoices read from their text objects with the
/// signature reported, and hostile archives refused without anything read from, or
/// written outside, where they belong.
@Suite(.serialized) struct OFDCommandTests {
    let environment = ["CLAIMEYE_SAMPLE_CATALOGUE": TestPaths.fixture("catalogue/sample_catalogue.csv")]

    @Test func realOFDInvoicesGiveEveryNumberAndSayWhetherTheyAreSigned() throws {
        let result = try runClaimEye(["eval", TestPaths.fixture("real-ofd"), "--json"], timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let documents = try #require(json["documents"] as? [[String: Any]])
        #expect(documents.count == 2)
        for document in documents {
            let name = document["document"] as? String ?? "?"
            #expect(document["numbersExact"] as? Bool == true, "\(name): \(document)")
            #expect(document["totalExact"] as? Bool == true, "\(name)")
            let metadata = document["metadata"] as? [String: Bool] ?? [:]
            #expect(!metadata.isEmpty && metadata.values.allSatisfy { $0 }, "\(name): \(metadata)")
        }
        let signed = try runClaimEye(["ocr", "--format", "json", TestPaths.fixture("real-ofd/real-ofd-02.ofd")])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("ofd-text; signature present, not verified"))
        let unsigned = try runClaimEye(["ocr", "--format", "json", TestPaths.fixture("bad/ofd-minimal.ofd")])
        #expect(unsigned.stdout.contains("ofd-text; no signature"))
        #expect(unsigned.stdout.contains("合计"))
    }

    @Test func anInboxGoesOnPastHostileOFDsAndNothingLeavesItsFolders() throws {
        let folder = try TestPaths.temporaryFolder()
        let inbox = folder.appendingPathComponent("deep/inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let hostile = ["ofd-zip-bomb.ofd", "ofd-entry-climbs-out.ofd", "ofd-reference-climbs-out.ofd", "ofd-external-entity.ofd"]
        for name in hostile {
            try FileManager.default.copyItem(atPath: TestPaths.fixture("bad/" + name), toPath: inbox.appendingPathComponent(name).path)
        }
        try FileManager.default.copyItem(
            atPath: TestPaths.fixture("real-ofd/real-ofd-02.ofd"), toPath: inbox.appendingPathComponent("z-invoice.ofd").path)
        // The invoice is of 2020, before the sample policy's periods: the claim is dated in one.
        try Data(#"{"service_date": "2026-03-01"}"#.utf8).write(to: inbox.appendingPathComponent("z-invoice.ofd.claim.json"))
        let out = folder.appendingPathComponent("out")
        let result = try runClaimEye(
            ["ingest", inbox.path, "--once", "--config", TestPaths.fixture("claimeye.toml"),
             "--db", folder.appendingPathComponent("l.sqlite").path, "--out", out.path],
            environment: environment, timeout: 300)
        #expect(result.stderr.contains("5 claims"), "\(result.stderr)")
        #expect(result.stderr.contains("4 failed"), "\(result.stderr)")
        for name in hostile {
            #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed/\(name).reason.txt").path), "\(name)")
        }
        let invoice = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("z-invoice.json"))) as? [String: Any])
        #expect((invoice["pages"] as? [[String: Any]])?.first?["engine"] as? String == "ofd-text; signature present, not verified")
        // Every file under the test's folder is one the run was meant to write.
        let written = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        #expect(!written.contains { $0.hasSuffix("claimeye-outside.xml") })
        #expect(written.allSatisfy { $0.hasPrefix("deep") || $0.hasPrefix("out") || $0.hasPrefix("l.sqlite") }, "\(written)")
    }
}
