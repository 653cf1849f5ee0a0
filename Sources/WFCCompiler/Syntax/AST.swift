import WFCIR
import WFCDiagnostics
import WFCYAML

/// A value with the span it was written at.
public struct Spanned<T: Sendable>: Sendable {
    public var value: T
    public var span: SourceSpan
    public init(_ value: T, _ span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

extension Spanned: Equatable where T: Equatable {}
extension Spanned: Hashable where T: Hashable {}

/// An expression as written: its text, where its scalar sits, and the scalar's style, so
/// that offsets inside the expression can be mapped back through quotes and escapes.
public struct ExprSyntax: Sendable {
    public var source: String
    public var span: SourceSpan
    public var style: ScalarStyle
    /// False when the text was synthesised (a literal in `set:` turned into a CEL string).
    public var verbatim: Bool = true
}

/// A duration such as `3 working days` or `3 个工作日`.
public struct DurationSyntax: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case workingDays = "working_days"
        case days, weeks, hours, minutes, months
    }
    public var amount: Int
    public var unit: Unit
}

/// The parsed file, before names are resolved.
public struct WorkflowSyntax: Sendable {
    public var file: String
    public var id: Spanned<String>
    public var version: Spanned<Int>?
    public var title: Spanned<String>?
    public var source: Spanned<String>?
    public var calendar: Spanned<String>?
    /// `calendar: {id: …, provisional: law}`: the workflow opts into a provisional year.
    public var calendarProvisional: Spanned<String>?
    public var imports: [Spanned<String>] = []
    public var roles: [RoleSyntax] = []
    public var separations: [SeparationSyntax] = []
    public var fields: [FieldSyntax] = []
    public var guarantees: [GuaranteeSyntax] = []
    /// Clauses of the source policy deliberately not encoded, with the reason.
    public var omits: [(clause: Spanned<String>, reason: Spanned<String>)] = []
    public var start: Spanned<String>?
    public var states: [StateSyntax] = []
    /// The span of the `states:` key, for diagnostics about the whole graph.
    public var statesSpan: SourceSpan
    public var rootSpan: SourceSpan
    /// `reassign:` (转交), when given.
    public var reassign: ReassignSyntax?
}

/// `reassign: {by: [hr], roles: [handler], clause: …}`.
public struct ReassignSyntax: Sendable {
    public var by: [Spanned<String>]
    public var roles: [Spanned<String>]?
    public var trace: TraceSyntax
    public var span: SourceSpan
}

public struct RoleSyntax: Sendable {
    public var name: Spanned<String>
    public var title: Spanned<String>?
    /// `substitutes: false`: the role must be acted on in person (no 代理).
    public var substitutes: Spanned<Bool>? = nil
}

public indirect enum TypeSyntax: Sendable {
    case named(Spanned<String>)
    case enumeration([Spanned<String>], SourceSpan)
    case record([FieldSyntax], SourceSpan)
    case list(TypeSyntax, SourceSpan)
    case checklist([FieldSyntax], SourceSpan)
}

public struct FieldSyntax: Sendable {
    public var name: Spanned<String>
    public var type: TypeSyntax
    public var optional: Bool
    public var defaultValue: YAMLNode?
    public var title: Spanned<String>?
    public var span: SourceSpan
    /// `enum: {member: 标题}`: the members' titles (empty for the list form).
    public var memberTitles: [String: String] = [:]
}

/// Where a state or rule comes from: the clause of the source policy it implements, or an
/// assumption, a rule the source does not state, with the reason it was added. The parser
/// refuses both on one mapping.
public struct TraceSyntax: Sendable {
    public var clause: Spanned<String>?
    public var assumption: Spanned<String>?

    public init(clause: Spanned<String>? = nil, assumption: Spanned<String>? = nil) {
        self.clause = clause
        self.assumption = assumption
    }

    /// The trace as the IR carries it; inheritance (``TraceIR/or(_:)``) is defined there.
    public var ir: TraceIR { TraceIR(clause: clause?.value, assumption: assumption?.value) }
}

/// A group of roles that different people must fill: `[a, b]` or `{roles: [a, b], clause: …}`.
public struct SeparationSyntax: Sendable {
    public var roles: [Spanned<String>]
    public var span: SourceSpan
    public var trace = TraceSyntax()
}

/// A completion guarantee: something every path to a `completed` final state must enforce.
public enum GuaranteeSyntax: Sendable {
    /// Every item of a checklist field is done.
    case checklist(Spanned<String>, trace: TraceSyntax)
    /// These roles have signed.
    case signoff([Spanned<String>], SourceSpan, trace: TraceSyntax)

    public var trace: TraceSyntax {
        switch self {
        case .checklist(_, let t), .signoff(_, _, let t): t
        }
    }

    public var span: SourceSpan {
        switch self {
        case .checklist(let f, _): f.span
        case .signoff(_, let s, _): s
        }
    }
}

/// One state as written. A class: states are large (a ~1 KB value), and a value would be
/// copied whole each time it is returned or stored. Immutable, so reading a field needs no
/// exclusivity check.
public final class StateSyntax: Sendable {
    public let name: Spanned<String>
    public let title: Spanned<String>?
    public let clause: Spanned<String>?
    /// The reason for a state the source does not state (instead of `clause`).
    public let assumption: Spanned<String>?
    public let span: SourceSpan
    public let kind: StateKindSyntax
    /// The transitions under `on:`, in order; an event with guarded alternatives has one
    /// transition for each.
    public let transitions: [TransitionSyntax]
    public let requires: [RequirementSyntax]
    public let due: DueSyntax?
    public let then: Spanned<String>?
    public let maxRounds: RoundLimitSyntax?
    public let fills: [Spanned<String>]
    /// The `use:` fragment this state was built from, if any.
    public let fragment: Spanned<String>?
    /// `remind:` (at state level or under `due:`).
    public let remind: ReminderSyntax?
    /// `cc:` roles notified on entering or leaving.
    public let cc: CarbonCopySyntax?

    public init(name: Spanned<String>, title: Spanned<String>?, clause: Spanned<String>?, assumption: Spanned<String>? = nil, span: SourceSpan, kind: StateKindSyntax,
                transitions: [TransitionSyntax] = [], requires: [RequirementSyntax] = [], due: DueSyntax? = nil, then: Spanned<String>? = nil,
                maxRounds: RoundLimitSyntax? = nil, fills: [Spanned<String>] = [], fragment: Spanned<String>? = nil,
                remind: ReminderSyntax? = nil, cc: CarbonCopySyntax? = nil) {
        self.remind = remind
        self.cc = cc
        self.name = name
        self.title = title
        self.clause = clause
        self.assumption = assumption
        self.span = span
        self.kind = kind
        self.transitions = transitions
        self.requires = requires
        self.due = due
        self.then = then
        self.maxRounds = maxRounds
        self.fills = fills
        self.fragment = fragment
    }

    public var trace: TraceSyntax { TraceSyntax(clause: clause, assumption: assumption) }
}

public enum StateKindSyntax: Sendable {
    case task
    case final(Spanned<String>)
    case choice([ChoiceArmSyntax], otherwise: Spanned<String>?)
    case signoff(SignoffSyntax)
    case parallel([RegionSyntax])
    case foreach(ForeachSyntax)
    case wait(WaitSyntax)

    public var name: String {
        switch self {
        case .task: "task"
        case .final: "final"
        case .choice: "choice"
        case .signoff: "signoff"
        case .parallel: "parallel"
        case .foreach: "foreach"
        case .wait: "wait"
        }
    }
}

/// One transition as written; an immutable class for the reasons ``StateSyntax`` is.
public final class TransitionSyntax: Sendable {
    /// The event's name.
    public let event: String
    public let by: [Spanned<String>]
    public let bySpan: SourceSpan?
    public let to: Spanned<String>?
    public let when: ExprSyntax?
    public let set: [(field: Spanned<String>, value: ExprSyntax)]
    public let fills: [Spanned<String>]
    public let requires: [RequirementSyntax]
    public let violation: Spanned<String>?
    public let clause: Spanned<String>?
    public let assumption: Spanned<String>?
    public let title: Spanned<String>?
    public let span: SourceSpan
    /// Roles the event binds to people it names (`assign:`).
    public let assign: [Spanned<String>]
    /// `back_to:` (退回到指定步骤): the targets the actor may choose from, instead of `to:`.
    public let backTo: [Spanned<String>]

    public init(event: String, by: [Spanned<String>], bySpan: SourceSpan?, to: Spanned<String>?, when: ExprSyntax? = nil,
                set: [(field: Spanned<String>, value: ExprSyntax)] = [], fills: [Spanned<String>] = [], requires: [RequirementSyntax] = [],
                violation: Spanned<String>? = nil, clause: Spanned<String>? = nil, assumption: Spanned<String>? = nil, title: Spanned<String>? = nil, span: SourceSpan,
                assign: [Spanned<String>] = [], backTo: [Spanned<String>] = []) {
        self.assign = assign
        self.backTo = backTo
        self.event = event
        self.by = by
        self.bySpan = bySpan
        self.to = to
        self.when = when
        self.set = set
        self.fills = fills
        self.requires = requires
        self.violation = violation
        self.clause = clause
        self.assumption = assumption
        self.title = title
        self.span = span
    }

    public var trace: TraceSyntax { TraceSyntax(clause: clause, assumption: assumption) }
}

/// An exit requirement: an expression, or the shorthand `all_done: FIELD` for a checklist;
/// the mapping form may trace it (`clause:` or `assumption:`).
public enum RequirementSyntax: Sendable {
    case expression(ExprSyntax, message: Spanned<String>?, trace: TraceSyntax)
    case allDone(Spanned<String>, message: Spanned<String>?, trace: TraceSyntax)

    public var span: SourceSpan {
        switch self {
        case .expression(let e, _, _): e.span
        case .allDone(let f, _, _): f.span
        }
    }

    public var trace: TraceSyntax {
        switch self {
        case .expression(_, _, let t), .allDone(_, _, let t): t
        }
    }
}

public struct ChoiceArmSyntax: Sendable {
    public var when: ExprSyntax
    public var to: Spanned<String>
    public var span: SourceSpan
}

public struct SignoffSyntax: Sendable {
    public var all: [Spanned<String>] = []
    public var quorum: Spanned<Int>?
    public var of: [Spanned<String>] = []
    public var conditional: [(role: Spanned<String>, when: ExprSyntax)] = []
    public var span: SourceSpan
    /// `in_order:` (依次): the parties, also kept in `all`, in signing order; a group (a nested
    /// list) signs together, in any order. Empty when unordered.
    public var order: [[Spanned<String>]] = []
    /// `any:` (或签): parsed as `n: 1` of the list; kept to check it has a choice.
    public var any = false
    /// `add:` (加签): who may add signers, and where.
    public var add: SignoffAddSyntax?
}

/// `add: {by: [roles], positions: [before, after, parallel]}` of a sign-off.
public struct SignoffAddSyntax: Sendable {
    public var by: [Spanned<String>]
    public var positions: [String]
    public var span: SourceSpan
}

/// A parallel branch or a foreach body: its own start and states, finished by `to: join`.
public struct RegionSyntax: Sendable {
    public var name: Spanned<String>
    public var title: Spanned<String>?
    public var start: Spanned<String>?
    public var states: [StateSyntax]
    public var span: SourceSpan
}

public struct ForeachSyntax: Sendable {
    public var list: ExprSyntax
    public var alias: Spanned<String>
    public var body: RegionSyntax
}

public struct WaitSyntax: Sendable {
    public var until: ExprSyntax?
    public var duration: Spanned<DurationSyntax>?
    public var span: SourceSpan
}

/// `max_rounds: 3`, `max_rounds: {limit: 3, then: STATE, escalate: ROLE, violation: TEXT, clause: TEXT}`
/// or `max_rounds: {limit: unbounded, assumption: TEXT}`.
public struct RoundLimitSyntax: Sendable {
    /// How often the state may be entered; nil for `limit: unbounded`.
    public var limit: Spanned<Int>?
    /// The `max_rounds` key, where diagnostics about the bound point.
    public var keySpan: SourceSpan
    /// Where a step goes instead of entering the state for round `limit + 1`.
    public var then: Spanned<String>?
    public var escalate: [Spanned<String>] = []
    public var violation: Spanned<String>?
    public var trace = TraceSyntax()
    /// True for `limit: unbounded`: the loop is declared unbounded (with its reason in `trace`).
    public var unbounded: Bool { limit == nil }
}

public struct DueSyntax: Sendable {
    public var within: Spanned<DurationSyntax>?
    public var by: ExprSyntax?
    public var escalate: [Spanned<String>] = []
    public var to: Spanned<String>?
    public var violation: Spanned<String>?
    public var span: SourceSpan
    /// The deadline's own trace; empty for the short form.
    public var trace = TraceSyntax()
    /// The `overdue` actions' own trace.
    public var overdueTrace = TraceSyntax()
    /// Where `overdue:` is written, when it is.
    public var overdueSpan: SourceSpan?
}
