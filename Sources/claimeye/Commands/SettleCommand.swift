import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// `claimeye settle CLAIM.json`: settles already-parsed line items under a regional
/// policy and prints each line's split, fund pay and self-pay.
struct SettleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Settle already-parsed line items under a regional policy.",
        discussion: """
            CLAIM.json holds the claim context and its items:
              {"claim_id": "C1", "insurance_type": "employee", "institution_level": 2,
               "visit_type": "outpatient", "service_date": "2026-03-14",
               "policy": "../policies/east-sample.toml",
               "year_to_date": {"fund_paid": "0.00", "deductible_used": {"outpatient": "0.00"}},
               "items": [{"name": "阿莫西林胶囊", "quantity": 2, "unit_price": "12.50",
                          "amount": "25.00", "class": "乙", "price_cap": "11.00",
                          "self_pay_ratio": "0.20", "zone": "auto"}]}
            The context may also sit in a "claim" object; the items may be "documents" as \
            `claimeye parse --json` prints them, or come from --items PARSED.json (the \
            claim file then needs only the context; a claim sidecar works). Numbers may be JSON numbers or \
            strings; a field may be a parser reading {"value": …}. An item's catalogue match \
            is its "class" (甲/乙/丙 or A/B/C), "price_cap" and "self_pay_ratio", or an \
            "entry" object with those keys; "zone" is auto, review or none (default: auto \
            with a class, none without). "year_to_date" is what the insured person's \
            earlier claims this year used (fund pay towards the annual cap, deductible by \
            visit type). --policy overrides the claim's "policy" (relative to the claim \
            file). Money in --json output is a string with two decimals.
            With --db (or $CLAIMEYE_DB), a claim without "year_to_date" takes it from the \
            insured person's settled claims of the same year in the ledger, and a settled \
            claim is recorded there for the next ones (--no-record leaves the ledger as it is).
            Exit status: 0 settled; 3 needs review (lines held, nothing paid for them); \
            64 no policy named; 65 malformed claim or policy, or a claim the policy does not \
            cover; 66 a file is missing; 74 ledger error.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The region's policy file (TOML); default: the claim's \"policy\" field.")
    var policy: String?

    @Option(help: "Line items from `claimeye parse --json` (or any item array), replacing the claim's own.")
    var items: String?

    @Flag(help: "With a ledger, read the year-to-date state but do not record this settlement.")
    var noRecord = false

    @Argument(help: "The claim JSON.")
    var claim: String

    func run() throws {
        let claimURL = URL(fileURLWithPath: claim)
        let input = try ClaimInput.decode(
            try Self.read(claimURL), source: claim, defaultClaimId: claimURL.deletingPathExtension().lastPathComponent,
            itemsElsewhere: items != nil)
        let policyPath: String
        if let policy {
            policyPath = policy
        } else if let relative = input.policy {
            policyPath = relative.hasPrefix("/")
                ? relative : claimURL.deletingLastPathComponent().appendingPathComponent(relative).standardized.path
        } else {
            throw SettlementError.noPolicy
        }
        let text = String(decoding: try Self.read(URL(fileURLWithPath: policyPath)), as: UTF8.self)
        let regional = try Policy.parse(toml: text, source: policyPath)
        var claimToSettle = input.claim
        if let items {
            claimToSettle.lines = try ClaimInput.parsedItems(try Self.read(URL(fileURLWithPath: items)), source: items)
        }
        let ledger = try openLedger()
        let person = claimToSettle.context.personYear
        if let ledger, let person, !input.hasYearToDate {
            claimToSettle.yearToDate = try ledger.yearToDate(
                insuredId: person.insuredId, year: person.year, excluding: claimToSettle.context.claimId)
        }
        let settlement = try SettlementEngine.settle(claimToSettle, policy: regional)
        if let ledger, let person, !noRecord, settlement.status == .settled {
            try ledger.recordSettlement(
                settlement, insuredId: person.insuredId, year: person.year,
                settledAt: ISO8601DateFormatter().string(from: Date()))
        }
        let output = global.json ? try settlement.json() : SettlementTable.render(settlement)
        FileHandle.standardOutput.write(Data(output.utf8))
        if settlement.status == .needsReview {
            let held = settlement.lines.filter(\.held).count
            throw Finished(
                status: .partialFailure,
                summary: global.quiet ? nil : "claim \(settlement.claimId) needs review: \(held) line(s) held")
        }
    }

    /// The ledger, only when one is named: settling a JSON file must not leave a
    /// ledger behind in the current folder.
    private func openLedger() throws -> (any LedgerStore)? {
        guard global.db != nil || ProcessInfo.processInfo.environment["CLAIMEYE_DB"] != nil else { return nil }
        return try global.openLedger(checkIntegrity: !noRecord)
    }

    static func read(_ url: URL) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SettlementError.fileNotFound(path: url.path)
        }
        return data
    }
}

extension SupplementaryFunds {
    /// The supplementary funds' cells of a table row: one for each fund the claim has,
    /// `held` for a line that waits for a person.
    func cells(_ criticalIllnessPay: Fen, _ assistancePay: Fen, held: Bool) -> [String] {
        (criticalIllness ? [held ? "held" : "\(criticalIllnessPay)"] : []) + (assistance ? [held ? "held" : "\(assistancePay)"] : [])
    }
}

/// The per-line table of a settlement, for a person at the window.
enum SettlementTable {
    static func render(_ settlement: ClaimSettlement) -> String {
        let terms = settlement.terms
        var out = "claim \(settlement.claimId): \(settlement.status.rawValue) — \(terms.region) from \(terms.periodFrom), "
        out += "\(settlement.context.insuranceType.rawValue) level \(settlement.context.institutionLevel) "
        out += "\(settlement.context.visitType.rawValue): ratio \(terms.ratio), deductible \(Fen(yuan: terms.deductible)) "
        out += "per \(terms.deductibleBasis.rawValue), annual cap \(Fen(yuan: terms.annualFundCap))\n"
        let funds = settlement.funds
        var header = ["#", "name", "class", "amount", "full_self", "over_cap", "self_first", "scope", "deduct", "fund"]
        // The supplementary funds' columns, for a claim whose policy has them.
        if funds.criticalIllness { header.append("critical") }
        if funds.assistance { header.append("assist") }
        header += ["self_pay", "reasons"]
        var rows = [header]
        for line in settlement.lines {
            rows.append([
                "\(line.index + 1)", line.name, line.reimbursementClass?.rawValue ?? "-",
                "\(line.amount)", "\(line.fullSelfPay)", "\(line.overLimit)", "\(line.selfPayFirst)",
                "\(line.policyScope)", "\(line.deductible)", line.held ? "held" : "\(line.fundPay)",
            ] + funds.cells(line.criticalIllnessPay, line.assistancePay, held: line.held) + [
                line.held ? "held" : "\(line.selfPay)", line.reasons.map(\.rawValue).joined(separator: ","),
            ])
        }
        let t = settlement.totals
        rows.append([
            "", "total", "", "\(t.amount)", "\(t.fullSelfPay)", "\(t.overLimit)", "\(t.selfPayFirst)",
            "\(t.policyScope)", "\(t.deductible)", "\(t.fundPay)",
        ] + funds.cells(t.criticalIllnessPay, t.assistancePay, held: false) + [
            "\(t.selfPay)",
            [settlement.annualCapReached ? "ANNUAL_CAP_REACHED" : "", settlement.criticalIllnessCapReached ? "CRITICAL_ILLNESS_CAP_REACHED" : "",
             settlement.assistanceCapReached ? "ASSISTANCE_CAP_REACHED" : ""].filter { !$0.isEmpty }.joined(separator: ","),
        ])
        let money = 3..<(header.count - 1)
        let widths = header.indices.map { column in rows.map { width($0[column]) }.max() ?? 0 }
        for row in rows {
            var cells: [String] = []
            for (column, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - width(cell))
                // Money right-aligned, text left-aligned.
                cells.append(money.contains(column) ? pad + cell : cell + pad)
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        if t.pending != .zero || settlement.status == .needsReview {
            out += "pending: \(t.pending) held for review; the fund would pay \(t.pendingFundPay) more once they are accepted as proposed\n"
        }
        let after = settlement.yearToDateAfter
        out += "year to date after this claim: fund paid \(after.fundPaid), deductible used \(after.deductibleUsed(settlement.context.visitType)) (\(settlement.context.visitType.rawValue))"
        if funds.criticalIllness { out += "; critical illness paid \(after.criticalIllnessPaid) on a base of \(Fen(yuan: after.criticalIllnessBase))" }
        if funds.assistance { out += "; assistance paid \(after.assistancePaid) on a base of \(Fen(yuan: after.assistanceBase))" }
        out += "\n"
        return out
    }

    /// Display width: CJK and full-width characters take two columns.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, scalar in
            let wide = (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
                || (0xFFE0...0xFFE6).contains(scalar.value)
            return sum + (wide ? 2 : 1)
        }
    }
}
