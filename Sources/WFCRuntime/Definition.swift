import CEL
import Foundation
import WFCCalendar
import WFCExpressions
import WFCIR

/// Why a ``Definition`` could not be built from an IR (should not happen for compiler output).
public struct DefinitionError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var span: SpanIR?

    public var description: String {
        (span.map { "\($0.file):\($0.line):\($0.column): " } ?? "") + message
    }
}

/// An executable workflow: the IR with every expression compiled once into a CEL program.
/// Immutable and shareable between threads; build it once per workflow version.
public struct Definition: @unchecked Sendable {
    /// Everything lives in one immutable object, so copying a definition (every step's working
    /// state holds one) is a single retain instead of one per array and dictionary.
    final class Storage {
        let ir: WorkflowIR
        let calendar: WorkingCalendar?
        let hash: String
        /// One CEL environment per region (foreach bodies add their item variables).
        let scopes: [Int: CaseEnvironment]
        /// Foreach item variables visible in each region, outermost first: (alias, foreach region).
        let aliases: [Int: [(String, Int)]]
        let programs: [ExprKey: Compiled]
        /// Parses RFC 3339 timestamps and CEL durations for field values.
        let timestampParser: CELProgram
        let durationParser: CELProgram
        /// Precomputed from `ir` for every step: field names, and the fields some state or
        /// transition `fills` (start data may omit those).
        let fieldNames: Set<String>
        let fillable: Set<Int>
        /// Required fields (no default) that exactly one state can fill, by that state: they must
        /// have a value before an event moves the flow on from there, or they never will.
        let mustFillBeforeLeaving: [Int: [Int]]
        /// `ir.states`, by reference.
        let states: [StateRef]

        init(ir: WorkflowIR, calendar: WorkingCalendar?, hash: String, scopes: [Int: CaseEnvironment], aliases: [Int: [(String, Int)]],
             programs: [ExprKey: Compiled], timestampParser: CELProgram, durationParser: CELProgram) {
            self.ir = ir
            self.calendar = calendar
            self.hash = hash
            self.scopes = scopes
            self.aliases = aliases
            self.programs = programs
            self.timestampParser = timestampParser
            self.durationParser = durationParser
            self.fieldNames = Set(ir.fields.map(\.name))
            var fillable = Set<Int>()
            for s in ir.states {
                fillable.formUnion(s.fills)
                for t in s.transitions { fillable.formUnion(t.fills) }
            }
            self.fillable = fillable
            self.mustFillBeforeLeaving = ir.soleFilledFields
            let roles = ir.roles
            self.states = ir.states.map { StateRef($0, roleName: { roles.indices.contains($0) ? roles[$0].name : "#\($0)" }) }
        }
    }

    /// A state of the IR by reference: binding one is a single retain, where a `StateIR` copy
    /// retained each of its strings and arrays (a step binds several).
    @dynamicMemberLookup
    final class StateRef {
        let ir: StateIR
        /// `ir.transitions`, by reference.
        let transitionRefs: [TransitionRef]
        /// As an open task (not a sign-off): the roles of its transitions and its events, in file
        /// order without repeats. Fixed per state, and every step describes the tasks it opens.
        let taskRoles: [String]
        let taskEvents: [String]
        /// 抄送 by role name, on entering and on leaving (nil: none), and the schedule of 催办:
        /// read once here, as every entry and exit asks for them.
        let copiedOnEnter: [String]?
        let copiedOnLeave: [String]?
        let copySpan: SpanIR?
        let remind: ReminderIR?

        init(_ ir: StateIR, roleName: (Int) -> String) {
            self.ir = ir
            let cc = ir.cc
            copiedOnEnter = cc?.enter.map { $0.map(roleName) }
            copiedOnLeave = cc?.leave.map { $0.map(roleName) }
            copySpan = cc?.span
            remind = ir.remind
            transitionRefs = ir.transitions.map(TransitionRef.init)
            var roles: [String] = [], events: [String] = []
            for t in ir.transitions {
                for id in t.roles where !roles.contains(roleName(id)) { roles.append(roleName(id)) }
                if !events.contains(t.event) { events.append(t.event) }
            }
            taskRoles = roles
            taskEvents = events
        }
        subscript<T>(dynamicMember path: KeyPath<StateIR, T>) -> T { ir[keyPath: path] }
    }

    /// A transition by reference, like ``StateRef``.
    @dynamicMemberLookup
    final class TransitionRef {
        let ir: TransitionIR
        init(_ ir: TransitionIR) { self.ir = ir }
        subscript<T>(dynamicMember path: KeyPath<TransitionIR, T>) -> T { ir[keyPath: path] }
    }

    let storage: Storage

    public var ir: WorkflowIR { storage.ir }
    /// The working-day calendar for deadlines and the CEL date functions; nil when the workflow
    /// names none (working-day deadlines then fail with a clear error).
    public var calendar: WorkingCalendar? { storage.calendar }
    /// The IR's content hash; snapshots are pinned to it.
    public var hash: String { storage.hash }

    struct ExprKey: Hashable {
        var source: String
        var span: SpanIR
        var region: Int
    }

    var scopes: [Int: CaseEnvironment] { storage.scopes }
    var aliases: [Int: [(String, Int)]] { storage.aliases }
    var programs: [ExprKey: Compiled] { storage.programs }

    /// A compiled expression and the case fields it reads.
    struct Compiled {
        let program: CELProgram
        /// Indices (in `ir.fields`) of the fields read as `case.<field>`; nil when `case` may be
        /// used otherwise. Only these are converted to CEL values for an evaluation.
        let caseFields: [Int]?
        /// Whether the text mentions `now` or `today` anywhere (a superset of reading them):
        /// only then is the step's time converted to a local date and bound.
        let readsTime: Bool
    }

    /// True when `source` contains `now` or `today` (even inside a word or a string literal:
    /// a false hit only binds two variables the expression does not read).
    static func mentionsTime(_ source: String) -> Bool {
        source.contains(CaseEnvironment.nowName) || source.contains(CaseEnvironment.todayName)
    }

    /// The case fields `source` reads, found by scanning for `case` followed by `.` and a field
    /// name (whitespace allowed). Any other use of the word `case` gives nil: every field is
    /// converted then. Extra hits (inside a string literal, a macro variable named after a
    /// field) only convert more than needed.
    static func caseFieldsRead(_ source: String, fields: [FieldIR]) -> [Int]? {
        let b = Array(source.utf8)
        func isIdent(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
        }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        let word = Array("case".utf8)
        var used: [Int] = []
        var i = 0
        while i < b.count {
            guard b[i] == word[0], i + word.count <= b.count, Array(b[i..<(i + word.count)]) == word,
                  i == 0 || !isIdent(b[i - 1]), i + word.count == b.count || !isIdent(b[i + word.count]) else {
                i += 1
                continue
            }
            var j = i + word.count
            while j < b.count, isSpace(b[j]) { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: ".") else { return nil }
            j += 1
            while j < b.count, isSpace(b[j]) { j += 1 }
            let start = j
            while j < b.count, isIdent(b[j]) { j += 1 }
            let name = String(decoding: b[start..<j], as: UTF8.self)
            guard let index = fields.firstIndex(where: { $0.name == name }) else { return nil }
            if !used.contains(index) { used.append(index) }
            i = j
        }
        return used.sorted()
    }
    var timestampParser: CELProgram { storage.timestampParser }
    var durationParser: CELProgram { storage.durationParser }
    var mustFillBeforeLeaving: [Int: [Int]] { storage.mustFillBeforeLeaving }

    /// Compiles every expression of `ir`. `calendar` defaults to the calendar data pinned in the
    /// IR (`calendarData`, written by the compiler), else — for IR written before calendar data
    /// was pinned — the built-in calendar the workflow names (`calendar: cn-mainland`).
    public init(_ ir: WorkflowIR, calendar: WorkingCalendar? = nil) throws(DefinitionError) {
        var cal = calendar
        if cal == nil, let pinned = ir.calendarData {
            do {
                cal = try WorkingCalendar(ir: pinned)
            } catch {
                throw DefinitionError(message: "the IR's calendar data is invalid: \(error.description)", span: nil)
            }
        }
        cal = cal ?? ir.calendar.flatMap { WorkingCalendar.builtin($0) }
        if ir.calendar != nil && cal == nil {
            throw DefinitionError(message: "the workflow uses calendar `\(ir.calendar ?? "")`, which is not built in and whose data the IR does not carry; pass it to Definition(_:calendar:)", span: nil)
        }
        let hash: String
        do {
            hash = try ir.contentHash ?? IRCoding.hash(ir)
        } catch {
            throw DefinitionError(message: "cannot hash the IR: \(error)", span: nil)
        }
        let celCal: any WorkingDayCalendar = cal.map { CELWorkingDays($0) } ?? WeekendCalendar()
        guard ir.regions.indices.contains(0) else { throw DefinitionError(message: "the IR has no top-level region", span: nil) }
        guard ir.states.enumerated().allSatisfy({ $0.offset == $0.element.id }),
              ir.regions.enumerated().allSatisfy({ $0.offset == $0.element.id }) else {
            throw DefinitionError(message: "the IR's state and region ids are not their positions", span: nil)
        }

        var scopes: [Int: CaseEnvironment] = [0: CaseEnvironment(ir: ir, calendar: celCal)]
        var extras: [Int: [(String, CELType)]] = [0: []]
        var aliases: [Int: [(String, Int)]] = [0: []]
        var programs: [ExprKey: Compiled] = [:]

        func compile(_ e: ExprIR, region: Int, expecting: CELType? = nil) throws(DefinitionError) -> CELProgram {
            let key = ExprKey(source: e.source, span: e.span, region: region)
            if let p = programs[key] { return p.program }
            guard let scope = scopes[region] else { throw DefinitionError(message: "no environment for region \(region)", span: e.span) }
            do {
                let p = try scope.env.compile(e.source, expecting: expecting)
                programs[key] = Compiled(program: p, caseFields: Self.caseFieldsRead(e.source, fields: ir.fields),
                                         readsTime: Self.mentionsTime(e.source))
                return p
            } catch {
                throw DefinitionError(message: "cannot compile `\(e.source)`: \(error)", span: e.span)
            }
        }

        // Regions in id order: the compiler numbers a region after the region owning it.
        for region in ir.regions where region.id != 0 {
            guard let owner = region.owner, ir.states.indices.contains(owner) else {
                throw DefinitionError(message: "region `\(region.name)` has no owner state", span: nil)
            }
            let parent = ir.states[owner].region
            guard scopes[parent] != nil else {
                throw DefinitionError(message: "region `\(region.name)` is declared before its parent region", span: ir.states[owner].span)
            }
            var vars = extras[parent] ?? []
            var names = aliases[parent] ?? []
            if let list = region.list, let alias = region.alias {
                let p = try compile(list, region: parent)
                guard case .list(let element) = p.type else {
                    throw DefinitionError(message: "foreach list `\(list.source)` is not a list (\(p.type))", span: list.span)
                }
                vars.append((alias, element))
                names.append((alias, region.id))
            }
            extras[region.id] = vars
            aliases[region.id] = names
            scopes[region.id] = vars.isEmpty ? scopes[0] : CaseEnvironment(ir: ir, extra: vars, calendar: celCal)
        }
        // `caseValue` relies on the case record's fields being the IR's fields in order.
        for scope in scopes.values where scope.caseType.fields.map(\.name) != ir.fields.map(\.name) {
            throw DefinitionError(message: "the case type's fields are not the IR's fields in order (\(scope.caseType.name))", span: nil)
        }

        for s in ir.states {
            let r = s.region
            func requirement(_ q: RequirementIR) throws(DefinitionError) {
                if case .expression(let e, _) = q { _ = try compile(e, region: r, expecting: .bool) }
            }
            for q in s.requires { try requirement(q) }
            for t in s.transitions {
                if let g = t.guardExpr { _ = try compile(g, region: r, expecting: .bool) }
                for q in t.requires { try requirement(q) }
                for a in t.assignments { _ = try compile(a.value, region: r) }
            }
            for arm in s.choice { _ = try compile(arm.condition, region: r, expecting: .bool) }
            for c in s.signoff?.conditional ?? [] { _ = try compile(c.condition, region: r, expecting: .bool) }
            if let by = s.due?.by { _ = try compile(by, region: r) }
            if let until = s.wait?.until { _ = try compile(until, region: r) }
        }

        let parserEnv = CELEnvironment()
        _ = parserEnv.declare("s", .string)
        let timestampParser, durationParser: CELProgram
        do {
            timestampParser = try parserEnv.compile("timestamp(s)")
            durationParser = try parserEnv.compile("duration(s)")
        } catch {
            throw DefinitionError(message: "cannot build the value parsers: \(error)", span: nil)
        }
        storage = Storage(ir: ir, calendar: cal, hash: hash, scopes: scopes, aliases: aliases, programs: programs,
                          timestampParser: timestampParser, durationParser: durationParser)
    }

    /// Loads IR JSON (verifying its hash) and builds the definition.
    /// The provisional year (see ``WorkingCalendar/provisionalYears``) that a deadline or wait
    /// end of `state` at `due` was computed in, or nil when it does not depend on one: only
    /// working-day durations and `by:`/`until:` expressions (which may count working days) do.
    /// A time of 24:00 belongs to the day before it.
    public func provisionalYear(of due: Timestamp, state: StateIR, kind: TimerRecord.Kind) -> Int? {
        guard let cal = calendar, !cal.provisionalYears.isEmpty else { return nil }
        let usesCalendar = switch kind {
        case .deadline: state.due.map { $0.by != nil || $0.within?.unit == "working_days" } ?? false
        case .wait: state.wait.map { $0.until != nil || $0.duration?.unit == "working_days" } ?? false
        }
        guard usesCalendar, let day = try? cal.localDate(due.date.addingTimeInterval(-1)), cal.isProvisional(day) else { return nil }
        return day.year
    }

    public init(irJSON data: Data, calendar: WorkingCalendar? = nil) throws {
        try self.init(try IRCoding.load(data), calendar: calendar)
    }

    func state(_ id: Int) throws(Refusal) -> StateRef {
        let states = storage.states
        guard states.indices.contains(id) else { throw Refusal(.runtimeError, "the IR has no state \(id)") }
        return states[id]
    }

    /// State `id`, known to exist (a snapshot pinned to this definition names only its states).
    func state(known id: Int) -> StateRef { storage.states[id] }

    /// Round counts for a new instance of `region`, sized for its states: entering them then
    /// never grows the dictionary (and a copy keeps the size).
    func emptyRounds(_ region: Int) -> [String: Int] {
        [String: Int](minimumCapacity: ir.regions.indices.contains(region) ? ir.regions[region].states.count : 0)
    }

    func roleName(_ id: Int) -> String { ir.roles.indices.contains(id) ? ir.roles[id].name : "#\(id)" }
    func fieldName(_ id: Int) -> String { ir.fields.first { $0.id == id }?.name ?? "#\(id)" }

    /// The item fields of a checklist field (empty for other fields).
    func checklistFields(_ id: Int) -> [FieldIR] {
        if case .checklist(let fields)? = ir.fields.first(where: { $0.id == id })?.type { return fields }
        return []
    }

    /// Evaluates an expression of `region` over `data` and the foreach items in `items`
    /// (alias → item value), at the step's time `now` (bound as `now`, and as `today` in the
    /// calendar's time zone).
    func evaluate(_ e: ExprIR, region: Int, data: [String: ValueIR], items: [String: ValueIR], now: Timestamp) throws(Refusal) -> CELValue {
        let key = ExprKey(source: e.source, span: e.span, region: region)
        guard let compiled = programs[key], let scope = scopes[region] else {
            throw Refusal(.runtimeError, "expression `\(e.source)` was not compiled", span: e.span)
        }
        let act = scope.env.makeActivation()
        do {
            act[scope.caseSlot] = try caseValue(data, scope: scope, fields: compiled.caseFields)
            if compiled.readsTime {
                scope.bindTime(act, now: CELTimestamp(seconds: now.seconds),
                               today: CaseEnvironment.today(atSeconds: now.seconds, calendar: calendar))
            }
            for (name, slot) in scope.extraSlots {
                guard let v = items[name] else { continue }
                let type = scope.env.variables.indices.contains(slot) ? scope.env.variables[slot].type : .dyn
                act[slot] = try celValue(v, type) ?? .null
            }
        } catch let r as Refusal {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(r.message)", span: e.span)
        } catch {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(error)", span: e.span)
        }
        do {
            return try compiled.program.evaluate(act)
        } catch {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(error.message)", span: e.span)
        }
    }

    /// Evaluates an expression that is not part of the IR (a migration plan's value) in the
    /// top-level scope: compiled here, once per call.
    func evaluateTopLevel(_ e: ExprIR, data: [String: ValueIR], now: Timestamp) throws(Refusal) -> CELValue {
        guard let scope = scopes[0] else { throw Refusal(.runtimeError, "no top-level environment", span: e.span) }
        let program: CELProgram
        do { program = try scope.env.compile(e.source) } catch {
            throw Refusal(.runtimeError, "cannot compile `\(e.source)`: \(error)", span: e.span)
        }
        let act = scope.env.makeActivation()
        do {
            act[scope.caseSlot] = try caseValue(data, scope: scope, fields: nil)
            scope.bindTime(act, now: CELTimestamp(seconds: now.seconds), today: CaseEnvironment.today(atSeconds: now.seconds, calendar: calendar))
            return try program.evaluate(act)
        } catch let r as Refusal {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(r.message)", span: e.span)
        } catch let c as CELEvalError {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(c.message)", span: e.span)
        } catch {
            throw Refusal(.runtimeError, "cannot evaluate `\(e.source)`: \(error)", span: e.span)
        }
    }

    func evaluateBool(_ e: ExprIR, region: Int, data: [String: ValueIR], items: [String: ValueIR], now: Timestamp) throws(Refusal) -> Bool {
        let v = try evaluate(e, region: region, data: data, items: items, now: now)
        guard case .bool(let b) = v else {
            throw Refusal(.runtimeError, "`\(e.source)` is not a bool (got \(v.typeName))", span: e.span)
        }
        return b
    }

    /// The case record for an evaluation: `fields` (indices) only, or every field when nil.
    /// The others are left absent — the expression does not read them (see ``caseFieldsRead``).
    private func caseValue(_ data: [String: ValueIR], scope: CaseEnvironment, fields: [Int]?) throws -> CELValue {
        // The case type's fields are the IR's fields in order (checked in init): fill the
        // record's field array directly rather than through a dictionary by name.
        let types = scope.caseType.fields
        let all = ir.fields
        var values = [CELValue?](repeating: nil, count: types.count)
        func convert(_ i: Int) throws {
            guard all.indices.contains(i), let v = data[all[i].name] else { return }
            values[i] = try celValue(v, types[i].type)
        }
        if let fields {
            for i in fields { try convert(i) }
        } else {
            for i in all.indices { try convert(i) }
        }
        return .record(CELRecord(type: scope.caseType, fields: values))
    }

    /// A stored value as a CEL value of type `t`; nil for null (an absent field).
    func celValue(_ v: ValueIR, _ t: CELType) throws(Refusal) -> CELValue? {
        func bad() -> Refusal { Refusal(.runtimeError, "value \(v) does not fit type \(t)") }
        if case .null = v { return nil }
        switch t {
        case .int:
            if case .int(let i) = v { return .int(Int64(i)) }
            if case .double(let d) = v, d.rounded() == d, abs(d) < 9e18 { return .int(Int64(d)) }
            throw bad()
        case .double:
            if case .double(let d) = v { return .double(d) }
            if case .int(let i) = v { return .double(Double(i)) }
            throw bad()
        case .string, .enumType:
            if case .string(let s) = v { return .string(s) }
            throw bad()
        case .bool:
            if case .bool(let b) = v { return .bool(b) }
            throw bad()
        case .date:
            if case .string(let s) = v, let d = CELDate(iso: s) { return .date(d) }
            throw bad()
        case .timestamp:
            if case .string(let s) = v, case .timestamp(let ts)? = try? timestampParser.evaluate(["s": .string(s)]) { return .timestamp(ts) }
            throw bad()
        case .duration:
            if case .string(let s) = v, case .duration(let d)? = try? durationParser.evaluate(["s": .string(s)]) { return .duration(d) }
            throw bad()
        case .list(let element):
            guard case .list(let items) = v else { throw bad() }
            var out: [CELValue] = []
            out.reserveCapacity(items.count)
            for i in items { out.append(try celValue(i, element) ?? .null) }
            return .list(out)
        case .record(let rt):
            guard case .map(let m) = v else { throw bad() }
            let fields = rt.fields
            var values = [CELValue?](repeating: nil, count: fields.count)
            // A record has a few fields: finding each entry's field by name beats hashing every
            // field name into the map. (Keys that are no field are not part of the record.)
            for (k, fv) in m {
                guard let i = fields.firstIndex(where: { $0.name == k }) else { continue }
                values[i] = try celValue(fv, fields[i].type)
            }
            return .record(CELRecord(type: rt, fields: values))
        default:
            return Self.genericCEL(v)
        }
    }

    static func genericCEL(_ v: ValueIR) -> CELValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let l): return .list(l.map(genericCEL))
        case .map(let m):
            let entries = m.keys.sorted().map { (CELValue.string($0), genericCEL(m[$0] ?? .null)) }
            return (try? CELMap(entries: entries)).map { .map($0) } ?? .null
        }
    }

    /// A CEL result as a stored value: dates as `YYYY-MM-DD`, timestamps as RFC 3339 UTC,
    /// durations as CEL duration text (`90s`), records as maps.
    static func storedValue(_ v: CELValue) -> ValueIR {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .uint(let u): return u <= UInt64(Int.max) ? .int(Int(u)) : .double(Double(u))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .list(b.map { .int(Int($0)) })
        case .list(let l): return .list(l.map(storedValue))
        case .map(let m):
            var out: [String: ValueIR] = [:]
            for (k, val) in zip(m.keys, m.values) {
                if case .string(let ks) = k { out[ks] = storedValue(val) } else { out[k.debugText] = storedValue(val) }
            }
            return .map(out)
        case .timestamp(let t): return .string(Timestamp(seconds: t.seconds).description)
        case .duration(let d): return .string("\(d.seconds)s")
        case .date(let d): return .string(d.description)
        case .record(let r):
            var out: [String: ValueIR] = [:]
            for (f, val) in zip(r.type.fields, r.fields) { if let val { out[f.name] = storedValue(val) } }
            return .map(out)
        case .type(let t): return .string(t.description)
        case .opaque(let o): return .string(o.typeName)
        }
    }
}
