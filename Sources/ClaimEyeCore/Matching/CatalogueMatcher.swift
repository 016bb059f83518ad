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
/// assigns a zone. Immutable once built, so one matcher serves every worker. Its tables
/// and index can be written to a snapshot and read back (`snapshot()`,
/// `init(snapshot:aliases:rejections:thresholds:)`), so a large catalogue is indexed
/// once, not on every run.
public struct CatalogueMatcher: Sendable {
    /// The zone thresholds.
    public var thresholds: MatchThresholds
    /// How many index keys go on to exact scoring.
    public var candidateLimit = 40

    /// The entries, sorted by code (so index order breaks ties by code).
    private let table: EntryTable
    private let keys: KeyTable
    /// The keys of entry `e` are `keys[entryKeyEnds[e - 1]..<entryKeyEnds[e]]`.
    private let entryKeyEnds: [Int32]
    private let entryForm: [DosageFormClass?]
    private let entryStrengths: [[Strength]]
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
        var keys = KeyTable()
        var entryKeyEnds: [Int32] = []
        var entryForm: [DosageFormClass?] = []
        var entryStrengths: [[Strength]] = []
        entryKeyEnds.reserveCapacity(sorted.count)
        for entry in sorted {
            let derived = CatalogueMatcher.derive(entry)
            for key in derived.keys { keys.append(key) }
            entryKeyEnds.append(Int32(keys.count))
            entryForm.append(derived.form)
            entryStrengths.append(derived.strengths)
        }
        // Candidates come from the core keys (forms and salts removed): the grams of
        // 注射用 or 胶囊 are shared by hundreds of names and would crowd out the one that
        // shares the drug's own characters. The exact scoring looks at every key form.
        let index = NGramIndex(keys: (0..<keys.count).map(keys.indexed))
        self.init(
            table: EntryTable(sorted), keys: keys, entryKeyEnds: entryKeyEnds, entryForm: entryForm,
            entryStrengths: entryStrengths, index: index, aliases: aliases, rejections: rejections, thresholds: thresholds)
    }

    private init(
        table: EntryTable, keys: KeyTable, entryKeyEnds: [Int32], entryForm: [DosageFormClass?], entryStrengths: [[Strength]],
        index: NGramIndex, aliases: [LearnedAlias], rejections: [MatchRejection], thresholds: MatchThresholds
    ) {
        var learned: [[UInt32]: [Int]] = [:]
        for alias in aliases.sorted(by: { ($0.key, $0.code) < ($1.key, $1.code) }) {
            guard let entry = table.index(ofCode: alias.code) else { continue }
            let key = MatchNormaliser.normalise(alias.key)
            // Exact spellings only: a person decided this reading, not its neighbours.
            learned[key.full, default: []].append(entry)
        }
        self.table = table
        self.keys = keys
        self.entryKeyEnds = entryKeyEnds
        self.entryForm = entryForm
        self.entryStrengths = entryStrengths
        self.index = index
        self.thresholds = thresholds
        self.learned = learned
        self.rejected = Set(rejections.map { MatchRejection(key: MatchNormaliser.normalise($0.key).fullText, code: $0.code) })
    }

    /// The first eight bytes of a snapshot: a name, the format's version in the last
    /// byte, read as a number in this machine's byte order (so a snapshot from a machine
    /// of the other order does not read back).
    static let snapshotMagic: UInt64 = 0x4345_4D41_5443_4801

    /// The tables and index, for `init(snapshot:…)`: learned aliases and rejections are
    /// not in it (they change with every review decision and are few).
    public func snapshot() -> Data {
        var writer = SnapshotWriter()
        writer.append(CatalogueMatcher.snapshotMagic)
        table.write(to: &writer)
        keys.write(to: &writer)
        writer.append(entryKeyEnds)
        writer.append(entryForm.map { $0.map { UInt8(DosageFormClass.allCases.firstIndex(of: $0)!) } ?? UInt8.max })
        var strengthEnds: [Int32] = [], values = FlatStrings(), units = FlatStrings()
        for strengths in entryStrengths {
            for s in strengths {
                values.append("\(s.value)")
                units.append(s.unit)
            }
            strengthEnds.append(Int32(values.count))
        }
        writer.append(strengthEnds)
        values.write(to: &writer)
        units.write(to: &writer)
        index.write(to: &writer)
        return writer.data
    }

    /// A matcher read back from `snapshot()`, with today's aliases and rejections; throws
    /// `SnapshotError` when the data is not a whole snapshot of this format.
    public init(
        snapshot: Data, aliases: [LearnedAlias] = [], rejections: [MatchRejection] = [],
        thresholds: MatchThresholds = MatchThresholds()
    ) throws {
        var reader = SnapshotReader(snapshot)
        guard try reader.uint64() == CatalogueMatcher.snapshotMagic else { throw SnapshotError.malformed("not a snapshot of this format") }
        let table = try EntryTable(from: &reader)
        let keys = try KeyTable(from: &reader)
        let entryKeyEnds = try reader.array(of: Int32.self)
        let forms = try reader.array(of: UInt8.self)
        let strengthEnds = try reader.array(of: Int32.self)
        let values = try FlatStrings(from: &reader), units = try FlatStrings(from: &reader)
        let index = try NGramIndex(from: &reader)
        let n = table.count
        guard reader.isAtEnd, entryKeyEnds.count == n, forms.count == n, strengthEnds.count == n,
            zip([0] + entryKeyEnds, entryKeyEnds).allSatisfy({ $0 <= $1 }), (entryKeyEnds.last.map(Int.init) ?? 0) == keys.count,
            zip([0] + strengthEnds, strengthEnds).allSatisfy({ $0 <= $1 }), (strengthEnds.last.map(Int.init) ?? 0) == values.count,
            units.count == values.count, index.count == keys.count,
            forms.allSatisfy({ $0 == UInt8.max || Int($0) < DosageFormClass.allCases.count })
        else { throw SnapshotError.malformed("the tables disagree") }
        var entryStrengths: [[Strength]] = []
        entryStrengths.reserveCapacity(n)
        var start = 0
        for end in strengthEnds.map(Int.init) {
            entryStrengths.append(try (start..<end).map { i in
                guard let value = values[i].flatMap({ Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }),
                    let strength = Strength(value: value, unit: units[i] ?? "")
                else { throw SnapshotError.malformed("a strength") }
                return strength
            })
            start = end
        }
        self.init(
            table: table, keys: keys, entryKeyEnds: entryKeyEnds,
            entryForm: forms.map { $0 == UInt8.max ? nil : DosageFormClass.allCases[Int($0)] },
            entryStrengths: entryStrengths, index: index, aliases: aliases, rejections: rejections, thresholds: thresholds)
        // The keys were worked out by the normaliser of the program that wrote the
        // snapshot. Entries spread over the catalogue are normalised again: if today's
        // normaliser reads any of them otherwise, the snapshot is stale.
        let step = max(1, n / CatalogueMatcher.snapshotSample)
        for e in stride(from: 0, to: n, by: step) where !agreesWithNormaliser(e) {
            throw SnapshotError.stale
        }
    }

    /// How many entries a snapshot read back is checked on.
    static let snapshotSample = 64

    /// What the matcher works out of an entry: the keys of its name then of its aliases,
    /// its dosage-form class (the catalogue's form column, else the name's form words)
    /// and the strengths of its spec and unit.
    private static func derive(_ entry: CatalogueEntry) -> (keys: [NormalisedName], form: DosageFormClass?, strengths: [Strength]) {
        let nameKeys = MatchNormaliser.catalogueKeys(entry.name)
        return (
            nameKeys + entry.aliases.flatMap(MatchNormaliser.catalogueKeys),
            entry.dosageForm.flatMap(MatchNormaliser.formClass(ofCatalogueForm:)) ?? nameKeys.first?.form,
            MatchNormaliser.strengths(in: (entry.spec ?? "") + " " + (entry.unit ?? ""))
        )
    }

    private func agreesWithNormaliser(_ e: Int) -> Bool {
        let derived = CatalogueMatcher.derive(table.entry(at: e))
        return keyRange(of: e).map({ keys[$0] }).elementsEqual(derived.keys) { stored, now in
            stored.full == now.full && stored.core == now.core && stored.stem == now.stem && stored.form == now.form
        } && entryForm[e] == derived.form && entryStrengths[e] == derived.strengths
    }

    /// The entry whose name or alias key `k` is: the first whose keys end past it.
    private func entry(holdingKey k: Int) -> Int {
        var low = 0, high = entryKeyEnds.count
        while low < high {
            let mid = (low + high) / 2
            if Int(entryKeyEnds[mid]) > k { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private func keyRange(of e: Int) -> Range<Int> {
        (e == 0 ? 0 : Int(entryKeyEnds[e - 1]))..<Int(entryKeyEnds[e])
    }

    /// The number of entries.
    public var entryCount: Int { table.count }

    /// Every entry, sorted by code, put together from the tables: O(n), for callers that
    /// need them all (the OCR lexicon); one entry is `entry(code:)`.
    public var entries: [CatalogueEntry] { (0..<table.count).map(table.entry(at:)) }

    /// The entry with this code, found by binary search.
    public func entry(code: String) -> CatalogueEntry? {
        table.index(ofCode: code).map(table.entry(at:))
    }

    /// The number of keys in the index (names, bracket readings, aliases).
    public var keyCount: Int { keys.count }

    /// Matches one query; `top` candidates at most.
    public func match(_ query: MatchQuery, top: Int = 5) -> MatchResult {
        var accumulator = index.makeAccumulator()
        return match(query, top: top, accumulator: &accumulator)
    }

    /// Matches a batch of queries, in order; the same results as one `match(_:top:)`
    /// each, with the index's scratch buffer allocated once. `took`, when given, hears
    /// how long each query took.
    public func match(_ queries: [MatchQuery], top: Int = 5, took: ((Duration) -> Void)? = nil) -> [MatchResult] {
        var accumulator = index.makeAccumulator()
        guard let took else { return queries.map { match($0, top: top, accumulator: &accumulator) } }
        let clock = ContinuousClock()
        return queries.map { query in
            let start = clock.now
            let result = match(query, top: top, accumulator: &accumulator)
            took(clock.now - start)
            return result
        }
    }

    private func match(_ query: MatchQuery, top: Int, accumulator: inout [Float]) -> MatchResult {
        let normalised = MatchNormaliser.normalise(query.text)
        let keyText = normalised.fullText
        guard !normalised.full.isEmpty, table.count > 0 else {
            return MatchResult(query: query, key: keyText, candidates: [], zone: .none)
        }
        let spec = query.spec ?? normalised.spec
        let queryStrengths = spec.map(MatchNormaliser.strengths(in:)) ?? []
        let learnedEntries = Set(learned[normalised.full] ?? [])
        let looksLikeDrug = normalised.form != nil || !queryStrengths.isEmpty
        let patterns = QueryPatterns(normalised)

        var entrySet = learnedEntries
        for hit in index.candidates(for: [normalised.core], limit: candidateLimit, accumulator: &accumulator) {
            entrySet.insert(entry(holdingKey: hit.key))
        }
        var scored: [(entry: Int, score: Double, name: Double, learned: Bool, rejected: Bool, evidence: Double)] = []
        scored.reserveCapacity(entrySet.count)
        for e in entrySet {
            let isLearned = learnedEntries.contains(e)
            var name = 0.0
            if isLearned {
                name = 1
            } else {
                for k in keyRange(of: e) where name < 1 {
                    let key = keys.parts(k)
                    name = max(name, MatchScorer.nameSimilarity(query: patterns, full: key.full, core: key.core, stem: key.stem))
                }
            }
            let form = MatchScorer.formFactor(query: normalised.form, entry: entryForm[e])
            let spec = MatchScorer.specFactor(query: queryStrengths, entry: entryStrengths[e])
            // The cap is read from its text only when there is a price to weigh it against.
            let price = query.unitPrice == nil ? 0 : MatchScorer.priceFactor(unitPrice: query.unitPrice, cap: table.priceCap(at: e))
            let kind = MatchScorer.kindFactor(queryLooksLikeDrug: looksLikeDrug, entry: table.kind(at: e))
            let score = MatchScorer.combine(name: name, form: form, spec: spec, price: price, kind: kind)
            let isRejected = !rejected.isEmpty && rejected.contains(MatchRejection(key: keyText, code: table.code(at: e)))
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
                code: table.code(at: s.entry), name: table.name(at: s.entry), score: s.score,
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
        ConfusableNames.siblings(table.name(at: a), table.name(at: b))
    }
}
