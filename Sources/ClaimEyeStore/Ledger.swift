import Foundation
import GRDB

/// The SQLite ledger: claims, pages, OCR results, items, matches, settlements, flags,
/// review decisions, runs, and the catalogue. WAL mode, one writer (GRDB serialises
/// writes through the pool), many readers.
public final class Ledger: Sendable {
    /// The ledger's path on disk.
    public let path: String
    /// The GRDB pool; writes go through `pool.write`, one transaction each.
    public let pool: DatabasePool

    /// Opens (creating when absent) the ledger at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
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
}
