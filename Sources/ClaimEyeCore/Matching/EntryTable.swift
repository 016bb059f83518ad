import Foundation

/// The catalogue's entries as columns, sorted by code: an entry is put together only
/// when a caller asks for it, so a matcher over a million entries holds a few large
/// buffers rather than millions of strings, and loads from a snapshot in one copy each.
struct EntryTable: Sendable {
    private var code = FlatStrings()
    private var name = FlatStrings()
    /// Every entry's aliases, one after another; entry `i`'s end at `aliasEnds[i]`.
    private var aliases = FlatStrings()
    private var aliasEnds: [Int32] = []
    private var kind: [UInt8] = []
    private var reimbursementClass: [UInt8] = []
    private var category = FlatStrings()
    private var dosageForm = FlatStrings()
    private var spec = FlatStrings()
    private var unit = FlatStrings()
    /// Decimals as their plain text (`12.5`), read back exactly.
    private var priceCap = FlatStrings()
    private var selfPayRatio = FlatStrings()
    private var restrictions = FlatStrings()
    private var validFrom = FlatStrings()
    private var validTo = FlatStrings()

    private static let kinds = CatalogueKind.allCases
    private static let classes = ReimbursementClass.allCases

    /// `entries` must be sorted by code.
    init(_ entries: [CatalogueEntry]) {
        for e in entries {
            code.append(e.code)
            name.append(e.name)
            for alias in e.aliases { aliases.append(alias) }
            aliasEnds.append(Int32(aliases.count))
            kind.append(UInt8(EntryTable.kinds.firstIndex(of: e.kind)!))
            reimbursementClass.append(UInt8(EntryTable.classes.firstIndex(of: e.reimbursementClass)!))
            category.append(e.category)
            dosageForm.append(e.dosageForm)
            spec.append(e.spec)
            unit.append(e.unit)
            priceCap.append(e.priceCap.map { "\($0)" })
            selfPayRatio.append(e.selfPayRatio.map { "\($0)" })
            restrictions.append(e.restrictions)
            validFrom.append(e.validFrom)
            validTo.append(e.validTo)
        }
    }

    var count: Int { code.count }

    func code(at i: Int) -> String { code[i] ?? "" }
    func name(at i: Int) -> String { name[i] ?? "" }
    func kind(at i: Int) -> CatalogueKind { EntryTable.kinds[Int(kind[i])] }
    func priceCap(at i: Int) -> Decimal? { priceCap[i].flatMap(Money.parse) }

    func aliases(at i: Int) -> [String] {
        let start = i == 0 ? 0 : Int(aliasEnds[i - 1])
        return (start..<Int(aliasEnds[i])).compactMap { aliases[$0] }
    }

    func entry(at i: Int) -> CatalogueEntry {
        CatalogueEntry(
            code: code(at: i), name: name(at: i), aliases: aliases(at: i), kind: kind(at: i), category: category[i],
            reimbursementClass: EntryTable.classes[Int(reimbursementClass[i])], dosageForm: dosageForm[i],
            spec: spec[i], unit: unit[i], priceCap: priceCap(at: i), selfPayRatio: selfPayRatio[i].flatMap(Money.parse),
            restrictions: restrictions[i], validFrom: validFrom[i], validTo: validTo[i])
    }

    /// The position of the entry with this code, by binary search over the sorted codes.
    func index(ofCode wanted: String) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let here = code(at: mid)
            if here == wanted { return mid }
            if here < wanted { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    func write(to writer: inout SnapshotWriter) {
        for column in [code, name, aliases] { column.write(to: &writer) }
        writer.append(aliasEnds)
        writer.append(kind)
        writer.append(reimbursementClass)
        for column in [category, dosageForm, spec, unit, priceCap, selfPayRatio, restrictions, validFrom, validTo] {
            column.write(to: &writer)
        }
    }

    init(from reader: inout SnapshotReader) throws {
        code = try FlatStrings(from: &reader)
        name = try FlatStrings(from: &reader)
        aliases = try FlatStrings(from: &reader)
        aliasEnds = try reader.array(of: Int32.self)
        kind = try reader.array(of: UInt8.self)
        reimbursementClass = try reader.array(of: UInt8.self)
        category = try FlatStrings(from: &reader)
        dosageForm = try FlatStrings(from: &reader)
        spec = try FlatStrings(from: &reader)
        unit = try FlatStrings(from: &reader)
        priceCap = try FlatStrings(from: &reader)
        selfPayRatio = try FlatStrings(from: &reader)
        restrictions = try FlatStrings(from: &reader)
        validFrom = try FlatStrings(from: &reader)
        validTo = try FlatStrings(from: &reader)
        let n = code.count
        let columns = [name, category, dosageForm, spec, unit, priceCap, selfPayRatio, restrictions, validFrom, validTo]
        guard columns.allSatisfy({ $0.count == n }), aliasEnds.count == n, kind.count == n, reimbursementClass.count == n,
            zip([0] + aliasEnds, aliasEnds).allSatisfy({ $0 <= $1 }), aliasEnds.last.map({ Int($0) == aliases.count }) ?? true,
            kind.allSatisfy({ Int($0) < EntryTable.kinds.count }),
            reimbursementClass.allSatisfy({ Int($0) < EntryTable.classes.count })
        else { throw SnapshotError.malformed("the entry columns disagree") }
    }
}
