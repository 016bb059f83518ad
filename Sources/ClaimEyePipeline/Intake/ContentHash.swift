import Crypto
import Foundation

/// SHA-256 of files and of claims, as lowercase hex.
public enum ContentHash {
    /// The file's SHA-256, read in 1 MiB blocks; nil when it cannot be read.
    public static func file(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        } catch {
            return nil
        }
        return hex(hasher.finalize())
    }

    /// The SHA-256 of a text, e.g. a claim's list of page names and hashes.
    public static func text(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
