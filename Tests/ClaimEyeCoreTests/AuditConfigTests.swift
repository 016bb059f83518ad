import Foundation
import Testing

@testable import ClaimEyeCore

/// The `[audit]` table of the config.
@Suite struct AuditConfigTests {
    @Test func aConfigWithoutAnAuditTableRunsEveryRuleWithItsDefaults() throws {
        let config = try AuditConfig.parse(toml: "[ocr]\nlang = \"chi_sim\"\n", source: "claimeye.toml")
        #expect(config == .standard)
        for rule in AuditRuleID.allCases { #expect(config.setting(rule).enabled) }
        #expect(config.setting(.duplicateInvoice).severity == .block)
        #expect(config.setting(.priceAboveCap).severity == .warn)
    }

    @Test func everyKeyIsRead() throws {
        let toml = """
            [audit]
            low_confidence = 0.45
            dispensing_window_days = 14

            [audit.rules.PRICE_ABOVE_CAP]
            enabled = true
            severity = "block"

            [audit.rules.DUPLICATE_LINE]
            enabled = false

            [audit.default_quantity_limits]
            drug = 20
            consumable = "12.5"

            [audit.quantity_limits]
            "XJ01CAB037B436777560939" = 6
            """
        let config = try AuditConfig.parse(toml: toml, source: "claimeye.toml")
        #expect(config.lowConfidence == 0.45)
        #expect(config.dispensingWindowDays == 14)
        #expect(config.setting(.priceAboveCap) == AuditConfig.RuleSetting(enabled: true, severity: .block))
        // A switch alone keeps the rule's default severity.
        #expect(config.setting(.duplicateLine) == AuditConfig.RuleSetting(enabled: false, severity: .warn))
        #expect(config.defaultQuantityLimits == [.drug: 20, .service: 100, .consumable: Decimal(string: "12.5") ?? 0])
        #expect(config.quantityLimits == ["XJ01CAB037B436777560939": 6])
        #expect(config.quantityLimit(code: "XJ01CAB037B436777560939", kind: .drug) == 6)
        #expect(config.quantityLimit(code: "other", kind: .drug) == 20)
        #expect(config.quantityLimit(code: nil, kind: nil) == nil)
    }

    @Test(arguments: [
        ("[audit.rules.PRICE_ABOVE_KAP]\nenabled = true", "audit key 'audit.rules.PRICE_ABOVE_KAP': no audit rule has this id; the rules are DUPLICATE_INVOICE, "),
        ("[audit]\nlow_confidence = 60", "audit key 'audit.low_confidence': a confidence is within 0 and 1"),
        ("[audit]\nlow_confidense = 0.5", "audit key 'audit.low_confidense': unknown key"),
        ("[audit]\ndispensing_window_days = -1", "audit key 'audit.dispensing_window_days': expected a whole number"),
        ("[audit.rules.DUPLICATE_LINE]\nseverity = \"high\"", "audit key 'audit.rules.DUPLICATE_LINE.severity': expected \"block\" or \"warn\""),
        ("[audit.rules.DUPLICATE_LINE]\nenabled = \"yes\"", "audit key 'audit.rules.DUPLICATE_LINE.enabled': expected true or false"),
        ("[audit.rules.DUPLICATE_LINE]\nenable = true", "audit key 'audit.rules.DUPLICATE_LINE.enable': unknown key"),
        ("[audit.default_quantity_limits]\ndrugs = 3", "audit key 'audit.default_quantity_limits.drugs': not a catalogue kind"),
        ("[audit.quantity_limits]\nX1 = 0", "audit key 'audit.quantity_limits.X1': a quantity limit must be above 0"),
        ("audit = 3", "audit key 'audit': expected a table"),
    ])
    func aBadKeyIsAnErrorNamingIt(toml: String, message: String) {
        #expect {
            _ = try AuditConfig.parse(toml: toml, source: "claimeye.toml")
        } throws: { error in
            "\(error)".hasPrefix("claimeye.toml: " + message) || "\(error)".contains(message)
        }
    }

    @Test func aFileThatIsNotTOMLIsASyntaxError() {
        #expect {
            _ = try AuditConfig.parse(toml: "[audit\nx = 1", source: "claimeye.toml")
        } throws: { error in
            guard case .syntax(let source, let line, _, _)? = error as? AuditConfigError else { return false }
            return source == "claimeye.toml" && line == 1
        }
    }
}
