import Foundation

/// What the matcher is asked: a line item's name as read, with its spec and unit price
/// when the bill gives them.
public struct MatchQuery: Codable, Hashable, Sendable {
    /// The name as read (OCR text; spaces and widths are normalised away).
    public var text: String
    /// The spec column (`0.25g*24粒`), when read.
    public var spec: String?
    /// The unit price in yuan, when read.
    public var unitPrice: Decimal?

    /// A query.
    public init(text: String, spec: String? = nil, unitPrice: Decimal? = nil) {
        self.text = text
        self.spec = spec
        self.unitPrice = unitPrice
    }
}

/// One scored catalogue entry.
public struct MatchCandidate: Codable, Hashable, Sendable {
    /// The entry's code.
    public var code: String
    /// The entry's name.
    public var name: String
    /// The combined score, 0…1, rounded to four decimals.
    public var score: Double
    /// The name similarity alone, 0…1.
    public var nameSimilarity: Double
    /// True when a learned alias (a person's earlier acceptance) matched the spelling.
    public var learned: Bool
    /// True when a person rejected this entry for this spelling; such a candidate is
    /// ranked last and never auto-matched.
    public var rejected: Bool

    /// A candidate.
    public init(code: String, name: String, score: Double, nameSimilarity: Double, learned: Bool = false, rejected: Bool = false) {
        self.code = code
        self.name = name
        self.score = score
        self.nameSimilarity = nameSimilarity
        self.learned = learned
        self.rejected = rejected
    }
}

/// The result of matching one query: candidates best first, and the zone.
public struct MatchResult: Codable, Hashable, Sendable {
    /// The query as asked.
    public var query: MatchQuery
    /// The query's normalised key (what aliases and rejections are keyed by).
    public var key: String
    /// The top candidates, best first; ties broken by code.
    public var candidates: [MatchCandidate]
    /// auto / review / none.
    public var zone: MatchZone

    /// The best candidate, when any.
    public var best: MatchCandidate? { candidates.first }

    /// A result (the matcher makes them; tests and replays may too).
    public init(query: MatchQuery, key: String, candidates: [MatchCandidate], zone: MatchZone) {
        self.query = query
        self.key = key
        self.candidates = candidates
        self.zone = zone
    }
}

/// A learned alias: a person accepted `spelling` (as normalised) as entry `code`.
public struct LearnedAlias: Codable, Hashable, Sendable {
    /// The OCR spelling's normalised key.
    public var key: String
    /// The entry's code.
    public var code: String
    /// The day the decision was made (ISO date).
    public var decidedOn: String

    /// An alias.
    public init(key: String, code: String, decidedOn: String) {
        self.key = key
        self.code = code
        self.decidedOn = decidedOn
    }
}

/// A rejection: `spelling` must never auto-match entry `code` again.
public struct MatchRejection: Codable, Hashable, Sendable {
    /// The OCR spelling's normalised key.
    public var key: String
    /// The rejected entry's code.
    public var code: String

    /// A rejection.
    public init(key: String, code: String) {
        self.key = key
        self.code = code
    }
}

/// The catalogue matcher: normalises a reading, generates candidates from an n-gram
/// index held in memory, scores them on name, dosage form, spec and unit price, and
/// assigns a zone. Immutable once built, so one matcher serves every worker.
public struct CatalogueMatcher: Sendable {
    /// The entries, sorted by code (so index order breaks ties by code).
    public let entries: [CatalogueEntry]
    /// The zone thresholds.
    public var thresholds: MatchThresholds
    /// How many index keys go on to exact scoring.
    public var candidateLimit = 40

    private let keys: [NormalisedName]
    private let keyEntry: [Int32]
    private let entryKeys: [[Int]]
    private let entryForm: [DosageFormClass?]
    private let entryStrengths: [[Strength]]
    private let entryPriceCap: [Decimal?]
    private let entryKind: [CatalogueKind]
    private let index: NGramIndex
    private let learned: [[UInt32]: [Int]]
    private let rejected: Set<MatchRejection>

    /// Builds the matcher and its index. `aliases` are learned aliases, matched on the
    /// exact normalised spelling; catalogue aliases come with the entries and are indexed
    /// like names.
    public init(
        entries: [CatalogueEntry], aliases: [LearnedAlias] = [], rejections: [MatchRejection] = [],
        thresholds: MatchThresholds = MatchThresholds()
    ) {
        let sorted = entries.sorted { $0.code < $1.code }
        var position: [String: Int] = [:]
        for (i, entry) in sorted.enumerated() { position[entry.code] = i }
        var keys: [NormalisedName] = []
        var keyEntry: [Int32] = []
        var entryKeys = [[Int]](repeating: [], count: sorted.count)
        func add(_ key: NormalisedName, _ entry: Int) {
            entryKeys[entry].append(keys.count)
            keys.append(key)
            keyEntry.append(Int32(entry))
        }
        var entryForm: [DosageFormClass?] = []
        var entryStrengths: [[Strength]] = []
        for (i, entry) in sorted.enumerated() {
            let nameKeys = MatchNormaliser.catalogueKeys(entry.name)
            for key in nameKeys { add(key, i) }
            for alias in entry.aliases { for key in MatchNormaliser.catalogueKeys(alias) { add(key, i) } }
            let form = entry.dosageForm.flatMap(MatchNormaliser.formClass(ofCatalogueForm:)) ?? nameKeys.first?.form
            entryForm.append(form)
            entryStrengths.append(MatchNormaliser.strengths(in: (entry.spec ?? "") + " " + (entry.unit ?? "")))
        }
        var learned: [[UInt32]: [Int]] = [:]
        for alias in aliases.sorted(by: { ($0.key, $0.code) < ($1.key, $1.code) }) {
            guard let entry = position[alias.code] else { continue }
            let key = MatchNormaliser.normalise(alias.key)
            // Exact spellings only: a person decided this reading, not its neighbours.
            learned[key.full, default: []].append(entry)
        }
        self.entries = sorted
        self.thresholds = thresholds
        self.keys = keys
        self.keyEntry = keyEntry
        self.entryKeys = entryKeys
        self.entryForm = entryForm
        self.entryStrengths = entryStrengths
        self.entryPriceCap = sorted.map(\.priceCap)
        self.entryKind = sorted.map(\.kind)
        // Candidates come from the core keys (forms and salts removed): the grams of
        // 注射用 or 胶囊 are shared by hundreds of names and would crowd out the one that
        // shares the drug's own characters. The exact scoring looks at every key form.
        self.index = NGramIndex(keys: keys.map { $0.stem == $0.core ? [$0.core] : [$0.core, $0.stem] })
        self.learned = learned
        self.rejected = Set(rejections.map { MatchRejection(key: MatchNormaliser.normalise($0.key).fullText, code: $0.code) })
    }

    /// The number of keys in the index (names, bracket readings, aliases).
    public var keyCount: Int { keys.count }

    /// Matches one query; `top` candidates at most.
    public func match(_ query: MatchQuery, top: Int = 5) -> MatchResult {
        var accumulator = index.makeAccumulator()
        return match(query, top: top, accumulator: &accumulator)
    }

    /// Matches a batch of queries, in order; the same results as one `match(_:top:)`
    /// each, with the index's scratch buffer allocated once.
    public func match(_ queries: [MatchQuery], top: Int = 5) -> [MatchResult] {
        var accumulator = index.makeAccumulator()
        return queries.map { match($0, top: top, accumulator: &accumulator) }
    }

    private func match(_ query: MatchQuery, top: Int, accumulator: inout [Float]) -> MatchResult {
        let normalised = MatchNormaliser.normalise(query.text)
        let keyText = normalised.fullText
        guard !normalised.full.isEmpty, !entries.isEmpty else {
            return MatchResult(query: query, key: keyText, candidates: [], zone: .none)
        }
        let spec = query.spec ?? normalised.spec
        let queryStrengths = spec.map(MatchNormaliser.strengths(in:)) ?? []
        let learnedEntries = Set(learned[normalised.full] ?? [])
        let looksLikeDrug = normalised.form != nil || !queryStrengths.isEmpty
        let patterns = QueryPatterns(normalised)

        var entrySet = learnedEntries
        for hit in index.candidates(for: [normalised.core], limit: candidateLimit, accumulator: &accumulator) {
            entrySet.insert(Int(keyEntry[hit.key]))
        }
        var scored: [(entry: Int, score: Double, name: Double, learned: Bool, rejected: Bool, evidence: Double)] = []
        scored.reserveCapacity(entrySet.count)
        for e in entrySet {
            let isLearned = learnedEntries.contains(e)
            var name = 0.0
            if isLearned {
                name = 1
            } else {
                for k in entryKeys[e] where name < 1 {
                    name = max(name, MatchScorer.nameSimilarity(query: patterns, key: keys[k]))
                }
            }
            let form = MatchScorer.formFactor(query: normalised.form, entry: entryForm[e])
            let spec = MatchScorer.specFactor(query: queryStrengths, entry: entryStrengths[e])
            let price = MatchScorer.priceFactor(unitPrice: query.unitPrice, cap: entryPriceCap[e])
            let kind = MatchScorer.kindFactor(queryLooksLikeDrug: looksLikeDrug, entry: entryKind[e])
            let score = MatchScorer.combine(name: name, form: form, spec: spec, price: price, kind: kind)
            let isRejected = !rejected.isEmpty && rejected.contains(MatchRejection(key: keyText, code: entries[e].code))
            scored.append((e, score, name, isLearned && !isRejected, isRejected, form + spec + price + kind))
        }
        // Rejected last; then learned, score, and code (entries are sorted by code).
        scored.sort { a, b in
            if a.rejected != b.rejected { return !a.rejected }
            if a.learned != b.learned { return a.learned }
            if a.score != b.score { return a.score > b.score }
            return a.entry < b.entry
        }
        let kept = scored.prefix(max(top, 1))
        let candidates = kept.map { s in
            MatchCandidate(
                code: entries[s.entry].code, name: entries[s.entry].name, score: s.score,
                nameSimilarity: (s.name * 10_000).rounded() / 10_000, learned: s.learned, rejected: s.rejected)
        }
        let eligible = scored.filter { !$0.rejected }
        var zone = thresholds.zone(
            top: eligible.first?.score, second: eligible.dropFirst().first?.score,
            learned: eligible.first?.learned ?? false)
        // Confusable siblings (Ⅱ级护理 / Ⅲ级护理, 维生素B1 / B12, (IgG) / (IgA)): the name
        // alone cannot tell them apart through OCR, so the auto zone needs the other
        // evidence (form, spec, unit price) to prefer the best over every plausible
        // sibling; without it the line goes to a person.
        if zone == .auto, let best = eligible.first, !best.learned {
            let doubted = eligible.dropFirst().contains { other in
                other.score >= thresholds.review && other.evidence >= best.evidence && siblings(best.entry, other.entry)
            }
            if doubted { zone = .review }
        }
        return MatchResult(query: query, key: keyText, candidates: Array(candidates), zone: zone)
    }

    /// Whether two entries' names differ only in what OCR confuses. Worked out only for
    /// an auto-zone result's plausible runners-up, never for the whole catalogue.
    private func siblings(_ a: Int, _ b: Int) -> Bool {
        ConfusableNames.siblings(entries[a].name, entries[b].name)
    }
}
