import Foundation
import TOMLKit

/// What a problem with the configuration file is (exit 65; a missing file is exit 66).
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file named by --config does not exist.
    case fileNotFound(path: String)
    /// The file is not valid TOML, or a key has the wrong type or an unknown name.
    case invalid(source: String, keyPath: String, message: String)
    /// A run needs a policy and neither --policy nor a configuration file named one;
    /// `searched` lists where a configuration file was looked for.
    case noPolicy(searched: [String])

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such configuration file"
        case .invalid(let source, let keyPath, let message):
            return "\(source): \(keyPath.isEmpty ? "" : keyPath + ": ")\(message)"
        case .noPolicy(let searched):
            return "no policy: pass --policy FILE, or a configuration file naming one with --config FILE "
                + "(no configuration file found; looked for \(searched.joined(separator: ", ")))"
        }
    }
}

/// The run's configuration (`--config FILE`, TOML): the regional policy, the claim
/// context used where a claim's sidecar says nothing, intake limits and the matcher's
/// zone thresholds. `Fixtures/claimeye.toml` documents every key.
public struct ClaimEyeConfig: Sendable, Hashable {
    /// The configuration file a run reads: `--config`, else `$CLAIMEYE_CONFIG`, else
    /// `./claimeye.toml` when present, else the installed one (`PREFIX/share/claimeye`).
    /// With none of them, `path` is nil and `searched` says where it looked.
    public static func locate(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        installed: String? = InstalledFiles.path("claimeye.toml")
    ) -> (path: String?, searched: [String]) {
        if let explicit { return (explicit, [explicit]) }
        if let named = environment["CLAIMEYE_CONFIG"], !named.isEmpty { return (named, [named]) }
        var searched = ["./claimeye.toml"]
        if FileManager.default.fileExists(atPath: "claimeye.toml") { return ("claimeye.toml", searched) }
        if let installed {
            searched.append(installed)
            if FileManager.default.fileExists(atPath: installed) { return (installed, searched) }
        } else {
            searched.append("PREFIX/share/claimeye/claimeye.toml (claimeye is not installed: scripts/install)")
        }
        return (nil, searched)
    }

    /// The policy file, resolved against the configuration file's folder.
    public var policy: String?
    /// Context for claims whose sidecar lacks a field (recorded as defaulted).
    public var defaultInsuranceType: InsuranceType = .employee
    public var defaultInstitutionLevel: Int = 2
    public var defaultVisitType: VisitType = .outpatient
    /// `[defaults] treatment_place` and `assistance_category`: for a window whose claims
    /// are mostly of one kind (a window for treatment elsewhere, an assistance office).
    /// Unset, a claim without them is treated in the region and has no category, and
    /// nothing is recorded as defaulted.
    public var defaultTreatmentPlace: TreatmentPlace?
    public var defaultAssistanceCategory: String?
    /// Pages above this many pixels are refused from their header.
    public var maxPixels: Int = 120_000_000
    /// intake.max_pages: a PDF or OFD with more pages is refused before any is read.
    public var maxPages: Int = 500
    /// A file is taken once its size and mtime are the same at two looks this far apart.
    public var stableSeconds: Double = 1.0
    /// How often `watch` looks at the inbox.
    public var pollSeconds: Double = 5.0
    /// The matcher's zones.
    public var thresholds = MatchThresholds()
    /// The audit rules' switches, severities and limits (`[audit]`).
    public var audit = AuditConfig.standard

    public init() {}

    /// Reads a configuration from TOML text; `source` is the file's path (relative
    /// paths in it are resolved against its folder).
    public static func parse(toml text: String, source: String) throws -> ClaimEyeConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError.invalid(
                source: source, keyPath: "", message: "line \(error.source.begin.line): \(error.description)")
        }
        var config = ClaimEyeConfig()
        let folder = (source as NSString).deletingLastPathComponent
        try allowOnly(root, ["policy", "defaults", "intake", "matcher", "audit"], path: "", source: source)
        if let audit = try table(root, "audit", source: source) {
            config.audit = try AuditConfig.parse(auditTable: audit, source: source)
        }
        if let value = root["policy"] {
            guard let path = value.string, !path.isEmpty else {
                throw ConfigError.invalid(source: source, keyPath: "policy", message: "expected a file path")
            }
            config.policy = path.hasPrefix("/") ? path : (folder.isEmpty ? path : folder + "/" + path)
        }
        if let defaults = try table(root, "defaults", source: source) {
            try allowOnly(
                defaults, ["insurance_type", "institution_level", "visit_type", "treatment_place", "assistance_category"], path: "defaults",
                source: source)
            if let text = try string(defaults, "treatment_place", path: "defaults", source: source) {
                guard let place = TreatmentPlace(rawValue: text) else {
                    throw ConfigError.invalid(
                        source: source, keyPath: "defaults.treatment_place",
                        message: "one of \(TreatmentPlace.allCases.map(\.rawValue).joined(separator: ", ")), found \(text)")
                }
                config.defaultTreatmentPlace = place
            }
            config.defaultAssistanceCategory = try string(defaults, "assistance_category", path: "defaults", source: source)
            if let text = try string(defaults, "insurance_type", path: "defaults", source: source) {
                guard let type = InsuranceType(rawValue: text) else {
                    throw ConfigError.invalid(source: source, keyPath: "defaults.insurance_type", message: "employee or resident, found \(text)")
                }
                config.defaultInsuranceType = type
            }
            if let level = defaults["institution_level"] {
                guard let number = level.int, (1...3).contains(number) else {
                    throw ConfigError.invalid(source: source, keyPath: "defaults.institution_level", message: "1, 2 or 3")
                }
                config.defaultInstitutionLevel = number
            }
            if let text = try string(defaults, "visit_type", path: "defaults", source: source) {
                guard let visit = VisitType(rawValue: text) else {
                    throw ConfigError.invalid(source: source, keyPath: "defaults.visit_type", message: "outpatient or inpatient, found \(text)")
                }
                config.defaultVisitType = visit
            }
        }
        if let intake = try table(root, "intake", source: source) {
            try allowOnly(intake, ["max_pixels", "max_pages", "stable_seconds", "poll_seconds"], path: "intake", source: source)
            func positive(_ key: String) throws -> Int? {
                guard let value = intake[key] else { return nil }
                guard let number = value.int, number > 0 else {
                    throw ConfigError.invalid(source: source, keyPath: "intake.\(key)", message: "a positive integer")
                }
                return number
            }
            if let number = try positive("max_pixels") { config.maxPixels = number }
            if let number = try positive("max_pages") { config.maxPages = number }
            config.stableSeconds = try seconds(intake, "stable_seconds", source: source) ?? config.stableSeconds
            config.pollSeconds = try seconds(intake, "poll_seconds", source: source) ?? config.pollSeconds
        }
        if let matcher = try table(root, "matcher", source: source) {
            try allowOnly(matcher, ["auto", "auto_margin", "review"], path: "matcher", source: source)
            let auto = try score(matcher, "auto", source: source) ?? config.thresholds.auto
            let margin = try score(matcher, "auto_margin", source: source) ?? config.thresholds.autoMargin
            let review = try score(matcher, "review", source: source) ?? config.thresholds.review
            guard review <= auto else {
                throw ConfigError.invalid(source: source, keyPath: "matcher.review", message: "must not be above matcher.auto")
            }
            config.thresholds = MatchThresholds(auto: auto, autoMargin: margin, review: review)
        }
        return config
    }

    /// The context of a claim: what its sidecar gave, the rest from the defaults, each
    /// defaulted field named.
    public func context(claimId: String, sidecar: ClaimSidecar?) -> ClaimContext {
        var defaulted: [String] = []
        let insuranceType = sidecar?.insuranceType ?? { defaulted.append("insurance_type"); return defaultInsuranceType }()
        let level = sidecar?.institutionLevel ?? { defaulted.append("institution_level"); return defaultInstitutionLevel }()
        let visit = sidecar?.visitType ?? { defaulted.append("visit_type"); return defaultVisitType }()
        var place = sidecar?.treatmentPlace
        if place == nil, let fallback = defaultTreatmentPlace {
            place = fallback
            defaulted.append("treatment_place")
        }
        var category = sidecar?.assistanceCategory
        if category == nil, let fallback = defaultAssistanceCategory {
            category = fallback
            defaulted.append("assistance_category")
        }
        return ClaimContext(
            claimId: sidecar?.claimId ?? claimId, insuredId: sidecar?.insuredId, insuranceType: insuranceType,
            institutionLevel: level, visitType: visit, serviceDate: sidecar?.serviceDate, sex: sidecar?.sex,
            age: sidecar?.age, assistanceCategory: category, treatmentPlace: place,
            filed: sidecar?.filed, defaulted: defaulted.sorted())
    }

    private static func allowOnly(_ table: TOMLTable, _ names: [String], path: String, source: String) throws {
        for key in table.keys.sorted() where !names.contains(key) {
            throw ConfigError.invalid(
                source: source, keyPath: path.isEmpty ? key : "\(path).\(key)",
                message: "unknown key; expected one of \(names.joined(separator: ", "))")
        }
    }

    private static func table(_ root: TOMLTable, _ name: String, source: String) throws -> TOMLTable? {
        guard let value = root[name] else { return nil }
        guard let table = value.table else { throw ConfigError.invalid(source: source, keyPath: name, message: "expected a table") }
        return table
    }

    private static func string(_ table: TOMLTable, _ name: String, path: String, source: String) throws -> String? {
        guard let value = table[name] else { return nil }
        guard let text = value.string else { throw ConfigError.invalid(source: source, keyPath: "\(path).\(name)", message: "expected a string") }
        return text
    }

    private static func seconds(_ table: TOMLTable, _ name: String, source: String) throws -> Double? {
        guard let value = table[name] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), number >= 0, number <= 3600 else {
            throw ConfigError.invalid(source: source, keyPath: "intake.\(name)", message: "seconds from 0 to 3600")
        }
        return number
    }

    private static func score(_ table: TOMLTable, _ name: String, source: String) throws -> Double? {
        guard let value = table[name] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), number >= 0, number <= 1 else {
            throw ConfigError.invalid(source: source, keyPath: "matcher.\(name)", message: "a score from 0 to 1")
        }
        return number
    }
}

/// A claim's sidecar (`claim.json` in a claim folder, `NAME.claim.json` beside a loose
/// file): the claim context the scans cannot tell. Every field is optional.
public struct ClaimSidecar: Codable, Hashable, Sendable {
    public var claimId: String?
    public var insuredId: String?
    public var insuranceType: InsuranceType?
    public var institutionLevel: Int?
    public var visitType: VisitType?
    public var serviceDate: String?
    public var sex: String?
    public var age: Int?
    /// The person's medical-assistance category, a key of the policy's `assistance`.
    public var assistanceCategory: String?
    /// Where the treatment took place (in_region when not said).
    public var treatmentPlace: TreatmentPlace?
    /// Whether treatment out of the province was filed with the insurer.
    public var filed: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case claimId = "claim_id"
        case insuredId = "insured_id"
        case insuranceType = "insurance_type"
        case institutionLevel = "institution_level"
        case visitType = "visit_type"
        case serviceDate = "service_date"
        case sex, age
        case assistanceCategory = "assistance_category"
        case treatmentPlace = "treatment_place"
        case filed
    }

    /// Reads and checks a sidecar; the message of a thrown error says what is wrong.
    public static func decode(_ data: Data, source: String) throws -> ClaimSidecar {
        let sidecar: ClaimSidecar
        do {
            sidecar = try JSONDecoder().decode(ClaimSidecar.self, from: data)
        } catch {
            throw ConfigError.invalid(source: source, keyPath: "", message: "not a valid claim sidecar (\(error))")
        }
        if let level = sidecar.institutionLevel, !(1...3).contains(level) {
            throw ConfigError.invalid(source: source, keyPath: "institution_level", message: "1, 2 or 3, found \(level)")
        }
        if let date = sidecar.serviceDate, !ISODate.isValid(date) {
            throw ConfigError.invalid(source: source, keyPath: "service_date", message: "an ISO date (2026-03-14), found \(date)")
        }
        if let sex = sidecar.sex, sex != "M", sex != "F" {
            throw ConfigError.invalid(source: source, keyPath: "sex", message: "M or F, found \(sex)")
        }
        if sidecar.filed != nil, sidecar.treatmentPlace != .outOfProvince {
            throw ConfigError.invalid(
                source: source, keyPath: "filed",
                message: "filed is said only of treatment out of the province (treatment_place \"out_of_province\")")
        }
        if let id = sidecar.claimId, id.isEmpty || id.contains("/") || id.hasPrefix(".") {
            throw ConfigError.invalid(source: source, keyPath: "claim_id", message: "a name usable as a file name, found \(id)")
        }
        return sidecar
    }
}
