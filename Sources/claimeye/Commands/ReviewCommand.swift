import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// `claimeye review list|show|accept|reject`: the queue of review-zone lines.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The review queue: list, show, accept or reject review-zone lines.",
        discussion: """
            Accepting stores a dated alias (this OCR spelling is this entry), so the same \
            spelling matches in the auto zone from then on. Rejecting records that the \
            spelling must never auto-match that entry again.
            """,
        subcommands: [List.self, Show.self, Accept.self, Reject.self]
    )

    /// Today's date (UTC), the date a decision is recorded under.
    static func today(_ now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Review items, oldest first (open ones unless --all).")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Include decided items.")
        var all = false

        func run() throws {
            let items = try global.openLedger().reviewItems(status: all ? nil : "open", limit: 1000)
            for item in items {
                if global.json {
                    print(try CommandJSON.line(item))
                } else {
                    let best = item.candidates.first.map { String(format: "%.4f ", $0.score) + "\($0.code) \($0.name)" } ?? "(no candidate)"
                    print("\(item.id)\t\(item.status)\t\(item.queryText)\t→ \(best)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One review item with its candidates.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The item's id.")
        var id: Int64

        func run() throws {
            let item = try global.openLedger().reviewItem(id)
            if global.json {
                print(try CommandJSON.line(item))
                return
            }
            print("item \(item.id) (\(item.status), queued \(item.createdOn))")
            print("read:  \(item.queryText)   key: \(item.key)")
            if let spec = item.spec { print("spec:  \(spec)") }
            if let price = item.unitPrice { print("price: \(price)") }
            if let claim = item.claimID { print("claim: \(claim) line \(item.line.map(String.init) ?? "-")") }
            for (rank, c) in item.candidates.enumerated() {
                print(String(format: "  %d. %.4f  ", rank + 1, c.score) + "\(c.code)  \(c.name)")
            }
            if let code = item.decidedCode { print("decided: \(item.status) \(code) on \(item.decidedOn ?? "-")") }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept an item as an entry (default: its top candidate); stores a dated alias.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var decision: DecisionArguments

        func run() throws {
            let chosen = try global.openLedger(checkIntegrity: true).decideReview(decision.id, code: decision.code, accept: true, on: decision.day)
            print("accepted item \(decision.id) as \(chosen); the same spelling now matches it automatically")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject an entry for an item's spelling (default: its top candidate).")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var decision: DecisionArguments

        func run() throws {
            let chosen = try global.openLedger(checkIntegrity: true).decideReview(decision.id, code: decision.code, accept: false, on: decision.day)
            print("rejected \(chosen) for item \(decision.id); that spelling will never auto-match it again")
        }
    }
}

/// What `review accept` and `review reject` take: the item, and optionally the entry and
/// the decision's date.
struct DecisionArguments: ParsableArguments {
    @Option(help: "The entry's code, when not the top candidate.")
    var code: String?

    @Option(help: ArgumentHelp("The decision's date (YYYY-MM-DD), default today.", visibility: .hidden))
    var on: String?

    @Argument(help: "The item's id.")
    var id: Int64

    /// The decision's date: --on, or today.
    var day: String { on ?? ReviewCommand.today() }
}
