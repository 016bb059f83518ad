/// Why an `[audit]` configuration could not be used. Both cases are malformed input
/// (exit 65): fix the config file.
public enum AuditConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is not TOML; `line` and `column` are where the parser stopped.
    case syntax(source: String, line: Int, column: Int, message: String)
    /// A key under `[audit]` is unknown, has the wrong type or is out of range.
    case invalid(source: String, keyPath: String, message: String)

    public var description: String {
        switch self {
        case let .syntax(source, line, column, message):
            return "\(source):\(line):\(column): not valid TOML: \(message)"
        case let .invalid(source, keyPath, message):
            return "\(source): audit key '\(keyPath)': \(message); fix the config file"
        }
    }
}
