import Foundation

/// A claim to settle, read from JSON: the claim context, the year-to-date state and
/// the line items with whatever catalogue information they carry. The format is
/// lenient on purpose, so the output of `claimeye parse --json`, a hand-written file and
/// a claim sidecar all work; `Fixtures/settlement/README.md` documents it.
public struct ClaimInput: Hashable, Sendable {
    /// The claim: context, lines and year-to-date state.
    public var claim: SettlementClaim
    /// The `policy` field: a policy file, relative to the claim file's folder.
    public var policy: String?
    /// The `note` field: free text (a golden case's hand-worked arithmetic).
    public var note: [String]
    /// Whether the JSON gave `year_to_date`; without it a ledger may supply the state.
    public var hasYearToDate: Bool

    /// Reads a claim from JSON. `source` names the file in messages; `defaultClaimId`
    /// is used when the JSON has no `claim_id`. With `itemsElsewhere` the JSON may hold
    /// only the context (a claim sidecar), its items coming from `parsedItems`.
    public static func decode(_ data: Data, source: String, defaultClaimId: String, itemsElsewhere: Bool = false) throws -> ClaimInput {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw SettlementError.invalidClaim(source: source, path: "$", message: "not valid JSON (\(Self.describe(error)))")
        }
        let reader = ClaimReader(source: source)
        if let path = JSONDuplicateKeys.first(in: data) { throw reader.error(path, "given twice; say each thing once") }
        guard case .object(let top) = root else { throw reader.error("$", "expected a JSON object") }
        // The context may sit at the top level (a claim sidecar) or in "claim"/"context".
        var contextObject = top
        var contextPath = ""
        for key in ["claim", "context"] {
            if case .object(let nested)? = top[key] {
                contextObject = nested
                contextPath = key + "."
            }
        }
        let context = try reader.context(contextObject, prefix: contextPath, defaultClaimId: defaultClaimId)
        let yearToDate = try reader.yearToDate(top["year_to_date"] ?? top["yearToDate"], path: "year_to_date")
        let lines: [SettlementLine]
        if let items = top["items"] {
            lines = try reader.lines(items, path: "items")
        } else if let documents = top["documents"] {
            lines = try reader.lines(documents, path: "documents")
        } else if itemsElsewhere {
            lines = []
        } else {
            throw reader.error("items", "missing: a claim needs its line items (\"items\", or \"documents\" as `claimeye parse --json` prints them)")
        }
        let policy = try reader.optionalString(top["policy"], path: "policy")
        var note: [String] = []
        switch top["note"] {
        case .string(let text)?: note = [text]
        case .array(let parts)?: note = parts.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: break
        }
        let hasYearToDate = (top["year_to_date"] ?? top["yearToDate"]).map { $0 != .null } ?? false
        return ClaimInput(
            claim: SettlementClaim(context: context, lines: lines, yearToDate: yearToDate), policy: policy, note: note,
            hasYearToDate: hasYearToDate)
    }

    /// The line items of `claimeye parse --json` output (an array of parsed documents,
    /// one document, or an array of items), every document's items in order. Used by
    /// `claimeye settle --items` to settle parser output under a separate claim context.
    public static func parsedItems(_ data: Data, source: String) throws -> [SettlementLine] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw SettlementError.invalidClaim(source: source, path: "$", message: "not valid JSON (\(Self.describe(error)))")
        }
        let reader = ClaimReader(source: source)
        if let path = JSONDuplicateKeys.first(in: data) { throw reader.error(path, "given twice; say each thing once") }
        return try reader.lines(root, path: "$")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            return (context.underlyingError as? NSError)?.userInfo["NSDebugDescription"] as? String ?? context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}

/// A JSON value whose numbers keep their decimal digits: JSONDecoder reads a `Decimal`
/// from the number's text, so `0.1` stays exactly 0.1 (no floating point on the way).
enum JSONValue: Decodable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if (try? container.decode(Double.self)) != nil {
            // A number past what Decimal holds (1e308): said as such, not as a wrong type.
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a number too large to hold exactly")
        } else if var elements = try? decoder.unkeyedContainer() {
            // Elements and members decode with `try`, so what is wrong inside is what is said.
            var array: [JSONValue] = []
            while !elements.isAtEnd { array.append(try elements.decode(JSONValue.self)) }
            self = .array(array)
        } else {
            let members = try decoder.container(keyedBy: Key.self)
            var object: [String: JSONValue] = [:]
            for key in members.allKeys { object[key.stringValue] = try members.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Reads the fields of a claim JSON, naming the JSON path in every error.
private struct ClaimReader {
    var source: String

    func error(_ path: String, _ message: String) -> SettlementError {
        .invalidClaim(source: source, path: path, message: message)
    }

    /// The value of the first key present: snake_case, then camelCase spellings.
    func field(_ object: [String: JSONValue], _ keys: String...) -> (key: String, value: JSONValue)? {
        for key in keys {
            if let value = object[key], value != .null { return (key, value) }
        }
        return nil
    }

    /// A parser-style field `{"value": …, "confidence": …}` stands for its value.
    func unwrap(_ value: JSONValue) -> JSONValue {
        if case .object(let object) = value, let inner = object["value"] { return inner }
        return value
    }

    func optionalString(_ value: JSONValue?, path: String) throws -> String? {
        guard let value, value != .null else { return nil }
        switch unwrap(value) {
        case .string(let text): return text
        case .number(let number): return "\(number)"
        case .null: return nil
        default: throw error(path, "expected a string")
        }
    }

    /// The largest magnitude a number or a line's amount may have: far above any bill,
    /// and small enough that amounts in fen, their products and a claim's sums (with
    /// `mostLines` lines) stay inside 64-bit integers.
    static let largest = Decimal(100_000_000)
    static let mostLines = 1_000_000

    /// A decimal from a JSON number or a string such as "12.50", "¥12.50", "1,200.00 元".
    func decimal(_ value: JSONValue?, path: String) throws -> Decimal? {
        guard let value else { return nil }
        let number: Decimal
        switch unwrap(value) {
        case .null: return nil
        case .number(let parsed): number = parsed
        case .string(let text):
            let cleaned = text.filter { !"¥￥元, ".contains($0) }
            if cleaned.isEmpty { return nil }
            guard let parsed = Money.parse(cleaned) else { throw error(path, "'\(text)' is not a number") }
            number = parsed
        default:
            throw error(path, "expected a number or a string holding one")
        }
        guard number.isFinite, number <= Self.largest, number >= -Self.largest else {
            throw error(path, "\(number) is out of range (at most \(Self.largest) in magnitude)")
        }
        return number
    }

    func context(_ object: [String: JSONValue], prefix: String, defaultClaimId: String) throws -> ClaimContext {
        let claimId = try optionalString(field(object, "claim_id", "claimId")?.value, path: prefix + "claim_id") ?? defaultClaimId
        guard let typeField = field(object, "insurance_type", "insuranceType") else {
            throw error(prefix + "insurance_type", "missing: employee or resident")
        }
        let typeText = try optionalString(typeField.value, path: prefix + typeField.key) ?? ""
        guard let type = InsuranceType(rawValue: typeText) ?? ["职工": .employee, "居民": .resident][typeText] else {
            throw error(prefix + typeField.key, "'\(typeText)' is not employee or resident")
        }
        guard let visitField = field(object, "visit_type", "visitType") else {
            throw error(prefix + "visit_type", "missing: outpatient or inpatient")
        }
        let visitText = try optionalString(visitField.value, path: prefix + visitField.key) ?? ""
        guard let visit = VisitType(rawValue: visitText) ?? ["门诊": .outpatient, "住院": .inpatient][visitText] else {
            throw error(prefix + visitField.key, "'\(visitText)' is not outpatient or inpatient")
        }
        guard let levelField = field(object, "institution_level", "institutionLevel") else {
            throw error(prefix + "institution_level", "missing: 1, 2 or 3")
        }
        guard let levelNumber = try decimal(levelField.value, path: prefix + levelField.key),
            case let level = NSDecimalNumber(decimal: levelNumber).intValue,
            Decimal(level) == levelNumber, (1...3).contains(level)
        else {
            throw error(prefix + levelField.key, "an institution level is 1, 2 or 3")
        }
        let date = try optionalString(field(object, "service_date", "serviceDate")?.value, path: prefix + "service_date")
        if let date, !ISODate.isValid(date) {
            throw error(prefix + "service_date", "'\(date)' is not a date YYYY-MM-DD")
        }
        let insured = try optionalString(field(object, "insured_id", "insuredId")?.value, path: prefix + "insured_id")
        let sex = try optionalString(field(object, "sex")?.value, path: prefix + "sex")
        let age = try decimal(field(object, "age")?.value, path: prefix + "age").map { NSDecimalNumber(decimal: $0).intValue }
        let category = try optionalString(field(object, "assistance_category")?.value, path: prefix + "assistance_category")
        var place: TreatmentPlace?
        if let text = try optionalString(field(object, "treatment_place")?.value, path: prefix + "treatment_place") {
            guard let known = TreatmentPlace(rawValue: text) else {
                throw error(prefix + "treatment_place", "'\(text)' is not one of \(TreatmentPlace.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            place = known
        }
        var filed: Bool?
        if let value = field(object, "filed")?.value, value != .null {
            guard case .bool(let flag) = value else { throw error(prefix + "filed", "expected true or false") }
            filed = flag
        }
        return ClaimContext(
            claimId: claimId, insuredId: insured, insuranceType: type, institutionLevel: level, visitType: visit,
            serviceDate: date, sex: sex, age: age, assistanceCategory: category, treatmentPlace: place, filed: filed)
    }

    func yearToDate(_ value: JSONValue?, path: String) throws -> YearToDate {
        guard let value, value != .null else { return .none }
        guard case .object(let object) = value else { throw error(path, "expected an object") }
        func money(_ value: JSONValue?, _ path: String) throws -> Fen {
            guard let amount = try decimal(value, path: path) else { return .zero }
            guard amount >= 0 else { throw error(path, "cannot be negative") }
            guard Money.roundToFen(amount) == amount else { throw error(path, "has more than two decimals (fen)") }
            return Fen(yuan: amount)
        }
        let fundPaid = try money(field(object, "fund_paid", "fundPaid")?.value, path + ".fund_paid")
        var used: [VisitType: Fen] = [:]
        if let usedField = field(object, "deductible_used", "deductibleUsed") {
            guard case .object(let byVisit) = usedField.value else {
                throw error("\(path).deductible_used", "expected an object keyed by visit type")
            }
            for (key, amount) in byVisit {
                guard let visit = VisitType(rawValue: key) else {
                    throw error("\(path).deductible_used.\(key)", "not a visit type (outpatient, inpatient)")
                }
                used[visit] = try money(amount, "\(path).deductible_used.\(key)")
            }
        }
        var accrued: Decimal?
        if let accruedField = field(object, "fund_accrued", "fundAccrued") {
            accrued = try decimal(accruedField.value, path: "\(path).fund_accrued")
            if let accrued, accrued < 0 { throw error("\(path).fund_accrued", "cannot be negative") }
        }
        var state = YearToDate(fundPaid: fundPaid, deductibleUsed: used, fundAccrued: accrued)
        func exact(_ key: String) throws -> Decimal {
            let amount = try decimal(field(object, key)?.value, path: "\(path).\(key)") ?? 0
            guard amount >= 0 else { throw error("\(path).\(key)", "cannot be negative") }
            return amount
        }
        state.criticalIllnessBase = try exact("critical_illness_base")
        state.criticalIllnessPaid = try money(field(object, "critical_illness_paid")?.value, path + ".critical_illness_paid")
        state.criticalIllnessAccrued = field(object, "critical_illness_accrued") == nil
            ? state.criticalIllnessPaid.yuan : try exact("critical_illness_accrued")
        state.assistanceBase = try exact("assistance_base")
        state.assistancePaid = try money(field(object, "assistance_paid")?.value, path + ".assistance_paid")
        state.assistanceAccrued = field(object, "assistance_accrued") == nil ? state.assistancePaid.yuan : try exact("assistance_accrued")
        return state
    }

    func reimbursementClass(_ value: JSONValue?, path: String) throws -> ReimbursementClass? {
        guard let text = try optionalString(value, path: path) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "类", with: "")
        switch trimmed.uppercased() {
        case "甲", "A": return .a
        case "乙", "B": return .b
        case "丙", "C": return .c
        case "": return nil
        default: throw error(path, "'\(text)' is not a class (甲/乙/丙 or A/B/C)")
        }
    }

    /// Line items from an array of items, an array of parsed documents (each with its
    /// own "items"), or a single document; numbered across the whole claim.
    func lines(_ value: JSONValue, path: String) throws -> [SettlementLine] {
        var items: [JSONValue] = []
        switch value {
        case .array(let elements):
            for (position, element) in elements.enumerated() {
                if case .object(let document) = element, let nested = document["items"] {
                    guard case .array(let documentItems) = nested else {
                        throw error("\(path)[\(position)].items", "expected an array")
                    }
                    items += documentItems
                } else {
                    items.append(element)
                }
            }
        case .object(let document):
            guard case .array(let documentItems)? = document["items"] else {
                throw error("\(path).items", "expected an array of line items")
            }
            items = documentItems
        default:
            throw error(path, "expected an array of line items or of parsed documents")
        }
        guard items.count <= Self.mostLines else {
            throw error(path, "\(items.count) items; a claim holds at most \(Self.mostLines)")
        }
        var lines: [SettlementLine] = []
        lines.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            lines.append(try line(item, index: index))
        }
        return lines
    }

    func line(_ value: JSONValue, index: Int) throws -> SettlementLine {
        let path = "items[\(index)]"
        guard case .object(let item) = value else { throw error(path, "expected an object") }
        let name = try optionalString(field(item, "name", "name_read", "nameRead")?.value, path: "\(path).name") ?? ""
        let code = try optionalString(field(item, "code")?.value, path: "\(path).code")
        let quantity = try decimal(field(item, "quantity", "qty")?.value, path: "\(path).quantity")
        let unitPrice = try decimal(field(item, "unit_price", "unitPrice")?.value, path: "\(path).unit_price")
        let amount = try decimal(field(item, "amount")?.value, path: "\(path).amount")
        if amount == nil, let quantity, let unitPrice, quantity * unitPrice > Self.largest || quantity * unitPrice < -Self.largest {
            throw error("\(path).quantity", "quantity × unit price is out of range (at most \(Self.largest) in magnitude)")
        }
        // A refund is explicit: a negative quantity and a negative amount at the usual
        // (positive) unit price. Other signs are a mistake, not a refund.
        if let unitPrice, unitPrice < 0 {
            throw error("\(path).unit_price", "cannot be negative; a refund is a negative quantity and a negative amount at the usual price")
        }
        if let quantity, let amount, (quantity < 0 && amount > 0) || (quantity > 0 && amount < 0) {
            throw error("\(path).amount", "\(amount) has the other sign from quantity \(quantity); a refund has both negative")
        }
        // The document's own arithmetic, as for OCR'd items: a line whose quantity ×
        // unit price is not its amount is held for a person, with the reason.
        var doubts: [ReasonCode] = []
        if let quantity, let unitPrice, let amount, !AuditRules.arithmeticAgrees(quantity: quantity, unitPrice: unitPrice, amount: amount) {
            doubts.append(.arithmeticMismatch)
        }

        // The catalogue entry: a nested object ("entry", "catalogue", or "match.entry"),
        // or the class, price cap and ratio given on the item itself.
        var entryObject: [String: JSONValue] = [:]
        var entryPath = path
        var zoneValue = field(item, "zone")?.value
        if case .object(let match)? = item["match"] {
            if zoneValue == nil { zoneValue = match["zone"] }
            if case .object(let nested)? = match["entry"] {
                entryObject = nested
                entryPath = "\(path).match.entry"
            }
        }
        for key in ["entry", "catalogue"] {
            if case .object(let nested)? = item[key] {
                entryObject = nested
                entryPath = "\(path).\(key)"
            }
        }
        let source = entryObject.isEmpty ? item : entryObject
        let classValue = entryObject.isEmpty
            ? field(item, "class", "reimbursement_class", "reimbursementClass", "printed_class", "printedClass")?.value
            : field(entryObject, "class", "reimbursement_class", "reimbursementClass")?.value
        let entryClass = try reimbursementClass(classValue, path: "\(entryPath).class")
        var entry: CatalogueEntry?
        if let entryClass {
            let priceCap = try decimal(field(source, "price_cap", "priceCap")?.value, path: "\(entryPath).price_cap")
            if let priceCap, priceCap < 0 { throw error("\(entryPath).price_cap", "cannot be negative") }
            let ratio = try decimal(field(source, "self_pay_ratio", "selfPayRatio")?.value, path: "\(entryPath).self_pay_ratio")
            if let ratio, ratio < 0 || ratio > 1 {
                throw error("\(entryPath).self_pay_ratio", "a ratio must be within 0 and 1, found \(ratio)")
            }
            let kindText = try optionalString(field(source, "kind")?.value, path: "\(entryPath).kind")
            let entryCode = entryObject.isEmpty ? code : try optionalString(field(entryObject, "code")?.value, path: "\(entryPath).code")
            let entryName = entryObject.isEmpty ? name : try optionalString(field(entryObject, "name")?.value, path: "\(entryPath).name")
            entry = CatalogueEntry(
                code: entryCode ?? code ?? "", name: entryName ?? name,
                kind: kindText.flatMap(CatalogueKind.init(rawValue:)) ?? .drug,
                reimbursementClass: entryClass, priceCap: priceCap, selfPayRatio: ratio)
        }
        var zone: SettlementLine.Zone = entry == nil ? .none : .auto
        if let zoneValue {
            let zoneText = try optionalString(zoneValue, path: "\(path).zone") ?? ""
            guard let parsed = SettlementLine.Zone(rawValue: zoneText) else {
                throw error("\(path).zone", "'\(zoneText)' is not auto, review or none")
            }
            zone = parsed
        }
        var line = SettlementLine(
            index: index, name: name, code: code ?? entry?.code.nilIfEmpty, quantity: quantity, unitPrice: unitPrice,
            amount: amount, entry: entry, zone: zone)
        line.doubts = doubts
        return line
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
