import ClaimEyeTestSupport
import Foundation
import Testing

@testable import ClaimEyeCore

/// Every audit rule: a claim that fires it, one that does not, and the config's switch.
@Suite struct AuditRulesTests {
    @Test(arguments: AuditRuleID.allCases)
    func aClaimFiresTheRule(rule: AuditRuleID) throws {
        let flags = AuditRules.check(AuditFixtures.firing(rule), config: .standard)
        let flag = try #require(flags.first { $0.rule == rule }, "\(rule.rawValue) did not fire")
        #expect(flag.severity == AuditConfig.standard.setting(rule).severity)
        #expect(!flag.message.isEmpty)
        #expect(!flag.evidence.isEmpty)
    }

    @Test(arguments: AuditRuleID.allCases)
    func theNearestOtherClaimDoesNot(rule: AuditRuleID) {
        let flags = AuditRules.check(AuditFixtures.quiet(rule), config: .standard)
        #expect(!flags.contains { $0.rule == rule }, "\(rule.rawValue) fired: \(flags.filter { $0.rule == rule }.map(\.message))")
    }

    @Test(arguments: AuditRuleID.allCases)
    func aRuleSwitchedOffInTheConfigDoesNotRun(rule: AuditRuleID) {
        var config = AuditConfig.standard
        config.rules[rule] = AuditConfig.RuleSetting(enabled: false, severity: .block)
        let flags = AuditRules.check(AuditFixtures.firing(rule), config: config)
        #expect(!flags.contains { $0.rule == rule })
    }

    @Test func theConfigSetsTheSeverity() throws {
        var config = AuditConfig.standard
        config.rules[.priceAboveCap] = AuditConfig.RuleSetting(enabled: true, severity: .block)
        let flags = AuditRules.check(AuditFixtures.firing(.priceAboveCap), config: config)
        #expect(flags.first { $0.rule == .priceAboveCap }?.severity == .block)
        #expect(flags.blocksSettlement)
        #expect(!AuditRules.check(AuditFixtures.firing(.priceAboveCap), config: .standard).blocksSettlement)
    }

    @Test func aPlainClaimRaisesNoFlag() {
        let (items, matches) = AuditFixtures.plainLines()
        #expect(AuditRules.check(AuditFixtures.input(items, matches: matches)) == [])
    }

    @Test func flagsCarryTheirEvidence() throws {
        let price = try #require(AuditRules.check(AuditFixtures.firing(.priceAboveCap)).first { $0.rule == .priceAboveCap })
        #expect(price.lineIndex == 1)
        #expect(price.evidence == ["code": "XJ01CAB037B436777560939", "unit_price": "15.00", "price_cap": "14.38", "over_by": "0.62"])
        let arithmetic = try #require(AuditRules.check(AuditFixtures.firing(.lineArithmetic)).first { $0.rule == .lineArithmetic })
        #expect(arithmetic.evidence["product"] == "25.00")
        #expect(arithmetic.evidence["amount"] == "26.00")
        let repeated = try #require(AuditRules.check(AuditFixtures.firing(.repeatedDispensing)).first { $0.rule == .repeatedDispensing })
        #expect(repeated.evidence["days_apart"] == "3")
        #expect(repeated.evidence["earlier_claim"] == "C-2026-0001")
        let duplicate = try #require(AuditRules.check(AuditFixtures.firing(.duplicateLine)).first { $0.rule == .duplicateLine })
        #expect(duplicate.lineIndex == 2)
        #expect(duplicate.evidence["first_line"] == "2")
        let restricted = try #require(AuditRules.check(AuditFixtures.firing(.restrictedUse)).first { $0.rule == .restrictedUse })
        #expect(restricted.message.contains("限流感病毒感染的患者。"))
    }

    @Test func thePolicysPriceCapFactorRaisesTheCap() {
        var input = AuditFixtures.firing(.priceAboveCap)
        // 14.38 × 1.1 = 15.82: the 15.00 charged is within the cap at this level.
        input.priceCapFactor = Decimal(string: "1.1") ?? 1
        #expect(!AuditRules.check(input).contains { $0.rule == .priceAboveCap })
    }

    @Test func aPerEntryQuantityLimitOverridesTheKindsLimit() {
        var config = AuditConfig.standard
        config.quantityLimits[AuditFixtures.amoxicillin.code] = 1
        let flags = AuditRules.check(AuditFixtures.quiet(.quantityAboveLimit), config: config)
        let flag = flags.first { $0.rule == .quantityAboveLimit }
        #expect(flag?.evidence["limit"] == "1")
        #expect(flag?.evidence["limit_from"] == "code XJ01CAB037B436777560939")
    }

    @Test func theClaimsOwnEarlierRunIsNoDuplicate() {
        // Re-running a claim finds its own keys in the ledger: not a duplicate.
        let (items, matches) = AuditFixtures.plainLines()
        let history = AuditHistory(
            invoiceKeys: ["33010224/0081235720": "C-2026-0002"], pageHashes: ["aa11": "C-2026-0002"],
            dispensing: [DispensingRecord(insuredId: "330102199001011234", code: AuditFixtures.amoxicillin.code, date: "2026-03-02", claimId: "C-2026-0002")])
        #expect(AuditRules.check(AuditFixtures.input(items, matches: matches, history: history)) == [])
    }

    @Test func anotherPersonsDispensingDoesNotCount() {
        let (items, matches) = AuditFixtures.plainLines()
        let other = DispensingRecord(insuredId: "330102198001015678", code: AuditFixtures.amoxicillin.code, date: "2026-03-01", claimId: "C-2026-0001")
        #expect(AuditRules.check(AuditFixtures.input(items, matches: matches, history: AuditHistory(dispensing: [other]))) == [])
    }

    @Test func restrictionsFireOnlyWhenTheContextGivesSexOrAge() {
        let sex = AuditRules.check(AuditFixtures.restricted("限绝经后女性骨质疏松症。"))
        #expect(!sex.contains { $0.rule == .sexRestriction })
        let age = AuditRules.check(AuditFixtures.restricted("限2岁至11岁儿童慢性便秘。"))
        #expect(!age.contains { $0.rule == .ageRestriction })
    }

    @Test func flagsAreInAStableOrder() {
        var input = AuditFixtures.firing(.duplicateLine)
        input.history = AuditHistory(invoiceKeys: ["33010224/0081235720": "C-2026-0001"], pageHashes: ["aa11": "C-2026-0001"])
        let flags = AuditRules.check(input)
        #expect(flags.map(\.rule) == [.duplicateInvoice, .duplicatePage, .duplicateLine])
        #expect(flags.map(\.lineIndex) == [nil, nil, 2])
        #expect(AuditRules.check(input) == flags)
    }

    @Test func aFlagEncodesWithSnakeCaseKeys() throws {
        let flag = AuditFlag(rule: .priceAboveCap, severity: .warn, lineIndex: 3, message: "m", evidence: ["b": "2", "a": "1"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(flag), as: UTF8.self)
        #expect(json == #"{"evidence":{"a":"1","b":"2"},"line_index":3,"message":"m","rule":"PRICE_ABOVE_CAP","severity":"warn"}"#)
        #expect(try JSONDecoder().decode(AuditFlag.self, from: Data(json.utf8)) == flag)
    }

    @Test func theKeysOfAClaimFeedTheNextClaimsHistory() {
        let (items, matches) = AuditFixtures.plainLines()
        let first = AuditFixtures.input(items, matches: matches, context: AuditFixtures.context(claimId: "C-2026-0001"))
        let keys = AuditKeys(first)
        #expect(keys.invoiceKeys == ["33010224/0081235720"])
        #expect(keys.pageHashes == ["aa11"])
        // Only the drug is dispensed; the consultation is a service.
        #expect(keys.dispensing == [DispensingRecord(insuredId: "330102199001011234", code: AuditFixtures.amoxicillin.code, date: "2026-03-02", claimId: "C-2026-0001")])
        #expect(keys.contentSignatures.count == 1)
    }

    @Test func dayNumbersCountCalendarDays() {
        #expect(ISODate.dayNumber("1970-01-01") == 0)
        #expect(ISODate.dayNumber("2026-03-01").map { $0 - (ISODate.dayNumber("2026-02-28") ?? 0) } == 1)
        #expect(ISODate.dayNumber("2024-03-01").map { $0 - (ISODate.dayNumber("2024-02-28") ?? 0) } == 2)
        #expect(ISODate.dayNumber("2026-02-30") == nil)
    }
}
