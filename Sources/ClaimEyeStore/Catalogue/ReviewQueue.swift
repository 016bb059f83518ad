import ClaimEyeCore
import Foundation
import GRDB

/// A line held for a person: its reading, its candidates, and what was decided.
public struct ReviewItem: Codable, Hashable, Sendable {
    /// The item's id in the queue.
    public var id: Int64
    /// The name as read.
    public var queryText: String
    /// The reading's normalised key (aliases and rejections are keyed by it).
    public var key: String
    /// The spec as read.
    public var spec: String?
    /// The unit price as read, in yuan (a decimal string).
    public var unitPrice: String?
    /// The candidates when it was queued, best first.
    public var candidates: [MatchCandidate]
    /// open, accepted or rejected.
    public var status: String
    /// The claim and line it came from, when the pipeline queued it.
    public var claimID: String?
    /// The line's number within its claim.
    public var line: Int?
    /// The entry accepted or rejected.
    public var decidedCode: String?
    /// The day of the decision (ISO date).
    public var decidedOn: String?
    /// The day it was queued (ISO date).
    public var createdOn: String

    public init(
        id: Int64, queryText: String, key: String, spec: String?, unitPrice: String?, candidates: [MatchCandidate], status: String,
        claimID: String?, line: Int?, decidedCode: String?, decidedOn: String?, createdOn: String
    ) {
        (self.id, self.queryText, self.key, self.spec, self.unitPrice, self.candidates) = (id, queryText, key, spec, unitPrice, candidates)
        (self.status, self.claimID, self.line, self.decidedCode, self.decidedOn, self.createdOn) =
            (status, claimID, line, decidedCode, decidedOn, createdOn)
    }

    enum CodingKeys: String, CodingKey {
        case id, key, spec, candidates, status, line
        case queryText = "query_text", unitPrice = "unit_price", claimID = "claim_id"
        case decidedCode = "decided_code", decidedOn = "decided_on", createdOn = "created_on"
    }
}

/// What can go wrong with a review decision (each maps to exit 65: bad input data).
public enum ReviewError: Error, CustomStringConvertible, Equatable {
    /// No review item has this id.
    case noSuchItem(Int64)
    /// The item was decided already.
    case alreadyDecided(id: Int64, status: String)
    /// The code is not in the catalogue.
    case unknownCode(String)
    /// No code was given and the item has no candidate to default to.
    case noCandidate(Int64)

    public var description: String {
        switch self {
        case .noSuchItem(let id): return "no review item \(id); see `claimeye review list`"
        case .alreadyDecided(let id, let status): return "review item \(id) is already \(status)"
        case .unknownCode(let code): return "code \(code) is not in the catalogue; see `claimeye catalogue search`"
        case .noCandidate(let id): return "review item \(id) has no candidate; give the code with --code"
        }
    }
}

/// The review queue: lines in the review zone wait here for a person. Accepting stores a
/// dated alias (this spelling is this entry), so the same spelling matches in the auto
/// zone next time; rejecting records that the spelling must never auto-match that entry.
public struct ReviewQueue: Sendable {
    /// The ledger holding the queue.
    public let ledger: Ledger

    /// The queue of `ledger`.
    public init(ledger: Ledger) { self.ledger = ledger }

    /// Queues a match result for review; returns the item's id.
    @discardableResult
    public func enqueue(_ result: MatchResult, claimID: String? = nil, line: Int? = nil, on day: String) throws -> Int64 {
        try ledger.catalogueWrite { db in try Self.enqueue(result, claimID: claimID, line: line, on: day, in: db) }
    }

    /// Queues a match result inside the caller's transaction (a claim's commit).
    @discardableResult
    static func enqueue(_ result: MatchResult, claimID: String?, line: Int?, on day: String, in db: Database) throws -> Int64 {
        let candidates = String(decoding: try JSONEncoder.reviewSorted.encode(result.candidates), as: UTF8.self)
        let price = result.query.unitPrice.map { Money.format($0) }
        try db.execute(
            sql: """
                INSERT INTO review_item (query_text, key, spec, unit_price, candidates, claim_id, line, created_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [result.query.text, result.key, result.query.spec, price, candidates, claimID, line, day])
        return db.lastInsertedRowID
    }

    /// Items with `status` (all when nil), oldest first.
    public func list(status: String? = "open", limit: Int = 1000) throws -> [ReviewItem] {
        try ledger.catalogueRead { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM review_item WHERE status = ? ORDER BY id LIMIT ?", arguments: [status, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM review_item ORDER BY id LIMIT ?", arguments: [limit])
            }
            return rows.map(ReviewQueue.item(from:))
        }
    }

    /// One item.
    public func item(_ id: Int64) throws -> ReviewItem {
        guard let item = try ledger.catalogueRead({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM review_item WHERE id = ?", arguments: [id]).map(ReviewQueue.item(from:))
        }) else { throw ReviewError.noSuchItem(id) }
        return item
    }

    /// Accepts item `id` as entry `code` (default: its top candidate) and stores the dated
    /// alias. Returns the code accepted.
    @discardableResult
    public func accept(_ id: Int64, code: String? = nil, on day: String) throws -> String {
        try decide(id, code: code, status: "accepted", table: "catalogue_alias", on: day)
    }

    /// Rejects entry `code` (default: the top candidate) for item `id`'s spelling: it will
    /// never auto-match that entry again. Returns the code rejected.
    @discardableResult
    public func reject(_ id: Int64, code: String? = nil, on day: String) throws -> String {
        try decide(id, code: code, status: "rejected", table: "match_rejection", on: day)
    }

    private func decide(_ id: Int64, code: String?, status: String, table: String, on day: String) throws -> String {
        let item = try item(id)
        guard item.status == "open" else { throw ReviewError.alreadyDecided(id: id, status: item.status) }
        guard let chosen = code ?? item.candidates.first?.code else { throw ReviewError.noCandidate(id) }
        return try ledger.catalogueWrite { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogue_entry WHERE code = ?", arguments: [chosen]) == 1 else {
                throw ReviewError.unknownCode(chosen)
            }
            // `table` is one of two constants above, never user input.
            try db.execute(
                sql: """
                    INSERT INTO \(table) (spelling, key, code, decided_on, review_item_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(key, code) DO UPDATE SET decided_on = excluded.decided_on, review_item_id = excluded.review_item_id
                    """,
                arguments: [item.queryText, item.key, chosen, day, id])
            try db.execute(
                sql: "UPDATE review_item SET status = ?, decided_code = ?, decided_on = ? WHERE id = ?",
                arguments: [status, chosen, day, id])
            return chosen
        }
    }

    static func item(from row: Row) -> ReviewItem {
        let candidateText: String = row["candidates"] ?? "[]"
        let candidates = (try? JSONDecoder().decode([MatchCandidate].self, from: Data(candidateText.utf8))) ?? []
        return ReviewItem(
            id: row["id"], queryText: row["query_text"], key: row["key"], spec: row["spec"], unitPrice: row["unit_price"],
            candidates: candidates, status: row["status"], claimID: row["claim_id"], line: row["line"],
            decidedCode: row["decided_code"], decidedOn: row["decided_on"], createdOn: row["created_on"])
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: byte-identical output for the same input.
    public static var reviewSorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
