import Foundation

/// An exclusive lock on an inbox, held while a run works on it: `INBOX/.claimeye.lock`
/// locked with `flock`, holding the holder's pid, host and start time. The kernel drops
/// the lock when the process ends however it ends (SIGKILL included), so a lock is never
/// left stale; the file itself stays and is re-used.
public final class InboxLock {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock at once or throws `PipelineError.inboxLocked` naming the holder.
    public init(inbox: String, startedAt: String) throws {
        path = inbox + "/.claimeye.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw PipelineError.cannotWriteOutput(path: path, message: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(fd).trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw PipelineError.inboxLocked(inbox: inbox, holder: holder.isEmpty ? "holder unknown" : holder)
        }
        descriptor = fd
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let text = "pid \(getpid()) on \(hostName), since \(startedAt)\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func read(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }
}
