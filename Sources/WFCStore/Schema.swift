import GRDB

/// The SQLite schema, versioned by GRDB's migrator (table `grdb_migrations`). A migration is
/// never edited once released; changes are new migrations.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            // Content-addressed: a case is pinned to the hash, so editing the policy later
            // never changes a running case.
            try db.execute(sql: """
                CREATE TABLE definitions (
                    hash        TEXT PRIMARY KEY,
                    workflow_id TEXT NOT NULL,
                    ir_json     TEXT NOT NULL,
                    created_at  TEXT NOT NULL
                );
                CREATE TABLE cases (
                    id              TEXT PRIMARY KEY,
                    workflow_id     TEXT NOT NULL,
                    definition_hash TEXT NOT NULL REFERENCES definitions(hash),
                    version         INTEGER NOT NULL,
                    status          TEXT NOT NULL,
                    active          TEXT NOT NULL,
                    snapshot        TEXT NOT NULL,
                    created_at      TEXT NOT NULL,
                    updated_at      TEXT NOT NULL,
                    next_due        TEXT,
                    head_seq        INTEGER NOT NULL,
                    head_hash       TEXT NOT NULL
                );
                CREATE INDEX cases_workflow ON cases(workflow_id);
                CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;
                CREATE TABLE events (
                    case_id         TEXT NOT NULL REFERENCES cases(id),
                    seq             INTEGER NOT NULL,
                    kind            TEXT NOT NULL CHECK (kind IN ('start', 'event', 'tick', 'refused')),
                    name            TEXT NOT NULL,
                    actor           TEXT,
                    role            TEXT,
                    item            INTEGER,
                    payload         TEXT NOT NULL,
                    idempotency_key TEXT,
                    time            TEXT NOT NULL,
                    outcome         TEXT NOT NULL,
                    prev_hash       TEXT NOT NULL,
                    hash            TEXT NOT NULL,
                    PRIMARY KEY (case_id, seq),
                    UNIQUE (case_id, idempotency_key)
                ) WITHOUT ROWID;
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TABLE timers (
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    state   TEXT NOT NULL,
                    kind    TEXT NOT NULL,
                    due     TEXT NOT NULL,
                    fired   INTEGER NOT NULL
                );
                CREATE INDEX timers_case ON timers(case_id);
                -- The policy text a definition was compiled from, so that a refusal can show
                -- the policy line without recompiling (or reading a since-edited file).
                CREATE TABLE sources (
                    definition_hash TEXT NOT NULL REFERENCES definitions(hash),
                    ir_file         TEXT NOT NULL,
                    path            TEXT NOT NULL,
                    text            TEXT NOT NULL,
                    PRIMARY KEY (definition_hash, ir_file)
                );
                CREATE INDEX timers_due ON timers(due);
                """)
        }
        return m
    }()
}
