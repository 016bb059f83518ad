import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

/// `claimeye settle`, run as a user would: output, messages and every exit code it has.
@Suite(.serialized) struct SettleCommandTests {
    static func golden(_ name: String) -> String { TestPaths.fixture("settlement/\(name).claim.json") }

    /// Writes files into a fresh folder and returns it.
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = try TestPaths.temporaryFolder()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func settledClaimExits0AndPrintsTheGoldenJSON() throws {
        let result = try runClaimEye(["settle", "--json", Self.golden("26-every-class-one-claim")])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOfFile: TestPaths.fixture("settlement/26-every-class-one-claim.expected.json"), encoding: .utf8)
        #expect(result.stdout == expected)
        #expect(result.stderr.isEmpty)
        let again = try runClaimEye(["settle", "--json", Self.golden("26-every-class-one-claim")])
        #expect(again.stdout == result.stdout, "byte-identical across runs")
    }

    static var goldenCases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.fixture("settlement"))) ?? []
        return names.filter { $0.hasSuffix(".claim.json") }.map { String($0.dropLast(".claim.json".count)) }.sorted()
    }

    /// The command prints exactly the golden result of every case, and exits 3 exactly
    /// when the result says needs_review.
    @Test(arguments: goldenCases)
    func everyGoldenCaseThroughTheCommand(_ name: String) throws {
        let result = try runClaimEye(["settle", "--json", Self.golden(name)])
        let expected = try String(contentsOfFile: TestPaths.fixture("settlement/\(name).expected.json"), encoding: .utf8)
        #expect(result.stdout == expected)
        #expect(result.status == (expected.contains("\"status\" : \"needs_review\"") ? 3 : 0))
    }

    @Test func tableShowsEveryLineAndTheTotals() throws {
        let result = try runClaimEye(["settle", Self.golden("26-every-class-one-claim")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("手术费") && result.stdout.contains("CLASS_C_SELF_PAY"))
        #expect(result.stdout.contains("765.00") && result.stdout.contains("935.00"))
    }

    @Test func heldLinesExit3WithOneLineOnStderr() throws {
        let result = try runClaimEye(["settle", Self.golden("05-review-zone-pending")])
        #expect(result.status == 3)
        #expect(result.stdout.contains("153.00"), "the table shows what would be paid once decided")
        #expect(result.stderr == "claimeye: claim G05 needs review: 1 line(s) held\n")
    }

    @Test func policyOptionOverridesTheClaimsPolicy() throws {
        let west = TestPaths.fixture("policies/west-sample.toml")
        let result = try runClaimEye(["settle", "--json", "--policy", west, Self.golden("02-class-b-default-ratio")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"region\" : \"west-sample\""))
    }

    @Test(arguments: [
        ("{\"items\": []}", "insurance_type"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 7, \"items\": []}", "institution_level"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"amount\": \"1.2.3\"}]}", "items[0].amount"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"amount\": 5, \"class\": \"丁\"}]}", "items[0].class"),
        ("not json", "not valid JSON"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"amount\": 1e30, \"class\": \"甲\"}]}", "out of range"),
        // Once accepted quietly: −3 × −50 with +150 settled −150; a key given twice took
        // its first value; 1e308 was "found an array".
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"quantity\": -3, \"unit_price\": -50, \"amount\": 150, \"class\": \"甲\"}]}", "items[0].unit_price"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"quantity\": 3, \"unit_price\": 50, \"amount\": -150, \"class\": \"甲\"}]}", "items[0].amount"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"amount\": 20, \"class\": \"甲\", \"amount\": 1000000}]}", "'items[0].amount': given twice"),
        ("{\"insurance_type\": \"employee\", \"insurance_type\": \"resident\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": []}", "'insurance_type': given twice"),
        ("{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": [{\"amount\": 1e308, \"class\": \"甲\"}]}", "too large"),
    ])
    func malformedClaimExits65NamingTheField(claim: String, field: String) throws {
        let folder = try Self.folder(["claim.json": claim])
        let result = try runClaimEye([
            "settle", "--policy", TestPaths.fixture("policies/east-sample.toml"), folder.appendingPathComponent("claim.json").path,
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains(field), "\(result.stderr)")
    }

    /// An amount of 1,000,000 where quantity × unit price is 20 settled with no word; a
    /// refund with both signs negative stays a refund.
    @Test func aLineWhoseArithmeticDisagreesIsHeldAndARefundIsExplicit() throws {
        let claim = """
            {"insurance_type": "employee", "visit_type": "outpatient", "institution_level": 2, "service_date": "2026-05-01",
             "items": [{"name": "A", "quantity": 2, "unit_price": 10, "amount": 1000000, "class": "甲"},
                       {"name": "B", "quantity": -3, "unit_price": 50, "amount": -150, "class": "甲"}]}
            """
        let folder = try Self.folder(["claim.json": claim])
        let result = try runClaimEye([
            "settle", "--json", "--policy", TestPaths.fixture("policies/east-sample.toml"), folder.appendingPathComponent("claim.json").path,
        ])
        #expect(result.status == 3, "\(result.stderr)")
        let lines = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])["lines"] as? [[String: Any]]
        let reasons = try #require(lines).map { $0["reasons"] as? [String] ?? [] }
        #expect(reasons.count == 2)
        #expect(reasons.first?.contains("ARITHMETIC_MISMATCH") == true && reasons.first?.contains("HELD_FOR_REVIEW") == true, "\(reasons)")
        #expect(reasons.last?.contains("REFUND") == true && reasons.last?.contains("ARITHMETIC_MISMATCH") == false, "\(reasons)")
    }

    @Test func malformedPolicyExits65WithTheKeyPath() throws {
        let east = try String(contentsOfFile: TestPaths.fixture("policies/east-sample.toml"), encoding: .utf8)
        let broken = east.replacingOccurrences(of: "ratio = { 1 = 0.90, 2 = 0.85, 3 = 0.80 }", with: "ratio = { 1 = 0.90, 2 = 1.85, 3 = 0.80 }")
        #expect(broken != east)
        let folder = try Self.folder(["policy.toml": broken])
        let result = try runClaimEye(["settle", "--policy", folder.appendingPathComponent("policy.toml").path, Self.golden("02-class-b-default-ratio")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("period[1].employee.outpatient.ratio.2"), "\(result.stderr)")
    }

    /// A one-stop policy that cannot be right is refused before anything is settled, with
    /// the key to fix; so is a claim context that contradicts itself or names an assistance
    /// category the policy does not have.
    @Test(arguments: [
        ("{ from = 100000, ratio = 0.70 }", "{ from = 120000, ratio = 0.70 }", "period[0].critical_illness.tiers[1].from", "leaves a gap"),
        ("{ from = 100000, ratio = 0.70 }", "{ from = 90000, ratio = 0.70 }", "period[0].critical_illness.tiers[1].from", "overlaps"),
        ("{ from = 0, to = 100000, ratio = 0.60 }", "{ from = 0, to = 100000, ratio = -0.60 }", "period[0].critical_illness.tiers[0].ratio", "within 0 and 1"),
        ("threshold = 15000\nannual_cap = 400000", "threshold = 15000\nannual_cap = 10000", "period[0].critical_illness.annual_cap", "below the threshold"),
        ("[period.assistance.dibao]\nratio = 0.70", "[period.assistance.dibao]\nratio = 1.70", "period[0].assistance.dibao.ratio", "within 0 and 1"),
    ])
    func aOneStopPolicyThatCannotBeRightExits65(find: String, replace: String, key: String, message: String) throws {
        let policy = try String(contentsOfFile: TestPaths.fixture("policies/onestop-east.toml"), encoding: .utf8)
        let broken = policy.replacingOccurrences(of: find, with: replace)
        #expect(broken != policy)
        let folder = try Self.folder(["policy.toml": broken])
        let result = try runClaimEye(["settle", "--policy", folder.appendingPathComponent("policy.toml").path, Self.golden("29-critical-illness-threshold-crossed")])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("'\(key)'") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        (#""assistance_category": "tekun""#, #""assistance_category": "orphan""#, "period[0].assistance.orphan", "not a category of the policy"),
        (#""visit_type": "outpatient""#, #""visit_type": "outpatient", "treatment_place": "in_region", "filed": true"#, "'filed'", "filed is said only of treatment out of the province"),
        (#""visit_type": "outpatient""#, #""visit_type": "outpatient", "treatment_place": "abroad""#, "treatment_place", "not one of in_region, in_province, out_of_province"),
    ])
    func aClaimContextTheOneStopPolicyCannotSettleExits65(find: String, replace: String, key: String, message: String) throws {
        let claim = try String(contentsOfFile: Self.golden("33-assistance-nothing-left-to-pay"), encoding: .utf8)
            .replacingOccurrences(of: "../policies/", with: TestPaths.fixture("policies") + "/")
        let changed = claim.replacingOccurrences(of: find, with: replace)
        #expect(changed != claim)
        let folder = try Self.folder(["claim.json": changed])
        let result = try runClaimEye(["settle", folder.appendingPathComponent("claim.json").path])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains(key) && result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aLevelThePolicyLacksExits65() throws {
        let claim = """
            {"insurance_type": "employee", "visit_type": "outpatient", "institution_level": 3,
             "service_date": "2026-05-01", "items": [{"amount": 5, "class": "甲"}]}
            """
        let policy = """
            region = "small"
            [[period]]
            effective_from = 2026-01-01
            levels = [1, 2]
            class_b_self_pay_ratio = 0.1
            [period.employee]
            annual_fund_cap = 1000
            [period.employee.outpatient]
            deductible = 0
            deductible_basis = "year"
            ratio = 0.8
            """
        let folder = try Self.folder(["claim.json": claim, "policy.toml": policy])
        let result = try runClaimEye(["settle", "--policy", folder.appendingPathComponent("policy.toml").path, folder.appendingPathComponent("claim.json").path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("period[0].levels"))
    }

    @Test func missingFilesExit66AndNoPolicyExits64() throws {
        #expect(try runClaimEye(["settle", "/nonexistent/claim.json"]).status == 66)
        let missingPolicy = try runClaimEye(["settle", "--policy", "/nonexistent/policy.toml", Self.golden("02-class-b-default-ratio")])
        #expect(missingPolicy.status == 66)
        #expect(missingPolicy.stderr.contains("/nonexistent/policy.toml"))
        let folder = try Self.folder(["claim.json": "{\"insurance_type\": \"employee\", \"visit_type\": \"outpatient\", \"institution_level\": 2, \"items\": []}"])
        #expect(try runClaimEye(["settle", folder.appendingPathComponent("claim.json").path]).status == 64)
    }
}

/// The ledger carries the year-to-date state from one claim to the next.
@Suite(.serialized) struct SettleLedgerTests {
    @Test func aSecondClaimCountsTheFirstOnesDeductibleFromTheLedger() throws {
        let folder = try TestPaths.temporaryFolder()
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let policy = TestPaths.fixture("policies/east-sample.toml")
        func claim(_ id: String, _ amount: String) throws -> String {
            let text = """
                {"claim_id": "\(id)", "insured_id": "P42", "insurance_type": "employee", "institution_level": 2,
                 "visit_type": "outpatient", "service_date": "2026-05-0\(id.suffix(1))",
                 "items": [{"name": "CT", "amount": "\(amount)", "class": "甲"}]}
                """
            let url = folder.appendingPathComponent("\(id).json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let first = try runClaimEye(["settle", "--db", db, "--policy", policy, "--json", try claim("L1", "1500.00")])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try runClaimEye(["settle", "--db", db, "--policy", policy, "--json", try claim("L2", "800.00")])
        #expect(second.status == 0, "\(second.stderr)")
        // 1500.00 of the 1800.00 deductible went to L1; L2 owes 300.00 and the fund
        // pays 0.85 × 500.00.
        #expect(second.stdout.contains("\"deductible\" : \"300.00\""))
        #expect(second.stdout.contains("\"fund_pay\" : \"425.00\""))
        // Settling L2 again does not count L2 against itself.
        let again = try runClaimEye(["settle", "--db", db, "--policy", policy, "--json", folder.appendingPathComponent("L2.json").path])
        #expect(again.stdout == second.stdout)
    }
}

/// The supplementary funds' year, kept in the ledger: a person's second claim counts what
/// the first used of the critical-illness threshold and the assistance, whichever of the
/// two is settled first.
@Suite(.serialized) struct SettleOneStopLedgerTests {
    func claim(_ folder: URL, _ id: String, _ amount: String) throws -> String {
        let text = """
            {"claim_id": "\(id)", "insured_id": "P77", "insurance_type": "resident", "institution_level": 1,
             "visit_type": "inpatient", "service_date": "2026-06-0\(id.suffix(1))", "assistance_category": "dibao",
             "items": [{"name": "手术费", "amount": "\(amount)", "class": "甲"}]}
            """
        let url = folder.appendingPathComponent("\(id).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Settles A then B (or B then A) into a fresh ledger; the two claims' funds, summed.
    func year(_ order: [String]) throws -> [String: Decimal] {
        let folder = try TestPaths.temporaryFolder()
        let db = folder.appendingPathComponent("ledger.sqlite").path
        let policy = TestPaths.fixture("policies/onestop-east.toml")
        var sums: [String: Decimal] = [:]
        for id in order {
            let result = try runClaimEye(["settle", "--db", db, "--policy", policy, "--json", try claim(folder, id, id == "A1" ? "60000.00" : "40000.00")])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let totals = try #require(json["totals"] as? [String: String])
            for key in ["fund_pay", "critical_illness_pay", "assistance_pay", "self_pay"] {
                sums[key, default: 0] += Decimal(string: totals[key] ?? "x") ?? -1_000_000
            }
        }
        return sums
    }

    @Test func theLedgerCarriesEachFundsYearInEitherOrder() throws {
        // Resident, level 1, inpatient: deductible 200 a visit, ratio 0.85.
        // A1 60000.00: fund 0.85 x 59800.00 = 50830.00; left 9170.00 (below the 15000.00 threshold alone).
        // B2 40000.00: fund 0.85 x 39800.00 = 33830.00; left 6170.00.
        // Together the year's critical-illness base is 15340.00: 0.60 x 340.00 = 204.00, whichever comes second.
        // 低保: 0.70 of what is left after both: 0.70 x (15340.00 - 204.00) = 10595.20.
        let forward = try year(["A1", "B2"]), backward = try year(["B2", "A1"])
        #expect(forward == backward)
        #expect(forward["fund_pay"] == Decimal(string: "84660.00"))
        #expect(forward["critical_illness_pay"] == Decimal(string: "204.00"))
        #expect(forward["assistance_pay"] == Decimal(string: "10595.20"))
        #expect(forward["self_pay"] == Decimal(string: "4540.80"))
    }
}

/// A one-stop claim through `process`: the per-fund figures reach items.csv and the fund
/// report, where who paid adds up to the claims' amount.
@Suite struct OneStopPipelineTests {
    @Test func itemsAndTheReportByFundCarryEachFundsPay() throws {
        let folder = try TestPaths.temporaryFolder()
        let context = folder.appendingPathComponent("context.json")
        try Data(#"{"insured_id": "P9", "insurance_type": "resident", "institution_level": 1, "visit_type": "outpatient", "service_date": "2026-03-02", "assistance_category": "dibao"}"#.utf8)
            .write(to: context)
        let db = folder.appendingPathComponent("l.sqlite").path, out = folder.appendingPathComponent("out")
        let result = try runClaimEye(
            ["process", TestPaths.fixture("pdf/digital/zh-outpatient-01-digital.pdf"), "--claim-id", "OS1", "--context", context.path,
             "--policy", TestPaths.fixture("policies/onestop-east.toml"), "--config", TestPaths.fixture("claimeye.toml"),
             "--db", db, "--out", out.path],
            environment: ["CLAIMEYE_SAMPLE_CATALOGUE": TestPaths.fixture("catalogue/sample_catalogue.csv")], timeout: 300)
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("assist"))
        let trail = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("OS1.json"))) as? [String: Any])
        let settlement = try #require(trail["settlement"] as? [String: Any])
        let totals = try #require(settlement["totals"] as? [String: String])
        let assistance = try #require(totals["assistance_pay"])
        #expect(assistance != "0.00")
        // items.csv: the two fund columns, summing to the claim's.
        let rows = try String(contentsOf: out.appendingPathComponent("items.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.suffix(2) == ["critical_illness_pay", "assistance_pay"])
        let columnSum = rows.dropFirst().compactMap { Decimal(string: String($0.last ?? "")) }.reduce(0, +)
        #expect(columnSum == Decimal(string: assistance))
        // The report by fund: each party's row; together the claims' amount.
        let report = try runClaimEye(["report", "--by", "fund", "--format", "csv", "--db", db])
        #expect(report.status == 0, "\(report.stderr)")
        let lines = report.stdout.split(separator: "\n").map { $0.split(separator: ",") }
        func amount(_ prefix: String) -> Decimal? {
            lines.first { $0.first?.hasPrefix(prefix) == true }.flatMap { Decimal(string: String($0[3])) }
        }
        #expect(amount("medical assistance") == Decimal(string: assistance))
        let parties = ["basic fund", "critical-illness", "medical assistance", "patient", "held for review"].compactMap(amount)
        #expect(parties.count == 5)
        #expect(parties.reduce(0, +) == amount("TOTAL"))
        #expect(amount("TOTAL") == Decimal(string: totals["amount"] ?? ""))
    }
}

/// Parser output settles under a claim sidecar: `claimeye settle claim.json --items parsed.json`.
@Suite struct SettleParsedItemsTests {
    @Test func parseOutputSettlesUnderASidecarContext() throws {
        let document = ParsedDocument(
            source: "page-1.png", pages: 1, metadata: DocumentMetadata(),
            items: [
                LineItem(
                    page: 0, index: 0, name: Read("阿莫西林胶囊", confidence: 0.95), nameRead: "阿莫西林胶囊",
                    quantity: Read(2, confidence: 0.9), unitPrice: Read(Decimal(string: "12.5") ?? 0, confidence: 0.9),
                    amount: Read(25, confidence: 0.9), printedClass: .a),
                LineItem(
                    page: 0, index: 1, name: Read("某检查", confidence: 0.8), nameRead: "某检查",
                    amount: Read(Decimal(string: "40.10") ?? 0, confidence: 0.9)),
            ],
            subtotals: [], flags: [], reason: nil)
        // The same encoder settings as `claimeye parse --json`.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let folder = try TestPaths.temporaryFolder()
        let parsed = folder.appendingPathComponent("parsed.json")
        try encoder.encode([document]).write(to: parsed)

        let result = try runClaimEye([
            "settle", "--json", "--items", parsed.path, "--policy", TestPaths.fixture("policies/east-sample.toml"),
            TestPaths.fixture("sample-inbox/claim-0001/claim.json"),
        ])
        // The line without a class has no catalogue match: held, so the claim needs review.
        #expect(result.status == 3, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: String])
        #expect(totals["amount"] == "65.10")
        #expect(totals["pending"] == "40.10")
        #expect(totals["deductible"] == "25.00", "the first claim of the year goes to the 1800.00 deductible")
        #expect(json["claim_id"] as? String == "claim-0001")
    }
}
