import ClaimEyeCore
import Foundation

/// Moves a claim's files out of the inbox once its outcome is committed: to
/// `processed/` when it was settled or held for review, to `failed/` with a
/// `NAME.reason.txt` beside it when it could not be read. Files are renamed, never
/// copied and deleted, so nothing is lost however the run ends; a name already taken
/// gets a suffix (`-2`, `-3` …).
public struct ClaimMover: Sendable {
    public let inbox: String

    public init(inbox: String) { self.inbox = inbox }

    /// The longest file name the file system takes, in bytes (Linux's NAME_MAX).
    static let nameLimit = 255
    /// What a destination's companions add to its name: `.reason.txt`, `.claim.json`.
    static let companionLength = ".reason.txt".utf8.count

    /// Where the claim's folder or file will go, a name not taken yet. The name is the
    /// claim's, its stem shortened when the name, a `-N` suffix and `.reason.txt` would
    /// pass the file system's limit (a 250-byte name once could not be moved at all).
    public func destination(for claim: IntakeClaim, failed: Bool) throws -> String {
        let folder = inbox + "/" + (failed ? "failed" : "processed")
        try makeFolder(folder)
        let ext = claim.isFolder ? "" : (claim.name as NSString).pathExtension
        let dottedExt = ext.isEmpty ? "" : "." + ext
        let fullStem = ext.isEmpty ? claim.name : (claim.name as NSString).deletingPathExtension
        func named(_ suffix: String) -> String {
            let room = Self.nameLimit - Self.companionLength - dottedExt.utf8.count - suffix.utf8.count
            return Self.prefix(fullStem, bytes: room) + suffix + dottedExt
        }
        var candidate = folder + "/" + named("")
        var suffix = 2
        while Self.exists(candidate) || Self.exists(candidate + ".reason.txt") || Self.exists(candidate + ".claim.json") {
            candidate = folder + "/" + named("-\(suffix)")
            suffix += 1
        }
        return candidate
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes, whole characters only.
    static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var result = ""
        var used = 0
        for character in text {
            let length = String(character).utf8.count
            if used + length > bytes { break }
            result.append(character)
            used += length
        }
        return result
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

    /// Moves a top-level file or folder whose name is not UTF-8 into `failed/` under its
    /// escaped name (`%FF%FE-scan.png`), with the reason beside it: claimeye names every
    /// claim by text, so such a claim cannot be read, but it is never left unseen.
    public func refuseUndecodable(_ bytes: [UInt8]) throws {
        let entry = RawDirectory.Entry(name: nil, bytes: bytes)
        let claim = IntakeClaim(name: entry.escaped, isFolder: true, pages: [], sidecar: nil, refusal: nil)
        let destination = try destination(for: claim, failed: true)
        try write(
            "\(entry.escaped): the name is not UTF-8 (bytes of 0x80 and above shown as %XX), so claimeye cannot name the claim; "
                + "renamed to this; give it a UTF-8 name and put it back in the inbox\n",
            to: destination + ".reason.txt")
        guard RawDirectory.rename(bytes, in: inbox, to: destination) == 0 else {
            throw PipelineError.cannotWriteOutput(path: destination, message: "cannot move \(entry.escaped) there: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether a path exists, a dangling symlink included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private func rename(_ from: String, _ to: String) throws {
        // Another worker sharing the inbox finished this claim's move first.
        if Self.exists(to), !Self.exists(from) { return }
        guard Self.exists(to) == false else {
            throw PipelineError.cannotWriteOutput(path: to, message: "already exists; \(from) was left in place")
        }
        guard Foundation.rename(from, to) == 0 else {
            if errno == ENOENT, Self.exists(to) { return }
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
