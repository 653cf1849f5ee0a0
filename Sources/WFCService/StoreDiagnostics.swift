import WFCDiagnostics
import WFCIR
import WFCRuntime
import WFCStore

/// Turns the case store's failures into diagnostics (WFC7xxx): a stable code for every
/// ``StoreError`` case and every kind of problem `wfc case verify` finds, and the diagnostic
/// itself. (The CLI's exit status for each is in WFCDriver; the server's HTTP status in
/// WFCServer.) Store failures concern no
/// policy line, so most are unlocated; a replay that refuses a recorded event points at the
/// policy line that refuses it, like a WFC6xxx refusal.
public enum StoreDiagnostics {
    /// The code of each store failure. The switch is exhaustive, so a new ``StoreError`` case
    /// cannot be added without a code.
    public static func descriptor(_ kind: StoreError.Kind) -> DiagnosticDescriptor {
        switch kind {
        case .notFound: UnknownCase.descriptor
        case .unknownDefinition: UnknownDefinition.descriptor
        case .alreadyExists: DuplicateCaseID.descriptor
        case .conflict: ConcurrentUpdateConflict.descriptor
        case .busy: StoreBusy.descriptor
        case .corrupt: StoreCorrupt.descriptor
        case .io: StoreUnavailable.descriptor
        case .invalidArgument: InvalidStoreArgument.descriptor
        case .unsafeText: UnsafeText.descriptor
        case .keyReused: IdempotencyKeyReused.descriptor
        case .notAStore: NotAStore.descriptor
        case .unsupportedBackend: UnsupportedStoreBackend.descriptor
        case .checkpointInvalid: CheckpointInvalid.descriptor
        case .unavailable: DatabaseUnavailable.descriptor
        case .timedOut: DatabaseTimeout.descriptor
        case .schemaTooNew: SchemaTooNew.descriptor
        case .badLocation: InvalidStoreURL.descriptor
        case .permissionDenied: DatabasePermissionDenied.descriptor
        case .substitutionOverlaps: SubstitutionOverlaps.descriptor
        case .unknownSubstitution: UnknownSubstitution.descriptor
        case .invalidSubstitution: InvalidSubstitution.descriptor
        }
    }

    /// The code of each kind of problem `wfc case verify` finds.
    public static func descriptor(_ kind: VerifyFinding.Kind) -> DiagnosticDescriptor {
        switch kind {
        case .chainBroken: ChainBroken.descriptor
        case .replayDiverged: ReplayDiverged.descriptor
        case .definitionInvalid: PinnedDefinitionInvalid.descriptor
        case .snapshotMismatch: SnapshotMismatch.descriptor
        case .checkpointMismatch: CheckpointMismatch.descriptor
        }
    }

    /// Every store code, for the registry and `wfc explain`.
    public static let all: [DiagnosticDescriptor] =
        StoreError.Kind.allCases.map { descriptor($0) } + VerifyFinding.Kind.allCases.map { descriptor($0) }

    /// A store failure as a diagnostic. `storePath` is shown where the store itself is the
    /// problem; `caseIDs` (the ids in the store) give a "did you mean" for an unknown id.
    public static func diagnostic(_ error: StoreError, storePath: String, caseIDs: [String] = []) -> Diagnostic {
        let store = "store: \(storePath)"
        switch error {
        case .notFound(let id):
            let help = Suggestions.closest(to: id, among: caseIDs.filter { $0 != id }).map { "did you mean `\($0)`?" }
                ?? "`wfc case list` shows the cases in this store"
            return Diagnostic(UnknownCase(message: "no case `\(id)` in the store"), at: .unlocated, notes: [store], help: help)
        case .unknownDefinition(let hash):
            return Diagnostic(UnknownDefinition(message: "no definition `\(StoredText.escaped(hash))` is pinned in the store"), at: .unlocated, notes: [store],
                              help: "deploy the workflow first, or name a hash the store lists")
        case .alreadyExists(let id):
            return Diagnostic(DuplicateCaseID(message: "a case `\(id)` already exists"), at: .unlocated, notes: [store],
                              help: "give another --id, or leave --id out for a generated one; nothing was stored")
        case .conflict(let id, let version, let why):
            return Diagnostic(ConcurrentUpdateConflict(message: "conflict (retryable): case `\(id)` changed after version \(version) was read"),
                              at: .unlocated, notes: [why],
                              help: "run the command again: the event is evaluated on the new state (with --key, a key that was used meanwhile returns its first outcome instead)")
        case .busy(let why):
            return Diagnostic(StoreBusy(message: "the store is busy (retryable): \(why)"), at: .unlocated, notes: [store, "nothing was recorded"],
                              help: "another process holds the store's write lock; run the command again")
        case .corrupt(let why):
            return Diagnostic(StoreCorrupt(message: "the store is corrupt: \(why)"), at: .unlocated, notes: [store],
                              help: "the file was not written by this wfc or was edited by hand: `wfc case verify ID` names the first bad event; restore the store from a backup")
        case .io(let why):
            return Diagnostic(StoreUnavailable(message: "store I/O error: \(why)"), at: .unlocated, notes: [store],
                              help: "check that the path is a file in a folder you may write to, or choose another store with --store or $WFC_STORE")
        case .invalidArgument(let why):
            return Diagnostic(InvalidStoreArgument(message: why), at: .unlocated)
        case .unsafeText(let why):
            return Diagnostic(UnsafeText(message: why), at: .unlocated, notes: ["nothing was recorded"],
                              help: "person ids, roles, event names and keys are 1 to \(StoredText.maxLength) printable characters: no control or format characters, no line breaks")
        case .keyReused(let id, let key, let seq, let differences):
            return Diagnostic(IdempotencyKeyReused(message: "idempotency key `\(StoredText.escaped(key))` was already used by event \(seq) of case `\(id)` for a different request; this request was not done"),
                              at: .unlocated, notes: differences,
                              help: "use a new --key for a new request; repeat the first request exactly to get its stored outcome")
        case .notAStore(let path, let why):
            return Diagnostic(NotAStore(message: "\(path) is not a wfc store: \(why)"), at: .unlocated, notes: ["nothing was written to \(path)"],
                              help: "give --store (or $WFC_STORE) the path of a wfc store, or of a new or empty file")
        case .unsupportedBackend(let location, let scheme):
            return Diagnostic(UnsupportedStoreBackend(message: "`\(location)`: no store backend for `\(scheme)://` is available in this build"), at: .unlocated,
                              notes: ["this build stores cases in SQLite files and in PostgreSQL (postgres:// URLs)"],
                              help: "give --store a file path (or a file:// URL), e.g. .wfc/store.sqlite, or a postgres://USER@HOST/DB URL")
        case .unavailable(let why):
            return Diagnostic(DatabaseUnavailable(message: "the database is unavailable (retryable): \(why)"), at: .unlocated, notes: [store],
                              help: "the server restarted, failed over or cannot be reached; run the command again once it is back (with --key, a step that did commit returns its first outcome)")
        case .timedOut(let why):
            return Diagnostic(DatabaseTimeout(message: "the database did not answer in time (retryable): \(why)"), at: .unlocated, notes: [store],
                              help: "the server is overloaded or a long transaction holds the rows; run the command again (with --key, a step that did commit returns its first outcome)")
        case .schemaTooNew(let location, let found, let supported):
            return Diagnostic(SchemaTooNew(message: "\(location) was written by a newer wfc (schema version \(found); this wfc knows up to \(supported))"), at: .unlocated,
                              notes: ["nothing was read or written"], help: "use the wfc version that migrated this database, or a newer one")
        case .badLocation(let location, let reason):
            return Diagnostic(InvalidStoreURL(message: "`\(location)` is not a usable store location: \(reason)"), at: .unlocated,
                              help: "a PostgreSQL store is postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&schema=…]")
        case .permissionDenied(let why):
            return Diagnostic(DatabasePermissionDenied(message: "the database refused: \(why)"), at: .unlocated, notes: [store],
                              help: "migrations run as the owner role; wfc serves as a role that may insert into the log but not change it (docs/store.md, \"PostgreSQL\")")
        case .substitutionOverlaps, .unknownSubstitution, .invalidSubstitution:
            return substitutionDiagnostic(error)
        case .checkpointInvalid(let why):
            return Diagnostic(CheckpointInvalid(message: why), at: .unlocated,
                              help: "create a key with `wfc case checkpoint --new-key FILE`; check a checkpoint with the public key (FILE.pub) of the key that signed it")
        }
    }

    /// What a failed verify found, one diagnostic per problem. `file` maps the IR's file names
    /// to the paths shown (see ``RuntimeDiagnostics/diagnostic(_:file:fallback:)``); a replay
    /// refusal with a span points at that policy line, everything else is unlocated.
    public static func diagnostics(_ report: VerifyReport, file: (String) -> String = { $0 }) -> [Diagnostic] {
        let id = report.caseID
        return report.findings.map { f in
            let event = f.seq.map { "event \($0)" } ?? "the log"
            switch f.kind {
            case .chainBroken:
                return Diagnostic(ChainBroken(message: "the hash chain of case `\(id)` breaks at \(event)"), at: .unlocated, notes: [f.message],
                                  help: "the audit log was changed outside wfc: compare `wfc case history \(id)` with an archived head hash and restore the store from a backup")
            case .replayDiverged:
                let message = ReplayDiverged(message: "replaying case `\(id)` against its pinned definition diverges at \(event)")
                let help = "the log or the pinned definition was changed outside wfc; restore the store from a backup"
                if let r = f.refusal, let span = r.span {
                    return Diagnostic(message, at: span.sourceSpan(file), label: "the replay refuses the recorded event here",
                                      notes: [f.message] + r.details, help: help)
                }
                return Diagnostic(message, at: .unlocated, notes: [f.message], help: help)
            case .definitionInvalid:
                return Diagnostic(PinnedDefinitionInvalid(message: "case `\(id)` cannot be replayed: \(f.message)"), at: .unlocated,
                                  help: "the definitions table was changed outside wfc; restore the store from a backup")
            case .snapshotMismatch:
                return Diagnostic(SnapshotMismatch(message: "case `\(id)`: \(f.message)"), at: .unlocated,
                                  help: "the cases table was changed outside wfc; the log is intact, so the replayed state is the true one")
            case .checkpointMismatch:
                return Diagnostic(CheckpointMismatch(message: "case `\(id)` no longer holds what the checkpoint signed"), at: .unlocated, notes: [f.message],
                                  help: "events up to the checkpoint were removed or rewritten outside wfc: restore the store from a backup taken after the checkpoint")
            }
        }
    }
}

// MARK: - Messages

struct UnknownCase: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7001", name: "unknown-case", summary: "No case with this id is in the store.",
        explanation: """
            `wfc case fire`, `show`, `history` and `verify` name a case by the id it was started with. \
            The id is looked up in the store that --store, $WFC_STORE or ./.wfc/store.sqlite names, so a \
            case started with another store is not found. When an id in the store is close, wfc suggests \
            it. Exit status 2, like a path that does not exist.
            """,
        example: "$ wfc case show C-10O\n", fix: "$ wfc case list\n$ wfc case show C-100\n")
    var message: String
}

public struct UnknownDefinition: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC7018", name: "unknown-definition", summary: "No definition with this content hash (or workflow id) is pinned in the store.",
        explanation: """
            A definition is pinned in the store by the content hash of its compiled IR (`sha256:…`) \
            when it is deployed or when the first case of it starts. Asking for a hash the store \
            does not hold (a typo, another store, a definition never deployed) is this error; nothing \
            is changed. The `wfc case` commands compile the workflow file themselves and never ask \
            by hash; the HTTP service does: `POST /v1/cases` names its definition by hash, or by \
            workflow id for the newest deployed version (`GET /v1/definitions` lists them). Exit \
            status 2; HTTP 404.
            """,
        example: "POST /v1/cases {\"definition\": \"sha256:0000…\", …}\n",
        fix: "POST /v1/definitions (the workflow YAML), then POST /v1/cases with the hash it returns\n")
    public var message: String
    public init(message: String) { self.message = message }
}

struct DuplicateCaseID: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7002", name: "duplicate-case-id", summary: "A case with this id already exists.",
        explanation: """
            `wfc case start --id ID` refuses an id that the store already holds, so that a case is \
            never overwritten; nothing is stored. Without --id, wfc generates `WORKFLOW-xxxxxxxx`. Exit status 1.
            """,
        example: "$ wfc case start workflows/company-handover.yaml --data case.yaml --id C1   # C1 exists\n",
        fix: "$ wfc case start workflows/company-handover.yaml --data case.yaml --id C2\n")
    var message: String
}

struct ConcurrentUpdateConflict: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7003", name: "concurrent-update-conflict", summary: "Another writer changed the case first; nothing was recorded. Safe to retry.",
        explanation: """
            An event is evaluated against the case as it was read, and committed only if the case \
            is still at that version (optimistic concurrency). When another writer committed in \
            between, nothing is written and this conflict is reported (exit status 1; with --format \
            json, `{"outcome": "conflict", "retryable": true}`). It is safe to run the command again: \
            the event is then evaluated on the new state, and may mean something else there, which \
            is why wfc does not retry by itself. Give --key (an idempotency key) so that a command \
            that was retried after its first attempt did commit returns that first outcome instead \
            of a second step.
            """,
        example: "$ wfc case fire C1 approve --as wang.wu   # while li.si's event commits\n",
        fix: "$ wfc case fire C1 approve --as wang.wu --key approve-1   # run again\n")
    var message: String
}

struct StoreBusy: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7004", name: "store-busy", summary: "Another process held the store's write lock for too long. Safe to retry.",
        explanation: """
            Writers take the SQLite file's write lock for one transition and wait up to 10 seconds \
            for another process to release it. A lock held longer (a long `sqlite3` session, a stuck \
            process) ends the command with this diagnostic and exit status 1; nothing was recorded.
            """,
        example: "$ sqlite3 .wfc/store.sqlite 'BEGIN IMMEDIATE; …'   # left open\n$ wfc case fire C1 submit --as zhang.san\n",
        fix: "(end the other session, then run the command again)\n")
    var message: String
}

struct StoreCorrupt: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7005", name: "store-corrupt", summary: "The store holds data that this wfc did not write.",
        explanation: """
            A row that does not decode, a snapshot that does not match its case row, a pinned \
            definition that is missing or whose content hash is wrong, a file that is not a SQLite \
            database, or a store written by a newer wfc. wfc refuses to guess and exits with status 3. \
            `wfc case verify ID` walks the case's hash chain and names the first bad event.
            """,
        example: "$ sqlite3 .wfc/store.sqlite \"UPDATE cases SET version = 7 WHERE id = 'C1'\"\n$ wfc case show C1\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

struct StoreUnavailable: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7006", name: "store-unavailable", summary: "The store file could not be opened, read or written.",
        explanation: """
            The store path (--store, else $WFC_STORE, else ./.wfc/store.sqlite) must be a file, or a \
            name for one, in a folder wfc may create and write to. A folder in its place, missing \
            permissions or a full disk end the command with exit status 3; the path is shown.
            """,
        example: "$ wfc case list --store /proc/none/store.sqlite\n", fix: "$ wfc case list --store .wfc/store.sqlite\n")
    var message: String
}

struct InvalidStoreArgument: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7007", name: "invalid-store-argument", summary: "The store cannot accept an argument: a case id or an idempotency key.",
        explanation: """
            A case id is 1 to 200 characters without spaces or control characters; an idempotency \
            key (--key) must not be empty. Exit status 2, like any bad argument. (Person ids, event \
            names, roles and keys that are not printable text are WFC7012.)
            """,
        example: "$ wfc case start workflows/company-handover.yaml --data case.yaml --id 'C 1'\n",
        fix: "$ wfc case start workflows/company-handover.yaml --data case.yaml --id C-1\n")
    var message: String
}

struct ChainBroken: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7008", name: "chain-broken", summary: "`wfc case verify`: the audit log's hash chain breaks.",
        explanation: """
            Each audit event stores the SHA-256 of its content and of the event before it. An edited \
            row is found at its own number, a row re-hashed by the editor breaks the next link, and a \
            removed last event shows at the case's chain head. The diagnostic names the first bad \
            event; exit status 1. See docs/store.md, "The hash chain".
            """,
        example: "$ sqlite3 .wfc/store.sqlite \"UPDATE events SET actor = 'x' WHERE seq = 2\"   # after dropping the trigger\n$ wfc case verify C1\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

struct ReplayDiverged: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7009", name: "replay-diverged", summary: "`wfc case verify`: replaying the log does not give the recorded outcome.",
        explanation: """
            verify replays the intact events against the pinned definition with their recorded \
            times: each accepted event must give the recorded snapshot, each refused attempt must \
            still be refused. A difference means the log was rewritten consistently (hashes \
            recomputed) or the engine changed. When the replay refuses an event that was recorded as \
            accepted, the diagnostic points at the policy line that refuses it. Exit status 1.
            """,
        example: "(event 2 re-written as sent by li.si, its hash recomputed)\n$ wfc case verify C1\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

struct PinnedDefinitionInvalid: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7010", name: "pinned-definition-invalid", summary: "`wfc case verify`: the definition the case is pinned to is missing or altered.",
        explanation: """
            A case is pinned to the content hash of its compiled definition. verify cannot replay \
            the log when that definition is missing from the store, does not load, or hashes to \
            another value. Exit status 1.
            """,
        example: "$ sqlite3 .wfc/store.sqlite \"UPDATE definitions SET ir_json = '{}'\"\n$ wfc case verify C1\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

struct SnapshotMismatch: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7011", name: "snapshot-mismatch", summary: "`wfc case verify`: the stored case differs from the replay of its log.",
        explanation: """
            The log is intact and replays, but the case row or the timers table is not what the \
            replay gives: the snapshot, or a column derived from it (workflow_id, version, status, \
            active, created_at, updated_at, next_due), or the case's timers were edited. These \
            columns decide what `list` shows and which cases `tick` fires, so an edit there (say \
            next_due set to NULL) would silently stop escalations. Exit status 1.
            """,
        example: "$ sqlite3 .wfc/store.sqlite \"UPDATE cases SET snapshot = replace(snapshot, 'li.si', 'eve')\"\n$ wfc case verify C1\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

public struct UnsafeText: DiagnosticMessage {
    public static let descriptor = DiagnosticDescriptor(
        code: "WFC7012", name: "unsafe-text", summary: "A person id, role, event name or key is not printable text.",
        explanation: """
            Person ids (--as, the case file's `people:`), roles, event names and idempotency keys \
            are written to the audit log and printed by `wfc case history` and `show`. They must be \
            1 to 200 characters with no control characters (newline, escape), no format characters \
            (Unicode bidi controls, zero-width characters), no line or paragraph separators, no \
            private-use or unassigned code points, and no space at either end: otherwise a name \
            could forge a row of the history or send escape codes to a terminal. Nothing is \
            recorded; exit status 2. Text already stored that breaks the rule is shown escaped \
            (`\\u{1B}`).
            """,
        example: "$ wfc case fire C1 approve --as $'mallory\\n3  2025-09-26T04:00:00Z  wang.wu  approve'\n",
        fix: "$ wfc case fire C1 approve --as wang.wu\n")
    public var message: String
    public init(message: String) { self.message = message }
}

struct IdempotencyKeyReused: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7013", name: "idempotency-key-reused", summary: "An idempotency key was reused for a different request; the request was not done.",
        explanation: """
            `wfc case fire --key K` repeated with the same event, actor, role, item and data \
            returns the stored outcome of its first use (nothing new is recorded). The same key \
            with anything else is a mistake a retry must not hide: the request is refused, \
            nothing is recorded, and the notes say what differs from the first use. Exit status 2 \
            (like an HTTP 422). Use a new key for a new request.
            """,
        example: "$ wfc case fire C1 approve --as wang.wu --key k1\n$ wfc case fire C1 reject --as wang.wu --key k1\n",
        fix: "$ wfc case fire C1 approve --as wang.wu --key k1\n$ wfc case fire C1 reject --as wang.wu --key k2\n")
    var message: String
}

struct NotAStore: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7014", name: "not-a-store", summary: "The store file is another application's database.",
        explanation: """
            wfc creates its tables only in a new or empty file, and opens only files that are wfc \
            stores (marked by the SQLite application id 0x57464331, or the tables of an older wfc \
            store). A SQLite file with other tables is refused before anything is written to it, \
            so another application's database is never changed. Exit status 3.
            """,
        example: "$ wfc case list --store ~/app/data.sqlite\n", fix: "$ wfc case list --store .wfc/store.sqlite\n")
    var message: String
}

struct UnsupportedStoreBackend: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7015", name: "unsupported-store-backend", summary: "The store is a URL whose scheme this build has no backend for.",
        explanation: """
            --store and $WFC_STORE take a file path (or a `file://` URL) of a SQLite store, or a \
            `postgres://` URL of a PostgreSQL store. A location like `mysql://user@host/db` names a \
            server backend this build does not have: it is refused instead of being taken as a \
            path. Exit status 2.
            """,
        example: "$ wfc case list --store mysql://hr@db.internal/wfc\n", fix: "$ wfc case list --store postgres://hr@db.internal/wfc\n")
    var message: String
}

struct CheckpointInvalid: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7016", name: "checkpoint-invalid", summary: "A checkpoint or its key cannot be used: missing, malformed, or a signature that does not verify.",
        explanation: """
            `wfc case checkpoint --key FILE` signs the chain heads of all cases with an Ed25519 \
            private key (created by `--new-key FILE`, mode 0600, never overwritten; refused when \
            others may read it). `wfc case verify --checkpoint FILE --public-key FILE.pub` first \
            checks the signature with the public key it is given: a changed checkpoint, one signed \
            by another key, or an unreadable file is this error (exit status 1), and no case is \
            checked against it.
            """,
        example: "$ wfc case verify --checkpoint cp.json --public-key other.pub\n",
        fix: "$ wfc case verify --checkpoint cp.json --public-key checkpoint.key.pub\n")
    var message: String
}

struct CheckpointMismatch: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7017", name: "checkpoint-mismatch", summary: "`wfc case verify --checkpoint`: a case lost or changed events up to a signed checkpoint.",
        explanation: """
            A signed checkpoint records each case's last event number and hash and its pinned \
            definition. The intact log must still reach that event with that hash: fewer events \
            (trailing events deleted and the head fixed), another hash (a chain rewritten and \
            re-hashed) or a missing case means the store was changed outside wfc, although each \
            chain may link. Exit status 1. Events after the checkpoint are checked by the chain and \
            the replay only.
            """,
        example: "(the last events of C1 deleted, head_seq and head_hash fixed)\n$ wfc case verify --checkpoint cp.json --public-key k.pub\n",
        fix: "(restore the store from a backup)\n")
    var message: String
}

struct DatabaseUnavailable: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7020", name: "database-unavailable", summary: "The database server cannot be reached or closed the connection. Safe to retry.",
        explanation: """
            A PostgreSQL store (`--store postgres://…`) is a server: it may restart, fail over or \
            be out of reach. A call that loses its connection is rolled back by the server, so \
            nothing half-written remains; the pool opens new connections for the next call. The \
            command ends with exit status 3 (HTTP 503 with `retryable`); run it again. A step whose \
            COMMIT was sent but not acknowledged may have committed: give --key so that the retry \
            returns the first outcome instead of a second step.
            """,
        example: "$ wfc case list --store postgres://wfc_app@db.internal/wfc   # while PostgreSQL restarts\n",
        fix: "(wait until the server is back, then run the command again)\n")
    var message: String
}

struct DatabaseTimeout: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7021", name: "database-timeout", summary: "A database call did not finish in time. Safe to retry.",
        explanation: """
            Every call to a PostgreSQL store has deadlines: the server's `statement_timeout` (10 s) \
            and the client's deadline for the whole call (30 s, waiting for a connection \
            included), so that a request never hangs. A call that runs out is rolled back and ends \
            with this diagnostic (exit status 1, HTTP 409 with `retryable`). A row lock held longer \
            than `lock_timeout` (5 s) is WFC7004 instead.
            """,
        example: "$ wfc case tick --store postgres://wfc_app@db.internal/wfc   # the server is overloaded\n",
        fix: "(run the command again; find what loads the server: pg_stat_activity)\n")
    var message: String
}

struct SchemaTooNew: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7022", name: "store-schema-too-new", summary: "The database was migrated by a newer wfc; it is refused, not misread.",
        explanation: """
            A PostgreSQL store records the migrations applied to it in the table `schema_version`. \
            A database whose version is higher than this wfc knows was written by a newer wfc, \
            whose rows this one could misread or break: it is refused before anything is read or \
            written. Exit status 3. Upgrade every server to the newer wfc.
            """,
        example: "$ wfc case list --store postgres://wfc_app@db.internal/wfc   # after a newer wfc migrated it\n",
        fix: "(upgrade wfc, then run the command again)\n")
    var message: String
}

struct InvalidStoreURL: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7023", name: "invalid-store-url", summary: "A postgres:// store location is malformed.",
        explanation: """
            A PostgreSQL store is named `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, with \
            optional `?sslmode=disable|prefer|require`, `schema=NAME` (wfc's tables in a schema of \
            their own) and `application_name=NAME`. A location without a user, host or database, \
            with another parameter, or with a database that does not exist is refused before \
            anything is written. The password is never shown (also `$PGPASSWORD`). Exit status 2.
            """,
        example: "$ wfc case list --store postgres://db.internal/wfc\n", fix: "$ wfc case list --store postgres://wfc_app@db.internal/wfc\n")
    var message: String
}

struct DatabasePermissionDenied: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC7024", name: "database-permission-denied", summary: "The database role may not do what wfc asked (say, create or migrate the tables).",
        explanation: """
            wfc connects to PostgreSQL as a role with least privilege: it may read and write the \
            tables and insert into the audit log, but not change the schema or update or delete \
            the log. Migrations run as a separate owner role: the first wfc started with the \
            owner's URL creates or migrates the tables, and servers then run with the app role's. \
            A failed login is this error too. Exit status 3. See docs/store.md, "PostgreSQL".
            """,
        example: "$ wfc serve --store postgres://wfc_app@db.internal/wfc --jwt-secret-file jwt.key   # tables not created yet\n",
        fix: "$ wfc case list --store postgres://wfc_owner@db.internal/wfc   # creates the tables once\n$ wfc serve --store postgres://wfc_app@db.internal/wfc --jwt-secret-file jwt.key\n")
    var message: String
}
