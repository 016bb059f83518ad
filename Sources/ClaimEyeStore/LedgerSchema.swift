import GRDB

/// The ledger's schema as an ordered list of migrations. A migration, once released,
/// is never edited: a change is a new migration appended at the end.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("command", .text).notNull()
                t.column("version", .text).notNull()
                t.column("started_at", .text).notNull()
                t.column("ended_at", .text)
                t.column("claims_settled", .integer).notNull().defaults(to: 0)
                t.column("claims_review", .integer).notNull().defaults(to: 0)
                t.column("claims_failed", .integer).notNull().defaults(to: 0)
                t.column("exit_code", .integer)
            }
        }
        migrator.registerMigration("v2-catalogue") { db in
            try CatalogueSchema.create(db)
        }
        // One row per settled claim: the figures the annual cap and the annual deductible
        // of the insured person's later claims are counted from. The claim's full trail
        // lives elsewhere; this is settlement's own minimal record.
        migrator.registerMigration("v3-settlement-totals") { db in
            try db.create(table: "settlement_total") { t in
                t.primaryKey("claim_id", .text)
                t.column("insured_id", .text).notNull()
                t.column("year", .integer).notNull()
                t.column("service_date", .text).notNull()
                t.column("visit_type", .text).notNull()
                t.column("deductible_basis", .text).notNull()
                t.column("fund_pay_fen", .integer).notNull()
                t.column("deductible_fen", .integer).notNull()
                t.column("fund_accrued", .text).notNull()
                t.column("region", .text).notNull()
                t.column("settled_at", .text).notNull()
            }
            try db.create(index: "settlement_total_by_person_year", on: "settlement_total", columns: ["insured_id", "year"])
        }
        migrator.registerMigration("v4-pipeline") { db in
            try PipelineSchema.create(db)
        }
        migrator.registerMigration("v5-match-index") { db in
            try CatalogueSchema.createMatchIndex(db)
        }
        // The funds that pay after the basic fund: each claim's contribution to the
        // person's year of critical-illness insurance and medical assistance (its base,
        // what the fund paid, and what it accrued exactly), summed like fund_pay_fen.
        migrator.registerMigration("v6-supplementary-funds") { db in
            try db.alter(table: "settlement_total") { t in
                t.add(column: "critical_illness_base", .text).notNull().defaults(to: "0")
                t.add(column: "critical_illness_pay_fen", .integer).notNull().defaults(to: 0)
                t.add(column: "critical_illness_accrued", .text).notNull().defaults(to: "0")
                t.add(column: "assistance_base", .text).notNull().defaults(to: "0")
                t.add(column: "assistance_pay_fen", .integer).notNull().defaults(to: 0)
                t.add(column: "assistance_accrued", .text).notNull().defaults(to: "0")
            }
            // What each claim and line got from them, for items.csv and the report.
            for table in ["claim", "claim_item"] {
                try db.alter(table: table) { t in
                    t.add(column: "critical_illness_pay_fen", .integer).notNull().defaults(to: 0)
                    t.add(column: "assistance_pay_fen", .integer).notNull().defaults(to: 0)
                }
            }
        }
        // The claims of a shared inbox, registered once by content and leased to one
        // worker at a time: what workers on several hosts use on PostgreSQL
        // (PostgresSchema's v7). One SQLite writer never leases; the table keeps the two
        // schemas the same.
        migrator.registerMigration("v7-work-queue") { db in
            try db.alter(table: "run") { t in t.add(column: "host", .text) }
            try db.create(table: "work_item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("inbox", .text).notNull()
                t.column("name", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("person", .text)
                t.column("state", .text).notNull().defaults(to: "waiting").check { ["waiting", "done"].contains($0) }
                t.column("lease_holder", .text)
                t.column("leased_at", .text)
                t.column("lease_until", .text)
                t.column("leases", .integer).notNull().defaults(to: 0)
                t.column("registered_at", .text).notNull().defaults(sql: "CURRENT_TIMESTAMP")
                t.column("done_at", .text)
                t.column("done_by", .text)
                t.column("claim_row", .integer).references("claim", onDelete: .setNull)
                t.uniqueKey(["inbox", "fingerprint"])
            }
            try db.create(index: "work_item_waiting", on: "work_item", columns: ["inbox", "state", "id"])
        }
        return migrator
    }
}
