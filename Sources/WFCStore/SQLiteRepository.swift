import Foundation
import GRDB
@_exported import WFCLedger
import WFCIR
import WFCRuntime

/// The SQLite case repository (GRDB, WAL journal): the rows of the ``Ledger``. Safe to share
/// between threads and tasks and to open from several processes at once: writers serialise on
/// SQLite's write lock (each write is one `BEGIN IMMEDIATE` transaction) and detect lost
/// updates with a version check. See docs/store.md.
public final class SQLiteRepository: CaseRepository {
    /// How hard a commit waits for the disk (`PRAGMA synchronous`).
    public enum Durability: String, Sendable {
        /// fsync on every commit: a committed transition survives power loss. The default.
        case full = "FULL"
        /// WAL's NORMAL: a committed transition survives a process crash, not a power loss.
        case normal = "NORMAL"
    }

    /// The database file.
    public let path: String
    public let durability: Durability
    /// Opened for reading only: nothing is created, migrated or written. (False when read-only
    /// was asked of a store whose schema had still to be created.)
    public let readOnly: Bool
    /// Opened read-only before its service migration (`v2`): a store written by an older wfc,
    /// read as it is. It has no task index and numbers its definitions on the fly; the next
    /// writable open migrates it.
    let legacy: Bool
    let pool: any DatabaseWriter

    /// The documented default location: `option` (`--store`), else `$WFC_STORE`, else
    /// `./.wfc/store.sqlite`.
    public static func defaultPath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["WFC_STORE"], !env.isEmpty { return env }
        return ".wfc/store.sqlite"
    }

    /// Refuses a store location written as a URL (`postgres://…`): this build has only the
    /// SQLite backend, which takes a file path (`file://` URLs included).
    public static func checkLocation(_ location: String) throws(StoreError) {
        guard let sep = location.range(of: "://") else { return }
        let scheme = location[..<sep.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return }
        if scheme.lowercased() == "file" { return }
        throw .unsupportedBackend(location: location, scheme: scheme.lowercased())
    }

    /// The file a location names: a path, or the path of a `file://` URL.
    public static func filePath(_ location: String) -> String {
        guard location.lowercased().hasPrefix("file://") else { return location }
        return URL(string: location)?.path ?? String(location.dropFirst("file://".count))
    }

    /// Opens the store file. Writable (the default): creates the file and its folder when needed and
    /// migrates the schema, safely when several processes create one store at once; a file
    /// that is neither empty nor a wfc store is refused untouched. `readOnly`: the file must
    /// exist; nothing is written, so an archived copy (read-only file or folder) can be read
    /// and verified — except a store whose schema is not created yet (another process is
    /// creating it), which is opened as a writer. `busyTimeout` is how long a writer waits for
    /// another process's write lock.
    public init(path location: String, durability: Durability = .full, busyTimeout: TimeInterval = 10, readOnly: Bool = false) throws(StoreError) {
        try Self.checkLocation(location)
        let path = Self.filePath(location)
        self.path = path
        self.durability = durability
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .io("opening \(path): it is a folder, not a store file")
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        if readOnly, let (q, legacy) = try Self.openReadOnly(path, config) {
            pool = q
            self.readOnly = true
            self.legacy = legacy
            return
        }
        // Writable; or read-only asked of a store whose schema another process is still
        // creating: it is waited for and completed like a writer.
        self.readOnly = false
        self.legacy = false
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(dir.path): \(error.localizedDescription)")
        }
        // Look before writing anything: opening a pool would switch another application's
        // database to WAL and leave files next to it.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            var look = config
            look.readonly = true
            do {
                let kind = try DatabaseQueue(path: path, configuration: look).read(Schema.classify)
                if case .foreign(let why) = kind { throw StoreError.notAStore(path: path, reason: why) }
            } catch {
                throw Self.map(error, "opening \(path)")
            }
        }
        let sync = durability.rawValue
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(sync)")
        }
        pool = try Self.openWritable(path, config, synchronous: sync, busyTimeout: busyTimeout)
    }

    /// Opens the pool and creates or migrates the schema. Processes creating a new store at once
    /// can find it locked without waiting (the switch to WAL, a lock upgrade): such an open is
    /// retried until the busy timeout.
    static func openWritable(_ path: String, _ config: Configuration, synchronous sync: String, busyTimeout: TimeInterval) throws(StoreError) -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let p = try DatabasePool(path: path, configuration: config)
                // DatabasePool sets NORMAL on its writer after prepareDatabase; only the writer commits.
                try p.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = \(sync)")
                    try db.inTransaction(.immediate) {
                        try Schema.migrate(db, path: path)
                        return .commit
                    }
                }
                return p
            } catch let e as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(e.resultCode) && Date() < deadline {
                usleep(UInt32.random(in: 2_000...20_000))
            } catch {
                throw map(error, "opening \(path)")
            }
        }
    }

    /// A read-only connection to an existing store (no WAL switch, no migration, no pragma that
    /// writes), and whether it still lacks the service migration (`v2`, see ``legacy``).
    /// Nil when the schema must still be created.
    static func openReadOnly(_ path: String, _ base: Configuration) throws(StoreError) -> (DatabaseQueue, Bool)? {
        var config = base
        config.readonly = true
        do {
            var q: DatabaseQueue
            var kind: Schema.Kind
            do {
                q = try DatabaseQueue(path: path, configuration: config)
                kind = try q.read(Schema.classify)
            } catch let e as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(e.resultCode) {
                // A WAL store in a folder this user cannot write, with no `-shm` file: SQLite
                // cannot make its shared-memory index. Without a `-wal` file nobody is writing
                // it, so it is read as an immutable file (an archived copy).
                guard !FileManager.default.fileExists(atPath: path + "-wal"),
                      let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else { throw e }
                q = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: config)
                kind = try q.read(Schema.classify)
            }
            switch kind {
            // `v3` only lets the log hold `migrate` events: a reader needs nothing from it.
            // `v4` adds substitutes and `acting_for`: a reader finds none (see ``substitutions(_:)``).
            // `v5` adds web sessions: a reader finds none (see ``session(idHash:now:)``).
            // `v6` only re-keys the task index: a reader reads its columns by name either way.
            case .store(let pending) where pending.allSatisfy({ ["v3", "v4", "v5", "v6"].contains($0) }): return (q, false)
            // An archived store of an older wfc is read without migrating it.
            case .store(let pending) where pending.first == "v2" && pending.allSatisfy({ ["v2", "v3", "v4", "v5", "v6"].contains($0) }): return (q, true)
            case .store, .empty: return nil
            case .newer(let ids): throw StoreError.corrupt("\(path) was written by a newer wfc (unknown schema migrations \(ids.joined(separator: ", ")))")
            case .foreign(let why): throw StoreError.notAStore(path: path, reason: why)
            }
        } catch {
            throw map(error, "opening \(path)")
        }
    }

    // MARK: - Cases

    public func loadCase(_ id: String) async throws(StoreError) -> CaseRecord {
        try await read { db in try Self.caseRecord(id, db) }
    }

    public func loadCase(_ id: String, idempotencyKey key: String?) async throws(StoreError) -> (CaseRecord, AuditEvent?) {
        try await read { db in
            let record = try Self.caseRecord(id, db)
            guard let key else { return (record, nil) }
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM events WHERE case_id = ? AND idempotency_key = ?"), arguments: [id, key])
            return (record, try row.map(Self.audit))
        }
    }

    /// The case row of `id`, or `notFound`. Columns by position (by name, GRDB lowercases each
    /// name on every lookup): this read is on every step's path.
    static func caseRecord(_ id: String, _ db: Database) throws -> CaseRecord {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, workflow_id, definition_hash, version, status, active, snapshot, created_at, updated_at, next_due, head_seq, head_hash
            FROM cases WHERE id = ?
            """), arguments: [id]) else {
            throw StoreError.notFound(caseID: id)
        }
        func text(_ i: Int) -> String? {
            if case .string(let s) = (row[i] as DatabaseValue).storage { return s }
            return nil
        }
        func n(_ i: Int) -> Int? { int((row[i] as DatabaseValue).storage) }
        return CaseRecord(id: text(0) ?? "", workflow: text(1), definitionHash: text(2), version: n(3), status: text(4), active: text(5),
                          snapshot: text(6), createdAt: text(7), updatedAt: text(8), nextDue: text(9), headSeq: n(10), headHash: text(11))
    }

    public func caseExists(_ id: String) async throws(StoreError) -> Bool {
        try await read { db in try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [id]) != nil }
    }

    public func insertCase(_ new: NewCase) async throws(StoreError) {
        try await write { db in
            _ = try Self.putDefinition(new.definition, db)
            if try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [new.id]) != nil {
                throw StoreError.alreadyExists(caseID: new.id)
            }
            let c = new.columns
            try db.execute(sql: """
                INSERT INTO cases (id, workflow_id, definition_hash, version, status, active, snapshot, created_at, updated_at, next_due, head_seq, head_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [new.id, new.definition.workflow, new.definition.hash, c.version, c.status, c.active, c.snapshot,
                                 new.createdAt, c.updatedAt, c.nextDue, new.event.seq, new.event.hash])
            try Self.insert(new.event, db)
            try Self.replaceTimers(new.id, new.timers, db)
            try Self.replaceTasks(new.id, new.tasks, db)
            try Self.insertOutbox(new.outbox, db)
        }
    }

    public func append(_ p: Append) async throws(StoreError) {
        try await write { db in try Self.apply(p, db) }
    }

    /// Group commit: every step in ONE IMMEDIATE transaction (one fsync), each inside its own
    /// savepoint, so that a step that conflicts (or whose case is gone) is rolled back alone and
    /// the others commit. Any other error rolls the whole transaction back and fails every step.
    public func appendAll(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        guard !steps.isEmpty else { return [] }
        do {
            return try await write { db in try Self.applyAll(steps, db) }
        } catch {
            return Array(repeating: .failure(error), count: steps.count)
        }
    }

    /// ``appendAll(_:)`` on the calling thread (GRDB's synchronous write): for a lone caller,
    /// whose thread has nothing else to do meanwhile, this saves the two thread switches of the
    /// async write, which cost more than the step's SQL. Under load the ledger's writer task
    /// uses ``appendAll(_:)``, which keeps the pool's threads free while SQLite syncs.
    public func appendAllNow(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        guard !steps.isEmpty else { return [] }
        do {
            return try writeOnThisThread { db in try Self.applyAll(steps, db) }
        } catch {
            return Array(repeating: .failure(error), count: steps.count)
        }
    }

    /// The steps in the open transaction: one step is the transaction; several get a savepoint
    /// each, so that a conflicting step is rolled back alone.
    static func applyAll(_ steps: [Append], _ db: Database) throws -> [Result<Void, StoreError>] {
        if steps.count == 1 {
            try apply(steps[0], db)
            return [.success(())]
        }
        var out: [Result<Void, StoreError>] = []
        out.reserveCapacity(steps.count)
        for step in steps {
            do {
                try SQLiteStep.run(db, "SAVEPOINT step")
                do {
                    try apply(step, db)
                } catch {
                    // The step's own error is the one to report: after an I/O error SQLite may
                    // have rolled the whole transaction back, and the savepoint is gone.
                    try? SQLiteStep.run(db, "ROLLBACK TO SAVEPOINT step")
                    try? SQLiteStep.run(db, "RELEASE SAVEPOINT step")
                    throw error
                }
                try SQLiteStep.run(db, "RELEASE SAVEPOINT step")
                out.append(.success(()))
            } catch let e as StoreError where e.kind == .conflict || e.kind == .notFound {
                out.append(.failure(e))
            }
        }
        return out
    }

    /// The writes of one step. Throws `conflict` (rolling the transaction back) when the case
    /// moved on since it was read.
    static func apply(_ p: Append, _ db: Database) throws {
        let a = p.event
        try SQLiteStep.run(db, updateSQL(p)) { b in
            if let s = p.columns {
                if let hash = p.definitionHash { b.text(hash) }
                b.int(s.version); b.text(s.status); b.text(s.active); b.text(s.snapshot); b.text(s.updatedAt)
                if !p.nextDueUnchanged { b.text(s.nextDue) }
            }
            b.int(a.seq); b.text(a.hash); b.text(p.caseID); b.int(p.expectedVersion); b.int(p.expectedHeadSeq); b.text(a.prevHash)
            if let snapshot = p.expectedSnapshot { b.text(snapshot) }
        }
        guard db.changesCount == 1 else {
            let now = try Row.fetchOne(db, sql: "SELECT version, head_seq FROM cases WHERE id = ?", arguments: [p.caseID])
            guard let now else { throw StoreError.notFound(caseID: p.caseID) }
            let v = (now["version"] as DatabaseValue).storage
            let h = (now["head_seq"] as DatabaseValue).storage
            throw StoreError.conflict(caseID: p.caseID, expectedVersion: p.expectedVersion,
                                      message: "another writer committed first (now version \(Self.int(v) ?? -1), event \(Self.int(h) ?? -1)); nothing was recorded, run it again")
        }
        do {
            try insert(a, db)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            // The idempotency key was used before: a step prepared from the ledger's cache
            // finds it here, and the ledger returns the stored outcome.
            throw StoreError.conflict(caseID: p.caseID, expectedVersion: p.expectedVersion, message: "event \(a.seq) or its key was recorded meanwhile; nothing was recorded, run it again")
        }
        if let t = p.timers { try replaceTimers(p.caseID, t, db) }
        if let t = p.tasks { try replaceTasks(p.caseID, t, db) }
        try insertOutbox(p.outbox, db)
    }

    /// The UPDATE of the case row for `p`: only the columns the step changes (naming a column
    /// rewrites its index entries even with the same value: one more page per index), only if
    /// the case is still where the step read it.
    static func updateSQL(_ p: Append) -> String {
        var set = ""
        if p.columns != nil {
            if p.definitionHash != nil { set += "definition_hash = ?, " }
            set += "version = ?, status = ?, active = ?, snapshot = ?, updated_at = ?, "
            if !p.nextDueUnchanged { set += "next_due = ?, " }
        }
        set += "head_seq = ?, head_hash = ?"
        // The chain head too: a step read before a lost commit (a restored backup) must not
        // chain onto a head the store does not have.
        return "UPDATE cases SET \(set) WHERE id = ? AND version = ? AND head_seq = ? AND head_hash = ?" + (p.expectedSnapshot == nil ? "" : " AND snapshot = ?")
    }

    public func event(_ caseID: String, idempotencyKey key: String) async throws(StoreError) -> AuditEvent? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE case_id = ? AND idempotency_key = ?", arguments: [caseID, key]).map(Self.audit)
        }
    }

    public func events(_ caseID: String) async throws(StoreError) -> [AuditRow] {
        try await read { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [caseID]) != nil else { throw StoreError.notFound(caseID: caseID) }
            return try Self.events(caseID, db)
        }
    }

    static func events(_ caseID: String, _ db: Database) throws -> [AuditRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY seq", arguments: [caseID]).map { r in
            do throws(StoreError) { return .success(try audit(r)) } catch { return .failure(error) }
        }
    }

    public func caseRows(_ caseID: String) async throws(StoreError) -> CaseRows {
        let legacy = legacy, versionColumn = versionColumn
        return try await read { db in
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE id = ?", arguments: [caseID]) else { throw StoreError.notFound(caseID: caseID) }
            let record = Self.caseRecord(c)
            let timers = try Row.fetchAll(db, sql: "SELECT state, kind, due, fired FROM timers WHERE case_id = ?", arguments: [caseID]).map { r in
                TimerRow(state: Self.lenientText(r, "state"), kind: Self.lenientText(r, "kind"), due: Self.lenientText(r, "due"),
                         fired: Self.int((r["fired"] as DatabaseValue).storage).map { $0 != 0 })
            }
            let tasks = legacy ? nil : try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE case_id = ?", arguments: [caseID]).map(Self.taskRow)
            var definition: DefinitionRecord?
            if let h = record.definitionHash {
                definition = try Row.fetchOne(db, sql: "SELECT hash, workflow_id, \(versionColumn), created_at FROM definitions WHERE hash = ?", arguments: [h])
                    .map { Self.definitionRecord($0, ir: nil) }
            }
            return CaseRows(record: record, events: try Self.events(caseID, db), timers: timers, tasks: tasks, definition: definition)
        }
    }

    public func listCases(_ q: CaseQuery) async throws(StoreError) -> [CaseSummary] {
        let rows = try await read { db in
            var sql = """
                SELECT c.id, c.workflow_id, c.definition_hash, c.version, c.status, c.active, c.next_due, c.created_at, c.updated_at,
                       (SELECT MIN(due) FROM timers WHERE case_id = c.id AND kind = 'deadline' AND due <= ?) AS overdue_since
                FROM cases c
                """
            var args: [any DatabaseValueConvertible] = [q.now]
            var conditions: [String] = []
            if let w = q.workflow { conditions.append("c.workflow_id = ?"); args.append(w) }
            if let s = q.status { conditions.append("c.status = ?"); args.append(s) }
            if let s = q.state { conditions.append("EXISTS (SELECT 1 FROM json_each(c.active) WHERE value = ?)"); args.append(s) }
            if let p = q.participant { conditions.append("EXISTS (SELECT 1 FROM json_each(c.snapshot, '$.people') WHERE value = ?)"); args.append(p) }
            if q.overdue { conditions.append("c.status = 'running' AND overdue_since IS NOT NULL") }
            if let k = q.after {
                conditions.append("(c.created_at < ? OR (c.created_at = ? AND c.id < ?))")
                args += [k.createdAt, k.createdAt, k.id]
            }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY c.created_at DESC, c.id DESC"
            if let l = q.limit { sql += " LIMIT ?"; args.append(l) }
            return Fetched(try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)))
        }.rows
        return try rows.map { r throws(StoreError) in
            CaseSummary(id: try Self.text(r, "id"), workflow: try Self.text(r, "workflow_id"), definitionHash: try Self.text(r, "definition_hash"),
                        version: try Self.integer(r, "version"), status: try Self.text(r, "status"),
                        active: try CanonicalJSON.decode([String].self, try Self.text(r, "active"), what: "active states"),
                        nextDue: try Self.optionalText(r, "next_due"), overdueSince: try Self.optionalText(r, "overdue_since"),
                        createdAt: try Self.text(r, "created_at"), updatedAt: try Self.text(r, "updated_at"))
        }
    }

    public func dueCases(now: String, limit: Int?) async throws(StoreError) -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM cases WHERE status = 'running' AND next_due IS NOT NULL AND next_due <= ? ORDER BY next_due, id LIMIT ?",
                                arguments: [now, limit ?? -1])
        }
    }

    public func claimDueCases(now: String, owner: String, until: String, limit: Int) async throws(StoreError) -> [String] {
        try await write { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT c.id FROM cases c LEFT JOIN timer_leases l ON l.case_id = c.id
                WHERE c.status = 'running' AND c.next_due IS NOT NULL AND c.next_due <= ?
                  AND (l.case_id IS NULL OR l.until <= ? OR l.owner = ?)
                ORDER BY c.next_due, c.id LIMIT ?
                """, arguments: [now, now, owner, limit])
            let lease = try db.cachedStatement(sql: """
                INSERT INTO timer_leases (case_id, owner, until) VALUES (?, ?, ?)
                ON CONFLICT (case_id) DO UPDATE SET owner = excluded.owner, until = excluded.until
                """)
            for id in ids { try lease.execute(arguments: [id, owner, until]) }
            return ids
        }
    }

    public func caseIDs() async throws(StoreError) -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT id FROM cases ORDER BY id") }
    }

    public func heads() async throws(StoreError) -> [HeadRecord] {
        let rows = try await read { db in
            Fetched(try Row.fetchAll(db, sql: """
                SELECT c.id, c.head_seq, c.head_hash, c.definition_hash, e.hash AS last_hash,
                       (SELECT MAX(seq) FROM events WHERE case_id = c.id) AS max_seq
                FROM cases c LEFT JOIN events e ON e.case_id = c.id AND e.seq = c.head_seq
                ORDER BY c.id
                """))
        }.rows
        return try rows.map { r throws(StoreError) in
            HeadRecord(head: Checkpoint.Head(caseID: try Self.text(r, "id"), seq: try Self.integer(r, "head_seq"),
                                             headHash: try Self.text(r, "head_hash"), definitionHash: try Self.text(r, "definition_hash")),
                       eventHash: try Self.optionalText(r, "last_hash"), maxSeq: try Self.optionalInteger(r, "max_seq"))
        }
    }

    // MARK: - Definitions

    public func putDefinition(_ d: DefinitionRecord) async throws(StoreError) -> DeployedDefinition {
        try await write { db in try Self.putDefinition(d, db) }
    }

    /// Inserts a definition with the next version of its workflow, unless its hash is known.
    /// Inside the caller's IMMEDIATE transaction, so that two writers never take one number.
    static func putDefinition(_ d: DefinitionRecord, _ db: Database) throws -> DeployedDefinition {
        if let row = try Row.fetchOne(db, sql: "SELECT hash, workflow_id, version, created_at FROM definitions WHERE hash = ?", arguments: [d.hash]) {
            return try deployed(row)
        }
        guard let workflow = d.workflow, let ir = d.irJSON, let created = d.createdAt else {
            throw StoreError.invalidArgument("a definition needs its workflow, IR and time to be stored")
        }
        let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM definitions WHERE workflow_id = ?", arguments: [workflow]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO definitions (hash, workflow_id, ir_json, created_at, version) VALUES (?, ?, ?, ?, ?)",
                       arguments: [d.hash, workflow, ir, created, version])
        return DeployedDefinition(hash: d.hash, workflow: workflow, version: version, createdAt: created)
    }

    /// The `version` of a definitions row; computed as the migration numbers them in a legacy store.
    var versionColumn: String {
        legacy ? """
            (SELECT COUNT(*) FROM definitions d WHERE d.workflow_id = definitions.workflow_id
             AND (d.created_at < definitions.created_at OR (d.created_at = definitions.created_at AND d.hash <= definitions.hash))) AS version
            """ : "version"
    }

    public func definition(hash: String, withIR: Bool) async throws(StoreError) -> DefinitionRecord? {
        let versionColumn = versionColumn
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT hash, workflow_id, \(versionColumn), created_at\(withIR ? ", ir_json" : "") FROM definitions WHERE hash = ?", arguments: [hash])
                .map { Self.definitionRecord($0, ir: withIR ? Self.lenientText($0, "ir_json") : nil) }
        }
    }

    public func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] {
        let columns = "SELECT hash, workflow_id, \(versionColumn), created_at FROM definitions"
        let rows = try await read { db in
            if let workflow {
                return Fetched(try Row.fetchAll(db, sql: "\(columns) WHERE workflow_id = ? ORDER BY version DESC", arguments: [workflow]))
            }
            return Fetched(try Row.fetchAll(db, sql: "\(columns) ORDER BY created_at DESC, workflow_id, version DESC"))
        }.rows
        return try rows.map(Self.deployed)
    }

    static func deployed(_ r: Row) throws(StoreError) -> DeployedDefinition {
        DeployedDefinition(hash: try text(r, "hash"), workflow: try text(r, "workflow_id"), version: try integer(r, "version"), createdAt: try text(r, "created_at"))
    }

    static func definitionRecord(_ r: Row, ir: String?) -> DefinitionRecord {
        DefinitionRecord(hash: lenientText(r, "hash") ?? "", workflow: lenientText(r, "workflow_id"), irJSON: ir,
                         version: int((r["version"] as DatabaseValue).storage), createdAt: lenientText(r, "created_at"))
    }

    public func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) {
        try await write { db in
            for f in files {
                try db.execute(sql: "INSERT OR IGNORE INTO sources (definition_hash, ir_file, path, text) VALUES (?, ?, ?, ?)",
                               arguments: [definitionHash, f.irFile, f.path, f.text])
            }
        }
    }

    public func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] {
        let rows = try await read { db in
            Fetched(try Row.fetchAll(db, sql: "SELECT ir_file, path, text FROM sources WHERE definition_hash = ? ORDER BY ir_file", arguments: [definitionHash]))
        }.rows
        return try rows.map { r throws(StoreError) in
            PolicySource(irFile: try Self.text(r, "ir_file"), path: try Self.text(r, "path"), text: try Self.text(r, "text"))
        }
    }

    // MARK: - Tasks and outbox

    public func tasks(person: String) async throws(StoreError) -> [PersonTask] {
        if legacy { throw .invalidArgument("\(path) was written by an older wfc and has no task index yet; a writing command (or opening it writable) migrates it") }
        let rows = try await read { db in
            Fetched(try Row.fetchAll(db, sql: """
                SELECT t.*, c.workflow_id, c.definition_hash FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.person = ? AND c.status = 'running'
                ORDER BY t.due IS NULL, t.due, t.case_id, t.state, t.item, t.role
                """, arguments: [person]))
        }.rows
        return try rows.map { r throws(StoreError) in
            let t = Self.taskRow(r)
            var task = PersonTask(caseID: try Self.text(r, "case_id"), workflow: try Self.text(r, "workflow_id"), state: t.state, title: t.title,
                                  item: t.item, role: t.role, events: t.events, due: t.due)
            task.definition = Self.lenientText(r, "definition_hash")
            return task
        }
    }

    public func claimOutbox(owner: String, limit: Int, now: String, until: String) async throws(StoreError) -> [OutboxEntry] {
        try await write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, case_id, seq, kind, payload, attempts, created_at FROM outbox
                WHERE delivered_at IS NULL AND available_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY available_at, created_at, id LIMIT ?
                """, arguments: [now, now, limit])
            let claim = try db.cachedStatement(sql: "UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?")
            return try rows.map { r in
                let id = try Self.text(r, "id")
                try claim.execute(arguments: [owner, until, id])
                return OutboxEntry(id: id, caseID: try Self.text(r, "case_id"), seq: try Self.integer(r, "seq"), kind: try Self.text(r, "kind"),
                                   payload: try Self.text(r, "payload"), attempts: try Self.integer(r, "attempts") + 1, createdAt: try Self.text(r, "created_at"))
            }
        }
    }

    public func markDelivered(_ ids: [String], at: String) async throws(StoreError) {
        try await write { db in
            let done = try db.cachedStatement(sql: "UPDATE outbox SET delivered_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND delivered_at IS NULL")
            for id in ids { try done.execute(arguments: [at, id]) }
        }
    }

    public func retryOutbox(_ id: String, notBefore: String, error: String) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "UPDATE outbox SET available_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND delivered_at IS NULL",
                           arguments: [notBefore, error, id])
        }
    }

    // MARK: - SQL helpers

    static func insert(_ a: AuditEvent, _ db: Database) throws {
        try SQLiteStep.run(db, """
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.text(a.caseID); b.int(a.seq); b.text(a.kind.rawValue); b.text(a.name); b.text(a.actor); b.text(a.role); b.int(a.item)
            b.text(a.payload); b.text(a.idempotencyKey); b.text(a.time); b.text(a.outcome); b.text(a.prevHash); b.text(a.hash); b.text(a.actingFor)
        }
    }

    static func replaceTimers(_ caseID: String, _ timers: [TimerRow], _ db: Database) throws {
        try SQLiteStep.run(db, "DELETE FROM timers WHERE case_id = ?") { $0.text(caseID) }
        for t in timers {
            try SQLiteStep.run(db, "INSERT INTO timers (case_id, state, kind, due, fired) VALUES (?, ?, ?, ?, ?)") { b in
                b.text(caseID); b.text(t.state); b.text(t.kind); b.text(t.due); b.int(t.fired.map { $0 ? 1 : 0 })
            }
        }
    }

    static func replaceTasks(_ caseID: String, _ tasks: [TaskRow], _ db: Database) throws {
        try SQLiteStep.run(db, "DELETE FROM tasks WHERE case_id = ?") { $0.text(caseID) }
        for (n, t) in tasks.enumerated() {
            let events = try CanonicalJSON.encode(t.events)
            try SQLiteStep.run(db, "INSERT INTO tasks (case_id, n, person, role, state, title, item, events, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") { b in
                b.text(caseID); b.int(n); b.text(t.person); b.text(t.role); b.text(t.state); b.text(t.title); b.int(t.item); b.text(events); b.text(t.due)
            }
        }
    }

    static func insertOutbox(_ entries: [OutboxEntry], _ db: Database) throws {
        guard !entries.isEmpty else { return }
        for e in entries {
            try SQLiteStep.run(db, "INSERT INTO outbox (id, case_id, seq, kind, payload, attempts, created_at, available_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)") { b in
                b.text(e.id); b.text(e.caseID); b.int(e.seq); b.text(e.kind); b.text(e.payload); b.text(e.createdAt); b.text(e.createdAt)
            }
        }
    }

    static func taskRow(_ r: Row) -> TaskRow {
        let events = lenientText(r, "events").flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return TaskRow(person: lenientText(r, "person") ?? "", role: lenientText(r, "role") ?? "", state: lenientText(r, "state") ?? "",
                       title: lenientText(r, "title"), item: int((r["item"] as DatabaseValue).storage), events: events, due: lenientText(r, "due"))
    }

    /// A case row with every column as stored: NULL and values of the wrong type read as nil.
    static func caseRecord(_ r: Row) -> CaseRecord {
        func n(_ c: String) -> Int? { int((r[c] as DatabaseValue).storage) }
        return CaseRecord(id: lenientText(r, "id") ?? "", workflow: lenientText(r, "workflow_id"), definitionHash: lenientText(r, "definition_hash"),
                          version: n("version"), status: lenientText(r, "status"), active: lenientText(r, "active"), snapshot: lenientText(r, "snapshot"),
                          createdAt: lenientText(r, "created_at"), updatedAt: lenientText(r, "updated_at"), nextDue: lenientText(r, "next_due"),
                          headSeq: n("head_seq"), headHash: lenientText(r, "head_hash"))
    }

    /// An audit row, decoded without trusting its types (rows may have been edited by hand).
    static func audit(_ r: Row) throws(StoreError) -> AuditEvent {
        let kindText = try text(r, "kind")
        guard let kind = AuditKind(rawValue: kindText) else { throw StoreError.corrupt("unknown event kind `\(kindText)`") }
        return AuditEvent(caseID: try text(r, "case_id"), seq: try integer(r, "seq"), kind: kind, name: try text(r, "name"),
                          actor: try optionalText(r, "actor"), role: try optionalText(r, "role"), item: try optionalInteger(r, "item"),
                          payload: try text(r, "payload"), idempotencyKey: try optionalText(r, "idempotency_key"), time: try text(r, "time"),
                          outcome: try text(r, "outcome"), prevHash: try text(r, "prev_hash"), hash: try text(r, "hash"),
                          actingFor: r.hasColumn("acting_for") ? try optionalText(r, "acting_for") : nil)
    }

    static func int(_ s: DatabaseValue.Storage) -> Int? {
        if case .int64(let i) = s { return Int(exactly: i) }
        return nil
    }

    static func lenientText(_ r: Row, _ column: String) -> String? {
        if case .string(let s) = (r[column] as DatabaseValue).storage { return s }
        return nil
    }

    static func optionalText(_ r: Row, _ column: String) throws(StoreError) -> String? {
        switch (r[column] as DatabaseValue).storage {
        case .null: return nil
        case .string(let s): return s
        default: throw .corrupt("column `\(column)` is not text")
        }
    }

    static func text(_ r: Row, _ column: String) throws(StoreError) -> String {
        guard let s = try optionalText(r, column) else { throw StoreError.corrupt("column `\(column)` is NULL") }
        return s
    }

    static func optionalInteger(_ r: Row, _ column: String) throws(StoreError) -> Int? {
        let s = (r[column] as DatabaseValue).storage
        if case .null = s { return nil }
        guard let i = int(s) else { throw StoreError.corrupt("column `\(column)` is not an integer") }
        return i
    }

    static func integer(_ r: Row, _ column: String) throws(StoreError) -> Int {
        guard let i = try optionalInteger(r, column) else { throw StoreError.corrupt("column `\(column)` is NULL") }
        return i
    }

    /// Runs `body` on a reader on the calling thread. A WAL read never waits for a lock (and a
    /// reader of the pool is held only while a synchronous body runs), so blocking here is
    /// short; GRDB's async read would cost two thread switches, which were most of a cached
    /// step's time (BENCHMARKS.md, "Case store").
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try readOnThisThread(body) } catch { throw Self.map(error, "reading \(path)") }
    }

    /// ``write(_:)`` on the calling thread, blocking it while SQLite commits (or waits for
    /// another process's lock): only for ``appendAllNow(_:)``.
    func writeOnThisThread<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in try Self.immediate(db, body) }
        } catch {
            throw Self.map(error, "writing \(path)")
        }
    }

    /// `body` in one IMMEDIATE transaction: the write lock is taken first, so a writer never
    /// fails half-way on an upgrade from a read lock. BEGIN and COMMIT are cached statements
    /// (GRDB's `inTransaction` parses both again at every step).
    static func immediate<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try SQLiteStep.run(db, "BEGIN IMMEDIATE")
        do {
            let result = try body(db)
            try SQLiteStep.run(db, "COMMIT")
            return result
        } catch {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            throw error
        }
    }

    /// GRDB's synchronous read (an async caller would otherwise get the async overload).
    private func readOnThisThread<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// One IMMEDIATE transaction (``immediate(_:_:)``) on GRDB's writer queue.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.writeWithoutTransaction { db in try Self.immediate(db, body) }
        } catch {
            throw Self.map(error, "writing \(path)")
        }
    }

    static func map(_ error: any Error, _ doing: String) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy("\(doing): \(e.message ?? "database is locked")")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt("\(doing): \(e.message ?? "\(e)")")
            default: return .io("\(doing): \(e.message ?? "\(e)")")
            }
        }
        return .io("\(doing): \(error)")
    }
}

/// Rows fetched with `fetchAll` are independent copies (not a cursor's reused row), so they
/// may leave the database queue; decoding them there keeps the transaction short.
struct Fetched: @unchecked Sendable {
    let rows: [Row]
    init(_ rows: [Row]) { self.rows = rows }
}

extension Ledger {
    /// A ledger over the SQLite store at `sqlitePath` (see
    /// ``SQLiteRepository/init(path:durability:busyTimeout:readOnly:)``).
    public convenience init(sqlitePath: String, durability: SQLiteRepository.Durability = .full, busyTimeout: TimeInterval = 10, readOnly: Bool = false) throws(StoreError) {
        self.init(try SQLiteRepository(path: sqlitePath, durability: durability, busyTimeout: busyTimeout, readOnly: readOnly))
    }
}
