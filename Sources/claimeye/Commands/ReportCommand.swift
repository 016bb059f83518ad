import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// `claimeye report`: the fund's figures from the ledger, grouped.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Claims, amounts, fund pay, self-pay and flags from the ledger, grouped.",
        discussion: """
            Counts the settled and held claims of the ledger whose service date lies in \
            --from … --to (inclusive, YYYY-MM-DD), grouped by fee category, class (甲/乙/丙 \
            or out of catalogue), institution or month, with a total row. --format table \
            (aligned text), csv, or html (one self-contained page with SVG bar charts). \
            Exit status: 0; 64 bad arguments; 74 ledger error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, html }

    @OptionGroup var global: GlobalOptions

    @Option(help: "First service date counted (YYYY-MM-DD).")
    var from: String?

    @Option(help: "Last service date counted (YYYY-MM-DD).")
    var to: String?

    @Option(help: "Group by: category, class, institution, month, or fund (who paid: the basic fund, critical-illness insurance, medical assistance, the patient).")
    var by: FundReport.Grouping = .category

    @Option(help: "Output format: table, csv or html.")
    var format: Format = .table

    func validate() throws {
        for (name, date) in [("--from", from), ("--to", to)] {
            if let date, !ISODate.isValid(date) { throw ValidationError("\(name) takes a date written YYYY-MM-DD, found \(date)") }
        }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() throws {
        guard global.ledgerIsPostgres || FileManager.default.fileExists(atPath: global.ledgerPath) else {
            throw StoreError.cannotOpen(path: global.ledgerPath, message: "no such ledger")
        }
        let ledger = try global.openLedger()
        let report = FundReport.build(try ledger.reportClaims(from: from, to: to), from: from, to: to, by: by)
        let text: String
        switch format {
        case .table: text = report.table()
        case .csv: text = report.csv()
        case .html: text = report.html()
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

extension FundReport.Grouping: ExpressibleByArgument {}
