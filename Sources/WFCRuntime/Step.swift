import Foundation
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

    public init(_ name: String, actor: String, payload: [String: ValueIR] = [:], idempotencyKey: String? = nil, item: Int? = nil, role: String? = nil) {
        self.name = name
        self.actor = actor
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.item = item
        self.role = role
    }

    public static let sign = "sign"
    public static let unsign = "unsign"
}

/// Why the engine refused an event, a start, or could not run a step. A refusal changes nothing.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case invalidData, unboundRole, unknownRole, separationOfDuties
        case caseFinished, definitionMismatch, unknownEvent, ambiguous, notAuthorized
        case guardFalse, requirementFailed, payloadNotFillable, payloadInvalid, maxRounds
        case alreadySigned, notSigned, calendar, runtimeError
    }
    public var kind: Kind
    public var message: String
    /// The policy line the refusal comes from, when there is one.
    public var span: SpanIR?
    /// Individual problems (data validation paths, unfinished checklist items).
    public var details: [String]

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
}

/// One line of the engine's explanation of a step.
public struct TraceEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case event, payload, guardEvaluated, requirementChecked, assigned, entered, left, choice
        case timerSet, timerFired, signed, unsigned, joined, completed, violation, escalation, blocked, error, duplicate
        /// An event transition was taken; its span is the transition's.
        case transition
    }
    public var kind: Kind
    public var state: String?
    public var detail: String
    public var span: SpanIR?

    public init(_ kind: Kind, state: String? = nil, _ detail: String, span: SpanIR? = nil) {
        self.kind = kind
        self.state = state
        self.detail = detail
        self.span = span
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
