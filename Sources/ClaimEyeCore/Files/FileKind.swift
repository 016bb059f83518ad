import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What kind of thing a path names, and reading a file only when it is a regular one.
/// A pipe, a socket or a device would block a read or never end it; a symbolic link in an
/// inbox could point anywhere the run may read. Every input claimeye opens goes through here.
public enum FileKind {
    /// The path's file type (`S_IFREG`, `S_IFLNK`, …); nil when there is nothing there.
    /// `following` looks through a symbolic link to its target.
    public static func of(_ path: String, following: Bool) -> mode_t? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// How a message names a file type that is refused.
    public static func describe(_ kind: mode_t?) -> String {
        switch kind {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a pipe"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case nil: return "missing"
        default: return "not a regular file"
        }
    }

    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The whole contents of a regular file. The file is opened without blocking (a pipe
    /// cannot hold the caller) and checked on the open descriptor, so it cannot be swapped
    /// between the check and the read; without `following`, a symbolic link is refused.
    public static func contents(of path: String, following: Bool) throws(Refused) -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (following ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            let kind = of(path, following: false)
            if errno == ELOOP || kind == S_IFLNK { throw Refused(path: path, reason: "a symbolic link refused; only regular files are read") }
            throw Refused(path: path, reason: kind == nil ? "no such file" : "cannot be read (\(String(cString: strerror(errno))))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Refused(path: path, reason: "cannot be read") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Refused(path: path, reason: "\(describe(info.st_mode & S_IFMT)) refused; only regular files are read")
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw Refused(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
    }
}

/// A folder's entries by their byte names. Linux names are bytes: one that is not UTF-8
/// has no `String`, and Foundation's listing drops it without a word, so an inbox would
/// never see such a file. Here it is listed with `name` nil.
public enum RawDirectory {
    public struct Entry: Sendable {
        /// The name as UTF-8 text; nil when the bytes are not UTF-8.
        public let name: String?
        public let bytes: [UInt8]

        public init(name: String?, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }

        /// A name for messages and for the file's new place: every byte of 0x80 and
        /// above (and `%`) as `%XX`, so `\xff\xfe-scan.png` is `%FF%FE-scan.png`.
        public var escaped: String {
            bytes.map { $0 >= 0x80 || $0 == UInt8(ascii: "%") ? String(format: "%%%02X", $0) : String(UnicodeScalar($0)) }.joined()
        }
    }

    /// The entries of `path` except `.` and `..`, in no particular order.
    public static func entries(_ path: String) throws -> [Entry] {
        guard let directory = opendir(path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            entries.append(Entry(name: String(validating: bytes, as: UTF8.self), bytes: bytes))
        }
        return entries
    }

    /// Renames `from` (a byte name in `folder`) to the path `to`.
    public static func rename(_ from: [UInt8], in folder: String, to: String) -> Int32 {
        let source = Array(folder.utf8) + [UInt8(ascii: "/")] + from + [0]
        return source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { Glibc.rename($0.baseAddress!, to) }
        }
    }
}
