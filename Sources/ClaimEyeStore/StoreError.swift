/// What can go wrong with the SQLite ledger as a whole. Each maps to exit code 74.
public enum StoreError: Error, CustomStringConvertible {
    /// The ledger file could not be opened or created.
    case cannotOpen(path: String, message: String)
    /// A migration failed; the ledger was left as it was.
    case migrationFailed(path: String, message: String)
    /// A statement failed; the message carries SQLite's words and the SQL.
    case statementFailed(message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let message):
            return "cannot open the ledger at \(path): \(message); check the path and its permissions, or pass --db"
        case .migrationFailed(let path, let message):
            return "cannot upgrade the ledger at \(path): \(message); the file was left unchanged"
        case .statementFailed(let message):
            return "ledger error: \(message)"
        }
    }
}
