import Foundation

/// Why a policy or a claim could not be settled. Every case names the place in the
/// input (a TOML key path or a JSON path) so the file can be fixed; all of them are
/// malformed input (exit 65) except `fileNotFound` (exit 66) and `noPolicy` (exit 64).
public enum SettlementError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The policy file is not TOML at all; `line` and `column` are where the parser stopped.
    case policySyntax(source: String, line: Int, column: Int, message: String)
    /// A policy key is missing, has the wrong type, is out of range or contradicts another.
    case invalidPolicy(source: String, keyPath: String, message: String)
    /// The claim needs a part of the policy that the policy in force does not define
    /// (an institution level, a visit type …), or no period covers its service date.
    case policyDoesNotCover(source: String, keyPath: String, message: String)
    /// The claim JSON is not valid, or a field has a value settlement cannot use.
    case invalidClaim(source: String, path: String, message: String)
    /// The claim's context contradicts itself (`filed` of treatment in the region).
    case contextContradicts(field: String, message: String)
    /// An input file does not exist or cannot be read.
    case fileNotFound(path: String)
    /// Neither `--policy` nor the claim's `policy` field names a policy file.
    case noPolicy

    public var description: String {
        switch self {
        case let .policySyntax(source, line, column, message):
            return "\(source):\(line):\(column): not a valid TOML policy: \(message)"
        case let .invalidPolicy(source, keyPath, message):
            return "\(source): policy key '\(keyPath)': \(message); fix the policy file"
        case let .policyDoesNotCover(source, keyPath, message):
            return "\(source): policy key '\(keyPath)': \(message); add it to the policy or correct the claim"
        case let .invalidClaim(source, path, message):
            return "\(source): claim field '\(path)': \(message)"
        case let .contextContradicts(field, message):
            return "claim context field '\(field)': \(message)"
        case let .fileNotFound(path):
            return "\(path): no such file, or it cannot be read"
        case .noPolicy:
            return "no policy file: pass --policy FILE or give the claim a \"policy\" field"
        }
    }
}
