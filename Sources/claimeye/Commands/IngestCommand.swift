import ArgumentParser
import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyePipeline
import ClaimEyePostgres
import ClaimEyeStore
import Foundation

/// `claimeye ingest INBOX --once`: every complete claim in the inbox, then exit.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Settle every complete claim in an inbox folder, then exit (for cron).",
        discussion: """
            A sub-folder of INBOX is one claim (its files, in name order, are the pages; \
            claim.json beside them gives the context); a loose file is one claim \
            (NAME.claim.json beside it gives the context). A claim is taken only when none \
            of its files changed between two looks (intake.stable_seconds apart). Pages are \
            OCR'd in parallel, one engine per worker; each claim is committed to the ledger \
            in one transaction, then moved to INBOX/processed/, or to INBOX/failed/ with a \
            NAME.reason.txt beside it. Outputs: OUT/<claim_id>.json, OUT/items.csv. \
            A second run on the same inbox exits 75 at once. SIGINT/SIGTERM: the claim in \
            hand is finished or rolled back, exit 130; the next run resumes, re-using the \
            stored OCR. Exit status: 0 every claim settled; 3 some failed or need review; \
            64 bad arguments or no policy; 65 malformed configuration or policy; 66 no such \
            inbox; 69 OCR unavailable; 73 cannot write; 74 ledger error; 75 locked; 130 interrupted.

            With --db postgresql://…, several workers (on one host or several sharing the \
            inbox over a network file system) work on one inbox: each claim is registered \
            once by content, leased to one worker, and committed once; see --lease-seconds \
            and `claimeye ledger status`. Give each worker its own --out.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var fleet: FleetOptions

    @Flag(help: "Process what is in the inbox now and exit (the only mode of ingest; `watch` keeps going).")
    var once = false

    @Argument(help: "The inbox folder.")
    var inbox: String

    func validate() throws {
        guard once else { throw ValidationError("ingest needs --once (use `claimeye watch INBOX` to keep watching)") }
    }

    func run() throws {
        let start = Date()
        let summary = try InboxRun(global: global, pipeline: pipeline, fleet: fleet, inbox: inbox, command: "ingest").run(watch: false)
        if !global.quiet {
            FileHandle.standardError.write(Data(
                (summary.line(command: "ingest", seconds: Date().timeIntervalSince(start), out: pipeline.out) + "\n").utf8))
        }
        if summary.status != .success { throw Finished(status: summary.status, summary: nil) }
    }
}

/// `claimeye watch INBOX`: the same as ingest, again every intake.poll_seconds, until
/// SIGINT or SIGTERM.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch an inbox folder and settle each claim as it arrives, until SIGINT/SIGTERM.",
        discussion: """
            Looks at INBOX every intake.poll_seconds (configuration; default 5 s) and takes \
            each claim that did not change since the previous look, as `ingest --once` does. \
            Holds the inbox lock while it runs. Prints a line per pass that took claims. \
            Stops on SIGINT/SIGTERM after the claim in hand: exit 130. With --db \
            postgresql://…, workers share the inbox as with ingest (no inbox lock).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var fleet: FleetOptions

    @Argument(help: "The inbox folder.")
    var inbox: String

    func run() throws {
        let summary = try InboxRun(global: global, pipeline: pipeline, fleet: fleet, inbox: inbox, command: "watch").run(watch: true)
        throw Finished(status: summary.status == .success ? .interrupted : summary.status, summary: nil)
    }
}

/// One inbox run, shared by ingest and watch: lock, ledger run row, passes, summary.
struct InboxRun {
    var global: GlobalOptions
    var pipeline: PipelineOptions
    var fleet: FleetOptions
    var inbox: String
    var command: String

    func run(watch: Bool) throws -> RunSummary {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: inbox, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineError.inputNotFound(path: inbox)
        }
        let inboxPath = URL(fileURLWithPath: inbox).standardizedFileURL.path
        let started = ISO8601DateFormatter().string(from: Date())
        // One SQLite writer holds the inbox alone; PostgreSQL workers share it by leases.
        let lock = global.ledgerIsPostgres ? nil : try InboxLock(inbox: inboxPath, startedAt: started)
        let (settings, ledger, stages) = try pipeline.open(global, command: command)
        let shared = ledger as? PostgresLedger
        shared?.leaseSeconds = fleet.leaseSeconds
        let keeper = shared?.keepLeases()
        defer {
            keeper?.stop()
            try? shared?.releaseLeases()
        }
        let outputs = OutputWriter(folder: pipeline.out)
        try outputs.prepare()
        let trap = SignalTrap()
        let progress = ProgressLine(quiet: global.quiet)
        let runner = ClaimRunner(
            ledger: ledger, stages: stages, settings: settings, outputs: outputs,
            makeEngine: { [ocr = settings.ocr] in try ocr.engine.make(ocr) },
            shouldStop: { [flag = trap.flag] in flag.raised || keeper?.lost != nil }, progress: progress.update)
        runner.queue = shared
        let runId = try ledger.startRun(command: command, version: ClaimEye.version, inbox: inboxPath, startedAt: started)
        runner.runId = runId
        var total = RunSummary()
        var earlier: InboxScanner.Snapshot?
        repeat {
            let passStart = Date()
            let (summary, look) = try runner.ingest(inbox: inboxPath, earlier: earlier)
            earlier = look
            // Said once per run, --quiet or not: a claim stuck in the inbox needs a person.
            for message in summary.unmoved where !total.unmoved.contains(message) {
                FileHandle.standardError.write(Data("claimeye: \(message)\n".utf8))
            }
            total.add(summary)
            if watch, !global.quiet, summary.settled + summary.needsReview + summary.failed + summary.resumed > 0 {
                FileHandle.standardError.write(Data(
                    (summary.line(command: command, seconds: Date().timeIntervalSince(passStart), out: pipeline.out) + "\n").utf8))
            }
            if watch, !trap.stopRequested { Self.sleep(settings.config.pollSeconds, unless: trap) }
        } while watch && !trap.stopRequested && keeper?.lost == nil
        if let lost = keeper?.lost { throw StoreError.leasesLost(message: lost) }
        total.interrupted = trap.stopRequested
        total.catalogueEmpty = stages.catalogueIsEmpty
        try ledger.finishRun(
            runId, settled: total.settled, review: total.needsReview, failed: total.failed,
            exitCode: total.status.rawValue, endedAt: ISO8601DateFormatter().string(from: Date()))
        withExtendedLifetime(lock) {}
        return total
    }

    /// Sleeps in short steps so a signal is answered within a tenth of a second.
    static func sleep(_ seconds: Double, unless trap: SignalTrap) {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end, !trap.stopRequested { Thread.sleep(forTimeInterval: 0.1) }
    }
}

extension RunSummary {
    mutating func add(_ other: RunSummary) {
        settled += other.settled
        needsReview += other.needsReview
        failed += other.failed
        resumed += other.resumed
        committedElsewhere += other.committedElsewhere
        incomplete = other.incomplete
        hidden = other.hidden
        pagesRead += other.pagesRead
        pagesReused += other.pagesReused
        interrupted = interrupted || other.interrupted
        for message in other.unmoved where !unmoved.contains(message) { unmoved.append(message) }
    }
}

/// The options of a worker sharing an inbox with others (PostgreSQL ledger).
struct FleetOptions: ParsableArguments {
    @Option(help: "With a PostgreSQL ledger: seconds a claim stays leased to this worker unless renewed (every third of it); a worker that stops is replaced this long after. Default 30.")
    var leaseSeconds = 30

    func validate() throws {
        guard (2...3600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds takes 2 to 3600") }
    }
}
