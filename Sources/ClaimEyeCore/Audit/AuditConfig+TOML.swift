import Foundation
import TOMLKit

extension AuditConfig {
    /// Reads the `[audit]` table of a TOML config; other top-level tables belong to other
    /// parts of the config and are left alone. Without an `[audit]` table every rule runs
    /// with its defaults. `source` names the file in messages.
    ///
    /// ```toml
    /// [audit]
    /// low_confidence = 0.6           # 0–1, the parser's confidence scale
    /// dispensing_window_days = 7
    ///
    /// [audit.rules.PRICE_ABOVE_CAP]  # any AuditRuleID; both keys optional
    /// enabled = true
    /// severity = "warn"              # or "block"
    ///
    /// [audit.default_quantity_limits]  # per catalogue kind
    /// drug = 30
    /// service = 100
    /// consumable = 50
    ///
    /// [audit.quantity_limits]        # per catalogue code, overriding the kind's
    /// "XJ01CAB037B436777560939" = 6
    /// ```
    public static func parse(toml text: String, source: String) throws -> AuditConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw AuditConfigError.syntax(
                source: source, line: error.source.begin.line, column: error.source.begin.column,
                message: error.description)
        }
        guard let audit = root["audit"] else { return AuditConfig() }
        guard let table = audit.table else {
            throw AuditConfigError.invalid(source: source, keyPath: "audit", message: "expected a table, found \(audit.type)")
        }
        return try parse(auditTable: table, source: source)
    }

    /// Reads an `[audit]` table already parsed (the table itself, not the config's root).
    /// Every key is checked: a misspelt key or rule id would otherwise leave a rule
    /// silently at its default.
    public static func parse(auditTable table: TOMLTable, source: String) throws -> AuditConfig {
        let reader = AuditTOMLReader(source: source)
        var config = AuditConfig()
        let known = ["low_confidence", "dispensing_window_days", "rules", "default_quantity_limits", "quantity_limits", "settlement_tolerance"]
        for key in table.keys.sorted() where !known.contains(key) {
            throw reader.error("audit.\(key)", "unknown key; expected one of \(known.joined(separator: ", "))")
        }
        if let value = table["low_confidence"] {
            let threshold = try reader.number(value, path: "audit.low_confidence")
            guard threshold >= 0, threshold <= 1 else {
                throw reader.error("audit.low_confidence", "a confidence is within 0 and 1 (the parser's scale), found \(threshold)")
            }
            config.lowConfidence = NSDecimalNumber(decimal: threshold).doubleValue
        }
        if let value = table["settlement_tolerance"] {
            let tolerance = try reader.number(value, path: "audit.settlement_tolerance")
            guard tolerance >= 0 else {
                throw reader.error("audit.settlement_tolerance", "an amount in yuan, 0 or more, found \(tolerance)")
            }
            config.settlementTolerance = tolerance
        }
        if let value = table["dispensing_window_days"] {
            guard let days = value.int, days >= 0 else {
                throw reader.error("audit.dispensing_window_days", "expected a whole number of days, 0 or more, found \(value.debugDescription)")
            }
            config.dispensingWindowDays = days
        }
        if let value = table["rules"] {
            let rules = try reader.table(value, path: "audit.rules")
            let ids = AuditRuleID.allCases.map(\.rawValue)
            for key in rules.keys.sorted() {
                let path = "audit.rules.\(key)"
                guard let rule = AuditRuleID(rawValue: key) else {
                    throw reader.error(path, "no audit rule has this id; the rules are \(ids.joined(separator: ", "))")
                }
                guard let entry = rules[key] else { continue }
                config.rules[rule] = try reader.ruleSetting(entry, path: path, default: config.setting(rule))
            }
        }
        if let value = table["default_quantity_limits"] {
            let limits = try reader.table(value, path: "audit.default_quantity_limits")
            for key in limits.keys.sorted() {
                let path = "audit.default_quantity_limits.\(key)"
                guard let kind = CatalogueKind(rawValue: key) else {
                    throw reader.error(path, "not a catalogue kind; expected one of \(CatalogueKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let entry = limits[key] else { continue }
                config.defaultQuantityLimits[kind] = try reader.limit(entry, path: path)
            }
        }
        if let value = table["quantity_limits"] {
            let limits = try reader.table(value, path: "audit.quantity_limits")
            for code in limits.keys.sorted() {
                guard let entry = limits[code] else { continue }
                config.quantityLimits[code] = try reader.limit(entry, path: "audit.quantity_limits.\(code)")
            }
        }
        return config
    }
}

/// Builds errors that name the config file, and reads typed values.
private struct AuditTOMLReader {
    var source: String

    func error(_ keyPath: String, _ message: String) -> AuditConfigError {
        .invalid(source: source, keyPath: keyPath, message: message)
    }

    func table(_ value: any TOMLValueConvertible, path: String) throws -> TOMLTable {
        guard let table = value.table else { throw error(path, "expected a table, found \(value.type)") }
        return table
    }

    /// A number from a TOML integer, float or decimal string. Floats go through their
    /// shortest decimal form, which is the literal written for thresholds like 0.6.
    func number(_ value: any TOMLValueConvertible, path: String) throws -> Decimal {
        switch value.type {
        case .int:
            if let int = value.int { return Decimal(int) }
        case .double:
            if let double = value.double, double.isFinite,
                let result = Decimal(string: "\(double)", locale: Locale(identifier: "en_US_POSIX"))
            {
                return result
            }
        case .string:
            if let text = value.string, let result = Money.parse(text) { return result }
            throw error(path, "'\(value.string ?? "")' is not a number")
        default:
            break
        }
        throw error(path, "expected a number, found \(value.type)")
    }

    /// A quantity limit: a number above 0.
    func limit(_ value: any TOMLValueConvertible, path: String) throws -> Decimal {
        let limit = try number(value, path: path)
        guard limit > 0 else { throw error(path, "a quantity limit must be above 0, found \(limit)") }
        return limit
    }

    /// `[audit.rules.ID]`: `enabled` and `severity`, each optional.
    func ruleSetting(_ value: any TOMLValueConvertible, path: String, default setting: AuditConfig.RuleSetting) throws -> AuditConfig.RuleSetting {
        let rule = try table(value, path: path)
        var result = setting
        for key in rule.keys.sorted() where key != "enabled" && key != "severity" {
            throw error("\(path).\(key)", "unknown key; expected enabled, severity")
        }
        if let enabled = rule["enabled"] {
            guard let flag = enabled.bool else {
                throw error("\(path).enabled", "expected true or false, found \(enabled.type)")
            }
            result.enabled = flag
        }
        if let severity = rule["severity"] {
            guard let text = severity.string, let level = AuditSeverity(rawValue: text) else {
                throw error("\(path).severity", "expected \"block\" or \"warn\", found \(severity.debugDescription)")
            }
            result.severity = level
        }
        return result
    }
}
