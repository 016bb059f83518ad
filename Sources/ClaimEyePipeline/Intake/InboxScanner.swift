import ClaimEyeCore
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

    /// The longest claim id, in bytes: its outputs (`<id>.json`) must fit a file name.
    public static let claimIdLimit = 200

    /// The default claim id: the folder's name, or the file's name without extension,
    /// cut to `claimIdLimit` bytes.
    public var defaultClaimId: String {
        ClaimMover.prefix(isFolder ? name : (name as NSString).deletingPathExtension, bytes: Self.claimIdLimit)
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
        /// Top-level names that are not UTF-8, by their bytes: refused into `failed/`.
        var undecodable: [[UInt8]] = []
        /// Claim folders holding names that are not UTF-8, with those names escaped.
        var undecodableInside: [String: [String]] = [:]
        /// Claim folders that cannot be listed, with why.
        var unreadable: [String: String] = [:]
        /// Top-level names starting with a dot (not claimeye's own lock): left alone.
        public internal(set) var hidden: [String] = []
    }

    struct FileStamp: Equatable, Sendable {
        var size: Int64
        var mtime: Int64
        var kind: mode_t
    }

    static let reserved: Set<String> = ["processed", "failed"]

    /// Takes one look. Names are read as bytes: one that is not UTF-8 is kept aside
    /// (never dropped without a word), and the names starting with a dot are skipped.
    public func snapshot() throws -> Snapshot {
        var look = Snapshot(files: [:])
        let all = try RawDirectory.entries(inbox)
        look.hidden = all.filter { $0.bytes.first == UInt8(ascii: ".") && $0.name != ".claimeye.lock" }.map(\.escaped).sorted()
        let top = all.filter { $0.bytes.first != UInt8(ascii: ".") }
        look.undecodable = top.filter { $0.name == nil }.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }
        for name in top.compactMap(\.name).filter({ !Self.reserved.contains($0) }).sorted() {
            let path = inbox + "/" + name
            guard let stamp = Self.stamp(path) else { continue }
            look.files[name] = stamp
            if stamp.kind == S_IFDIR {
                let listed: [RawDirectory.Entry]
                do {
                    listed = try RawDirectory.entries(path)
                } catch {
                    look.unreadable[name] = (error as NSError).localizedDescription
                    continue
                }
                let children = listed.filter { $0.bytes.first != UInt8(ascii: ".") }
                for child in children {
                    guard let childName = child.name else {
                        look.undecodableInside[name, default: []].append(child.escaped)
                        continue
                    }
                    if let childStamp = Self.stamp(path + "/" + childName) { look.files[name + "/" + childName] = childStamp }
                }
                look.undecodableInside[name]?.sort()
            }
        }
        return look
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
            if stamp.kind == S_IFDIR, let why = later.unreadable[name] {
                // A folder that cannot be listed is not "still being written": it fails,
                // with why, once two looks agree.
                guard earlier.unreadable[name] != nil else { continue }
                claims.append(IntakeClaim(
                    name: name, isFolder: true, pages: [], sidecar: nil, refusal: "the folder cannot be read (\(why)); nothing in it was taken"))
            } else if stamp.kind == S_IFDIR {
                let children = later.files.keys.filter { $0.hasPrefix(name + "/") }.sorted()
                let stable = earlier.files[name] != nil
                    && children.allSatisfy { earlier.files[$0] == later.files[$0] }
                    && earlier.files.keys.filter({ $0.hasPrefix(name + "/") }).count == children.count
                guard stable, !children.isEmpty || later.undecodableInside[name] != nil else { continue }
                var pages: [String] = []
                var sidecar: String?
                var refusal: String?
                for child in children {
                    let file = String(child.dropFirst(name.count + 1))
                    let childStamp = later.files[child]
                    if file == "claim.json" {
                        sidecar = inbox + "/" + child
                    } else if childStamp?.kind != S_IFREG {
                        refusal = refusal ?? "\(file): \(FileKind.describe(childStamp?.kind)) refused; only regular files are read"
                    } else {
                        pages.append(inbox + "/" + child)
                    }
                }
                if let bad = later.undecodableInside[name] {
                    refusal = "file names that are not UTF-8 refused (\(bad.joined(separator: ", ")), bytes of 0x80 and above shown as %XX); "
                        + "rename them and submit the claim again"
                }
                if pages.isEmpty, refusal == nil { refusal = "the folder holds no page" }
                claims.append(IntakeClaim(name: name, isFolder: true, pages: pages, sidecar: sidecar, refusal: refusal))
            } else {
                if Self.isLooseSidecar(name) { continue }
                guard earlier.files[name] == stamp else { continue }
                let sidecarName = Self.sidecarCandidates(for: name).first { topSet.contains($0) }
                if let sidecarName, earlier.files[sidecarName] != later.files[sidecarName] { continue }
                let refusal = stamp.kind == S_IFREG
                    ? nil : "\(FileKind.describe(stamp.kind)) refused; only regular files are read (its target is left untouched)"
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
}
