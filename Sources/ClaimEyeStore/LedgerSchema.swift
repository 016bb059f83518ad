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
        return migrator
    }
}
