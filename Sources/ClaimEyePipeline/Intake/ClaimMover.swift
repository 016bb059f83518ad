import Foundation

/// Moves a claim's files out of the inbox once its outcome is committed: to
/// `processed/` when it was settled or held for review, to `failed/` with a
/// `NAME.reason.txt` beside it when it could not be read. Files are renamed, never
/// copied and deleted, so nothing is lost however the run ends; a name already taken
/// gets a suffix (`-2`, `-3` …).
public struct ClaimMover: Sendable {
    public let inbox: String

    public init(inbox: String) { self.inbox = inbox }

    /// Where the claim's folder or file will go, a name not taken yet.
    public func destination(for claim: IntakeClaim, failed: Bool) throws -> String {
        let folder = inbox + "/" + (failed ? "failed" : "processed")
        try makeFolder(folder)
        let ext = (claim.name as NSString).pathExtension
        let stem = claim.isFolder || ext.isEmpty ? claim.name : (claim.name as NSString).deletingPathExtension
        var candidate = folder + "/" + claim.name
        var suffix = 2
        while Self.exists(candidate) || Self.exists(candidate + ".reason.txt") || Self.exists(candidate + ".claim.json") {
            candidate = folder + "/" + stem + "-\(suffix)" + (claim.isFolder || ext.isEmpty ? "" : "." + ext)
            suffix += 1
        }
        return candidate
    }

    /// Moves the claim to `destination` (from `destination(for:failed:)`), writing the
    /// reason file first when there is one. A loose file's sidecar moves first and
    /// becomes `DESTINATION.claim.json`, so a run stopped half-way leaves the scan, which
    /// the next run knows by its hash, never a sidecar alone. Parts already moved are
    /// skipped, so this can be repeated.
    public func move(_ claim: IntakeClaim, to destination: String, reason: String?) throws {
        if let reason {
            try write(reason + "\n", to: destination + ".reason.txt")
        }
        if !claim.isFolder, let sidecar = claim.sidecar, Self.exists(sidecar) {
            try rename(sidecar, destination + ".claim.json")
        }
        let source = inbox + "/" + claim.name
        if Self.exists(source) { try rename(source, destination) }
    }

    /// Whether a path exists, a dangling symlink included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private func rename(_ from: String, _ to: String) throws {
        guard Self.exists(to) == false else {
            throw PipelineError.cannotWriteOutput(path: to, message: "already exists; \(from) was left in place")
        }
        guard Foundation.rename(from, to) == 0 else {
            throw PipelineError.cannotWriteOutput(path: to, message: "cannot move \(from) there: \(String(cString: strerror(errno)))")
        }
    }

    private func makeFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWriteOutput(path: path, message: "\(error.localizedDescription)")
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PipelineError.cannotWriteOutput(path: path, message: "\(error.localizedDescription)")
        }
    }
}
