import ClaimEyeCore
import Foundation

/// What the pipeline, `settle` and `report` need of a ledger, whichever database holds
/// it: the SQLite file of one machine (`Ledger`) or a PostgreSQL server shared by the
/// workers of several (`PostgresLedger`). Both keep the same schema and the same
/// behaviour; `LedgerContractTests` runs one suite against both.
public protocol LedgerStore: AnyObject, Sendable {
    /// Where the ledger is, as messages name it (a PostgreSQL address without its password).
    var location: String { get }

    /// The names of the schema migrations applied, in order.
    func appliedMigrations() throws -> [String]

    /// Commits one claim in one transaction: `build` runs inside it with the ledger's
    /// history (year-to-date, earlier claims) and returns what to write. All of it is
    /// written or none; the person's year-to-date and the claim's audit keys are read
    /// and written under the database's locks, so two writers cannot both count them.
    @discardableResult
    func commitClaim(_ build: (any ClaimLedgerView) throws -> ClaimCommit) throws -> Int64

    /// The live claim (or the latest failed one) committed with this fingerprint from
    /// this inbox whose files were not moved yet.
    func unmovedClaim(fingerprint: String, inbox: String) throws -> StoredClaim?
    /// Claims whose files or outputs a stopped run left unfinished, oldest first.
    func unfinishedClaims(inbox: String?) throws -> [StoredClaim]
    /// Records that the claim's files are at their destination.
    func markMoved(_ row: Int64) throws
    /// Records that the claim's per-claim outputs are written.
    func markOutputsWritten(_ row: Int64) throws
    /// Whether any claim (of any state) has this id.
    func hasClaim(_ claimId: String) throws -> Bool
    /// The item rows of a committed claim, in line order.
    func items(ofClaim row: Int64) throws -> [ClaimItemRow]

    /// The stored OCR of a page (its file's hash and page index) read with `engine`.
    func storedOCR(sha256: String, pageIndex: Int, engine: String) throws -> Data?
    /// Stores a page's OCR, so a restarted or repeated run does not read it again.
    func storeOCR(_ ocr: Data, sha256: String, pageIndex: Int, engine: String) throws

    /// Records the start of a run; returns its id.
    func startRun(command: String, version: String, inbox: String?, startedAt: String) throws -> Int64
    /// Records the end of a run: its counts and exit code.
    func finishRun(_ id: Int64, settled: Int, review: Int, failed: Int, exitCode: Int32, endedAt: String) throws

    /// The length `items.csv` had when its last rows were recorded as written.
    func itemsCSVLength(path: String) throws -> Int?
    /// Claims whose rows are not in `items.csv` yet, by claim id.
    func claimsMissingFromCSV() throws -> [StoredClaim]
    /// Every claim, by claim id.
    func allClaims() throws -> [StoredClaim]
    /// Records that these claims' rows are in `items.csv` and the file's length after them.
    func markWrittenToCSV(_ rows: [Int64], path: String, length: Int) throws

    /// The insured person's year-to-date state from their settled claims of `year`.
    func yearToDate(insuredId: String, year: Int, excluding claimId: String?) throws -> YearToDate
    /// Records a settled claim's totals (replacing an earlier settlement of the same claim).
    func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) throws
    /// Settled and held claims with service dates in `from…to`, for the fund report.
    func reportClaims(from: String?, to: String?) throws -> [ReportClaim]

    /// A matcher over the ledger's catalogue, its learned aliases and rejections; a
    /// ledger with no catalogue yet is first given the sample at `seed` (when named).
    func catalogueMatcher(thresholds: MatchThresholds, seed: String?) throws -> CatalogueMatcher
    /// Reads and checks every row of a catalogue file, then upserts them by code in one
    /// transaction (`CatalogueStore.importFile`).
    func importCatalogue(_ path: String, now: Date) throws -> CatalogueImportSummary

    /// Entries whose name, alias or code contains `text`, shortest name first
    /// (`CatalogueStore.search`).
    func searchCatalogue(_ text: String, limit: Int) throws -> [CatalogueEntry]
    /// Counts of entries, aliases and review items (`CatalogueStore.stats`).
    func catalogueStats() throws -> CatalogueStats

    /// Review items with `status` (all when nil), oldest first (`ReviewQueue.list`).
    func reviewItems(status: String?, limit: Int) throws -> [ReviewItem]
    /// One review item, or `ReviewError.noSuchItem`.
    func reviewItem(_ id: Int64) throws -> ReviewItem
    /// Accepts (a dated alias) or rejects (never auto-match again) entry `code`, by
    /// default the item's top candidate, for an open item; returns the code decided.
    func decideReview(_ id: Int64, code: String?, accept: Bool, on day: String) throws -> String
}

extension LedgerStore {
    /// `yearToDate` counting every settled claim.
    public func yearToDate(insuredId: String, year: Int) throws -> YearToDate {
        try yearToDate(insuredId: insuredId, year: year, excluding: nil)
    }
}

/// A claim of a shared inbox leased to this worker: its work item, name and content
/// fingerprint.
public struct LeasedClaim: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var fingerprint: String

    public init(id: Int64, name: String, fingerprint: String) {
        (self.id, self.name, self.fingerprint) = (id, name, fingerprint)
    }
}

/// How workers on several hosts share one inbox (PostgreSQL ledger): each claim is
/// registered once by its content fingerprint, leased to one worker at a time with
/// `SELECT … FOR UPDATE SKIP LOCKED`, kept while the worker renews its lease, and
/// taken again by another worker once a lease runs out. The commit that closes the
/// work item is the claim's only commit (`ClaimCommit.workItem`).
public protocol WorkQueue: AnyObject {
    /// This worker's name in leases (`HOST pid N`).
    var holder: String { get }
    /// Registers claims found in `inbox` (name, fingerprint, and the insured person
    /// when the claim's sidecar names one); a claim registered before, by any worker,
    /// is left as it is.
    func register(inbox: String, claims: [(name: String, fingerprint: String, person: String?)]) throws
    /// Leases up to `limit` claims of `inbox` among `fingerprints` that are waiting and
    /// not leased, or whose lease ran out, in name order. A person's claims are leased
    /// one at a time in name order (a claim waits while one of the same person with an
    /// earlier name, still in the inbox, is not committed), so each is settled on the same year-to-date as
    /// one worker taking the inbox in name order would settle it.
    func lease(inbox: String, fingerprints: [String], limit: Int) throws -> [LeasedClaim]
    /// Gives back this worker's leases of claims it did not commit (a stop).
    func releaseLeases() throws
}

/// One claim's row of `settlement_total`, as both ledgers write and read it: what the
/// claim added to the insured person's year (the exact accruals as decimal text).
public struct SettlementTotalRow: Sendable {
    public var claimId: String
    public var insuredId: String
    public var year: Int64
    public var serviceDate: String
    public var visitType: String
    public var deductibleBasis: String
    public var fundPay: Int64
    public var deductible: Int64
    public var fundAccrued: String
    public var region: String
    public var settledAt: String
    public var criticalIllnessBase: String
    public var criticalIllnessPay: Int64
    public var criticalIllnessAccrued: String
    public var assistanceBase: String
    public var assistancePay: Int64
    public var assistanceAccrued: String

    /// The columns in the order of `values`.
    public static let columns = [
        "claim_id", "insured_id", "year", "service_date", "visit_type", "deductible_basis", "fund_pay_fen",
        "deductible_fen", "fund_accrued", "region", "settled_at", "critical_illness_base", "critical_illness_pay_fen",
        "critical_illness_accrued", "assistance_base", "assistance_pay_fen", "assistance_accrued",
    ]

    /// The row of a settled claim.
    public init(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) {
        let (before, after) = (settlement.yearToDateBefore, settlement.yearToDateAfter)
        claimId = settlement.claimId
        self.insuredId = insuredId
        self.year = Int64(year)
        serviceDate = settlement.context.serviceDate ?? ""
        visitType = settlement.context.visitType.rawValue
        deductibleBasis = settlement.terms.deductibleBasis.rawValue
        fundPay = settlement.totals.fundPay.value
        deductible = settlement.totals.deductible.value
        fundAccrued = "\(after.fundAccrued - before.fundAccrued)"
        region = settlement.terms.region
        self.settledAt = settledAt
        criticalIllnessBase = "\(after.criticalIllnessBase - before.criticalIllnessBase)"
        criticalIllnessPay = settlement.totals.criticalIllnessPay.value
        criticalIllnessAccrued = "\(after.criticalIllnessAccrued - before.criticalIllnessAccrued)"
        assistanceBase = "\(after.assistanceBase - before.assistanceBase)"
        assistancePay = settlement.totals.assistancePay.value
        assistanceAccrued = "\(after.assistanceAccrued - before.assistanceAccrued)"
    }

    /// A row read back by column name (`text` for text columns, `integer` for the rest).
    public init(text: (String) throws -> String, integer: (String) throws -> Int64) throws {
        claimId = try text("claim_id")
        insuredId = try text("insured_id")
        year = try integer("year")
        serviceDate = try text("service_date")
        visitType = try text("visit_type")
        deductibleBasis = try text("deductible_basis")
        fundPay = try integer("fund_pay_fen")
        deductible = try integer("deductible_fen")
        fundAccrued = try text("fund_accrued")
        region = try text("region")
        settledAt = try text("settled_at")
        criticalIllnessBase = try text("critical_illness_base")
        criticalIllnessPay = try integer("critical_illness_pay_fen")
        criticalIllnessAccrued = try text("critical_illness_accrued")
        assistanceBase = try text("assistance_base")
        assistancePay = try integer("assistance_pay_fen")
        assistanceAccrued = try text("assistance_accrued")
    }

    /// The values in the order of `columns`: text or 64-bit integers.
    public var values: [any Sendable] {
        [
            claimId, insuredId, year, serviceDate, visitType, deductibleBasis, fundPay, deductible, fundAccrued, region,
            settledAt, criticalIllnessBase, criticalIllnessPay, criticalIllnessAccrued, assistanceBase, assistancePay,
            assistanceAccrued,
        ]
    }

    /// The person's year-to-date from their claims' rows, leaving out `excluding`.
    public static func yearToDate(_ rows: [SettlementTotalRow], excluding claimId: String?) -> YearToDate {
        var state = YearToDate.none
        func exact(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
        for row in rows where row.claimId != claimId {
            state.fundPaid += Fen(row.fundPay)
            state.fundAccrued += exact(row.fundAccrued)
            state.criticalIllnessBase += exact(row.criticalIllnessBase)
            state.criticalIllnessPaid += Fen(row.criticalIllnessPay)
            state.criticalIllnessAccrued += exact(row.criticalIllnessAccrued)
            state.assistanceBase += exact(row.assistanceBase)
            state.assistancePaid += Fen(row.assistancePay)
            state.assistanceAccrued += exact(row.assistanceAccrued)
            if row.deductibleBasis == DeductibleBasis.year.rawValue, let visit = VisitType(rawValue: row.visitType) {
                state.deductibleUsed[visit] = state.deductibleUsed(visit) + Fen(row.deductible)
            }
        }
        return state
    }
}

/// What `claimeye ledger status` shows: claims by state and, on a PostgreSQL ledger
/// shared by workers, the work queue, its leases and the workers' rates.
public struct LedgerStatus: Codable, Sendable {
    /// Claims by state (settled, needs_review, failed).
    public var claims: [String: Int]
    /// Work items by state, and those leased now.
    public var waiting: Int
    public var leased: Int
    public var done: Int
    public struct Lease: Codable, Sendable {
        public var holder: String
        public var claims: Int
        /// Seconds until the holder's earliest lease runs out (negative: ran out).
        public var expiresIn: Double

        public init(holder: String, claims: Int, expiresIn: Double) {
            (self.holder, self.claims, self.expiresIn) = (holder, claims, expiresIn)
        }
    }
    public var leases: [Lease]
    /// The oldest lease now held: its claim and age in seconds.
    public var oldestLease: String?
    public var oldestLeaseSeconds: Double?
    public struct Rate: Codable, Sendable {
        public var worker: String
        public var claims: Int
        public var perMinute: Double

        public init(worker: String, claims: Int, perMinute: Double) {
            (self.worker, self.claims, self.perMinute) = (worker, claims, perMinute)
        }
    }
    /// Claims committed per worker in the last `window` seconds, and their rate.
    public var window: Int
    public var rates: [Rate]
    public var perMinute: Double

    public init(
        claims: [String: Int], waiting: Int = 0, leased: Int = 0, done: Int = 0, leases: [Lease] = [], oldestLease: String? = nil,
        oldestLeaseSeconds: Double? = nil, window: Int, rates: [Rate] = [], perMinute: Double = 0
    ) {
        (self.claims, self.waiting, self.leased, self.done, self.leases) = (claims, waiting, leased, done, leases)
        (self.oldestLease, self.oldestLeaseSeconds, self.window, self.rates, self.perMinute) =
            (oldestLease, oldestLeaseSeconds, window, rates, perMinute)
    }
}

