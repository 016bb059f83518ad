import Foundation
import Testing
@testable import ClaimEyeCore

/// `SETTLEMENT_DIFFERS`: the hospital's own settlement printed on an invoice against
/// claimeye's, payer by payer, beyond a tolerance.
@Suite struct SettlementCrossCheckTests {
    static func input(_ payments: [(PaymentKind, String, String)], settled: SettledFigures) -> AuditInput {
        var document = ParsedDocument(
            source: "invoice.png", pages: 1, metadata: DocumentMetadata(), items: [], subtotals: [], flags: [], reason: nil)
        document.metadata.payments = payments.map { kind, label, amount in
            PaymentField(kind: kind, label: label, amount: Read(Decimal(string: amount)!, confidence: 0.99, box: nil))
        }
        var input = AuditInput(
            context: ClaimContext(claimId: "X1", insuranceType: .resident, institutionLevel: 2, visitType: .inpatient),
            document: document, matches: [])
        input.settled = settled
        return input
    }

    static let ours = SettledFigures(fund: Fen(yuan: 8500), criticalIllness: Fen(yuan: 1020), assistance: Fen(yuan: 476), patient: Fen(yuan: 204))

    @Test func eachPrintedPayerBeyondTheToleranceIsFlaggedWithBothFigures() {
        let input = Self.input(
            [(.fund, "医保统筹基金支付", "8500.00"), (.criticalIllness, "大病保险报销", "1000.00"),
             (.assistance, "医疗救助", "476.50"), (.cash, "个人现金支付", "223.50")],
            settled: Self.ours)
        let findings = AuditRules.settlementDiffers(input, tolerance: 1)
        #expect(findings.map { $0.evidence["payer"] } == ["the critical-illness insurance", "the patient"])
        #expect(findings.first?.message.contains("大病保险报销 1000.00") == true && findings.first?.message.contains("claimeye settles 1020.00") == true)
        #expect(findings.last?.evidence["printed"] == "223.50" && findings.last?.evidence["settled"] == "204.00")
        // Within a tolerance of 20 yuan, nothing.
        #expect(AuditRules.settlementDiffers(input, tolerance: 20).isEmpty)
    }

    @Test func anInvoicePaidInFullByThePatientOrAClaimStillHeldIsNotCompared() {
        let paidInFull = Self.input([(.fund, "医保统筹基金支付", "0.00"), (.cash, "个人现金支付", "10200.00")], settled: Self.ours)
        #expect(AuditRules.settlementDiffers(paidInFull, tolerance: 1).isEmpty)
        var held = Self.ours
        held.pending = Fen(yuan: 50)
        let pending = Self.input([(.fund, "医保统筹基金支付", "100.00")], settled: held)
        #expect(AuditRules.settlementDiffers(pending, tolerance: 1).isEmpty)
        // Through the rules' entry point, with its default warn severity.
        let flags = AuditRules.check(Self.input([(.fund, "统筹基金支付", "9000.00")], settled: Self.ours))
        #expect(flags.contains { $0.rule == .settlementDiffers && $0.severity == .warn })
    }
}
