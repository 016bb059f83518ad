import Foundation
import Testing
@testable import ClaimEyeCore

@Suite("Matching: scoring factors")
struct MatchingScorerTests {
    func key(_ s: String) -> [UInt32] { MatchNormaliser.normalise(s).full }

    @Test func similarityIsOneMinusEditsOverLength() {
        #expect(MatchScorer.similarity(key("阿莫西林"), key("阿莫西林")) == 1)
        #expect(MatchScorer.similarity(key("阿莫西林"), key("阿莫西材")) == 0.75)
        #expect(MatchScorer.similarity(key("阿莫西林"), key("阿莫林")) == 0.75)
        #expect(MatchScorer.levenshtein(key("kitten"), key("sitting")) == 3)
        #expect(MatchScorer.similarity([], []) == 1)
    }

    @Test func coreKeysMeetAcrossFormsAndSalts() {
        let q = MatchNormaliser.normalise("盐酸二甲双胍缓释片")
        let k = MatchNormaliser.normalise("二甲双胍")
        #expect(MatchScorer.similarity(q.full, k.full) < 0.6)
        #expect(MatchScorer.nameSimilarity(query: q, key: k) > 0.96)
        // The full key breaks a core tie: the entry that names the form ranks first.
        let withForm = MatchNormaliser.normalise("二甲双胍缓释片")
        #expect(MatchScorer.nameSimilarity(query: q, key: withForm) > MatchScorer.nameSimilarity(query: q, key: k))
    }

    @Test func formFactor() {
        #expect(MatchScorer.formFactor(query: .oralSolid, entry: .oralSolid) > 0)
        #expect(MatchScorer.formFactor(query: .oralSolid, entry: .ointment) < 0)
        #expect(MatchScorer.formFactor(query: .oralSolid, entry: .sustainedRelease) > MatchScorer.formFactor(query: .oralSolid, entry: .ointment))
        #expect(MatchScorer.formFactor(query: nil, entry: .ointment) == 0)
    }

    @Test func specFactor() {
        let q = MatchNormaliser.strengths(in: "0.25g*24粒")
        #expect(MatchScorer.specFactor(query: q, entry: MatchNormaliser.strengths(in: "250mg/粒")) > 0)
        #expect(MatchScorer.specFactor(query: q, entry: MatchNormaliser.strengths(in: "0.5g/粒")) < 0)
        #expect(MatchScorer.specFactor(query: q, entry: []) == 0)
    }

    @Test func priceFactor() {
        let cap = Decimal(string: "10.00")
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "9.80"), cap: cap) > 0)
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "10.40"), cap: cap) > 0)
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "12.00"), cap: cap) == 0)
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "25.00"), cap: cap) < 0)
        #expect(MatchScorer.priceFactor(unitPrice: 40, cap: cap) < MatchScorer.priceFactor(unitPrice: 25, cap: cap))
        #expect(MatchScorer.priceFactor(unitPrice: 40, cap: nil) == 0)
        // Far under the cap is another pack or strength.
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "1.50"), cap: cap) < 0)
        #expect(MatchScorer.priceFactor(unitPrice: Decimal(string: "3.00"), cap: cap) == 0)
    }

    @Test func kindFactor() {
        #expect(MatchScorer.kindFactor(queryLooksLikeDrug: true, entry: .service) < 0)
        #expect(MatchScorer.kindFactor(queryLooksLikeDrug: true, entry: .drug) == 0)
        #expect(MatchScorer.kindFactor(queryLooksLikeDrug: false, entry: .service) == 0)
    }

    @Test func scoreStaysInRange() {
        #expect(MatchScorer.combine(name: 1, form: 0.02, spec: 0.02, price: 0.01) == 1)
        #expect(MatchScorer.combine(name: 1, form: 0, spec: 0, price: 0) == 0.95)
        #expect(MatchScorer.combine(name: 0, form: -0.03, spec: -0.04, price: -0.06) == 0)
    }
}

@Suite("Matching: bit-parallel edit distance")
struct MatchingEditPatternTests {
    @Test func agreesWithTheTableOnRandomKeys() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt32] = Array("阿莫西林克拉唑酸钠注射液片胶囊ab12".unicodeScalars.map(\.value))
        for _ in 0..<2000 {
            let a = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0x61 }
            let b = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0x61 }
            #expect(EditPattern(a).distance(to: b) == MatchScorer.levenshtein(a, b), "\(a) \(b)")
        }
    }

    @Test func longPatternsFallBackToTheTable() {
        let long = [UInt32](repeating: 0x963F, count: 70)
        var other = long
        other[3] = 0x83AB
        other.removeLast()
        #expect(EditPattern(long).distance(to: other) == 2)
        #expect(EditPattern(Array(long.prefix(64))).distance(to: Array(other.prefix(64))) == MatchScorer.levenshtein(Array(long.prefix(64)), Array(other.prefix(64))))
    }
}
