/// The ledger's schema on PostgreSQL: the SQLite ledger's migrations (`LedgerSchema`),
/// same names, same tables and columns, in PostgreSQL's types (BIGINT for integers and
/// fen, BOOLEAN for flags, BYTEA for blobs, TEXT for money kept exact as text). A
/// migration, once released, is never edited: a change is a new one at the end, in
/// both schemas.
enum PostgresSchema {
    static let migrations: [(name: String, statements: [String])] = [
        ("v1-runs", [
            """
            CREATE TABLE run (
                id BIGSERIAL PRIMARY KEY, command TEXT NOT NULL, version TEXT NOT NULL, started_at TEXT NOT NULL,
                ended_at TEXT, claims_settled BIGINT NOT NULL DEFAULT 0, claims_review BIGINT NOT NULL DEFAULT 0,
                claims_failed BIGINT NOT NULL DEFAULT 0, exit_code BIGINT)
            """,
        ]),
        ("v2-catalogue", [
            """
            CREATE TABLE catalogue_entry (
                code TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]', kind TEXT NOT NULL,
                category TEXT, class TEXT NOT NULL, dosage_form TEXT, spec TEXT, unit TEXT, price_cap TEXT,
                self_pay_ratio TEXT, restrictions TEXT, valid_from TEXT, valid_to TEXT, source TEXT NOT NULL)
            """,
            "CREATE INDEX catalogue_entry_name ON catalogue_entry(name)",
            """
            CREATE TABLE catalogue_import (
                id BIGSERIAL PRIMARY KEY, file TEXT NOT NULL, layout TEXT NOT NULL, rows BIGINT NOT NULL,
                inserted BIGINT NOT NULL, updated BIGINT NOT NULL, imported_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE catalogue_alias (
                id BIGSERIAL PRIMARY KEY, spelling TEXT NOT NULL, key TEXT NOT NULL, code TEXT NOT NULL,
                decided_on TEXT NOT NULL, review_item_id BIGINT, UNIQUE (key, code))
            """,
            """
            CREATE TABLE match_rejection (
                id BIGSERIAL PRIMARY KEY, spelling TEXT NOT NULL, key TEXT NOT NULL, code TEXT NOT NULL,
                decided_on TEXT NOT NULL, review_item_id BIGINT, UNIQUE (key, code))
            """,
            """
            CREATE TABLE review_item (
                id BIGSERIAL PRIMARY KEY, query_text TEXT NOT NULL, key TEXT NOT NULL, spec TEXT, unit_price TEXT,
                candidates TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
                claim_id TEXT, line BIGINT, decided_code TEXT, decided_on TEXT, created_on TEXT NOT NULL)
            """,
            "CREATE INDEX review_item_status ON review_item(status, id)",
        ]),
        ("v3-settlement-totals", [
            """
            CREATE TABLE settlement_total (
                claim_id TEXT PRIMARY KEY, insured_id TEXT NOT NULL, year BIGINT NOT NULL, service_date TEXT NOT NULL,
                visit_type TEXT NOT NULL, deductible_basis TEXT NOT NULL, fund_pay_fen BIGINT NOT NULL,
                deductible_fen BIGINT NOT NULL, fund_accrued TEXT NOT NULL, region TEXT NOT NULL, settled_at TEXT NOT NULL)
            """,
            "CREATE INDEX settlement_total_by_person_year ON settlement_total(insured_id, year)",
        ]),
        ("v4-pipeline", [
            "ALTER TABLE run ADD COLUMN inbox TEXT, ADD COLUMN pid BIGINT",
            """
            CREATE TABLE claim (
                id BIGSERIAL PRIMARY KEY, claim_id TEXT NOT NULL, fingerprint TEXT NOT NULL, source TEXT NOT NULL,
                inbox TEXT, state TEXT NOT NULL, reason TEXT, insured_id TEXT, service_date TEXT, institution TEXT,
                invoice_code TEXT, invoice_number TEXT, amount_fen BIGINT NOT NULL DEFAULT 0,
                fund_pay_fen BIGINT NOT NULL DEFAULT 0, self_pay_fen BIGINT NOT NULL DEFAULT 0,
                pending_fen BIGINT NOT NULL DEFAULT 0, flag_count BIGINT NOT NULL DEFAULT 0, trail TEXT NOT NULL,
                run_id BIGINT, created_at TEXT NOT NULL, destination TEXT, moved BOOLEAN NOT NULL DEFAULT FALSE,
                outputs_written BOOLEAN NOT NULL DEFAULT FALSE, csv_written BOOLEAN NOT NULL DEFAULT FALSE)
            """,
            "CREATE UNIQUE INDEX claim_live_id ON claim(claim_id) WHERE state != 'failed'",
            "CREATE INDEX claim_by_fingerprint ON claim(fingerprint)",
            "CREATE INDEX claim_by_invoice ON claim(invoice_code, invoice_number)",
            "CREATE INDEX claim_by_person ON claim(insured_id, service_date)",
            "CREATE INDEX claim_unfinished ON claim(moved, outputs_written)",
            """
            CREATE TABLE claim_page (
                sha256 TEXT NOT NULL, page_index BIGINT NOT NULL,
                claim_row BIGINT NOT NULL REFERENCES claim(id) ON DELETE CASCADE, file TEXT NOT NULL,
                PRIMARY KEY (sha256, page_index))
            """,
            """
            CREATE TABLE claim_item (
                claim_row BIGINT NOT NULL REFERENCES claim(id) ON DELETE CASCADE, idx BIGINT NOT NULL, name TEXT NOT NULL,
                name_read TEXT NOT NULL, code TEXT, class TEXT, category TEXT, zone TEXT NOT NULL,
                amount_fen BIGINT NOT NULL, fund_pay_fen BIGINT NOT NULL, self_pay_fen BIGINT NOT NULL,
                held BOOLEAN NOT NULL, PRIMARY KEY (claim_row, idx))
            """,
            "CREATE INDEX claim_item_by_code ON claim_item(code)",
            """
            CREATE TABLE claim_flag (
                claim_row BIGINT NOT NULL REFERENCES claim(id) ON DELETE CASCADE, rule TEXT NOT NULL,
                severity TEXT NOT NULL, line BIGINT, message TEXT NOT NULL)
            """,
            "CREATE INDEX claim_flag_by_claim ON claim_flag(claim_row)",
            """
            CREATE TABLE claim_key (
                kind TEXT NOT NULL, key TEXT NOT NULL, claim_row BIGINT NOT NULL REFERENCES claim(id) ON DELETE CASCADE)
            """,
            "CREATE INDEX claim_key_by_key ON claim_key(kind, key)",
            """
            CREATE TABLE page_ocr (
                sha256 TEXT NOT NULL, page_index BIGINT NOT NULL, engine TEXT NOT NULL, ocr BYTEA NOT NULL,
                PRIMARY KEY (sha256, page_index, engine))
            """,
            "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        ("v5-match-index", [
            "CREATE TABLE match_index (part BIGINT PRIMARY KEY, generation BIGINT NOT NULL, data BYTEA NOT NULL)",
        ]),
        ("v6-supplementary-funds", [
            """
            ALTER TABLE settlement_total
                ADD COLUMN critical_illness_base TEXT NOT NULL DEFAULT '0',
                ADD COLUMN critical_illness_pay_fen BIGINT NOT NULL DEFAULT 0,
                ADD COLUMN critical_illness_accrued TEXT NOT NULL DEFAULT '0',
                ADD COLUMN assistance_base TEXT NOT NULL DEFAULT '0',
                ADD COLUMN assistance_pay_fen BIGINT NOT NULL DEFAULT 0,
                ADD COLUMN assistance_accrued TEXT NOT NULL DEFAULT '0'
            """,
            """
            ALTER TABLE claim ADD COLUMN critical_illness_pay_fen BIGINT NOT NULL DEFAULT 0,
                ADD COLUMN assistance_pay_fen BIGINT NOT NULL DEFAULT 0
            """,
            """
            ALTER TABLE claim_item ADD COLUMN critical_illness_pay_fen BIGINT NOT NULL DEFAULT 0,
                ADD COLUMN assistance_pay_fen BIGINT NOT NULL DEFAULT 0
            """,
        ]),
        // The claims of a shared inbox, registered once by content and leased to one
        // worker at a time (LedgerSchema's v7 has the same table).
        ("v7-work-queue", [
            "ALTER TABLE run ADD COLUMN host TEXT",
            """
            CREATE TABLE work_item (
                id BIGSERIAL PRIMARY KEY, inbox TEXT NOT NULL, name TEXT NOT NULL, fingerprint TEXT NOT NULL, person TEXT,
                state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'done')),
                lease_holder TEXT, leased_at TIMESTAMPTZ, lease_until TIMESTAMPTZ, leases BIGINT NOT NULL DEFAULT 0,
                registered_at TIMESTAMPTZ NOT NULL DEFAULT now(), done_at TIMESTAMPTZ, done_by TEXT,
                claim_row BIGINT REFERENCES claim(id) ON DELETE SET NULL, UNIQUE (inbox, fingerprint))
            """,
            "CREATE INDEX work_item_waiting ON work_item(inbox, state, id)",
            "CREATE INDEX work_item_by_person ON work_item(inbox, person, name) WHERE state = 'waiting'",
        ]),
    ]
}
