import ArgumentParser
import ClaimEyeCore
import ClaimEyePostgres
import ClaimEyeStore
import Foundation
import Synchronization

/// `claimeye ledger init|check|migrate|status`: making a ledger on purpose, checking
/// one, bringing its schema up to date, and what a fleet of workers is doing.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Create a ledger, check one for damage, migrate its schema, or show what the workers sharing it are doing.",
        discussion: """
            Every run that writes (process, ingest, watch, catalogue import, review accept \
            and reject) checks the ledger first and refuses a damaged one with exit 74. A \
            ledger file that exists with zero bytes is refused too: `ledger init` is how a \
            new ledger is made in its place. `ledger migrate` and `ledger status` serve \
            both kinds of ledger; a PostgreSQL ledger (--db postgresql://…) is shared by \
            workers on several hosts.
            """,
        subcommands: [Init.self, Check.self, Migrate.self, Status.self, Bench.self]
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
            guard !global.ledgerIsPostgres else {
                throw ValidationError("ledger check reads a SQLite file; a PostgreSQL server checks its own pages (amcheck)")
            }
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.cannotOpen(path: path, message: "no such file") }
            let findings = try Ledger.integrityFindings(path: path, pragma: "integrity_check(100)")
            guard findings == ["ok"] else { throw StoreError.damaged(path: path, findings: findings) }
            print("\(path): ok")
        }
    }
}

extension LedgerCommand {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the ledger's schema up to date (every run also does it first); prints the migrations applied.",
            discussion: """
                On PostgreSQL the migrations run in one transaction under an advisory lock: \
                workers starting together wait for one another, and a failed migration \
                leaves the schema as it was.
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let before: [String]
            let after: [String]
            if global.ledgerIsPostgres {
                let ledger = try PostgresLedger(address: PostgresAddress(global.ledgerPath), migrate: false)
                before = (try? ledger.appliedMigrations()) ?? []
                try ledger.migrate()
                after = try ledger.appliedMigrations()
            } else {
                let path = global.ledgerPath
                guard FileManager.default.fileExists(atPath: path) else {
                    throw StoreError.cannotOpen(path: path, message: "no such ledger; `claimeye ledger init` makes one")
                }
                before = try Ledger.migrationsApplied(path: path)
                after = try Ledger(path: path, checkIntegrity: true).appliedMigrations()
            }
            let applied = after.filter { !before.contains($0) }
            let location = global.ledgerIsPostgres ? try PostgresAddress(global.ledgerPath).redacted : global.ledgerPath
            print(applied.isEmpty
                ? "\(location): up to date (\(after.count) migrations)"
                : "\(location): applied \(applied.joined(separator: ", ")) (\(after.count) migrations)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claims by state, the shared inbox's work (waiting, leased, done), leases held and by whom, the oldest lease, and claims per minute per worker.",
            discussion: """
                The rates count the claims each worker committed in the last --window \
                seconds. A lease that has run out is shown as waiting: its claim is taken \
                again by the next worker that looks. On a SQLite ledger only the claims \
                by state are shown.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "Seconds over which claims per minute are counted (default 300).")
        var window = 300

        func validate() throws {
            guard window >= 1 else { throw ValidationError("--window takes at least 1 second") }
        }

        func run() throws {
            let status: LedgerStatus
            if global.ledgerIsPostgres {
                status = try PostgresLedger(address: PostgresAddress(global.ledgerPath)).status(window: window)
            } else {
                guard FileManager.default.fileExists(atPath: global.ledgerPath) else {
                    throw StoreError.cannotOpen(path: global.ledgerPath, message: "no such ledger")
                }
                status = try Ledger(path: global.ledgerPath).status(window: window)
            }
            if global.json {
                print(try CommandJSON.line(status))
                return
            }
            print("claims: " + (status.claims.isEmpty ? "none" : status.claims.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
            print("work items: \(status.waiting) waiting, \(status.leased) leased, \(status.done) done")
            for lease in status.leases {
                print(String(format: "  leased to %@: %d claim%@, the first runs out in %.1f s", lease.holder, lease.claims, lease.claims == 1 ? "" : "s", lease.expiresIn))
            }
            if let name = status.oldestLease, let age = status.oldestLeaseSeconds {
                print(String(format: "oldest lease: %@, taken %.1f s ago", name, age))
            }
            print(String(format: "last %d s: %.1f claims per minute", status.window, status.perMinute))
            for rate in status.rates {
                print(String(format: "  %@: %d claims, %.1f per minute", rate.worker, rate.claims, rate.perMinute))
            }
        }
    }
}

extension LedgerCommand {
    /// Hidden: the ledger alone under load, for scripts/bench-fleet. WRITERS threads,
    /// each with its own connection, commit CLAIMS synthetic settled claims between them
    /// (20 lines, two audit keys, one page; 50 insured persons in turn, so writers meet on
    /// the same person's year), each read and written as the pipeline does: year-to-date
    /// and audit keys under their locks, then the rows. Prints claims per second.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commit synthetic claims from several writers and print claims per second.", shouldDisplay: false)

        @OptionGroup var global: GlobalOptions

        @Option(help: "Claims in all.")
        var claims = 2000

        @Option(help: "Writers, each with its own connection (SQLite: one).")
        var writers = 1

        func run() throws {
            let terms = SettlementTerms(
                region: "bench", periodFrom: "2026-01-01", ratio: Decimal(string: "0.85") ?? 0, deductible: 1800,
                deductibleBasis: .year, annualFundCap: 400_000, classBSelfPayRatio: Decimal(string: "0.1") ?? 0,
                priceCapMultiplier: 1)
            let entry = CatalogueEntry(code: "S", name: "s", kind: .service, reimbursementClass: .a)
            let ledgers = try (0..<writers).map { _ in try global.openLedger() }
            let run = UUID().uuidString.prefix(8)
            let failures = Mutex<[String]>([])
            let next = Atomic<Int>(0)
            let start = Date()
            DispatchQueue.concurrentPerform(iterations: writers) { w in
                let ledger = ledgers[w]
                while true {
                    let n = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard n < claims else { break }
                    let id = "bench-\(run)-\(n)"
                    let insured = "B\(n % 50)"
                    do {
                        try ledger.commitClaim { history in
                            let context = ClaimContext(
                                claimId: id, insuredId: insured, insuranceType: .employee, institutionLevel: 2,
                                visitType: .outpatient, serviceDate: "2026-03-01")
                            let lines = (0..<20).map { SettlementLine(index: $0, name: "s", amount: 50, entry: entry, zone: .auto) }
                            let settlement = SettlementEngine.settle(
                                SettlementClaim(context: context, lines: lines, yearToDate: try history.yearToDate(insuredId: insured, year: 2026)),
                                terms: terms)
                            var keys = AuditKeys(AuditInput(context: context, documents: [], matches: []))
                            keys.invoiceKeys = ["INV/\(id)"]
                            keys.contentSignatures = ["SIG/\(id)"]
                            _ = try history.auditHistory(keys)
                            var commit = ClaimCommit(
                                claimId: id, fingerprint: id, source: id, state: .settled, trail: String(repeating: "x", count: 8000),
                                createdAt: "2026-03-01T00:00:00Z")
                            commit.insuredId = insured
                            commit.serviceDate = "2026-03-01"
                            commit.amount = settlement.totals.amount
                            commit.fundPay = settlement.totals.fundPay
                            commit.pages = [PageKey(sha256: id, pageIndex: 0, file: "page-1.png")]
                            commit.keys = [("invoice", "INV/\(id)"), ("signature", "SIG/\(id)")]
                            commit.items = zip(lines, settlement.lines).map { line, settled in
                                ClaimItemRow(
                                    index: line.index, name: "s", nameRead: "s", code: "S", reimbursementClass: "甲", category: "service",
                                    zone: "auto", amount: settled.amount, fundPay: settled.fundPay, selfPay: settled.selfPay, held: false)
                            }
                            commit.yearToDateRecord = (settlement, insured, 2026)
                            return commit
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                        break
                    }
                }
            }
            let seconds = Date().timeIntervalSince(start)
            if let first = failures.withLock({ $0.first }) { throw StoreError.statementFailed(message: first) }
            print(String(format: "%d claims, %d writer%@: %.2f s, %.0f claims/s", claims, writers, writers == 1 ? "" : "s", seconds, Double(claims) / seconds))
        }
    }
}
