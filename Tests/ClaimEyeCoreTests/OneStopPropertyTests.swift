import Foundation
import Testing
@testable import ClaimEyeCore

/// One-stop settlement on random claims: the basic fund, the critical-illness insurance
/// and the medical assistance together with the patient's part always make the amount;
/// no fund pays past its yearly cap; and a year's claims settled in any order give the
/// same totals per fund.
@Suite struct OneStopPropertyTests {
    static let claims = 2000

    static func terms(_ random: inout SeededRandom) -> SettlementTerms {
        var terms = RandomClaims.terms(&random)
        let threshold = Decimal(random.below(3001))
        let split = Decimal(1 + random.below(5000))
        terms.criticalIllness = CriticalIllnessRules(
            threshold: threshold,
            tiers: [
                .init(from: 0, to: split, ratio: Decimal(random.below(101)) / 100),
                .init(from: split, to: nil, ratio: Decimal(random.below(101)) / 100),
            ],
            annualCap: threshold + Decimal(random.below(8001)), insuranceTypes: [.employee, .resident])
        let aidThreshold = Decimal(random.below(1001))
        terms.assistance = AssistanceRules(
            ratio: Decimal(random.below(101)) / 100, threshold: aidThreshold, annualCap: aidThreshold + Decimal(random.below(3001)),
            outOfScopeShare: Decimal(random.below(101)) / 100)
        terms.assistanceCategory = "random"
        return terms
    }

    static func yearToDate(_ random: inout SeededRandom) -> YearToDate {
        var state = RandomClaims.yearToDate(&random)
        state.criticalIllnessBase = Decimal(random.below(1_000_000)) / 100
        state.criticalIllnessPaid = Fen(Int64(random.below(200_000)))
        state.criticalIllnessAccrued = state.criticalIllnessPaid.yuan
        state.assistanceBase = Decimal(random.below(500_000)) / 100
        state.assistancePaid = Fen(Int64(random.below(100_000)))
        state.assistanceAccrued = state.assistancePaid.yuan
        return state
    }

    @Test func theFundsAndThePatientAlwaysMakeTheAmount() {
        var random = SeededRandom(state: 21)
        var paidByBoth = 0
        for _ in 0..<Self.claims {
            let terms = Self.terms(&random)
            let claim = SettlementClaim(context: RandomClaims.context, lines: RandomClaims.lines(&random), yearToDate: Self.yearToDate(&random))
            let result = SettlementEngine.settle(claim, terms: terms)
            var sum = ClaimSettlement.Totals()
            for line in result.lines {
                if line.held {
                    #expect(line.criticalIllnessPay == .zero && line.assistancePay == .zero && line.selfPay == .zero)
                } else {
                    #expect(line.fundPay + line.criticalIllnessPay + line.assistancePay + line.selfPay == line.amount)
                }
                #expect(line.criticalIllnessPay >= .zero && line.assistancePay >= .zero)
                sum.criticalIllnessPay += line.criticalIllnessPay
                sum.assistancePay += line.assistancePay
            }
            let t = result.totals
            #expect(t.criticalIllnessPay == sum.criticalIllnessPay && t.assistancePay == sum.assistancePay)
            #expect(t.amount == t.fundPay + t.criticalIllnessPay + t.assistancePay + t.selfPay + t.pending)
            if t.criticalIllnessPay > .zero && t.assistancePay > .zero { paidByBoth += 1 }
        }
        // The random claims reach both supplementary funds often enough to test them.
        #expect(paidByBoth > Self.claims / 20, "\(paidByBoth) claims paid by both funds")
    }

    @Test func noFundPaysPastItsYearlyCap() throws {
        var random = SeededRandom(state: 22)
        for _ in 0..<Self.claims {
            let terms = Self.terms(&random)
            let before = Self.yearToDate(&random)
            let result = SettlementEngine.settle(
                SettlementClaim(context: RandomClaims.context, lines: RandomClaims.lines(&random), yearToDate: before), terms: terms)
            let after = result.yearToDateAfter
            let ci = try #require(terms.criticalIllness), aid = try #require(terms.assistance)
            #expect(result.totals.criticalIllnessPay <= max(.zero, Fen(yuan: ci.annualCap) - before.criticalIllnessPaid))
            #expect(result.totals.assistancePay <= max(.zero, Fen(yuan: aid.annualCap) - before.assistancePaid))
            #expect(after.criticalIllnessPaid == before.criticalIllnessPaid + result.totals.criticalIllnessPay)
            #expect(after.assistancePaid == before.assistancePaid + result.totals.assistancePay)
            #expect(result.totals.fundPay <= max(.zero, Fen(yuan: terms.annualFundCap) - before.fundPaid))
        }
    }

    /// Four claims of one person and year, settled in two random orders from the same
    /// start: each fund's year total and the state after the last claim agree to the fen.
    @Test func aYearsClaimsInAnyOrderGiveTheSameTotalsPerFund() {
        var random = SeededRandom(state: 23)
        for _ in 0..<(Self.claims / 2) {
            let terms = Self.terms(&random)
            var start = Self.yearToDate(&random)
            // Each fund starts from a state it could have reached: accrued and paid agree.
            start.fundAccrued = start.fundPaid.yuan
            let claims = (0..<4).map { _ in RandomClaims.lines(&random) }
            func run(_ order: [Int]) -> (basic: Fen, critical: Fen, assistance: Fen, state: YearToDate) {
                var state = start
                var totals = (Fen.zero, Fen.zero, Fen.zero)
                for index in order {
                    let result = SettlementEngine.settle(
                        SettlementClaim(context: RandomClaims.context, lines: claims[index], yearToDate: state), terms: terms)
                    totals.0 += result.totals.fundPay
                    totals.1 += result.totals.criticalIllnessPay
                    totals.2 += result.totals.assistancePay
                    state = result.yearToDateAfter
                }
                return (totals.0, totals.1, totals.2, state)
            }
            var shuffled = [0, 1, 2, 3]
            for i in stride(from: 3, to: 0, by: -1) { shuffled.swapAt(i, random.below(i + 1)) }
            let a = run([0, 1, 2, 3]), b = run(shuffled)
            #expect(a.basic == b.basic && a.critical == b.critical && a.assistance == b.assistance,
                    "in order \(a.basic)/\(a.critical)/\(a.assistance), shuffled \(shuffled) \(b.basic)/\(b.critical)/\(b.assistance)")
            #expect(a.state.criticalIllnessBase == b.state.criticalIllnessBase && a.state.assistanceBase == b.state.assistanceBase)
        }
    }
}
