import CEL
import Foundation
import Synchronization
import WFCDiagnostics
import WFCExpressions
import WFCIR
import WFCYAML

/// Phase 3b: parses and type-checks every expression of the workflow against the case schema
/// (and, inside a foreach body, the item), records each expression's type in the IR, and
/// reports errors at the exact column inside the YAML scalar.
struct ExpressionPhase {
    private(set) var ir: WorkflowIR
    let path: String
    let sources: SourceMap
    var d: [Diagnostic] = []
    private var calendarNeeded: SourceSpan?
    fileprivate enum Outcome: Sendable {
        case syntaxErrors([CELError])
        case checked(type: CELType, errors: [CELError])
    }

    /// An environment shared by every workflow with the same case schema (and foreach
    /// variables), with a serial number that is never reused.
    fileprivate struct SharedEnvironment: @unchecked Sendable {
        var env: CELEnvironment
        var fieldTypes: [Int: CELType]
        var serial: Int
    }

    /// An expression's text, environment and expected type. Workflows repeat the same
    /// guard in many states, and CEL errors are relative to the text, so one check serves
    /// every copy. Hashing uses a fingerprint of the text made once (a word at a time),
    /// not the text itself: each key is hashed on every lookup.
    fileprivate struct SharedKey: Hashable, Sendable {
        var text: String
        var environment: Int
        var expecting: CELType?
        var fingerprint: UInt64

        init(text: String, environment: Int, expecting: CELType?) {
            self.text = text
            self.environment = environment
            self.expecting = expecting
            fingerprint = Self.fingerprint(text)
        }

        static func == (a: Self, b: Self) -> Bool {
            a.fingerprint == b.fingerprint && a.environment == b.environment && a.text == b.text && a.expecting == b.expecting
        }

        /// Equal keys have equal texts and environments, so these suffice.
        func hash(into h: inout Hasher) {
            h.combine(fingerprint)
            h.combine(environment)
        }

        /// Canonically equivalent texts with different bytes get different fingerprints;
        /// that only costs a second check.
        static func fingerprint(_ text: String) -> UInt64 {
            text.utf8.withContiguousStorageIfAvailable(fingerprintBytes) ?? Array(text.utf8).withUnsafeBufferPointer(fingerprintBytes)
        }
    }

    /// What every workflow this process compiles shares (`wfc check` over a repository):
    /// files with the same case schema check each distinct expression once. Checking only
    /// reads an environment, so threads may share one.
    fileprivate struct Shared: @unchecked Sendable {
        var environments: [SchemaKey: SharedEnvironment] = [:]
        var outcomes: [SharedKey: Outcome] = [:]
        var nextSerial = 0
    }

    private static let shared = Mutex(Shared())
    /// Past this many outcomes the shared tables start again, to bound memory.
    private static let sharedLimit = 50_000

    init(ir: WorkflowIR, path: String, sources: SourceMap) {
        self.ir = ir
        self.path = path
        self.sources = sources
    }

    /// A fresh environment with `case`, `now`, `today`, the workflow functions and `extra`
    /// variables. `now` and `today` are the same in every workflow, so the schema key of
    /// ``sharedEnvironment(extra:)`` need not spell them.
    func environment(extra: [(String, CELType)] = []) -> (CELEnvironment, [Int: CELType]) {
        let ce = CaseEnvironment(ir: ir, extra: extra)
        return (ce.env, ce.fieldTypes)
    }

    /// The shared environment for this workflow's schema and `extra` variables, made on
    /// first use. The key spells the schema structurally; `extra` types come from the same
    /// schema, so their names identify them.
    private func sharedEnvironment(extra: [(String, CELType)]) -> SharedEnvironment {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        for f in ir.fields { f.type.appendSchemaKey(to: &bytes, name: f.name, optional: f.optional && f.defaultValue == nil) }
        for (name, t) in extra {
            bytes.append(UInt8(ascii: "+"))
            SchemaKey.appendCounted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: t.description.utf8)
        }
        let key = SchemaKey(bytes)
        if let known = Self.shared.withLock({ $0.environments[key] }) { return known }
        let (env, types) = environment(extra: extra)
        return Self.shared.withLock { shared in
            if let raced = shared.environments[key] { return raced }
            let made = SharedEnvironment(env: env, fieldTypes: types, serial: shared.nextSerial)
            shared.nextSerial += 1
            shared.environments[key] = made
            return made
        }
    }

    mutating func run() -> WorkflowIR {
        var out = ir
        // Writes below go to `out` in place; a second reference would copy every state.
        ir.states = []
        // One environment per region: foreach bodies add their item variable.
        var regionEnv: [Int: SharedEnvironment] = [:]
        let root = sharedEnvironment(extra: [])
        regionEnv[0] = root
        var extras: [Int: [(String, CELType)]] = [0: []]
        for region in ir.regions where region.id != 0 {
            let parentRegion = region.owner.map { out.states[$0].region } ?? 0
            var vars = extras[parentRegion] ?? []
            if let list = region.list, let alias = region.alias {
                let listType = check(list, env: regionEnv[parentRegion] ?? root, expecting: nil, what: "`foreach`")
                if let lt = listType {
                    out.regions[region.id].list?.type = lt.description
                    if case .list(let element) = lt {
                        vars.append((alias, element))
                    } else if lt != .dyn && lt != .error {
                        report(ForeachNotAList(type: lt.friendlyName), list, label: "not a list")
                    }
                }
            }
            extras[region.id] = vars
            regionEnv[region.id] = vars.isEmpty ? root : sharedEnvironment(extra: vars)
        }
        let fields = ir.fields
        for si in out.states.indices {
            let env = regionEnv[out.states[si].region] ?? root
            let types = env.fieldTypes
            for ti in out.states[si].transitions.indices {
                if let g = out.states[si].transitions[ti].guardExpr {
                    out.states[si].transitions[ti].guardExpr?.type = check(g, env: env, expecting: .bool, what: "`when`")?.description
                }
                for ai in out.states[si].transitions[ti].assignments.indices {
                    let a = out.states[si].transitions[ti].assignments[ai]
                    out.states[si].transitions[ti].assignments[ai].value.type =
                        check(a.value, env: env, expecting: types[a.field], what: "the value of `\(fields[a.field].name)`")?.description
                }
                for ri in out.states[si].transitions[ti].requires.indices {
                    if case .expression(var e, let m) = out.states[si].transitions[ti].requires[ri] {
                        e.type = check(e, env: env, expecting: .bool, what: "a requirement")?.description
                        out.states[si].transitions[ti].requires[ri] = .expression(e, message: m)
                    }
                }
            }
            for ri in out.states[si].requires.indices {
                if case .expression(var e, let m) = out.states[si].requires[ri] {
                    e.type = check(e, env: env, expecting: .bool, what: "a requirement")?.description
                    out.states[si].requires[ri] = .expression(e, message: m)
                }
            }
            for ci in out.states[si].choice.indices {
                let condition = out.states[si].choice[ci].condition
                out.states[si].choice[ci].condition.type = check(condition, env: env, expecting: .bool, what: "a choice `when`")?.description
            }
            if let conditional = out.states[si].signoff?.conditional {
                for (pi, p) in conditional.enumerated() {
                    out.states[si].signoff?.conditional[pi].condition.type = check(p.condition, env: env, expecting: .bool, what: "a sign-off condition")?.description
                }
            }
            if let by = out.states[si].due?.by {
                out.states[si].due?.by?.type = checkWhen(by, env: env, what: "`due.by`")
            }
            if let until = out.states[si].wait?.until {
                out.states[si].wait?.until?.type = checkWhen(until, env: env, what: "`wait.until`")
            }
        }
        if ir.calendar == nil, let use = calendarNeeded {
            d.append(Diagnostic(CalendarRequired(), at: use, label: "working days need a calendar",
                                help: "add `calendar: cn-mainland` at the top of the file"))
        }
        return out
    }

    /// `due.by` and `wait.until` take a date or a timestamp.
    private mutating func checkWhen(_ e: ExprIR, env: SharedEnvironment, what: String) -> String? {
        guard let t = check(e, env: env, expecting: nil, what: what) else { return nil }
        if t != .date && t != .timestamp && t != .dyn {
            report(NotADate(what: what, type: t.friendlyName), e, label: "not a date")
        }
        return t.description
    }

    /// Parses and checks one expression; reports its errors; returns its type.
    private mutating func check(_ e: ExprIR, env shared: SharedEnvironment, expecting: CELType?, what: @autoclosure () -> String) -> CELType? {
        if e.source.utf8Contains("working_days"), e.source.contains("working_days") { calendarNeeded = calendarNeeded ?? source(e) }
        let key = SharedKey(text: e.source, environment: shared.serial, expecting: expecting)
        let outcome: Outcome
        if let known = Self.shared.withLock({ $0.outcomes[key] }) {
            outcome = known
        } else {
            let env = shared.env
            do {
                let result = env.check(try env.parse(e.source), expecting: expecting)
                outcome = .checked(type: result.type, errors: result.errors)
            } catch {
                outcome = .syntaxErrors(error.errors)
            }
            Self.shared.withLock { shared in
                if shared.outcomes.count >= Self.sharedLimit {
                    shared.outcomes.removeAll(keepingCapacity: true)
                    shared.environments.removeAll()
                }
                shared.outcomes[key] = outcome
            }
        }
        switch outcome {
        case .syntaxErrors(let errors):
            for err in errors { report(err, e, what: what()) }
            return nil
        case .checked(let type, let errors):
            for err in errors { report(err, e, what: what()) }
            return errors.isEmpty ? type : nil
        }
    }

    private func source(_ e: ExprIR) -> SourceSpan { e.span.source(workflowPath: path) }

    /// The file span of bytes `[a, b)` of an expression's text.
    private func span(_ e: ExprIR, _ a: Int, _ b: Int) -> SourceSpan {
        let whole = source(e)
        // An expression that is the whole file (`wfc expr`): offsets are file offsets.
        if e.span.end == 0 { return SourceSpan(file: whole.file, start: a, end: b) }
        guard let file = sources[whole.file] else { return whole }
        // The style is in the scalar's first byte (its quote or block indicator). A text the
        // parser rewrote (a literal in `set:`) no longer matches the scalar: no exact map.
        let map = ScalarOffsetMap(value: e.source, style: ScalarStyle(startingWith: whole.start < file.bytes.count ? file.bytes[whole.start] : 0),
                                  span: whole, file: file)
        guard map.isExact else { return whole }
        return map.fileSpan(a, b, file: whole.file)
    }

    fileprivate mutating func report(_ err: CELError, _ e: ExprIR, what: String) {
        let at = span(e, err.span.start, max(err.span.end, err.span.start))
        let message: any DiagnosticMessage
        switch err.kind {
        case .unknownIdentifier, .unknownField: message = ExprUnknownName(text: err.message)
        case .typeMismatch, .noMatchingOverload: message = ExprTypeMismatch(text: err.message)
        case .nonBoolResult: message = ExprNotBool(what: what, text: err.message)
        case .enumNonMember: message = ExprEnumNonMember(text: err.message)
        case .wrongArity: message = ExprWrongArity(text: err.message)
        case .unknownFunction: message = ExprUnknownFunction(text: err.message)
        default: message = ExprSyntaxError(text: err.message)
        }
        var help = err.suggestion.map { "did you mean `\($0)`?" }
        var fixes: [FixIt] = []
        if let s = err.suggestion, err.kind == .unknownField || err.kind == .unknownIdentifier || err.kind == .enumNonMember || err.kind == .unknownFunction {
            let replacement = err.kind == .enumNonMember ? "'\(s)'" : s
            fixes = [FixIt("use `\(s)`", replacing: at, with: replacement)]
            if err.kind == .enumNonMember { help = "did you mean '\(s)'?" }
        }
        var notes = err.notes
        // A workflow's `today` is already the date of `now` in its calendar's time zone.
        if err.notes.contains(CELError.timestampWithDateHint) {
            notes.append("`today` is the date of `now` in the workflow calendar's time zone")
        }
        d.append(Diagnostic(existential: message, at: at, label: label(err.kind), notes: notes, help: help, fixIts: fixes))
    }

    private func label(_ k: CELErrorKind) -> String {
        switch k {
        case .unknownIdentifier, .unknownField: "unknown"
        case .typeMismatch, .noMatchingOverload: "wrong type"
        case .nonBoolResult: "not true/false"
        case .enumNonMember: "not a member"
        case .wrongArity: "wrong number of arguments"
        case .unknownFunction: "unknown function"
        default: "here"
        }
    }

    private mutating func report(_ m: some DiagnosticMessage, _ e: ExprIR, label: String) {
        d.append(Diagnostic(m, at: source(e), label: label))
    }
}

extension Diagnostic {
    /// Builds a diagnostic from an existential message.
    init(existential message: any DiagnosticMessage, at span: SourceSpan, label: String, notes: [String], help: String?, fixIts: [FixIt]) {
        func make<M: DiagnosticMessage>(_ m: M) -> Diagnostic {
            Diagnostic(m, at: span, label: label, secondary: [], notes: notes, help: help, fixIts: fixIts)
        }
        self = make(message)
    }
}

struct ExprSyntaxError: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4001", name: "expression-syntax", summary: "An expression cannot be parsed.",
        explanation: "Guards, requirements and assignments are written in Google's Common Expression Language (CEL). The caret points at the first character that does not fit. See docs/cel.md.",
        example: "when: \"case.notice_days >= \"\n",
        fix: "when: \"case.notice_days >= 30\"\n")
    var text: String
    var message: String { text }
}

struct ExprUnknownName: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4002", name: "unknown-field-in-expression", summary: "An expression names a field or variable that does not exist.",
        explanation: "Expressions see the case's fields as `case.FIELD`, the time of the step as `now` and its date as `today` (and, inside a foreach body, the item by its `as:` name). The name must be declared under `case:`; wfc suggests the closest one.",
        example: "case:\n  notice_days: int\n# ...\nwhen: \"case.notice_dayz >= 30\"\n",
        fix: "when: \"case.notice_days >= 30\"\n")
    var text: String
    var message: String { text }
}

struct ExprTypeMismatch: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4003", name: "expression-type-mismatch", summary: "An expression combines values of the wrong types.",
        explanation: "Each operator and function accepts certain types: `case.notice_days > \"30\"` compares a number with text. An assignment's value must have its field's type.",
        example: "when: \"case.notice_days > '30'\"\n",
        fix: "when: \"case.notice_days > 30\"\n")
    var text: String
    var message: String { text }
}

struct ExprNotBool: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4004", name: "non-bool-guard", summary: "A guard or requirement is not a true/false condition.",
        explanation: "`when:`, `requires:`, choice arms and sign-off conditions decide yes or no, so they must produce a bool.",
        example: "when: \"case.notice_days\"\n",
        fix: "when: \"case.notice_days >= 30\"\n")
    var what: String
    var text: String
    var message: String {
        // CEL says "This expression must be a true/false condition, but it produces X."
        if let r = text.range(of: "but it produces ") {
            return "\(what) must be a true/false condition, but it produces \(text[r.upperBound...])"
        }
        return "\(what) must be a true/false condition: \(text)"
    }
}

struct ExprEnumNonMember: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4005", name: "enum-non-member", summary: "An enum field is compared with a value that is not one of its members.",
        explanation: "Comparing an enum field with text that is not one of its members can never be true; it is almost always a typo.",
        example: "case:\n  reason: [resignation, transfer]\n# ...\nwhen: \"case.reason == 'resign'\"\n",
        fix: "when: \"case.reason == 'resignation'\"\n")
    var text: String
    var message: String { text }
}

struct ExprWrongArity: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4006", name: "wrong-arity", summary: "A function is called with the wrong number of arguments.",
        explanation: "Each function takes a fixed number of arguments: `size(x)`, `days_between(a, b)`, `add_working_days(d, n)`.",
        example: "when: \"days_between(case.last_day) > 30\"\n",
        fix: "when: \"days_between(case.notice_date, case.last_day) > 30\"\n")
    var text: String
    var message: String { text }
}

struct ExprUnknownFunction: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4007", name: "unknown-function", summary: "An expression calls a function that does not exist.",
        explanation: "Available functions are CEL's standard library (size, contains, startsWith, matches, timestamp, …) and the workflow functions days_between, working_days_between, add_working_days, add_days and add_months. See docs/cel.md.",
        example: "when: \"workdays_between(case.notice_date, case.last_day) >= 22\"\n",
        fix: "when: \"working_days_between(case.notice_date, case.last_day) >= 22\"\n")
    var text: String
    var message: String { text }
}

struct ForeachNotAList: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4008", name: "foreach-not-a-list", summary: "`foreach` is given something that is not a list.",
        explanation: "`foreach:` runs one sub-flow per item of a list field, e.g. `foreach: case.customers`.",
        example: "case:\n  customer: string\n# ...\nforeach: case.customer\n",
        fix: "case:\n  customers: {list: {name: string}}\n# ...\nforeach: case.customers\n")
    var type: String
    var message: String { "`foreach` needs a list, but this is \(type)" }
}

struct NotADate: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC4009", name: "not-a-date", summary: "A deadline or wait expects a date or a time.",
        explanation: "`due.by` and `wait.until` give a point in time: a `date` field, a `datetime` field, or a function such as `add_working_days(case.last_day, 1)`.",
        example: "due: {by: \"case.notice_days\"}\n",
        fix: "due: {by: \"add_working_days(case.last_day, 1)\"}\n")
    var what: String
    var type: String
    var message: String { "\(what) must be a date or a time, not \(type)" }
}

enum ExpressionDiagnostics {
    static let all: [DiagnosticDescriptor] = [
        ExprSyntaxError.descriptor, ExprUnknownName.descriptor, ExprTypeMismatch.descriptor, ExprNotBool.descriptor,
        ExprEnumNonMember.descriptor, ExprWrongArity.descriptor, ExprUnknownFunction.descriptor, ForeachNotAList.descriptor,
        NotADate.descriptor,
    ]
}

extension WorkflowCompiler {
    /// The environment a workflow's expressions are checked in: `case` typed by the case
    /// schema, and the workflow functions. For `wfc expr --workflow`.
    public static func expressionEnvironment(for ir: WorkflowIR) -> CELEnvironment {
        ExpressionPhase(ir: ir, path: ir.file, sources: SourceMap()).environment().0
    }

    /// A CEL error as a wfc diagnostic, for an expression that is a whole file (`wfc expr`).
    public static func diagnostic(for error: CELError, file: String) -> Diagnostic {
        var phase = ExpressionPhase(ir: WorkflowIR(id: "", version: 0, title: "", file: file, roles: [], separations: [], fields: [],
                                                    guarantees: [], regions: [], states: []),
                                    path: file, sources: SourceMap())
        let e = ExprIR(source: "", span: SpanIR(file: file, start: 0, end: 0, line: 1, column: 1))
        phase.reportExternal(error, e)
        return phase.d[0]
    }
}

extension ExpressionPhase {
    /// Reports an error whose span is already in file coordinates.
    mutating func reportExternal(_ err: CELError, _ e: ExprIR) {
        var shifted = err
        shifted.span = err.span
        report(shifted, e, what: "the expression")
    }
}

extension TypeIR {
    /// Appends `name: type` as the CEL environment sees it (names, types, optionality; no
    /// titles or spans), so equal keys mean equal environments.
    fileprivate func appendSchemaKey(to key: inout [UInt8], name: String, optional: Bool) {
        // Lengths first, so no name or member can be mistaken for punctuation.
        SchemaKey.appendCounted(name, to: &key)
        if optional { key.append(UInt8(ascii: "?")) }
        key.append(UInt8(ascii: ":"))
        appendType(to: &key)
        key.append(UInt8(ascii: ";"))
    }

    private func appendType(to key: inout [UInt8]) {
        func tag(_ c: Unicode.Scalar) { key.append(UInt8(ascii: c)) }
        switch self {
        case .string: tag("s")
        case .int: tag("i")
        case .decimal: tag("d")
        case .bool: tag("b")
        case .date: tag("D")
        case .datetime: tag("T")
        case .duration: tag("u")
        case .enumeration(let members):
            tag("e"); tag("[")
            for m in members { SchemaKey.appendCounted(m, to: &key) }
            tag("]")
        case .record(let fields):
            tag("r"); tag("{")
            for f in fields { f.type.appendSchemaKey(to: &key, name: f.name, optional: f.optional) }
            tag("}")
        case .list(let element): tag("l"); tag("("); element.appendType(to: &key); tag(")")
        case .checklist(let fields):
            tag("c"); tag("{")
            for f in fields { f.type.appendSchemaKey(to: &key, name: f.name, optional: f.optional) }
            tag("}")
        }
    }
}

/// A case schema spelled out structurally (names, types, optionality), as bytes, with a
/// fingerprint worked out once for hashing.
fileprivate struct SchemaKey: Hashable, Sendable {
    let bytes: [UInt8]
    let fingerprint: UInt64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        fingerprint = bytes.withUnsafeBufferPointer(fingerprintBytes)
    }

    static func == (a: Self, b: Self) -> Bool { a.fingerprint == b.fingerprint && a.bytes == b.bytes }
    func hash(into h: inout Hasher) { h.combine(fingerprint) }

    /// `text` preceded by its length in bytes and a quote: `5'hello`.
    static func appendCounted(_ text: String, to key: inout [UInt8]) {
        key.append(contentsOf: String(text.utf8.count).utf8)
        key.append(UInt8(ascii: "'"))
        key.append(contentsOf: text.utf8)
    }
}

/// FNV-1a over `b`, eight bytes at a time, and the length: the keys of the shared tables
/// hash this, worked out once, instead of their whole text on every lookup.
private func fingerprintBytes(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let prime: UInt64 = 0x0000_0100_0000_01B3
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    var i = 0
    if let base = b.baseAddress {
        while i + 8 <= b.count {
            h = (h ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) &* prime
            i += 8
        }
    }
    while i < b.count {
        h = (h ^ UInt64(b[i])) &* prime
        i += 1
    }
    return h ^ UInt64(truncatingIfNeeded: b.count)
}
