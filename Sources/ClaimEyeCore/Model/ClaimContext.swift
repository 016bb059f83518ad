/// 职工 / 居民: which scheme the insured person belongs to.
public enum InsuranceType: String, Codable, Hashable, Sendable, CaseIterable {
    case employee
    case resident
}

/// 门诊 / 住院.
public enum VisitType: String, Codable, Hashable, Sendable, CaseIterable {
    case outpatient
    case inpatient
}

/// Where a claim's treatment took place, against the region where the person is insured.
public enum TreatmentPlace: String, Codable, Hashable, Sendable, CaseIterable {
    case inRegion = "in_region"
    case inProvince = "in_province"
    case outOfProvince = "out_of_province"
}

/// The claim's context, from the sidecar `claim.json` or the config's defaults.
public struct ClaimContext: Codable, Hashable, Sendable {
    public var claimId: String
    public var insuredId: String?
    public var insuranceType: InsuranceType
    /// 医院等级: 1, 2 or 3.
    public var institutionLevel: Int
    public var visitType: VisitType
    /// ISO date of the service, e.g. `2026-03-14`.
    public var serviceDate: String?
    /// `M` or `F`.
    public var sex: String?
    public var age: Int?
    /// The person's medical-assistance category (a key of the policy's `assistance`
    /// table: 特困人员, 低保对象 …); nil for a person without one.
    public var assistanceCategory: String?
    /// Where the treatment took place; nil means in the region.
    public var treatmentPlace: TreatmentPlace?
    /// Whether treatment out of the province was filed (备案) with the insurer.
    public var filed: Bool?
    /// The names of the fields that came from the config's defaults, sorted.
    public var defaulted: [String]

    public init(
        claimId: String, insuredId: String? = nil, insuranceType: InsuranceType,
        institutionLevel: Int, visitType: VisitType, serviceDate: String? = nil,
        sex: String? = nil, age: Int? = nil, assistanceCategory: String? = nil, treatmentPlace: TreatmentPlace? = nil,
        filed: Bool? = nil, defaulted: [String] = []
    ) {
        self.assistanceCategory = assistanceCategory
        self.treatmentPlace = treatmentPlace
        self.filed = filed
        self.claimId = claimId
        self.insuredId = insuredId
        self.insuranceType = insuranceType
        self.institutionLevel = institutionLevel
        self.visitType = visitType
        self.serviceDate = serviceDate
        self.sex = sex
        self.age = age
        self.defaulted = defaulted
    }

    enum CodingKeys: String, CodingKey {
        case claimId = "claim_id"
        case insuredId = "insured_id"
        case insuranceType = "insurance_type"
        case institutionLevel = "institution_level"
        case visitType = "visit_type"
        case serviceDate = "service_date"
        case sex, age, defaulted
        case assistanceCategory = "assistance_category"
        case treatmentPlace = "treatment_place"
        case filed
    }
}

extension ClaimContext {
    /// The insured person and the calendar year the claim counts in (towards the annual
    /// cap and a year-basis deductible), when both are known.
    public var personYear: (insuredId: String, year: Int)? {
        guard let insured = insuredId, let date = serviceDate, let year = Int(date.prefix(4)) else { return nil }
        return (insured, year)
    }
}

/// Masks personal identifiers for logs: the first and last character stay, the rest
/// become `*`, so a log line can be matched to a claim without naming the person.
public func maskPersonal(_ text: String) -> String {
    let characters = Array(text)
    guard characters.count > 2 else { return String(repeating: "*", count: characters.count) }
    return "\(characters[0])" + String(repeating: "*", count: characters.count - 2)
        + "\(characters[characters.count - 1])"
}
