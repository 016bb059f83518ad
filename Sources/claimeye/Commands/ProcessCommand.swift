import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyePipeline
import ClaimEyeStore
import Foundation

/// `claimeye process PATH...`: one claim at the window, through every stage.
struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Read, match and settle one claim (its page images) and print each line's result.",
        discussion: """
            The files are the pages of one claim, in the order given (every page of a \
            multi-page TIFF). The claim is committed to the ledger like an inbox claim (the \
            same pages are never settled twice), and OUT/<claim_id>.json and OUT/items.csv are \
            written; the files themselves stay where they are. Prints per line: the name as \
            read → the catalogue entry, the zone, amount, class, fund pay, self-pay and flags, \
            then the claim's totals; --json prints the whole trail. Exit status: 0 settled; \
            3 needs review or failed (the reason on stderr); 64 no policy; 65 malformed \
            configuration, policy or context; 66 a file is missing; 69 OCR unavailable; \
            73 cannot write; 74 ledger error.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "The claim's id (default: the context's claim_id, else the first file's name).")
    var claimId: String?

    @Option(help: "A claim sidecar JSON with the context (insured_id, insurance_type, institution_level, visit_type, service_date, sex, age).")
    var context: String?

    @Argument(help: "The claim's page images.")
    var paths: [String]

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give the claim's page images") }
        if let claimId, claimId.isEmpty || claimId.contains("/") || claimId.hasPrefix(".") {
            throw ValidationError("--claim-id must be usable as a file name")
        }
    }

    func run() throws {
        for path in paths + (context.map { [$0] } ?? []) where !FileManager.default.fileExists(atPath: path) {
            throw PipelineError.inputNotFound(path: path)
        }
        let (settings, ledger, stages) = try pipeline.open(global, command: "process")
        let outputs = OutputWriter(folder: pipeline.out)
        try outputs.prepare()
        let runner = ClaimRunner(
            ledger: ledger, stages: stages, settings: settings, outputs: outputs,
            makeEngine: { [ocr = settings.ocr] in try ocr.engine.make(ocr) })
        let name = claimId ?? ((paths[0] as NSString).lastPathComponent as NSString).deletingPathExtension
        var claim = IntakeClaim(name: name, isFolder: true, pages: paths, sidecar: context, refusal: nil)
        if let context, let claimId {
            // --claim-id wins over the context's claim_id: pass it on as the sidecar's.
            claim.sidecar = try Self.sidecar(context, claimId: claimId)
        }
        defer { if claim.sidecar != context, let copy = claim.sidecar { try? FileManager.default.removeItem(atPath: copy) } }
        let started = ISO8601DateFormatter().string(from: Date())
        runner.runId = try ledger.startRun(command: "process", version: ClaimEye.version, inbox: nil, startedAt: started)
        guard let outcome = try runner.process(claim) else {
            throw PipelineError.internalError("the claim left no outcome")
        }
        try outputs.appendItems(from: ledger)
        let status: ExitStatus = outcome.state == .settled ? .success : .partialFailure
        try ledger.finishRun(
            runner.runId ?? 0, settled: outcome.state == .settled ? 1 : 0, review: outcome.state == .needsReview ? 1 : 0,
            failed: outcome.state == .failed ? 1 : 0, exitCode: status.rawValue,
            endedAt: ISO8601DateFormatter().string(from: Date()))
        FileHandle.standardOutput.write(Data((global.json ? outcome.trail : Self.table(outcome)).utf8))
        if status != .success {
            let why = outcome.reason.map { ": \($0)" } ?? ""
            throw Finished(status: status, summary: "claim \(outcome.claimId) \(outcome.state.rawValue)\(why)")
        }
    }

    /// A temporary copy of the context with `claim_id` replaced.
    static func sidecar(_ path: String, claimId: String) throws -> String {
        let data: Data
        do { data = try FileKind.contents(of: path, following: true) } catch {
            throw ConfigError.invalid(source: path, keyPath: "", message: error.reason)
        }
        guard case var object as [String: Any] = try? JSONSerialization.jsonObject(with: data)
        else { throw ConfigError.invalid(source: path, keyPath: "", message: "not a JSON object") }
        object["claim_id"] = claimId
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("claimeye-context-\(getpid()).json")
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: copy)
        return copy.path
    }

    /// The per-line table for the person at the window.
    static func table(_ outcome: ClaimOutcome) -> String {
        var out = "claim \(outcome.claimId): \(outcome.state.rawValue)\(outcome.reason.map { " — " + $0 } ?? "")\n"
        guard let settlement = outcome.settlement else { return out }
        // The supplementary funds' columns, for a claim whose policy has them.
        let funds = settlement.funds
        let extra = (funds.criticalIllness ? ["critical"] : []) + (funds.assistance ? ["assist"] : [])
        let header = ["#", "read", "catalogue", "zone", "amount", "class", "fund"] + extra + ["self_pay", "flags"]
        var rows = [header]
        for (line, settled) in zip(outcome.lines, settlement.lines) {
            let entry = line.entry.map { "\($0.code) \($0.name)" } ?? "-"
            let flags = (line.item.flags.map(\.rawValue) + outcome.flags.filter { $0.line == settled.index }.map(\.rule))
            rows.append([
                "\(settled.index + 1)", line.item.nameRead, "→ " + entry, settled.zone.rawValue, "\(settled.amount)",
                settled.reimbursementClass?.rawValue ?? "-", settled.held ? "held" : "\(settled.fundPay)",
            ] + funds.cells(settled.criticalIllnessPay, settled.assistancePay, held: settled.held) + [
                settled.held ? "held" : "\(settled.selfPay)", flags.joined(separator: ","),
            ])
        }
        let t = settlement.totals
        rows.append(["", "total", "", "", "\(t.amount)", "", "\(t.fundPay)"] + funds.cells(t.criticalIllnessPay, t.assistancePay, held: false) + ["\(t.selfPay)", ""])
        let money = Set([4] + Array(6..<(header.count - 1)))
        let widths = header.indices.map { column in rows.map { SettlementTable.width($0[column]) }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - SettlementTable.width(cell))
                return money.contains(column) ? pad + cell : cell + pad
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        if t.pending != .zero { out += "pending: \(t.pending) held for review\n" }
        for flag in outcome.flags where flag.line == nil { out += "flag \(flag.rule) (\(flag.severity)): \(flag.message)\n" }
        return out
    }
}
