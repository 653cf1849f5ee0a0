import Foundation
import Synchronization
import WFCIR
import WFCRuntime

/// The case ledger: runs the engine on stored cases and records each step in an append-only,
/// hash-chained audit log, over any ``CaseRepository`` (SQLite today, PostgreSQL next).
/// Database-independent: engine calls, canonical JSON, the hash chain, idempotency, conflict
/// retry for ticks, replay and verify live here; the repository only stores rows.
///
/// Guarantees (docs/store.md):
/// - one step is all or nothing (event appended, case row, timers, task index and outbox
///   updated, or nothing), committed with the steps other callers submitted meanwhile in one
///   transaction (group commit, ``CaseRepository/appendAll(_:)``) before the caller is answered;
/// - the write is conditional on the version that was read (optimistic concurrency): of two
///   writers racing on one case exactly one wins, the other gets
///   ``StoreError/conflict(caseID:expectedVersion:message:)``;
/// - a repeated idempotency key returns the stored outcome of its first use, when it is the
///   same request; otherwise ``StoreError/keyReused(caseID:key:seq:differences:)``;
/// - refused events change nothing but are recorded (and chained) as refused attempts.
public final class Ledger: Sendable {
    /// The database the ledger records into.
    public let repository: any CaseRepository
    /// Decoded definitions by hash: loading verifies a definition's hash once per ledger.
    private let cache = Mutex<[String: Definition]>([:])
    /// Each definition's stored form (its IR as canonical JSON), encoded once per ledger: every
    /// new case carries it, and encoding the IR cost more than the rest of a start.
    private let records = Mutex<[String: DefinitionRecord]>([:])
    /// The snapshot each case had when this ledger last wrote it (see ``CachedCase``).
    let cases: CaseCache
    /// Group commit of every step this ledger records (see ``CommitQueue``).
    let queue: CommitQueue
    /// Signalled when a step this ledger committed wrote a timer that is already due.
    public let timerWork = WorkSignal()
    /// Signalled when a step this ledger committed wrote outbox entries.
    public let outboxWork = WorkSignal()

    public init(_ repository: any CaseRepository) {
        self.repository = repository
        self.cases = CaseCache()
        let timers = timerWork, outbox = outboxWork
        self.queue = CommitQueue(repository) { steps in Self.signal(steps, timers: timers, outbox: outbox) }
    }

    /// Wakes the workers the committed `steps` made work for.
    static func signal(_ steps: [Append], timers: WorkSignal, outbox: WorkSignal) {
        let work = steps.reduce(into: Set<WorkKind>()) { $0.formUnion($1.work) }
        if work.contains(.outbox) { outbox.signal() }
        if work.contains(.timers) { timers.signal() }
    }

    /// Wakes this ledger's workers for `kind` (also for a notice from another process, see
    /// ``WorkNotifying``).
    public func notice(_ kind: WorkKind) {
        switch kind {
        case .timers: timerWork.signal()
        case .outbox: outboxWork.signal()
        }
    }

    // MARK: - Definitions

    /// Pins a compiled definition by its content hash without starting a case. Idempotent:
    /// the same hash returns the same record (its version and time of first pinning).
    public func deploy(_ definition: Definition, now: Date) async throws(StoreError) -> DeployedDefinition {
        let d = try await repository.putDefinition(try Self.record(definition, now: now))
        cacheDefinition(definition)
        return d
    }

    /// Pinned definitions (of `workflow`, when given), newest version first.
    public func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition] {
        try await repository.definitions(workflow: workflow)
    }

    /// The newest pinned version of `workflow`, nil when none is pinned.
    public func newestDefinition(workflow: String) async throws(StoreError) -> DeployedDefinition? {
        try await repository.definitions(workflow: workflow).first
    }

    /// The pinned definition with this content hash (cached per ledger). `unknownDefinition`
    /// when no definition has this hash; `corrupt` when the stored one does not load or hash back.
    public func definition(hash: String) async throws(StoreError) -> Definition {
        if let d = cachedDefinition(hash) { return d }
        guard try await repository.definition(hash: hash, withIR: false) != nil else { throw .unknownDefinition(hash: hash) }
        return try await pinned(hash)
    }

    /// The definition a case row pins: missing or undecodable is corruption.
    func pinned(_ hash: String) async throws(StoreError) -> Definition {
        if let d = cachedDefinition(hash) { return d }
        guard let row = try await repository.definition(hash: hash, withIR: true) else { throw .corrupt("definition \(hash) is missing") }
        guard let text = row.irJSON else { throw .corrupt("column `ir_json` is NULL") }
        let d: Definition
        do {
            // Loading verifies the IR's content hash: an edited definition row is refused.
            d = try Definition(irJSON: Data(text.utf8))
        } catch {
            throw .corrupt("definition \(hash) does not load: \(error)")
        }
        guard d.hash == hash else { throw .corrupt("definition stored under \(hash) hashes to \(d.hash)") }
        cacheDefinition(d)
        return d
    }

    func cachedDefinition(_ hash: String) -> Definition? { cache.withLock { $0[hash] } }
    func cacheDefinition(_ d: Definition) { cache.withLock { $0[d.hash] = d } }

    static func record(_ definition: Definition, now: Date) throws(StoreError) -> DefinitionRecord {
        var ir = definition.ir
        ir.contentHash = definition.hash
        return DefinitionRecord(hash: definition.hash, workflow: definition.ir.id, irJSON: try CanonicalJSON.encode(ir), createdAt: Timestamp(now).description)
    }

    /// Keeps the policy text of a stored definition (first writer wins), for showing policy
    /// lines in refusals later.
    public func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError) {
        try await repository.attachSources(definitionHash, files)
    }

    /// The policy text stored for a definition (empty when none was attached).
    public func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource] {
        try await repository.sources(definitionHash)
    }

    // MARK: - Start

    /// Pins `definition` (content-addressed; a new hash gets the next version of its workflow)
    /// and starts a case. A refusal stores nothing.
    public func start(_ definition: Definition, caseID: String, data: [String: ValueIR], people: [String: String], actor: String?, now: Date) async throws(StoreError) -> StartOutcome {
        try Self.checkCaseID(caseID)
        if let actor { try StoredText.check(actor, what: "the actor") }
        for (role, person) in people.sorted(by: { $0.key < $1.key }) {
            try StoredText.check(role, what: "a role name")
            try StoredText.check(person, what: "the person id of role `\(role)`")
        }
        // The engine sees exactly what replay will read back from the log.
        let payloadText = try CanonicalJSON.encode(StartPayload(data: data, people: people))
        let stored = try CanonicalJSON.decode(StartPayload.self, payloadText, what: "start payload")
        if try await repository.caseExists(caseID) { throw .alreadyExists(caseID: caseID) }

        let step: Step
        switch Engine.start(definition, caseID: caseID, data: stored.data, people: stored.people, now: now) {
        case .refused(let r): return .refused(r)
        case .accepted(let s): step = s
        }
        let state = try CaseState(definition, step.snapshot)
        var audit = AuditEvent(caseID: caseID, seq: 1, kind: .start, name: "start", actor: actor, role: nil, item: nil,
                               payload: payloadText, idempotencyKey: nil, time: Timestamp(now).description,
                               outcome: try CanonicalJSON.encode(state.outcome(accepted: true)), prevHash: HashChain.genesis, hash: "")
        audit.hash = HashChain.hash(audit)
        let record: DefinitionRecord
        if let known = records.withLock({ $0[definition.hash] }) {
            record = known
        } else {
            record = try Self.record(definition, now: now)
            records.withLock { $0[definition.hash] = record }
        }
        let new = NewCase(id: caseID, definition: record, createdAt: step.snapshot.createdAt.description,
                          columns: state.columns, event: audit, timers: state.timerRows, tasks: state.taskRows(definition, step.snapshot),
                          outbox: try outboxEntries(step, audit))
        try await repository.insertCase(new)
        for kind in new.work { notice(kind) }
        cacheDefinition(definition)
        cases.remember(caseID, CachedCase(snapshot: step.snapshot, state: state, headSeq: audit.seq, headHash: audit.hash, taskRows: new.tasks))
        return .started(step, audit)
    }

    // MARK: - Fire

    /// A transition evaluated against a read snapshot, ready to commit. Splitting
    /// ``fire(_:_:now:)`` into ``prepare(_:_:now:)`` and ``commit(_:)`` lets a caller (and the
    /// concurrency tests) hold a transition while another writer commits first.
    public struct PreparedTransition: Sendable {
        public var caseID: String { write.caseID }
        /// The version and chain head that were read; the commit requires them unchanged.
        public var expectedVersion: Int { write.expectedVersion }
        public var expectedHeadSeq: Int { write.expectedHeadSeq }
        /// The audit event to append.
        public var audit: AuditEvent { write.event }
        /// The event as sent (a key used meanwhile must have been used for the same request).
        let request: Event
        let result: StepResult
        /// Everything the repository writes for it (what ``commit(_:)`` submits; a backend's
        /// conformance checks pass it to ``CaseRepository/appendAll(_:)`` directly).
        public let write: Append
        /// The case as it is once this commits.
        let next: CachedCase
        /// Prepared from this ledger's cache without reading the store (``fire(_:_:now:)``).
        var fromCache = false
    }

    /// What ``prepare(_:_:now:)`` found.
    public enum Prepared: Sendable {
        case ready(PreparedTransition)
        /// The idempotency key was used before: its stored event.
        case replayed(AuditEvent)
    }

    /// Applies one event to a case with its pinned definition.
    ///
    /// A case this ledger wrote last is not read again: the step starts from the cached case,
    /// and its write requires the case still at that version and chain head. When another
    /// writer moved the case meanwhile, that write is refused as a conflict, nothing is
    /// recorded, and the step runs once more from what the store holds (the case is read
    /// first from then on). An idempotency key used before is found the same way: the write
    /// breaks the key's unique index, and the stored outcome is returned.
    public func fire(_ caseID: String, _ event: Event, now: Date) async throws(StoreError) -> FireOutcome {
        switch try await prepare(caseID, event, now: now, trustingCache: true) {
        case .replayed(let a):
            return .replayed(a)
        case .ready(let p) where p.fromCache:
            do {
                return try await commit(p)
            } catch where error.kind == .conflict {
                // Moved by another writer: read it first from now on. Not when this ledger's
                // own concurrent step moved it (its cache is past the version read).
                if (cases.lookup(caseID)?.headSeq ?? 0) <= p.expectedHeadSeq { cases.markReadFirst(caseID) }
            }
        case .ready(let p):
            return try await commit(p)
        }
        switch try await prepare(caseID, event, now: now) {
        case .replayed(let a): return .replayed(a)
        case .ready(let p): return try await commit(p)
        }
    }

    /// Reads the case and evaluates `event` without writing anything.
    public func prepare(_ caseID: String, _ event: Event, now: Date) async throws(StoreError) -> Prepared {
        try await prepare(caseID, event, now: now, trustingCache: false)
    }

    /// ``prepare(_:_:now:)``; with `trustingCache`, a cached case (not marked
    /// ``CachedCase/readFirst``) is not read from the store.
    func prepare(_ caseID: String, _ event: Event, now: Date, trustingCache: Bool) async throws(StoreError) -> Prepared {
        if let key = event.idempotencyKey, key.isEmpty { throw .invalidArgument("an idempotency key must not be empty") }
        try Self.checkText(event)
        // The engine sees what replay will read back; an empty payload is `{}` both ways.
        // Assignments and reassignments ride in the stored payload under reserved keys.
        let recorded = event.recordedPayload
        let payloadText = recorded.isEmpty ? "{}" : try CanonicalJSON.encode(recorded)
        // Only a number with a fraction can read back differently (`1.0` is read as 1).
        let payload = !event.payload.values.contains(where: \.hasDouble) ? event.payload
            : try CanonicalJSON.decode([String: ValueIR].self, try CanonicalJSON.encode(event.payload), what: "event payload")
        let current: StoredCase, known: CachedCase?, previous: AuditEvent?
        let fromCache: Bool
        if trustingCache, let c = cases.lookup(caseID), !c.readFirst {
            current = StoredCase(snapshot: c.snapshot, definition: try await pinned(c.snapshot.definitionHash), headSeq: c.headSeq, headHash: c.headHash)
            (known, previous, fromCache) = (c, nil, true)
        } else {
            (current, known, previous) = try await loadKnown(caseID, idempotencyKey: event.idempotencyKey)
            fromCache = false
        }
        if let previous {
            return .replayed(try Self.sameRequest(previous, event, payload: payloadText))
        }
        var e = event
        e.payload = payload
        let result = Engine.fire(current.definition, current.snapshot, e, now: now)
        var audit = AuditEvent(caseID: caseID, seq: current.headSeq + 1, kind: .event, name: event.name, actor: event.actor, role: event.role,
                               item: event.item, payload: payloadText, idempotencyKey: event.idempotencyKey, time: Timestamp(now).description,
                               outcome: "", prevHash: current.headHash, hash: "", actingFor: event.actingFor)
        var write = Append(caseID: caseID, expectedVersion: current.snapshot.version, expectedHeadSeq: current.headSeq, event: audit,
                           columns: nil, timers: nil, tasks: nil, outbox: [])
        if fromCache { write.expectedSnapshot = known?.state.snapshotJSON }
        let next: CachedCase
        switch result {
        case .accepted(let step):
            let s = try CaseState(current.definition, step.snapshot)
            var o = s.outcome(accepted: true)
            o.note = step.reassignmentNote
            audit.outcome = try CanonicalJSON.encode(o)
            audit.hash = HashChain.hash(audit)
            write.columns = s.columns
            let rows = s.timerRows
            // The previous rows come with the cached case: not derived from its snapshot again.
            if rows != (known?.state.timerRows ?? CaseState.timerRows(current.definition, current.snapshot)) { write.timers = rows }
            // Rows and index entries left as they were are not written again: each would be one
            // more page in the commit.
            let tasks = s.taskRows(current.definition, step.snapshot)
            if tasks != known?.taskRows { write.tasks = tasks }
            write.nextDueUnchanged = known.map { $0.taskRows != nil && $0.state.nextDue == s.nextDue } ?? false
            write.outbox = try outboxEntries(step, audit)
            next = CachedCase(snapshot: step.snapshot, state: s, headSeq: audit.seq, headHash: audit.hash, taskRows: tasks)
        case .refused(let r):
            audit.kind = .refused
            let before: CaseState
            if let known { before = known.state } else { before = try CaseState(current.definition, current.snapshot) }
            var o = before.outcome(accepted: false)
            o.refusal = StoredRefusal(r)
            audit.outcome = try CanonicalJSON.encode(o)
            audit.hash = HashChain.hash(audit)
            next = CachedCase(snapshot: current.snapshot, state: before, headSeq: audit.seq, headHash: audit.hash,
                              taskRows: known?.taskRows)
        }
        write.event = audit
        return .ready(PreparedTransition(request: event, result: result, write: write, next: next, fromCache: fromCache))
    }

    /// Commits a prepared transition in one transaction, if the case is still at the version
    /// and chain head it was read at; otherwise nothing is written and
    /// ``StoreError/conflict(caseID:expectedVersion:message:)`` is thrown.
    /// Commits go through the ledger's group commit: steps of other cases submitted meanwhile
    /// share the transaction, and this returns only once it committed.
    public func commit(_ p: PreparedTransition) async throws(StoreError) -> FireOutcome {
        switch await queue.submit(p.write) {
        case .success:
            cases.remember(p.caseID, p.next)
        case .failure(.conflict(let id, let v, let m)):
            // Someone else used the key first: theirs is the outcome to report.
            if let key = p.audit.idempotencyKey, let stored = try await repository.event(id, idempotencyKey: key) {
                return .replayed(try Self.sameRequest(stored, p.request, payload: p.audit.payload))
            }
            throw .conflict(caseID: id, expectedVersion: v, message: m)
        case .failure(let e):
            throw e
        }
        switch p.result {
        case .accepted(let step): return .accepted(step, p.audit)
        case .refused(let r): return .refused(r, p.audit)
        }
    }

    /// The text an event brings into the store: the event name, the actor, the role and the
    /// key follow ``StoredText``.
    static func checkText(_ e: Event) throws(StoreError) {
        try StoredText.check(e.name, what: "the event name")
        try StoredText.check(e.actor, what: "the actor")
        if let r = e.role { try StoredText.check(r, what: "the role") }
        if let p = e.actingFor { try StoredText.check(p, what: "the person acted for") }
        if let k = e.idempotencyKey { try StoredText.check(k, what: "the idempotency key") }
        for (role, person) in e.assign ?? [:] {
            try StoredText.check(role, what: "an assigned role")
            try StoredText.check(person, what: "an assigned person")
        }
        if let r = e.reassignment {
            try StoredText.check(r.role, what: "the reassigned role")
            try StoredText.check(r.person, what: "the new person")
            try StoredText.check(r.reason, what: "the reason")
            if let t = r.task { try StoredText.check(t, what: "the reassigned task") }
        }
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
        if stored.actingFor != event.actingFor { d.append("acting for \(show(stored.actingFor)), now \(show(event.actingFor))") }
        if stored.item != event.item { d.append("item \(stored.item.map(String.init) ?? "none"), now \(event.item.map(String.init) ?? "none")") }
        if stored.payload != payload { d.append("the event data differs") }
        if d.isEmpty { return stored }
        throw .keyReused(caseID: stored.caseID, key: stored.idempotencyKey ?? "", seq: stored.seq, differences: d)
    }

    static func checkCaseID(_ id: String) throws(StoreError) {
        guard !id.isEmpty, id.count <= 200, !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .invalidArgument("a case id must be 1 to 200 characters without spaces or control characters: `\(id)`")
        }
    }

    // MARK: - Tick

    /// Fires what is due at `now` in every running case (selected by the indexed `next_due`);
    /// one transaction per case.
    public func tick(now: Date) async throws(StoreError) -> [TickOutcome] {
        try await tick(now: now, progress: { _ in })
    }

    /// ``tick(now:)`` that calls `progress` with each case's outcome as soon as it is
    /// committed (or failed), so that a caller can report it before the next case.
    public func tick(now: Date, progress: (TickOutcome) -> Void) async throws(StoreError) -> [TickOutcome] {
        let ids = try await repository.dueCases(now: Timestamp(now).description, limit: nil)
        var out: [TickOutcome] = []
        for id in ids {
            let o: TickOutcome
            do {
                o = try await tick(id, now: now)
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
    public func tick(_ caseID: String, now: Date) async throws(StoreError) -> TickOutcome {
        var attempt = 0
        while true {
            attempt += 1
            let (current, known) = try await loadKnown(caseID)
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
            _ = known // a tick rewrites the timers whatever they were
            let write = Append(caseID: caseID, expectedVersion: current.snapshot.version, expectedHeadSeq: current.headSeq, event: audit,
                               columns: s.columns, timers: s.timerRows, tasks: s.taskRows(current.definition, step.snapshot),
                               outbox: try outboxEntries(step, audit))
            switch await queue.submit(write) {
            case .success:
                cases.remember(caseID, CachedCase(snapshot: step.snapshot, state: s, headSeq: audit.seq, headHash: audit.hash, taskRows: write.tasks ?? []))
                return TickOutcome(caseID: caseID, audit: audit, step: step, error: nil)
            case .failure(let e) where e.isRetryable && attempt < 5:
                continue
            case .failure(let e):
                throw e
            }
        }
    }

    /// Leases up to `limit` due running cases to `owner` for `lease` seconds, so that two
    /// servers on one store never tick the same case at once: a case leased by another owner
    /// is skipped until its lease runs out. Tick each returned case with ``tick(_:now:)``.
    public func claimDueCases(now: Date, owner: String, lease: TimeInterval, limit: Int) async throws(StoreError) -> [String] {
        try Self.checkClaim(owner: owner, lease: lease, limit: limit)
        return try await repository.claimDueCases(now: Timestamp(now).description, owner: owner,
                                                  until: Timestamp(now.addingTimeInterval(lease)).description, limit: limit)
    }

    static func checkClaim(owner: String, lease: TimeInterval, limit: Int) throws(StoreError) {
        try StoredText.check(owner, what: "the lease owner")
        guard lease >= 1, lease.isFinite else { throw .invalidArgument("a lease must last at least one second, not \(lease)") }
        guard limit > 0 else { throw .invalidArgument("the claim limit must be positive, not \(limit)") }
    }

    // MARK: - Reading

    /// The case's snapshot and its pinned definition.
    public func load(_ caseID: String) async throws(StoreError) -> StoredCase {
        try await loadKnown(caseID).stored
    }

    /// ``load(_:)``, and the row form of the snapshot when this ledger wrote it last: then the
    /// snapshot comes from the cache instead of being decoded. The cache answers only when the
    /// row still has the version, chain head and definition it recorded AND the row's snapshot
    /// text is byte for byte the text it wrote — so another writer (ledger, process) or a
    /// hand edit in between is always seen.
    func loadKnown(_ caseID: String) async throws(StoreError) -> (stored: StoredCase, known: CachedCase?) {
        let (stored, known, _) = try await loadKnown(caseID, idempotencyKey: nil)
        return (stored, known)
    }

    /// ``loadKnown(_:)``, and the event recorded with `idempotencyKey` (read with the case).
    func loadKnown(_ caseID: String, idempotencyKey: String?) async throws(StoreError) -> (stored: StoredCase, known: CachedCase?, keyed: AuditEvent?) {
        let (row, keyed) = try await repository.loadCase(caseID, idempotencyKey: idempotencyKey)
        if let c = cases.lookup(caseID), let hash = row.definitionHash, let text = row.snapshot,
           row.version == c.snapshot.version, row.headSeq == c.headSeq, row.headHash == c.headHash,
           hash == c.snapshot.definitionHash, Self.sameBytes(text, c.state.snapshotJSON) {
            return (StoredCase(snapshot: c.snapshot, definition: try await pinned(hash), headSeq: c.headSeq, headHash: c.headHash), c, keyed)
        }
        func need<T>(_ v: T?, _ column: String) throws(StoreError) -> T {
            guard let v else { throw StoreError.corrupt("column `\(column)` is NULL or of the wrong type") }
            return v
        }
        let hash = try need(row.definitionHash, "definition_hash")
        let snap = try CanonicalJSON.decode(CaseSnapshot.self, try need(row.snapshot, "snapshot"), what: "the snapshot of case \(caseID)")
        guard snap.caseID == caseID, snap.definitionHash == hash, snap.version == (try need(row.version, "version")) else {
            throw StoreError.corrupt("the snapshot of case \(caseID) does not match its row (id, definition or version)")
        }
        return (StoredCase(snapshot: snap, definition: try await pinned(hash), headSeq: try need(row.headSeq, "head_seq"), headHash: try need(row.headHash, "head_hash")), nil, keyed)
    }

    /// Whether two strings hold the same UTF-8 bytes (one memory comparison; `==` would compare
    /// non-ASCII text by canonical equivalence, and `elementsEqual` byte by byte).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                guard let p = x.baseAddress, let q = y.baseAddress else { return true }
                return memcmp(p, q, x.count) == 0
            }
        }
    }

    /// A page of the cases matching `filter`, newest first (`createdAt` descending, then id
    /// descending); all of them when `filter.limit` is nil.
    public func list(_ filter: CaseFilter, now: Date) async throws(StoreError) -> CasePage {
        if let l = filter.limit, l < 1 { throw .invalidArgument("the page limit must be positive, not \(l)") }
        let after = try filter.cursor.map(Self.decodeCursor)
        let query = CaseQuery(workflow: filter.workflow, state: filter.state, status: filter.status, participant: filter.participant, overdue: filter.overdue,
                              now: Timestamp(now).description, after: after,
                              limit: filter.limit.map { $0 < Int.max ? $0 + 1 : $0 }) // one more tells whether a next page exists
        var cases = try await repository.listCases(query)
        var next: String?
        if let l = filter.limit, cases.count > l {
            cases.removeLast(cases.count - l)
            if let last = cases.last { next = Self.encodeCursor(PageKey(createdAt: last.createdAt, id: last.id)) }
        }
        return CasePage(cases: cases, nextCursor: next)
    }

    static func encodeCursor(_ key: PageKey) -> String {
        let text = (try? CanonicalJSON.encode(key)) ?? "{}"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) throws(StoreError) -> PageKey {
        var b = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        b += String(repeating: "=", count: (4 - b.count % 4) % 4)
        guard let data = Data(base64Encoded: b), let key = try? JSONDecoder().decode(PageKey.self, from: data) else {
            throw .invalidArgument("`\(StoredText.escaped(text))` is not a page cursor of this store")
        }
        return key
    }

    /// The audit log of a case, in sequence order.
    public func history(_ caseID: String) async throws(StoreError) -> [AuditEvent] {
        try await repository.events(caseID).map { r throws(StoreError) in try r.get() }
    }

    /// Every case id, sorted (for "did you mean" on an unknown id).
    public func caseIDs() async throws(StoreError) -> [String] {
        try await repository.caseIDs()
    }

    /// The chain head of every case, for a signed ``Checkpoint``; each head is checked against
    /// the last event of its log first.
    public func heads() async throws(StoreError) -> [Checkpoint.Head] {
        try await repository.heads().map { r throws(StoreError) in
            guard r.eventHash == r.head.headHash, r.maxSeq == r.head.seq else {
                throw StoreError.corrupt("the chain head of case `\(r.head.caseID)` (event \(r.head.seq)) does not match its log; run `wfc case verify \(r.head.caseID)`")
            }
            return r.head
        }
    }

    // MARK: - Tasks

    /// The open tasks of `person` across running cases, soonest deadline first (no deadline
    /// last), from the task index kept with each step.
    public func tasks(for person: String, now: Date) async throws(StoreError) -> [PersonTask] {
        try StoredText.check(person, what: "the person id")
        let t = Timestamp(now).description
        let own = try await repository.tasks(person: person)
        let standIn = try await substituteTasks(for: person, now: now)
        return PersonTask.soonestFirst(own + standIn, hasSubstitutes: !standIn.isEmpty).map { task in
            var task = task
            task.overdue = task.due.map { $0 <= t } ?? false
            return task
        }
    }

    // MARK: - Outbox

    /// Leases up to `limit` undelivered effects to `owner` for `lease` seconds, oldest first.
    /// An entry claimed by a server that dies becomes claimable again when its lease runs out;
    /// deliver each, then ``markDelivered(_:now:)`` or ``retryOutbox(_:notBefore:error:)``.
    public func claimOutbox(owner: String, limit: Int, now: Date, lease: TimeInterval) async throws(StoreError) -> [OutboxEntry] {
        try Self.checkClaim(owner: owner, lease: lease, limit: limit)
        return try await repository.claimOutbox(owner: owner, limit: limit, now: Timestamp(now).description,
                                                until: Timestamp(now.addingTimeInterval(lease)).description)
    }

    /// Marks outbox entries delivered: they are never claimed again.
    public func markDelivered(_ ids: [String], now: Date = Date()) async throws(StoreError) {
        try await repository.markDelivered(ids, at: Timestamp(now).description)
    }

    /// Gives up the lease of an entry whose delivery failed: it is claimable again from
    /// `notBefore` (the caller's backoff), and `error` is kept for inspection.
    public func retryOutbox(_ id: String, notBefore: Date, error: String) async throws(StoreError) {
        try await repository.retryOutbox(id, notBefore: Timestamp(notBefore).description, error: error)
    }
}
