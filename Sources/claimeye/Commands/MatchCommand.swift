import ArgumentParser
import ClaimEyeCore
import ClaimEyeStore
import Foundation

/// `claimeye match TEXT` / `claimeye match --file FILE`: top-k catalogue candidates with
/// scores, and the zone.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a line item's name against the catalogue: top-k candidates with scores, and the zone.",
        discussion: """
            With --file, each line of FILE is one query and the output is one JSON object per \
            line, in the same order. A query line may carry a spec and a unit price after tabs: \
            NAME<TAB>SPEC<TAB>UNIT_PRICE. Zones: auto (settled), review (held for a person), \
            none (out of catalogue).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The spec as read, e.g. 0.25g*24粒.")
    var spec: String?

    @Option(help: "The unit price as read, in yuan.")
    var unitPrice: String?

    @Option(help: "How many candidates to show.")
    var top = 5

    @Option(help: "Read one query per line from this file ('-' for stdin).")
    var file: String?

    @Flag(help: "Queue review-zone results for `claimeye review`.")
    var enqueue = false

    @Flag(help: ArgumentHelp("Print the time of index building and matching to stderr.", visibility: .hidden))
    var timing = false

    @Option(help: ArgumentHelp("Index keys passed on to exact scoring.", visibility: .hidden))
    var candidates: Int?

    @Flag(help: ArgumentHelp("Print each query's normalised key instead of matching.", visibility: .hidden))
    var keysOnly = false

    @Argument(help: "The name as read.")
    var text: String?

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give either TEXT or --file FILE") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if let unitPrice, Money.parse(unitPrice) == nil { throw ValidationError("--unit-price takes an amount in yuan, e.g. 12.50") }
    }

    func run() throws {
        let queries = try readQueries()
        if keysOnly {
            let out = queries.map { MatchNormaliser.normalise($0.text) }.map { "\($0.fullText)\t\($0.coreText)\n" }.joined()
            FileHandle.standardOutput.write(Data(out.utf8))
            return
        }
        let ledger = try global.sqliteLedger(for: "match")
        let store = CatalogueStore(ledger: ledger)
        try CatalogueCommand.seed(store)
        let clock = ContinuousClock()
        let buildStart = clock.now
        var (matcher, indexBuilt) = try store.loadMatcher()
        if let candidates { matcher.candidateLimit = max(1, candidates) }
        let built = clock.now
        let cpuStart = MatchCommand.cpuSeconds()
        var each: [Duration] = []
        let results = timing ? matcher.match(queries, top: top) { each.append($0) } : matcher.match(queries, top: top)
        let cpu = MatchCommand.cpuSeconds() - cpuStart
        let matched = clock.now
        if timing {
            // Wall time suffers from other processes on a shared machine; CPU time of
            // this single-threaded loop is the one-core figure.
            let build = seconds(built - buildStart), match = seconds(matched - built)
            let sorted = each.map(seconds).sorted()
            let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            FileHandle.standardError.write(Data(String(
                format: "timing: entries %d keys %d index_build_ms %.1f index_built %d queries %d match_s %.4f qps %.0f cpu_s %.4f cpu_qps %.0f median_query_ms %.3f\n",
                matcher.entryCount, matcher.keyCount, build * 1000, indexBuilt ? 1 : 0, queries.count, match,
                match > 0 ? Double(queries.count) / match : 0, cpu, cpu > 0 ? Double(queries.count) / cpu : 0, median * 1000).utf8))
        }
        if enqueue {
            let queue = ReviewQueue(ledger: ledger)
            let day = ReviewCommand.today()
            for result in results where result.zone == .review { try queue.enqueue(result, on: day) }
        }
        var out = ""
        if global.json || file != nil {
            for result in results { out += try CommandJSON.line(MatchJSON(result)) + "\n" }
        } else {
            for result in results {
                out += "\(result.zone.rawValue)\t\(result.query.text)\n"
                for (rank, c) in result.candidates.enumerated() {
                    let mark = c.learned ? " (learned alias)" : c.rejected ? " (rejected for this spelling)" : ""
                    out += String(format: "  %d. %.4f  ", rank + 1, c.score) + "\(c.code)  \(c.name)\(mark)\n"
                }
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func readQueries() throws -> [MatchQuery] {
        if let text {
            return [MatchQuery(text: text, spec: spec, unitPrice: unitPrice.flatMap(Money.parse))]
        }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let file, let contents = FileManager.default.contents(atPath: file) {
            data = contents
        } else {
            throw MatchCommandError.fileNotFound(path: file ?? "")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var queries: [MatchQuery] = []
        for (n, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty && n == lines.count - 1 { break }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var price: Decimal?
            if parts.count > 2, !parts[2].isEmpty {
                guard let value = Money.parse(parts[2]) else { throw MatchCommandError.badPrice(line: n + 1, text: parts[2]) }
                price = value
            }
            queries.append(MatchQuery(
                text: parts[0], spec: parts.count > 1 && !parts[1].isEmpty ? parts[1] : spec,
                unitPrice: price ?? unitPrice.flatMap(Money.parse)))
        }
        return queries
    }

    /// CPU time of this process, in seconds.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Errors of `claimeye match`.
enum MatchCommandError: Error, CustomStringConvertible {
    /// The query file does not exist (exit 66).
    case fileNotFound(path: String)
    /// A query line's unit price is not an amount (exit 65).
    case badPrice(line: Int, text: String)

    var description: String {
        switch self {
        case .fileNotFound(let path): return "query file not found: \(path)"
        case .badPrice(let line, let text): return "line \(line): unit price '\(text)' is not an amount in yuan"
        }
    }
}

/// A match result as one JSON object.
struct MatchJSON: Encodable {
    struct Candidate: Encodable {
        var code, name: String
        var score, nameSimilarity: Double
        var learned, rejected: Bool
        enum CodingKeys: String, CodingKey {
            case code, name, score, learned, rejected
            case nameSimilarity = "name_similarity"
        }
    }
    var query: String
    var key: String
    var spec: String?
    var unitPrice: String?
    var zone: String
    var candidates: [Candidate]

    init(_ r: MatchResult) {
        query = r.query.text
        key = r.key
        spec = r.query.spec
        unitPrice = r.query.unitPrice.map(Money.format)
        zone = r.zone.rawValue
        candidates = r.candidates.map {
            Candidate(code: $0.code, name: $0.name, score: $0.score, nameSimilarity: $0.nameSimilarity, learned: $0.learned, rejected: $0.rejected)
        }
    }

    enum CodingKeys: String, CodingKey {
        case query, key, spec, zone, candidates
        case unitPrice = "unit_price"
    }
}
