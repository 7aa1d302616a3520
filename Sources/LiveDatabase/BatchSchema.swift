import GRDB

/// The tool's own tables, all named `batch_*`, created by migrations.
///
/// Migrations are history: once shipped, a migration is never edited. A change is a new migration
/// appended to `migrator`. What ran is recorded in `batch_schema_migrations` (`BatchMigrator`),
/// never in GRDB's `grdb_migrations`: the live file is the live service's.
public enum BatchSchema {
    public static var migrator: BatchMigrator {
        var migrator = BatchMigrator()
        // Immediate foreign-key checks: these migrations only create new batch_* tables, so there is
        // nothing to re-check afterwards. The default (deferred) ends every migration with a
        // `PRAGMA foreign_key_check` over the whole live database, seconds on a large file.
        migrator.registerMigration("batch_v1_reconcile", foreignKeyChecks: .immediate, migrate: reconcileV1)
        migrator.registerMigration("batch_v1_menu", foreignKeyChecks: .immediate, migrate: menuV1)
        migrator.registerMigration("batch_v2_findings", foreignKeyChecks: .immediate, migrate: findingsV2)
        migrator.registerMigration("batch_v3_llm", foreignKeyChecks: .immediate, migrate: llmV3)
        migrator.registerMigration("batch_v3_review_answers", foreignKeyChecks: .immediate, migrate: reviewAnswersV3)
        migrator.registerMigration("batch_v3_reliability_writer_start", foreignKeyChecks: .immediate, migrate: reliabilityWriterStartV3)
        migrator.registerMigration("batch_v4_item_evidence", foreignKeyChecks: .immediate, migrate: itemEvidenceV4)
        migrator.registerMigration("batch_v4_venue_coverage", foreignKeyChecks: .immediate, migrate: venueCoverageV4)
        return migrator
    }

    /// Names of every table the migrations create.
    public static let tables = [
        "batch_runs", "batch_run_inputs", "batch_matches", "batch_exceptions",
        "batch_daily_takings", "batch_payouts", "batch_credit_ledger",
        "batch_menu_imports", "batch_menu_import_items",
        "batch_findings", "batch_finding_events", "batch_run_coverage",
        "batch_llm_answers", "batch_llm_calls",
        "batch_menu_import_answers",
        "batch_run_venue_coverage",
        BatchMigrator.historyTable,
    ]

    /// Reconciliation runs. A run is written in short transactions while its status is `writing`,
    /// then made visible by one short transaction that sets `committed`. Readers only look at
    /// committed runs; a run left `writing` by a killed process is removed by the next run.
    static func reconcileV1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_runs (
                id TEXT PRIMARY KEY,
                command TEXT NOT NULL,                 -- 'reconcile' | 'nightly'
                status TEXT NOT NULL CHECK (status IN ('writing', 'committed', 'superseded')),
                fingerprint TEXT NOT NULL,             -- sha256 of the sorted input hashes, period and venue filter
                started_at TEXT NOT NULL,
                finished_at TEXT,
                period_from TEXT NOT NULL,
                period_to TEXT NOT NULL,
                venue_id TEXT,                         -- the --venue filter, if any
                matched INTEGER NOT NULL DEFAULT 0,
                exception_count INTEGER NOT NULL DEFAULT 0,
                writer_pid INTEGER
            );
            CREATE INDEX batch_runs_fingerprint ON batch_runs(fingerprint, status);
            CREATE INDEX batch_runs_status_finished ON batch_runs(status, finished_at);

            CREATE TABLE batch_run_inputs (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                file TEXT NOT NULL,
                kind TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                rows INTEGER NOT NULL,
                PRIMARY KEY (run_id, position)
            );

            CREATE TABLE batch_matches (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                provider TEXT NOT NULL,
                provider_ref TEXT,
                mpesa_receipt TEXT,
                charge_id TEXT,
                payment_id TEXT,
                purpose TEXT,
                order_id TEXT,
                invoice_id TEXT,
                venue_id TEXT,
                amount_cents INTEGER NOT NULL,
                fee_cents INTEGER,
                currency TEXT NOT NULL,
                occurred_at TEXT,
                payout_id TEXT,
                description TEXT,                      -- the provider's free text (untrusted)
                PRIMARY KEY (run_id, seq)
            ) WITHOUT ROWID;

            CREATE TABLE batch_exceptions (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                provider TEXT,
                venue_id TEXT,
                amount_cents INTEGER,
                expected_cents INTEGER,
                currency TEXT,
                refs TEXT NOT NULL,                    -- JSON object of the refs the contract lists
                detail TEXT NOT NULL,
                PRIMARY KEY (run_id, seq)
            ) WITHOUT ROWID;

            CREATE TABLE batch_daily_takings (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                day TEXT NOT NULL,                     -- UTC date
                venue_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                currency TEXT NOT NULL,
                payments INTEGER NOT NULL,
                gross_cents INTEGER NOT NULL,
                fee_cents INTEGER NOT NULL,
                refund_cents INTEGER NOT NULL,
                net_cents INTEGER NOT NULL,
                PRIMARY KEY (run_id, day, venue_id, provider, currency)
            ) WITHOUT ROWID;

            CREATE TABLE batch_payouts (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                payout_id TEXT NOT NULL,
                currency TEXT NOT NULL,
                paid_at TEXT,
                amount_cents INTEGER NOT NULL,         -- what the payout sent to the bank
                transactions INTEGER NOT NULL,
                transactions_net_cents INTEGER NOT NULL,
                difference_cents INTEGER NOT NULL,     -- amount - transactions_net
                PRIMARY KEY (run_id, payout_id)
            ) WITHOUT ROWID;

            CREATE TABLE batch_credit_ledger (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                venue_id TEXT NOT NULL,
                venue_name TEXT NOT NULL,
                opening INTEGER NOT NULL,              -- ledger sum before the period
                bonus INTEGER NOT NULL,
                purchases INTEGER NOT NULL,
                order_charges INTEGER NOT NULL,
                menu_imports INTEGER NOT NULL,
                refunds INTEGER NOT NULL,
                closing INTEGER NOT NULL,              -- ledger sum at the end of the period
                credits_remaining INTEGER NOT NULL,    -- venues.credits_remaining when read
                drift INTEGER NOT NULL,                -- credits_remaining - ledger sum (all time)
                PRIMARY KEY (run_id, venue_id)
            ) WITHOUT ROWID;
            """)
    }

    /// Menu imports staged for review. A draft's items are the structurer's output plus the owner's
    /// decisions; publishing applies them to `menu_items`.
    static func menuV1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_menu_imports (
                id TEXT PRIMARY KEY,
                venue_id TEXT NOT NULL,
                file TEXT NOT NULL,                    -- the PDF's name, as in the items JSON
                pdf_path TEXT NOT NULL,                -- where it was read (absolute), for the review's page crops
                sha256 TEXT NOT NULL,
                pages INTEGER NOT NULL,
                structurer TEXT NOT NULL,
                currency TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed', 'published')),
                paid_with TEXT NOT NULL CHECK (paid_with IN ('quota', 'credits')),
                credit_transaction_id TEXT,            -- the menu_import ledger row when paid with credits
                questions TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
                created_at TEXT NOT NULL,
                reviewed_at TEXT,
                published_at TEXT,
                UNIQUE (venue_id, sha256, structurer)
            );

            CREATE TABLE batch_menu_import_items (
                import_id TEXT NOT NULL REFERENCES batch_menu_imports(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                category TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT,
                price_cents INTEGER,
                options TEXT NOT NULL DEFAULT '[]',
                dietary_tags TEXT NOT NULL DEFAULT '[]',
                confidence REAL NOT NULL,
                flags TEXT NOT NULL DEFAULT '[]',
                page INTEGER NOT NULL,
                bbox TEXT NOT NULL,                    -- JSON [x0, y0, x1, y1], PDF points, origin top-left
                decision TEXT CHECK (decision IN ('keep', 'fix', 'drop')),
                menu_item_id TEXT,                     -- the live menu_items row it became
                PRIMARY KEY (import_id, seq)
            );
            """)
    }

    /// Findings over time (CLI.md, "Findings over time"): one row per problem however many runs
    /// see it, its state changes kept as history that is only ever appended to, and what each
    /// run's inputs covered (which findings a later run may clear, and when exports last came).
    static func findingsV2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_findings (
                id TEXT PRIMARY KEY,                   -- 'F-' + fingerprint of the kind and key references
                kind TEXT NOT NULL,
                provider TEXT,
                venue_id TEXT,
                occurred_at TEXT,                      -- when the event happened (UTC), for coverage
                amount_cents INTEGER,                  -- as the latest run that saw it says
                expected_cents INTEGER,
                currency TEXT,
                refs TEXT NOT NULL,
                detail TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'cleared')),
                first_seen_run TEXT NOT NULL,          -- run ids are kept as text: a superseded run is deleted
                first_seen_at TEXT NOT NULL,
                last_seen_run TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                state_changed_at TEXT NOT NULL
            );
            CREATE INDEX batch_findings_state ON batch_findings(state, kind);

            CREATE TABLE batch_finding_events (
                finding_id TEXT NOT NULL REFERENCES batch_findings(id),
                seq INTEGER NOT NULL,
                at TEXT NOT NULL,
                event TEXT NOT NULL CHECK (event IN ('opened', 'cleared', 'reappeared', 'resolved', 'reopened')),
                state TEXT NOT NULL,                   -- the state it left the finding in
                run_id TEXT,                           -- the run that saw or cleared it; NULL for a person
                by TEXT,                               -- who: a person's name, or the command
                note TEXT,
                PRIMARY KEY (finding_id, seq)
            ) WITHOUT ROWID;

            CREATE TABLE batch_run_coverage (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                covered_from TEXT NOT NULL,            -- the span of the provider's records, in whole UTC days,
                covered_to TEXT NOT NULL,              -- within the run's period
                PRIMARY KEY (run_id, provider)
            ) WITHOUT ROWID;

            ALTER TABLE batch_exceptions ADD COLUMN finding_id TEXT;
            ALTER TABLE batch_daily_takings ADD COLUMN timezone TEXT;
            """)
    }

    /// The LLM structurer's answer cache and its meter. An answer is kept by a key made of the
    /// page's text (or image) hash, provider, model and prompt version, so reading the same page
    /// again costs nothing. Every call is recorded per venue with its tokens, so a monthly budget
    /// can be checked and an import's cost printed; `import_id` is set once the import is staged
    /// (NULL for calls of an import that failed: they were still paid for).
    static func llmV3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_llm_answers (
                cache_key TEXT PRIMARY KEY,            -- sha256 of prompt version, provider, model, mode, currency, page hash
                page_hash TEXT NOT NULL,               -- sha256 of the page's text or image
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                prompt_version TEXT NOT NULL,
                answer TEXT NOT NULL,                  -- the validated answer JSON (untrusted text from the model)
                created_at TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE batch_llm_calls (
                id INTEGER PRIMARY KEY,
                venue_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                import_id TEXT,
                page INTEGER NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'invalid', 'cached', 'rejected', 'unavailable')),
                created_at TEXT NOT NULL
            );
            CREATE INDEX batch_llm_calls_venue_month ON batch_llm_calls(venue_id, created_at);
            CREATE INDEX batch_llm_calls_run ON batch_llm_calls(run_id);
            CREATE INDEX batch_llm_calls_import ON batch_llm_calls(import_id);
            """)
    }

    /// The owner's answers to an import's questions (the review page, through `menu apply`).
    static func reviewAnswersV3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_menu_import_answers (
                import_id TEXT NOT NULL REFERENCES batch_menu_imports(id),
                question TEXT NOT NULL,                -- as the import asked it
                answer TEXT NOT NULL,
                answered_at TEXT NOT NULL,
                PRIMARY KEY (import_id, question)
            ) WITHOUT ROWID;
            """)
    }

    /// Who writes a run, beyond its process id: a pid is reused, and a `writing` run whose pid
    /// now belongs to another process was never cleaned. `writer_start` is the writer's boot id
    /// and start time (`/proc/PID/stat`), compared before a `writing` run is left alone.
    static func reliabilityWriterStartV3(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE batch_runs ADD COLUMN writer_start TEXT")
    }

    /// What each staged item was read from beyond its box: the lines as printed and each price's
    /// cell (text and box), so the review can show the exact price cell. Imports staged before
    /// have none (`{}`), and their review shows the item's box as before.
    static func itemEvidenceV4(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE batch_menu_import_items ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}'")
    }

    /// What each run's inputs covered per venue (issue #14: a venue's exports that stop arriving
    /// while other venues' still come). One row per run, venue and provider with records the run
    /// attributed to the venue; `covered_to` of the newest committed row is where the venue's
    /// exports of that provider stop. Rows of a run are written while it is `writing` and read only
    /// once it is `committed`, as the rest of the run.
    static func venueCoverageV4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_run_venue_coverage (
                run_id TEXT NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
                venue_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                covered_from TEXT NOT NULL,            -- the span of the venue's records of the provider, in whole
                covered_to TEXT NOT NULL,              -- UTC days, within the run's period
                PRIMARY KEY (run_id, venue_id, provider)
            ) WITHOUT ROWID;
            CREATE INDEX batch_run_venue_coverage_venue ON batch_run_venue_coverage(provider, venue_id, covered_to);
            """)
    }
}
