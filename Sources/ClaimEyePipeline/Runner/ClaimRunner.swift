import ClaimEyeCore
import ClaimEyeOCR
import ClaimEyeStore
import Foundation
import Synchronization

/// What a run did, for the summary line and the exit status.
public struct RunSummary: Sendable {
    public var settled = 0
    public var needsReview = 0
    public var failed = 0
    /// Claims a stopped run had committed, whose files or outputs this run finished.
    public var resumed = 0
    /// Claims still being written (not the same at two looks), left for the next run.
    public var incomplete = 0
    /// Pages read by the engine in this run, and pages whose stored OCR was re-used.
    public var pagesRead = 0
    public var pagesReused = 0
    /// The run was stopped by SIGINT or SIGTERM.
    public var interrupted = false
    /// The run's catalogue held no entry, so every line was held.
    public var catalogueEmpty = false
    /// Claims recorded but not moved out of the inbox, each with why: they stay in the
    /// ledger as not moved, and the next run tries again.
    public var unmoved: [String] = []
    /// Top-level names starting with a dot, left alone (a copy in progress, or not a claim).
    public var hidden = 0
    /// Claims of a shared inbox this worker read but another worker committed first (its
    /// lease ran out meanwhile): rolled back here, counted there.
    public var committedElsewhere = 0
    public init() {}

    mutating func count(_ state: ClaimState) {
        switch state {
        case .settled: settled += 1
        case .needsReview: needsReview += 1
        case .failed: failed += 1
        }
    }
}

/// The settings of a run that do not change from claim to claim.
public struct RunSettings: Sendable {
    public var config: ClaimEyeConfig
    public var ocr: OCRSettings
    public var jobs: Int
    /// The version recorded with each run.
    public var version: String
    /// The command recorded with each run (`ingest`, `watch`, `process`).
    public var command: String

    public init(config: ClaimEyeConfig, ocr: OCRSettings, jobs: Int, version: String, command: String) {
        self.config = config
        self.ocr = ocr
        self.jobs = jobs
        self.version = version
        self.command = command
    }

    /// The key stored OCR is filed under: everything that changes what the engine reads.
    var ocrKey: String {
        let o = ocr
        return "engine \(o.engine.rawValue)|\(o.languages)|latin \(o.latinLanguage ?? "-")|psm \(o.pageSegmentationMode)|osd \(o.detectOrientation)"
            + "|deskew \(o.deskew)|rules \(o.removeRulingLines)|reread \(o.rereadCJKSegments) \(o.rereadGarbledNumbers) \(o.rereadLanguage)"
            + " <\(o.rereadBelowConfidence)|dpi \(o.minimumDPI)-\(o.maximumDPI)-\(o.targetDPI) \(o.assumedDPI)|lexicon \(o.lexicon.digest)"
            + "|threshold <\(o.binariseBelowContrast) \(o.binarisationBias)|short rows \(o.readRestOfShortLines)|dust \(o.removeDust)"
            + (o.engine == .tesseract ? "" : "|\(PPOCREngine.description), flatten \(o.flattenPhotos) scale \(o.detectionScale.map { "\($0)" } ?? "fit")")
    }
}

/// A claim whose files were checked and hashed, ready for OCR.
struct PreparedClaim {
    var intake: IntakeClaim
    var fingerprint: String
    var context: ClaimContext
    /// Whether the claim id came from the sidecar (then it must be unique as given).
    var idFromSidecar: Bool
    var references: [PageReference]
    var keys: [PageKey]
}

/// Takes claims through every stage and into the ledger: intake checks, OCR (stored
/// OCR re-used), parse, match, settle, audit, one transaction per claim, then the
/// outputs and the move out of the inbox. Only this type's caller thread writes to the
/// ledger; OCR workers only read pages.
public final class ClaimRunner {
    let ledger: any LedgerStore
    let stages: ClaimStages
    let settings: RunSettings
    let outputs: OutputWriter?
    let makeEngine: @Sendable () throws -> any OCREngine
    let now: @Sendable () -> Date
    let shouldStop: @Sendable () -> Bool
    let progress: ((Int, Int) -> Void)?
    /// The ledger's run row the claims are filed under.
    public var runId: Int64?
    /// The last claim committed, for `process` to print.
    public private(set) var lastOutcome: ClaimOutcome?
    /// This pass's claims that could not be moved (see `RunSummary.unmoved`), and the
    /// ledger rows of those, tried once per pass.
    var unmoved: [String] = []
    var unmovedRows: Set<Int64> = []
    /// The claim ids whose outputs the transaction in hand has staged.
    var staged: [String] = []
    /// The shared inbox's work queue (a PostgreSQL ledger): claims are registered, then
    /// taken only when leased to this worker. Nil: this run holds the inbox alone.
    public var queue: (any WorkQueue)?
    /// The work items leased to this worker, by claim fingerprint.
    var leased: [String: Int64] = [:]

    public init(
        ledger: any LedgerStore, stages: ClaimStages, settings: RunSettings, outputs: OutputWriter?,
        makeEngine: @escaping @Sendable () throws -> any OCREngine, now: @escaping @Sendable () -> Date = Date.init,
        shouldStop: @escaping @Sendable () -> Bool = { false }, progress: ((Int, Int) -> Void)? = nil
    ) {
        self.ledger = ledger
        self.stages = stages
        self.settings = settings
        self.outputs = outputs
        self.makeEngine = makeEngine
        self.now = now
        self.shouldStop = shouldStop
        self.progress = progress
    }

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: now())
    }

    // MARK: - Inbox runs

    /// One pass over the inbox: finishes what a stopped run left, then takes every
    /// complete claim. `earlier` is a look taken before (by `watch`, at its last poll);
    /// without it this looks twice, `stableSeconds` apart.
    public func ingest(inbox: String, earlier: InboxScanner.Snapshot? = nil) throws -> (RunSummary, InboxScanner.Snapshot) {
        let scanner = InboxScanner(inbox: inbox)
        let mover = ClaimMover(inbox: inbox)
        var summary = RunSummary()
        unmoved = []
        unmovedRows = []
        defer { (unmoved, unmovedRows) = ([], []) }
        try outputs?.recoverStaged(in: ledger)
        try finishUnfinished(inbox: inbox, mover: mover, summary: &summary)
        let first: InboxScanner.Snapshot
        if let earlier {
            first = earlier
        } else {
            first = try Self.look(scanner)
            if settings.config.stableSeconds > 0 { Thread.sleep(forTimeInterval: settings.config.stableSeconds) }
        }
        let second = try Self.look(scanner)
        for bytes in second.undecodable where first.undecodable.contains(bytes) {
            do {
                try mover.refuseUndecodable(bytes)
                summary.failed += 1
            } catch {
                unmoved.append("\(RawDirectory.Entry(name: nil, bytes: bytes).escaped): a name that is not UTF-8, and not moved (\(error))")
            }
        }
        let claims = scanner.completeClaims(earlier: first, later: second)
        summary.hidden = second.hidden.count
        let present = Set(second.files.keys.filter { !$0.contains("/") && !InboxScanner.isLooseSidecar($0) })
        summary.incomplete = present.subtracting(claims.map(\.name)).count
        var ready: [PreparedClaim] = []
        var waiting: [(claim: IntakeClaim, preparation: Preparation, fingerprint: String)] = []
        for claim in claims {
            if shouldStop() { break }
            let preparation = try prepare(claim, inbox: inbox)
            switch preparation {
            case .resume(let stored):
                try finish(stored, intake: claim, mover: mover)
                summary.resumed += 1
            case .gone:
                continue
            case .failed(_, let fingerprint, _) where queue != nil:
                waiting.append((claim, preparation, fingerprint))
            case .ready(let prepared) where queue != nil:
                waiting.append((claim, preparation, prepared.fingerprint))
            case .failed(let reason, let fingerprint, let context):
                let state = try commitFailure(
                    claim, reason: reason, fingerprint: fingerprint, context: context, inbox: inbox, mover: mover)
                summary.count(state)
            case .ready(let prepared):
                ready.append(prepared)
            }
        }
        if let queue {
            try takeLeased(waiting, queue: queue, inbox: inbox, mover: mover, summary: &summary)
        } else {
            try read(ready, inbox: inbox, mover: mover, summary: &summary)
        }
        summary.interrupted = shouldStop()
        summary.unmoved = unmoved
        try outputs?.appendItems(from: ledger)
        return (summary, second)
    }

    /// Registers the claims of a shared inbox, then takes the ones leased to this
    /// worker, a few at a time (one per OCR worker), until no more can be leased: those
    /// left are leased to other workers, or committed by them.
    func takeLeased(
        _ waiting: [(claim: IntakeClaim, preparation: Preparation, fingerprint: String)], queue: any WorkQueue, inbox: String,
        mover: ClaimMover, summary: inout RunSummary
    ) throws {
        try queue.register(inbox: inbox, claims: waiting.map { entry in
            switch entry.preparation {
            case .ready(let prepared): (entry.claim.name, entry.fingerprint, prepared.context.insuredId)
            case .failed(_, _, let context): (entry.claim.name, entry.fingerprint, context.insuredId)
            case .resume, .gone: (entry.claim.name, entry.fingerprint, nil)
            }
        })
        var left = Dictionary(waiting.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        defer { leased = [:] }
        while !left.isEmpty, !shouldStop() {
            let batch = try queue.lease(inbox: inbox, fingerprints: left.keys.sorted(), limit: settings.jobs)
            if batch.isEmpty { break }
            var ready: [PreparedClaim] = []
            for lease in batch {
                guard let entry = left.removeValue(forKey: lease.fingerprint) else { continue }
                leased[lease.fingerprint] = lease.id
                switch entry.preparation {
                case .failed(let reason, let fingerprint, let context):
                    do {
                        summary.count(try commitFailure(
                            entry.claim, reason: reason, fingerprint: fingerprint, context: context, inbox: inbox, mover: mover))
                    } catch StoreError.committedElsewhere {
                        summary.committedElsewhere += 1
                    }
                case .ready(let prepared):
                    ready.append(prepared)
                case .resume, .gone:
                    break
                }
            }
            try read(ready, inbox: inbox, mover: mover, summary: &summary)
        }
    }

    /// The work item this claim's commit closes, when it was leased.
    func workItem(_ fingerprint: String) -> (id: Int64, holder: String)? {
        guard let queue, let id = leased[fingerprint] else { return nil }
        return (id, queue.holder)
    }

    static func look(_ scanner: InboxScanner) throws -> InboxScanner.Snapshot {
        do {
            return try scanner.snapshot()
        } catch {
            throw PipelineError.cannotReadInbox(path: scanner.inbox, message: error.localizedDescription)
        }
    }

    /// Claims of this inbox that a stopped run committed but did not move or write out.
    func finishUnfinished(inbox: String, mover: ClaimMover, summary: inout RunSummary) throws {
        for stored in try ledger.unfinishedClaims(inbox: inbox) {
            try finish(stored, intake: intakeClaim(fromStored: stored, inbox: inbox), mover: mover)
            summary.resumed += 1
        }
    }

    /// The intake view of a stored claim, from its source name in the inbox.
    func intakeClaim(fromStored stored: StoredClaim, inbox: String) -> IntakeClaim {
        let path = inbox + "/" + stored.source
        var info = stat()
        let isFolder = lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        let sidecar = isFolder
            ? nil
            : InboxScanner.sidecarCandidates(for: stored.source).map { inbox + "/" + $0 }.first(where: ClaimMover.exists)
        return IntakeClaim(name: stored.source, isFolder: isFolder, pages: [], sidecar: sidecar, refusal: nil)
    }

    /// Moves a committed claim's files and writes its outputs where a stopped run did not.
    func finish(_ stored: StoredClaim, intake: IntakeClaim, mover: ClaimMover) throws {
        if !stored.moved, let destination = stored.destination {
            try move(intake, to: destination, reason: stored.state == .failed ? stored.reason : nil, row: stored.row, mover: mover)
        }
        if !stored.outputsWritten { try writeOutputs(stored) }
    }

    /// The trail of a claim committed without outputs (no --out then, or a failure
    /// recorded by an older version), from the ledger.
    func writeOutputs(_ stored: StoredClaim) throws {
        if let outputs {
            try outputs.writeClaim(claimId: stored.claimId, trail: stored.trail, statement: nil)
        }
        try ledger.markOutputsWritten(stored.row)
    }

    /// Takes one claim given as files (`process`): the same stages and ledger as an
    /// inbox run, but the files stay where they are.
    public func process(_ claim: IntakeClaim) throws -> ClaimOutcome? {
        var summary = RunSummary()
        try outputs?.recoverStaged(in: ledger)
        switch try prepare(claim, inbox: nil) {
        case .resume, .gone:
            throw PipelineError.internalError("a claim outside an inbox cannot be resumed or leave it")
        case .failed(let reason, let fingerprint, let context):
            _ = try commitFailure(claim, reason: reason, fingerprint: fingerprint, context: context, inbox: nil, mover: nil)
        case .ready(let prepared):
            try read([prepared], inbox: nil, mover: nil, summary: &summary)
        }
        return lastOutcome
    }

    // MARK: - Intake checks

    enum Preparation {
        case resume(StoredClaim)
        /// The claim left the inbox after the look that found it (another worker sharing
        /// the inbox committed and moved it): no claim of this pass.
        case gone
        case failed(reason: String, fingerprint: String, context: ClaimContext)
        case ready(PreparedClaim)
    }

    func prepare(_ claim: IntakeClaim, inbox: String?) throws -> Preparation {
        let prefix = inbox.map { $0 + "/" } ?? ""
        func relative(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
        // A page that is not a regular file (a pipe given to `process`) is refused before
        // anything reads it: reading a pipe would wait for a writer that may never come.
        let nonRegular = claim.pages.lazy.map { ($0, FileKind.of($0, following: true)) }.first { $0.1 != nil && $0.1 != S_IFREG }
        let refusal = claim.refusal ?? nonRegular.map { path, kind in
            "\(relative(path)): \(FileKind.describe(kind)) refused; only regular files are read"
        }
        let hashes = refusal == nil ? claim.pages.map(ContentHash.file) : claim.pages.map { _ in nil }
        if let inbox, hashes.contains(nil), refusal == nil, !ClaimMover.exists(inbox + "/" + claim.name) { return .gone }
        let listing = zip(claim.pages, hashes).map { "\(relative($0)) \($1 ?? "unreadable")" }
        let fingerprint = ContentHash.text(([claim.name] + listing + [refusal ?? ""]).joined(separator: "\n"))
        if let inbox, let stored = try ledger.unmovedClaim(fingerprint: fingerprint, inbox: inbox) {
            return .resume(stored)
        }
        var sidecar: ClaimSidecar?
        var context = settings.config.context(claimId: claim.defaultClaimId, sidecar: nil)
        func fail(_ reason: String) -> Preparation { .failed(reason: reason, fingerprint: fingerprint, context: context) }
        if let refusal { return fail(refusal) }
        if let path = claim.sidecar {
            do {
                // In an inbox a sidecar is a regular file of the claim, never a link to
                // somewhere else; `process --context` names its file itself.
                let data = try FileKind.contents(of: path, following: inbox == nil)
                sidecar = try ClaimSidecar.decode(data, source: relative(path))
            } catch let refused as FileKind.Refused {
                return fail("\(relative(refused.path)): \(refused.reason)")
            } catch {
                return fail("\(error)")
            }
            context = settings.config.context(claimId: claim.defaultClaimId, sidecar: sidecar)
        }
        var references: [PageReference] = []
        var keys: [PageKey] = []
        for (path, hash) in zip(claim.pages, hashes) {
            let image: ImageFile
            do {
                image = try ImageFile(path: path, pixelLimit: settings.config.maxPixels, pageLimit: settings.config.maxPages)
            } catch let error as OCRError {
                return fail("\(error)".replacingOccurrences(of: prefix, with: ""))
            }
            guard let hash else { return fail("\(relative(path)): cannot be read") }
            references += image.pages
            keys += (0..<image.pageCount).map { PageKey(sha256: hash, pageIndex: $0, file: relative(path)) }
        }
        return .ready(PreparedClaim(
            intake: claim, fingerprint: fingerprint, context: context, idFromSidecar: sidecar?.claimId != nil,
            references: references, keys: keys))
    }

    // MARK: - OCR and commit

    /// OCRs the claims' pages (stored OCR re-used) and commits each claim as soon as its
    /// last page is read, so only the claims in flight are held in memory.
    func read(_ claims: [PreparedClaim], inbox: String?, mover: ClaimMover?, summary: inout RunSummary) throws {
        var slots: [[OCRPage?]] = claims.map { Array(repeating: nil, count: $0.references.count) }
        var failures: [String?] = Array(repeating: nil, count: claims.count)
        var missing = claims.map(\.references.count)
        var work: [PageReference] = []
        var owner: [(claim: Int, page: Int)] = []
        let key = settings.ocrKey
        for (c, claim) in claims.enumerated() {
            for (p, page) in claim.keys.enumerated() {
                // Stored OCR that no longer decodes (written by another version) is read
                // again rather than trusted.
                if let data = try ledger.storedOCR(sha256: page.sha256, pageIndex: page.pageIndex, engine: key),
                    let stored = try? JSONDecoder().decode(OCRPage.self, from: data)
                {
                    slots[c][p] = stored
                    missing[c] -= 1
                    summary.pagesReused += 1
                } else {
                    work.append(claim.references[p])
                    owner.append((c, p))
                }
            }
        }
        var done = 0
        let total = claims.count
        func complete(_ c: Int) throws {
            let claim = claims[c]
            do {
                let state: ClaimState
                if let failure = failures[c] {
                    state = try commitFailure(
                        claim.intake, reason: failure, fingerprint: claim.fingerprint, context: claim.context, inbox: inbox,
                        mover: mover)
                } else {
                    state = try commit(claim, pages: slots[c].compactMap { $0 }, inbox: inbox, mover: mover)
                }
                summary.count(state)
            } catch StoreError.committedElsewhere {
                summary.committedElsewhere += 1
            }
            slots[c] = []
            done += 1
            progress?(done, total)
        }
        for c in claims.indices where missing[c] == 0 {
            if shouldStop() { return }
            try complete(c)
        }
        guard !work.isEmpty else { return }
        let channel = ResultChannel()
        let pool = OCRWorkerPool(jobs: settings.jobs, makeEngine: makeEngine)
        let stop = shouldStop
        let reader = Thread { [work] in
            do {
                try pool.stream(work, shouldStop: stop) { index, result in channel.push(index, result) }
                channel.close(error: nil)
            } catch {
                channel.close(error: error)
            }
        }
        reader.stackSize = 1 << 20
        reader.start()
        let pageEncoder = JSONEncoder()
        pageEncoder.outputFormatting = [.sortedKeys]
        let prefix = inbox.map { $0 + "/" } ?? ""
        while let (index, result) = channel.next() {
            let (c, p) = owner[index]
            switch result {
            case .success(let page):
                summary.pagesRead += 1
                let pageKey = claims[c].keys[p]
                try ledger.storeOCR(try pageEncoder.encode(page), sha256: pageKey.sha256, pageIndex: pageKey.pageIndex, engine: key)
                slots[c][p] = page
            case .failure(let error):
                if failures[c] == nil { failures[c] = "\(error)".replacingOccurrences(of: prefix, with: "") }
            }
            missing[c] -= 1
            // After a stop only the OCR still arriving is stored (the next run re-uses
            // it); no further claim is committed.
            if missing[c] == 0, !shouldStop() { try complete(c) }
        }
        if let error = channel.error { throw error }
    }

    /// Commits a claim that could not be read: a ledger row with the reason, its pages
    /// left free, then the files to failed/. A claim held for what only a person can
    /// supply (its service date) goes the same way in state `needs_review`: nothing is
    /// settled, and the same files with a sidecar may be submitted again.
    func commitFailure(
        _ claim: IntakeClaim, reason: String, fingerprint: String, context: ClaimContext, inbox: String?, mover: ClaimMover?,
        state: ClaimState = .failed, rule: String = "UNREADABLE"
    ) throws -> ClaimState {
        let destination = try mover?.destination(for: claim, failed: true)
        let row = try committing { try ledger.commitClaim { history in
            restartAttempt()
            var context = context
            context.claimId = try history.unusedClaimId(context.claimId, fingerprint: fingerprint)
            return try failureCommit(
                claim, reason: reason, rule: rule, fingerprint: fingerprint, context: context, pages: [], keys: [],
                document: nil, lines: [], inbox: inbox, destination: destination, state: state)
        } }
        try afterCommit(row: row, intake: claim, destination: destination, reason: reason, mover: mover)
        return state
    }

    /// The ledger row of a failed claim, its trail written to the outputs first.
    func failureCommit(
        _ claim: IntakeClaim, reason: String, rule: String, fingerprint: String, context: ClaimContext, pages: [OCRPage],
        keys: [PageKey], document: ParsedDocument?, lines: [MatchedLine], inbox: String?, destination: String?,
        state: ClaimState = .failed
    ) throws -> ClaimCommit {
        let trail = try ClaimTrail(
            claimId: context.claimId, state: state, reason: reason, source: claim.name, context: context, pages: pages,
            keys: keys, document: document, lines: lines, settlement: nil, flags: []
        ).json()
        var commit = ClaimCommit(
            claimId: context.claimId, fingerprint: fingerprint, source: claim.name, state: state, trail: trail,
            createdAt: timestamp())
        commit.inbox = inbox
        commit.reason = reason
        commit.runId = runId
        commit.workItem = workItem(fingerprint)
        commit.destination = destination
        commit.insuredId = context.insuredId
        commit.flags = [ClaimFlagRow(rule: rule, severity: AuditSeverity.block.rawValue, line: nil, message: reason)]
        try writeOutputs(&commit, statement: nil)
        lastOutcome = ClaimOutcome(
            claimId: context.claimId, state: state, reason: reason, trail: trail, lines: lines, settlement: nil,
            flags: commit.flags)
        return commit
    }

    /// Stages the claim's trail (and statement) inside its transaction (`committing`
    /// publishes them after the commit): a run stopped before the commit leaves only
    /// staged files, removed by the next run, and one stopped after it leaves them to be
    /// published by the next run, so the outputs never lag behind the ledger nor show a
    /// claim it does not hold.
    func writeOutputs(_ commit: inout ClaimCommit, statement: String?) throws {
        guard let outputs else { return }
        try outputs.stageClaim(claimId: commit.claimId, trail: commit.trail, statement: statement)
        staged.append(commit.claimId)
        commit.outputsWritten = true
    }

    /// Called first in each attempt at a claim's transaction: a PostgreSQL ledger runs it
    /// again after a conflict (a claim id or page taken meanwhile by another worker, a
    /// deadlock), and what the attempt before staged, perhaps under another claim id,
    /// must not be published with it.
    func restartAttempt() {
        for claimId in staged { outputs?.discard(claimId: claimId) }
        staged = []
    }

    /// Commits one claim's transaction; its staged outputs are published once it is
    /// committed, and removed when it is rolled back.
    func committing(_ body: () throws -> Int64) throws -> Int64 {
        staged = []
        defer { staged = [] }
        let row: Int64
        do {
            row = try body()
        } catch {
            for claimId in staged { outputs?.discard(claimId: claimId) }
            throw error
        }
        for claimId in staged { try outputs?.publish(claimId: claimId) }
        return row
    }

    /// Decides a read claim (`ClaimStages.admit`, `decide`) and records the decision in
    /// one transaction, then moves the claim's files.
    func commit(_ claim: PreparedClaim, pages: [OCRPage], inbox: String?, mover: ClaimMover?) throws -> ClaimState {
        let document = stages.read(pages)
        let read = ReadClaim(
            document: document, lines: stages.match(document), context: claim.context, keys: claim.keys,
            fingerprint: claim.fingerprint, idFromSidecar: claim.idFromSidecar)
        if let refusal = stages.admit(read) {
            return try commitFailure(
                claim.intake, reason: refusal.reason, fingerprint: claim.fingerprint, context: read.context, inbox: inbox,
                mover: mover, state: refusal.state, rule: refusal.rule)
        }
        let processed = try mover?.destination(for: claim.intake, failed: false)
        let failed = try mover?.destination(for: claim.intake, failed: true)
        var state = ClaimState.failed
        var reason: String?
        let row = try committing { try ledger.commitClaim { history in
            restartAttempt()
            switch try stages.decide(read, ledger: history, audit: settings.config.audit) {
            case .refused(let refusal, let context):
                (state, reason) = (refusal.state, refusal.reason)
                return try failureCommit(
                    claim.intake, reason: refusal.reason, rule: refusal.rule, fingerprint: claim.fingerprint,
                    context: context, pages: pages, keys: claim.keys, document: document, lines: read.lines, inbox: inbox,
                    destination: failed)
            case .decided(let decided):
                state = decided.state
                return try record(decided, read: read, claim: claim, pages: pages, inbox: inbox, destination: processed)
            }
        } }
        try afterCommit(row: row, intake: claim.intake, destination: state == .failed ? failed : processed, reason: reason, mover: mover)
        return state
    }

    /// The ledger rows, trail and statement of a decided claim; the trail and statement
    /// are written to the outputs inside the claim's transaction.
    func record(
        _ decided: DecidedClaim, read: ReadClaim, claim: PreparedClaim, pages: [OCRPage], inbox: String?, destination: String?
    ) throws -> ClaimCommit {
        let (context, settlement, lines, document) = (decided.context, decided.settlement, read.lines, read.document)
        let trail = try ClaimTrail(
            claimId: context.claimId, state: decided.state, reason: decided.heldFor, source: claim.intake.name,
            context: context, pages: pages, keys: claim.keys, document: document, lines: lines, settlement: settlement,
            flags: decided.flags
        ).json()
        let flagRows = decided.flags.map {
            ClaimFlagRow(rule: $0.rule.rawValue, severity: $0.severity.rawValue, line: $0.lineIndex, message: $0.message)
        }
        lastOutcome = ClaimOutcome(
            claimId: context.claimId, state: decided.state, reason: decided.heldFor, trail: trail, lines: lines,
            settlement: settlement, flags: flagRows)
        var commit = ClaimCommit(
            claimId: context.claimId, fingerprint: claim.fingerprint, source: claim.intake.name, state: decided.state,
            trail: trail, createdAt: timestamp())
        commit.inbox = inbox
        commit.reason = decided.heldFor
        commit.runId = runId
        commit.workItem = workItem(claim.fingerprint)
        commit.destination = destination
        commit.insuredId = context.insuredId
        commit.serviceDate = context.serviceDate
        commit.institution = document.metadata.hospital?.value
        commit.invoiceCode = document.metadata.invoiceCode?.value
        commit.invoiceNumber = document.metadata.invoiceNumber?.value
        commit.amount = settlement.totals.amount
        commit.fundPay = settlement.totals.fundPay
        commit.criticalIllnessPay = settlement.totals.criticalIllnessPay
        commit.assistancePay = settlement.totals.assistancePay
        commit.selfPay = settlement.totals.selfPay
        commit.pending = settlement.totals.pending
        commit.pages = claim.keys
        commit.flags = flagRows
        let keys = decided.auditKeys
        commit.keys = keys.invoiceKeys.map { ("invoice", $0) } + keys.contentSignatures.map { ("signature", $0) }
        commit.items = zip(lines, settlement.lines).map { line, settled in
            ClaimItemRow(
                index: settled.index, name: line.item.name.value, nameRead: line.item.nameRead, code: settled.code,
                reimbursementClass: settled.reimbursementClass?.rawValue,
                category: line.item.feeCategory ?? line.entry?.category, zone: settled.zone.rawValue,
                amount: settled.amount, fundPay: settled.fundPay, selfPay: settled.selfPay, held: settled.held,
                criticalIllnessPay: settled.criticalIllnessPay, assistancePay: settled.assistancePay)
        }
        if let person = decided.yearToDate {
            commit.yearToDateRecord = (settlement, person.insuredId, person.year)
        }
        commit.reviews = lines.enumerated().compactMap { index, line in
            line.zone == .review ? line.match.map { ($0, index) } : nil
        }
        let images = StatementImages(claim: claim, pages: pages)
        let statement = StatementRenderer.render(Statement(
            settlement: settlement, items: lines.map(\.item), entries: lines.map(\.entry), flags: decided.flags,
            pages: images.pages(items: lines.map(\.item))))
        try writeOutputs(&commit, statement: statement)
        return commit
    }

    func afterCommit(row: Int64, intake: IntakeClaim, destination: String?, reason: String?, mover: ClaimMover?) throws {
        if let mover, let destination {
            try move(intake, to: destination, reason: reason, row: row, mover: mover)
        }
    }

    /// Moves a recorded claim out of the inbox. One that cannot be moved (a folder the
    /// run may not rename, a name the file system refuses) is reported and left as it
    /// is, recorded as not moved: the rest of the inbox goes on, and the next run tries
    /// it again before anything else without being held by it.
    func move(_ intake: IntakeClaim, to destination: String, reason: String?, row: Int64, mover: ClaimMover) throws {
        guard !unmovedRows.contains(row) else { return }
        do {
            try mover.move(intake, to: destination, reason: reason)
        } catch let error as PipelineError {
            guard case .cannotWriteOutput(let path, let message) = error else { throw error }
            unmovedRows.insert(row)
            unmoved.append("\(intake.name): recorded, but not moved out of the inbox (\(path): \(message)); the next run tries again")
            return
        }
        try ledger.markMoved(row)
    }
}

/// What became of one claim: its state, why, its trail, and (when it was read) its
/// matched lines, settlement and flags.
public struct ClaimOutcome: Sendable {
    public var claimId: String
    public var state: ClaimState
    public var reason: String?
    public var trail: String
    public var lines: [MatchedLine]
    public var settlement: ClaimSettlement?
    public var flags: [ClaimFlagRow]
}

/// Carries OCR results from the worker threads to the one thread that writes the
/// ledger, in the order they finish.
final class ResultChannel: Sendable {
    private let state = Mutex<(items: [(Int, Result<OCRPage, OCRError>)], closed: Bool, error: (any Error)?)>(([], false, nil))
    private let available = DispatchSemaphore(value: 0)

    func push(_ index: Int, _ result: Result<OCRPage, OCRError>) {
        state.withLock { $0.items.append((index, result)) }
        available.signal()
    }

    func close(error: (any Error)?) {
        state.withLock {
            $0.closed = true
            $0.error = error
        }
        available.signal()
    }

    /// The next result, waiting for one; nil once the pool has stopped and all are taken.
    func next() -> (Int, Result<OCRPage, OCRError>)? {
        while true {
            let taken: (Int, Result<OCRPage, OCRError>)?? = state.withLock { state in
                if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                return state.closed ? .some(nil) : nil
            }
            if let taken { return taken }
            available.wait()
        }
    }

    var error: (any Error)? { state.withLock { $0.error } }
}
