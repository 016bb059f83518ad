/// What can go wrong with the ledger as a whole (SQLite or PostgreSQL). Each maps to
/// exit code 74.
public enum StoreError: Error, CustomStringConvertible {
    /// The ledger file could not be opened or created.
    case cannotOpen(path: String, message: String)
    /// A migration failed; the ledger was left as it was.
    case migrationFailed(path: String, message: String)
    /// A statement failed; the message carries SQLite's words and the SQL.
    case statementFailed(message: String)
    /// The integrity check found the ledger damaged; nothing was written.
    case damaged(path: String, findings: [String])
    /// The ledger file exists and holds zero bytes: not a ledger claimeye created.
    case emptyFile(path: String)
    /// The PostgreSQL server stayed out of reach through every reconnection attempt.
    case unreachable(location: String, message: String, attempts: Int)
    /// The claim was committed by another worker first (its lease had run out, or the
    /// worker that took it over was quicker): this worker's transaction was rolled back.
    case committedElsewhere(claim: String)
    /// A worker's leases could not be renewed: it took no more claims.
    case leasesLost(message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let message):
            return "cannot open the ledger at \(path): \(message); check the path and its permissions, or pass --db"
        case .migrationFailed(let path, let message):
            return "cannot upgrade the ledger at \(path): \(message); the file was left unchanged"
        case .statementFailed(let message):
            return "ledger error: \(message)"
        case .damaged(let path, let findings):
            let shown = findings.prefix(3).joined(separator: "; ") + (findings.count > 3 ? "; …" : "")
            return "the ledger at \(path) is damaged (\(shown)); nothing was written to it. "
                + "Restore it from a backup, or recover what SQLite can: sqlite3 '\(path)' .recover | sqlite3 recovered.sqlite, "
                + "then check the copy with: claimeye ledger check --db recovered.sqlite"
        case .emptyFile(let path):
            return "the ledger at \(path) is an empty file (0 bytes), not a ledger: a truncated ledger would start again "
                + "from nothing. If a new ledger is meant, run: claimeye ledger init --db '\(path)'"
        case .unreachable(let location, let message, let attempts):
            return "cannot reach the ledger at \(location) (\(message)) after \(attempts) attempts; "
                + "this worker takes no more claims. Check that the server runs and accepts connections, then start it again"
        case .leasesLost(let message):
            return "this worker could not renew its leases (\(message)); it took no more claims, and other workers take "
                + "the ones it held once their leases run out"
        case .committedElsewhere(let claim):
            return "\(claim) was committed by another worker first; this worker's copy was rolled back"
        }
    }
}
