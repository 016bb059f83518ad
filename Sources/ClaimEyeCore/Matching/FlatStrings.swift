import Foundation

/// Many optional strings in one byte buffer: what a catalogue of a million entries keeps
/// of each column, with one allocation a column instead of one a string, and written to
/// and read from a snapshot in one copy.
struct FlatStrings: Sendable, Equatable {
    /// The UTF-8 of every string, one after another.
    private(set) var bytes: [UInt8] = []
    /// For string `i`: the end of its bytes, shifted left once, with the low bit set
    /// when the string is absent (nil).
    private(set) var spans: [Int] = []

    init() {}

    init(bytes: [UInt8], spans: [Int]) throws {
        var previous = 0
        for span in spans {
            let end = span >> 1
            guard end >= previous, end <= bytes.count else { throw SnapshotError.malformed("a string column's offsets") }
            previous = end
        }
        self.bytes = bytes
        self.spans = spans
    }

    var count: Int { spans.count }

    mutating func append(_ string: String?) {
        if let string { bytes += string.utf8 }
        spans.append(bytes.count << 1 | (string == nil ? 1 : 0))
    }

    subscript(i: Int) -> String? {
        let span = spans[i]
        if span & 1 == 1 { return nil }
        let start = i == 0 ? 0 : spans[i - 1] >> 1
        return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<(span >> 1)], as: UTF8.self) }
    }

    func write(to writer: inout SnapshotWriter) {
        writer.append(bytes)
        writer.append(spans)
    }

    init(from reader: inout SnapshotReader) throws {
        try self.init(bytes: reader.array(of: UInt8.self), spans: reader.array(of: Int.self))
    }
}

/// Why a persisted snapshot could not be read back: the caller rebuilds instead.
public enum SnapshotError: Error, Equatable {
    /// The bytes are not a whole snapshot of this format (truncated, damaged, another
    /// version or byte order); the text says which part.
    case malformed(String)
    /// The snapshot is whole, but today's normaliser reads its entries otherwise.
    case stale
}

/// Appends counted arrays of plain values to a byte buffer, in this machine's byte order
/// (the header's magic number tells a reader on another order to rebuild).
struct SnapshotWriter {
    private(set) var data = Data()

    mutating func append<T: BitwiseCopyable>(_ values: [T]) {
        append(UInt64(values.count))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value) { data.append(contentsOf: $0) }
    }
}

/// Reads back what `SnapshotWriter` wrote; every count is checked against what is left,
/// so a truncated or damaged snapshot throws rather than reading past its end.
struct SnapshotReader {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    var isAtEnd: Bool { offset == data.endIndex }

    mutating func uint64() throws -> UInt64 {
        guard data.endIndex - offset >= 8 else { throw SnapshotError.malformed("ends early") }
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { _ = data.copyBytes(to: $0, from: offset..<offset + 8) }
        offset += 8
        return value
    }

    mutating func array<T: BitwiseCopyable>(of type: T.Type) throws -> [T] {
        let stride = MemoryLayout<T>.stride
        let count = try uint64()
        guard count <= UInt64((data.endIndex - offset) / stride) else { throw SnapshotError.malformed("a count runs past the end") }
        let n = Int(count), bytes = n * stride
        let values = [T](unsafeUninitializedCapacity: n) { buffer, initialised in
            _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(buffer), from: offset..<offset + bytes)
            initialised = n
        }
        offset += bytes
        return values
    }
}
