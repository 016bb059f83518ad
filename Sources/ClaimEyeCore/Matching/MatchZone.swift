/// Where a match leaves a line item (DESIGN.md, "Catalogue matcher").
public enum MatchZone: String, Codable, Hashable, Sendable {
    /// Confident: settled against the top candidate.
    case auto
    /// Plausible but not certain: held for a person.
    case review
    /// Out of catalogue: 全自费, and flagged.
    case none
}

/// The thresholds that decide the zone; the defaults were calibrated on the matcher
/// benchmark (scripts/bench-match) so that auto-zone matches are at least 99.5% right.
public struct MatchThresholds: Codable, Hashable, Sendable {
    /// The top score needed for `auto`.
    public var auto: Double
    /// How far the top score must lead the next entry for `auto`: two entries the
    /// evidence cannot separate (a drug cross-listed in two forms) go to review.
    public var autoMargin: Double
    /// The top score needed for `review`; below it the line is `none`.
    public var review: Double

    /// The calibrated defaults.
    public init(auto: Double = 0.80, autoMargin: Double = 0.03, review: Double = 0.55) {
        self.auto = auto
        self.autoMargin = autoMargin
        self.review = review
    }

    /// The zone of a result whose best candidate scored `top` and the runner-up `second`.
    public func zone(top: Double?, second: Double?, learned: Bool = false) -> MatchZone {
        guard let top else { return .none }
        // A person's earlier decision for this exact spelling settles it.
        if learned { return .auto }
        if top >= auto && top - (second ?? 0) >= autoMargin { return .auto }
        return top >= review ? .review : .none
    }
}
