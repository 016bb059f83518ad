import ClaimEyeCore
import Foundation
import Testing

/// A small seeded generator (SplitMix64): the same seed gives the same claims, so a
/// failure can be replayed.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// A decimal of `fen` fen, i.e. `fen / 100` yuan.
    mutating func yuan(upTo fen: Int) -> Decimal { Fen(Int64(below(fen + 1))).yuan }
}

/// Random claims of every shape: all classes, price caps with prices above and below,
/// class-B overrides, refunds, zero lines, missing amounts, held lines, odd quantities.
enum RandomClaims {
    static func line(_ random: inout SeededRandom, index: Int) -> SettlementLine {
        let classes: [ReimbursementClass?] = [.a, .b, .c, nil]
        let entryClass = classes[random.below(classes.count)]
        let quantity: Decimal = random.chance(10)
            ? -Decimal(1 + random.below(3))
            : (random.chance(20) ? Decimal(1 + random.below(40)) / 4 : Decimal(random.below(6)))
        let unitPrice = random.chance(10) ? Decimal(1 + random.below(999)) / 1000 : random.yuan(upTo: 200_000)
        var amount: Decimal? = quantity * unitPrice
        if random.chance(10) { amount = nil }
        if let exact = amount, random.chance(30) { amount = Money.roundToFen(exact) }
        let entry = entryClass.map { reimbursementClass in
            CatalogueEntry(
                code: "R\(index)", name: "r\(index)", kind: .drug, reimbursementClass: reimbursementClass,
                priceCap: random.chance(40) ? random.yuan(upTo: 200_000) : nil,
                selfPayRatio: random.chance(30) ? Decimal(random.below(101)) / 100 : nil)
        }
        let zones: [SettlementLine.Zone] = [.auto, .auto, .auto, .auto, .review, .none]
        return SettlementLine(
            index: index, name: "r\(index)", quantity: quantity, unitPrice: random.chance(90) ? unitPrice : nil,
            amount: amount, entry: entry, zone: zones[random.below(zones.count)])
    }

    static func lines(_ random: inout SeededRandom, count: Int? = nil) -> [SettlementLine] {
        (0..<(count ?? random.below(13))).map { line(&random, index: $0) }
    }

    /// Terms as real policies write them: ratios with two decimals, money in whole yuan.
    static func terms(_ random: inout SeededRandom) -> SettlementTerms {
        SettlementTerms(
            region: "random", periodFrom: "2026-01-01", ratio: Decimal(random.below(101)) / 100,
            deductible: Decimal(random.below(3001)), deductibleBasis: random.chance(50) ? .year : .visit,
            annualFundCap: Decimal(random.below(20_001)), classBSelfPayRatio: Decimal(random.below(101)) / 100,
            priceCapMultiplier: Decimal(80 + random.below(41)) / 100)
    }

    static func yearToDate(_ random: inout SeededRandom) -> YearToDate {
        YearToDate(
            fundPaid: Fen(Int64(random.below(2_000_000))),
            deductibleUsed: [.outpatient: Fen(Int64(random.below(300_000))), .inpatient: Fen(Int64(random.below(300_000)))],
            fundAccrued: Decimal(random.below(2_000_000_000)) / 1000)
    }

    static let context = ClaimContext(
        claimId: "R", insuredId: "P1", insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
        serviceDate: "2026-06-01")
}

@Suite struct SettlementPropertyTests {
    static let claims = 3000

    @Test func splitAlwaysSumsToTheAmountAndTotalsReconcile() {
        var random = SeededRandom(state: 1)
        for _ in 0..<Self.claims {
            let terms = RandomClaims.terms(&random)
            let claim = SettlementClaim(
                context: RandomClaims.context, lines: RandomClaims.lines(&random), yearToDate: RandomClaims.yearToDate(&random))
            let result = SettlementEngine.settle(claim, terms: terms)
            var sum = ClaimSettlement.Totals()
            for line in result.lines {
                #expect(line.fullSelfPay + line.overLimit + line.selfPayFirst + line.policyScope == line.amount)
                if line.held {
                    #expect(line.pending == line.amount && line.fundPay == .zero && line.selfPay == .zero)
                } else {
                    #expect(line.fundPay + line.selfPay == line.amount && line.pending == .zero)
                }
                #expect(!line.reasons.isEmpty)
                // Every part carries the line's sign.
                for part in [line.fullSelfPay, line.overLimit, line.selfPayFirst, line.policyScope] {
                    #expect(line.amount >= .zero ? part >= .zero : part <= .zero)
                }
                sum.amount += line.amount
                sum.policyScope += line.policyScope
                sum.deductible += line.deductible
                sum.fundPay += line.fundPay
                sum.selfPay += line.selfPay
                sum.pending += line.pending
            }
            let totals = result.totals
            #expect(totals.amount == sum.amount && totals.policyScope == sum.policyScope)
            #expect(totals.deductible == sum.deductible && totals.fundPay == sum.fundPay)
            #expect(totals.selfPay == sum.selfPay && totals.pending == sum.pending)
            #expect(totals.amount == totals.fundPay + totals.selfPay + totals.pending)
            #expect(result.status == (result.lines.contains(where: \.held) ? .needsReview : .settled))
        }
    }

    @Test func fundPayStaysWithinScopeDeductibleAndCap() {
        var random = SeededRandom(state: 2)
        for _ in 0..<Self.claims {
            let terms = RandomClaims.terms(&random)
            let before = RandomClaims.yearToDate(&random)
            let claim = SettlementClaim(context: RandomClaims.context, lines: RandomClaims.lines(&random), yearToDate: before)
            let result = SettlementEngine.settle(claim, terms: terms)
            let decidedScope = result.lines.filter { !$0.held }.reduce(Fen.zero) { $0 + $1.policyScope }
            let capLeft = max(.zero, Fen(yuan: terms.annualFundCap) - before.fundPaid)
            let fund = result.totals.fundPay
            #expect(fund >= .zero)
            #expect(fund <= max(.zero, decidedScope - result.totals.deductible))
            #expect(fund <= capLeft)
            #expect(result.totals.deductible >= .zero && result.totals.deductible <= Fen(yuan: terms.deductible))
            #expect(result.totals.pendingFundPay + fund <= capLeft)
            #expect(result.yearToDateAfter.fundPaid == before.fundPaid + fund)
        }
    }

    /// One insured person, one year, one ratio: the order of two claims does not change
    /// what the fund pays in total, nor the deductible used. Exact to the fen because the
    /// fund's pay is rounded on the year's accrued total, whichever claim absorbed the
    /// deductible.
    @Test func orderOfTwoClaimsDoesNotChangeTheTotal() {
        var random = SeededRandom(state: 3)
        for _ in 0..<Self.claims {
            let terms = RandomClaims.terms(&random)
            let start = RandomClaims.yearToDate(&random)
            let first = RandomClaims.lines(&random)
            let second = RandomClaims.lines(&random)
            func run(_ a: [SettlementLine], _ b: [SettlementLine]) -> (Fen, YearToDate) {
                let one = SettlementEngine.settle(
                    SettlementClaim(context: RandomClaims.context, lines: a, yearToDate: start), terms: terms)
                let two = SettlementEngine.settle(
                    SettlementClaim(context: RandomClaims.context, lines: b, yearToDate: one.yearToDateAfter), terms: terms)
                return (one.totals.fundPay + two.totals.fundPay, two.yearToDateAfter)
            }
            let (forward, forwardState) = run(first, second)
            let (backward, backwardState) = run(second, first)
            #expect(forward == backward, "A then B paid \(forward), B then A \(backward)")
            #expect(forwardState == backwardState)
        }
    }

    @Test func allocationAddsUpAndStaysWithinAFenOfTheExactShare() {
        var random = SeededRandom(state: 4)
        for _ in 0..<Self.claims {
            let weights = (0..<(1 + random.below(20))).map { _ in Fen(Int64(random.below(1_000_000))) }
            let total = Fen(Int64(random.below(5_000_000)))
            let shares = Fen.allocate(total, over: weights)
            let sum = weights.reduce(Int64(0)) { $0 + $1.value }
            #expect(shares.count == weights.count)
            if sum == 0 || total == .zero {
                #expect(shares.allSatisfy { $0 == .zero })
                continue
            }
            #expect(shares.reduce(Fen.zero, +) == total)
            for (share, weight) in zip(shares, weights) {
                let exact = Decimal(total.value) * Decimal(weight.value) / Decimal(sum)
                let gap = Decimal(share.value) - exact
                #expect(gap > -1 && gap < 1)
            }
        }
    }

    @Test func sameClaimGivesTheSameBytes() throws {
        var random = SeededRandom(state: 5)
        for _ in 0..<200 {
            let terms = RandomClaims.terms(&random)
            let claim = SettlementClaim(context: RandomClaims.context, lines: RandomClaims.lines(&random))
            #expect(try SettlementEngine.settle(claim, terms: terms).json() == SettlementEngine.settle(claim, terms: terms).json())
        }
    }
}
