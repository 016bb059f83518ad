import ArgumentParser
import ClaimEyeCore
import Dispatch
import Foundation

/// `claimeye bench-settle` (hidden): settles generated claims and reports the time,
/// for `scripts/bench-settle`. Generation is outside the timed part; each run settles
/// every claim and adds up the fund pay, so the work cannot be skipped.
struct SettleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-settle",
        abstract: "Time the settlement of generated lines.",
        shouldDisplay: false
    )

    @Option(help: "Lines to settle per run.")
    var lines: Int = 100_000

    @Option(help: "Lines per claim.")
    var perClaim: Int = 20

    @Option(help: "Timed runs; the median is reported.")
    var runs: Int = 5

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 7

    @Flag(help: "The basic fund alone, without the critical-illness insurance and the medical assistance.")
    var basicOnly = false

    func validate() throws {
        guard lines > 0, perClaim > 0, runs > 0 else { throw ValidationError("--lines, --per-claim and --runs must be positive") }
    }

    func run() throws {
        var terms = SettlementTerms(
            region: "bench", periodFrom: "2026-01-01", ratio: Decimal(85) / 100, deductible: 1800,
            deductibleBasis: .year, annualFundCap: 400_000, classBSelfPayRatio: Decimal(1) / 10,
            priceCapMultiplier: Decimal(11) / 10)
        if !basicOnly {
            // The east one-stop sample's numbers: both supplementary funds on every claim.
            terms.criticalIllness = CriticalIllnessRules(
                threshold: 15000, tiers: [.init(from: 0, to: 100_000, ratio: Decimal(6) / 10), .init(from: 100_000, to: nil, ratio: Decimal(7) / 10)],
                annualCap: 400_000, insuranceTypes: [.employee, .resident])
            terms.assistance = AssistanceRules(ratio: Decimal(7) / 10, threshold: 0, annualCap: 50000, outOfScopeShare: Decimal(1) / 2)
            terms.assistanceCategory = "dibao"
        }
        let claims = Self.generate(lines: lines, perClaim: perClaim, seed: seed)
        var seconds: [Double] = []
        var checksum = Fen.zero
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            var fund = Fen.zero
            for claim in claims {
                let totals = SettlementEngine.settle(claim, terms: terms).totals
                fund += totals.fundPay + totals.criticalIllnessPay + totals.assistancePay
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            checksum = fund
        }
        let sorted = seconds.sorted()
        let median = sorted[sorted.count / 2]
        let runText = seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")
        let funds = basicOnly ? "the basic fund" : "the basic fund, critical-illness insurance and medical assistance"
        print("settled \(lines) lines in \(claims.count) claims under \(funds), \(runs) runs: \(runText) s")
        print(String(format: "median %.3f s, %.0f lines/s (the funds' pay, checksum %@)", median, Double(lines) / median, checksum.description))
    }

    /// Claims of `perClaim` lines with every class, price caps, class-B overrides,
    /// refunds and held lines, from a SplitMix64 sequence.
    static func generate(lines: Int, perClaim: Int, seed: UInt64) -> [SettlementClaim] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var claims: [SettlementClaim] = []
        var made = 0
        while made < lines {
            let count = min(perClaim, lines - made)
            var items: [SettlementLine] = []
            for index in 0..<count {
                let quantity = Decimal(next(10) == 0 ? -1 : 1 + next(5))
                let price = Fen(Int64(1 + next(50_000))).yuan
                let classes: [ReimbursementClass?] = [.a, .a, .b, .b, .c, nil]
                let entry = classes[next(classes.count)].map { reimbursementClass in
                    CatalogueEntry(
                        code: "X\(index)", name: "item \(index)", kind: .drug, reimbursementClass: reimbursementClass,
                        priceCap: next(3) == 0 ? price * 8 / 10 : nil,
                        selfPayRatio: next(4) == 0 ? Decimal(2) / 10 : nil)
                }
                let zone: SettlementLine.Zone = entry == nil ? .none : (next(50) == 0 ? .review : .auto)
                items.append(SettlementLine(
                    index: index, name: "item \(index)", quantity: quantity, unitPrice: price,
                    amount: quantity * price, entry: entry, zone: zone))
            }
            let context = ClaimContext(
                claimId: "B\(claims.count)", insuranceType: .employee, institutionLevel: 2, visitType: .outpatient,
                serviceDate: "2026-03-14")
            var ytd = YearToDate(fundPaid: Fen(Int64(next(40_000_000))), deductibleUsed: [.outpatient: Fen(Int64(next(200_000)))])
            // Half the people are past the critical-illness threshold already.
            ytd.criticalIllnessBase = Decimal(next(3_000_000)) / 100
            ytd.assistanceBase = Decimal(next(1_000_000)) / 100
            claims.append(SettlementClaim(context: context, lines: items, yearToDate: ytd))
            made += count
        }
        return claims
    }
}
