/// One audit finding: which rule, how serious, which line (nil for the whole claim),
/// a sentence a claimant or a clerk can read, and the evidence behind it.
public struct AuditFlag: Codable, Hashable, Sendable {
    /// The rule that fired.
    public var rule: AuditRuleID
    /// Block (held for review) or warn (flagged only), from the config.
    public var severity: AuditSeverity
    /// The line's position in the claim (zero-based, as in the settlement), or nil when
    /// the finding is about the whole claim or one of its documents.
    public var lineIndex: Int?
    /// Plain words in English, with the Chinese term where there is one.
    public var message: String
    /// The facts the rule compared, by name (`earlier_claim`, `unit_price`, `price_cap` …).
    /// Encoded with sorted keys by any encoder set to `.sortedKeys`; `sortedEvidence`
    /// gives the same order for text.
    public var evidence: [String: String]

    public init(rule: AuditRuleID, severity: AuditSeverity, lineIndex: Int?, message: String, evidence: [String: String]) {
        self.rule = rule
        self.severity = severity
        self.lineIndex = lineIndex
        self.message = message
        self.evidence = evidence
    }

    /// The evidence as name–value pairs in name order.
    public var sortedEvidence: [(name: String, value: String)] {
        evidence.keys.sorted().map { ($0, evidence[$0] ?? "") }
    }

    enum CodingKeys: String, CodingKey {
        case rule, severity, message, evidence
        case lineIndex = "line_index"
    }
}

extension AuditFlag {
    /// The order flags are listed in: claim-level first, then by line, then by rule, then
    /// by message, so the same input always gives the same list.
    static func precedes(_ lhs: AuditFlag, _ rhs: AuditFlag) -> Bool {
        let left = lhs.lineIndex ?? -1
        let right = rhs.lineIndex ?? -1
        if left != right { return left < right }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.message < rhs.message
    }
}

extension Array where Element == AuditFlag {
    /// Whether any flag holds the claim for review.
    public var blocksSettlement: Bool { contains { $0.severity == .block } }
}
