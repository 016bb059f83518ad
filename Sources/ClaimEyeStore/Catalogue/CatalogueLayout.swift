import ClaimEyeCore
import Foundation

/// The catalogue file layouts `claimeye catalogue import` reads, told apart by header.
public enum CatalogueLayout: String, Sendable, CaseIterable {
    /// The national drug list as converted in ../shared/catalogue/nrdl_2024.csv.
    case nrdl
    /// Medical-service items as in ../shared/catalogue/services_partial.csv.
    case services
    /// The project's own layout (`plainHeader`).
    case plain

    /// The plain layout's header, exactly.
    public static let plainHeader = [
        "code", "name", "aliases", "category", "class", "dosage_form", "spec", "unit", "price_cap",
        "self_pay_ratio", "restrictions", "valid_from", "valid_to",
    ]

    static let nrdlRequired = ["code", "name", "category", "class", "dosage_form", "unit", "price_cap", "section", "remarks", "validity"]
    static let servicesRequired = ["code", "name", "category", "fee_item"]

    /// The layout a header names, or nil.
    public static func detect(header: [String]) -> CatalogueLayout? {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        if names == plainHeader { return .plain }
        if nrdlRequired.allSatisfy(names.contains) { return .nrdl }
        if servicesRequired.allSatisfy(names.contains) { return .services }
        return nil
    }

    /// C0 and C1 controls and DEL; a tab and a line break (a quoted field may hold one)
    /// are whitespace, not controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && !["\t", "\n", "\r"].contains(scalar)) || (0x7F...0x9F).contains(scalar.value)
    }

    /// Reads one record into an entry, or says why it cannot.
    func entry(_ record: CSVReader.Record, columns: [String: Int]) throws(RowProblem) -> CatalogueEntry {
        // A control character would be cut at (NUL) or reach a terminal as an escape
        // sequence wherever the name is printed: the row is refused, naming the field.
        for (name, i) in columns.sorted(by: { $0.value < $1.value }) where i < record.fields.count {
            if let bad = record.fields[i].unicodeScalars.first(where: CatalogueLayout.isControl) {
                throw RowProblem("\(name) holds a control character (U+\(String(format: "%04X", bad.value)))")
            }
        }
        func field(_ name: String) -> String? {
            guard let i = columns[name], i < record.fields.count else { return nil }
            let value = record.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        func required(_ name: String) throws(RowProblem) -> String {
            guard let value = field(name) else { throw RowProblem("\(name) is empty") }
            return value
        }
        func money(_ name: String) throws(RowProblem) -> Decimal? {
            guard let text = field(name) else { return nil }
            guard let value = Money.parse(text), value >= 0 else { throw RowProblem("\(name) '\(text)' is not an amount in yuan (digits, one point, at most \(Money.largest))") }
            return value
        }
        func date(_ name: String) throws(RowProblem) -> String? {
            guard let text = field(name) else { return nil }
            guard CatalogueLayout.isISODate(text) else { throw RowProblem("\(name) '\(text)' is not a date YYYY-MM-DD") }
            return text
        }
        guard record.fields.count == columns.count else {
            throw RowProblem("\(record.fields.count) fields where the header has \(columns.count) (a comma in an unquoted field?)")
        }
        let code = try required("code")
        let name = try required("name")
        switch self {
        case .plain:
            guard let kind = CatalogueLayout.kind(ofCode: code) else {
                throw RowProblem("code '\(code)' is none of: a 23-character drug code, a 15-digit service code, a 27-character consumable code starting with C")
            }
            let classText = try required("class")
            guard let cls = ReimbursementClass(rawValue: classText) else { throw RowProblem("class '\(classText)' is not 甲, 乙 or 丙") }
            var ratio: Decimal?
            if let text = field("self_pay_ratio") {
                guard let value = Money.parse(text), value >= 0, value <= 1 else { throw RowProblem("self_pay_ratio '\(text)' is not a number from 0 to 1") }
                ratio = value
            }
            let from = try date("valid_from"), to = try date("valid_to")
            if let from, let to, to < from { throw RowProblem("valid_to \(to) is before valid_from \(from)") }
            let aliases = (field("aliases") ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return CatalogueEntry(
                code: code, name: name, aliases: aliases, kind: kind, category: field("category"),
                reimbursementClass: cls, dosageForm: field("dosage_form"), spec: field("spec"), unit: field("unit"),
                priceCap: try money("price_cap"), selfPayRatio: ratio, restrictions: field("restrictions"),
                validFrom: from, validTo: to)
        case .nrdl:
            let classText = try required("class")
            guard let cls = ReimbursementClass(rawValue: classText) else { throw RowProblem("class '\(classText)' is not 甲 or 乙") }
            let (from, to) = field("validity").map(CatalogueLayout.validity) ?? (nil, nil)
            // The NRDL `unit` column is the spec the payment standard applies to
            // (10mg/支): the spec, and its last part the unit.
            let spec = field("unit")
            let unit = spec.flatMap { s in s.split(separator: "/").last.map(String.init).flatMap { $0.count <= 2 && $0 != s ? $0 : nil } }
            return CatalogueEntry(
                code: code, name: name, kind: .drug, category: field("category"), reimbursementClass: cls,
                dosageForm: field("dosage_form"), spec: spec, unit: unit, priceCap: try money("price_cap"),
                restrictions: field("remarks"), validFrom: from, validTo: to)
        case .services:
            // The services list has no class; a service item it names is taken as in
            // scope (甲) unless a file says otherwise. A stated class is honoured.
            var cls = ReimbursementClass.a
            if let text = field("class") {
                guard let stated = ReimbursementClass(rawValue: text) else { throw RowProblem("class '\(text)' is not 甲, 乙 or 丙") }
                cls = stated
            }
            return CatalogueEntry(
                code: code, name: name, kind: .service, category: field("category") ?? field("fee_item"),
                reimbursementClass: cls, dosageForm: field("dosage_form"), unit: field("unit"),
                priceCap: try money("price_cap"), restrictions: field("fee_item").map { "收费项目: \($0)" })
        }
    }

    /// The kind a plain-layout code implies.
    public static func kind(ofCode code: String) -> CatalogueKind? {
        if code.count == 15, code.allSatisfy({ $0.isASCII && $0.isNumber }) { return .service }
        if code.count == 27, code.hasPrefix("C"), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return .consumable }
        if code.count == 23, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return .drug }
        return nil
    }

    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), y > 1900, (1...12).contains(m)
        else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...days[m - 1]).contains(d)
    }

    /// `2024年1月1日至2025年12月31日` → ("2024-01-01", "2025-12-31"); unreadable text → nils.
    static func validity(_ text: String) -> (String?, String?) {
        let halves = text.components(separatedBy: "至")
        func iso(_ part: String) -> String? {
            let numbers = part.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            let text = String(format: "%04d-%02d-%02d", numbers[0], numbers[1], numbers[2])
            return isISODate(text) ? text : nil
        }
        guard halves.count == 2 else { return (nil, nil) }
        return (iso(halves[0]), iso(halves[1]))
    }
}

/// Why one row cannot be read (becomes `CatalogueImportError.malformedRow`).
struct RowProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
