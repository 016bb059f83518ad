import Foundation
import Testing
@testable import ClaimEyeCore

/// A small catalogue with the traps of the real one: cross-listed rows sharing a name,
/// near names, form words in names, specs and caps.
enum MatchingFixture {
    static let entries: [CatalogueEntry] = [
        CatalogueEntry(code: "D0001", name: "克霉唑", kind: .drug, reimbursementClass: .b, dosageForm: "口服常释剂型"),
        CatalogueEntry(code: "D0002", name: "克霉唑", kind: .drug, reimbursementClass: .a, dosageForm: "软膏剂"),
        CatalogueEntry(code: "D0003", name: "克霉唑", kind: .drug, reimbursementClass: .a, dosageForm: "阴道片"),
        CatalogueEntry(code: "D0010", name: "阿莫西林", kind: .drug, reimbursementClass: .a, dosageForm: "口服常释剂型"),
        CatalogueEntry(code: "D0011", name: "阿莫西林克拉维酸钾", kind: .drug, reimbursementClass: .a, dosageForm: "口服常释剂型"),
        CatalogueEntry(code: "D0020", name: "二甲双胍", kind: .drug, reimbursementClass: .a, dosageForm: "缓释控释剂型"),
        CatalogueEntry(code: "D0030", name: "更昔洛韦", kind: .drug, reimbursementClass: .b, dosageForm: "注射剂"),
        CatalogueEntry(code: "D0031", name: "阿昔洛韦", kind: .drug, reimbursementClass: .a, dosageForm: "注射剂"),
        CatalogueEntry(code: "D0040", name: "九味羌活丸(颗粒)", kind: .drug, reimbursementClass: .a),
        CatalogueEntry(code: "D0050", name: "艾普拉唑", kind: .drug, reimbursementClass: .b, spec: "10mg/支", unit: "支", priceCap: Decimal(string: "63.00")),
        CatalogueEntry(code: "D0051", name: "艾普拉唑", kind: .drug, reimbursementClass: .b, spec: "5mg/片", unit: "片", priceCap: Decimal(string: "4.15")),
        CatalogueEntry(code: "S0001", name: "诊查费(营养咨询)", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "S0002", name: "诊查费(营养状况评估)", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "S0003", name: "葡萄糖测定", kind: .service, reimbursementClass: .a),
    ]
    static let matcher = CatalogueMatcher(entries: entries)
}

@Suite("Matching: matcher and zones")
struct MatchingMatcherTests {
    let matcher = MatchingFixture.matcher

    @Test func exactReadingIsAuto() {
        let result = matcher.match(MatchQuery(text: "阿 莫 西 林 胶 囊 0.25g*24粒"))
        #expect(result.best?.code == "D0010")
        #expect(result.zone == .auto)
        #expect(result.key == "阿莫西林胶囊")
    }

    @Test func dosageFormPicksTheCrossListedRow() {
        #expect(matcher.match(MatchQuery(text: "克霉唑片")).best?.code == "D0001")
        #expect(matcher.match(MatchQuery(text: "克霉唑软膏")).best?.code == "D0002")
        #expect(matcher.match(MatchQuery(text: "克霉唑阴道片")).best?.code == "D0003")
        #expect(matcher.match(MatchQuery(text: "克霉唑软膏")).zone == .auto)
    }

    @Test func aNameTheEvidenceCannotSeparateGoesToReviewWithTiesByCode() {
        let result = matcher.match(MatchQuery(text: "克霉唑"))
        #expect(result.candidates.prefix(3).map(\.code) == ["D0001", "D0002", "D0003"])
        #expect(result.zone == .review)
        // Deterministic: the same query gives the same result.
        #expect(matcher.match(MatchQuery(text: "克霉唑")) == result)
    }

    @Test func specAgreementDecides() {
        #expect(matcher.match(MatchQuery(text: "艾普拉唑", spec: "10mg")).best?.code == "D0050")
        #expect(matcher.match(MatchQuery(text: "艾普拉唑", spec: "5mg*7片")).best?.code == "D0051")
        #expect(matcher.match(MatchQuery(text: "艾普拉唑 5mg")).best?.code == "D0051")
    }

    @Test func unitPricePlausibilityDecides() {
        #expect(matcher.match(MatchQuery(text: "艾普拉唑", unitPrice: Decimal(string: "60.00"))).best?.code == "D0050")
        #expect(matcher.match(MatchQuery(text: "艾普拉唑", unitPrice: Decimal(string: "4.00"))).best?.code == "D0051")
    }

    @Test func garbledReadingsStillMatch() {
        #expect(matcher.match(MatchQuery(text: "阿莫西材")).best?.code == "D0010")
        #expect(matcher.match(MatchQuery(text: "盐酸二甲双胍缓释片 0.5g")).best?.code == "D0020")
        #expect(matcher.match(MatchQuery(text: "九味羌活颗粒")).best?.code == "D0040")
        #expect(matcher.match(MatchQuery(text: "诊查费（营养咨询）")).best?.code == "S0001")
        #expect(matcher.match(MatchQuery(text: "葡 萄 糖 侧 定")).best?.code == "S0003")
    }

    @Test func zonesFollowTheThresholds() {
        #expect(matcher.match(MatchQuery(text: "诊查费（营养咨询）")).zone == .auto)
        // A dropped character in a four-character name: plausible, not certain.
        #expect(matcher.match(MatchQuery(text: "昔洛韦")).zone == .review)
        #expect(matcher.match(MatchQuery(text: "完全不相干的东西")).zone == .none)
        #expect(matcher.match(MatchQuery(text: "")).zone == .none)
        let strict = CatalogueMatcher(entries: MatchingFixture.entries, thresholds: MatchThresholds(auto: 0.99, autoMargin: 0.03, review: 0.5))
        #expect(strict.match(MatchQuery(text: "阿莫西林胶囊")).zone == .review)
    }

    @Test func thresholdZoneFunction() {
        let t = MatchThresholds()
        #expect(t.zone(top: 0.95, second: 0.5) == .auto)
        #expect(t.zone(top: 0.95, second: 0.94) == .review)
        #expect(t.zone(top: 0.7, second: nil) == .review)
        #expect(t.zone(top: 0.3, second: nil) == .none)
        #expect(t.zone(top: nil, second: nil) == .none)
        #expect(t.zone(top: 0.6, second: 0.6, learned: true) == .auto)
    }

    @Test func topLimitsCandidates() {
        #expect(matcher.match(MatchQuery(text: "克霉唑"), top: 2).candidates.count == 2)
        let scores = matcher.match(MatchQuery(text: "阿莫西林"), top: 5).candidates.map(\.score)
        #expect(scores == scores.sorted(by: >))
    }
}

@Suite("Matching: learned aliases and rejections")
struct MatchingAliasTests {
    @Test func anAcceptedSpellingMatchesAutomatically() {
        let spelling = "昔洛韦注射液"
        let before = CatalogueMatcher(entries: MatchingFixture.entries).match(MatchQuery(text: spelling))
        #expect(before.zone == .review)
        let learned = CatalogueMatcher(
            entries: MatchingFixture.entries, aliases: [LearnedAlias(key: before.key, code: "D0031", decidedOn: "2026-03-14")])
        let after = learned.match(MatchQuery(text: "昔 洛 韦 注 射 液"))
        #expect(after.best?.code == "D0031")
        #expect(after.best?.learned == true)
        #expect(after.zone == .auto)
        // Only that spelling: another reading is scored as before.
        #expect(learned.match(MatchQuery(text: "昔洛韦")).zone == .review)
    }

    @Test func aRejectedEntryNeverAutoMatchesThatSpelling() {
        let spelling = "阿莫西林胶囊"
        let plain = CatalogueMatcher(entries: MatchingFixture.entries).match(MatchQuery(text: spelling))
        #expect(plain.best?.code == "D0010")
        #expect(plain.zone == .auto)
        let matcher = CatalogueMatcher(entries: MatchingFixture.entries, rejections: [MatchRejection(key: spelling, code: "D0010")])
        let result = matcher.match(MatchQuery(text: spelling), top: 10)
        #expect(result.best?.code != "D0010")
        #expect(result.candidates.last?.code == "D0010")
        #expect(result.candidates.last?.rejected == true)
        #expect(result.zone != .auto)
        // An alias for the same pair does not override the rejection.
        let both = CatalogueMatcher(
            entries: MatchingFixture.entries, aliases: [LearnedAlias(key: spelling, code: "D0010", decidedOn: "2026-03-14")],
            rejections: [MatchRejection(key: spelling, code: "D0010")])
        #expect(both.match(MatchQuery(text: spelling)).best?.code != "D0010")
    }

    /// A guard against a build that grows faster than linearly; the release figure for
    /// the real catalogue and for 10,000 entries is printed by scripts/bench-match.
    @Test func indexBuildsForTenThousandEntries() {
        var entries: [CatalogueEntry] = []
        let syllables = Array("阿莫西林克拉维酸钾头孢唑肟曲松硝苯地平氨氯奥美拉唑泮托兰索雷贝他汀辛伐普利沙坦")
        var rng = SystemRandomNumberGenerator()
        for i in 0..<10_000 {
            let length = Int.random(in: 3...9, using: &rng)
            let name = String((0..<length).map { _ in syllables.randomElement(using: &rng) ?? "阿" })
            entries.append(CatalogueEntry(code: String(format: "X%07d", i), name: name + (i % 3 == 0 ? "胶囊" : ""), kind: .drug, reimbursementClass: .a))
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = CatalogueMatcher(entries: entries) }
        // Debug builds on a shared machine are many times slower than release.
        #expect(elapsed < .seconds(20))
    }
}

/// Entries whose names OCR turns into each other (the real service list's nursing
/// levels and antibody tests, two vitamins) were matched in the auto zone to the wrong
/// sibling and paid at its class and cap.
@Suite("Matching: confusable siblings")
struct MatchingConfusableSiblingTests {
    static let matcher = CatalogueMatcher(entries: [
        CatalogueEntry(code: "001201000020000", name: "特级护理", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "001201000030000", name: "Ⅰ级护理", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "001201000040000", name: "Ⅱ级护理", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "001201000050000", name: "Ⅲ级护理", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "002504030010100", name: "甲型肝炎抗体测定(IgG)", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "002504030010200", name: "甲型肝炎抗体测定(IgA)", kind: .service, reimbursementClass: .a),
        CatalogueEntry(code: "D0100", name: "维生素B1", kind: .drug, reimbursementClass: .a, spec: "10mg", unit: "片"),
        CatalogueEntry(code: "D0101", name: "维生素B12", kind: .drug, reimbursementClass: .a, spec: "25μg", unit: "片"),
    ])

    /// A printed Ⅲ read as II names Ⅱ级护理 exactly; a printed Ⅱ read as I names Ⅰ级护理.
    @Test(arguments: ["II级护理", "Ⅱ级护理", "I级护理", "Ⅲ级护理", "甲型肝炎抗体测定(IgA)", "维生素B1片", "维生素B12片"])
    func aNameWithAConfusableSiblingGoesToAPerson(text: String) {
        let result = Self.matcher.match(MatchQuery(text: text))
        #expect(result.zone == .review, "\(text) → \(result.best?.name ?? "-") \(result.zone)")
    }

    @Test func aNameWithoutSiblingsStaysAutomatic() {
        #expect(Self.matcher.match(MatchQuery(text: "特级护理")).zone == .auto)
    }

    /// The spec tells the vitamins apart: the one it names is settled automatically.
    @Test func evidenceBeyondTheNameSettlesASibling() {
        let result = Self.matcher.match(MatchQuery(text: "维生素B1片", spec: "10mg*100片"))
        #expect(result.best?.code == "D0100")
        #expect(result.zone == .auto)
    }
}
