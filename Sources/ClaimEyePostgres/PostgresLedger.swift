import ClaimEyeCore
import ClaimEyeStore
import Foundation
import PostgresNIO

/// The ledger on a PostgreSQL server, shared by workers on several hosts: the same
/// tables and behaviour as the SQLite ledger (`Ledger`), with what many writers need
/// on top. A claim's commit takes a transaction-scoped advisory lock on the insured
/// person's year and on each of its audit keys before it reads them, so two workers
/// settling the same person, or the same invoice, at once are put one after the other
/// by the database; unique keys (a live claim id, a page, a work item's state) turn a
/// second commit of the same claim into a rollback, whatever the timing.
public final class PostgresLedger: LedgerStore, @unchecked Sendable {
    public let address: PostgresAddress
    let session: PostgresSession
    /// This worker's name in leases and work items (`HOST pid N`).
    public let worker: String
    /// How long a lease lasts unless renewed: a stopped worker's claims are taken again
    /// this long after its last renewal.
    public var leaseSeconds = 30

    public var location: String { address.redacted }

    /// Connects to the ledger at `address` and brings its schema up to date (under an
    /// advisory lock, so workers starting together migrate it once).
    public init(
        address: PostgresAddress, policy: ReconnectPolicy = .fromEnvironment, migrate: Bool = true, worker: String = WorkerName.current
    ) throws {
        self.address = address
        self.worker = worker
        session = PostgresSession(address: address, policy: policy)
        try session.run("SELECT 1")
        if migrate { try self.migrate() }
    }

    /// The migrations still to apply, applied in one transaction; returns their names.
    @discardableResult
    public func migrate() throws -> [String] {
        do {
            return try session.transaction(retryConflicts: false) {
                // Any number: one lock the ledger's migrations are taken under.
                try session.execute("SELECT pg_advisory_xact_lock(7031)")
                try session.execute("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                let applied = Set(try session.execute("SELECT name FROM schema_migration").named.map { try $0.string("name") })
                var done: [String] = []
                for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                    for statement in migration.statements { try session.execute(statement) }
                    try session.execute("INSERT INTO schema_migration (name) VALUES ($1)", [migration.name])
                    done.append(migration.name)
                }
                return done
            }
        } catch let error as StoreError {
            guard case .statementFailed(let message) = error else { throw error }
            throw StoreError.migrationFailed(path: location, message: message)
        }
    }

    public func appliedMigrations() throws -> [String] {
        try session.run("SELECT name FROM schema_migration ORDER BY name").named.map { try $0.string("name") }
    }

    // MARK: - Claims

    public func commitClaim(_ build: (any ClaimLedgerView) throws -> ClaimCommit) throws -> Int64 {
        try session.transaction {
            let history = PostgresHistory(session: session)
            let commit = try build(history)
            let row = try session.execute(
                """
                INSERT INTO claim (claim_id, fingerprint, source, inbox, state, reason, insured_id, service_date,
                    institution, invoice_code, invoice_number, amount_fen, fund_pay_fen, self_pay_fen,
                    pending_fen, flag_count, trail, run_id, created_at, destination, moved, outputs_written,
                    critical_illness_pay_fen, assistance_pay_fen)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
                RETURNING id
                """,
                [
                    commit.claimId, commit.fingerprint, commit.source, commit.inbox, commit.state.rawValue, commit.reason,
                    commit.insuredId, commit.serviceDate, commit.institution, commit.invoiceCode, commit.invoiceNumber,
                    commit.amount.value, commit.fundPay.value, commit.selfPay.value, commit.pending.value,
                    Int64(commit.flags.count), commit.trail, commit.runId, commit.createdAt, commit.destination,
                    commit.destination == nil, commit.outputsWritten,
                    commit.criticalIllnessPay.value, commit.assistancePay.value,
                ]
            ).named.first.map { try $0.int64("id") } ?? 0
            if let work = commit.workItem {
                // The claim's registration closes with its first commit: a second worker
                // holding a copy (its lease ran out meanwhile) finds it closed and rolls back.
                let closed = try session.execute(
                    """
                    UPDATE work_item SET state = 'done', done_at = now(), done_by = $2, claim_row = $3
                    WHERE id = $1 AND state = 'waiting' AND lease_holder = $2
                    """,
                    [work.id, work.holder, row]
                ).affected
                guard closed == 1 else { throw StoreError.committedElsewhere(claim: commit.source) }
            }
            // Each table's rows in one statement (arrays unnested): a claim's commit is a
            // handful of round trips, not one per line. Empty text stands for NULL in the
            // optional columns, none of which holds an empty value.
            if !commit.pages.isEmpty {
                try session.execute(
                    "INSERT INTO claim_page (sha256, page_index, claim_row, file) SELECT s, i, $1, f FROM unnest($2::text[], $3::bigint[], $4::text[]) AS p(s, i, f)",
                    [row, commit.pages.map(\.sha256), commit.pages.map { Int64($0.pageIndex) }, commit.pages.map(\.file)])
            }
            if !commit.items.isEmpty {
                let items = commit.items
                try session.execute(
                    """
                    INSERT INTO claim_item (claim_row, idx, name, name_read, code, class, category, zone, amount_fen,
                        fund_pay_fen, self_pay_fen, held, critical_illness_pay_fen, assistance_pay_fen)
                    SELECT $1, idx, name, name_read, nullif(code, ''), nullif(class, ''), nullif(category, ''), zone, amount,
                        fund_pay, self_pay, held, critical_illness, assistance
                    FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::bigint[], $10::bigint[], $11::bigint[], $12::boolean[], $13::bigint[], $14::bigint[])
                        AS i(idx, name, name_read, code, class, category, zone, amount, fund_pay, self_pay, held, critical_illness, assistance)
                    """,
                    [
                        row, items.map { Int64($0.index) }, items.map(\.name), items.map(\.nameRead), items.map { $0.code ?? "" },
                        items.map { $0.reimbursementClass ?? "" }, items.map { $0.category ?? "" }, items.map(\.zone),
                        items.map(\.amount.value), items.map(\.fundPay.value), items.map(\.selfPay.value), items.map(\.held),
                        items.map(\.criticalIllnessPay.value), items.map(\.assistancePay.value),
                    ])
            }
            if !commit.keys.isEmpty {
                try session.execute(
                    "INSERT INTO claim_key (kind, key, claim_row) SELECT k, v, $1 FROM unnest($2::text[], $3::text[]) AS k(k, v)",
                    [row, commit.keys.map(\.kind), commit.keys.map(\.key)])
            }
            if !commit.flags.isEmpty {
                // A flag's line: -1 stands for none.
                try session.execute(
                    """
                    INSERT INTO claim_flag (claim_row, rule, severity, line, message)
                    SELECT $1, r, s, nullif(l, -1), m FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) AS f(r, s, l, m)
                    """,
                    [row, commit.flags.map(\.rule), commit.flags.map(\.severity), commit.flags.map { Int64($0.line ?? -1) }, commit.flags.map(\.message)])
            }
            if let record = commit.yearToDateRecord {
                try writeSettlement(record.settlement, insuredId: record.insuredId, year: record.year, settledAt: commit.createdAt)
            }
            for review in commit.reviews {
                let candidates = String(decoding: try JSONEncoder.reviewSorted.encode(review.result.candidates), as: UTF8.self)
                try session.execute(
                    """
                    INSERT INTO review_item (query_text, key, spec, unit_price, candidates, claim_id, line, created_on)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """,
                    [
                        review.result.query.text, review.result.key, review.result.query.spec,
                        review.result.query.unitPrice.map { Money.format($0) }, candidates, commit.claimId,
                        Int64(review.line), String(commit.createdAt.prefix(10)),
                    ])
            }
            return row
        }
    }

    static let claimColumns = "id, claim_id, fingerprint, source, inbox, state, reason, trail, destination, moved, outputs_written"

    static func storedClaim(_ row: SQLRow) throws -> StoredClaim {
        StoredClaim(
            row: try row.int64("id"), claimId: try row.string("claim_id"), fingerprint: try row.string("fingerprint"),
            source: try row.string("source"), inbox: try row.optionalString("inbox"),
            state: ClaimState(rawValue: try row.string("state")) ?? .failed, reason: try row.optionalString("reason"),
            trail: try row.string("trail"), destination: try row.optionalString("destination"), moved: try row.bool("moved"),
            outputsWritten: try row.bool("outputs_written"))
    }

    private func claims(_ sql: String, _ values: [SQLValue] = []) throws -> [StoredClaim] {
        try session.run("SELECT \(Self.claimColumns) FROM claim " + sql, values).named.map(Self.storedClaim)
    }

    public func unmovedClaim(fingerprint: String, inbox: String) throws -> StoredClaim? {
        try claims("WHERE fingerprint = $1 AND inbox = $2 AND NOT moved ORDER BY id DESC LIMIT 1", [fingerprint, inbox]).first
    }

    public func unfinishedClaims(inbox: String?) throws -> [StoredClaim] {
        try claims("WHERE (NOT moved OR NOT outputs_written) AND inbox IS NOT DISTINCT FROM $1 ORDER BY id", [inbox])
    }

    public func markMoved(_ row: Int64) throws {
        try session.run("UPDATE claim SET moved = TRUE WHERE id = $1", [row])
    }

    public func markOutputsWritten(_ row: Int64) throws {
        try session.run("UPDATE claim SET outputs_written = TRUE WHERE id = $1", [row])
    }

    public func hasClaim(_ claimId: String) throws -> Bool {
        try session.run("SELECT EXISTS(SELECT 1 FROM claim WHERE claim_id = $1) AS found", [claimId]).named.first?.bool("found") ?? false
    }

    public func items(ofClaim row: Int64) throws -> [ClaimItemRow] {
        try session.run("SELECT * FROM claim_item WHERE claim_row = $1 ORDER BY idx", [row]).named.map {
            ClaimItemRow(
                index: try $0.int("idx"), name: try $0.string("name"), nameRead: try $0.string("name_read"),
                code: try $0.optionalString("code"), reimbursementClass: try $0.optionalString("class"),
                category: try $0.optionalString("category"), zone: try $0.string("zone"),
                amount: Fen(try $0.int64("amount_fen")), fundPay: Fen(try $0.int64("fund_pay_fen")),
                selfPay: Fen(try $0.int64("self_pay_fen")), held: try $0.bool("held"),
                criticalIllnessPay: Fen(try $0.int64("critical_illness_pay_fen")),
                assistancePay: Fen(try $0.int64("assistance_pay_fen")))
        }
    }

    // MARK: - OCR, runs, items.csv journal

    public func storedOCR(sha256: String, pageIndex: Int, engine: String) throws -> Data? {
        try session.run(
            "SELECT ocr FROM page_ocr WHERE sha256 = $1 AND page_index = $2 AND engine = $3", [sha256, Int64(pageIndex), engine]
        ).named.first.map { try $0.data("ocr") }
    }

    public func storeOCR(_ ocr: Data, sha256: String, pageIndex: Int, engine: String) throws {
        try session.run(
            """
            INSERT INTO page_ocr (sha256, page_index, engine, ocr) VALUES ($1, $2, $3, $4)
            ON CONFLICT (sha256, page_index, engine) DO UPDATE SET ocr = excluded.ocr
            """,
            [sha256, Int64(pageIndex), engine, ByteBuffer(bytes: ocr)])
    }

    public func startRun(command: String, version: String, inbox: String?, startedAt: String) throws -> Int64 {
        try session.run(
            "INSERT INTO run (command, version, started_at, inbox, pid, host) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            [command, version, startedAt, inbox, Int64(getpid()), WorkerName.host]
        ).named.first.map { try $0.int64("id") } ?? 0
    }

    public func finishRun(_ id: Int64, settled: Int, review: Int, failed: Int, exitCode: Int32, endedAt: String) throws {
        try session.run(
            """
            UPDATE run SET ended_at = $1, claims_settled = $2, claims_review = $3, claims_failed = $4, exit_code = $5
            WHERE id = $6
            """,
            [endedAt, Int64(settled), Int64(review), Int64(failed), Int64(exitCode), id])
    }

    public func itemsCSVLength(path: String) throws -> Int? {
        try session.run("SELECT value FROM ledger_meta WHERE key = $1", ["items_csv:" + path]).named.first
            .flatMap { Int(try $0.string("value")) }
    }

    public func claimsMissingFromCSV() throws -> [StoredClaim] {
        try claims("WHERE NOT csv_written ORDER BY claim_id, id")
    }

    public func allClaims() throws -> [StoredClaim] {
        try claims("ORDER BY claim_id, id")
    }

    public func markWrittenToCSV(_ rows: [Int64], path: String, length: Int) throws {
        try session.transaction {
            try session.execute("UPDATE claim SET csv_written = TRUE WHERE id = ANY($1)", [rows])
            try session.execute(
                "INSERT INTO ledger_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ["items_csv:" + path, "\(length)"])
        }
    }

    // MARK: - Year-to-date

    public func yearToDate(insuredId: String, year: Int, excluding claimId: String?) throws -> YearToDate {
        try PostgresHistory(session: session).yearToDate(insuredId: insuredId, year: year, excluding: claimId, lock: false)
    }

    public func recordSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) throws {
        try session.transaction {
            try PostgresHistory(session: session).lockYear(insuredId: insuredId, year: year)
            try writeSettlement(settlement, insuredId: insuredId, year: year, settledAt: settledAt)
        }
    }

    /// `recordSettlement` inside the caller's transaction.
    private func writeSettlement(_ settlement: ClaimSettlement, insuredId: String, year: Int, settledAt: String) throws {
        let row = SettlementTotalRow(settlement, insuredId: insuredId, year: year, settledAt: settledAt)
        let columns = SettlementTotalRow.columns
        try session.execute(
            """
            INSERT INTO settlement_total (\(columns.joined(separator: ", ")))
            VALUES (\((1...columns.count).map { "$\($0)" }.joined(separator: ", ")))
            ON CONFLICT (claim_id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """,
            row.values.map { $0 as? any PostgresDynamicTypeEncodable })
    }
}

/// What a claim's commit reads of earlier claims, inside its transaction on PostgreSQL.
struct PostgresHistory: ClaimLedgerView {
    let session: PostgresSession

    /// Waits for, then holds until the transaction ends, the lock of one name (a person's
    /// year, an audit key): a second transaction asking for it waits for the first to end.
    func lock(_ name: String) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [name])
    }

    func lockYear(insuredId: String, year: Int) throws {
        try lock("year-to-date \(insuredId) \(year)")
    }

    func yearToDate(insuredId: String, year: Int) throws -> YearToDate {
        try yearToDate(insuredId: insuredId, year: year, excluding: nil, lock: true)
    }

    func yearToDate(insuredId: String, year: Int, excluding claimId: String?, lock: Bool) throws -> YearToDate {
        // Held until the claim's commit: the next claim of this person and year, on any
        // host, reads the year-to-date only after this one is written.
        if lock { try lockYear(insuredId: insuredId, year: year) }
        let rows = try session.execute(
            "SELECT \(SettlementTotalRow.columns.joined(separator: ", ")) FROM settlement_total WHERE insured_id = $1 AND year = $2 ORDER BY claim_id",
            [insuredId, Int64(year)]
        ).named
        return SettlementTotalRow.yearToDate(
            try rows.map { row in try SettlementTotalRow(text: row.string, integer: row.int64) }, excluding: claimId)
    }

    func owners(of pages: [PageKey]) throws -> [String: String] {
        var owners: [String: String] = [:]
        for page in pages {
            if let owner = try session.execute(
                "SELECT c.claim_id FROM claim_page p JOIN claim c ON c.id = p.claim_row WHERE p.sha256 = $1 AND p.page_index = $2",
                [page.sha256, Int64(page.pageIndex)]
            ).named.first {
                owners[page.sha256] = try owner.string("claim_id")
            }
        }
        return owners
    }

    func claimIdTaken(_ claimId: String) throws -> Bool {
        try session.execute(
            "SELECT EXISTS(SELECT 1 FROM claim WHERE claim_id = $1 AND state != 'failed') AS taken", [claimId]
        ).named.first?.bool("taken") ?? false
    }

    func auditHistory(_ keys: AuditKeys) throws -> AuditHistory {
        // Each key locked before it is looked up, in one order for every claim, so two
        // claims with the same invoice on two hosts cannot both find none.
        let names = (keys.invoiceKeys.map { "invoice \($0)" } + keys.contentSignatures.map { "signature \($0)" }).sorted()
        for name in names { try lock("audit key \(name)") }
        var result = AuditHistory()
        func earliest(_ kind: String, _ key: String) throws -> String? {
            try session.execute(
                """
                SELECT c.claim_id FROM claim_key k JOIN claim c ON c.id = k.claim_row
                WHERE k.kind = $1 AND k.key = $2 AND c.state != 'failed' ORDER BY c.id LIMIT 1
                """,
                [kind, key]
            ).named.first.map { try $0.string("claim_id") }
        }
        for key in keys.invoiceKeys {
            if let earlier = try earliest("invoice", key) { result.invoiceKeys[key] = earlier }
        }
        for key in keys.contentSignatures {
            if let earlier = try earliest("signature", key) { result.contentSignatures[key] = earlier }
        }
        let byPerson = Dictionary(grouping: keys.dispensing, by: \.insuredId)
        for (insured, records) in byPerson.sorted(by: { $0.key < $1.key }) {
            let codes = Array(Set(records.map(\.code))).sorted()
            guard !codes.isEmpty else { continue }
            let rows = try session.execute(
                """
                SELECT DISTINCT i.code, c.service_date, c.claim_id FROM claim_item i JOIN claim c ON c.id = i.claim_row
                WHERE c.insured_id = $1 AND c.state != 'failed' AND c.service_date IS NOT NULL AND i.code = ANY($2)
                ORDER BY c.service_date, c.claim_id, i.code
                """,
                [insured, codes]
            ).named
            for row in rows {
                result.dispensing.append(DispensingRecord(
                    insuredId: insured, code: try row.string("code"), date: try row.string("service_date"),
                    claimId: try row.string("claim_id")))
            }
        }
        return result
    }
}

/// This process's name in leases, runs and `ledger status`: `HOST pid N`.
public enum WorkerName {
    /// The host name (`$CLAIMEYE_HOST` when set, for workers sharing one machine in tests).
    public static var host: String {
        if let name = ProcessInfo.processInfo.environment["CLAIMEYE_HOST"], !name.isEmpty { return name }
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static var current: String { "\(host) pid \(getpid())" }
}
