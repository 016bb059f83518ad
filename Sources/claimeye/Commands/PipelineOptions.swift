import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyePipeline
import ClaimEyeStore
import Foundation
import Synchronization

/// What `process`, `ingest` and `watch` share: the configuration, the policy, the
/// ledger with its catalogue, the outputs folder.
struct PipelineOptions: ParsableArguments {
    @Option(help: "The region's policy file (TOML); default: the configuration's \"policy\".")
    var policy: String?

    @Option(help: "Where per-claim JSON, HTML statements and items.csv are written.")
    var out: String = "out"

    /// The configuration (`ClaimEyeConfig.locate`), else the defaults; with where it
    /// looked for a file, for the message when no policy is named.
    func config(_ global: GlobalOptions) throws -> (ClaimEyeConfig, searched: [String]) {
        let (path, searched) = ClaimEyeConfig.locate(explicit: global.config)
        guard let path else { return (ClaimEyeConfig(), searched) }
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError.fileNotFound(path: path) }
        return (try ClaimEyeConfig.parse(toml: String(decoding: data, as: UTF8.self), source: path), searched)
    }

    /// Everything a run needs, opened and checked before any claim is touched.
    func open(_ global: GlobalOptions, command: String) throws -> (RunSettings, any LedgerStore, ClaimStages) {
        let (config, searched) = try config(global)
        guard let policyPath = policy ?? config.policy else { throw ConfigError.noPolicy(searched: searched) }
        guard let data = FileManager.default.contents(atPath: policyPath) else {
            throw SettlementError.fileNotFound(path: policyPath)
        }
        let regional = try Policy.parse(toml: String(decoding: data, as: UTF8.self), source: policyPath)
        var ocr = global.ocrSettings
        ocr.pixelLimit = config.maxPixels
        ocr.pageLimit = config.maxPages
        try Tessdata.check(languages: ocr.languages, folder: ocr.tessdata)
        let ledger = try global.openLedger(checkIntegrity: true)
        let matcher = try ledger.catalogueMatcher(thresholds: config.thresholds, seed: CatalogueCommand.samplePath)
        if matcher.entryCount == 0 {
            // Said on every run, --quiet or not: with no catalogue every line is held.
            FileHandle.standardError.write(Data((
                "claimeye: warning: the catalogue in \(ledger.location) is empty, so no line can be matched and every "
                    + "claim will be held for review; import one: claimeye catalogue import FILE.csv --db \(ledger.location)\n").utf8))
        }
        // The catalogue's names guide OCR's re-reading (OCRLexicon).
        ocr.lexicon = OCRLexicon(catalogue: matcher.entries)
        let settings = RunSettings(config: config, ocr: ocr, jobs: global.jobs, version: ClaimEye.version, command: command)
        return (settings, ledger, ClaimStages(matcher: matcher, policy: regional))
    }
}

/// SIGINT and SIGTERM stop a run gracefully: no new claim is started, the claim in hand
/// is committed or rolled back, outputs are written, exit 130. A second signal exits at
/// once; the ledger stays whole (every claim is one transaction).
final class SignalTrap {
    /// Set once a signal came; read by the workers and the runner.
    final class Flag: Sendable {
        let count = Atomic<Int>(0)
        var raised: Bool { count.load(ordering: .relaxed) > 0 }
    }

    let flag = Flag()
    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        let queue = DispatchQueue(label: "claimeye.signals")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: queue))
        }
        self.sources = sources
        for source in sources {
            source.setEventHandler { [flag] in
                if flag.count.wrappingAdd(1, ordering: .relaxed).newValue > 1 { _exit(130) }
                FileHandle.standardError.write(Data("claimeye: stopping after the claim in hand (again to stop at once)\n".utf8))
            }
            source.resume()
        }
    }

    var stopRequested: Bool { flag.raised }
}

/// Progress on stderr: a bar redrawn in place on a terminal, nothing otherwise (the
/// command prints one summary line at the end, for cron's mail).
struct ProgressLine {
    let enabled: Bool

    init(quiet: Bool) { enabled = !quiet && isatty(STDERR_FILENO) == 1 }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) claims".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

extension RunSummary {
    /// One line: counts, pages, where the outputs are.
    func line(command: String, seconds: Double, out: String) -> String {
        var parts = ["\(settled) settled", "\(needsReview) need review", "\(failed) failed"]
        if resumed > 0 { parts.append("\(resumed) finished from a stopped run") }
        if committedElsewhere > 0 { parts.append("\(committedElsewhere) committed first by another worker, rolled back here") }
        if incomplete > 0 { parts.append("\(incomplete) still being written, left for the next run") }
        if hidden > 0 { parts.append("\(hidden) name\(hidden == 1 ? "" : "s") starting with a dot left alone") }
        if !unmoved.isEmpty { parts.append("\(unmoved.count) recorded but not moved out of the inbox (said above)") }
        let pages = "\(pagesRead) pages read, \(pagesReused) from stored OCR"
        let time = String(format: "%.1f s", seconds)
        return "\(command): \(settled + needsReview + failed) claims: \(parts.joined(separator: ", ")); \(pages); \(time); results in \(out)/"
            + (catalogueEmpty ? "; the catalogue is empty: every line held" : "") + (interrupted ? "; interrupted" : "")
    }

    /// The exit status of DESIGN.md for this run.
    var status: ExitStatus {
        if interrupted { return .interrupted }
        if !unmoved.isEmpty { return .cannotWrite }
        return failed + needsReview > 0 ? .partialFailure : .success
    }
}
