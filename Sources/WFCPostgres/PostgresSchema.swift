import Foundation

/// The PostgreSQL schema, versioned in the table `schema_version` (one row per migration
/// applied). A migration is never edited once released; changes are new migrations. They run
/// in one transaction under an advisory lock, so servers starting at once never run one twice.
/// Text columns use the "C" collation: ids and RFC 3339 times sort byte by byte, as in SQLite.
enum PostgresSchema {
    /// The advisory lock key migrations take ("WFC1", with the schema's hash as second key).
    static let migrationLock: Int32 = 0x5746_4331

    /// The highest schema version this wfc knows.
    static var latest: Int { migrations.last?.version ?? 0 }

    static let versionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        )
        """

    /// The migrations, in order: a version and its statements (one statement each, as the
    /// extended query protocol runs them).
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            // Content-addressed: a case is pinned to the hash, so editing the policy later never
            // changes a running case.
            """
            CREATE TABLE definitions (
                hash        TEXT COLLATE "C" PRIMARY KEY,
                workflow_id TEXT COLLATE "C" NOT NULL,
                ir_json     TEXT NOT NULL,
                created_at  TEXT COLLATE "C" NOT NULL,
                version     BIGINT NOT NULL,
                UNIQUE (workflow_id, version)
            )
            """,
            """
            CREATE TABLE cases (
                id              TEXT COLLATE "C" PRIMARY KEY,
                workflow_id     TEXT COLLATE "C" NOT NULL,
                definition_hash TEXT COLLATE "C" NOT NULL REFERENCES definitions(hash),
                version         BIGINT NOT NULL,
                status          TEXT COLLATE "C" NOT NULL,
                active          TEXT NOT NULL,
                snapshot        TEXT NOT NULL,
                created_at      TEXT COLLATE "C" NOT NULL,
                updated_at      TEXT COLLATE "C" NOT NULL,
                next_due        TEXT COLLATE "C",
                head_seq        BIGINT NOT NULL,
                head_hash       TEXT NOT NULL
            )
            """,
            "CREATE INDEX cases_workflow ON cases(workflow_id)",
            // Finding the due timers reads this index, never all cases.
            "CREATE INDEX cases_next_due ON cases(next_due, id) WHERE status = 'running' AND next_due IS NOT NULL",
            "CREATE INDEX cases_created ON cases(created_at, id)",
            """
            CREATE TABLE events (
                case_id         TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
                seq             BIGINT NOT NULL,
                kind            TEXT NOT NULL CHECK (kind IN ('start', 'event', 'tick', 'refused')),
                name            TEXT NOT NULL,
                actor           TEXT,
                role            TEXT,
                item            BIGINT,
                payload         TEXT NOT NULL,
                idempotency_key TEXT COLLATE "C",
                time            TEXT NOT NULL,
                outcome         TEXT NOT NULL,
                prev_hash       TEXT NOT NULL,
                hash            TEXT NOT NULL,
                PRIMARY KEY (case_id, seq),
                UNIQUE (case_id, idempotency_key)
            )
            """,
            // The audit log is append-only: UPDATE, DELETE and TRUNCATE are refused for every
            // role, its owner included (who must drop the trigger first, which the log of DDL
            // and `wfc case verify` betray).
            """
            CREATE FUNCTION wfc_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """,
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION wfc_events_append_only()",
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION wfc_events_append_only()",
            // Least privilege: whatever default privileges granted, no role but the owner may
            // update, delete or truncate the log.
            """
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                         WHERE table_schema = current_schema() AND table_name = 'events'
                           AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> current_user
                LOOP
                    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON events FROM '
                        || CASE WHEN r.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(r.grantee) END;
                END LOOP;
            END
            $$
            """,
            """
            CREATE TABLE timers (
                case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
                state   TEXT NOT NULL,
                kind    TEXT NOT NULL,
                due     TEXT COLLATE "C" NOT NULL,
                fired   BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX timers_case ON timers(case_id)",
            "CREATE INDEX timers_due ON timers(due)",
            // The policy text a definition was compiled from.
            """
            CREATE TABLE sources (
                definition_hash TEXT COLLATE "C" NOT NULL REFERENCES definitions(hash),
                ir_file         TEXT COLLATE "C" NOT NULL,
                path            TEXT NOT NULL,
                text            TEXT NOT NULL,
                PRIMARY KEY (definition_hash, ir_file)
            )
            """,
            // Who may act on which open task: rewritten with each step of the case.
            """
            CREATE TABLE tasks (
                case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
                person  TEXT COLLATE "C" NOT NULL,
                role    TEXT COLLATE "C" NOT NULL,
                state   TEXT COLLATE "C" NOT NULL,
                title   TEXT,
                item    BIGINT,
                events  TEXT NOT NULL,
                due     TEXT COLLATE "C"
            )
            """,
            "CREATE INDEX tasks_person ON tasks(person, due)",
            "CREATE INDEX tasks_case ON tasks(case_id)",
            // Effects of accepted steps, written in the step's transaction, delivered at least once.
            """
            CREATE TABLE outbox (
                id           TEXT COLLATE "C" PRIMARY KEY,
                case_id      TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
                seq          BIGINT NOT NULL,
                kind         TEXT NOT NULL,
                payload      TEXT NOT NULL,
                attempts     BIGINT NOT NULL,
                created_at   TEXT COLLATE "C" NOT NULL,
                available_at TEXT COLLATE "C" NOT NULL,
                lease_owner  TEXT,
                lease_until  TEXT COLLATE "C",
                delivered_at TEXT,
                last_error   TEXT
            )
            """,
            "CREATE INDEX outbox_pending ON outbox(available_at, created_at, id) WHERE delivered_at IS NULL",
            // Which server ticks a due case now.
            """
            CREATE TABLE timer_leases (
                case_id TEXT COLLATE "C" PRIMARY KEY REFERENCES cases(id),
                owner   TEXT NOT NULL,
                until   TEXT COLLATE "C" NOT NULL
            )
            """,
        ]),
        // Migrations of cases to another definition: the audit kind `migrate` (docs/versions.md).
        (version: 2, statements: [
            "ALTER TABLE events DROP CONSTRAINT events_kind_check",
            "ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('start', 'event', 'tick', 'refused', 'migrate'))",
        ]),
        // Substitutes (代理, issue #17): who stands in for whom, outside any case; and who an
        // event was sent for. The app role gets the table by the owner's default privileges;
        // it may add and revoke (UPDATE) substitutions but never delete one: they are evidence
        // of who was allowed to act for whom.
        (version: 3, statements: [
            "ALTER TABLE events ADD COLUMN acting_for TEXT",
            """
            CREATE TABLE substitutes (
                id          TEXT COLLATE "C" PRIMARY KEY,
                person      TEXT COLLATE "C" NOT NULL,
                substitute  TEXT COLLATE "C" NOT NULL,
                from_time   TEXT COLLATE "C" NOT NULL,
                until_time  TEXT COLLATE "C" NOT NULL,
                reason      TEXT,
                created_by  TEXT NOT NULL,
                created_at  TEXT COLLATE "C" NOT NULL,
                revoked_by  TEXT,
                revoked_at  TEXT COLLATE "C",
                CHECK (person <> substitute AND from_time < until_time)
            )
            """,
            "CREATE INDEX substitutes_person ON substitutes(person, from_time)",
            "CREATE INDEX substitutes_substitute ON substitutes(substitute, until_time)",
            """
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                         WHERE table_schema = current_schema() AND table_name = 'substitutes'
                           AND privilege_type IN ('DELETE', 'TRUNCATE') AND grantee <> current_user
                LOOP
                    EXECUTE 'REVOKE DELETE, TRUNCATE ON substitutes FROM '
                        || CASE WHEN r.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(r.grantee) END;
                END LOOP;
            END
            $$
            """,
        ]),
        // Web sessions (issue #16): shared by every server on the store. The cookie's id is kept
        // only as its SHA-256, the token signed in with not at all.
        (version: 4, statements: [
            """
            CREATE TABLE web_sessions (
                id_hash    TEXT COLLATE "C" PRIMARY KEY,
                csrf       TEXT NOT NULL,
                person     TEXT,
                scopes     TEXT NOT NULL,
                method     TEXT,
                expires    TEXT COLLATE "C" NOT NULL,
                created_at TEXT COLLATE "C" NOT NULL
            )
            """,
            "CREATE INDEX web_sessions_expires ON web_sessions(expires)",
        ]),
    ]
}
