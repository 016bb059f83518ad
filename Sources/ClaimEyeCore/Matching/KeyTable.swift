import Foundation

/// The normalised keys of every catalogue name and alias in one scalar buffer. A key's
/// core and stem are usually its full key or a run inside it, so they point into it
/// rather than being stored again. A key is put together as a `NormalisedName` only when
/// it is scored.
struct KeyTable: Sendable {
    private var scalars: [UInt32] = []
    /// Per key: start and length of full, core and stem in `scalars`.
    private var ranges: [Int32] = []
    /// Per key: the form class's position in `DosageFormClass.allCases`, or `noForm`.
    private var forms: [UInt8] = []

    private static let classes = DosageFormClass.allCases
    private static let noForm = UInt8.max

    init() {}

    var count: Int { forms.count }

    /// Adds a key. Its `spec` is not kept: scoring never reads a catalogue key's spec.
    mutating func append(_ key: NormalisedName) {
        let fullStart = scalars.count
        scalars += key.full
        func place(_ part: [UInt32]) -> Int {
            if part.isEmpty { return fullStart }
            if let offset = KeyTable.offset(of: part, in: key.full) { return fullStart + offset }
            let start = scalars.count
            scalars += part
            return start
        }
        let coreStart = place(key.core)
        let stemStart = key.stem == key.core ? coreStart : place(key.stem)
        ranges += [fullStart, key.full.count, coreStart, key.core.count, stemStart, key.stem.count].map { Int32($0) }
        forms.append(key.form.map { UInt8(KeyTable.classes.firstIndex(of: $0)!) } ?? KeyTable.noForm)
    }

    subscript(k: Int) -> NormalisedName {
        let (full, core, stem) = parts(k)
        return NormalisedName(full: Array(full), core: Array(core), stem: Array(stem), form: form(at: k), spec: nil)
    }

    /// Key `k`'s full key, core and stem, as runs of the buffer (nothing is copied).
    @inline(__always)
    func parts(_ k: Int) -> (full: ArraySlice<UInt32>, core: ArraySlice<UInt32>, stem: ArraySlice<UInt32>) {
        func part(_ p: Int) -> ArraySlice<UInt32> {
            let start = Int(ranges[6 * k + 2 * p]), length = Int(ranges[6 * k + 2 * p + 1])
            return scalars[start..<start + length]
        }
        return (part(0), part(1), part(2))
    }

    func form(at k: Int) -> DosageFormClass? {
        forms[k] == KeyTable.noForm ? nil : KeyTable.classes[Int(forms[k])]
    }

    /// The core of key `k`, then its stem when that differs: what the n-gram index holds.
    func indexed(_ k: Int) -> [[UInt32]] {
        let key = self[k]
        return key.stem == key.core ? [key.core] : [key.core, key.stem]
    }

    private static func offset(of part: [UInt32], in whole: [UInt32]) -> Int? {
        guard part.count <= whole.count else { return nil }
        for start in 0...(whole.count - part.count) where whole[start..<start + part.count].elementsEqual(part) {
            return start
        }
        return nil
    }

    func write(to writer: inout SnapshotWriter) {
        writer.append(scalars)
        writer.append(ranges)
        writer.append(forms)
    }

    init(from reader: inout SnapshotReader) throws {
        scalars = try reader.array(of: UInt32.self)
        ranges = try reader.array(of: Int32.self)
        forms = try reader.array(of: UInt8.self)
        let total = scalars.count
        var inside = ranges.count == 6 * forms.count
        for i in stride(from: 0, to: ranges.count, by: 2) where inside {
            let start = Int(ranges[i]), length = Int(ranges[i + 1])
            inside = start >= 0 && length >= 0 && start + length <= total
        }
        let formsKnown = forms.allSatisfy { $0 == KeyTable.noForm || Int($0) < KeyTable.classes.count }
        guard inside, formsKnown
        else { throw SnapshotError.malformed("the key ranges") }
    }
}
