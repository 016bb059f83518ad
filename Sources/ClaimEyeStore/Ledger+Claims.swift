import ClaimEyeCore
import Foundation
import GRDB

/// One item row of a committed claim, for reports and later claims' audit rules.
public struct ClaimItemRow: Hashable, Sendable {
    public var index: Int
    public var name: String
    public var nameRead: String
    public var code: String?
    public var reimbursementClass: String?
    public var category: String?
    public var zone: String
    public var amount: Fen
    public var fundPay: Fen
    public var selfPay: Fen
    public var held: Bool
    /// The line's share of 大病保险 and 医疗救助.
    public var criticalIllnessPay: Fen
    public var assistancePay: Fen

    public init(
        index: Int, name: String, nameRead: String, code: String?, reimbursementClass: String?, category: String?,
        zone: String, amount: Fen, fundPay: Fen, selfPay: Fen, held: Bool, criticalIllnessPay: Fen = .zero, assistancePay: Fen = .zero
    ) {
        self.criticalIllnessPay = criticalIllnessPay
        self.assistancePay = assistancePay
        self.index = index
        self.name = name
        self.nameRead = nameRead
        self.code = code
        self.reimbursementClass = reimbursementClass
        self.category = category
        self.zone = zone
        self.amount = amount
        self.fundPay = fundPay
        self.selfPay = selfPay
        self.held = held
    }
}

/// One flag of a committed claim: an audit rule's hit or a failure's reason.
public struct ClaimFlagRow: Hashable, Sendable {
    public var rule: String
    public var severity: String
    public var line: Int?
    public var message: String

    public init(rule: String, severity: String, line: Int?, message: String) {
        self.rule = rule
        self.severity = severity
        self.line = line
        self.message = message
    }
}

/// Everything one claim writes to the ledger, in one transaction.
public struct ClaimCommit: Sendable {
    public var claimId: String
    public var fingerprint: String
    /// The claim's folder or file name in the inbox (or the paths given to `process`).
    public var source: String
    public var inbox: String?
    public var state: ClaimState
    public var reason: String?
    public var insuredId: String?
    public var serviceDate: String?
    public var institution: String?
    public var invoiceCode: String?
    public var invoiceNumber: String?
    /// Audit keys of the claim's documents, by kind (`invoice`, `signature`).
    public var keys: [(kind: String, key: String)] = []
    /// Whether the per-claim outputs were written before the commit.
    public var outputsWritten = false
    public var amount: Fen = .zero
    public var fundPay: Fen = .zero
    /// 大病保险 and 医疗救助 paid for the claim.
    public var criticalIllnessPay: Fen = .zero
    public var assistancePay: Fen = .zero
    public var selfPay: Fen = .zero
    public var pending: Fen = .zero
    /// The claim's whole trail as JSON: what `out/<claim_id>.json` holds.
    public var trail: String
    public var runId: Int64?
    public var createdAt: String
    /// Where the claim's files go after the commit (nil: they stay where they are).
    public var destination: String?
    /// The pages this claim owns; empty for a failed claim, whose pages stay free.
    public var pages: [PageKey] = []
    public var items: [ClaimItemRow] = []
    public var flags: [ClaimFlagRow] = []
    /// A settled claim's totals for the insured person's year-to-date state.
    public var yearToDateRecord: (settlement: ClaimSettlement, insuredId: String, year: Int)?
    /// The work item this commit closes (a claim leased from a shared inbox) and the
    /// lease holder: a commit whose item another worker closed first is rolled back.
    public var workItem: (id: Int64, holder: String)?
    /// Review-zone lines for the review queue: the match and the line's index.
    public var reviews: [(result: MatchResult, line: Int)] = []

    public init(claimId: String, fingerprint: String, source: String, state: ClaimState, trail: String, createdAt: String) {
        self.claimId = claimId
        self.fingerprint = fingerprint
        self.source = source
        self.state = state
        self.trail = trail
        self.createdAt = createdAt
    }
}

/// A committed claim as a later run sees it.
public struct StoredClaim: Hashable, Sendable {
    public var row: Int64
    public var claimId: String
    public var fingerprint: String
    public var source: String
    public var inbox: String?
    public var state: ClaimState
    public var reason: String?
    public var trail: String
    public var destination: String?
    public var moved: Bool
    public var outputsWritten: Bool

    public init(
        row: Int64, claimId: String, fingerprint: String, source: String, inbox: String?, state: ClaimState, reason: String?,
        trail: String, destination: String?, moved: Bool, outputsWritten: Bool
    ) {
        (self.row, self.claimId, self.fingerprint, self.source, self.inbox) = (row, claimId, fingerprint, source, inbox)
        (self.state, self.reason, self.trail, self.destination) = (state, reason, trail, destination)
        (self.moved, self.outputsWritten) = (moved, outputsWritten)
    }
}

/// What a claim's commit can look up about earlier claims, inside its transaction, so
/// two runs sharing a ledger cannot both count the same year-to-date or both miss a
/// duplicate.
public struct ClaimHistory {
    let db: Database

    /// The insured person's year-to-date state from their settled claims of `year`.
    public func yearToDate(insuredId: String, year: Int, excluding claimId: String?) throws -> YearToDate {
        try Ledger.yearToDate(insuredId: insuredId, year: year, excluding: claimId, in: db)
    }

    /// Live claims owning any of these pages, by page hash.
    public func owners(of pages: [PageKey]) throws -> [String: String] {
        var owners: [String: String] = [:]
        for page in pages {
            if let owner = try String.fetchOne(
                db,
                sql: "SELECT c.claim_id FROM claim_page p JOIN claim c ON c.id = p.claim_row WHERE p.sha256 = ? AND p.page_index = ?",
                arguments: [page.sha256, page.pageIndex])
            {
                owners[page.sha256] = owner
            }
        }
        return owners
    }

    /// Whether a live claim already has this id.
    public func claimIdTaken(_ claimId: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM claim WHERE claim_id = ? AND state != 'failed')", arguments: [claimId]) ?? false
    }

    /// The earliest live claim filed under this audit key (`invoice`, `signature`).
    public func claim(kind: String, key: String) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                SELECT c.claim_id FROM claim_key k JOIN claim c ON c.id = k.claim_row
                WHERE k.kind = ? AND k.key = ? AND c.state != 'failed' ORDER BY c.id LIMIT 1
                """,
            arguments: [kind, key])
    }

    /// Earlier dispensing of these catalogue codes to the insured person: code, service
    /// date and claim id of each live claim's line, oldest first.
    public func dispensing(insuredId: String, codes: [String]) throws -> [(code: String, date: String, claimId: String)] {
        guard !codes.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: codes.count).joined(separator: ",")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT i.code, c.service_date, c.claim_id FROM claim_item i JOIN claim c ON c.id = i.claim_row
                WHERE c.insured_id = ? AND c.state != 'failed' AND c.service_date IS NOT NULL AND i.code IN (\(marks))
                ORDER BY c.service_date, c.claim_id, i.code
                """,
            arguments: StatementArguments([insuredId] + codes))
        return rows.map { ($0["code"], $0["service_date"], $0["claim_id"]) }
    }
}

extension ClaimHistory: ClaimLedgerView {
    public func yearToDate(insuredId: String, year: Int) throws -> YearToDate {
        try yearToDate(insuredId: insuredId, year: year, excluding: nil)
    }

    /// What the ledger knows of earlier claims under a claim's audit keys.
    public func auditHistory(_ keys: AuditKeys) throws -> AuditHistory {
        var result = AuditHistory()
        for key in keys.invoiceKeys {
            if let earlier = try claim(kind: "invoice", key: key) { result.invoiceKeys[key] = earlier }
        }
        for key in keys.contentSignatures {
            if let earlier = try claim(kind: "signature", key: key) { result.contentSignatures[key] = earlier }
        }
        let byPerson = Dictionary(grouping: keys.dispensing, by: \.insuredId)
        for (insured, records) in byPerson.sorted(by: { $0.key < $1.key }) {
            for earlier in try dispensing(insuredId: insured, codes: Array(Set(records.map(\.code))).sorted()) {
                result.dispensing.append(
                    DispensingRecord(insuredId: insured, code: earlier.code, date: earlier.date, claimId: earlier.claimId))
            }
        }
        return result
    }
}

extension Ledger {
    /// Commits one claim in one transaction: `build` is called inside it with the
    /// ledger's history (year-to-date, earlier claims) and returns what to write. Either
    /// all of it is written or none.
    @discardableResult
    public func commitClaim(_ build: (any ClaimLedgerView) throws -> ClaimCommit) throws -> Int64 {
        try writing { db in
            let commit = try build(ClaimHistory(db: db))
            try db.execute(
                sql: """
                    INSERT INTO claim (claim_id, fingerprint, source, inbox, state, reason, insured_id, service_date,
                        institution, invoice_code, invoice_number, amount_fen, fund_pay_fen, self_pay_fen,
                        pending_fen, flag_count, trail, run_id, created_at, destination, moved, outputs_written,
                        critical_illness_pay_fen, assistance_pay_fen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    commit.claimId, commit.fingerprint, commit.source, commit.inbox, commit.state.rawValue, commit.reason,
                    commit.insuredId, commit.serviceDate, commit.institution, commit.invoiceCode, commit.invoiceNumber,
                    commit.amount.value, commit.fundPay.value, commit.selfPay.value, commit.pending.value,
                    commit.flags.count, commit.trail, commit.runId, commit.createdAt, commit.destination,
                    commit.destination == nil, commit.outputsWritten,
                    commit.criticalIllnessPay.value, commit.assistancePay.value,
                ])
            let row = db.lastInsertedRowID
            if let work = commit.workItem {
                try db.execute(
                    sql: """
                        UPDATE work_item SET state = 'done', done_at = CURRENT_TIMESTAMP, done_by = ?, claim_row = ?
                        WHERE id = ? AND state = 'waiting' AND lease_holder = ?
                        """,
                    arguments: [work.holder, row, work.id, work.holder])
                guard db.changesCount == 1 else { throw StoreError.committedElsewhere(claim: commit.source) }
            }
            for page in commit.pages {
                try db.execute(
                    sql: "INSERT INTO claim_page (sha256, page_index, claim_row, file) VALUES (?, ?, ?, ?)",
                    arguments: [page.sha256, page.pageIndex, row, page.file])
            }
            for item in commit.items {
                try db.execute(
                    sql: """
                        INSERT INTO claim_item (claim_row, idx, name, name_read, code, class, category, zone, amount_fen,
                            fund_pay_fen, self_pay_fen, held, critical_illness_pay_fen, assistance_pay_fen)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row, item.index, item.name, item.nameRead, item.code, item.reimbursementClass, item.category, item.zone,
                        item.amount.value, item.fundPay.value, item.selfPay.value, item.held,
                        item.criticalIllnessPay.value, item.assistancePay.value,
                    ])
            }
            for key in commit.keys {
                try db.execute(
                    sql: "INSERT INTO claim_key (kind, key, claim_row) VALUES (?, ?, ?)", arguments: [key.kind, key.key, row])
            }
            for flag in commit.flags {
                try db.execute(
                    sql: "INSERT INTO claim_flag (claim_row, rule, severity, line, message) VALUES (?, ?, ?, ?, ?)",
                    arguments: [row, flag.rule, flag.severity, flag.line, flag.message])
            }
            if let record = commit.yearToDateRecord {
                try Self.recordSettlement(
                    record.settlement, insuredId: record.insuredId, year: record.year, settledAt: commit.createdAt, in: db)
            }
            for review in commit.reviews {
                try ReviewQueue.enqueue(
                    review.result, claimID: commit.claimId, line: review.line, on: String(commit.createdAt.prefix(10)), in: db)
            }
            return row
        }
    }

    /// The live claim (or the latest failed one) committed with this fingerprint from
    /// this inbox whose files were not moved yet: a run stopped between commit and move.
    public func unmovedClaim(fingerprint: String, inbox: String) throws -> StoredClaim? {
        try reading { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM claim WHERE fingerprint = ? AND inbox = ? AND moved = 0 ORDER BY id DESC LIMIT 1",
                arguments: [fingerprint, inbox]
            ).map(Self.storedClaim)
        }
    }

    /// Claims whose files or outputs a stopped run left unfinished, oldest first.
    public func unfinishedClaims(inbox: String?) throws -> [StoredClaim] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM claim WHERE (moved = 0 OR outputs_written = 0) AND inbox IS ? ORDER BY id",
                arguments: [inbox]
            ).map(Self.storedClaim)
        }
    }

    /// Records that the claim's files are at their destination.
    public func markMoved(_ row: Int64) throws {
        try writing { db in try db.execute(sql: "UPDATE claim SET moved = 1 WHERE id = ?", arguments: [row]) }
    }

    /// Whether any claim (of any state) has this id.
    public func hasClaim(_ claimId: String) throws -> Bool {
        try reading { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM claim WHERE claim_id = ?)", arguments: [claimId]) ?? false }
    }

    /// Records that the claim's per-claim outputs are written.
    public func markOutputsWritten(_ row: Int64) throws {
        try writing { db in try db.execute(sql: "UPDATE claim SET outputs_written = 1 WHERE id = ?", arguments: [row]) }
    }

    static func storedClaim(_ row: Row) -> StoredClaim {
        StoredClaim(
            row: row["id"], claimId: row["claim_id"], fingerprint: row["fingerprint"], source: row["source"],
            inbox: row["inbox"], state: ClaimState(rawValue: row["state"]) ?? .failed, reason: row["reason"],
            trail: row["trail"], destination: row["destination"], moved: row["moved"], outputsWritten: row["outputs_written"])
    }

    // MARK: - OCR by page content

    /// The stored OCR of a page (its file's hash and page index) read with `engine`.
    public func storedOCR(sha256: String, pageIndex: Int, engine: String) throws -> Data? {
        try reading { db in
            try Data.fetchOne(
                db, sql: "SELECT ocr FROM page_ocr WHERE sha256 = ? AND page_index = ? AND engine = ?",
                arguments: [sha256, pageIndex, engine])
        }
    }

    /// Stores a page's OCR, so a restarted or repeated run does not read it again.
    public func storeOCR(_ ocr: Data, sha256: String, pageIndex: Int, engine: String) throws {
        try writing { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO page_ocr (sha256, page_index, engine, ocr) VALUES (?, ?, ?, ?)",
                arguments: [sha256, pageIndex, engine, ocr])
        }
    }

    // MARK: - Runs

    /// Records the start of a run; returns its id.
    public func startRun(command: String, version: String, inbox: String?, startedAt: String) throws -> Int64 {
        try writing { db in
            try db.execute(
                sql: "INSERT INTO run (command, version, started_at, inbox, pid) VALUES (?, ?, ?, ?, ?)",
                arguments: [command, version, startedAt, inbox, Int(getpid())])
            return db.lastInsertedRowID
        }
    }

    /// Records the end of a run: its counts and exit code.
    public func finishRun(_ id: Int64, settled: Int, review: Int, failed: Int, exitCode: Int32, endedAt: String) throws {
        try writing { db in
            try db.execute(
                sql: """
                    UPDATE run SET ended_at = ?, claims_settled = ?, claims_review = ?, claims_failed = ?, exit_code = ?
                    WHERE id = ?
                    """,
                arguments: [endedAt, settled, review, failed, exitCode, id])
        }
    }

    // MARK: - items.csv journal

    /// The length `items.csv` had when its last rows were recorded as written, or nil
    /// when none were.
    public func itemsCSVLength(path: String) throws -> Int? {
        try reading { db in
            try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: ["items_csv:" + path]).flatMap { Int($0) }
        }
    }

    /// Claims whose rows are not in `items.csv` yet (live and failed alike), by claim id.
    public func claimsMissingFromCSV() throws -> [StoredClaim] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM claim WHERE csv_written = 0 ORDER BY claim_id, id").map(Self.storedClaim)
        }
    }

    /// Every claim, for rewriting `items.csv` from scratch, by claim id.
    public func allClaims() throws -> [StoredClaim] {
        try reading { db in try Row.fetchAll(db, sql: "SELECT * FROM claim ORDER BY claim_id, id").map(Self.storedClaim) }
    }

    /// Records, in one transaction, that these claims' rows are in `items.csv` and the
    /// file's length after them.
    public func markWrittenToCSV(_ rows: [Int64], path: String, length: Int) throws {
        try writing { db in
            for row in rows { try db.execute(sql: "UPDATE claim SET csv_written = 1 WHERE id = ?", arguments: [row]) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)", arguments: ["items_csv:" + path, "\(length)"])
        }
    }
}

extension Ledger {
    /// The item rows of a committed claim, in line order.
    public func items(ofClaim row: Int64) throws -> [ClaimItemRow] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM claim_item WHERE claim_row = ? ORDER BY idx", arguments: [row]).map {
                ClaimItemRow(
                    index: $0["idx"], name: $0["name"], nameRead: $0["name_read"], code: $0["code"],
                    reimbursementClass: $0["class"], category: $0["category"], zone: $0["zone"],
                    amount: Fen($0["amount_fen"] as Int64), fundPay: Fen($0["fund_pay_fen"] as Int64),
                    selfPay: Fen($0["self_pay_fen"] as Int64), held: $0["held"],
                    criticalIllnessPay: Fen($0["critical_illness_pay_fen"] as Int64), assistancePay: Fen($0["assistance_pay_fen"] as Int64))
            }
        }
    }
}
