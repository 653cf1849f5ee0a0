import Foundation
import Logging
import PostgresNIO
@_exported import WFCLedger
import WFCIR
import WFCRuntime

/// The PostgreSQL case repository (postgres-nio's `PostgresClient` and its connection pool):
/// the same rows and guarantees as ``SQLiteRepository``, for several `wfc serve` processes on
/// one database. See docs/store.md, "PostgreSQL".
///
/// Lifecycle: the repository owns its client and runs the client's `run()` in a task of its
/// own from `init` until ``shutdown()`` (or until it is released), so it is used like the
/// SQLite repository, with no service to start. The schema is checked (and created or
/// migrated, which needs the owner role) before the first call; a failure there is the error of
/// that call, and the next call checks again (the server may be back, the owner may have migrated).
///
/// Every call has a deadline: the server's `statement_timeout` and `lock_timeout` per
/// statement, and ``Options/operationTimeout`` for the whole call on the client (waiting for a
/// connection included). A call that runs out is `timedOut`; a lost connection is `unavailable`;
/// both are retryable and leave nothing half-written (a transaction commits whole or not at all).
public final class PostgresRepository: CaseRepository {
    public struct Options: Sendable {
        /// The server aborts a statement that runs longer.
        public var statementTimeout: Duration = .seconds(10)
        /// The server aborts a statement that waits longer for a row lock (`busy`).
        public var lockTimeout: Duration = .seconds(5)
        /// The client gives up on a whole call (a transaction, or the wait for a connection).
        public var operationTimeout: Duration = .seconds(30)
        /// Opening one connection.
        public var connectTimeout: Duration = .seconds(5)
        /// The size of the pool.
        public var maximumConnections: Int = 16

        public init() {}
    }

    /// The store as shown in messages (no password).
    public let location: String
    /// The role wfc connects as.
    let role: String
    /// The schema wfc's tables are in; nil: the role's `search_path`.
    let schema: String?
    let client: PostgresClient
    let runner: Task<Void, Never>
    let options: Options
    let logger: Logger
    private let preparation = Preparation()

    /// Connects to the database a `postgres://` URL names (see ``PostgresLocation``). Nothing is
    /// sent before the first call.
    public convenience init(url: String, options: Options = Options()) throws(StoreError) {
        try self.init(PostgresLocation(url), options: options)
    }

    public init(_ location: PostgresLocation, options: Options = Options()) {
        self.location = location.display
        role = location.user
        schema = location.schema
        self.options = options
        let tls: PostgresClient.Configuration.TLS = switch location.sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                  password: location.password, database: location.database, tls: tls)
        config.options.connectTimeout = options.connectTimeout
        config.options.maximumConnections = max(1, options.maximumConnections)
        var startup: [(String, String)] = [
            ("application_name", location.applicationName),
            ("statement_timeout", "\(Self.milliseconds(options.statementTimeout))"),
            ("lock_timeout", "\(Self.milliseconds(options.lockTimeout))"),
            // A client that dies inside a transaction holds no lock forever.
            ("idle_in_transaction_session_timeout", "\(Self.milliseconds(options.operationTimeout))"),
            ("TimeZone", "UTC"),
        ]
        if let schema = location.schema { startup.append(("search_path", schema)) }
        config.options.additionalStartupParameters = startup
        var log = Logger(label: "wfc.postgres")
        log.logLevel = .critical
        logger = log
        let client = PostgresClient(configuration: config, backgroundLogger: log)
        self.client = client
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Closes the pool: later calls fail with `unavailable`.
    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return max(1, s * 1000 + atto / 1_000_000_000_000_000)
    }

    // MARK: - Schema

    /// The schema version the database holds (0: none).
    public func schemaVersion() async throws(StoreError) -> Int {
        try await ensureReady()
        return try await connection("reading the schema version") { conn in try await Self.currentVersion(conn, self.logger) }
    }

    static func currentVersion(_ conn: PostgresConnection, _ logger: Logger) async throws -> Int {
        let exists = try await conn.query("SELECT to_regclass('schema_version') IS NOT NULL", logger: logger).collect()
        guard try exists.first?.decode(Bool.self) == true else { return 0 }
        let rows = try await conn.query("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version", logger: logger).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// Checks the schema once: current, created or migrated (as the owner role), or refused.
    func ensureReady() async throws(StoreError) {
        guard let task = preparation.task({ [self] in await self.prepare() }) else { return }
        if let error = await task.value {
            // Checked again by the next call: the server may be back, the owner may have migrated.
            preparation.failed()
            throw error
        }
        preparation.succeeded()
    }

    private func prepare() async -> StoreError? {
        do {
            try await connection("opening \(location)") { conn in
                let found = try await Self.currentVersion(conn, self.logger)
                if found > PostgresSchema.latest {
                    throw StoreError.schemaTooNew(location: self.location, found: found, supported: PostgresSchema.latest)
                }
                if found == PostgresSchema.latest { return }
                try await self.migrate(conn)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Runs the missing migrations in one transaction, under an advisory lock.
    private func migrate(_ conn: PostgresConnection) async throws {
        try await conn.run("BEGIN", logger: logger)
        do {
            // Migrations wait for each other (per schema), not for the call timeouts of a step.
            try await conn.run("SET LOCAL lock_timeout = 0", logger: logger)
            try await conn.run("SET LOCAL statement_timeout = 0", logger: logger)
            try await conn.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock), hashtext(current_schema()))", logger: logger)
            do {
                try await conn.run(PostgresQuery(unsafeSQL: PostgresSchema.versionTable), logger: logger)
            } catch let e as PSQLError where e.serverInfo?[.sqlState] == "42501" {
                throw StoreError.permissionDenied(
                    "\(location) needs its schema created or migrated to version \(PostgresSchema.latest), and role `\(role)` may not: run wfc once with the owner role's URL (docs/store.md, \"PostgreSQL\")")
            }
            let found = try await Self.currentVersion(conn, logger)
            if found > PostgresSchema.latest {
                throw StoreError.schemaTooNew(location: location, found: found, supported: PostgresSchema.latest)
            }
            for m in PostgresSchema.migrations where m.version > found {
                for statement in m.statements {
                    try await conn.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await conn.run("INSERT INTO schema_version (version, applied_at) VALUES (\(m.version), \(Timestamp(Date()).description))", logger: logger)
            }
            try await conn.run("COMMIT", logger: logger)
        } catch {
            _ = try? await conn.run("ROLLBACK", logger: logger)
            if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "42P07" {
                throw StoreError.notAStore(path: location, reason: "it already holds a table wfc would create (\(e.serverInfo?[.message] ?? "duplicate table")); give wfc a schema of its own with ?schema=NAME")
            }
            if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "42501" {
                throw StoreError.permissionDenied("creating or migrating the schema of \(location): \(e.serverInfo?[.message] ?? "permission denied"); migrations run as the owner role (docs/store.md, \"PostgreSQL\")")
            }
            throw error
        }
    }

    // MARK: - Calls

    /// Runs `body` on a pooled connection within the operation deadline, mapping failures.
    func connection<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        let client = client
        let leased = Leased()
        do {
            return try await Deadline.run(options.operationTimeout) {
                try await client.withConnection { conn in
                    leased.set(conn)
                    defer { leased.set(nil) }
                    return try await body(conn)
                }
            }
        } catch {
            // The call gave up: close its connection, so that the server rolls its transaction
            // back instead of going on with it once a lock is granted.
            if error is Deadline.Expired || error is CancellationError, let conn = leased.take() { let _: EventLoopFuture<Void> = conn.close() }
            throw Self.map(error, doing, timeout: options.operationTimeout)
        }
    }

    /// A call after the schema check.
    func call<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        try await ensureReady()
        return try await connection(doing, body)
    }

    /// One transaction: committed when `body` returns, rolled back when it throws.
    func transaction<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        let logger = logger
        return try await call(doing) { conn in
            try await conn.run("BEGIN", logger: logger)
            do {
                let result = try await body(conn)
                try await conn.run("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await conn.run("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    static func map(_ error: any Error, _ doing: String, timeout: Duration) -> StoreError {
        if let e = error as? StoreError { return e }
        if error is Deadline.Expired || error is CancellationError {
            return .timedOut("\(doing): no answer within \(timeout)")
        }
        guard let e = error as? PSQLError else { return .io("\(doing): \(error)") }
        let message = e.serverInfo?[.message] ?? e.underlying.map { "\($0)" } ?? e.code.description
        switch e.code {
        case .server:
            let state = e.serverInfo?[.sqlState] ?? ""
            let text = "\(doing): \(message) (SQLSTATE \(state))"
            switch state {
            case "40001", "40P01", "55P03": return .busy(text)
            case "57014": return .timedOut(text)
            case "57P01", "57P02", "57P03", "53300", "25P03": return .unavailable(text)
            case "42501", "28000", "28P01": return .permissionDenied(text)
            case "3D000": return .badLocation(location: doing, reason: message)
            case _ where state.hasPrefix("08"): return .unavailable(text)
            default: return .io(text)
            }
        case .queryCancelled: return .timedOut("\(doing): the query was cancelled")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed,
             .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .unavailable("\(doing): \(e.code.description)\(e.underlying.map { ": \($0)" } ?? "")")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return .permissionDenied("\(doing): \(e.code.description)")
        default: return .io("\(doing): \(message)")
        }
    }

    func rows(_ conn: PostgresConnection, _ q: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await conn.query(q, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    // MARK: - Cases

    public func loadCase(_ id: String) async throws(StoreError) -> CaseRecord {
        try await call("reading case \(id)") { conn in
            guard let r = try await self.rows(conn, Self.query(.loadCase(id: id))).first else { throw StoreError.notFound(caseID: id) }
            return try Self.caseRecord(r)
        }
    }

    /// The case and its keyed event on one connection of the pool (one lease, not two).
    public func loadCase(_ id: String, idempotencyKey key: String?) async throws(StoreError) -> (CaseRecord, AuditEvent?) {
        try await call("reading case \(id)") { conn in
            guard let r = try await self.rows(conn, Self.query(.loadCase(id: id))).first else { throw StoreError.notFound(caseID: id) }
            let record = try Self.caseRecord(r)
            guard let key else { return (record, nil) }
            let keyed = try await self.rows(conn, "SELECT * FROM events WHERE case_id = \(id) AND idempotency_key = \(key)").first
            return (record, try keyed.map(Self.audit))
        }
    }

    public func caseExists(_ id: String) async throws(StoreError) -> Bool {
        try await call("reading case \(id)") { conn in !(try await self.rows(conn, "SELECT 1 FROM cases WHERE id = \(id)").isEmpty) }
    }

    public func insertCase(_ new: NewCase) async throws(StoreError) {
        try await transaction("starting case \(new.id)") { conn in
            _ = try await self.putDefinition(new.definition, conn)
            if !(try await self.rows(conn, "SELECT 1 FROM cases WHERE id = \(new.id)").isEmpty) { throw StoreError.alreadyExists(caseID: new.id) }
            let c = new.columns
            do {
                try await conn.run("""
                    INSERT INTO cases (id, workflow_id, definition_hash, version, status, active, snapshot, created_at, updated_at, next_due, head_seq, head_hash)
                    VALUES (\(new.id), \(new.definition.workflow), \(new.definition.hash), \(c.version), \(c.status), \(c.active), \(c.snapshot),
                            \(new.createdAt), \(c.updatedAt), \(c.nextDue), \(new.event.seq), \(new.event.hash))
                    """, logger: self.logger)
            } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
                throw StoreError.alreadyExists(caseID: new.id)
            }
            try await self.insert(new.event, conn)
            try await self.replaceTimers(new.id, new.timers, conn)
            try await self.replaceTasks(new.id, new.tasks, conn)
            try await self.insertOutbox(new.outbox, conn)
            try await self.notify(new.work, conn)
        }
    }

    /// One statement (see ``apply(_:_:notifying:)``) in an explicit transaction: a call that
    /// gives up closes its connection before COMMIT, so that the server rolls the step back —
    /// a lone statement waiting for a lock would still commit after the client had left.
    public func append(_ p: Append) async throws(StoreError) {
        try await transaction("appending to case \(p.caseID)") { conn in
            try await self.apply(p, conn, notifying: p.work)
        }
    }

    /// Group commit: every step in ONE transaction. A step that finds its case moved on writes
    /// nothing (its statement updates no row, so inserts nothing) and gets `conflict` while the
    /// others commit. Any error of a statement aborts a PostgreSQL transaction, so when one
    /// fails (the unique key behind the version check, the database) the whole transaction is
    /// rolled back and the batch is run again with a savepoint per step, so that only the
    /// failing step fails.
    public func appendAll(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        switch steps.count {
        case 0: return []
        case 1:
            do { try await append(steps[0]); return [.success(())] } catch { return [.failure(error)] }
        default:
            do {
                return try await batch(steps, savepoints: false)
            } catch {
                do { return try await batch(steps, savepoints: true) } catch { return Array(repeating: .failure(error), count: steps.count) }
            }
        }
    }

    /// The steps in one transaction. A step whose case moved on writes nothing and fails alone.
    /// Without `savepoints`, one ``PreparedBatch`` statement per run of distinct cases, and any
    /// failing statement fails the transaction (thrown); with them, a statement per step, each
    /// rolled back to its savepoint and failing alone when it fails.
    func batch(_ steps: [Append], savepoints: Bool) async throws(StoreError) -> [Result<Void, StoreError>] {
        let logger = logger
        return try await transaction("appending \(steps.count) steps") { conn in
            var out: [Result<Void, StoreError>] = []
            out.reserveCapacity(steps.count)
            var work: Set<WorkKind> = []
            if !savepoints {
                // One statement for each run of distinct cases (usually the whole batch).
                out = Array(repeating: .success(()), count: steps.count)
                for run in Self.distinctRuns(steps) {
                    var moved = Set<String>()
                    let statement = PreparedBatch(steps: try PreparedBatch.json(run.map { steps[$0] }))
                    for try await id in try await conn.execute(statement, logger: logger) { moved.insert(id) }
                    for i in run {
                        if moved.contains(steps[i].caseID) {
                            work.formUnion(steps[i].work)
                        } else {
                            out[i] = .failure(try await self.notMoved(steps[i], conn))
                        }
                    }
                }
                try await self.notify(work, conn)
                return out
            }
            for step in steps {
                if savepoints { try await conn.run("SAVEPOINT step", logger: logger) }
                do {
                    switch try await self.write(step, conn) {
                    case .written:
                        work.formUnion(step.work)
                        out.append(.success(()))
                    case .notWritten(let e):
                        // This runs after the batch failed, possibly at a COMMIT that went
                        // through with its answer lost: a step whose very event is in the log
                        // committed then, and is not a conflict (its caller would fire it again).
                        let stored = try await self.rows(conn, "SELECT hash FROM events WHERE case_id = \(step.caseID) AND seq = \(step.event.seq)").first
                        if let hash = try? stored?["hash"].decode(String.self), hash == step.event.hash {
                            out.append(.success(()))
                        } else {
                            out.append(.failure(e))
                        }
                    }
                    if savepoints { try await conn.run("RELEASE SAVEPOINT step", logger: logger) }
                } catch let e as StoreError where savepoints && (e.kind == .conflict || e.kind == .notFound) {
                    try await conn.run("ROLLBACK TO SAVEPOINT step", logger: logger)
                    try await conn.run("RELEASE SAVEPOINT step", logger: logger)
                    out.append(.failure(e))
                }
            }
            try await self.notify(work, conn)
            return out
        }
    }

    /// The writes of one step, in ONE statement (one round trip; they were up to a dozen):
    /// data-modifying CTEs update the case row if it is still at the version and chain head
    /// that were read, and only then append the event and replace the timers and the task index
    /// and add the outbox rows (rows passed as JSON). Throws `conflict` when the case moved on
    /// since it was read. `notifying`: wake-ups sent by the same statement (a NOTIFY is sent
    /// only if its transaction commits).
    func apply(_ p: Append, _ conn: PostgresConnection, notifying work: Set<WorkKind> = []) async throws {
        if case .notWritten(let e) = try await write(p, conn, notifying: work) { throw e }
    }

    /// What ``write(_:_:notifying:)`` did.
    enum StepWrite {
        case written
        /// The case moved on (`conflict`) or is gone (`notFound`): the statement wrote nothing
        /// and the transaction goes on.
        case notWritten(StoreError)
    }

    /// ``apply(_:_:notifying:)`` that answers a case that moved on instead of throwing: a
    /// thrown error means the statement failed (and the transaction is aborted).
    func write(_ p: Append, _ conn: PostgresConnection, notifying work: Set<WorkKind> = []) async throws -> StepWrite {
        let moved: Int
        do {
            let statement = PreparedStep(step: p, timers: Self.timersJSON(p.timers ?? []), tasks: try Self.tasksJSON(p.tasks ?? []),
                                         outbox: Self.outboxJSON(p.outbox), channel: workChannel, notify: work.map(\.rawValue).sorted())
            var answer: Int?
            for try await n in try await conn.execute(statement, logger: logger) where answer == nil { answer = n }
            moved = answer ?? 0
        } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
            // The unique key is the last line of defence behind the version check.
            throw StoreError.conflict(caseID: p.caseID, expectedVersion: p.expectedVersion, message: "event \(p.event.seq) or its key was recorded meanwhile; nothing was recorded, run it again")
        }
        if moved == 1 { return .written }
        return .notWritten(try await notMoved(p, conn))
    }

    /// Why the case row of `p` did not move: `notFound`, or `conflict` with where the case is now.
    func notMoved(_ p: Append, _ conn: PostgresConnection) async throws -> StoreError {
        guard let now = try await rows(conn, "SELECT version, head_seq FROM cases WHERE id = \(p.caseID)").first else {
            return .notFound(caseID: p.caseID)
        }
        let v = (try? now["version"].decode(Int.self)) ?? -1, h = (try? now["head_seq"].decode(Int.self)) ?? -1
        return .conflict(caseID: p.caseID, expectedVersion: p.expectedVersion,
                         message: "another writer committed first (now version \(v), event \(h)); nothing was recorded, run it again")
    }

    /// The indices of `steps` in runs where each case appears once, in order: a case's k-th
    /// step goes into run k (it runs after the earlier ones of its case, as one at a time would).
    static func distinctRuns(_ steps: [Append]) -> [[Int]] {
        var seen: [String: Int] = [:]
        var runs: [[Int]] = []
        for (i, step) in steps.enumerated() {
            let k = seen[step.caseID, default: 0]
            seen[step.caseID] = k + 1
            if k == runs.count { runs.append([]) }
            runs[k].append(i)
        }
        return runs
    }

    /// Timer rows as the JSON array the step statement reads with `jsonb_to_recordset`.
    static func timersJSON(_ timers: [TimerRow]) -> String {
        var w = JSONWriter(capacity: 16 + 64 * timers.count)
        w.list(timers) { w, t in
            w.raw("{"); w.key("due", first: true); w.optional(t.due)
            w.key("fired"); if let f = t.fired { w.bool(f) } else { w.raw("null") }
            w.key("kind"); w.optional(t.kind); w.key("state"); w.optional(t.state); w.raw("}")
        }
        return w.text
    }

    /// Task index rows as a JSON array (the `events` column holds JSON text, as SQLite's does).
    static func tasksJSON(_ tasks: [TaskRow]) throws -> String {
        var w = JSONWriter(capacity: 16 + 128 * tasks.count)
        try w.list(tasks) { w, t in
            w.raw("{"); w.key("due", first: true); w.optional(t.due)
            w.key("events"); w.string(try CanonicalJSON.encode(t.events))
            w.key("item"); if let i = t.item { w.int(i) } else { w.raw("null") }
            w.key("person"); w.string(t.person); w.key("role"); w.string(t.role); w.key("state"); w.string(t.state)
            w.key("title"); w.optional(t.title); w.raw("}")
        }
        return w.text
    }

    /// Outbox rows as a JSON array.
    static func outboxJSON(_ entries: [OutboxEntry]) -> String {
        var w = JSONWriter(capacity: 16 + 256 * entries.count)
        w.list(entries) { w, e in
            w.raw("{"); w.key("case_id", first: true); w.string(e.caseID); w.key("created_at"); w.string(e.createdAt)
            w.key("id"); w.string(e.id); w.key("kind"); w.string(e.kind); w.key("payload"); w.string(e.payload)
            w.key("seq"); w.int(e.seq); w.raw("}")
        }
        return w.text
    }

    // MARK: - Reads that must stay flat

    /// The reads whose time must not grow with the number of cases in the store (an index
    /// each, never a scan): a person's tasks, a page of cases (overdue ones included), one case,
    /// the due timers. ``explain(_:)`` shows PostgreSQL's plan for each.
    public enum ScaledRead: Sendable {
        case tasks(person: String)
        case listCases(CaseQuery)
        case loadCase(id: String)
        case dueCases(now: String, limit: Int?)
    }

    static func query(_ read: ScaledRead) -> PostgresQuery {
        switch read {
        case .tasks(let person):
            return """
                SELECT t.*, c.workflow_id, c.definition_hash FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.person = \(person) AND c.status = 'running'
                ORDER BY t.due IS NULL, t.due, t.case_id, t.state, t.item, t.role
                """
        case .listCases(let q):
            return listQuery(q)
        case .loadCase(let id):
            return "SELECT * FROM cases WHERE id = \(id)"
        case .dueCases(let now, let limit):
            return """
                SELECT id FROM cases WHERE status = 'running' AND next_due IS NOT NULL AND next_due <= \(now)
                ORDER BY next_due, id LIMIT \(limit)
                """
        }
    }

    /// PostgreSQL's plan for `read` (`EXPLAIN`, or `EXPLAIN ANALYZE`, which runs it), as text.
    public func explain(_ read: ScaledRead, analyze: Bool = false) async throws(StoreError) -> String {
        let q = Self.query(read)
        let explained = PostgresQuery(unsafeSQL: (analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ") + q.sql, binds: q.binds)
        return try await call("explaining a query") { conn in
            try await self.rows(conn, explained).map { try $0[0].decode(String.self) }.joined(separator: "\n")
        }
    }

    // MARK: - Wake-ups (LISTEN/NOTIFY)

    /// The channel commits notify and servers listen on; the payload is a ``WorkKind``.
    /// Channels are per database, not per schema: a store in a schema of its own has its own
    /// channel (named by a hash, as the name must stay a short plain identifier).
    var workChannel: String {
        schema.map { "wfc_work_" + HashChain.sha256(Data($0.utf8)).prefix(16) } ?? "wfc_work"
    }

    /// Tells listening servers of the work a transaction made. NOTIFY is transactional: the
    /// notice goes out only if the transaction commits, once however often it was sent.
    func notify(_ work: Set<WorkKind>, _ conn: PostgresConnection) async throws {
        for kind in work.sorted(by: { $0.rawValue < $1.rawValue }) {
            try await conn.run("SELECT pg_notify(\(workChannel), \(kind.rawValue))", logger: logger)
        }
    }

    public func event(_ caseID: String, idempotencyKey key: String) async throws(StoreError) -> AuditEvent? {
        try await call("reading case \(caseID)") { conn in
            guard let r = try await self.rows(conn, "SELECT * FROM events WHERE case_id = \(caseID) AND idempotency_key = \(key)").first else { return nil }
            return try Self.audit(r)
        }
    }

    public func events(_ caseID: String) async throws(StoreError) -> [AuditRow] {
        try await call("reading case \(caseID)") { conn in
            guard !(try await self.rows(conn, "SELECT 1 FROM cases WHERE id = \(caseID)").isEmpty) else { throw StoreError.notFound(caseID: caseID) }
            return try await self.events(caseID, conn)
        }
    }

    func events(_ caseID: String, _ conn: PostgresConnection) async throws -> [AuditRow] {
        try await rows(conn, "SELECT * FROM events WHERE case_id = \(caseID) ORDER BY seq").map { r in
            do throws(StoreError) { return .success(try Self.audit(r)) } catch { return .failure(error) }
        }
    }

    public func caseRows(_ caseID: String) async throws(StoreError) -> CaseRows {
        let logger = logger
        return try await call("reading case \(caseID)") { conn in
            // One snapshot for every read: REPEATABLE READ, read only.
            try await conn.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                guard let c = try await self.rows(conn, "SELECT * FROM cases WHERE id = \(caseID)").first else { throw StoreError.notFound(caseID: caseID) }
                let record = try Self.caseRecord(c)
                let timers = try await self.rows(conn, "SELECT state, kind, due, fired FROM timers WHERE case_id = \(caseID)").map { r in
                    TimerRow(state: try r["state"].decode(String?.self), kind: try r["kind"].decode(String?.self), due: try r["due"].decode(String?.self),
                             fired: try r["fired"].decode(Bool?.self))
                }
                let tasks = try await self.rows(conn, "SELECT * FROM tasks WHERE case_id = \(caseID)").map(Self.taskRow)
                var definition: DefinitionRecord?
                if let h = record.definitionHash, let d = try await self.rows(conn, "SELECT hash, workflow_id, version, created_at FROM definitions WHERE hash = \(h)").first {
                    definition = try Self.definitionRecord(d, ir: nil)
                }
                let events = try await self.events(caseID, conn)
                try await conn.run("COMMIT", logger: logger)
                return CaseRows(record: record, events: events, timers: timers, tasks: tasks, definition: definition)
            } catch {
                _ = try? await conn.run("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    static func listQuery(_ q: CaseQuery) -> PostgresQuery {
        var sql = SQL()
        sql.text = """
            SELECT * FROM (
                SELECT c.id, c.workflow_id, c.definition_hash, c.version, c.status, c.active, c.snapshot, c.next_due, c.created_at, c.updated_at,
                       (SELECT MIN(due) FROM timers WHERE case_id = c.id AND kind = 'deadline' AND due <= \(sql.bind(q.now))) AS overdue_since
                FROM cases c) c
            """
        var conditions: [String] = []
        if let w = q.workflow { conditions.append("c.workflow_id = \(sql.bind(w))") }
        if let s = q.status { conditions.append("c.status = \(sql.bind(s))") }
        if let s = q.state {
            conditions.append("EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.active::jsonb) = 'array' THEN c.active::jsonb ELSE '[]'::jsonb END) e WHERE e = \(sql.bind(s)))")
        }
        if let p = q.participant {
            conditions.append("""
                EXISTS (SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(c.snapshot::jsonb -> 'people') = 'object' THEN c.snapshot::jsonb -> 'people' ELSE '{}'::jsonb END) e
                        WHERE e.value = \(sql.bind(p)))
                """)
        }
        if q.overdue { conditions.append("c.status = 'running' AND c.overdue_since IS NOT NULL") }
        if let k = q.after {
            let created = sql.bind(k.createdAt)
            conditions.append("(c.created_at < \(created) OR (c.created_at = \(created) AND c.id < \(sql.bind(k.id))))")
        }
        if !conditions.isEmpty { sql.text += " WHERE " + conditions.joined(separator: " AND ") }
        sql.text += " ORDER BY c.created_at DESC, c.id DESC"
        if let l = q.limit { sql.text += " LIMIT \(sql.bind(l))" }
        return sql.query
    }

    public func listCases(_ q: CaseQuery) async throws(StoreError) -> [CaseSummary] {
        let query = Self.query(.listCases(q))
        return try await call("listing cases") { conn in
            try await self.rows(conn, query).map { r in
                let active = try CanonicalJSON.decode([String].self, try r["active"].decode(String.self), what: "active states")
                return CaseSummary(id: try r["id"].decode(String.self), workflow: try r["workflow_id"].decode(String.self),
                                   definitionHash: try r["definition_hash"].decode(String.self), version: try r["version"].decode(Int.self),
                                   status: try r["status"].decode(String.self), active: active,
                                   nextDue: try r["next_due"].decode(String?.self), overdueSince: try r["overdue_since"].decode(String?.self),
                                   createdAt: try r["created_at"].decode(String.self), updatedAt: try r["updated_at"].decode(String.self))
            }
        }
    }

    public func dueCases(now: String, limit: Int?) async throws(StoreError) -> [String] {
        try await call("finding due cases") { conn in
            try await self.rows(conn, Self.query(.dueCases(now: now, limit: limit))).map { try $0["id"].decode(String.self) }
        }
    }

    /// The due cases are locked with `FOR UPDATE SKIP LOCKED` (a server claiming at the same
    /// moment skips them instead of waiting), and the lease is taken with an upsert whose
    /// condition is checked again on the latest lease row, so that of two servers racing on a
    /// case only one gets it, even when the other read the case before the first committed.
    public func claimDueCases(now: String, owner: String, until: String, limit: Int) async throws(StoreError) -> [String] {
        try await transaction("claiming due cases") { conn in
            var claimed: [String] = []
            // A case another server leased between this statement's snapshot and its row lock
            // is lost to it; the next statement (a new snapshot) looks further.
            for _ in 0..<4 where claimed.count < limit {
                let rows = try await self.rows(conn, """
                    WITH due AS (
                        SELECT c.id, c.next_due FROM cases c LEFT JOIN timer_leases l ON l.case_id = c.id
                        WHERE c.status = 'running' AND c.next_due IS NOT NULL AND c.next_due <= \(now)
                          AND (l.case_id IS NULL OR l.until <= \(now) OR l.owner = \(owner)) AND c.id <> ALL(\(claimed))
                        ORDER BY c.next_due, c.id LIMIT \(limit - claimed.count)
                        FOR UPDATE OF c SKIP LOCKED
                    ), taken AS (
                        INSERT INTO timer_leases (case_id, owner, until) SELECT id, \(owner), \(until) FROM due
                        ON CONFLICT (case_id) DO UPDATE SET owner = excluded.owner, until = excluded.until
                        WHERE timer_leases.until <= \(now) OR timer_leases.owner = \(owner)
                        RETURNING case_id
                    )
                    SELECT due.id, taken.case_id IS NOT NULL AS taken FROM due LEFT JOIN taken ON taken.case_id = due.id ORDER BY due.next_due, due.id
                    """)
                claimed += try rows.filter { try $0["taken"].decode(Bool.self) }.map { try $0["id"].decode(String.self) }
                if rows.allSatisfy({ (try? $0["taken"].decode(Bool.self)) == true }) { break }
            }
            return claimed
        }
    }

    public func caseIDs() async throws(StoreError) -> [String] {
        try await call("listing cases") { conn in
            try await self.rows(conn, "SELECT id FROM cases ORDER BY id").map { try $0["id"].decode(String.self) }
        }
    }

    public func heads() async throws(StoreError) -> [HeadRecord] {
        try await call("reading chain heads") { conn in
            try await self.rows(conn, """
                SELECT c.id, c.head_seq, c.head_hash, c.definition_hash, e.hash AS last_hash,
                       (SELECT MAX(seq) FROM events WHERE case_id = c.id) AS max_seq
                FROM cases c LEFT JOIN events e ON e.case_id = c.id AND e.seq = c.head_seq
                ORDER BY c.id
                """).map { r in
                HeadRecord(head: Checkpoint.Head(caseID: try r["id"].decode(String.self), seq: try r["head_seq"].decode(Int.self),
                                                 headHash: try r["head_hash"].decode(String.self), definitionHash: try r["definition_hash"].decode(String.self)),
                           eventHash: try r["last_hash"].decode(String?.self), maxSeq: try r["max_seq"].decode(Int?.self))
            }
        }
    }

    // MARK: - Definitions

    public func putDefinition(_ d: DefinitionRecord) async throws(StoreError) -> DeployedDefinition {
        try await transaction("pinning definition \(d.hash)") { conn in try await self.putDefinition(d, conn) }
    }

    /// Inserts a definition with the next version of its workflow, unless its hash is known.
    /// Writers of one workflow (in one schema) serialise on an advisory lock of the transaction, so two never
    /// take one number; a known hash takes no lock.
    func putDefinition(_ d: DefinitionRecord, _ conn: PostgresConnection) async throws -> DeployedDefinition {
        let select: PostgresQuery = "SELECT hash, workflow_id, version, created_at FROM definitions WHERE hash = \(d.hash)"
        if let r = try await rows(conn, select).first { return try Self.deployed(r) }
        guard let workflow = d.workflow, let ir = d.irJSON, let created = d.createdAt else {
            throw StoreError.invalidArgument("a definition needs its workflow, IR and time to be stored")
        }
        try await conn.run("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(\(workflow)))", logger: logger)
        if let r = try await rows(conn, select).first { return try Self.deployed(r) }
        let version = (try await rows(conn, "SELECT MAX(version) AS v FROM definitions WHERE workflow_id = \(workflow)").first?["v"].decode(Int?.self) ?? 0) + 1
        try await conn.run("INSERT INTO definitions (hash, workflow_id, ir_json, created_at, version) VALUES (\(d.hash), \(workflow), \(ir), \(created), \(version))",
                             logger: logger)
        return DeployedDefinition(hash: d.hash, workflow: workflow, version: version, createdAt: created)
    }

    public func definition(hash: String, withIR: Bool) async throws(StoreError) -> DefinitionRecord? {
        try await call("reading definition \(hash)") { conn in
            guard let r = try await self.rows(conn, "SELECT hash, workflow_id, version, created_at, CASE WHEN \(withIR) THEN ir_json END AS ir_json FROM definitions WHERE hash = \(hash)").first
            else { return nil }
            return try Self.definitionRecord(r, ir: withIR ? try r["ir_json"].decode(String?.self) : nil)
        }
    }

    public func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] {
        try await call("listing definitions") { conn in
            let q: PostgresQuery = if let workflow {
                "SELECT hash, workflow_id, version, created_at FROM definitions WHERE workflow_id = \(workflow) ORDER BY version DESC"
            } else {
                "SELECT hash, workflow_id, version, created_at FROM definitions ORDER BY created_at DESC, workflow_id, version DESC"
            }
            return try await self.rows(conn, q).map(Self.deployed)
        }
    }

    public func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) {
        try await transaction("keeping policy sources") { conn in
            for f in files {
                try await conn.run("""
                    INSERT INTO sources (definition_hash, ir_file, path, text) VALUES (\(definitionHash), \(f.irFile), \(f.path), \(f.text))
                    ON CONFLICT DO NOTHING
                    """, logger: self.logger)
            }
        }
    }

    public func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] {
        try await call("reading policy sources") { conn in
            try await self.rows(conn, "SELECT ir_file, path, text FROM sources WHERE definition_hash = \(definitionHash) ORDER BY ir_file").map { r in
                PolicySource(irFile: try r["ir_file"].decode(String.self), path: try r["path"].decode(String.self), text: try r["text"].decode(String.self))
            }
        }
    }

    // MARK: - Tasks and outbox

    public func tasks(person: String) async throws(StoreError) -> [PersonTask] {
        try await call("reading the task index") { conn in
            try await self.rows(conn, Self.query(.tasks(person: person))).map { r in
                let t = try Self.taskRow(r)
                var task = PersonTask(caseID: try r["case_id"].decode(String.self), workflow: try r["workflow_id"].decode(String.self), state: t.state,
                                      title: t.title, item: t.item, role: t.role, events: t.events, due: t.due)
                task.definition = try r["definition_hash"].decode(String?.self)
                return task
            }
        }
    }

    /// `FOR UPDATE SKIP LOCKED`: servers claiming at once take different entries; the row
    /// lock re-checks the lease on the latest row, so an entry is never leased twice at once.
    public func claimOutbox(owner: String, limit: Int, now: String, until: String) async throws(StoreError) -> [OutboxEntry] {
        let claimed = try await transaction("claiming outbox entries") { conn in
            try await self.rows(conn, """
                WITH picked AS (
                    SELECT id FROM outbox
                    WHERE delivered_at IS NULL AND available_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                    ORDER BY available_at, created_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox o SET lease_owner = \(owner), lease_until = \(until), attempts = o.attempts + 1
                FROM picked WHERE o.id = picked.id
                RETURNING o.id, o.case_id, o.seq, o.kind, o.payload, o.attempts, o.created_at, o.available_at
                """).map { r in
                (available: try r["available_at"].decode(String.self),
                 entry: OutboxEntry(id: try r["id"].decode(String.self), caseID: try r["case_id"].decode(String.self), seq: try r["seq"].decode(Int.self),
                                    kind: try r["kind"].decode(String.self), payload: try r["payload"].decode(String.self),
                                    attempts: try r["attempts"].decode(Int.self), createdAt: try r["created_at"].decode(String.self)))
            }
        }
        // Oldest first, byte order as the "C" collation sorts.
        return claimed.sorted { a, b in
            let l = [a.available, a.entry.createdAt, a.entry.id].map { Array($0.utf8) }, r = [b.available, b.entry.createdAt, b.entry.id].map { Array($0.utf8) }
            return l.lexicographicallyPrecedes(r) { $0.lexicographicallyPrecedes($1) }
        }.map(\.entry)
    }

    public func markDelivered(_ ids: [String], at: String) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        try await call("marking outbox entries delivered") { conn in
            _ = try await conn.run("UPDATE outbox SET delivered_at = \(at), lease_owner = NULL, lease_until = NULL WHERE id = ANY(\(ids)) AND delivered_at IS NULL",
                                 logger: self.logger)
        }
    }

    public func retryOutbox(_ id: String, notBefore: String, error: String) async throws(StoreError) {
        try await call("rescheduling outbox entry \(id)") { conn in
            _ = try await conn.run("""
                UPDATE outbox SET available_at = \(notBefore), last_error = \(error), lease_owner = NULL, lease_until = NULL
                WHERE id = \(id) AND delivered_at IS NULL
                """, logger: self.logger)
        }
    }

    // MARK: - SQL helpers

    func insert(_ a: AuditEvent, _ conn: PostgresConnection) async throws {
        try await conn.run("""
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for)
            VALUES (\(a.caseID), \(a.seq), \(a.kind.rawValue), \(a.name), \(a.actor), \(a.role), \(a.item), \(a.payload), \(a.idempotencyKey),
                    \(a.time), \(a.outcome), \(a.prevHash), \(a.hash), \(a.actingFor))
            """, logger: logger)
    }

    func replaceTimers(_ caseID: String, _ timers: [TimerRow], _ conn: PostgresConnection) async throws {
        try await conn.run("DELETE FROM timers WHERE case_id = \(caseID)", logger: logger)
        for t in timers {
            try await conn.run("INSERT INTO timers (case_id, state, kind, due, fired) VALUES (\(caseID), \(t.state), \(t.kind), \(t.due), \(t.fired))", logger: logger)
        }
    }

    func replaceTasks(_ caseID: String, _ tasks: [TaskRow], _ conn: PostgresConnection) async throws {
        try await conn.run("DELETE FROM tasks WHERE case_id = \(caseID)", logger: logger)
        for t in tasks {
            let events = try CanonicalJSON.encode(t.events)
            try await conn.run("""
                INSERT INTO tasks (case_id, person, role, state, title, item, events, due)
                VALUES (\(caseID), \(t.person), \(t.role), \(t.state), \(t.title), \(t.item), \(events), \(t.due))
                """, logger: logger)
        }
    }

    func insertOutbox(_ entries: [OutboxEntry], _ conn: PostgresConnection) async throws {
        for e in entries {
            try await conn.run("""
                INSERT INTO outbox (id, case_id, seq, kind, payload, attempts, created_at, available_at)
                VALUES (\(e.id), \(e.caseID), \(e.seq), \(e.kind), \(e.payload), 0, \(e.createdAt), \(e.createdAt))
                """, logger: logger)
        }
    }

    static func taskRow(_ r: PostgresRandomAccessRow) throws -> TaskRow {
        let events = try r["events"].decode(String?.self).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return TaskRow(person: try r["person"].decode(String?.self) ?? "", role: try r["role"].decode(String?.self) ?? "",
                       state: try r["state"].decode(String?.self) ?? "", title: try r["title"].decode(String?.self),
                       item: try r["item"].decode(Int?.self), events: events, due: try r["due"].decode(String?.self))
    }

    static func caseRecord(_ r: PostgresRandomAccessRow) throws -> CaseRecord {
        CaseRecord(id: try r["id"].decode(String.self), workflow: try r["workflow_id"].decode(String?.self),
                   definitionHash: try r["definition_hash"].decode(String?.self), version: try r["version"].decode(Int?.self),
                   status: try r["status"].decode(String?.self), active: try r["active"].decode(String?.self), snapshot: try r["snapshot"].decode(String?.self),
                   createdAt: try r["created_at"].decode(String?.self), updatedAt: try r["updated_at"].decode(String?.self),
                   nextDue: try r["next_due"].decode(String?.self), headSeq: try r["head_seq"].decode(Int?.self), headHash: try r["head_hash"].decode(String?.self))
    }

    static func audit(_ r: PostgresRandomAccessRow) throws(StoreError) -> AuditEvent {
        do {
            let kindText = try r["kind"].decode(String.self)
            guard let kind = AuditKind(rawValue: kindText) else { throw StoreError.corrupt("unknown event kind `\(kindText)`") }
            return AuditEvent(caseID: try r["case_id"].decode(String.self), seq: try r["seq"].decode(Int.self), kind: kind, name: try r["name"].decode(String.self),
                              actor: try r["actor"].decode(String?.self), role: try r["role"].decode(String?.self), item: try r["item"].decode(Int?.self),
                              payload: try r["payload"].decode(String.self), idempotencyKey: try r["idempotency_key"].decode(String?.self),
                              time: try r["time"].decode(String.self), outcome: try r["outcome"].decode(String.self),
                              prevHash: try r["prev_hash"].decode(String.self), hash: try r["hash"].decode(String.self),
                              actingFor: r.contains("acting_for") ? try r["acting_for"].decode(String?.self) : nil)
        } catch let e as StoreError {
            throw e
        } catch {
            throw .corrupt("an event row does not decode: \(error)")
        }
    }

    static func deployed(_ r: PostgresRandomAccessRow) throws -> DeployedDefinition {
        DeployedDefinition(hash: try r["hash"].decode(String.self), workflow: try r["workflow_id"].decode(String.self),
                           version: try r["version"].decode(Int.self), createdAt: try r["created_at"].decode(String.self))
    }

    static func definitionRecord(_ r: PostgresRandomAccessRow, ir: String?) throws -> DefinitionRecord {
        DefinitionRecord(hash: try r["hash"].decode(String.self), workflow: try r["workflow_id"].decode(String?.self), irJSON: ir,
                         version: try r["version"].decode(Int?.self), createdAt: try r["created_at"].decode(String?.self))
    }
}

/// A statement built from parts, its values as bind parameters (`$1`, `$2`, …).
struct SQL {
    var text = ""
    var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: String) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind(_ value: Int) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

/// The connection a call holds, for closing it when the call gives up.
final class Leased: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: PostgresConnection?

    func set(_ c: PostgresConnection?) {
        lock.lock()
        connection = c
        lock.unlock()
    }

    func take() -> PostgresConnection? {
        lock.lock()
        defer { connection = nil; lock.unlock() }
        return connection
    }
}

/// The schema check, run until it succeeds once.
final class Preparation: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Task<StoreError?, Never>?
    private var done = false

    /// The check to await; nil when it has succeeded.
    func task(_ make: @escaping @Sendable () async -> StoreError?) -> Task<StoreError?, Never>? {
        lock.lock()
        defer { lock.unlock() }
        if done { return nil }
        if let running { return running }
        let t = Task { await make() }
        running = t
        return t
    }

    func succeeded() {
        lock.lock()
        done = true
        lock.unlock()
    }

    /// The next call checks again.
    func failed() {
        lock.lock()
        running = nil
        lock.unlock()
    }
}

/// Runs an operation with a client-side deadline. The operation runs in a task of its own, so
/// that a call whose connection hangs (a server that stopped answering) returns at the
/// deadline even if the operation does not react to cancellation at once.
enum Deadline {
    struct Expired: Error {}

    static func run<T: Sendable>(_ limit: Duration, _ op: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = Gate<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
                gate.set(c)
                let work = Task {
                    do { gate.resume(.success(try await op())) } catch { gate.resume(.failure(error)) }
                }
                // A timer on NIO's event loops, not a sleeping task: every database call has
                // one, and a task that sleeps and is cancelled cost 9 % of a step's time.
                let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: timeAmount(limit)) {
                    if gate.resume(.failure(Expired())) { work.cancel() }
                }
                gate.onFinish { timer.cancel() }
                gate.onCancel { work.cancel() }
            }
        } onCancel: {
            gate.cancel()
        }
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        // Saturates instead of trapping on an absurd limit.
        let (seconds, atto) = d.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = whole.addingReportingOverflow(atto / 1_000_000_000)
        return .nanoseconds(overflow || overflow2 ? (seconds < 0 ? 0 : .max) : max(0, total))
    }

    /// Resumes the continuation once, whoever comes first.
    final class Gate<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var finished = false
        private var cancelled = false
        private var finish: (@Sendable () -> Void)?
        private var cancelWork: (@Sendable () -> Void)?

        func set(_ c: CheckedContinuation<T, any Error>) {
            lock.lock()
            continuation = c
            lock.unlock()
        }

        @discardableResult
        func resume(_ r: Result<T, any Error>) -> Bool {
            lock.lock()
            guard !finished, let c = continuation else { lock.unlock(); return false }
            finished = true
            continuation = nil
            let f = finish
            lock.unlock()
            f?()
            c.resume(with: r)
            return true
        }

        func onFinish(_ f: @escaping @Sendable () -> Void) {
            lock.lock()
            if finished { lock.unlock(); f(); return }
            finish = f
            lock.unlock()
        }

        func onCancel(_ f: @escaping @Sendable () -> Void) {
            lock.lock()
            if cancelled { lock.unlock(); f(); return }
            cancelWork = f
            lock.unlock()
        }

        func cancel() {
            lock.lock()
            cancelled = true
            let f = cancelWork
            lock.unlock()
            f?()
            resume(.failure(CancellationError()))
        }
    }
}

extension Ledger {
    /// A ledger over the PostgreSQL store a `postgres://` URL names (see ``PostgresLocation``).
    public convenience init(postgresURL: String, options: PostgresRepository.Options = .init()) throws(StoreError) {
        self.init(try PostgresRepository(url: postgresURL, options: options))
    }
}

extension PostgresConnection {
    /// Runs a statement to its end. The rows are read, so that its error (a constraint, a
    /// timeout) is thrown here and not swallowed with an unread row stream.
    func run(_ q: PostgresQuery, logger: Logger) async throws {
        _ = try await query(q, logger: logger).collect()
    }
}

extension PostgresRepository: WorkNotifying {
    /// LISTENs on ``workChannel`` on one connection of the pool for as long as the calling task
    /// runs. After a lost connection (a restart, a failover) it listens again a second later and
    /// reports every kind once, since notices sent meanwhile were lost.
    public func listenForWork(_ onNotice: @escaping @Sendable (WorkKind) -> Void) async {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                try await ensureReady()
                let replay = reconnecting
                try await client.withConnection { conn in
                    try await conn.listen(on: self.workChannel) { notices in
                        if replay { WorkKind.allCases.forEach(onNotice) }
                        for try await n in notices {
                            if let kind = WorkKind(rawValue: n.payload) { onNotice(kind) }
                        }
                    }
                }
            } catch {
                logger.debug("listening for work: \(error)")
            }
            reconnecting = true
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
