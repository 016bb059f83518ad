import ClaimEyeCore
import ClaimEyeTestSupport
import Crypto
import Foundation
import Testing

@testable import ClaimEyePipeline

/// The recorded-OCR pipeline's outputs, byte for byte: every claim's trail and statement,
/// items.csv and the reasons beside failed claims, for an inbox of every outcome (settled,
/// held for review, categories alone, no service date, a malformed sidecar, a duplicate
/// page, a taken claim id). Their SHA-256 are in `Fixtures/pipeline/recorded-outputs.sha256`;
/// a change to what the pipeline writes shows here. After a change meant to alter the
/// outputs, write the file again with CLAIMEYE_RECORD_OUTPUTS=1 and read the diff.
@Suite struct ClaimRunnerOutputTests {
    let person = #"{"insured_id": "Y3300000001", "insurance_type": "employee", "institution_level": 2, "visit_type": "outpatient", "service_date": "2026-03-02"}"#

    @Test func theRecordedPipelineWritesTheSameBytes() throws {
        let bench = try Bench()
        try bench.addClaim("a-outpatient", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        try bench.addClaim(
            "b-inpatient", documents: ["zh-inpatient-01-p1-clean.png", "zh-inpatient-01-p2-clean.png"],
            sidecar: #"{"claim_id": "IN-2", "insured_id": "Y3300000001", "visit_type": "inpatient", "service_date": "2026-02-14"}"#)
        try bench.addClaim("c-pharmacy", documents: ["zh-pharmacy-01-clean.png"])
        try bench.addClaim("d-english", documents: ["en-bill-01-clean.png"])
        try bench.addClaim("e-einvoice", documents: ["zh-einvoice-01-clean.png"], sidecar: person)
        try bench.addClaim("f-undated", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002"}"#)
        try bench.addClaim("g-sidecar", documents: ["zh-outpatient-02-clean.png"], sidecar: #"{"institution_level": 7}"#)
        try bench.addClaim("h-lab", documents: ["zh-lab-01-clean.png"], sidecar: person)
        _ = try bench.ingest()
        // A second run: a page already settled, a sidecar's id already taken, a folder's
        // name already taken (its claim id is made unique).
        try bench.addClaim("i-again", documents: ["zh-outpatient-01-clean.png"])
        try bench.addClaim("j-taken", documents: ["zh-pharmacy-02-clean.png"], sidecar: #"{"claim_id": "IN-2"}"#)
        try bench.addClaim("a-outpatient", documents: ["zh-outpatient-02-clean.png"], sidecar: person)
        _ = try bench.ingest()
        // The claim refused for a taken id has a trail of its own; the live claim keeps its.
        let live = try String(contentsOfFile: bench.out + "/IN-2.json", encoding: .utf8)
        #expect(!live.contains(#""state" : "failed""#))

        var files = try FileManager.default.contentsOfDirectory(atPath: bench.out).filter { !$0.hasPrefix(".") }.map { "out/" + $0 }
        files += try FileManager.default.contentsOfDirectory(atPath: bench.inbox + "/failed")
            .filter { $0.hasSuffix(".reason.txt") }.map { "failed/" + $0 }
        let lines = try files.sorted().map { file in
            let path = file.hasPrefix("out/") ? bench.out + file.dropFirst(3) : bench.inbox + "/" + file
            let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path)))
            return digest.map { String(format: "%02x", $0) }.joined() + "  " + file
        }
        let actual = lines.joined(separator: "\n") + "\n"
        let golden = TestPaths.fixture("pipeline/recorded-outputs.sha256")
        if ProcessInfo.processInfo.environment["CLAIMEYE_RECORD_OUTPUTS"] == "1" {
            try actual.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(lines.count >= 20)
        let changed = Set(actual.split(separator: "\n")).symmetricDifference(expected.split(separator: "\n"))
        #expect(changed.isEmpty, "outputs that differ: \(changed.sorted())")
    }
}

/// A claim refused or held under an id a live claim has is recorded under one of its own.
@Suite struct ClaimRunnerTakenIdTests {
    @Test func aHeldClaimSubmittedAgainUndatedIsHeldAgainUnderItsOwnId() throws {
        let bench = try Bench()
        try bench.addClaim("c1", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002"}"#)
        _ = try bench.ingest()
        try bench.addClaim("c1", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002"}"#)
        let again = try bench.ingest()
        #expect(again.needsReview == 1)
        // And a third time: the same files, so the hash suffix is taken too.
        try bench.addClaim("c1", documents: ["zh-outpatient-03-skew.png"], sidecar: #"{"insured_id": "Y3300000002"}"#)
        #expect(try bench.ingest().needsReview == 1)
        let ids = try bench.ledger.pool.read { db in try String.fetchAll(db, sql: "SELECT claim_id FROM claim ORDER BY id") }
        #expect(ids.count == 3 && Set(ids).count == 3 && ids[0] == "c1")
        #expect(ids[2] == ids[1] + "-2")
        for id in ids { #expect(FileManager.default.fileExists(atPath: bench.out + "/\(id).json")) }
    }

    @Test func anUnreadableClaimUnderASettledClaimsIdLeavesItsTrail() throws {
        let bench = try Bench()
        let person = #"{"claim_id": "C-9", "service_date": "2026-03-02"}"#
        try bench.addClaim("c1", documents: ["zh-outpatient-01-clean.png"], sidecar: person)
        _ = try bench.ingest()
        let trail = try Data(contentsOf: URL(fileURLWithPath: bench.out + "/C-9.json"))
        try bench.addClaim("c2", documents: [], sidecar: person)
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: bench.inbox + "/c2/page.png"))
        #expect(try bench.ingest().failed == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bench.out + "/C-9.json")) == trail)
    }
}
