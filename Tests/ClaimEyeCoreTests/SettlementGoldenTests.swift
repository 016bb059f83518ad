import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

/// The golden cases of `Fixtures/settlement/`: each `NAME.claim.json` (with its
/// hand-worked note) is settled and compared with `NAME.expected.json`. With
/// `CLAIMEYE_RECORD=1` the expected file is rewritten and the test fails, so a new
/// result is never accepted without a person reading the diff.
@Suite struct SettlementGoldenTests {
    static let folder = URL(fileURLWithPath: TestPaths.fixture("settlement"))

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".claim.json") }
            .map { String($0.dropLast(".claim.json".count)) }
            .sorted()
    }

    @Test func thereAreEnoughCases() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let claimURL = Self.folder.appendingPathComponent("\(name).claim.json")
        let input = try ClaimInput.decode(try Data(contentsOf: claimURL), source: claimURL.path, defaultClaimId: name)
        #expect(!input.note.isEmpty, "every golden case carries a note of its arithmetic")
        let policyPath = try #require(input.policy, "a golden case names its policy")
        let policyURL = Self.folder.appendingPathComponent(policyPath).standardized
        let policy = try Policy.parse(toml: try String(contentsOf: policyURL, encoding: .utf8), source: policyURL.lastPathComponent)
        let settlement = try SettlementEngine.settle(input.claim, policy: policy)
        let actual = try settlement.json()

        let expectedURL = Self.folder.appendingPathComponent("\(name).expected.json")
        if ProcessInfo.processInfo.environment["CLAIMEYE_RECORD"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedURL.lastPathComponent); unset CLAIMEYE_RECORD and run again")
            return
        }
        let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)) ?? ""
        #expect(actual == expected, "\(name) differs from its expected result:\n\(lineDiff(expected: expected, actual: actual))")
    }

    /// Cases 11 and 12 are one person's two claims: the state case 11 leaves is the
    /// state case 12 starts from, so the deductible really spans the two.
    @Test func deductibleSpansTwoClaimsWhenChained() throws {
        func load(_ name: String) throws -> (ClaimInput, Policy) {
            let url = Self.folder.appendingPathComponent("\(name).claim.json")
            let input = try ClaimInput.decode(try Data(contentsOf: url), source: name, defaultClaimId: name)
            let policyURL = Self.folder.appendingPathComponent(try #require(input.policy)).standardized
            return (input, try Policy.parse(toml: try String(contentsOf: policyURL, encoding: .utf8), source: "policy"))
        }
        let (first, policy) = try load("11-deductible-spans-claims-first")
        var (second, _) = try load("12-deductible-spans-claims-second")
        let one = try SettlementEngine.settle(first.claim, policy: policy)
        #expect(second.claim.yearToDate == one.yearToDateAfter, "case 12's year_to_date is what case 11 leaves")
        second.claim.yearToDate = one.yearToDateAfter
        let two = try SettlementEngine.settle(second.claim, policy: policy)
        #expect(one.totals.deductible + two.totals.deductible == Fen(180_000))
        #expect(two.totals.fundPay == Fen(42_500))
    }
}

/// The lines that differ, with their line numbers: enough to see which figure moved.
func lineDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for number in 0..<max(old.count, new.count) {
        let before = number < old.count ? String(old[number]) : "<none>"
        let after = number < new.count ? String(new[number]) : "<none>"
        if before != after { out.append("line \(number + 1):\n- \(before)\n+ \(after)") }
        if out.count == 30 {
            out.append("…")
            break
        }
    }
    return out.joined(separator: "\n")
}
