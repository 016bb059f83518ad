import Foundation

/// Where a claim taken from an inbox ended up.
public enum ClaimState: String, Codable, Hashable, Sendable {
    /// Settled: every line decided, the fund pays as shown.
    case settled
    /// Some lines or an audit rule wait for a person; nothing held was paid.
    case needsReview = "needs_review"
    /// Could not be read or refused (bad file, duplicate pages); its files are in failed/.
    case failed
}
