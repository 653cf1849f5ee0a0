import Foundation
import GRDB
import WFCLedger
import WFCRuntime

/// The SQLite schema, versioned in the table `grdb_migrations` (GRDB's format, which earlier
/// stores were written with). A migration is never edited once released; changes are new
/// migrations. They run in one `BEGIN IMMEDIATE` transaction that reads what is applied after
/// taking the write lock, so that processes creating a new store at once never run one twice.
enum Schema {
    /// `PRAGMA application_id` of a wfc store ("WFC1"): tells a wfc store from another
    /// application's SQLite file.
    static let applicationID: Int32 = 0x5746_4331

    /// The migrations, in order: an identifier and the statements.
    static let migrations: [(id: String, run: @Sendable (Database) throws -> Void)] = [
        ("v1", { db in
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
        }),
        // The service: definition versions, paging newest first, the task index, the outbox
        // and timer leases (docs/store.md).
        ("v2", { db in
            try db.execute(sql: """
                ALTER TABLE definitions ADD COLUMN version INTEGER;
                -- Existing definitions are numbered per workflow in the order they were pinned.
                UPDATE definitions SET version = (
                    SELECT COUNT(*) FROM definitions d WHERE d.workflow_id = definitions.workflow_id
                    AND (d.created_at < definitions.created_at OR (d.created_at = definitions.created_at AND d.hash <= definitions.hash)));
                CREATE UNIQUE INDEX definitions_workflow_version ON definitions(workflow_id, version);
                CREATE INDEX cases_created ON cases(created_at, id);
                -- Who may act on which open task: rewritten with each step of the case.
                CREATE TABLE tasks (
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    person  TEXT NOT NULL,
                    role    TEXT NOT NULL,
                    state   TEXT NOT NULL,
                    title   TEXT,
                    item    INTEGER,
                    events  TEXT NOT NULL,
                    due     TEXT
                );
                CREATE INDEX tasks_person ON tasks(person, due);
                CREATE INDEX tasks_case ON tasks(case_id);
                -- Effects of accepted steps, written in the step's transaction, delivered at least once.
                CREATE TABLE outbox (
                    id           TEXT PRIMARY KEY,
                    case_id      TEXT NOT NULL REFERENCES cases(id),
                    seq          INTEGER NOT NULL,
                    kind         TEXT NOT NULL,
                    payload      TEXT NOT NULL,
                    attempts     INTEGER NOT NULL,
                    created_at   TEXT NOT NULL,
                    available_at TEXT NOT NULL,
                    lease_owner  TEXT,
                    lease_until  TEXT,
                    delivered_at TEXT,
                    last_error   TEXT
                );
                CREATE INDEX outbox_pending ON outbox(available_at, created_at, id) WHERE delivered_at IS NULL;
                -- Which server ticks a due case now.
                CREATE TABLE timer_leases (
                    case_id TEXT PRIMARY KEY REFERENCES cases(id),
                    owner   TEXT NOT NULL,
                    until   TEXT NOT NULL
                );
                """)
            try backfillTasks(db)
        }),
        // Migrations of cases to another definition: the audit kind `migrate` (docs/versions.md).
        // SQLite cannot change a CHECK constraint in place: the log is copied, row for row.
        ("v3", { db in
            try db.execute(sql: """
                CREATE TABLE events_v3 (
                    case_id         TEXT NOT NULL REFERENCES cases(id),
                    seq             INTEGER NOT NULL,
                    kind            TEXT NOT NULL CHECK (kind IN ('start', 'event', 'tick', 'refused', 'migrate')),
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
                INSERT INTO events_v3 (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash)
                    SELECT case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash FROM events;
                DROP TABLE events;
                ALTER TABLE events_v3 RENAME TO events;
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }),
        // Substitutes (代理, issue #17): who stands in for whom, outside any case; and who an
        // event was sent for. Adding a nullable column leaves every existing row as it was.
        ("v4", { db in
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN acting_for TEXT;
                CREATE TABLE substitutes (
                    id          TEXT PRIMARY KEY,
                    person      TEXT NOT NULL,
                    substitute  TEXT NOT NULL,
                    from_time   TEXT NOT NULL,
                    until_time  TEXT NOT NULL,
                    reason      TEXT,
                    created_by  TEXT NOT NULL,
                    created_at  TEXT NOT NULL,
                    revoked_by  TEXT,
                    revoked_at  TEXT,
                    CHECK (person <> substitute AND from_time < until_time)
                );
                CREATE INDEX substitutes_person ON substitutes(person, from_time);
                CREATE INDEX substitutes_substitute ON substitutes(substitute, until_time);
                """)
        }),
        // Web sessions (issue #16): in the store, so that every server on it knows them. The
        // cookie's id is kept only as its SHA-256, the token signed in with not at all.
        ("v5", { db in
            try db.execute(sql: """
                CREATE TABLE web_sessions (
                    id_hash    TEXT PRIMARY KEY,
                    csrf       TEXT NOT NULL,
                    person     TEXT,
                    scopes     TEXT NOT NULL,
                    method     TEXT,
                    expires    TEXT NOT NULL,
                    created_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX web_sessions_expires ON web_sessions(expires);
                """)
        }),
        // The task index keyed by case, WITHOUT ROWID: a case's rows sit together in the table's
        // own b-tree, so a step that replaces them writes two b-trees, not three (a rowid table
        // and an index by case): one page less in every such commit.
        ("v6", { db in
            try db.execute(sql: """
                CREATE TABLE tasks_v6 (
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    n       INTEGER NOT NULL,
                    person  TEXT NOT NULL,
                    role    TEXT NOT NULL,
                    state   TEXT NOT NULL,
                    title   TEXT,
                    item    INTEGER,
                    events  TEXT NOT NULL,
                    due     TEXT,
                    PRIMARY KEY (case_id, n)
                ) WITHOUT ROWID;
                INSERT INTO tasks_v6 (case_id, n, person, role, state, title, item, events, due)
                    SELECT case_id, row_number() OVER (PARTITION BY case_id ORDER BY rowid) - 1, person, role, state, title, item, events, due FROM tasks;
                DROP TABLE tasks;
                ALTER TABLE tasks_v6 RENAME TO tasks;
                CREATE INDEX tasks_person ON tasks(person, due);
                """)
        }),
    ]

    /// The task index of the running cases stored before it existed. A case whose definition or
    /// snapshot does not load is left without rows (`wfc case verify` reports it).
    static func backfillTasks(_ db: Database) throws {
        var definitions: [String: Definition] = [:]
        let insert = try db.makeStatement(sql: "INSERT INTO tasks (case_id, person, role, state, title, item, events, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for row in try Row.fetchAll(db, sql: "SELECT id, definition_hash, snapshot FROM cases WHERE status = 'running'") {
            // Rows are read without trusting their types: a store may have been edited by hand.
            let text = SQLiteRepository.lenientText
            guard let id = text(row, "id"), let hash = text(row, "definition_hash"), let snapshot = text(row, "snapshot"),
                  let snap = try? CaseSnapshot.load(Data(snapshot.utf8)) else { continue }
            if definitions[hash] == nil,
               let ir = try Row.fetchOne(db, sql: "SELECT ir_json FROM definitions WHERE hash = ?", arguments: [hash]).flatMap({ text($0, "ir_json") }),
               let d = try? Definition(irJSON: Data(ir.utf8)), d.hash == hash {
                definitions[hash] = d
            }
            guard let def = definitions[hash], let rows = try? Ledger.taskIndex(def, snap) else { continue }
            for t in rows {
                try insert.execute(arguments: [id, t.person, t.role, t.state, t.title, t.item, try CanonicalJSON.encode(t.events), t.due])
            }
        }
    }

    /// What a database file holds.
    enum Kind: Equatable {
        /// No schema objects at all: wfc may create its tables.
        case empty
        /// A wfc store; `pending` are the migrations it still needs.
        case store(pending: [String])
        /// A wfc store written by a newer wfc (migrations this one does not know).
        case newer([String])
        /// Something else: why it is not a wfc store.
        case foreign(String)
    }

    /// Tells an empty file, a wfc store and another application's database apart. A store is
    /// marked by ``applicationID``; stores created before the mark are recognised by their
    /// migration table and their tables.
    static func classify(_ db: Database) throws -> Kind {
        let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        if names.isEmpty { return .empty }
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let applied = names.contains("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        let known = migrations.map(\.id)
        let marked = appID == applicationID
        let legacy = appID == 0 && applied.contains("v1") && ["cases", "definitions", "events"].allSatisfy(names.contains)
        guard marked || legacy else {
            let shown = names.prefix(5).map { "`\($0)`" }.joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            if appID != 0 && appID != applicationID {
                return .foreign("its application id is \(String(format: "0x%08x", UInt32(bitPattern: appID))) (a wfc store's is 0x57464331) and it holds \(shown)")
            }
            return .foreign("it holds \(shown), and no wfc schema")
        }
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { return .newer(unknown) }
        return .store(pending: known.filter { !applied.contains($0) })
    }

    /// Creates or migrates the schema inside the caller's `BEGIN IMMEDIATE` transaction.
    static func migrate(_ db: Database, path: String) throws {
        switch try classify(db) {
        case .foreign(let why): throw StoreError.notAStore(path: path, reason: why)
        case .newer(let ids): throw StoreError.corrupt("\(path) was written by a newer wfc (unknown schema migrations \(ids.joined(separator: ", ")))")
        case .empty, .store:
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            for m in migrations where !applied.contains(m.id) {
                try m.run(db)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [m.id])
            }
            if try Int32.fetchOne(db, sql: "PRAGMA application_id") != applicationID {
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            }
        }
    }
}
