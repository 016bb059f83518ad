/// What can stop a whole pipeline run. A problem with one claim is recorded as that
/// claim's outcome instead, and the run goes on.
public enum PipelineError: Error, CustomStringConvertible {
    /// Another run holds the inbox lock (exit 75).
    case inboxLocked(inbox: String, holder: String)
    /// An output folder or file cannot be written (exit 73).
    case cannotWriteOutput(path: String, message: String)
    /// The run was interrupted by SIGINT or SIGTERM (exit 130).
    case interrupted

    public var description: String {
        switch self {
        case .inboxLocked(let inbox, let holder):
            return "another run holds the lock on \(inbox) (\(holder)); wait for it to finish"
        case .cannotWriteOutput(let path, let message):
            return "cannot write \(path): \(message)"
        case .interrupted:
            return "interrupted; the claim in hand was rolled back"
        }
    }
}
