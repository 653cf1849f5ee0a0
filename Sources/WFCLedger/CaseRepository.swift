import Foundation

/// The seam between the ``Ledger`` and a database: rows in, rows out, no engine, no hashing.
/// ``SQLiteRepository`` (module WFCStore) implements it; a PostgreSQL backend is next. Every
/// implementation must pass the `RepositoryConformance` suite, and give these guarantees:
///
/// - ``insertCase(_:)`` and ``append(_:)`` are each ONE transaction: the audit event, the case
///   row, its timers, its task index rows and its outbox entries are all written, or none is.
/// - ``append(_:)`` is conditional: it writes only while the case row still has the expected
///   version and chain head (`UPDATE … WHERE version = ? AND head_seq = ?`); otherwise it
///   writes nothing and throws ``StoreError/conflict(caseID:expectedVersion:message:)``. Of two
///   writers racing on one case exactly one wins.
/// - An idempotency key is unique per case (the second insert of a key fails as a conflict).
/// - The audit log is append-only: nothing updates or deletes an event row.
/// - ``dueCases(now:limit:)`` and ``claimDueCases(now:owner:until:limit:)`` read an index on
///   the cases' `next_due`, never a scan of all cases; ``tasks(person:)`` an index on person.
/// - Claims (``claimOutbox(owner:limit:now:until:)``, ``claimDueCases(now:owner:until:limit:)``)
///   are leases taken atomically: two callers never hold the same entry or case at once, and
///   an entry whose lease has run out can be claimed again.
///
/// Times are RFC 3339 UTC text with one-second resolution (``Timestamp``), which sorts as text.
/// Failures are ``StoreError``s: `busy` and `conflict` are retryable; rows that do not decode are
/// `corrupt`.
public protocol CaseRepository: Sendable {
    // MARK: Cases

    /// The case row, as stored (columns of the wrong type read as nil); `notFound` when none.
    func loadCase(_ id: String) async throws(StoreError) -> CaseRecord
    /// Whether a case row with this id exists.
    func caseExists(_ id: String) async throws(StoreError) -> Bool
    /// One transaction: pins the definition (as ``putDefinition(_:)``) and inserts the case
    /// row, its first event, timers, tasks and outbox entries. `alreadyExists` when the id is
    /// taken (nothing written).
    func insertCase(_ new: NewCase) async throws(StoreError)
    /// One transaction, conditional on the case's version and chain head: see ``Append``.
    func append(_ step: Append) async throws(StoreError)
    /// Group commit: the steps (of many cases) in as few transactions as the backend can, each
    /// step all or nothing and conditional exactly as ``append(_:)``; one result per step, in
    /// order, known only once its transaction committed. A step that conflicts (or whose case
    /// is gone) fails alone and writes nothing — no event, no outbox entry — while the others
    /// commit; an error of the transaction itself fails every step. The default appends one
    /// by one; SQLite uses one transaction with a savepoint per step.
    func appendAll(_ steps: [Append]) async -> [Result<Void, StoreError>]
    /// ``appendAll(_:)`` for a lone caller (no other step is waiting): a backend may run it on
    /// the calling thread. The default is ``appendAll(_:)``.
    func appendAllNow(_ steps: [Append]) async -> [Result<Void, StoreError>]
    /// The event of a case recorded with this idempotency key.
    func event(_ caseID: String, idempotencyKey: String) async throws(StoreError) -> AuditEvent?
    /// ``loadCase(_:)`` and, when `idempotencyKey` is given, ``event(_:idempotencyKey:)``, read
    /// together (a step with a key needs both). The default reads one after the other; a
    /// backend overrides it to read both at once (one read transaction, one round trip).
    func loadCase(_ id: String, idempotencyKey: String?) async throws(StoreError) -> (CaseRecord, AuditEvent?)
    /// The events of a case in sequence order, each decoded or the reason it does not decode;
    /// `notFound` when there is no such case.
    func events(_ caseID: String) async throws(StoreError) -> [AuditRow]
    /// Everything stored for a case, read in ONE read transaction (a consistent view while
    /// others write): for verify. `notFound` when there is no such case.
    func caseRows(_ caseID: String) async throws(StoreError) -> CaseRows
    /// Cases matching `query`, newest first (`created_at` descending, then `id` descending).
    func listCases(_ query: CaseQuery) async throws(StoreError) -> [CaseSummary]
    /// Ids of running cases whose `next_due` is at or before `now`, by `next_due` then id.
    func dueCases(now: String, limit: Int?) async throws(StoreError) -> [String]
    /// ``dueCases(now:limit:)``, but only cases no other owner holds a live lease on; each
    /// returned case is leased to `owner` until `until`, in one transaction.
    func claimDueCases(now: String, owner: String, until: String, limit: Int) async throws(StoreError) -> [String]
    /// Every case id, sorted.
    func caseIDs() async throws(StoreError) -> [String]
    /// Every case's chain head with its log's last event, sorted by case id.
    func heads() async throws(StoreError) -> [HeadRecord]

    // MARK: Definitions

    /// Pins a definition by its hash; when the hash is new it gets the next version of its
    /// workflow (1, 2, 3…). Idempotent: a known hash returns its first record unchanged.
    func putDefinition(_ definition: DefinitionRecord) async throws(StoreError) -> DeployedDefinition
    /// The stored definition row (`irJSON` read only when `withIR`); nil when absent.
    func definition(hash: String, withIR: Bool) async throws(StoreError) -> DefinitionRecord?
    /// Pinned definitions (of `workflow`, when given), newest version first.
    func definitions(workflow: String?) async throws(StoreError) -> [DeployedDefinition]
    /// Keeps policy text for a definition (first writer wins per file).
    func attachSources(_ definitionHash: String, _ files: [PolicySource]) async throws(StoreError)
    /// The policy text kept for a definition, by IR file name.
    func sources(_ definitionHash: String) async throws(StoreError) -> [PolicySource]

    // MARK: Tasks and outbox

    /// The task index rows of `person` in running cases, soonest `due` first, no due last.
    func tasks(person: String) async throws(StoreError) -> [PersonTask]
    /// Up to `limit` undelivered entries that are available at `now` and not leased (or whose
    /// lease ran out), oldest first; each is leased to `owner` until `until` and its attempts
    /// counted, in one transaction.
    func claimOutbox(owner: String, limit: Int, now: String, until: String) async throws(StoreError) -> [OutboxEntry]
    /// Marks entries delivered: they are never claimed again. Unknown ids are ignored.
    func markDelivered(_ ids: [String], at: String) async throws(StoreError)
    /// Releases an entry's lease and makes it claimable again from `notBefore`, keeping `error`.
    func retryOutbox(_ id: String, notBefore: String, error: String) async throws(StoreError)

    // MARK: Substitutes

    /// Keeps a substitution (validated by the ledger). One transaction that first looks for an
    /// unrevoked substitution of the same person whose range meets this one, and then throws
    /// ``StoreError/substitutionOverlaps(person:existing:message:)`` writing nothing: of two
    /// overlapping adds racing, exactly one is kept. A known id is `invalidSubstitution`.
    func addSubstitution(_ s: Substitution) async throws(StoreError)
    /// The substitutions ``SubstitutionQuery/matches(_:)`` selects, by person, `from`, id.
    func substitutions(_ query: SubstitutionQuery) async throws(StoreError) -> [Substitution]
    /// Sets `revokedBy`/`revokedAt` unless already revoked, and returns the row as it is then;
    /// ``StoreError/unknownSubstitution(id:)`` when there is none.
    func revokeSubstitution(id: String, by: String, at: String) async throws(StoreError) -> Substitution

    // MARK: Web sessions

    /// Keeps a new web session (its ``WebSessionRecord/problem`` checked by the caller). A known
    /// id hash is ``StoreError/invalidArgument(_:)``: a session is never overwritten.
    func putSession(_ s: WebSessionRecord) async throws(StoreError)
    /// The session with this id hash, unless it expired by `now` (RFC 3339 UTC).
    func session(idHash: String, now: String) async throws(StoreError) -> WebSessionRecord?
    /// Ends a session; nothing when there is none.
    func removeSession(idHash: String) async throws(StoreError)
    /// Deletes the sessions expired by `now`; how many.
    func purgeSessions(now: String) async throws(StoreError) -> Int
}

extension CaseRepository {
    public func appendAllNow(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        await appendAll(steps)
    }

    public func loadCase(_ id: String, idempotencyKey: String?) async throws(StoreError) -> (CaseRecord, AuditEvent?) {
        let row = try await loadCase(id)
        guard let key = idempotencyKey else { return (row, nil) }
        return (row, try await event(id, idempotencyKey: key))
    }

    /// One ``append(_:)`` (one transaction) per step.
    public func appendAll(_ steps: [Append]) async -> [Result<Void, StoreError>] {
        var out: [Result<Void, StoreError>] = []
        out.reserveCapacity(steps.count)
        for s in steps {
            do { try await append(s); out.append(.success(())) } catch { out.append(.failure(error)) }
        }
        return out
    }
}

/// Everything stored for one case, as read at one moment (``CaseRepository/caseRows(_:)``).
public struct CaseRows: Sendable {
    public var record: CaseRecord
    /// In sequence order.
    public var events: [AuditRow]
    /// In no particular order.
    public var timers: [TimerRow]
    /// In no particular order; nil when the store keeps no task index (an older schema read
    /// without migrating it), which verify then does not check.
    public var tasks: [TaskRow]?
    /// The row of the definition the case pins, without its IR; nil when missing.
    public var definition: DefinitionRecord?

    public init(record: CaseRecord, events: [AuditRow], timers: [TimerRow], tasks: [TaskRow]?, definition: DefinitionRecord?) {
        self.record = record
        self.events = events
        self.timers = timers
        self.tasks = tasks
        self.definition = definition
    }
}

/// An event row, or why it does not decode.
public typealias AuditRow = Result<AuditEvent, StoreError>

/// A case row as stored. A column that is NULL or of the wrong type reads as nil: verify
/// reports it, the ledger refuses to step from it.
public struct CaseRecord: Sendable, Equatable {
    public var id: String
    public var workflow: String?
    public var definitionHash: String?
    public var version: Int?
    public var status: String?
    /// JSON list of the active states.
    public var active: String?
    /// The snapshot JSON.
    public var snapshot: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var nextDue: String?
    public var headSeq: Int?
    public var headHash: String?

    public init(id: String, workflow: String?, definitionHash: String?, version: Int?, status: String?, active: String?, snapshot: String?,
                createdAt: String?, updatedAt: String?, nextDue: String?, headSeq: Int?, headHash: String?) {
        self.id = id
        self.workflow = workflow
        self.definitionHash = definitionHash
        self.version = version
        self.status = status
        self.active = active
        self.snapshot = snapshot
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.nextDue = nextDue
        self.headSeq = headSeq
        self.headHash = headHash
    }
}

/// The columns of a case row a step determines (all but `id`, `workflow`, `definitionHash`
/// and `createdAt`, which the start fixes, and the chain head, which the event gives).
public struct CaseColumns: Sendable, Equatable {
    public var version: Int
    public var status: String
    /// JSON list of the active states.
    public var active: String
    public var snapshot: String
    public var updatedAt: String
    public var nextDue: String?

    public init(version: Int, status: String, active: String, snapshot: String, updatedAt: String, nextDue: String?) {
        self.version = version
        self.status = status
        self.active = active
        self.snapshot = snapshot
        self.updatedAt = updatedAt
        self.nextDue = nextDue
    }
}

/// A row of the timers table: a deadline or wait of an active state. Read back with every
/// column as stored (nil when NULL or of the wrong type).
public struct TimerRow: Sendable, Equatable, Hashable {
    public var state: String?
    /// `deadline` or `wait`.
    public var kind: String?
    public var due: String?
    public var fired: Bool?

    public init(state: String?, kind: String?, due: String?, fired: Bool?) {
        self.state = state
        self.kind = kind
        self.due = due
        self.fired = fired
    }
}

/// A row of the task index: one person, in one role, may act on one open task of a case.
public struct TaskRow: Sendable, Equatable, Hashable {
    public var person: String
    public var role: String
    public var state: String
    public var title: String?
    public var item: Int?
    public var events: [String]
    /// The state's unfired deadline, RFC 3339 UTC.
    public var due: String?

    public init(person: String, role: String, state: String, title: String?, item: Int?, events: [String], due: String?) {
        self.person = person
        self.role = role
        self.state = state
        self.title = title
        self.item = item
        self.events = events
        self.due = due
    }
}

/// A definitions row. `workflow` and `irJSON` may be nil when read (NULL, or not asked for).
public struct DefinitionRecord: Sendable, Equatable {
    public var hash: String
    public var workflow: String?
    /// The IR as canonical JSON, its content hash included.
    public var irJSON: String?
    /// Set when read; assigned by ``CaseRepository/putDefinition(_:)``.
    public var version: Int?
    /// RFC 3339 UTC.
    public var createdAt: String?

    public init(hash: String, workflow: String?, irJSON: String?, version: Int? = nil, createdAt: String?) {
        self.hash = hash
        self.workflow = workflow
        self.irJSON = irJSON
        self.version = version
        self.createdAt = createdAt
    }
}

/// A new case: everything ``CaseRepository/insertCase(_:)`` writes in one transaction.
public struct NewCase: Sendable {
    public var id: String
    public var definition: DefinitionRecord
    public var createdAt: String
    public var columns: CaseColumns
    /// The first audit event (seq 1); its hash is the chain head.
    public var event: AuditEvent
    public var timers: [TimerRow]
    public var tasks: [TaskRow]
    public var outbox: [OutboxEntry]

    public init(id: String, definition: DefinitionRecord, createdAt: String, columns: CaseColumns, event: AuditEvent, timers: [TimerRow], tasks: [TaskRow], outbox: [OutboxEntry]) {
        self.id = id
        self.definition = definition
        self.createdAt = createdAt
        self.columns = columns
        self.event = event
        self.timers = timers
        self.tasks = tasks
        self.outbox = outbox
    }
}

/// One step of a case for ``CaseRepository/append(_:)``: in one transaction, if the case row
/// still has `expectedVersion` and `expectedHeadSeq`, move its chain head to `event`, set
/// `columns` (when given), replace its timers and task rows (when given), insert `event` and
/// the outbox entries, and re-pin the case to `definitionHash` when given. Otherwise write
/// nothing and throw `conflict` (`notFound` when the case is gone).
public struct Append: Sendable {
    public var caseID: String
    public var expectedVersion: Int
    public var expectedHeadSeq: Int
    public var event: AuditEvent
    /// Nil for a refused attempt: only the chain head moves.
    public var columns: CaseColumns?
    /// Nil: unchanged.
    public var timers: [TimerRow]?
    /// Nil: unchanged.
    public var tasks: [TaskRow]?
    public var outbox: [OutboxEntry]
    /// A migration (``AuditKind/migrate``): the definition the case is pinned to from this
    /// step on (already stored with ``CaseRepository/putDefinition(_:)``); nil: unchanged.
    /// Requires `columns`.
    public var definitionHash: String? = nil
    /// The step leaves the case's `next_due` as it was (known from the ledger's cache): a
    /// repository may leave the column, and so its index, unwritten. False when not known.
    public var nextDueUnchanged = false
    /// Set when the step was prepared from the ledger's cache without reading the case row:
    /// the write then also requires the row's snapshot to be this very text, so that a row
    /// edited under the same version is read (and reported) by the retry, not overwritten.
    public var expectedSnapshot: String? = nil

    public init(caseID: String, expectedVersion: Int, expectedHeadSeq: Int, event: AuditEvent, columns: CaseColumns?, timers: [TimerRow]?, tasks: [TaskRow]?, outbox: [OutboxEntry]) {
        self.caseID = caseID
        self.expectedVersion = expectedVersion
        self.expectedHeadSeq = expectedHeadSeq
        self.event = event
        self.columns = columns
        self.timers = timers
        self.tasks = tasks
        self.outbox = outbox
    }
}

/// What ``CaseRepository/listCases(_:)`` selects. `state` matches any active state (the
/// `active` JSON list); `overdue` means running with a deadline timer due at or before `now`.
public struct CaseQuery: Sendable, Equatable {
    public var workflow: String?
    public var state: String?
    public var status: String?
    /// Only cases whose `people` name this person (in any role).
    public var participant: String?
    public var overdue: Bool
    /// For `overdue` and ``CaseSummary/overdueSince``.
    public var now: String
    /// Only cases after this one in the order (keyset paging): `(createdAt, id)`.
    public var after: PageKey?
    public var limit: Int?

    public init(workflow: String?, state: String?, status: String?, participant: String? = nil, overdue: Bool, now: String, after: PageKey?, limit: Int?) {
        self.workflow = workflow
        self.state = state
        self.status = status
        self.participant = participant
        self.overdue = overdue
        self.now = now
        self.after = after
        self.limit = limit
    }
}

/// A position in the newest-first order of cases.
public struct PageKey: Sendable, Equatable, Codable {
    public var createdAt: String
    public var id: String

    public init(createdAt: String, id: String) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// A case's chain head as its row says, and its log's last event.
public struct HeadRecord: Sendable, Equatable {
    public var head: Checkpoint.Head
    /// The hash of the event at `head.seq` (nil when there is none).
    public var eventHash: String?
    /// The highest sequence number in the log.
    public var maxSeq: Int?

    public init(head: Checkpoint.Head, eventHash: String?, maxSeq: Int?) {
        self.head = head
        self.eventHash = eventHash
        self.maxSeq = maxSeq
    }
}
