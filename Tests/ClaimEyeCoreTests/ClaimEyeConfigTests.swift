import ClaimEyeCore
import ClaimEyeTestSupport
import Foundation
import Testing

@Suite struct ClaimEyeConfigTests {
    @Test func theSampleConfigurationReads() throws {
        let path = TestPaths.fixture("claimeye.toml")
        let config = try ClaimEyeConfig.parse(toml: try String(contentsOfFile: path, encoding: .utf8), source: path)
        #expect(config.policy == TestPaths.fixture("policies/east-sample.toml"))
        #expect(config.defaultVisitType == .outpatient)
        #expect(config.stableSeconds == 1.0)
    }

    @Test(arguments: [
        ("polcy = \"x.toml\"", "polcy"),
        ("[defaults]\ninstitution_level = 5", "defaults.institution_level"),
        ("[defaults]\nvisit_type = \"day\"", "defaults.visit_type"),
        ("[intake]\nstable_seconds = -1", "intake.stable_seconds"),
        ("[matcher]\nauto = 0.5\nreview = 0.7", "matcher.review"),
        ("[audit.rules.NO_SUCH_RULE]\nenabled = false", "NO_SUCH_RULE"),
    ])
    func aBadKeyIsNamed(toml: String, key: String) {
        #expect {
            _ = try ClaimEyeConfig.parse(toml: toml, source: "c.toml")
        } throws: { error in
            "\(error)".contains(key)
        }
    }

    @Test func auditSwitchesComeFromTheConfiguration() throws {
        let config = try ClaimEyeConfig.parse(
            toml: "[audit.rules.PRICE_ABOVE_CAP]\nenabled = false\n", source: "c.toml")
        #expect(config.audit.setting(.priceAboveCap).enabled == false)
        #expect(config.audit.setting(.duplicateInvoice).enabled)
    }

    @Test func missingContextIsDefaultedAndNamed() throws {
        var sidecar = ClaimSidecar()
        sidecar.visitType = .inpatient
        let context = ClaimEyeConfig().context(claimId: "c1", sidecar: sidecar)
        #expect(context.visitType == .inpatient)
        #expect(context.defaulted == ["institution_level", "insurance_type"])
        #expect(ClaimEyeConfig().context(claimId: "c1", sidecar: nil).defaulted.count == 3)
    }

    @Test func aSidecarIsChecked() {
        #expect(throws: ConfigError.self) { try ClaimSidecar.decode(Data(#"{"sex": "X"}"#.utf8), source: "claim.json") }
        #expect(throws: ConfigError.self) { try ClaimSidecar.decode(Data(#"{"service_date": "2026-02-30"}"#.utf8), source: "claim.json") }
        #expect(throws: ConfigError.self) { try ClaimSidecar.decode(Data(#"{"claim_id": "../x"}"#.utf8), source: "claim.json") }
        #expect(throws: ConfigError.self) { try ClaimSidecar.decode(Data("[1]".utf8), source: "claim.json") }
    }
}
