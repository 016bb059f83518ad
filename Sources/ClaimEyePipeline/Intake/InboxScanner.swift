import Foundation

/// A claim found in the inbox: a sub-folder (its files in name order are the pages) or
/// a loose file, with its sidecar when there is one.
public struct IntakeClaim: Hashable, Sendable {
    /// The folder's or the loose file's name in the inbox.
    public var name: String
    public var isFolder: Bool
    /// The claim's page files, absolute paths in name order.
    public var pages: [String]
    /// `claim.json` in the folder, or `NAME.claim.json` beside the loose file.
    public var sidecar: String?
    /// Why the claim is refused before anything is read (a symlink, not a regular file).
    public var refusal: String?

    public init(name: String, isFolder: Bool, pages: [String], sidecar: String?, refusal: String?) {
        self.name = name
        self.isFolder = isFolder
        self.pages = pages
        self.sidecar = sidecar
        self.refusal = refusal
    }

    /// The default claim id: the folder's name, or the file's name without extension.
    public var defaultClaimId: String {
        isFolder ? name : (name as NSString).deletingPathExtension
    }
}

/// Looks at an inbox: which claims it holds, and which of them are complete (nothing in
/// them changed between two looks). `processed/`, `failed/` and names starting with a
/// dot (the lock, files being copied under a temporary name) are not claims.
public struct InboxScanner: Sendable {
    public let inbox: String

    public init(inbox: String) { self.inbox = inbox }

    /// What one look sees: every path under the inbox that belongs to a claim, with its
    /// size and modification time.
    public struct Snapshot: Equatable, Sendable {
        var files: [String: FileStamp]
    }

    struct FileStamp: Equatable, Sendable {
        var size: Int64
        var mtime: Int64
        var kind: mode_t
    }

    static let reserved: Set<String> = ["processed", "failed"]

    /// The top-level names of the inbox that are claims or sidecars, sorted.
    func topLevel() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox)
        return names.filter { !$0.hasPrefix(".") && !Self.reserved.contains($0) }.sorted()
    }

    /// Takes one look.
    public func snapshot() throws -> Snapshot {
        var files: [String: FileStamp] = [:]
        for name in try topLevel() {
            let path = inbox + "/" + name
            guard let stamp = Self.stamp(path) else { continue }
            files[name] = stamp
            if stamp.kind == S_IFDIR {
                for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !child.hasPrefix(".") {
                    if let childStamp = Self.stamp(path + "/" + child) { files[name + "/" + child] = childStamp }
                }
            }
        }
        return Snapshot(files: files)
    }

    /// The claims present in `later` whose every file looks the same in `earlier`:
    /// complete claims, in name order. A loose sidecar without its scan is no claim.
    public func completeClaims(earlier: Snapshot, later: Snapshot) -> [IntakeClaim] {
        let topNames = later.files.keys.filter { !$0.contains("/") }.sorted()
        let topSet = Set(topNames)
        var claims: [IntakeClaim] = []
        for name in topNames {
            guard let stamp = later.files[name] else { continue }
            let path = inbox + "/" + name
            if stamp.kind == S_IFDIR {
                let children = later.files.keys.filter { $0.hasPrefix(name + "/") }.sorted()
                let stable = earlier.files[name] != nil
                    && children.allSatisfy { earlier.files[$0] == later.files[$0] }
                    && earlier.files.keys.filter({ $0.hasPrefix(name + "/") }).count == children.count
                guard stable, !children.isEmpty else { continue }
                var pages: [String] = []
                var sidecar: String?
                var refusal: String?
                for child in children {
                    let file = String(child.dropFirst(name.count + 1))
                    let childStamp = later.files[child]
                    if file == "claim.json" {
                        sidecar = inbox + "/" + child
                    } else if childStamp?.kind != S_IFREG {
                        refusal = refusal ?? "\(file): \(Self.describe(childStamp?.kind)) refused; only regular files are read"
                    } else {
                        pages.append(inbox + "/" + child)
                    }
                }
                if pages.isEmpty, refusal == nil { refusal = "the folder holds no page" }
                claims.append(IntakeClaim(name: name, isFolder: true, pages: pages, sidecar: sidecar, refusal: refusal))
            } else {
                if Self.isLooseSidecar(name) { continue }
                guard earlier.files[name] == stamp else { continue }
                let sidecarName = Self.sidecarCandidates(for: name).first { topSet.contains($0) }
                if let sidecarName, earlier.files[sidecarName] != later.files[sidecarName] { continue }
                let refusal = stamp.kind == S_IFREG
                    ? nil : "\(Self.describe(stamp.kind)) refused; only regular files are read (its target is left untouched)"
                claims.append(IntakeClaim(
                    name: name, isFolder: false, pages: [path], sidecar: sidecarName.map { inbox + "/" + $0 },
                    refusal: refusal))
            }
        }
        return claims
    }

    /// `NAME.claim.json` names a loose file's sidecar.
    static func isLooseSidecar(_ name: String) -> Bool { name.hasSuffix(".claim.json") }

    /// The sidecar names a loose file may have: `scan.png.claim.json` or `scan.claim.json`.
    static func sidecarCandidates(for name: String) -> [String] {
        [name + ".claim.json", (name as NSString).deletingPathExtension + ".claim.json"]
    }

    static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        // lstat: a symlink is seen as itself, never followed.
        guard lstat(path, &info) == 0 else { return nil }
        return FileStamp(
            size: Int64(info.st_size), mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            kind: info.st_mode & S_IFMT)
    }

    static func describe(_ kind: mode_t?) -> String {
        switch kind {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a pipe"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }
}
