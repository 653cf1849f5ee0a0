import Foundation
import WFCCalendar
import WFCIR

/// Something that happened to a case from outside: a named event by a person.
public struct Event: Codable, Equatable, Sendable {
    /// The event name; `sign` and `unsign` are the implicit events of sign-off states.
    public var name: String
    /// The person id of whoever fires the event.
    public var actor: String
    /// Field values the actor fills in (only fields the state or transition `fills`).
    public var payload: [String: ValueIR]
    /// Repeating an event with an already accepted key changes nothing (see ``Step/duplicate``).
    public var idempotencyKey: String?
    /// The foreach item index, when the event targets one item of a foreach.
    public var item: Int?
    /// For `sign`/`unsign` when the actor holds several roles of the sign-off: which one.
    public var role: String?
    /// People the event binds to roles its transition assigns (`assign:`): role → person id.
    public var assign: [String: String]?
    /// A reassignment (转交) instead of a named event; see ``Reassignment``.
    public var reassignment: Reassignment?
    /// The person the actor stands in for as their substitute (代理): the actor acts in the
    /// roles bound to this person, where the policy allows substitutes. The service sets it
    /// only after checking the person's substitution record at the event's time; the engine
    /// trusts it. Nil: the actor acts for themselves.
    public var actingFor: String? = nil

    public init(_ name: String, actor: String, payload: [String: ValueIR] = [:], idempotencyKey: String? = nil, item: Int? = nil, role: String? = nil,
                assign: [String: String]? = nil, reassignment: Reassignment? = nil, actingFor: String? = nil) {
        self.name = name
        self.actor = actor
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.item = item
        self.role = role
        self.assign = assign
        self.reassignment = reassignment
        self.actingFor = actingFor
    }

    public static let sign = "sign"
    public static let unsign = "unsign"
}

/// Why the engine refused an event, a start, or could not run a step. A refusal changes nothing.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case invalidData, unboundRole, unknownRole, separationOfDuties
        case caseFinished, definitionMismatch, unknownEvent, ambiguous, notAuthorized
        case guardFalse, requirementFailed, payloadNotFillable, payloadInvalid, maxRounds
        case alreadySigned, notSigned, calendar, runtimeError
        /// `sign`/`unsign` with a role the sender is not bound to in this case.
        case roleNotHeld
        /// A role the policy assigns during the case was bound at start.
        case assignedLater
        /// An event's `assign` data does not match what its transition assigns.
        case assignmentInvalid
        /// The sender may not reassign, or not this role (`reassign:` of the policy).
        case reassignNotAllowed
        /// A reassignment names no open task of the role, no new person, or no reason.
        case reassignInvalid
        /// A `back_to:` event without a chosen step, or with one the policy does not list.
        case backToNotAllowed
        /// A signature out of turn in a sign-off signed in order (依次, or after a 加签).
        case notYourTurn
        /// `unsign` of a signature that a later party of an ordered sign-off signed after.
        case signatureLocked
        /// `add_signer` where the policy does not allow it (no `add:`, or not that position).
        case addSignerNotAllowed
        /// `add_signer` of a person separation of duties keeps out of the sign-off.
        case addedSignerConflict
        /// A substitute acted for a role whose policy says `substitutes: false`.
        case substituteNotAllowed
    }
    public var kind: Kind
    public var message: String
    /// The policy line the refusal comes from, when there is one.
    public var span: SpanIR?
    /// Individual problems (data validation paths, unfinished checklist items).
    public var details: [String]
    /// For `unknownEvent`: the event sent and the events possible now, so that a caller can
    /// suggest the one that was meant.
    public var event: String?
    public var possibleEvents: [String] = []

    public init(_ kind: Kind, _ message: String, span: SpanIR? = nil, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.span = span
        self.details = details
    }

    /// `file:line:col: message`, then one detail a line.
    public var description: String {
        var s = span.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
        s += message
        for d in details { s += "\n  - " + d }
        return s
    }
}

/// Something the outside world should act on.
public enum Effect: Codable, Equatable, Sendable {
    case escalation(EscalationRecord)
    case violation(ViolationRecord)
    /// A task or sign-off became open: who may act on it.
    case taskOpened(state: String, item: Int?, events: [String], roles: [String], people: [String])
    case caseFinished(CaseStatus)
    /// A reminder (催办) to the people who have a task open too long.
    case reminder(ReminderRecord)
    /// A copy (抄送): roles told that a state was entered or left.
    case copied(CopyRecord)
}

/// One line of the engine's explanation of a step.
public struct TraceEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case event, payload, guardEvaluated, requirementChecked, assigned, entered, left, choice
        case timerSet, timerFired, signed, unsigned, joined, completed, violation, escalation, blocked, error, duplicate
        /// An event transition was taken; its span is the transition's.
        case transition
        /// A bounded state's rounds were used up: the step went to its `max_rounds` `then` instead.
        case roundLimit
        /// A task or role was handed to another person (转交): "X acting for Y …, by Z, because …".
        case reassigned
        /// A reminder (催办) was sent.
        case reminded
        /// Roles were copied (抄送) on entering or leaving a state.
        case copied
        /// A signer was added to a sign-off (加签).
        case signerAdded
    }
    public var kind: Kind
    public var state: String?
    /// The explanation text. Built when read: a step records its parts (most traces are never
    /// printed, and formatting ~30 lines a case was a large part of a step's cost).
    public var detail: String {
        get { note.text(state: state) }
        set { note = .text(newValue) }
    }
    public var span: SpanIR?
    var note: Note

    public init(_ kind: Kind, state: String? = nil, _ detail: String, span: SpanIR? = nil) {
        self.init(kind, state: state, note: .text(detail), span: span)
    }

    init(_ kind: Kind, state: String? = nil, note: Note, span: SpanIR? = nil) {
        self.kind = kind
        self.state = state
        self.note = note
        self.span = span
    }

    /// The parts of a detail text; ``text(state:)`` spells it out. Cases that name "the state"
    /// use the entry's `state`.
    enum Note: Sendable {
        case text(String)
        /// `start C1`
        case start(caseID: String)
        /// `submit by alice (item 2)`, `submit by bob for alice` (a substitute)
        case event(name: String, actor: String, item: Int?, actingFor: String? = nil)
        /// ``entered `review` (item 2) (round 2)``
        case entered(item: Int?, round: Int)
        /// ``left `review` ``
        case left
        /// `` `size(case.items) > 0` is true``
        case condition(source: String, value: Bool)
        /// ``party hr: `case.amount > 100` is true``
        case party(role: String, source: String, value: Bool)
        /// `deadline 2025-10-01T16:00:00Z`
        case deadline(Timestamp, provisionalYear: Int?)
        /// `wait until 2025-10-01T16:00:00Z`
        case waitUntil(Timestamp, provisionalYear: Int?)
        /// `case completed`
        case finished(CaseStatus)
        /// ``filled `reason` ``
        case filled(field: String)
        /// `2 requirement(s) hold`
        case requirements(Int)
        /// `approve → execute`
        case transition(event: String, target: String)
        /// `amount = 3`
        case assigned(field: String, value: ValueIR)
        /// `alice signed as handover`, `alice withdrew the signature as handover`,
        /// `bob signed for alice as handover` (a substitute)
        case signature(actor: String, role: String, signed: Bool, actingFor: String? = nil)
        /// ``sign-off `supervise` complete``
        case signoffComplete
        /// `copied to hr, director on enter`
        case copied(roles: [String], moment: String)
        /// `reminder 2 to manager (carol)`
        case reminded(count: Int, roles: [String], people: [String])

        func text(state: String?) -> String {
            let name = state ?? ""
            switch self {
            case .text(let s): return s
            case .start(let id): return "start \(id)"
            case .event(let event, let actor, let item, let actingFor):
                return "\(event) by \(actor)" + (actingFor.map { " for \($0)" } ?? "") + (item.map { " (item \($0))" } ?? "")
            case .entered(let item, let round):
                return "entered `\(name)`" + (item.map { " (item \($0))" } ?? "") + (round > 1 ? " (round \(round))" : "")
            case .left: return "left `\(name)`"
            case .condition(let source, let value): return "`\(source)` is \(value)"
            case .party(let role, let source, let value): return "party \(role): `\(source)` is \(value)"
            case .deadline(let t, let year): return "deadline \(t)" + (year.map { " (\(StatutoryHolidays.provisionalNote(year: $0)))" } ?? "")
            case .waitUntil(let t, let year): return "wait until \(t)" + (year.map { " (\(StatutoryHolidays.provisionalNote(year: $0)))" } ?? "")
            case .finished(let status): return "case \(status.rawValue)"
            case .filled(let field): return "filled `\(field)`"
            case .requirements(let n): return "\(n) requirement(s) hold"
            case .transition(let event, let target): return "\(event) → \(target)"
            case .assigned(let field, let value): return "\(field) = \(value)"
            case .signature(let actor, let role, let signed, let actingFor):
                return "\(actor) \(signed ? "signed" : "withdrew the signature")" + (actingFor.map { " for \($0)" } ?? "") + " as \(role)"
            case .signoffComplete: return "sign-off `\(name)` complete"
            case .copied(let roles, let moment): return "copied to \(roles.joined(separator: ", ")) on \(moment)"
            case .reminded(let count, let roles, let people):
                return "reminder \(count) to \(zip(roles, people).map { "\($0) (\($1))" }.joined(separator: ", "))"
            }
        }
    }

    // Equality and coding go through the text, as when `detail` was stored.
    public static func == (a: TraceEntry, b: TraceEntry) -> Bool {
        a.kind == b.kind && a.state == b.state && a.span == b.span && a.detail == b.detail
    }

    enum CodingKeys: String, CodingKey { case kind, state, detail, span }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(Kind.self, forKey: .kind), state: try c.decodeIfPresent(String.self, forKey: .state),
                  try c.decode(String.self, forKey: .detail), span: try c.decodeIfPresent(SpanIR.self, forKey: .span))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(state, forKey: .state)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(span, forKey: .span)
    }
}

/// An accepted step: the new snapshot, what to do about it, and why.
public struct Step: Equatable, Sendable {
    public var snapshot: CaseSnapshot
    public var effects: [Effect]
    public var trace: [TraceEntry]
    /// True when the event repeated an accepted idempotency key: nothing changed.
    public var duplicate: Bool
}

/// The outcome of ``Engine/start(_:caseID:data:people:now:)``, ``Engine/fire(_:_:_:now:)``
/// and ``Engine/tick(_:_:now:)``.
public enum StepResult: Equatable, Sendable {
    case accepted(Step)
    case refused(Refusal)

    public var step: Step? { if case .accepted(let s) = self { s } else { nil } }
    public var refusal: Refusal? { if case .refused(let r) = self { r } else { nil } }
    public var snapshot: CaseSnapshot? { step?.snapshot }
}
