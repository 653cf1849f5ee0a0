import Foundation
import GRDB
import Synchronization
import WFCIR
import WFCRuntime

/// The SQLite case store (GRDB, WAL journal). Safe to share between threads and to open from
/// several processes at once: writers serialise on SQLite's write lock and detect lost updates
/// with a version check. See docs/store.md.
public final class SQLiteCaseStore: CaseStore {
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
    let pool: any DatabaseWriter
    private let definitions = Mutex<[String: Definition]>([:])

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

    /// Opens the store. Writable (the default): creates the file and its folder when needed and
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
        if readOnly, let q = try Self.openReadOnly(path, config) {
            pool = q
            self.readOnly = true
            return
        }
        // Writable; or read-only asked of a store whose schema another process is still
        // creating (or that needs a migration): it is waited for and completed like a writer.
        self.readOnly = false
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
    /// writes).
    /// Nil when the schema must still be created or migrated.
    static func openReadOnly(_ path: String, _ base: Configuration) throws(StoreError) -> DatabaseQueue? {
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
            case .store(let pending) where pending.isEmpty: return q
            case .store, .empty: return nil
            case .newer(let ids): throw StoreError.corrupt("\(path) was written by a newer wfc (unknown schema migrations \(ids.joined(separator: ", ")))")
            case .foreign(let why): throw StoreError.notAStore(path: path, reason: why)
            }
        } catch {
            throw map(error, "opening \(path)")
        }
    }

    // MARK: - Start

    public func start(_ definition: Definition, caseID: String, data: [String: ValueIR], people: [String: String], actor: String?, now: Date) throws(StoreError) -> StartOutcome {
        try Self.checkCaseID(caseID)
        if let actor { try StoredText.check(actor, what: "the actor") }
        for (role, person) in people.sorted(by: { $0.key < $1.key }) {
            try StoredText.check(role, what: "a role name")
            try StoredText.check(person, what: "the person id of role `\(role)`")
        }
        // The engine sees exactly what replay will read back from the log.
        let payloadText = try CanonicalJSON.encode(StartPayload(data: data, people: people))
        let stored = try CanonicalJSON.decode(StartPayload.self, payloadText, what: "start payload")
        let exists = try read { db in try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [caseID]) != nil }
        if exists { throw .alreadyExists(caseID: caseID) }

        let step: Step
        switch Engine.start(definition, caseID: caseID, data: stored.data, people: stored.people, now: now) {
        case .refused(let r): return .refused(r)
        case .accepted(let s): step = s
        }
        var ir = definition.ir
        ir.contentHash = definition.hash
        let irText = try CanonicalJSON.encode(ir)
        let state = try CaseState(definition, step.snapshot)
        var audit = AuditEvent(caseID: caseID, seq: 1, kind: .start, name: "start", actor: actor, role: nil, item: nil,
                               payload: payloadText, idempotencyKey: nil, time: Timestamp(now).description,
                               outcome: try CanonicalJSON.encode(state.outcome(accepted: true)), prevHash: HashChain.genesis, hash: "")
        audit.hash = HashChain.hash(audit)
        let sealed = audit
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO definitions (hash, workflow_id, ir_json, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [definition.hash, definition.ir.id, irText, sealed.time])
            if try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [caseID]) != nil {
                throw StoreError.alreadyExists(caseID: caseID)
            }
            try db.execute(sql: """
                INSERT INTO cases (id, workflow_id, definition_hash, version, status, active, snapshot, created_at, updated_at, next_due, head_seq, head_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseID, definition.ir.id, definition.hash, state.version, state.status, state.activeJSON, state.snapshotJSON,
                                 step.snapshot.createdAt.description, step.snapshot.updatedAt.description, state.nextDue, 1, sealed.hash])
            try Self.insert(sealed, db)
            try Self.replaceTimers(caseID, state.timers, db)
        }
        definitions.withLock { $0[definition.hash] = definition }
        return .started(step, sealed)
    }

    // MARK: - Fire

    /// A transition evaluated against a read snapshot, ready to commit. Splitting ``fire(_:_:now:)``
    /// into ``prepare(_:_:now:)`` and ``commit(_:)`` lets a caller (and the concurrency test)
    /// hold a transition while another writer commits first.
    public struct PreparedTransition: Sendable {
        public let caseID: String
        /// The version and chain head that were read; the commit requires them unchanged.
        public let expectedVersion: Int
        public let expectedHeadSeq: Int
        /// The audit event to append.
        public let audit: AuditEvent
        /// The event as sent (a key used meanwhile must have been used for the same request).
        let request: Event
        let result: StepResult
        /// The new case row; nil for a refusal (only the chain head moves).
        let state: CaseState?
    }

    /// What ``prepare(_:_:now:)`` found.
    public enum Prepared: Sendable {
        case ready(PreparedTransition)
        /// The idempotency key was used before: its stored event.
        case replayed(AuditEvent)
    }

    public func fire(_ caseID: String, _ event: Event, now: Date) throws(StoreError) -> FireOutcome {
        switch try prepare(caseID, event, now: now) {
        case .replayed(let a): return .replayed(a)
        case .ready(let p): return try commit(p)
        }
    }

    /// Reads the case and evaluates `event` without writing anything.
    public func prepare(_ caseID: String, _ event: Event, now: Date) throws(StoreError) -> Prepared {
        if let key = event.idempotencyKey, key.isEmpty { throw .invalidArgument("an idempotency key must not be empty") }
        try Self.checkText(event)
        let payloadText = try CanonicalJSON.encode(event.payload)
        let payload = try CanonicalJSON.decode([String: ValueIR].self, payloadText, what: "event payload")
        let (current, previous) = try read { db throws -> (StoredCase, AuditEvent?) in
            let c = try self.loadCase(caseID, db)
            var previous: AuditEvent?
            if let key = event.idempotencyKey {
                previous = try Row.fetchOne(db, sql: "SELECT * FROM events WHERE case_id = ? AND idempotency_key = ?", arguments: [caseID, key]).map(Self.audit)
            }
            return (c, previous)
        }
        if let previous { return .replayed(try Self.sameRequest(previous, event, payload: payloadText)) }
        var e = event
        e.payload = payload
        let result = Engine.fire(current.definition, current.snapshot, e, now: now)
        var audit = AuditEvent(caseID: caseID, seq: current.headSeq + 1, kind: .event, name: event.name, actor: event.actor, role: event.role,
                               item: event.item, payload: payloadText, idempotencyKey: event.idempotencyKey, time: Timestamp(now).description,
                               outcome: "", prevHash: current.headHash, hash: "")
        let state: CaseState?
        switch result {
        case .accepted(let step):
            var s = try CaseState(current.definition, step.snapshot)
            s.timersChanged = s.timerRows != CaseState.timerRows(current.definition, current.snapshot)
            audit.outcome = try CanonicalJSON.encode(s.outcome(accepted: true))
            state = s
        case .refused(let r):
            audit.kind = .refused
            var o = try CaseState(current.definition, current.snapshot).outcome(accepted: false)
            o.refusal = StoredRefusal(r)
            audit.outcome = try CanonicalJSON.encode(o)
            state = nil
        }
        audit.hash = HashChain.hash(audit)
        return .ready(PreparedTransition(caseID: caseID, expectedVersion: current.snapshot.version, expectedHeadSeq: current.headSeq,
                                         audit: audit, request: event, result: result, state: state))
    }

    /// The text an event brings into the store: the event name, the actor, the role and the
    /// key follow ``StoredText``.
    static func checkText(_ e: Event) throws(StoreError) {
        try StoredText.check(e.name, what: "the event name")
        try StoredText.check(e.actor, what: "the actor")
        if let r = e.role { try StoredText.check(r, what: "the role") }
        if let k = e.idempotencyKey { try StoredText.check(k, what: "the idempotency key") }
    }

    /// `stored`, the event an idempotency key was first used for, when `event` is the same
    /// request (name, actor, role, item and payload); otherwise ``StoreError/keyReused(caseID:key:seq:differences:)``,
    /// so that the caller learns their request was not done.
    static func sameRequest(_ stored: AuditEvent, _ event: Event, payload: String) throws(StoreError) -> AuditEvent {
        func show(_ s: String?) -> String { s.map { "`\(StoredText.escaped($0))`" } ?? "none" }
        var d: [String] = []
        if stored.name != event.name { d.append("event \(show(stored.name)), now \(show(event.name))") }
        if stored.actor != event.actor { d.append("actor \(show(stored.actor)), now \(show(event.actor))") }
        if stored.role != event.role { d.append("role \(show(stored.role)), now \(show(event.role))") }
        if stored.item != event.item { d.append("item \(stored.item.map(String.init) ?? "none"), now \(event.item.map(String.init) ?? "none")") }
        if stored.payload != payload { d.append("the event data differs") }
        if d.isEmpty { return stored }
        throw .keyReused(caseID: stored.caseID, key: stored.idempotencyKey ?? "", seq: stored.seq, differences: d)
    }

    /// Commits a prepared transition in one transaction, if the case is still at the version
    /// and chain head it was read at; otherwise nothing is written and
    /// ``StoreError/conflict(caseID:expectedVersion:message:)`` is thrown.
    public func commit(_ p: PreparedTransition) throws(StoreError) -> FireOutcome {
        do {
            try write { db in try Self.apply(p, db) }
        } catch .conflict(let id, let v, let m) {
            // Someone else used the key first: theirs is the outcome to report.
            if let key = p.audit.idempotencyKey,
               let stored = try read({ db in try Row.fetchOne(db, sql: "SELECT * FROM events WHERE case_id = ? AND idempotency_key = ?", arguments: [id, key]).map(Self.audit) }) {
                return .replayed(try Self.sameRequest(stored, p.request, payload: p.audit.payload))
            }
            throw .conflict(caseID: id, expectedVersion: v, message: m)
        }
        switch p.result {
        case .accepted(let step): return .accepted(step, p.audit)
        case .refused(let r): return .refused(r, p.audit)
        }
    }

    /// The writes of one transition. Throws `conflict` (rolling the transaction back) when the
    /// case moved on since it was read.
    static func apply(_ p: PreparedTransition, _ db: Database) throws {
        let a = p.audit
        if let s = p.state {
            try db.cachedStatement(sql: """
                UPDATE cases SET version = ?, status = ?, active = ?, snapshot = ?, updated_at = ?, next_due = ?, head_seq = ?, head_hash = ?
                WHERE id = ? AND version = ? AND head_seq = ?
                """).execute(arguments: [s.version, s.status, s.activeJSON, s.snapshotJSON, s.updatedAt, s.nextDue, a.seq, a.hash,
                                         p.caseID, p.expectedVersion, p.expectedHeadSeq])
        } else {
            try db.cachedStatement(sql: "UPDATE cases SET head_seq = ?, head_hash = ? WHERE id = ? AND version = ? AND head_seq = ?")
                .execute(arguments: [a.seq, a.hash, p.caseID, p.expectedVersion, p.expectedHeadSeq])
        }
        guard db.changesCount == 1 else {
            let now = try Row.fetchOne(db, sql: "SELECT version, head_seq FROM cases WHERE id = ?", arguments: [p.caseID])
            guard let now else { throw StoreError.notFound(caseID: p.caseID) }
            let v = (now["version"] as DatabaseValue).storage
            let h = (now["head_seq"] as DatabaseValue).storage
            throw StoreError.conflict(caseID: p.caseID, expectedVersion: p.expectedVersion,
                                      message: "another writer committed first (now version \(Self.int(v) ?? -1), event \(Self.int(h) ?? -1)); nothing was recorded, run it again")
        }
        try insert(a, db)
        if let s = p.state, s.timersChanged { try replaceTimers(p.caseID, s.timers, db) }
    }

    // MARK: - Tick

    public func tick(now: Date) throws(StoreError) -> [TickOutcome] {
        try tick(now: now, progress: { _ in })
    }

    public func tick(now: Date, progress: (TickOutcome) -> Void) throws(StoreError) -> [TickOutcome] {
        let t = Timestamp(now).description
        let ids = try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM cases WHERE status = 'running' AND next_due IS NOT NULL AND next_due <= ? ORDER BY next_due, id", arguments: [t])
        }
        var out: [TickOutcome] = []
        for id in ids {
            let o: TickOutcome
            do {
                o = try tick(id, now: now)
            } catch {
                o = TickOutcome(caseID: id, audit: nil, step: nil, error: error.description, storeError: error)
            }
            out.append(o)
            progress(o)
        }
        return out
    }

    /// Fires what is due in one case. A conflict is retried (a tick depends only on the time),
    /// up to five times.
    public func tick(_ caseID: String, now: Date) throws(StoreError) -> TickOutcome {
        var attempt = 0
        while true {
            attempt += 1
            let current = try read { db in try self.loadCase(caseID, db) }
            let step: Step
            switch Engine.tick(current.definition, current.snapshot, now: now) {
            case .refused(let r): return TickOutcome(caseID: caseID, audit: nil, step: nil, error: r.description)
            case .accepted(let s): step = s
            }
            if step.snapshot.version == current.snapshot.version { return TickOutcome(caseID: caseID, audit: nil, step: nil, error: nil) }
            let s = try CaseState(current.definition, step.snapshot)
            var audit = AuditEvent(caseID: caseID, seq: current.headSeq + 1, kind: .tick, name: "tick", actor: nil, role: nil, item: nil,
                                   payload: "{}", idempotencyKey: nil, time: Timestamp(now).description,
                                   outcome: try CanonicalJSON.encode(s.outcome(accepted: true)), prevHash: current.headHash, hash: "")
            audit.hash = HashChain.hash(audit)
            let p = PreparedTransition(caseID: caseID, expectedVersion: current.snapshot.version, expectedHeadSeq: current.headSeq,
                                       audit: audit, request: Event("tick", actor: ""), result: .accepted(step), state: s)
            do {
                try write { db in try Self.apply(p, db) }
                return TickOutcome(caseID: caseID, audit: audit, step: step, error: nil)
            } catch let e where e.isRetryable && attempt < 5 {
                continue
            }
        }
    }

    // MARK: - Reading

    public func load(_ caseID: String) throws(StoreError) -> StoredCase {
        try read { db in try self.loadCase(caseID, db) }
    }

    public func list(_ filter: CaseFilter, now: Date) throws(StoreError) -> [CaseSummary] {
        let t = Timestamp(now).description
        let rows = try read { db in
            var sql = """
                SELECT c.*, (SELECT MIN(due) FROM timers WHERE case_id = c.id AND kind = 'deadline' AND due <= ?) AS overdue_since
                FROM cases c
                """
            var args: [any DatabaseValueConvertible] = [t]
            var conditions: [String] = []
            if let w = filter.workflow { conditions.append("c.workflow_id = ?"); args.append(w) }
            if filter.overdue { conditions.append("c.status = 'running' AND overdue_since IS NOT NULL") }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY c.id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        }
        var out: [CaseSummary] = []
        for r in rows {
            let active = try CanonicalJSON.decode([String].self, try Self.text(r, "active"), what: "active states")
            if let s = filter.state, !active.contains(s) { continue }
            out.append(CaseSummary(id: try Self.text(r, "id"), workflow: try Self.text(r, "workflow_id"), definitionHash: try Self.text(r, "definition_hash"),
                                   version: try Self.integer(r, "version"), status: try Self.text(r, "status"), active: active,
                                   nextDue: try Self.optionalText(r, "next_due"), overdueSince: try Self.optionalText(r, "overdue_since"),
                                   createdAt: try Self.text(r, "created_at"), updatedAt: try Self.text(r, "updated_at")))
        }
        return out
    }

    public func history(_ caseID: String) throws(StoreError) -> [AuditEvent] {
        try read { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [caseID]) != nil else { throw StoreError.notFound(caseID: caseID) }
            return try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY seq", arguments: [caseID]).map(Self.audit)
        }
    }

    /// Every case id in the store, sorted (for "did you mean" on an unknown id).
    public func caseIDs() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM cases ORDER BY id") }
    }

    /// The pinned definition with this content hash (cached per store).
    public func definition(hash: String) throws(StoreError) -> Definition {
        try read { db in try self.definition(hash, db) }
    }

    func loadCase(_ caseID: String, _ db: Database) throws -> StoredCase {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT definition_hash, snapshot, head_seq, head_hash, version FROM cases WHERE id = ?"), arguments: [caseID]) else {
            throw StoreError.notFound(caseID: caseID)
        }
        let hash = try Self.text(row, "definition_hash")
        let snap = try CanonicalJSON.decode(CaseSnapshot.self, try Self.text(row, "snapshot"), what: "the snapshot of case \(caseID)")
        guard snap.caseID == caseID, snap.definitionHash == hash, snap.version == (try Self.integer(row, "version")) else {
            throw StoreError.corrupt("the snapshot of case \(caseID) does not match its row (id, definition or version)")
        }
        return StoredCase(snapshot: snap, definition: try definition(hash, db), headSeq: try Self.integer(row, "head_seq"), headHash: try Self.text(row, "head_hash"))
    }

    func cachedDefinition(_ hash: String) -> Definition? { definitions.withLock { $0[hash] } }
    func cacheDefinition(_ d: Definition) { definitions.withLock { $0[d.hash] = d } }

    func definition(_ hash: String, _ db: Database) throws -> Definition {
        if let d = definitions.withLock({ $0[hash] }) { return d }
        guard let row = try Row.fetchOne(db, sql: "SELECT ir_json FROM definitions WHERE hash = ?", arguments: [hash]) else {
            throw StoreError.corrupt("definition \(hash) is missing")
        }
        let d: Definition
        do {
            // Loading verifies the IR's content hash: an edited definition row is refused.
            d = try Definition(irJSON: Data(try Self.text(row, "ir_json").utf8))
        } catch {
            throw StoreError.corrupt("definition \(hash) does not load: \(error)")
        }
        guard d.hash == hash else { throw StoreError.corrupt("definition stored under \(hash) hashes to \(d.hash)") }
        definitions.withLock { $0[hash] = d }
        return d
    }

    public func attachSources(_ definitionHash: String, _ files: [PolicySource]) throws(StoreError) {
        try write { db in
            for f in files {
                try db.execute(sql: "INSERT OR IGNORE INTO sources (definition_hash, ir_file, path, text) VALUES (?, ?, ?, ?)",
                               arguments: [definitionHash, f.irFile, f.path, f.text])
            }
        }
    }

    public func sources(_ definitionHash: String) throws(StoreError) -> [PolicySource] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT ir_file, path, text FROM sources WHERE definition_hash = ? ORDER BY ir_file", arguments: [definitionHash]).map { r throws(StoreError) in
                PolicySource(irFile: try Self.text(r, "ir_file"), path: try Self.text(r, "path"), text: try Self.text(r, "text"))
            }
        }
    }

    // MARK: - SQL helpers

    static func insert(_ a: AuditEvent, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [a.caseID, a.seq, a.kind.rawValue, a.name, a.actor, a.role, a.item, a.payload, a.idempotencyKey,
                                     a.time, a.outcome, a.prevHash, a.hash])
    }

    static func replaceTimers(_ caseID: String, _ timers: [Show.Deadline], _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM timers WHERE case_id = ?").execute(arguments: [caseID])
        let insert = try db.cachedStatement(sql: "INSERT INTO timers (case_id, state, kind, due, fired) VALUES (?, ?, ?, ?, ?)")
        for t in timers {
            try insert.execute(arguments: [caseID, t.state, t.kind.rawValue, t.due.description, t.fired ? 1 : 0])
        }
    }

    /// An audit row, decoded without trusting its types (rows may have been edited by hand).
    static func audit(_ r: Row) throws(StoreError) -> AuditEvent {
        let kindText = try text(r, "kind")
        guard let kind = AuditKind(rawValue: kindText) else { throw StoreError.corrupt("unknown event kind `\(kindText)`") }
        return AuditEvent(caseID: try text(r, "case_id"), seq: try integer(r, "seq"), kind: kind, name: try text(r, "name"),
                          actor: try optionalText(r, "actor"), role: try optionalText(r, "role"), item: try optionalInteger(r, "item"),
                          payload: try text(r, "payload"), idempotencyKey: try optionalText(r, "idempotency_key"), time: try text(r, "time"),
                          outcome: try text(r, "outcome"), prevHash: try text(r, "prev_hash"), hash: try text(r, "hash"))
    }

    static func int(_ s: DatabaseValue.Storage) -> Int? {
        if case .int64(let i) = s { return Int(exactly: i) }
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

    static func checkCaseID(_ id: String) throws(StoreError) {
        guard !id.isEmpty, id.count <= 200, !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .invalidArgument("a case id must be 1 to 200 characters without spaces or control characters: `\(id)`")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw Self.map(error, "reading \(path)") }
    }

    /// One IMMEDIATE transaction: the write lock is taken first, so a writer never fails
    /// half-way on an upgrade from a read lock.
    func write(_ body: (Database) throws -> Void) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try body(db)
                    return .commit
                }
            }
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

/// The row form of a snapshot: what the `cases` and `timers` tables hold for it.
struct CaseState: Sendable {
    var version: Int
    var status: String
    var active: [String]
    var activeJSON: String
    var snapshotJSON: String
    var snapshotHash: String
    var updatedAt: String
    var nextDue: String?
    var timers: [Show.Deadline]
    var timersChanged = true

    init(_ def: Definition, _ snap: CaseSnapshot) throws(StoreError) {
        let data: Data
        do { data = try snap.json() } catch { throw .invalidArgument("the snapshot does not encode: \(error)") }
        version = snap.version
        status = snap.status.rawValue
        active = Show.activeStates(def, snap)
        activeJSON = try CanonicalJSON.encode(active)
        snapshotJSON = String(decoding: data, as: UTF8.self)
        snapshotHash = HashChain.sha256(data)
        updatedAt = snap.updatedAt.description
        timers = snap.status == .running ? Show.deadlines(def, snap, now: snap.updatedAt.date) : []
        nextDue = timers.filter { !$0.fired }.map(\.due).min()?.description
    }

    /// The timers table's rows, for "did the timers change".
    var timerRows: [String] { timers.map { "\($0.state)|\($0.kind.rawValue)|\($0.due)|\($0.fired)" } }

    static func timerRows(_ def: Definition, _ snap: CaseSnapshot) -> [String] {
        guard snap.status == .running else { return [] }
        return Show.deadlines(def, snap, now: snap.updatedAt.date).map { "\($0.state)|\($0.kind.rawValue)|\($0.due)|\($0.fired)" }
    }

    func outcome(accepted: Bool) -> EventOutcome {
        EventOutcome(result: accepted ? "accepted" : "refused", version: version, status: status, active: active, snapshotHash: snapshotHash, refusal: nil)
    }
}
