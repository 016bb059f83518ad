import GRDB

/// The catalogue's tables (migration "v2-catalogue"). Money is TEXT holding a plain
/// decimal in yuan (`12.50`), never REAL.
enum CatalogueSchema {
    static func create(_ db: Database) throws {
        try db.create(table: "catalogue_entry") { t in
            t.primaryKey("code", .text)
            t.column("name", .text).notNull()
            /// A JSON array of strings.
            t.column("aliases", .text).notNull().defaults(to: "[]")
            t.column("kind", .text).notNull()
            t.column("category", .text)
            t.column("class", .text).notNull()
            t.column("dosage_form", .text)
            t.column("spec", .text)
            t.column("unit", .text)
            t.column("price_cap", .text)
            t.column("self_pay_ratio", .text)
            t.column("restrictions", .text)
            t.column("valid_from", .text)
            t.column("valid_to", .text)
            t.column("source", .text).notNull()
        }
        try db.create(index: "catalogue_entry_name", on: "catalogue_entry", columns: ["name"])
        try db.create(table: "catalogue_import") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("file", .text).notNull()
            t.column("layout", .text).notNull()
            t.column("rows", .integer).notNull()
            t.column("inserted", .integer).notNull()
            t.column("updated", .integer).notNull()
            t.column("imported_at", .text).notNull()
        }
        // A person's review decision: this OCR spelling (normalised key) is this entry.
        try db.create(table: "catalogue_alias") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("spelling", .text).notNull()
            t.column("key", .text).notNull()
            t.column("code", .text).notNull()
            t.column("decided_on", .text).notNull()
            t.column("review_item_id", .integer)
            t.uniqueKey(["key", "code"])
        }
        // A person's rejection: this spelling must never auto-match this entry.
        try db.create(table: "match_rejection") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("spelling", .text).notNull()
            t.column("key", .text).notNull()
            t.column("code", .text).notNull()
            t.column("decided_on", .text).notNull()
            t.column("review_item_id", .integer)
            t.uniqueKey(["key", "code"])
        }
        try db.create(table: "review_item") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("query_text", .text).notNull()
            t.column("key", .text).notNull()
            t.column("spec", .text)
            t.column("unit_price", .text)
            /// JSON array of {code, name, score, …}, best first.
            t.column("candidates", .text).notNull()
            t.column("status", .text).notNull().defaults(to: "open")
                .check { ["open", "accepted", "rejected"].contains($0) }
            t.column("claim_id", .text)
            t.column("line", .integer)
            t.column("decided_code", .text)
            t.column("decided_on", .text)
            t.column("created_on", .text).notNull()
        }
        try db.create(index: "review_item_status", on: "review_item", columns: ["status", "id"])
    }

    /// The matcher's tables and index as built for one state of the catalogue (migration
    /// "v5-match-index"): `CatalogueMatcher.snapshot()` cut into parts, each tagged with
    /// the catalogue generation it was built from (`CatalogueStore.generationSQL`).
    static func createMatchIndex(_ db: Database) throws {
        try db.create(table: "match_index") { t in
            t.primaryKey("part", .integer)
            t.column("generation", .integer).notNull()
            t.column("data", .blob).notNull()
        }
    }
}
