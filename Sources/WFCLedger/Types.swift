import Foundation
import WFCIR
import WFCRuntime

/// A policy file as it was when its definition was stored.
public struct PolicySource: Codable, Equatable, Sendable {
    /// The file name as the IR's spans give it (relative to the workflow's folder).
    public var irFile: String
    /// The path it was read from, for display.
    public var path: String
    public var text: String

    public init(irFile: String, path: String, text: String) {
        self.irFile = irFile
        self.path = path
        self.text = text
    }
}

/// A case as stored: its snapshot and the definition it is pinned to.
public struct StoredCase: Sendable {
    public var snapshot: CaseSnapshot
    public var definition: Definition
    /// The sequence number and hash of the last audit event (the chain head).
    public var headSeq: Int
    public var headHash: String

    public init(snapshot: CaseSnapshot, definition: Definition, headSeq: Int, headHash: String) {
        self.snapshot = snapshot
        self.definition = definition
        self.headSeq = headSeq
        self.headHash = headHash
    }
}

/// What kind of audit event a row is.
public enum AuditKind: String, Codable, Sendable {
    /// The case was started (payload: `data` and `people`).
    case start
    /// A named event was accepted.
    case event
    /// Timers fired.
    case tick
    /// An event was refused: recorded, nothing changed.
    case refused
    /// The case moved to another definition by a migration plan (payload: ``MigratePayload``);
    /// from here on the case is pinned to the plan's `to`.
    case migrate
}

/// The payload of a ``AuditKind/migrate`` event: both definitions, the plan's hash and the
/// plan itself (its state map, values and policies), so that replay re-applies exactly it.
public struct MigratePayload: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var planHash: String
    public var plan: MigrationPlanIR

    public init(from: String, to: String, planHash: String, plan: MigrationPlanIR) {
        self.from = from
        self.to = to
        self.planHash = planHash
        self.plan = plan
    }
}

/// The result of ``Ledger/migrate(_:plan:to:actor:now:dryRun:)``.
public enum MigrateOutcome: Sendable {
    /// Migrated and recorded as one step.
    case migrated(Step, AuditEvent)
    /// A dry run: this is the case the migration would give; nothing was written.
    case wouldMigrate(Step)
    /// The case cannot be migrated by this plan; it stays on its version and nothing was written.
    case refused(Refusal)
}

/// The stored outcome of an audit event. Replaying an idempotency key returns it.
public struct EventOutcome: Codable, Equatable, Sendable {
    /// `accepted` or `refused`.
    public var result: String
    /// The case version after the event (unchanged for a refusal).
    public var version: Int
    /// The case status after the event.
    public var status: String
    /// Active states after the event, outermost first.
    public var active: [String]
    /// SHA-256 of the snapshot JSON after the event: replay must reproduce it.
    public var snapshotHash: String
    /// Why the event was refused.
    public var refusal: StoredRefusal?
    /// For a reassignment (转交): "X acting for Y as R …, by Z, because …"; absent otherwise.
    public var note: String? = nil

    public var accepted: Bool { result == "accepted" }
}

/// A ``Refusal`` as stored in the audit log.
public struct StoredRefusal: Codable, Equatable, Sendable {
    public var kind: String
    public var message: String
    public var details: [String]
    public var span: SpanIR?

    public init(_ r: Refusal) {
        kind = r.kind.rawValue
        message = r.message
        details = r.details
        span = r.span
    }

    /// Back to a runtime refusal (an unknown kind reads as `runtimeError`).
    public var refusal: Refusal {
        Refusal(Refusal.Kind(rawValue: kind) ?? .runtimeError, message, span: span, details: details)
    }
}

/// One row of the audit log.
public struct AuditEvent: Codable, Equatable, Sendable {
    public var caseID: String
    /// 1, 2, 3… without gaps; refused attempts take a number too.
    public var seq: Int
    public var kind: AuditKind
    /// The event name (`start` and `tick` for those kinds).
    public var name: String
    public var actor: String?
    public var role: String?
    public var item: Int?
    /// Canonical JSON: the event payload; for `start`, `{"data":…,"people":…}`.
    public var payload: String
    public var idempotencyKey: String?
    /// RFC 3339 UTC, one-second resolution: the `now` the engine saw.
    public var time: String
    /// Canonical JSON of an ``EventOutcome``.
    public var outcome: String
    /// The previous event's hash (64 zeros for the first).
    public var prevHash: String
    /// SHA-256 (hex) of this event's canonical encoding, which includes `prevHash`.
    public var hash: String
    /// The person `actor` stood in for as their substitute (代理); nil when the actor acted
    /// for themselves. Hashed only when set, so chains written before it verify unchanged.
    public var actingFor: String? = nil

    public init(caseID: String, seq: Int, kind: AuditKind, name: String, actor: String?, role: String?, item: Int?, payload: String,
                idempotencyKey: String?, time: String, outcome: String, prevHash: String, hash: String, actingFor: String? = nil) {
        self.actingFor = actingFor
        self.caseID = caseID
        self.seq = seq
        self.kind = kind
        self.name = name
        self.actor = actor
        self.role = role
        self.item = item
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.time = time
        self.outcome = outcome
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The decoded outcome, nil when the stored text does not decode.
    public var decodedOutcome: EventOutcome? {
        try? JSONDecoder().decode(EventOutcome.self, from: Data(outcome.utf8))
    }
}

/// The result of ``Ledger/start(_:caseID:data:people:actor:now:)``.
public enum StartOutcome: Sendable {
    /// The case was stored; its first audit event.
    case started(Step, AuditEvent)
    /// The engine refused the start: nothing was stored.
    case refused(Refusal)
}

/// The result of ``Ledger/fire(_:_:now:)``.
public enum FireOutcome: Sendable {
    /// The event was accepted and recorded.
    case accepted(Step, AuditEvent)
    /// The event was refused; the attempt was recorded and nothing else changed.
    case refused(Refusal, AuditEvent)
    /// The idempotency key was used before: the stored event, whose outcome is returned as it was.
    case replayed(AuditEvent)

    /// The audit event recorded (or found).
    public var audit: AuditEvent {
        switch self {
        case .accepted(_, let a), .refused(_, let a), .replayed(let a): a
        }
    }
}

/// What `tick` did to one case.
public struct TickOutcome: Sendable {
    public var caseID: String
    /// The recorded tick event, nil when nothing was due after all.
    public var audit: AuditEvent?
    public var step: Step?
    /// Set when the case could not be ticked (the others still were).
    public var error: String?
    /// The store failure behind ``error``, when it was one (not an engine refusal).
    public var storeError: StoreError? = nil
}

/// Which cases ``Ledger/list(_:now:)`` returns, and which page of them.
public struct CaseFilter: Sendable {
    public var workflow: String?
    /// Only cases with this state active (at any depth).
    public var state: String?
    /// Only running cases with a deadline that has passed.
    public var overdue: Bool
    /// Only cases with this status (`running`, `completed`, …).
    public var status: String?
    /// Only cases in which this person holds a role.
    public var participant: String?
    /// At most this many cases (all when nil).
    public var limit: Int?
    /// Where the page starts: the ``CasePage/nextCursor`` of the page before (opaque).
    public var cursor: String?

    public init(workflow: String? = nil, state: String? = nil, overdue: Bool = false, status: String? = nil, participant: String? = nil,
                limit: Int? = nil, cursor: String? = nil) {
        self.workflow = workflow
        self.state = state
        self.overdue = overdue
        self.status = status
        self.participant = participant
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of ``Ledger/list(_:now:)``: newest first (`createdAt` descending, then id
/// descending).
public struct CasePage: Codable, Equatable, Sendable {
    public var cases: [CaseSummary]
    /// Pass it as ``CaseFilter/cursor`` for the next page; nil on the last page.
    public var nextCursor: String?

    public init(cases: [CaseSummary], nextCursor: String?) {
        self.cases = cases
        self.nextCursor = nextCursor
    }
}

/// A definition pinned in the store by its content hash (``Ledger/deploy(_:now:)``, or the
/// first ``Ledger/start(_:caseID:data:people:actor:now:)`` of it).
public struct DeployedDefinition: Codable, Equatable, Sendable {
    /// The IR's content hash (`sha256:…`).
    public var hash: String
    /// The workflow id.
    public var workflow: String
    /// 1, 2, 3… per workflow id, in the order its definitions were first pinned; stored, so
    /// it never changes.
    public var version: Int
    /// When it was first pinned, RFC 3339 UTC.
    public var createdAt: String

    public init(hash: String, workflow: String, version: Int, createdAt: String) {
        self.hash = hash
        self.workflow = workflow
        self.version = version
        self.createdAt = createdAt
    }
}

/// One open task of a person (``Ledger/tasks(for:now:)``): a state of a running case waiting
/// for them in one of its roles.
public struct PersonTask: Codable, Equatable, Sendable {
    public var caseID: String
    public var workflow: String
    public var state: String
    public var title: String?
    /// The foreach item index, for a state inside a foreach body.
    public var item: Int?
    /// The role the person holds here (a person with two roles of one task has two entries).
    public var role: String
    /// The events the person may fire (`sign` for sign-offs).
    public var events: [String]
    /// The state's unfired deadline, RFC 3339 UTC.
    public var due: String?
    /// True when `due` has passed at the `now` asked about.
    public var overdue: Bool
    /// Set when the task is open to the person as a substitute (代理): the person it is
    /// bound to, for whom they act (`actingFor` of the event they send). Omitted when nil.
    public var actingFor: String? = nil
    /// The content hash of the definition the case is pinned to, so that a reader of many
    /// tasks needs the definitions, not the cases. Nil only from a repository that cannot say.
    public var definition: String? = nil

    public init(caseID: String, workflow: String, state: String, title: String?, item: Int?, role: String, events: [String], due: String?, overdue: Bool = false) {
        self.caseID = caseID
        self.workflow = workflow
        self.state = state
        self.title = title
        self.item = item
        self.role = role
        self.events = events
        self.due = due
        self.overdue = overdue
    }
}

/// An effect of an accepted step (``Effect``: task opened, escalation, violation, case
/// finished), written to the outbox in the step's own transaction, for delivery to the outside
/// world (webhooks) at least once.
public struct OutboxEntry: Codable, Equatable, Sendable {
    /// Unique and stable: `caseID:seq:index`. A receiver deduplicates by it.
    public var id: String
    public var caseID: String
    /// The audit event whose step had this effect.
    public var seq: Int
    /// `taskOpened`, `escalation`, `violation` or `caseFinished`.
    public var kind: String
    /// Canonical JSON of the ``Effect``.
    public var payload: String
    /// How many times it has been claimed (this claim included).
    public var attempts: Int
    /// The step's time, RFC 3339 UTC.
    public var createdAt: String

    public init(id: String, caseID: String, seq: Int, kind: String, payload: String, attempts: Int, createdAt: String) {
        self.id = id
        self.caseID = caseID
        self.seq = seq
        self.kind = kind
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// One line of `wfc case list`.
public struct CaseSummary: Codable, Equatable, Sendable {
    public var id: String
    public var workflow: String
    public var definitionHash: String
    public var version: Int
    public var status: String
    public var active: [String]
    /// The earliest unfired timer, RFC 3339 UTC.
    public var nextDue: String?
    /// The earliest deadline that has passed (fired or not), when the case is overdue.
    public var overdueSince: String?
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, workflow: String, definitionHash: String, version: Int, status: String, active: [String], nextDue: String?,
                overdueSince: String?, createdAt: String, updatedAt: String) {
        self.id = id
        self.workflow = workflow
        self.definitionHash = definitionHash
        self.version = version
        self.status = status
        self.active = active
        self.nextDue = nextDue
        self.overdueSince = overdueSince
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What ``Ledger/verify(_:)`` found.
public struct VerifyReport: Codable, Equatable, Sendable {
    public var caseID: String
    /// Audit events examined.
    public var events: Int
    /// The first sequence number whose stored hash, link or number is wrong (someone edited,
    /// removed or inserted a row); nil when the chain is intact.
    public var firstBadSeq: Int?
    /// The first sequence number whose replay does not give the recorded outcome.
    public var firstDivergentSeq: Int?
    /// Everything wrong, in order found.
    public var problems: [String]
    /// The same problems with their kind, sequence number and, for a replay that refuses a
    /// recorded event, the refusal (whose span is the policy line).
    public var findings: [VerifyFinding] = []
    /// The definition hash the case row pins (nil when the row does not give one), for
    /// finding the policy text of a refusal.
    public var definitionHash: String?

    /// True when the chain is intact, the replay matches every recorded outcome and the final
    /// replayed snapshot equals the stored one.
    public var ok: Bool { problems.isEmpty }

    /// The report on a case a signed checkpoint names but the store no longer has.
    public static func missing(_ head: Checkpoint.Head) -> VerifyReport {
        let why = "the case is missing from the store; the checkpoint signed \(head.seq) events"
        return VerifyReport(caseID: head.caseID, events: 0, firstBadSeq: nil, firstDivergentSeq: nil, problems: ["checkpoint: \(why)"],
                            findings: [VerifyFinding(kind: .checkpointMismatch, seq: head.seq, message: why)])
    }
}

/// One thing ``Ledger/verify(_:)`` found wrong.
public struct VerifyFinding: Codable, Equatable, Sendable {
    /// What kind of problem it is; `wfc` gives each kind a diagnostic code.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// A row's number, link or hash is wrong, or the chain head does not match the log.
        case chainBroken
        /// Replaying an intact event does not give its recorded outcome.
        case replayDiverged
        /// The pinned definition is missing, does not load, or hashes to another value.
        case definitionInvalid
        /// The stored snapshot, a derived column of the case row (workflow, version, status,
        /// active states, times, next due) or the case's timers differ from the replay of the log.
        case snapshotMismatch
        /// The log no longer holds the chain head a signed checkpoint recorded: events up to
        /// the checkpoint were removed or changed, or the case is gone.
        case checkpointMismatch
    }

    public var kind: Kind
    /// The audit event where it was found, when it is about one event.
    public var seq: Int?
    /// What is wrong, without the event number.
    public var message: String
    /// When the replay refused an event that was recorded as accepted: that refusal.
    public var refusal: StoredRefusal?

    public init(kind: Kind, seq: Int? = nil, message: String, refusal: StoredRefusal? = nil) {
        self.kind = kind
        self.seq = seq
        self.message = message
        self.refusal = refusal
    }
}
