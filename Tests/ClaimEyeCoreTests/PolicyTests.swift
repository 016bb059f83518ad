import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@Suite struct PolicyTests {
    /// A valid one-period policy; the tests below break it one key at a time.
    static let valid = """
        region = "test"
        [[period]]
        effective_from = 2026-01-01
        effective_to = 2026-12-31
        levels = [1, 2]
        class_b_self_pay_ratio = 0.10
        price_cap_multiplier = { 2 = 1.2 }
        [period.employee]
        annual_fund_cap = 1000
        [period.employee.outpatient]
        deductible = { 1 = 100, 2 = "150.50" }
        deductible_basis = "year"
        ratio = { 1 = 0.9, 2 = "0.8" }
        """

    static func context(level: Int = 2, type: InsuranceType = .employee, visit: VisitType = .outpatient, date: String? = "2026-05-01") -> ClaimContext {
        ClaimContext(claimId: "T", insuranceType: type, institutionLevel: level, visitType: visit, serviceDate: date)
    }

    /// The key path of the error that parsing `text` throws, or nil when it parses.
    static func refusedKey(_ text: String) -> String? {
        do {
            _ = try Policy.parse(toml: text, source: "test.toml")
            return nil
        } catch SettlementError.invalidPolicy(_, let keyPath, _) {
            return keyPath
        } catch SettlementError.policySyntax {
            return "<syntax>"
        } catch {
            return "<other: \(error)>"
        }
    }

    @Test func validPolicyResolvesTerms() throws {
        let policy = try Policy.parse(toml: Self.valid, source: "test.toml")
        let terms = try policy.terms(for: Self.context())
        #expect(terms.ratio == Decimal(string: "0.8"))
        #expect(terms.deductible == Decimal(string: "150.5"))
        #expect(terms.deductibleBasis == .year)
        #expect(terms.annualFundCap == 1000)
        #expect(terms.priceCapMultiplier == Decimal(string: "1.2"))
        let level1 = try policy.terms(for: Self.context(level: 1))
        #expect(level1.ratio == Decimal(string: "0.9"))
        #expect(level1.priceCapMultiplier == 1, "a level without a factor keeps the catalogue cap")
    }

    @Test(arguments: [
        ("class_b_self_pay_ratio = 0.10", "class_b_self_pay_ratio = 1.5", "period[0].class_b_self_pay_ratio"),
        ("ratio = { 1 = 0.9, 2 = \"0.8\" }", "ratio = { 1 = 0.9, 2 = -0.1 }", "period[0].employee.outpatient.ratio.2"),
        ("ratio = { 1 = 0.9, 2 = \"0.8\" }", "ratio = { 1 = 0.9 }", "period[0].employee.outpatient.ratio.2"),
        ("ratio = { 1 = 0.9, 2 = \"0.8\" }", "ratio = { 1 = 0.9, 2 = 0.8, 3 = 0.7 }", "period[0].employee.outpatient.ratio.3"),
        ("ratio = { 1 = 0.9, 2 = \"0.8\" }", "ratio = \"high\"", "period[0].employee.outpatient.ratio"),
        ("annual_fund_cap = 1000", "annual_fund_cap = \"lots\"", "period[0].employee.annual_fund_cap"),
        ("annual_fund_cap = 1000", "annual_fund_cap = 1000.5", "period[0].employee.annual_fund_cap"),
        ("annual_fund_cap = 1000", "annual_fund_cap = -5", "period[0].employee.annual_fund_cap"),
        // Past 64-bit fen: once formatted as a wrapped amount.
        ("annual_fund_cap = 1000", "annual_fund_cap = 9223372036854775807", "period[0].employee.annual_fund_cap"),
        ("annual_fund_cap = 1000", "annual_fund_cap = \"184467440737095517.16\"", "period[0].employee.annual_fund_cap"),
        ("annual_fund_cap = 1000", "", "period[0].employee.annual_fund_cap"),
        ("deductible_basis = \"year\"", "deductible_basis = \"month\"", "period[0].employee.outpatient.deductible_basis"),
        ("deductible = { 1 = 100, 2 = \"150.50\" }", "deductible = { 1 = 100, 2 = \"150.505\" }", "period[0].employee.outpatient.deductible.2"),
        ("levels = [1, 2]", "levels = [1, 4]", "period[0].levels[1]"),
        ("levels = [1, 2]", "levels = \"1,2\"", "period[0].levels"),
        ("effective_to = 2026-12-31", "effective_to = 2025-12-31", "period[0].effective_to"),
        ("effective_from = 2026-01-01", "effective_from = \"2026-02-30\"", "period[0].effective_from"),
        ("price_cap_multiplier = { 2 = 1.2 }", "price_cap_multiplier = { 2 = 0 }", "period[0].price_cap_multiplier.2"),
        ("region = \"test\"", "region = \"test\"\nratio = 0.5", "ratio"),
        ("deductible_basis = \"year\"", "deductible_basis = \"year\"\nratios = 0.5", "period[0].employee.outpatient.ratios"),
        ("region = \"test\"", "region = \"test\"\n[[period", "<syntax>"),
    ])
    func refusesWithKeyPath(_ replace: String, _ with: String, _ keyPath: String) {
        let broken = Self.valid.replacingOccurrences(of: replace, with: with)
        #expect(broken != Self.valid, "the test's replacement must apply")
        #expect(Self.refusedKey(broken) == keyPath)
    }

    @Test func refusesOverlappingPeriods() {
        let second = """

            [[period]]
            effective_from = 2026-12-01
            levels = [1]
            class_b_self_pay_ratio = 0.1
            [period.resident]
            annual_fund_cap = 10
            [period.resident.inpatient]
            deductible = 0
            deductible_basis = "visit"
            ratio = 0.5
            """
        #expect(Self.refusedKey(Self.valid + second) == "period[1].effective_from")
        let later = second.replacingOccurrences(of: "2026-12-01", with: "2027-01-01")
        #expect(Self.refusedKey(Self.valid + later) == nil)
        // An open-ended period followed by another overlaps it.
        let openEnded = Self.valid.replacingOccurrences(of: "effective_to = 2026-12-31\n", with: "")
        #expect(Self.refusedKey(openEnded + later) == "period[1].effective_from")
    }

    @Test func claimNeedingAMissingPartIsRefusedWithItsKeyPath() throws {
        let policy = try Policy.parse(toml: Self.valid, source: "test.toml")
        func coverKey(_ context: ClaimContext) -> String? {
            do {
                _ = try policy.terms(for: context)
                return nil
            } catch SettlementError.policyDoesNotCover(_, let keyPath, _) {
                return keyPath
            } catch {
                return "<other>"
            }
        }
        #expect(coverKey(Self.context(level: 3)) == "period[0].levels")
        #expect(coverKey(Self.context(type: .resident)) == "period[0].resident")
        #expect(coverKey(Self.context(visit: .inpatient)) == "period[0].employee.inpatient")
        #expect(coverKey(Self.context(date: "2027-01-01")) == "period")
        #expect(coverKey(Self.context(date: nil)) == nil, "a single period serves a claim without a date")
    }

    @Test func selectsThePeriodInForceOnTheServiceDate() throws {
        let text = try String(contentsOfFile: TestPaths.fixture("policies/east-sample.toml"), encoding: .utf8)
        let policy = try Policy.parse(toml: text, source: "east-sample.toml")
        #expect(policy.periods.count == 2)
        #expect(try policy.terms(for: Self.context(date: "2025-12-31")).periodFrom == "2025-01-01")
        #expect(try policy.terms(for: Self.context(date: "2026-01-01")).periodFrom == "2026-01-01")
        #expect(try policy.terms(for: Self.context(date: "2031-06-01")).ratio == Decimal(string: "0.85"))
        #expect(throws: SettlementError.self) { try policy.terms(for: Self.context(date: "2024-12-31")) }
        #expect(throws: SettlementError.self) { try policy.terms(for: Self.context(date: nil)) }
    }

    @Test(arguments: ["east-sample.toml", "west-sample.toml"])
    func samplePoliciesDefineEveryCombination(_ file: String) throws {
        let text = try String(contentsOfFile: TestPaths.fixture("policies/\(file)"), encoding: .utf8)
        let policy = try Policy.parse(toml: text, source: file)
        for period in policy.periods {
            for type in InsuranceType.allCases {
                for visit in VisitType.allCases {
                    for level in 1...3 {
                        let context = Self.context(level: level, type: type, visit: visit, date: period.effectiveFrom)
                        let terms = try policy.terms(for: context)
                        #expect(terms.ratio > 0 && terms.ratio <= 1)
                    }
                }
            }
        }
    }
}
