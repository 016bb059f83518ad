import ClaimEyeCore
import Foundation
import GRDB

/// The SQLite ledger: claims, pages, OCR results, items, matches, settlements, flags,
/// review decisions, runs, and the catalogue. WAL mode, one writer (GRDB serialises
/// writes through the pool), many readers.
public final class Ledger: LedgerStore, Sendable {
    /// The ledger's path on disk.
    public let path: String
    /// The GRDB pool; writes go through `pool.write`, one transaction each.
    public let pool: DatabasePool

    /// Opens (creating when absent) the ledger at `path` and brings its schema up to date.
    ///
    /// A file that exists with zero bytes is refused unless `initialise` is set (`claimeye
    /// ledger init`): SQLite would take it for a fresh ledger, and a ledger truncated by a
    /// bad copy or a full disk would then start again from nothing, every person's
    /// year-to-date at 0. With `checkIntegrity` (every run that writes), SQLite's quick
    /// check runs first and a damaged ledger is refused before anything is written to it
    /// (on a 1 GB ledger it costs the time to read the file once).
    public init(path: String, checkIntegrity: Bool = false, initialise: Bool = false) throws {
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        if !initialise, exists, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 {
            throw StoreError.emptyFile(path: path)
        }
        // Checked read-only before the pool opens: opening a pool writes (it makes sure
        // the WAL exists), and nothing may be written to a damaged ledger.
        if checkIntegrity, exists, info.st_size > 0 {
            let findings = try Self.integrityFindings(path: path, pragma: "quick_check(20)")
            guard findings == ["ok"] else { throw StoreError.damaged(path: path, findings: findings) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, message: "\(error)")
        }
        do {
            try LedgerSchema.migrator.migrate(pool)
        } catch {
            throw StoreError.migrationFailed(path: path, message: "\(error)")
        }
    }

    /// What SQLite's `quick_check` (every page and record well formed; what every writing
    /// run checks) or `integrity_check` (also every index against its table, several times
    /// the cost; `claimeye ledger check`) finds in the file at `path`, opened read-only:
    /// `["ok"]`, or the findings.
    public static func integrityFindings(path: String, pragma: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA \(pragma)") }
        } catch let error as DatabaseError {
            guard error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB else {
                throw StoreError.cannotOpen(path: path, message: "\(error)")
            }
            return ["\(error.message ?? "\(error)")"]
        }
    }

    public var location: String { path }

    /// The migrations applied to the ledger file at `path`, read without opening it for
    /// writing (nothing is migrated).
    public static func migrationsApplied(path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try DatabaseQueue(path: path, configuration: configuration).read { db in
                try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            }
        } catch {
            throw StoreError.cannotOpen(path: path, message: "\(error)")
        }
    }

    /// Claims by state (one SQLite writer leases nothing: the work queue stays empty).
    public func status(window: Int) throws -> LedgerStatus {
        try reading { db in
            var claims: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM claim GROUP BY state") { claims[row["state"]] = row["n"] }
            return LedgerStatus(claims: claims, window: window)
        }
    }

    /// The names of the schema migrations applied to this ledger, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try LedgerSchema.migrator.appliedMigrations(db) }
    }

    /// One write transaction whose SQLite errors become `StoreError` (exit 74).
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StoreError.statementFailed(message: "\(error.message ?? "\(error)") (\(error.sql ?? ""))")
        }
    }

    /// A read whose SQLite errors become `StoreError`.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError.statementFailed(message: "\(error.message ?? "\(error)") (\(error.sql ?? ""))")
        }
    }

    public func catalogueMatcher(thresholds: MatchThresholds, seed: String?) throws -> CatalogueMatcher {
        let store = CatalogueStore(ledger: self)
        if let seed { try store.seedIfFresh(samplePath: seed) }
        return try store.matcher(thresholds: thresholds)
    }

    public func importCatalogue(_ path: String, now: Date) throws -> CatalogueImportSummary {
        try CatalogueStore(ledger: self).importFile(path, now: now)
    }

    public func searchCatalogue(_ text: String, limit: Int) throws -> [CatalogueEntry] {
        try CatalogueStore(ledger: self).search(text, limit: limit)
    }

    public func catalogueStats() throws -> CatalogueStats { try CatalogueStore(ledger: self).stats() }

    public func reviewItems(status: String?, limit: Int) throws -> [ReviewItem] {
        try ReviewQueue(ledger: self).list(status: status, limit: limit)
    }

    public func reviewItem(_ id: Int64) throws -> ReviewItem { try ReviewQueue(ledger: self).item(id) }

    public func decideReview(_ id: Int64, code: String?, accept: Bool, on day: String) throws -> String {
        let queue = ReviewQueue(ledger: self)
        return accept ? try queue.accept(id, code: code, on: day) : try queue.reject(id, code: code, on: day)
    }
}
