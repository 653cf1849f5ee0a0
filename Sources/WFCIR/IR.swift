/// The typed state graph: what the compiler produces and the runtime executes. Integer ids,
/// resolved references, and a source span on every node so that runtime errors can point at
/// the policy line. Serialized as deterministic JSON (see ``IRCoding``).
public struct WorkflowIR: Codable, Sendable, Equatable {
    /// The IR format's name and the language version it encodes.
    public var format = "wfc-ir"
    public var languageVersion = WorkflowIR.currentLanguageVersion
    public var id: String
    public var version: Int
    public var title: String
    public var source: String?
    public var calendar: String?
    /// The calendar's data as compiled (see ``CalendarIR``); nil without a calendar, and in IR
    /// written before calendar data was pinned (the runtime then uses the built-in data).
    public var calendarData: CalendarIR?
    public var file: String
    public var roles: [RoleIR]
    /// Groups of role ids that must be filled by different people.
    public var separations: [[Int]]
    /// Each separation group's `clause` or `assumption`, aligned with ``separations``; nil
    /// when no group has one (older IR has none).
    public var separationTraces: [TraceIR]?
    public var fields: [FieldIR]
    public var guarantees: [GuaranteeIR]
    /// Each guarantee's `assumption`, aligned with ``guarantees``; nil when none has one.
    public var guaranteeAssumptions: [String?]?
    /// Region 0 is the workflow itself; others are parallel branches and foreach bodies.
    public var regions: [RegionIR]
    public var states: [StateIR]
    /// Clauses of the source policy deliberately not encoded, with the reason.
    public var omits: [OmittedClauseIR] = []
    /// SHA-256 of the canonical JSON with this field left out.
    public var contentHash: String?
    /// Who may hand a task or a role to another person (`reassign:`, 转交); nil: nobody.
    public var reassign: ReassignIR?

    public static let currentLanguageVersion = 1

    public init(id: String, version: Int, title: String, source: String? = nil, calendar: String? = nil, file: String,
                roles: [RoleIR], separations: [[Int]], fields: [FieldIR], guarantees: [GuaranteeIR], regions: [RegionIR],
                states: [StateIR], contentHash: String? = nil) {
        self.id = id
        self.version = version
        self.title = title
        self.source = source
        self.calendar = calendar
        self.file = file
        self.roles = roles
        self.separations = separations
        self.fields = fields
        self.guarantees = guarantees
        self.regions = regions
        self.states = states
        self.contentHash = contentHash
    }

    public func state(named name: String) -> StateIR? { states.first { $0.name == name } }
    public func role(named name: String) -> RoleIR? { roles.first { $0.name == name } }
}

/// Where an IR node came from.
public struct SpanIR: Codable, Sendable, Hashable {
    public var file: String
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int

    public init(file: String, start: Int, end: Int, line: Int, column: Int) {
        self.file = file
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }
}

public struct RoleIR: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var title: String?
    public var span: SpanIR
    /// True when the role is bound during the case by a transition's `assign:`, not at start;
    /// nil (left out of the IR) otherwise.
    public var assigned: Bool?
    /// `substitutes: false`: the person bound to the role must act in person, never through a
    /// substitute (代理). Nil (omitted) when substitutes are allowed, the default.
    public var substitutes: Bool?

    public init(id: Int, name: String, title: String? = nil, span: SpanIR, substitutes: Bool? = nil) {
        self.id = id
        self.name = name
        self.title = title
        self.span = span
        self.substitutes = substitutes
    }
}

public indirect enum TypeIR: Codable, Sendable, Equatable {
    case string, int, decimal, bool, date, datetime, duration
    case enumeration([String])
    case record([FieldIR])
    case list(TypeIR)
    /// A list of records, each with a completion flag `done`.
    case checklist([FieldIR])

    /// How the type is written in messages: `string`, `enum(a, b)`, `list(record)`.
    public var description: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .decimal: "decimal"
        case .bool: "bool"
        case .date: "date"
        case .datetime: "datetime"
        case .duration: "duration"
        case .enumeration(let m): "enum(\(m.joined(separator: ", ")))"
        case .record: "record"
        case .list(let e): "list(\(e.description))"
        case .checklist: "checklist"
        }
    }

    /// The fields of a record or of a checklist's items (checklists add `done`).
    public var recordFields: [FieldIR]? {
        switch self {
        case .record(let f): f
        case .checklist(let f): f + [FieldIR.doneFlag]
        default: nil
        }
    }

    public var isList: Bool {
        switch self {
        case .list, .checklist: true
        default: false
        }
    }
}

/// A literal value (field defaults, payloads).
public enum ValueIR: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ValueIR])
    case map([String: ValueIR])
}

public struct FieldIR: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var type: TypeIR
    public var optional: Bool
    public var defaultValue: ValueIR?
    public var title: String?
    public var span: SpanIR?
    /// Titles of an enum's members (`enum: {member: 标题}`), for forms and documents; nil
    /// when the members have none. Expressions and stored data use the members.
    public var memberTitles: [String: String]?

    /// The implicit completion flag of checklist items.
    public static let doneFlag = FieldIR(id: -1, name: "done", type: .bool, optional: false, defaultValue: .bool(false), title: "已完成", span: nil)

    public init(id: Int, name: String, type: TypeIR, optional: Bool, defaultValue: ValueIR? = nil, title: String? = nil, span: SpanIR? = nil,
                memberTitles: [String: String]? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.optional = optional
        self.defaultValue = defaultValue
        self.title = title
        self.span = span
        self.memberTitles = memberTitles
    }

    /// A member's title, else the member.
    public func title(ofMember member: String) -> String { memberTitles?[member] ?? member }
}

public enum GuaranteeIR: Codable, Sendable, Equatable {
    /// Every item of the checklist field is done before `completed`.
    case checklist(field: Int, span: SpanIR, clause: String?)
    /// These roles have signed before `completed`.
    case signoff(roles: [Int], span: SpanIR, clause: String?)
}

/// An expression with its source text and where it sits. `type` is the checked result type.
public struct ExprIR: Codable, Sendable, Equatable {
    public var source: String
    public var span: SpanIR
    public var type: String?

    public init(source: String, span: SpanIR, type: String? = nil) {
        self.source = source
        self.span = span
        self.type = type
    }
}

public enum RequirementIR: Codable, Sendable, Equatable {
    case expression(ExprIR, message: String?)
    case allDone(field: Int, span: SpanIR, message: String?)
}

public struct RegionIR: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var title: String?
    /// The parallel or foreach state that owns this region; nil for region 0.
    public var owner: Int?
    public var start: Int?
    public var states: [Int]
    /// For foreach bodies: the list expression and the item's name.
    public var list: ExprIR?
    public var alias: String?

    public init(id: Int, name: String, title: String? = nil, owner: Int? = nil, start: Int? = nil, states: [Int], list: ExprIR? = nil, alias: String? = nil) {
        self.id = id
        self.name = name
        self.title = title
        self.owner = owner
        self.start = start
        self.states = states
        self.list = list
        self.alias = alias
    }
}

public enum StateKindIR: String, Codable, Sendable {
    case task, final, choice, signoff, parallel, foreach, wait
}

/// Copy-on-write: the compiler's checks and the runtime pass states around by value, and a copy
/// is one reference count instead of one for each of its many fields.
public struct TransitionIR: Codable, Sendable, Equatable {
    /// The stored fields. Coded exactly as a plain struct with these properties would be.
    struct Fields: Codable, Sendable, Equatable {
        var event: String
        var roles: [Int]
        /// The target state; nil when the transition ends its region (see ``join``).
        var target: Int?
        /// True for `to: join`: the transition finishes its parallel branch or foreach item.
        var join: Bool = false
        var guardExpr: ExprIR?
        var assignments: [AssignmentIR]
        var fills: [Int]
        var requires: [RequirementIR]
        var violation: String?
        var clause: String?
        /// The reason for an event the source does not state (instead of `clause`).
        var assumption: String?
        var title: String?
        var span: SpanIR
        /// Each requirement's own trace, aligned with `requires`; nil when none has one.
        var requireTraces: [TraceIR]?
        /// Roles this transition binds to the people named in the event (`assign:`).
        var assign: [Int]?
        /// True when the target is one of a `back_to:` list: the actor chooses it (see
        /// ``TransitionIR/backTo``); nil otherwise.
        var backTo: Bool?
    }

    private typealias Box = CopyOnWriteBox<Fields>
    private var box: Box

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
    }
    /// True when this transition is one target of a `back_to:` list (退回到指定步骤): the
    /// event's transitions so marked are the targets the actor may choose from, one each.
    public var backTo: Bool? {
        get { box.fields.backTo }
        _modify { unique(); yield &box.fields.backTo }
    }
    public var event: String {
        get { box.fields.event }
        _modify { unique(); yield &box.fields.event }
    }
    public var roles: [Int] {
        get { box.fields.roles }
        _modify { unique(); yield &box.fields.roles }
    }
    /// The target state; nil when the transition ends its region (see ``join``).
    public var target: Int? {
        get { box.fields.target }
        _modify { unique(); yield &box.fields.target }
    }
    /// True for `to: join`: the transition finishes its parallel branch or foreach item.
    public var join: Bool {
        get { box.fields.join }
        _modify { unique(); yield &box.fields.join }
    }
    public var guardExpr: ExprIR? {
        get { box.fields.guardExpr }
        _modify { unique(); yield &box.fields.guardExpr }
    }
    public var assignments: [AssignmentIR] {
        get { box.fields.assignments }
        _modify { unique(); yield &box.fields.assignments }
    }
    public var fills: [Int] {
        get { box.fields.fills }
        _modify { unique(); yield &box.fields.fills }
    }
    public var requires: [RequirementIR] {
        get { box.fields.requires }
        _modify { unique(); yield &box.fields.requires }
    }
    public var violation: String? {
        get { box.fields.violation }
        _modify { unique(); yield &box.fields.violation }
    }
    public var clause: String? {
        get { box.fields.clause }
        _modify { unique(); yield &box.fields.clause }
    }
    /// The reason for an event the source does not state (instead of ``clause``).
    public var assumption: String? {
        get { box.fields.assumption }
        _modify { unique(); yield &box.fields.assumption }
    }
    public var title: String? {
        get { box.fields.title }
        _modify { unique(); yield &box.fields.title }
    }
    public var span: SpanIR {
        get { box.fields.span }
        _modify { unique(); yield &box.fields.span }
    }
    /// Each requirement's own trace, aligned with ``requires``; nil when none has one.
    public var requireTraces: [TraceIR]? {
        get { box.fields.requireTraces }
        _modify { unique(); yield &box.fields.requireTraces }
    }
    /// Roles this transition binds to the people named in the event (`assign:`); nil when none.
    public var assign: [Int]? {
        get { box.fields.assign }
        _modify { unique(); yield &box.fields.assign }
    }

    public init(event: String, roles: [Int], target: Int? = nil, join: Bool = false, guardExpr: ExprIR? = nil, assignments: [AssignmentIR], fills: [Int], requires: [RequirementIR], violation: String? = nil, clause: String? = nil, title: String? = nil, span: SpanIR) {
        box = Box(Fields(event: event, roles: roles, target: target, join: join, guardExpr: guardExpr, assignments: assignments, fills: fills, requires: requires, violation: violation, clause: clause, title: title, span: span))
    }

    /// Decodes the fields as a plain struct would.
    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }
    /// Encodes the fields as a plain struct would.
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }
    public static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
}

public struct AssignmentIR: Codable, Sendable, Equatable {
    public var field: Int
    public var value: ExprIR

    public init(field: Int, value: ExprIR) {
        self.field = field
        self.value = value
    }
}

public struct ChoiceArmIR: Codable, Sendable, Equatable {
    public var condition: ExprIR
    public var target: Int?
    public var span: SpanIR

    public init(condition: ExprIR, target: Int? = nil, span: SpanIR) {
        self.condition = condition
        self.target = target
        self.span = span
    }
}

public struct SignoffIR: Codable, Sendable, Equatable {
    public var all: [Int]
    public var quorum: Int?
    public var of: [Int]
    public var conditional: [ConditionalPartyIR]
    public var span: SpanIR
    /// `in_order` (依次): the parties of `all` in signing order, as slots: a slot signs once every
    /// earlier slot has; the parties of one slot sign in any order. Nil when unordered.
    public var inOrder: [[Int]]?
    /// `add` (加签): who may add signers to the active sign-off, and where. Nil when nobody may.
    public var add: SignoffAddIR?

    public init(all: [Int], quorum: Int? = nil, of: [Int], conditional: [ConditionalPartyIR], span: SpanIR, inOrder: [[Int]]? = nil, add: SignoffAddIR? = nil) {
        self.all = all
        self.quorum = quorum
        self.of = of
        self.conditional = conditional
        self.span = span
        self.inOrder = inOrder
        self.add = add
    }
}

/// The 加签 policy of a sign-off: the roles that may add a signer, and the positions allowed
/// (`before`, `after`, `parallel`: relative to the parties whose turn it is).
public struct SignoffAddIR: Codable, Sendable, Equatable {
    public var by: [Int]
    public var positions: [String]
    public var span: SpanIR

    public init(by: [Int], positions: [String], span: SpanIR) {
        self.by = by
        self.positions = positions
        self.span = span
    }
}

public struct ConditionalPartyIR: Codable, Sendable, Equatable {
    public var role: Int
    public var condition: ExprIR

    public init(role: Int, condition: ExprIR) {
        self.role = role
        self.condition = condition
    }
}

public struct WaitIR: Codable, Sendable, Equatable {
    public var until: ExprIR?
    public var duration: DurationIR?

    public init(until: ExprIR? = nil, duration: DurationIR? = nil) {
        self.until = until
        self.duration = duration
    }
}

public struct DurationIR: Codable, Sendable, Equatable {
    public var amount: Int
    public var unit: String

    public init(amount: Int, unit: String) {
        self.amount = amount
        self.unit = unit
    }
}

public struct DueIR: Codable, Sendable, Equatable {
    public var within: DurationIR?
    public var by: ExprIR?
    public var escalate: [Int]
    public var target: Int?
    public var violation: String?
    public var span: SpanIR
    /// The deadline's own `clause` or `assumption`.
    public var clause: String?
    public var assumption: String?
    /// The `overdue` actions' own `clause` or `assumption` (else the deadline's).
    public var overdueClause: String?
    public var overdueAssumption: String?

    public init(within: DurationIR? = nil, by: ExprIR? = nil, escalate: [Int], target: Int? = nil, violation: String? = nil, span: SpanIR) {
        self.within = within
        self.by = by
        self.escalate = escalate
        self.target = target
        self.violation = violation
        self.span = span
    }
}

/// What happens when a step would enter a bounded state beyond its `max_rounds`. Without a
/// target (or `join`) the step is refused; with one, the step goes there instead and records
/// the escalation and violation, like an overdue deadline. For `limit: unbounded` it only
/// records the declaration: ``unbounded`` is true and the state has no ``StateIR/maxRounds``.
public struct RoundLimitIR: Codable, Sendable, Equatable {
    /// The state entered instead (`then:`), in the bounded state's region.
    public var target: Int?
    /// True for `then: join`: the branch or foreach item finishes instead.
    public var join: Bool
    public var escalate: [Int]
    public var violation: String?
    public var clause: String?
    /// The reason for a bound (or for no bound) that the source does not state.
    public var assumption: String?
    /// True for `max_rounds: {limit: unbounded, …}`: the loop is declared unbounded on
    /// purpose; nil otherwise (so older IR reads unchanged).
    public var unbounded: Bool?
    /// The `max_rounds` key.
    public var span: SpanIR

    public init(target: Int? = nil, join: Bool = false, escalate: [Int] = [], violation: String? = nil, clause: String? = nil, span: SpanIR) {
        self.target = target
        self.join = join
        self.escalate = escalate
        self.violation = violation
        self.clause = clause
        self.span = span
    }

    /// Whether exhausting the rounds moves the flow on rather than refusing the step.
    public var redirects: Bool { target != nil || join }
}

/// Copy-on-write: the compiler's checks and the runtime pass states around by value, and a copy
/// is one reference count instead of one for each of its many fields.
public struct StateIR: Codable, Sendable, Equatable {
    /// The stored fields. Coded exactly as a plain struct with these properties would be.
    struct Fields: Codable, Sendable, Equatable {
        var id: Int
        var name: String
        var title: String?
        var clause: String?
        /// The reason for a state the source does not state (instead of `clause`).
        var assumption: String?
        var kind: StateKindIR
        var region: Int
        var span: SpanIR
        var transitions: [TransitionIR]
        var requires: [RequirementIR]
        var due: DueIR?
        /// Where the state goes when its work is complete (sign-off, join, wait), or an
        /// automatic transition for a task with no events.
        var then: Int?
        /// True for `then: join`: completing the state finishes its branch or foreach item.
        var thenJoin: Bool = false
        /// How often the state may be entered per region instance (`max_rounds`).
        var maxRounds: Int?
        /// Where `max_rounds` is written and what happens when the rounds are used up; present
        /// whenever ``maxRounds`` is, and for `limit: unbounded`.
        var roundLimit: RoundLimitIR?
        var fills: [Int]
        var outcome: String?
        var choice: [ChoiceArmIR]
        /// Choice states: the `otherwise` target (nil when the choice has none).
        var otherwise: Int?
        var signoff: SignoffIR?
        /// Parallel branches or the foreach body, as region ids.
        var regions: [Int]
        var wait: WaitIR?
        /// Each state-level requirement's own trace, aligned with `requires`; nil when none has one.
        var requireTraces: [TraceIR]?
        /// Reminders (催办) to whoever has the open task; nil when the state has none.
        var remind: ReminderIR?
        /// Roles copied (抄送) when the state is entered or left; nil when none.
        var cc: CarbonCopyIR?
    }

    private typealias Box = CopyOnWriteBox<Fields>
    private var box: Box

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
    }
    public var id: Int {
        get { box.fields.id }
        _modify { unique(); yield &box.fields.id }
    }
    public var name: String {
        get { box.fields.name }
        _modify { unique(); yield &box.fields.name }
    }
    public var title: String? {
        get { box.fields.title }
        _modify { unique(); yield &box.fields.title }
    }
    public var clause: String? {
        get { box.fields.clause }
        _modify { unique(); yield &box.fields.clause }
    }
    /// The reason for a state the source does not state (instead of ``clause``).
    public var assumption: String? {
        get { box.fields.assumption }
        _modify { unique(); yield &box.fields.assumption }
    }
    public var kind: StateKindIR {
        get { box.fields.kind }
        _modify { unique(); yield &box.fields.kind }
    }
    public var region: Int {
        get { box.fields.region }
        _modify { unique(); yield &box.fields.region }
    }
    public var span: SpanIR {
        get { box.fields.span }
        _modify { unique(); yield &box.fields.span }
    }
    public var transitions: [TransitionIR] {
        get { box.fields.transitions }
        _modify { unique(); yield &box.fields.transitions }
    }
    public var requires: [RequirementIR] {
        get { box.fields.requires }
        _modify { unique(); yield &box.fields.requires }
    }
    public var due: DueIR? {
        get { box.fields.due }
        _modify { unique(); yield &box.fields.due }
    }
    /// Where the state goes when its work is complete (sign-off, join, wait), or an
    /// automatic transition for a task with no events.
    public var then: Int? {
        get { box.fields.then }
        _modify { unique(); yield &box.fields.then }
    }
    /// True for `then: join`: completing the state finishes its branch or foreach item.
    public var thenJoin: Bool {
        get { box.fields.thenJoin }
        _modify { unique(); yield &box.fields.thenJoin }
    }
    /// How often the state may be entered per region instance (`max_rounds`).
    public var maxRounds: Int? {
        get { box.fields.maxRounds }
        _modify { unique(); yield &box.fields.maxRounds }
    }
    /// Where `max_rounds` is written and what happens when the rounds are used up; present
    /// whenever ``maxRounds`` is, and for `limit: unbounded`.
    public var roundLimit: RoundLimitIR? {
        get { box.fields.roundLimit }
        _modify { unique(); yield &box.fields.roundLimit }
    }
    public var fills: [Int] {
        get { box.fields.fills }
        _modify { unique(); yield &box.fields.fills }
    }
    public var outcome: String? {
        get { box.fields.outcome }
        _modify { unique(); yield &box.fields.outcome }
    }
    public var choice: [ChoiceArmIR] {
        get { box.fields.choice }
        _modify { unique(); yield &box.fields.choice }
    }
    /// Choice states: the `otherwise` target (nil when the choice has none).
    public var otherwise: Int? {
        get { box.fields.otherwise }
        _modify { unique(); yield &box.fields.otherwise }
    }
    public var signoff: SignoffIR? {
        get { box.fields.signoff }
        _modify { unique(); yield &box.fields.signoff }
    }
    /// Parallel branches or the foreach body, as region ids.
    public var regions: [Int] {
        get { box.fields.regions }
        _modify { unique(); yield &box.fields.regions }
    }
    public var wait: WaitIR? {
        get { box.fields.wait }
        _modify { unique(); yield &box.fields.wait }
    }
    /// Each state-level requirement's own trace, aligned with ``requires``; nil when none has one.
    public var requireTraces: [TraceIR]? {
        get { box.fields.requireTraces }
        _modify { unique(); yield &box.fields.requireTraces }
    }
    /// Reminders (催办) to whoever has the open task; nil when the state has none.
    public var remind: ReminderIR? {
        get { box.fields.remind }
        _modify { unique(); yield &box.fields.remind }
    }
    /// Roles copied (抄送) when the state is entered or left; nil when none.
    public var cc: CarbonCopyIR? {
        get { box.fields.cc }
        _modify { unique(); yield &box.fields.cc }
    }
    public var isFinal: Bool { kind == .final }

    public init(id: Int, name: String, title: String? = nil, clause: String? = nil, kind: StateKindIR, region: Int, span: SpanIR, transitions: [TransitionIR], requires: [RequirementIR], due: DueIR? = nil, then: Int? = nil, thenJoin: Bool = false, maxRounds: Int? = nil, fills: [Int], outcome: String? = nil, choice: [ChoiceArmIR], otherwise: Int? = nil, signoff: SignoffIR? = nil, regions: [Int], wait: WaitIR? = nil) {
        box = Box(Fields(id: id, name: name, title: title, clause: clause, kind: kind, region: region, span: span, transitions: transitions, requires: requires, due: due, then: then, thenJoin: thenJoin, maxRounds: maxRounds, fills: fills, outcome: outcome, choice: choice, otherwise: otherwise, signoff: signoff, regions: regions, wait: wait))
    }

    /// Decodes the fields as a plain struct would.
    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }
    /// Encodes the fields as a plain struct would.
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }
    public static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
}


/// A clause of the source policy that the workflow leaves out on purpose.
public struct OmittedClauseIR: Codable, Sendable, Equatable {
    public var clause: String
    public var reason: String

    public init(clause: String, reason: String) {
        self.clause = clause
        self.reason = reason
    }
}

/// The shared storage of a copy-on-write value; the owner copies it before writing when
/// another value shares it. Access is not checked for exclusivity: the owner only writes
/// through a uniquely referenced box.
final class CopyOnWriteBox<Fields: Sendable>: @unchecked Sendable {
    @exclusivity(unchecked) var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
}

/// `reassign:` (转交): which roles may hand an open task, or a role for the rest of the case,
/// to another person.
public struct ReassignIR: Codable, Sendable, Equatable {
    /// Roles whose holders may reassign.
    public var by: [Int]
    /// The roles that may be handed on; nil: every role.
    public var roles: [Int]?
    public var clause: String?
    public var assumption: String?
    public var span: SpanIR

    public init(by: [Int], roles: [Int]? = nil, clause: String? = nil, assumption: String? = nil, span: SpanIR) {
        self.by = by
        self.roles = roles
        self.clause = clause
        self.assumption = assumption
        self.span = span
    }
}
