import GRDB

/// The pipeline's tables: one row per claim taken from an inbox (settled, held for
/// review or failed), its pages, items and flags, the OCR of every page keyed by the
/// page's content hash, and small run-wide facts (`ledger_meta`).
enum PipelineSchema {
    static func create(_ db: Database) throws {
        try db.alter(table: "run") { t in
            t.add(column: "inbox", .text)
            t.add(column: "pid", .integer)
        }
        try db.create(table: "claim") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("claim_id", .text).notNull()
            // SHA-256 over the claim's page names and hashes: a restarted run knows a
            // claim it committed before the crash by this, without OCR.
            t.column("fingerprint", .text).notNull()
            t.column("source", .text).notNull()
            t.column("inbox", .text)
            t.column("state", .text).notNull()
            t.column("reason", .text)
            t.column("insured_id", .text)
            t.column("service_date", .text)
            t.column("institution", .text)
            t.column("invoice_code", .text)
            t.column("invoice_number", .text)
            t.column("amount_fen", .integer).notNull().defaults(to: 0)
            t.column("fund_pay_fen", .integer).notNull().defaults(to: 0)
            t.column("self_pay_fen", .integer).notNull().defaults(to: 0)
            t.column("pending_fen", .integer).notNull().defaults(to: 0)
            t.column("flag_count", .integer).notNull().defaults(to: 0)
            t.column("trail", .text).notNull()
            t.column("run_id", .integer)
            t.column("created_at", .text).notNull()
            // Where intake moves the claim's files after the commit, and whether it has.
            t.column("destination", .text)
            t.column("moved", .integer).notNull().defaults(to: 0)
            t.column("outputs_written", .integer).notNull().defaults(to: 0)
            t.column("csv_written", .integer).notNull().defaults(to: 0)
        }
        // A claim id names one live claim; failed attempts may repeat it.
        try db.execute(sql: "CREATE UNIQUE INDEX claim_live_id ON claim(claim_id) WHERE state != 'failed'")
        try db.create(index: "claim_by_fingerprint", on: "claim", columns: ["fingerprint"])
        try db.create(index: "claim_by_invoice", on: "claim", columns: ["invoice_code", "invoice_number"])
        try db.create(index: "claim_by_person", on: "claim", columns: ["insured_id", "service_date"])
        try db.create(index: "claim_unfinished", on: "claim", columns: ["moved", "outputs_written"])
        // A page belongs to one live claim at most: the primary key refuses a second.
        try db.create(table: "claim_page") { t in
            t.column("sha256", .text).notNull()
            t.column("page_index", .integer).notNull()
            t.column("claim_row", .integer).notNull().references("claim", onDelete: .cascade)
            t.column("file", .text).notNull()
            t.primaryKey(["sha256", "page_index"])
        }
        try db.create(table: "claim_item") { t in
            t.column("claim_row", .integer).notNull().references("claim", onDelete: .cascade)
            t.column("idx", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("name_read", .text).notNull()
            t.column("code", .text)
            t.column("class", .text)
            t.column("category", .text)
            t.column("zone", .text).notNull()
            t.column("amount_fen", .integer).notNull()
            t.column("fund_pay_fen", .integer).notNull()
            t.column("self_pay_fen", .integer).notNull()
            t.column("held", .integer).notNull()
            t.primaryKey(["claim_row", "idx"])
        }
        try db.create(index: "claim_item_by_code", on: "claim_item", columns: ["code"])
        try db.create(table: "claim_flag") { t in
            t.column("claim_row", .integer).notNull().references("claim", onDelete: .cascade)
            t.column("rule", .text).notNull()
            t.column("severity", .text).notNull()
            t.column("line", .integer)
            t.column("message", .text).notNull()
        }
        try db.create(index: "claim_flag_by_claim", on: "claim_flag", columns: ["claim_row"])
        // The keys later claims are checked against (audit): invoice code + number and
        // content signature of each document.
        try db.create(table: "claim_key") { t in
            t.column("kind", .text).notNull()
            t.column("key", .text).notNull()
            t.column("claim_row", .integer).notNull().references("claim", onDelete: .cascade)
        }
        try db.create(index: "claim_key_by_key", on: "claim_key", columns: ["kind", "key"])
        // OCR of a page by content: a restarted run re-uses it, and so does a re-run.
        try db.create(table: "page_ocr") { t in
            t.column("sha256", .text).notNull()
            t.column("page_index", .integer).notNull()
            t.column("engine", .text).notNull()
            t.column("ocr", .blob).notNull()
            t.primaryKey(["sha256", "page_index", "engine"])
        }
        try db.create(table: "ledger_meta") { t in
            t.primaryKey("key", .text)
            t.column("value", .text).notNull()
        }
    }
}
