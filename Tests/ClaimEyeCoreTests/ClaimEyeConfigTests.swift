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
        ("[defaults]\ntreatment_place = \"abroad\"", "defaults.treatment_place"),
        ("[audit]\nsettlement_tolerance = -1", "audit.settlement_tolerance"),
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

    /// A window for treatment elsewhere, or an assistance office, sets the one-stop
    /// context's defaults; a claim's sidecar still wins, and what was defaulted is named.
    @Test func treatmentPlaceAndAssistanceCategoryDefaultOnlyWhenConfigured() throws {
        let plain = try ClaimEyeConfig.parse(toml: "", source: "c.toml")
        let untouched = plain.context(claimId: "A", sidecar: nil)
        #expect(untouched.treatmentPlace == nil && untouched.assistanceCategory == nil)
        #expect(!untouched.defaulted.contains("treatment_place"))
        let office = try ClaimEyeConfig.parse(
            toml: "[defaults]\ntreatment_place = \"out_of_province\"\nassistance_category = \"dibao\"\n", source: "c.toml")
        let defaulted = office.context(claimId: "B", sidecar: nil)
        #expect(defaulted.treatmentPlace == .outOfProvince && defaulted.assistanceCategory == "dibao")
        #expect(defaulted.defaulted.contains("treatment_place") && defaulted.defaulted.contains("assistance_category"))
        var sidecar = ClaimSidecar()
        sidecar.treatmentPlace = .inRegion
        sidecar.assistanceCategory = "tekun"
        let given = office.context(claimId: "C", sidecar: sidecar)
        #expect(given.treatmentPlace == .inRegion && given.assistanceCategory == "tekun")
        #expect(!given.defaulted.contains("treatment_place") && !given.defaulted.contains("assistance_category"))
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

    /// --config, then $CLAIMEYE_CONFIG, then ./claimeye.toml, then the installed file; with
    /// none, where it looked (the tests run in the package root, which holds no claimeye.toml).
    @Test func theConfigurationIsFoundInItsOrder() throws {
        let installed = FileManager.default.temporaryDirectory.appendingPathComponent("claimeye-\(UUID().uuidString).toml").path
        defer { try? FileManager.default.removeItem(atPath: installed) }
        #expect(!FileManager.default.fileExists(atPath: "claimeye.toml"))
        let environment = ["CLAIMEYE_CONFIG": "/etc/from-env.toml"]
        #expect(ClaimEyeConfig.locate(explicit: "given.toml", environment: environment, installed: installed).path == "given.toml")
        #expect(ClaimEyeConfig.locate(explicit: nil, environment: environment, installed: installed).path == "/etc/from-env.toml")
        let missing = ClaimEyeConfig.locate(explicit: nil, environment: [:], installed: installed)
        #expect(missing.path == nil)
        #expect(missing.searched == ["./claimeye.toml", installed])
        FileManager.default.createFile(atPath: installed, contents: Data("policy = \"p.toml\"\n".utf8))
        #expect(ClaimEyeConfig.locate(explicit: nil, environment: [:], installed: installed).path == installed)
        let notInstalled = ClaimEyeConfig.locate(explicit: nil, environment: [:], installed: nil)
        #expect(notInstalled.path == nil)
        #expect("\(ConfigError.noPolicy(searched: notInstalled.searched))".contains("scripts/install"))
    }
}
