import Foundation

/// A query's full and core keys prepared for bit-parallel edit distance.
struct QueryPatterns {
    let full: EditPattern
    let core: EditPattern
    let coreDiffers: Bool

    init(_ query: NormalisedName) {
        full = EditPattern(query.full)
        coreDiffers = query.core != query.full
        core = coreDiffers ? EditPattern(query.core) : full
    }
}

/// The factors of a candidate's score. The score is
/// `nameWeight × name + neutral + form + spec + price`, clamped to 0…1: a perfect name
/// with no other evidence scores 0.95, with every factor agreeing 1.0.
public enum MatchScorer {
    /// Weight of the name similarity.
    public static let nameWeight = 0.93
    /// What a candidate gets when no spec, form or price evidence speaks either way.
    public static let neutral = 0.02

    /// Normalised Levenshtein similarity: `1 − distance / longer length`, 1 for two
    /// empty keys. A misread, dropped or inserted character costs one edit each.
    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a == b { return 1 }
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(levenshtein(a, b)) / Double(longer)
    }

    /// Edit distance with unit costs; one row of scratch.
    public static func levenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: b.count + 1) { row in
            for j in 0...b.count { row[j] = j }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 1...a.count {
                        var diagonal = row[0]
                        row[0] = i
                        let ca = a[i - 1]
                        for j in 1...b.count {
                            let above = row[j]
                            let cost = ca == b[j - 1] ? 0 : 1
                            row[j] = Swift.min(above + 1, row[j - 1] + 1, diagonal + cost)
                            diagonal = above
                        }
                    }
                }
            }
            return row[b.count]
        }
    }

    /// Name similarity of a query and one key of an entry: the better of the full keys
    /// and the core keys (forms and salts removed), with a small share of the full-key
    /// similarity so that, of two entries equal on the core, the one whose printed form
    /// agrees ranks first.
    public static func nameSimilarity(query: NormalisedName, key: NormalisedName) -> Double {
        nameSimilarity(query: QueryPatterns(query), key: key)
    }

    /// `nameSimilarity(query:key:)` with the query prepared once for many keys.
    static func nameSimilarity(query: QueryPatterns, key: NormalisedName) -> Double {
        nameSimilarity(query: query, full: key.full[...], core: key.core[...], stem: key.stem[...])
    }

    /// `nameSimilarity(query:key:)` on a key's parts as runs of the key table's buffer.
    @inline(__always)
    static func nameSimilarity(
        query: QueryPatterns, full: ArraySlice<UInt32>, core: ArraySlice<UInt32>, stem: ArraySlice<UInt32>
    ) -> Double {
        let fullSimilarity = query.full.similarity(to: full)
        var best = fullSimilarity
        // Each further comparison only when it could do better (the length difference
        // bounds the similarity from above).
        if best < 1, query.coreDiffers || core.count != full.count {
            best = max(best, query.core.similarity(to: core, atLeast: best))
        }
        if best < 1, stem.count != core.count {
            best = max(best, query.core.similarity(to: stem, atLeast: best))
        }
        return 0.97 * best + 0.03 * fullSimilarity
    }

    /// The similarity of `a` and `b`, or 0 when it cannot exceed `floor`.
    static func similarity(_ a: [UInt32], _ b: [UInt32], atLeast floor: Double) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        if 1 - Double(abs(a.count - b.count)) / Double(longer) <= floor { return 0 }
        return similarity(a, b)
    }

    /// Dosage form: +0.02 when the query's form words name the entry's form class,
    /// −0.03 when they name another, 0 when either is unknown.
    public static func formFactor(query: DosageFormClass?, entry: DosageFormClass?) -> Double {
        guard let query, let entry else { return 0 }
        if query == entry { return 0.02 }
        // Oral solids and their sustained-release kin are near: a bill often drops 缓释.
        let near: Set<DosageFormClass> = [.oralSolid, .sustainedRelease]
        if near.contains(query), near.contains(entry) { return -0.01 }
        return -0.03
    }

    /// Spec agreement: +0.02 when a strength or volume of the query's spec equals one of
    /// the entry's (0.25g = 250mg), −0.04 when both state strengths and none agree,
    /// 0 otherwise.
    public static func specFactor(query: [Strength], entry: [Strength]) -> Double {
        guard !query.isEmpty, !entry.isEmpty else { return 0 }
        for q in query where entry.contains(q) { return 0.02 }
        return -0.04
    }

    /// Unit-price plausibility against the cap (医保支付标准): +0.01 from half the cap
    /// to the cap (5% slack for rounding), 0 from a fifth to a half and up to 1.5×,
    /// −0.02 below a fifth (a price that far under the cap is another pack or strength),
    /// −0.03 up to 3×, −0.06 beyond (a bill may exceed the cap — 超限价 — but rarely by
    /// that much for the same product); 0 without a price or a cap. Decimal throughout:
    /// money never goes through floating point.
    public static func priceFactor(unitPrice: Decimal?, cap: Decimal?) -> Double {
        guard let unitPrice, let cap, cap > 0, unitPrice > 0 else { return 0 }
        if unitPrice < cap / 5 { return -0.02 }
        if unitPrice < cap / 2 { return 0 }
        if unitPrice <= cap * 105 / 100 { return 0.01 }
        if unitPrice <= cap * 3 / 2 { return 0 }
        if unitPrice <= cap * 3 { return -0.03 }
        return -0.06
    }

    /// Kind: a query that names a dosage form or states a strength is a drug (or a
    /// consumable), not a medical service: −0.03 for a service then, 0 otherwise.
    public static func kindFactor(queryLooksLikeDrug: Bool, entry: CatalogueKind) -> Double {
        queryLooksLikeDrug && entry == .service ? -0.03 : 0
    }

    /// Combines the factors into a score in 0…1.
    public static func combine(name: Double, form: Double, spec: Double, price: Double, kind: Double = 0) -> Double {
        // Four decimals: sums of binary fractions would otherwise print as 0.9500000000000001
        // and break ties that should hold.
        (min(1, max(0, nameWeight * name + neutral + form + spec + price + kind)) * 10_000).rounded() / 10_000
    }
}
