/// What can stop a whole pipeline run. A problem with one claim is recorded as that
/// claim's outcome instead, and the run goes on.
public enum PipelineError: Error, CustomStringConvertible {
    /// Another run holds the inbox lock (exit 75).
    case inboxLocked(inbox: String, holder: String)
    /// An output folder or file cannot be written (exit 73).
    case cannotWriteOutput(path: String, message: String)
    /// The run was interrupted by SIGINT or SIGTERM (exit 130).
    case interrupted
    /// The inbox (or a path given to `process`) does not exist (exit 66).
    case inputNotFound(path: String)
    /// The inbox cannot be listed (exit 66).
    case cannotReadInbox(path: String, message: String)
    /// A state the pipeline's own logic should never reach (exit 70).
    case internalError(String)

    public var description: String {
        switch self {
        case .inboxLocked(let inbox, let holder):
            return "another run holds the lock on \(inbox) (\(holder)); wait for it to finish"
        case .cannotWriteOutput(let path, let message):
            return "cannot write \(path): \(message)"
        case .interrupted:
            return "interrupted; claims committed so far are kept, the claim in hand was rolled back"
        case .inputNotFound(let path):
            return "\(path): no such file or folder" + (path.contains("\u{FFFD}") ? " (the name given is not UTF-8, and claimeye reads UTF-8 names only: rename it)" : "")
        case .cannotReadInbox(let path, let message):
            return "cannot read the inbox \(path): \(message)"
        case .internalError(let message):
            return "internal error: \(message)"
        }
    }
}
