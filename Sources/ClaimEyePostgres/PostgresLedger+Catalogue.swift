import ClaimEyeCore
import ClaimEyeStore
import Foundation

extension PostgresLedger {
    // MARK: - Catalogue

    /// The matcher is built from the tables each time a worker starts (the SQLite
    /// ledger also keeps a built index; a national catalogue builds in about a second).
    public func catalogueMatcher(thresholds: MatchThresholds, seed: String?) throws -> CatalogueMatcher {
        if let seed {
            let fresh = try session.run(
                "SELECT (SELECT count(*) FROM catalogue_entry) + (SELECT count(*) FROM catalogue_import) AS n"
            ).named.first?.int64("n") == 0
            if fresh {
                let summary = try importCatalogue(seed, now: Date())
                FileHandle.standardError.write(Data(
                    "claimeye: a fresh ledger: loaded the project's sample catalogue (\(summary.rows) entries from \(seed)); import a real one with `claimeye catalogue import FILE`\n".utf8))
            }
        }
        let entries = try session.run("SELECT * FROM catalogue_entry ORDER BY code").named.map(Self.entry)
        let aliases = try session.run("SELECT key, code, decided_on FROM catalogue_alias ORDER BY id").named.map {
            LearnedAlias(key: try $0.string("key"), code: try $0.string("code"), decidedOn: try $0.string("decided_on"))
        }
        let rejections = try session.run("SELECT key, code FROM match_rejection ORDER BY id").named.map {
            MatchRejection(key: try $0.string("key"), code: try $0.string("code"))
        }
        return CatalogueMatcher(entries: entries, aliases: aliases, rejections: rejections, thresholds: thresholds)
    }

    static func entry(_ row: SQLRow) throws -> CatalogueEntry {
        let aliasText = try row.string("aliases")
        let aliases = aliasText == "[]" ? [] : (try? JSONDecoder().decode([String].self, from: Data(aliasText.utf8))) ?? []
        return CatalogueEntry(
            code: try row.string("code"), name: try row.string("name"), aliases: aliases,
            kind: CatalogueKind(rawValue: try row.string("kind")) ?? .drug, category: try row.optionalString("category"),
            reimbursementClass: ReimbursementClass(rawValue: try row.string("class")) ?? .a,
            dosageForm: try row.optionalString("dosage_form"), spec: try row.optionalString("spec"),
            unit: try row.optionalString("unit"), priceCap: try row.optionalString("price_cap").flatMap(Money.parse),
            selfPayRatio: try row.optionalString("self_pay_ratio").flatMap(Money.parse),
            restrictions: try row.optionalString("restrictions"), validFrom: try row.optionalString("valid_from"),
            validTo: try row.optionalString("valid_to"))
    }

    public func searchCatalogue(_ text: String, limit: Int) throws -> [CatalogueEntry] {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try session.run(
            """
            SELECT * FROM catalogue_entry WHERE name LIKE $1 OR aliases LIKE $1 OR code LIKE $1
            ORDER BY length(name), code LIMIT $2
            """,
            [pattern, Int64(limit)]
        ).named.map(Self.entry)
    }

    public func catalogueStats() throws -> CatalogueStats {
        try session.transaction(retryConflicts: false) {
            try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            func count(_ sql: String) throws -> Int { try session.execute(sql).named.first?.int("n") ?? 0 }
            func grouped(_ column: String, _ table: String) throws -> [String: Int] {
                var out: [String: Int] = [:]
                for row in try session.execute("SELECT \(column) AS g, count(*) AS n FROM \(table) GROUP BY \(column)").named {
                    out[try row.optionalString("g") ?? ""] = try row.int("n")
                }
                return out
            }
            return CatalogueStats(
                entries: try count("SELECT count(*) AS n FROM catalogue_entry"),
                byKind: try grouped("kind", "catalogue_entry"), byClass: try grouped("class", "catalogue_entry"),
                withPriceCap: try count("SELECT count(*) AS n FROM catalogue_entry WHERE price_cap IS NOT NULL"),
                learnedAliases: try count("SELECT count(*) AS n FROM catalogue_alias"),
                rejections: try count("SELECT count(*) AS n FROM match_rejection"),
                reviewItems: try grouped("status", "review_item"), imports: try count("SELECT count(*) AS n FROM catalogue_import"))
        }
    }

    public func importCatalogue(_ path: String, now: Date) throws -> CatalogueImportSummary {
        let (layout, entries) = try CatalogueStore.read(path)
        return try session.transaction(retryConflicts: false) {
            var inserted = 0, updated = 0, unchanged = 0
            for e in entries {
                let aliases = (try? JSONEncoder().encode(e.aliases)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
                // xmax = 0 on the returned row: inserted now; else an update that changed it.
                let result = try session.execute(
                    """
                    INSERT INTO catalogue_entry AS t (code, name, aliases, kind, category, class, dosage_form, spec, unit,
                        price_cap, self_pay_ratio, restrictions, valid_from, valid_to, source)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, aliases = excluded.aliases,
                        kind = excluded.kind, category = excluded.category, class = excluded.class,
                        dosage_form = excluded.dosage_form, spec = excluded.spec, unit = excluded.unit,
                        price_cap = excluded.price_cap, self_pay_ratio = excluded.self_pay_ratio,
                        restrictions = excluded.restrictions, valid_from = excluded.valid_from,
                        valid_to = excluded.valid_to, source = excluded.source
                    WHERE (t.name, t.aliases, t.kind, t.category, t.class, t.dosage_form, t.spec, t.unit, t.price_cap,
                           t.self_pay_ratio, t.restrictions, t.valid_from, t.valid_to, t.source)
                       IS DISTINCT FROM (excluded.name, excluded.aliases, excluded.kind, excluded.category, excluded.class,
                           excluded.dosage_form, excluded.spec, excluded.unit, excluded.price_cap, excluded.self_pay_ratio,
                           excluded.restrictions, excluded.valid_from, excluded.valid_to, excluded.source)
                    RETURNING (xmax = 0) AS fresh
                    """,
                    [
                        e.code, e.name, aliases, e.kind.rawValue, e.category, e.reimbursementClass.rawValue, e.dosageForm,
                        e.spec, e.unit, e.priceCap.map { NSDecimalNumber(decimal: $0).stringValue },
                        e.selfPayRatio.map { NSDecimalNumber(decimal: $0).stringValue }, e.restrictions, e.validFrom,
                        e.validTo, layout.rawValue,
                    ]
                ).named
                if let row = result.first {
                    if try row.bool("fresh") { inserted += 1 } else { updated += 1 }
                } else {
                    unchanged += 1
                }
            }
            try session.execute(
                "INSERT INTO catalogue_import (file, layout, rows, inserted, updated, imported_at) VALUES ($1, $2, $3, $4, $5, $6)",
                [path, layout.rawValue, Int64(entries.count), Int64(inserted), Int64(updated), ISO8601DateFormatter().string(from: now)])
            return CatalogueImportSummary(
                file: path, layout: layout.rawValue, rows: entries.count, inserted: inserted, updated: updated, unchanged: unchanged)
        }
    }

    // MARK: - Report

    public func reportClaims(from: String?, to: String?) throws -> [ReportClaim] {
        let counted = "c.state != 'failed' AND ($1::text IS NULL OR c.service_date >= $1) AND ($2::text IS NULL OR c.service_date <= $2)"
        let range: [SQLValue] = [from, to]
        // One snapshot for the three queries, as the SQLite ledger's one read transaction.
        return try session.transaction(retryConflicts: false) {
        try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        var claims: [Int64: ReportClaim] = [:]
        var order: [Int64] = []
        for row in try session.execute(
            """
            SELECT id, claim_id, service_date, institution, state, amount_fen, fund_pay_fen, self_pay_fen, flag_count,
                critical_illness_pay_fen, assistance_pay_fen
            FROM claim c WHERE \(counted) ORDER BY claim_id
            """, range
        ).named {
            let id = try row.int64("id")
            order.append(id)
            var claim = ReportClaim(
                claimId: try row.string("claim_id"), serviceDate: try row.optionalString("service_date") ?? "",
                institution: try row.optionalString("institution") ?? "",
                status: try row.string("state") == ClaimState.settled.rawValue ? .settled : .needsReview,
                amount: Fen(try row.int64("amount_fen")), fundPay: Fen(try row.int64("fund_pay_fen")),
                selfPay: Fen(try row.int64("self_pay_fen")), flagCount: try row.int("flag_count"), lines: [])
            claim.criticalIllnessPay = Fen(try row.int64("critical_illness_pay_fen"))
            claim.assistancePay = Fen(try row.int64("assistance_pay_fen"))
            claims[id] = claim
        }
        var lineFlags: [Int64: [Int: Int]] = [:]
        for row in try session.execute(
            """
            SELECT f.claim_row, f.line, count(*) AS n FROM claim_flag f JOIN claim c ON c.id = f.claim_row
            WHERE f.line IS NOT NULL AND \(counted) GROUP BY f.claim_row, f.line
            """, range
        ).named {
            lineFlags[try row.int64("claim_row"), default: [:]][try row.int("line")] = try row.int("n")
        }
        for row in try session.execute(
            """
            SELECT i.claim_row, i.idx, i.category, i.class, i.amount_fen, i.fund_pay_fen, i.self_pay_fen
            FROM claim_item i JOIN claim c ON c.id = i.claim_row WHERE \(counted) ORDER BY i.claim_row, i.idx
            """, range
        ).named {
            let claim = try row.int64("claim_row")
            let line = ReportClaim.Line(
                category: try row.optionalString("category") ?? "other",
                reimbursementClass: try row.optionalString("class").flatMap(ReimbursementClass.init),
                amount: Fen(try row.int64("amount_fen")), fundPay: Fen(try row.int64("fund_pay_fen")),
                selfPay: Fen(try row.int64("self_pay_fen")), flagCount: lineFlags[claim]?[try row.int("idx")] ?? 0)
            claims[claim]?.lines.append(line)
        }
        return order.compactMap { claims[$0] }
        }
    }
}

extension PostgresLedger {
    // MARK: - Review queue

    static func reviewItem(_ row: SQLRow) throws -> ReviewItem {
        let candidates = (try? JSONDecoder().decode([MatchCandidate].self, from: Data(try row.string("candidates").utf8))) ?? []
        return ReviewItem(
            id: try row.int64("id"), queryText: try row.string("query_text"), key: try row.string("key"),
            spec: try row.optionalString("spec"), unitPrice: try row.optionalString("unit_price"), candidates: candidates,
            status: try row.string("status"), claimID: try row.optionalString("claim_id"),
            line: try row.optionalInt64("line").map(Int.init), decidedCode: try row.optionalString("decided_code"),
            decidedOn: try row.optionalString("decided_on"), createdOn: try row.string("created_on"))
    }

    public func reviewItems(status: String?, limit: Int) throws -> [ReviewItem] {
        try session.run(
            "SELECT * FROM review_item WHERE ($1::text IS NULL OR status = $1) ORDER BY id LIMIT $2", [status, Int64(limit)]
        ).named.map(Self.reviewItem)
    }

    public func reviewItem(_ id: Int64) throws -> ReviewItem {
        guard let row = try session.run("SELECT * FROM review_item WHERE id = $1", [id]).named.first else {
            throw ReviewError.noSuchItem(id)
        }
        return try Self.reviewItem(row)
    }

    public func decideReview(_ id: Int64, code: String?, accept: Bool, on day: String) throws -> String {
        // The item is locked while it is decided: two reviewers deciding it at once are
        // put one after the other, and the second finds it decided.
        try session.transaction(retryConflicts: false) {
            guard let row = try session.execute("SELECT * FROM review_item WHERE id = $1 FOR UPDATE", [id]).named.first else {
                throw ReviewError.noSuchItem(id)
            }
            let item = try Self.reviewItem(row)
            guard item.status == "open" else { throw ReviewError.alreadyDecided(id: id, status: item.status) }
            guard let chosen = code ?? item.candidates.first?.code else { throw ReviewError.noCandidate(id) }
            guard try session.execute("SELECT 1 FROM catalogue_entry WHERE code = $1", [chosen]).named.count == 1 else {
                throw ReviewError.unknownCode(chosen)
            }
            let table = accept ? "catalogue_alias" : "match_rejection"
            try session.execute(
                """
                INSERT INTO \(table) (spelling, key, code, decided_on, review_item_id) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (key, code) DO UPDATE SET decided_on = excluded.decided_on, review_item_id = excluded.review_item_id
                """,
                [item.queryText, item.key, chosen, day, id])
            try session.execute(
                "UPDATE review_item SET status = $1, decided_code = $2, decided_on = $3 WHERE id = $4",
                [accept ? "accepted" : "rejected", chosen, day, id])
            return chosen
        }
    }
}
