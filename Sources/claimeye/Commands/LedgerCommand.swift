import ArgumentParser
import ClaimEyeStore
import Foundation

/// `claimeye ledger init|check`: making a ledger on purpose, and checking one.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Create a ledger, or check one for damage.",
        discussion: """
            Every run that writes (process, ingest, watch, catalogue import, review accept \
            and reject) checks the ledger first and refuses a damaged one with exit 74. A \
            ledger file that exists with zero bytes is refused too: `ledger init` is how a \
            new ledger is made in its place.
            """,
        subcommands: [Init.self, Check.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the ledger (absent, or an empty file) with its schema; a ledger with data is left alone.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let path = global.ledgerPath
            var info = stat()
            let existed = stat(path, &info) == 0 && info.st_size > 0
            // The check is skipped for an absent or empty file (Ledger.init).
            let ledger = try Ledger(path: path, checkIntegrity: true, initialise: true)
            let migrations = try ledger.appliedMigrations().count
            print(existed ? "\(path): already a ledger (\(migrations) migrations); left as it was" : "\(path): a new ledger (\(migrations) migrations)")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run SQLite's integrity check over the whole ledger (tables and indexes); exit 74 when damaged.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let path = global.ledgerPath
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.cannotOpen(path: path, message: "no such file") }
            let findings = try Ledger.integrityFindings(path: path, pragma: "integrity_check(100)")
            guard findings == ["ok"] else { throw StoreError.damaged(path: path, findings: findings) }
            print("\(path): ok")
        }
    }
}
