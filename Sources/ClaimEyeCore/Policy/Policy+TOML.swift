import Foundation
import TOMLKit

extension Policy {
    /// Parses and validates a policy from TOML text. `source` names the file in messages.
    ///
    /// Everything is checked before a claim sees the policy: unknown keys (a typo would
    /// otherwise silently fall back to a default), types, ratios within 0…1, money not
    /// negative, every declared institution level present in every level table, and
    /// periods whose effective dates do not overlap.
    public static func parse(toml text: String, source: String) throws -> Policy {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SettlementError.policySyntax(
                source: source, line: error.source.begin.line, column: error.source.begin.column,
                message: error.description)
        }
        let reader = PolicyReader(source: source)
        let top = TableReader(table: root, path: "", reader: reader)
        try top.allowOnly(["region", "name", "period"])
        let region = try top.requiredString("region")
        let name = try top.optionalString("name") ?? region
        guard let periodValue = root["period"] else {
            throw reader.error("period", "missing: a policy needs at least one [[period]] table")
        }
        guard let periodArray = periodValue.array else {
            throw reader.error("period", "expected an array of tables ([[period]]), found \(periodValue.type)")
        }
        guard !periodArray.isEmpty else {
            throw reader.error("period", "empty: a policy needs at least one [[period]] table")
        }
        var periods: [PolicyPeriod] = []
        for index in periodArray.indices {
            let path = "period[\(index)]"
            guard let table = periodArray[index].table else {
                throw reader.error(path, "expected a table, found \(periodArray[index].type)")
            }
            periods.append(try parsePeriod(TableReader(table: table, path: path, reader: reader), index: index))
        }
        try checkNoOverlap(periods, reader: reader)
        return Policy(region: region, name: name, source: source, periods: periods)
    }

    private static func parsePeriod(_ period: TableReader, index: Int) throws -> PolicyPeriod {
        try period.allowOnly([
            "effective_from", "effective_to", "levels", "class_b_self_pay_ratio", "price_cap_multiplier",
            "critical_illness", "assistance", "out_of_region",
        ] + InsuranceType.allCases.map(\.rawValue))
        let from = try period.requiredDate("effective_from")
        let to = try period.optionalDate("effective_to")
        if let to, to < from {
            throw period.reader.error(period.key("effective_to"), "\(to) is before effective_from \(from)")
        }
        let levels = try period.levels("levels")
        let classB = try period.requiredRatio("class_b_self_pay_ratio")
        var multiplier: [Int: Decimal] = [:]
        if period.has("price_cap_multiplier") {
            multiplier = try period.levelTable("price_cap_multiplier", levels: levels, requireAll: false) { reader, path, value in
                let factor = try reader.decimal(value, path: path, money: false)
                guard factor > 0 else { throw reader.error(path, "a price-cap multiplier must be above 0, found \(factor)") }
                return factor
            }
        }
        var schemes: [InsuranceType: SchemeRules] = [:]
        for type in InsuranceType.allCases where period.has(type.rawValue) {
            schemes[type] = try parseScheme(try period.requiredTable(type.rawValue), levels: levels)
        }
        guard !schemes.isEmpty else {
            throw period.reader.error(
                period.path, "defines no insurance type: add [\(period.path).employee] or [\(period.path).resident]")
        }
        var assistance: [String: AssistanceRules] = [:]
        if period.has("assistance") {
            let categories = try period.requiredTable("assistance")
            for name in categories.table.keys.sorted() {
                assistance[name] = try parseAssistance(try categories.requiredTable(name))
            }
        }
        return PolicyPeriod(
            effectiveFrom: from, effectiveTo: to, levels: levels, classBSelfPayRatio: classB,
            priceCapMultiplier: multiplier, schemes: schemes, fileIndex: index,
            criticalIllness: period.has("critical_illness") ? try parseCriticalIllness(try period.requiredTable("critical_illness")) : nil,
            assistance: assistance,
            outOfRegion: period.has("out_of_region") ? try parseOutOfRegion(try period.requiredTable("out_of_region")) : nil)
    }

    /// `[period.critical_illness]`: threshold, annual_cap, insurance_types and tiers, the
    /// bands of the amount above the threshold, from 0 and each starting where the one
    /// before ends (a gap or an overlap is an error naming the tier).
    private static func parseCriticalIllness(_ table: TableReader) throws -> CriticalIllnessRules {
        try table.allowOnly(["threshold", "annual_cap", "insurance_types", "tiers"])
        let (threshold, cap) = try thresholdAndCap(table)
        let typesValue = try table.value("insurance_types")
        guard let typeArray = typesValue.array, !typeArray.isEmpty else {
            throw table.reader.error(table.key("insurance_types"), "expected a non-empty array such as [\"employee\", \"resident\"]")
        }
        var types: [InsuranceType] = []
        for (i, item) in typeArray.enumerated() {
            guard let text = item.string, let type = InsuranceType(rawValue: text) else {
                throw table.reader.error(table.key("insurance_types[\(i)]"), "not one of \(InsuranceType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            types.append(type)
        }
        let tiersValue = try table.value("tiers")
        guard let tierArray = tiersValue.array, !tierArray.isEmpty else {
            throw table.reader.error(table.key("tiers"), "expected a non-empty array of { from, to, ratio }")
        }
        var tiers: [CriticalIllnessRules.Tier] = []
        for (i, item) in tierArray.enumerated() {
            let path = table.key("tiers[\(i)]")
            guard let tierTable = item.table else { throw table.reader.error(path, "expected a table { from, to, ratio }") }
            let tier = TableReader(table: tierTable, path: path, reader: table.reader)
            try tier.allowOnly(["from", "to", "ratio"])
            let from = try tier.requiredMoney("from")
            let to = tier.has("to") ? try tier.requiredMoney("to") : nil
            let ratio = try tier.requiredRatio("ratio")
            if let to, to <= from { throw table.reader.error(tier.key("to"), "\(to) is not above from \(from)") }
            if let previous = tiers.last {
                guard let end = previous.to else {
                    throw table.reader.error(path, "tiers[\(i - 1)] is open-ended, so this tier overlaps it")
                }
                if from > end { throw table.reader.error(tier.key("from"), "\(from) leaves a gap after tiers[\(i - 1)], which ends at \(end)") }
                if from < end { throw table.reader.error(tier.key("from"), "\(from) overlaps tiers[\(i - 1)], which ends at \(end)") }
            } else if from != 0 {
                throw table.reader.error(tier.key("from"), "the first tier starts at 0 (the threshold), found \(from)")
            }
            tiers.append(.init(from: from, to: to, ratio: ratio))
        }
        return CriticalIllnessRules(threshold: threshold, tiers: tiers, annualCap: cap, insuranceTypes: types)
    }

    /// `[period.assistance.CATEGORY]`: ratio, threshold, annual_cap, out_of_scope_share.
    private static func parseAssistance(_ table: TableReader) throws -> AssistanceRules {
        try table.allowOnly(["ratio", "threshold", "annual_cap", "out_of_scope_share"])
        let (threshold, cap) = try thresholdAndCap(table)
        return AssistanceRules(
            ratio: try table.requiredRatio("ratio"), threshold: threshold, annualCap: cap,
            outOfScopeShare: table.has("out_of_scope_share") ? try table.requiredRatio("out_of_scope_share") : 0)
    }

    /// A supplementary fund's yearly threshold and cap; a cap below the threshold is refused.
    private static func thresholdAndCap(_ table: TableReader) throws -> (threshold: Decimal, cap: Decimal) {
        let threshold = try table.requiredMoney("threshold")
        let cap = try table.requiredMoney("annual_cap")
        if cap < threshold {
            throw table.reader.error(table.key("annual_cap"), "\(cap) is below the threshold \(threshold)")
        }
        return (threshold, cap)
    }

    /// `[period.out_of_region]`: percentage points off the ratio (in_province, filed,
    /// unfiled) and an optional deductible of its own.
    private static func parseOutOfRegion(_ table: TableReader) throws -> OutOfRegionRules {
        try table.allowOnly(["in_province_ratio_reduction", "filed_ratio_reduction", "unfiled_ratio_reduction", "deductible"])
        let filed = try table.requiredRatio("filed_ratio_reduction")
        let unfiled = try table.requiredRatio("unfiled_ratio_reduction")
        if unfiled < filed {
            throw table.reader.error(
                table.key("unfiled_ratio_reduction"), "\(unfiled) is below filed_ratio_reduction \(filed): unfiled treatment is not paid better")
        }
        return OutOfRegionRules(
            inProvinceReduction: table.has("in_province_ratio_reduction") ? try table.requiredRatio("in_province_ratio_reduction") : 0,
            filedReduction: filed, unfiledReduction: unfiled,
            deductible: table.has("deductible") ? try table.requiredMoney("deductible") : nil)
    }

    private static func parseScheme(_ scheme: TableReader, levels: [Int]) throws -> SchemeRules {
        try scheme.allowOnly(["annual_fund_cap"] + VisitType.allCases.map(\.rawValue))
        let cap = try scheme.requiredMoney("annual_fund_cap")
        var visits: [VisitType: VisitRules] = [:]
        for visit in VisitType.allCases where scheme.has(visit.rawValue) {
            let rules = try scheme.requiredTable(visit.rawValue)
            try rules.allowOnly(["deductible", "deductible_basis", "ratio"])
            let basisText = try rules.requiredString("deductible_basis")
            guard let basis = DeductibleBasis(rawValue: basisText) else {
                throw rules.reader.error(
                    rules.key("deductible_basis"),
                    "'\(basisText)' is not one of \(DeductibleBasis.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let deductible = try rules.perLevel("deductible", levels: levels) { reader, path, value in
                try reader.decimal(value, path: path, money: true)
            }
            let ratio = try rules.perLevel("ratio", levels: levels) { reader, path, value in
                try reader.ratio(value, path: path)
            }
            visits[visit] = VisitRules(deductible: deductible, deductibleBasis: basis, ratio: ratio)
        }
        guard !visits.isEmpty else {
            throw scheme.reader.error(scheme.path, "defines no visit type: add outpatient and/or inpatient")
        }
        return SchemeRules(annualFundCap: cap, visits: visits)
    }

    private static func checkNoOverlap(_ periods: [PolicyPeriod], reader: PolicyReader) throws {
        let sorted = periods.sorted { $0.effectiveFrom < $1.effectiveFrom }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) {
            // An open-ended period runs forever, so anything after it overlaps.
            guard let end = earlier.effectiveTo, end < later.effectiveFrom else {
                throw reader.error(
                    "period[\(later.fileIndex)].effective_from",
                    "\(later.effectiveFrom) overlaps period[\(earlier.fileIndex)] (\(earlier.effectiveFrom) to \(earlier.effectiveTo ?? "open end"))")
            }
        }
    }
}

/// Builds errors that name the policy file.
private struct PolicyReader {
    var source: String

    func error(_ keyPath: String, _ message: String) -> SettlementError {
        .invalidPolicy(source: source, keyPath: keyPath, message: message)
    }

    /// A ratio: a number from 0 to 1 (TOML float, integer or string).
    func ratio(_ value: any TOMLValueConvertible, path: String) throws -> Decimal {
        let ratio = try decimal(value, path: path, money: false)
        guard ratio >= 0, ratio <= 1 else { throw error(path, "a ratio must be within 0 and 1, found \(ratio)") }
        return ratio
    }

    /// A decimal from a TOML integer or string; a float too, unless it is money.
    ///
    /// A TOML float is a binary double: money written as one could silently change by a
    /// fraction of a fen, so money must be an integer or a string ("1800.50"). Ratios and
    /// factors may be floats: they are read back through their shortest decimal form,
    /// which is the literal written for any value of up to 15 significant digits.
    func decimal(_ value: any TOMLValueConvertible, path: String, money: Bool) throws -> Decimal {
        switch value.type {
        case .int:
            guard let int = value.int else { break }
            let result = Decimal(int)
            if money, result < 0 { throw error(path, "money cannot be negative, found \(int)") }
            if money, result > Money.largest { throw error(path, "\(int) is past the largest amount claimeye takes, \(Money.largest) yuan") }
            return result
        case .string:
            guard let text = value.string else { break }
            guard let result = Money.parse(text) else {
                throw error(path, "'\(text)' is not a decimal number of at most \(Money.largest)")
            }
            if money, result < 0 { throw error(path, "money cannot be negative, found \(text)") }
            if money, Money.roundToFen(result) != result {
                throw error(path, "\(text) has more than two decimals (fen)")
            }
            return result
        case .double:
            guard let double = value.double else { break }
            if money {
                throw error(path, "write money as an integer or a string such as \"\(double)\", not a floating-point number")
            }
            guard double.isFinite, let result = Decimal(string: "\(double)", locale: Locale(identifier: "en_US_POSIX")) else {
                throw error(path, "\(double) is not a usable number")
            }
            return result
        default:
            break
        }
        throw error(path, "expected a number, found \(value.type)")
    }
}

/// One TOML table being read, with its key path for messages.
private struct TableReader {
    var table: TOMLTable
    var path: String
    var reader: PolicyReader

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func has(_ name: String) -> Bool { table[name] != nil }

    /// Refuses keys the policy format does not know, so a misspelt key is an error and
    /// not a silently ignored rule.
    func allowOnly(_ names: [String]) throws {
        for name in table.keys.sorted() where !names.contains(name) {
            throw reader.error(key(name), "unknown key; expected one of \(names.joined(separator: ", "))")
        }
    }

    func value(_ name: String) throws -> any TOMLValueConvertible {
        guard let value = table[name] else { throw reader.error(key(name), "missing") }
        return value
    }

    func requiredString(_ name: String) throws -> String {
        let value = try value(name)
        guard let string = value.string, !string.isEmpty else {
            throw reader.error(key(name), "expected a non-empty string, found \(value.type)")
        }
        return string
    }

    func optionalString(_ name: String) throws -> String? {
        has(name) ? try requiredString(name) : nil
    }

    func requiredTable(_ name: String) throws -> TableReader {
        let value = try value(name)
        guard let table = value.table else { throw reader.error(key(name), "expected a table, found \(value.type)") }
        return TableReader(table: table, path: key(name), reader: reader)
    }

    func requiredMoney(_ name: String) throws -> Decimal {
        try reader.decimal(try value(name), path: key(name), money: true)
    }

    func requiredRatio(_ name: String) throws -> Decimal {
        try reader.ratio(try value(name), path: key(name))
    }

    /// A date, as a TOML local date (`2026-01-01`) or an ISO string; returned as ISO text.
    func requiredDate(_ name: String) throws -> String {
        let value = try value(name)
        if let date = value.date {
            return ISODate.format(year: date.year, month: date.month, day: date.day)
        }
        if let text = value.string {
            guard ISODate.isValid(text) else { throw reader.error(key(name), "'\(text)' is not a date YYYY-MM-DD") }
            return text
        }
        throw reader.error(key(name), "expected a date such as 2026-01-01, found \(value.type)")
    }

    func optionalDate(_ name: String) throws -> String? {
        has(name) ? try requiredDate(name) : nil
    }

    /// The institution levels: a non-empty array of distinct integers 1, 2 or 3.
    func levels(_ name: String) throws -> [Int] {
        let value = try value(name)
        guard let array = value.array, !array.isEmpty else {
            throw reader.error(key(name), "expected a non-empty array of institution levels such as [1, 2, 3]")
        }
        var levels: [Int] = []
        for index in array.indices {
            guard let level = array[index].int, (1...3).contains(level) else {
                throw reader.error("\(key(name))[\(index)]", "an institution level is 1, 2 or 3, found \(array[index].debugDescription)")
            }
            guard !levels.contains(level) else {
                throw reader.error("\(key(name))[\(index)]", "level \(level) is listed twice")
            }
            levels.append(level)
        }
        return levels.sorted()
    }

    /// A value that is the same at every level, or a table keyed by level (`"1" = …`).
    /// Either way every declared level gets a value.
    func perLevel(
        _ name: String, levels: [Int],
        _ convert: (PolicyReader, String, any TOMLValueConvertible) throws -> Decimal
    ) throws -> [Int: Decimal] {
        let value = try value(name)
        if value.table != nil {
            return try levelTable(name, levels: levels, requireAll: true, convert)
        }
        let single = try convert(reader, key(name), value)
        return Dictionary(uniqueKeysWithValues: levels.map { ($0, single) })
    }

    /// A table keyed by institution level. Keys must be declared levels; with
    /// `requireAll`, every declared level must be present.
    func levelTable(
        _ name: String, levels: [Int], requireAll: Bool,
        _ convert: (PolicyReader, String, any TOMLValueConvertible) throws -> Decimal
    ) throws -> [Int: Decimal] {
        let value = try value(name)
        guard let table = value.table else {
            throw reader.error(key(name), "expected a table keyed by institution level, found \(value.type)")
        }
        var result: [Int: Decimal] = [:]
        for levelKey in table.keys.sorted() {
            let path = "\(key(name)).\(levelKey)"
            guard let level = Int(levelKey), levels.contains(level) else {
                throw reader.error(path, "not one of the period's levels \(levels)")
            }
            guard let entry = table[levelKey] else { continue }
            result[level] = try convert(reader, path, entry)
        }
        if requireAll {
            for level in levels where result[level] == nil {
                throw reader.error("\(key(name)).\(level)", "missing: the period declares institution level \(level)")
            }
        }
        return result
    }
}
